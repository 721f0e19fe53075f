"""Method-independent facts of every series, computed for all series at once.

A five-year plan's series are short (a handful of years), so instead of grouping rows per
series and looping, the observations are pivoted to one row per series with one column
per year (``_v2019`` … ``_v2023``) in a single group-by. Everything after that —
latest value, baseline, trend window, least-squares fit, residuals, volatility and outlier
scores, must-hold violations — is column arithmetic across those few year columns, which
Polars runs vectorised over millions of series.

Definitions (thresholds in ``AssessConfig``):

* latest: the last year ≤ the as-of year with a value.
* window: the years with values in [latest − trend_window_years, latest].
* annual_change: the least-squares slope over every year in the window (x = the years,
  so gaps are allowed). This is planwatch's estimate of the DNS "average annual change
  over the last five years": DNS divides the change between the span's two end values
  by its length, which throws away the years in between and lets one unusual end year
  set the trend; the slope uses every approved year and equals the end-value average
  when there are only two years or the values lie on a line. With fewer than three
  years in the window the reasons say so (``reasons``).
* baseline: the value in the target's baseline year or, if that year is missing, the
  first later year with a value (as Open SDG does); ``baseline_year_used`` says which.
* volatility: a least-squares line is fitted over the window; volatility =
  residual standard deviation ÷ max(|slope|, volatility_level_floor_rel × |mean level|).
  ≥ volatility_threshold (and ≥ min_volatility_points years) ⇒ 波动较大: the noise around
  the trend is as large as a year's movement along it, so one year's rise or fall says
  nothing. The level floor keeps flat, quiet series from dividing by ~0.
* outliers: modified z-score of each residual, 0.6745·(e − median(e)) / MAD(e); when the
  MAD is 0 the mean absolute deviation × 1.253314 replaces 0.6745⁻¹·MAD. |z| ≥ outlier_z
  flags that year (single-value outlier, reported separately from volatility).
"""

from __future__ import annotations

import polars as pl

from planwatch.assess.config import AssessConfig
from planwatch.assess.frames import KEYS, TOTAL
from planwatch.assess.precision import scale as printed_scale
from planwatch.assess.precision import units, within
from planwatch.errors import PlanwatchError

_EPS = 1e-9


class DuplicateObservationError(PlanwatchError, ValueError):
    """Two values for the same series and year: the assessment refuses to pick one."""

    code = "assess.duplicate_observation"


def vcol(year: int) -> str:
    return f"_v{year}"


def wide_series(observations: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """One row per series with a value column per year; refuses duplicate years."""
    lf = observations.lazy().filter(pl.col("year").is_in(years))
    aggs = [pl.len().alias("_rows")] + [
        pl.when(pl.col("year") == y).then(pl.col("value")).max().alias(vcol(y)) for y in years
    ]
    wide = lf.group_by(KEYS).agg(aggs)
    counted = pl.sum_horizontal([pl.col(vcol(y)).is_not_null().cast(pl.Int32) for y in years])
    return wide.with_columns(_dups=pl.col("_rows") != counted).collect()


def check_duplicates(wide: pl.DataFrame) -> None:
    bad = wide.filter(pl.col("_dups"))
    if not bad.is_empty():
        r = bad.row(0, named=True)
        raise DuplicateObservationError(
            f"observations: {r['indicator_code']} / {r['area_code']} / {r['breakdown']} "
            f"同一年份有多个值 (duplicate values for one year); 共 {bad.height} 个序列"
        )


def sense_sign() -> pl.Expr:
    """+1 if higher is better for this comparator, −1 if lower, 0 if the value must hold
    at a level ("~", or "=" / "maintain" with better = hold)."""
    c, b = pl.col("comparator"), pl.col("better")
    return (
        pl.when(c.is_in([">=", ">"]))
        .then(pl.lit(1, dtype=pl.Int8))
        .when(c.is_in(["<=", "<"]))
        .then(pl.lit(-1, dtype=pl.Int8))
        .when(c == "~")
        .then(pl.lit(0, dtype=pl.Int8))
        .when(b == "higher")
        .then(pl.lit(1, dtype=pl.Int8))
        .when(b == "lower")
        .then(pl.lit(-1, dtype=pl.Int8))
        .otherwise(pl.lit(0, dtype=pl.Int8))
    )


SCALE = pl.col("_p10")
"""10^decimals of each row, a column of the engine's frame (``series_facts``)."""

TARGET_UNITS = pl.col("_t_u")
"""The target in units of its last printed digit, a column of the engine's frame."""


def meets(v: pl.Expr, cfg: AssessConfig) -> pl.Expr:
    """Whether value ``v``, rounded to the indicator's printed precision, satisfies the
    row's quantitative target (over the engine's frame: see ``meets_units``)."""
    return meets_units(units(v, SCALE), cfg)


def meets_units(v_u: pl.Expr, cfg: AssessConfig) -> pl.Expr:
    """Whether a value already in units of the last printed digit meets the target.

    Compared as integers (``precision.units``): exactly on target meets 不低于/不高于 and
    misses 高于/低于, which need one unit more. Needs ``_sgn`` (``sense_sign``),
    ``_strict`` (comparator > or <) and ``_t_u``; "=" and "maintain" mean "at least" /
    "at most" when a better direction is known, a band of ±``approx_tolerance_rel``
    (borders included) when none is.
    """
    t_u, sgn = TARGET_UNITS, pl.col("_sgn")
    d = (v_u - t_u) * sgn
    return (
        pl.when(sgn == 0)
        .then(within((v_u - t_u).abs(), cfg.approx_tolerance_rel * t_u.abs()))
        .when(pl.col("_strict"))
        .then(d > 0)
        .otherwise(d >= 0)
    )


def shortfall_units(v: pl.Expr, cfg: AssessConfig) -> pl.Expr:
    """Distance still to go in units of the last printed digit, positive when short of
    the target (hold at a level: distance outside the band). A strict comparator needs
    one unit beyond the target, so 85 against 高于85% is one unit short, not zero."""
    t_u, sgn = TARGET_UNITS, pl.col("_sgn")
    v_u = units(v, SCALE)
    return (
        pl.when(sgn == 0)
        .then((v_u - t_u).abs() - cfg.approx_tolerance_rel * t_u.abs())
        .otherwise((t_u - v_u) * sgn + pl.col("_strict").cast(pl.Float64))
    )


def year_list(flags: dict[int, pl.Expr]) -> pl.Expr:
    """The years whose flag is true, as list[i32].

    Built through a joined string and a split: ``concat_list`` of conditional literals is
    an order of magnitude slower in Polars for millions of rows.
    """
    any_flag = pl.any_horizontal([f.fill_null(False) for f in flags.values()])
    joined = pl.concat_str(
        [pl.when(f).then(pl.lit(str(y))) for y, f in flags.items()],
        separator=",",
        ignore_nulls=True,
    )
    return (
        pl.when(any_flag)
        .then(joined)
        .str.split(",")
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
        .cast(pl.List(pl.Int32))
    )


def with_horizontal_median(df: pl.DataFrame, columns: list[pl.Expr], name: str) -> pl.DataFrame:
    """Add the row-wise median of a few nullable columns, without building lists.

    The columns are sorted row-wise by a sorting network (compare-exchange = min/max of
    two columns, nulls placed last as +inf), then the middle of the non-null values is
    picked. For the handful of year columns this is a few dozen vectorised operations,
    far cheaper than ``concat_list(...).list.median()`` over millions of rows. Each
    round is materialised so that the expression tree does not double per round.
    """
    k = len(columns)
    tmp = [f"_srt{i}" for i in range(k)]
    df = df.with_columns(
        [pl.sum_horizontal([c.is_not_null().cast(pl.Int32) for c in columns]).alias("_srtn")]
        + [c.fill_null(float("inf")).alias(t) for c, t in zip(columns, tmp, strict=True)]
    )
    for i in range(k):  # odd-even transposition sort: k rounds of neighbour exchanges
        pairs = range(i % 2, k - 1, 2)
        if not pairs:
            continue
        exprs = []
        for j in pairs:
            a, b = pl.col(tmp[j]), pl.col(tmp[j + 1])
            exprs += [pl.min_horizontal(a, b).alias(tmp[j]), pl.max_horizontal(a, b).alias(tmp[j + 1])]
        df = df.with_columns(exprs)
    n = pl.col("_srtn")
    picks = []
    for m in range(1, k + 1):  # m non-null values: the middle one, or the mean of two
        lo, hi = pl.col(tmp[(m - 1) // 2]), pl.col(tmp[m // 2])
        picks.append(pl.when(n == m).then(lo if m % 2 == 1 else (lo + hi) / 2))
    median = pl.coalesce([*picks, pl.lit(None, dtype=pl.Float64)])
    return df.with_columns(median.alias(name)).drop([*tmp, "_srtn"])


def _residual_col(year: int) -> str:
    return f"_e{year}"


def _hold_col(year: int) -> str:
    return f"_hold{year}"


def _window_col(year: int) -> str:
    return f"_w{year}"


def _units_col(year: int) -> str:
    return f"_u{year}"


def _coalesce_at(year_col: str, years: list[int]) -> pl.Expr:
    return pl.coalesce(
        [pl.when(pl.col(year_col) == y).then(pl.col(vcol(y))) for y in years]
        + [pl.lit(None, dtype=pl.Float64)]
    )


def join_targets(wide: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """One row per target × breakdown, in the targets' order, breakdowns alphabetical.

    A target without any observation still gets a row (breakdown "total") so that it is
    reported as 数据不足 instead of disappearing from the assessment.
    """
    # Each target's rows differ in breakdown, so an unstable sort is enough to order them.
    right = wide.drop("_rows", "_dups").sort("breakdown")
    joined = targets.join(
        right, on=["indicator_code", "area_code"], how="left", maintain_order="left_right"
    )
    return joined.with_columns(breakdown=pl.col("breakdown").fill_null(TOTAL))


def series_facts(
    joined: pl.DataFrame, years: list[int], as_of: int, cfg: AssessConfig
) -> pl.DataFrame:
    """Add the method-independent facts to (a slice of) ``join_targets``'s frame.

    Each stage is evaluated eagerly: fused into one lazy plan, Polars re-inlines the
    intermediate columns into later expressions and the work multiplies.
    """
    has = {y: pl.col(vcol(y)).is_not_null() for y in years}
    lit_y = {y: pl.lit(y, dtype=pl.Int32) for y in years}
    none_i = pl.lit(None, dtype=pl.Int32)
    lf = joined.with_columns(
        _sgn=sense_sign(),
        _strict=pl.col("comparator").is_in([">", "<"]).fill_null(False),
        _p10=printed_scale(),
        _t_u=units(pl.col("target_value")),
        latest_year=pl.max_horizontal([pl.when(has[y]).then(lit_y[y]) for y in years] + [none_i]),
    )
    ly = pl.col("latest_year")
    # Per-year intermediates as columns of their own: Polars plans an expression as a tree,
    # so a sub-expression read in many places is planned once per place. Inline, the window
    # flags (six readers) and the printed units (``meets`` reads them three times,
    # ``year_list`` each flag twice) made this function's planning cost 9 ms per call,
    # for the demo's 400 rows as for a slice of 262,144.
    lf = lf.with_columns(
        [
            (has[y] & (lit_y[y] >= ly - cfg.trend_window_years) & (lit_y[y] <= ly)).alias(
                _window_col(y)
            )
            for y in years
        ]
        + [units(pl.col(vcol(y)), SCALE).alias(_units_col(y)) for y in years]
    )
    win = {y: pl.col(_window_col(y)) for y in years}
    quant_hold = (pl.col("kind") == "quantitative") & pl.col("must_hold")
    lf = lf.with_columns(
        latest_value=_coalesce_at("latest_year", years),
        n_years=pl.sum_horizontal([has[y].cast(pl.Int32) for y in years]),
        n_window=pl.sum_horizontal([win[y].cast(pl.Int32) for y in years]),
        _first_year=pl.min_horizontal([pl.when(win[y]).then(lit_y[y]) for y in years] + [none_i]),
        baseline_year_used=pl.min_horizontal(
            [
                pl.when(has[y] & (lit_y[y] >= pl.col("baseline_year")) & (lit_y[y] <= ly)).then(
                    lit_y[y]
                )
                for y in years
            ]
            + [none_i]
        ),
        # Least-squares sums over the window; x is centred on the latest year for precision.
        _sx=pl.sum_horizontal([pl.when(win[y]).then(lit_y[y] - ly) for y in years]).cast(
            pl.Float64
        ),
        _sxx=pl.sum_horizontal(
            [pl.when(win[y]).then((lit_y[y] - ly) * (lit_y[y] - ly)) for y in years]
        ).cast(pl.Float64),
        _sy=pl.sum_horizontal([pl.when(win[y]).then(pl.col(vcol(y))) for y in years]),
        _sxy=pl.sum_horizontal(
            [pl.when(win[y]).then((lit_y[y] - ly) * pl.col(vcol(y))) for y in years]
        ),
        years_left=pl.max_horizontal(pl.col("target_year") - ly, pl.lit(0, dtype=pl.Int32)),
        **{
            _hold_col(y): quant_hold
            & has[y]
            & (lit_y[y] > pl.col("baseline_year"))
            & (lit_y[y] <= as_of)
            & ~meets_units(pl.col(_units_col(y)), cfg)
            for y in years
        },
    )
    n = pl.col("n_window").cast(pl.Float64)
    denom = n * pl.col("_sxx") - pl.col("_sx") ** 2
    lf = lf.with_columns(
        _first_value=_coalesce_at("_first_year", years),
        baseline_value=_coalesce_at("baseline_year_used", years),
        _slope=pl.when(denom > 0).then((n * pl.col("_sxy") - pl.col("_sx") * pl.col("_sy")) / denom),
        _mean=pl.col("_sy") / n,
    )
    lf = lf.with_columns(
        annual_change=pl.when(ly > pl.col("_first_year")).then(pl.col("_slope")),
        _intercept=(pl.col("_sy") - pl.col("_slope") * pl.col("_sx")) / n,
    )
    res = {
        y: pl.when(win[y]).then(
            pl.col(vcol(y)) - (pl.col("_intercept") + pl.col("_slope") * (lit_y[y] - ly))
        )
        for y in years
    }
    lf = lf.with_columns([res[y].alias(_residual_col(y)) for y in years])
    e = {y: pl.col(_residual_col(y)) for y in years}
    ssr = pl.sum_horizontal([e[y] ** 2 for y in years])
    s_res = (ssr / (n - 2)).sqrt()
    scale = pl.max_horizontal(
        pl.col("_slope").abs(), cfg.volatility_level_floor_rel * pl.col("_mean").abs()
    )
    lf = lf.with_columns(
        residual_sd=pl.when(n >= cfg.min_volatility_points).then(s_res),
        _scale=scale,
    )
    lf = with_horizontal_median(lf, [e[y] for y in years], "_emed")
    lf = with_horizontal_median(lf, [(e[y] - pl.col("_emed")).abs() for y in years], "_mad")
    lf = lf.with_columns(
        volatility=pl.when(pl.col("residual_sd").is_not_null() & (pl.col("_scale") > 0)).then(
            pl.col("residual_sd") / pl.col("_scale")
        ),
        _meanad=pl.mean_horizontal([(e[y] - pl.col("_emed")).abs() for y in years]),
    )
    spread = (
        pl.when(pl.col("_mad") > _EPS * pl.max_horizontal(pl.col("_mean").abs(), pl.lit(1.0)))
        .then(pl.col("_mad") / 0.6745)
        .when(pl.col("_meanad") > _EPS * pl.max_horizontal(pl.col("_mean").abs(), pl.lit(1.0)))
        .then(pl.col("_meanad") * 1.253314)
    )
    # A floor under the spread: when the other years sit on the trend line up to rounding, the
    # MAD is almost 0 and a deviation of one printed digit gets a z-score in the hundreds. The
    # spread is taken as at least outlier_floor_rel of the level and one unit of the printed
    # precision, so only a deviation that matters at the indicator's own scale is an outlier.
    floor = pl.max_horizontal(cfg.outlier_floor_rel * pl.col("_mean").abs(), 1.0 / SCALE)
    lf = lf.with_columns(_spread=pl.when(spread.is_null()).then(None).otherwise(pl.max_horizontal(spread, floor)))
    z = {y: (e[y] - pl.col("_emed")) / pl.col("_spread") for y in years}
    outlier_ok = n >= cfg.min_outlier_points
    lf = lf.with_columns(
        volatile=(pl.col("volatility") >= cfg.volatility_threshold).fill_null(False),
        outlier_years=year_list({y: outlier_ok & (z[y].abs() >= cfg.outlier_z) for y in years}),
        outlier_z=pl.when(outlier_ok).then(
            pl.max_horizontal([z[y].abs() for y in years])
        ),
        hold_violations=year_list({y: pl.col(_hold_col(y)) for y in years}),
    )
    return lf.drop(
        [f(y) for f in (_residual_col, _hold_col, _units_col, _window_col) for y in years]
    )
