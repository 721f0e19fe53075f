"""Directional targets (逐步提高, 明显下降, 保持稳定, 基本消除): judged by the recent trend.

The measure is the relative change per year: for the default method the average annual
change over the trend window divided by the window's first value; for ``un`` and
``opensdg`` the compound annual growth rate from the baseline (as both methods do for
indicators without a numeric target). A change is significant when its size reaches
``directional_significant_rel`` (0.5 % a year by default, UN 2023's stagnation line).

With m the change signed so that positive is the wanted direction:

* 逐步提高 / 下降: m ≥ sig → 已实现; 0 < m < sig → 基本实现 (right way, barely);
  −sig < m ≤ 0 → 预计达标困难 (stalled); m ≤ −sig → 逆向变化.
* 基本消除: latest ≤ eliminate_max → 已实现; otherwise m ≥ sig → 预计可实现,
  −sig < m < sig → 预计达标困难, m ≤ −sig → 逆向变化.
* 保持: with a better direction, anything but a significant worsening → 已实现, a
  significant worsening → 逆向变化; with none (hold), |m| < sig → 已实现, else
  预计达标困难.
"""

from __future__ import annotations

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig
from planwatch.assess.methods import _relative_linear_change
from planwatch.assess.precision import reaches, within


def direction_rate(method: str, cfg: AssessConfig) -> tuple[pl.Expr, pl.Expr]:
    """(relative change per year, whether it can be computed) for the chosen method."""
    if method == "default":
        ok = (pl.col("n_window") >= cfg.min_trend_points) & pl.col("annual_change").is_not_null()
        return _relative_linear_change(), ok
    x0 = pl.col("baseline_value")
    x0 = pl.when(x0 == 0).then(pl.lit(cfg.zero_substitute)).otherwise(x0)
    span = (pl.col("latest_year") - pl.col("baseline_year_used")).cast(pl.Float64)
    ok = (span >= 1) & (x0 > 0) & (pl.col("latest_value") >= 0)
    return (pl.col("latest_value") / x0).pow(1.0 / span) - 1.0, ok


def direction_sign() -> pl.Expr:
    d = pl.col("direction")
    return (
        pl.when(d == "increase")
        .then(pl.lit(1, dtype=pl.Int8))
        .when(d.is_in(["decrease", "eliminate"]))
        .then(pl.lit(-1, dtype=pl.Int8))
        .otherwise(pl.col("_sgn"))
    )


def directional_status(cfg: AssessConfig) -> tuple[pl.Expr, pl.Expr]:
    """(status code, category) of a directional target; the code indexes ``STATUSES``.

    Needs ``_dir_rate`` / ``_dir_ok`` / ``_dir_s``.
    """
    sig = cfg.directional_significant_rel
    m = pl.col("_dir_rate")
    s = pl.col("_dir_s")
    ms = m * s
    # Rates are compared with ±sig and 0 at ``RATIO_DECIMALS`` places (``precision``): 70 →
    # 71.05 in three years is 0.5 %/yr by hand, 0.49999…% in floating point.
    up_sig, down_sig = reaches(ms, sig), within(ms, -sig)
    flat = ~reaches(m.abs(), sig)
    d = pl.col("direction")
    eliminated = (d == "eliminate") & (pl.col("latest_value") <= cfg.eliminate_max)
    lit = pl.lit
    code = {name: pl.lit(i, dtype=pl.Int8) for i, name in enumerate(st.STATUSES)}
    status = (
        pl.when(pl.col("latest_value").is_null())
        .then(code[st.INSUFFICIENT])
        .when(eliminated)
        .then(code[st.ACHIEVED])
        .when(~pl.col("_dir_ok"))
        .then(code[st.INSUFFICIENT])
        .when((d == "maintain") & (s == 0))
        .then(pl.when(flat).then(code[st.ACHIEVED]).otherwise(code[st.AT_RISK]))
        .when(d == "maintain")
        .then(pl.when(~down_sig).then(code[st.ACHIEVED]).otherwise(code[st.REGRESSING]))
        .when(d == "eliminate")
        .then(
            pl.when(up_sig)
            .then(code[st.ON_TRACK])
            .when(~down_sig)
            .then(code[st.AT_RISK])
            .otherwise(code[st.REGRESSING])
        )
        .when(up_sig)
        .then(code[st.ACHIEVED])
        .when(~within(ms, 0.0))
        .then(code[st.BASICALLY_ACHIEVED])
        .when(~down_sig)
        .then(code[st.AT_RISK])
        .otherwise(code[st.REGRESSING])
    )
    category = (
        pl.when(~pl.col("_dir_ok").fill_null(False))
        .then(lit(None, dtype=pl.String))
        .when(flat)
        .then(lit("no_significant_change"))
        .when(m > 0)
        .then(lit("significant_increase"))
        .otherwise(lit("significant_decrease"))
    )
    return status, category
