"""``assess``: every target × area × breakdown judged as of one year, with its reasons.

The status is a pure function of (observations, targets, as-of year, method, config):
nothing here reads the clock or the database, and figures after the as-of year are
ignored, so an assessment can be reproduced years later and tests can pin the year.

Order of judgement for a quantitative target (latest = last value up to the as-of year).
Every comparison with the target is made on the values as printed — rounded to the
indicator's ``decimals`` — and every ratio at a stated precision (``precision``), so the
sentence beside a verdict never shows a number that contradicts it. The definitions are
``status.STATUS_DEFINITIONS``; the reports print them.

1. no value at all → 数据不足;
2. latest meets the target (comparator; ``un`` also: within 1 point of a 0 %/100 %
   target) → 已实现;
3. short by no more than ``basic_tolerance_rel`` of the target (borders included) →
   基本实现;
4. the method cannot judge a trend (too few years, invalid values) → 数据不足;
5. the method's category (see ``methods``) → 预计可实现 / 预计达标困难 / 逆向变化; once the
   target year has come, a missed target is 预计达标困难 (or 逆向变化), never on track.

Targets that must hold every year (``must_hold``) also list the years they were broken
(``hold_violations``, from the year after the baseline), and any met target whose trend
projects a failure by the target year carries the warning 预计达标困难 while its status
stays 已实现 — it holds today, and the warning says it is threatened.
"""

from __future__ import annotations

import functools

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig
from planwatch.assess.directional import direction_rate, direction_sign, directional_status
from planwatch.assess.frames import FrameLike, observations_frame, targets_frame
from planwatch.assess.methods import METHOD_EXPRS, ON_TRACK_CATEGORIES, REGRESSING_CATEGORIES
from planwatch.assess.precision import units, within
from planwatch.assess.reasons import evaluate_branches, reason_branches, warnings_list
from planwatch.assess.series import (
    SCALE,
    TARGET_UNITS,
    check_duplicates,
    join_targets,
    meets,
    meets_units,
    series_facts,
    shortfall_units,
    wide_series,
)

RESULT_COLUMNS: list[str] = [
    "target_id",
    "indicator_code",
    "indicator_name",
    "area_code",
    "breakdown",
    "plan",
    "domain",
    "lead_unit",
    "kind",
    "comparator",
    "direction",
    "unit",
    "decimals",
    "must_hold",
    "baseline_year",
    "baseline_year_used",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target_value",
    "target_rule",
    "target_year",
    "gap",
    "annual_change",
    "growth_rate",
    "projection",
    "projection_method",
    "progress_ratio",
    "method",
    "method_category",
    "status",
    "hold_violations",
    "threatened",
    "volatile",
    "volatility",
    "residual_sd",
    "outlier_years",
    "outlier_z",
    "warnings",
    "reason",
    "n_years",
    "n_window",
]
"""Columns of ``assess``'s result, in order. ``gap`` is the distance still to go, signed in
the better direction (positive = short of the target, ≤ 0 = met or passed; for targets to
hold at a level, the distance from that level)."""

_EPS = 1e-9
_SLICE_ROWS = 262_144


def _projection_label(method: str, cfg: AssessConfig) -> str:
    if method == "default":
        return f"近{cfg.trend_window_years}年年均变化线性外推（德国可持续发展战略方法）"
    return st.METHOD_LABELS[method]


def _years_used(observations: pl.DataFrame, targets: pl.DataFrame, as_of: int, cfg: AssessConfig) -> list[int]:
    """The year columns needed: back to the earliest baseline and two trend windows."""
    earliest_base = targets.get_column("baseline_year").min()
    lower = as_of - 2 * cfg.trend_window_years
    if isinstance(earliest_base, int):
        lower = min(lower, earliest_base)
    # On the Series: a lazy query costs 0.5 ms to plan and dispatch, for 400 rows too.
    year = observations.get_column("year")
    yrs = year.filter(year.is_between(lower, as_of)).unique().sort().to_list()
    # With no figures at all, one (empty) year column keeps every expression well-formed.
    return [int(y) for y in yrs] or [as_of]


def assess(
    observations: FrameLike,
    targets: FrameLike,
    year: int,
    method: str = "default",
    config: AssessConfig | None = None,
    *,
    validate: bool = True,
) -> pl.DataFrame:
    """Judge every target as of ``year``; one row per target × breakdown (RESULT_COLUMNS).

    ``validate=False`` skips the schema checks of ``observations`` for callers that built
    the frame with ``observations_frame`` already (a second full scan of 13 million rows
    costs seconds); duplicates are still refused.
    """
    if method not in st.METHODS:
        raise ValueError(f"未知的评估方法 unknown method {method!r}; 可选 {', '.join(st.METHODS)}")
    cfg = config or AssessConfig()
    if validate or not isinstance(observations, pl.DataFrame):
        obs = observations_frame(observations, check_duplicates=False)
    else:
        obs = observations
    tg = targets_frame(targets)
    years = _years_used(obs, tg, year, cfg)
    wide = wide_series(obs, years)
    check_duplicates(wide)
    joined = join_targets(wide, tg)
    del wide
    # Slices keep the peak memory of the many intermediate columns to one slice's worth.
    parts = [
        _assess_slice(joined.slice(start, _SLICE_ROWS), years, year, method, cfg)
        for start in range(0, max(joined.height, 1), _SLICE_ROWS)
    ]
    return pl.concat(parts, rechunk=False)


@functools.lru_cache(maxsize=64)
def _reason_branches(method: str, year: int, cfg: AssessConfig) -> list[tuple[pl.Expr, pl.Expr]]:
    """``reason_branches`` over the engine's frame, built once per method, year and config:
    the sentences are some 700 Polars calls, 1.6 ms, and the same on every call. Expressions
    are immutable, so sharing them between calls is safe."""
    return reason_branches(method, year, cfg, pl.col("_proj_meets"))


def _assess_slice(
    joined: pl.DataFrame, years: list[int], year: int, method: str, cfg: AssessConfig
) -> pl.DataFrame:
    lf = series_facts(joined, years, year, cfg)
    t, latest = pl.col("target_value"), pl.col("latest_value")
    dir_rate, dir_ok = direction_rate(method, cfg)
    # The columns that read only the series facts, in one stage (each stage is a query).
    lf = lf.with_columns(
        _s_eff=pl.when((t - latest).abs() > _EPS)
        .then((t - latest).sign().cast(pl.Int32))
        .otherwise(pl.col("_sgn").cast(pl.Int32)),
        _dir_rate=dir_rate,
        _dir_ok=dir_ok,
        _dir_s=direction_sign(),
        # The latest value in units of the last printed digit, computed once.
        _l_u=units(latest, SCALE),
    )
    for stage in METHOD_EXPRS[method](cfg):
        lf = lf.with_columns(stage)

    quant = pl.col("kind") == "quantitative"
    at_bound = (t == pl.col("lower_limit")) | (t == pl.col("upper_limit"))
    lat_u, t_u = pl.col("_l_u"), TARGET_UNITS
    plain_met = meets_units(lat_u, cfg)
    un_near = pl.lit(False) if method != "un" else (
        ~plain_met
        & (pl.col("unit") == "%")
        & at_bound.fill_null(False)
        & within((lat_u - t_u).abs(), cfg.un_near_bound_points * SCALE)
    )
    met = plain_met | un_near
    basic = ~pl.col("_met") & within(
        shortfall_units(latest, cfg), cfg.basic_tolerance_rel * t_u.abs()
    )
    cat = pl.col("method_category")
    # Statuses as small integer codes first (index into STATUSES): a when/then chain of
    # string literals copies strings for every branch over millions of rows.
    code = {name: pl.lit(i, dtype=pl.Int8) for i, name in enumerate(st.STATUSES)}
    quant_status = (
        pl.when(latest.is_null() | t.is_null())  # t: a relative target without its base figure
        .then(code[st.INSUFFICIENT])
        .when(pl.col("_met"))
        .then(code[st.ACHIEVED])
        .when(pl.col("_basic"))
        .then(code[st.BASICALLY_ACHIEVED])
        .when(~pl.col("_trend_ok"))
        .then(code[st.INSUFFICIENT])
        # The target year has come and the target is missed: no trend can still reach it.
        .when((pl.col("years_left") == 0) & ~cat.is_in(REGRESSING_CATEGORIES))
        .then(code[st.AT_RISK])
        .when(cat.is_in(ON_TRACK_CATEGORIES))
        .then(code[st.ON_TRACK])
        .when(cat.is_in(REGRESSING_CATEGORIES))
        .then(code[st.REGRESSING])
        .otherwise(code[st.AT_RISK])
    )
    dir_status, dir_category = directional_status(cfg)
    sgn = pl.col("_sgn")
    # The gap as printed: both ends rounded to the indicator's decimals first.
    gap = pl.when(sgn == 0).then((lat_u - t_u).abs()).otherwise((t_u - lat_u) * sgn) / SCALE
    lf = lf.with_columns(
        _met=met.fill_null(False), _un_near=un_near.fill_null(False), gap=pl.when(quant).then(gap),
        _proj_meets=meets(pl.col("projection"), cfg).fill_null(False),
    )
    lf = lf.with_columns(_basic=basic.fill_null(False))
    lf = lf.with_columns(
        _status=pl.when(quant).then(quant_status).otherwise(dir_status),
        method_category=pl.when(quant & pl.col("_met"))
        .then(pl.lit("target_met"))
        .when(quant & pl.col("_basic"))
        .then(pl.lit("within_tolerance"))
        .when(quant)
        .then(cat)
        .otherwise(dir_category),
    )
    lf = lf.with_columns(
        status=pl.col("_status").replace_strict(
            list(range(len(st.STATUSES))), list(st.STATUSES), return_dtype=pl.String
        )
    )
    proj_meets = pl.col("_proj_meets")
    lf = lf.with_columns(
        threatened=(
            quant
            & pl.col("status").is_in([st.ACHIEVED, st.BASICALLY_ACHIEVED])
            & pl.col("_trend_ok")
            & (pl.col("latest_year") < pl.col("target_year"))
            & pl.col("projection").is_not_null()
            & ~proj_meets
        ).fill_null(False),
    )
    lf = lf.with_columns(evaluate_branches(lf, _reason_branches(method, year, cfg)).alias("reason"))
    lf = lf.with_columns(warnings_list(year))
    lf = lf.with_columns(
        growth_rate=pl.when(quant).then(pl.col("growth_rate")).otherwise(pl.col("_dir_rate")),
        projection=pl.when(quant).then(pl.col("projection")),
        progress_ratio=pl.when(quant).then(pl.col("progress_ratio")),
        projection_method=pl.when(quant & pl.col("projection").is_not_null()).then(
            pl.lit(_projection_label(method, cfg))
        ),
        method=pl.lit(method),
    )
    # Deterministic order: the targets' order, then breakdowns alphabetically.
    return lf.select(RESULT_COLUMNS)
