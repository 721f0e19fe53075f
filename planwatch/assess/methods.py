"""The three trend judgements, each from its published formula, as Polars expressions.

Every method adds the same columns to the series frame built by ``series.series_facts``:
``projection`` (value expected in the target year, clamped to the natural limits),
``progress_ratio`` (the method's own score), ``growth_rate`` (relative change per year),
``method_category`` (the method's own word) and ``_trend_ok`` (the method can judge).
The shared level rules (已实现, 基本实现) and the mapping onto the six statuses live in
``planwatch.assess.engine``; the mapping is documented in ``planwatch.assess.status``.

default — after the German Sustainable Development Strategy (DNS) "weather":
    a = average annual change over the trend window. DNS computes it from the two end
    values of the last five years; planwatch uses the least-squares slope over every
    approved year of the same window (``series``), which equals DNS's figure for two
    years or values on a line and does not let one unusual end year decide the trend.
    With two years the projection is still made and the reason labels it;
    projection = latest + a × (target year − latest year);
    ratio = (projection − latest) ÷ (target − latest), the share of the remaining
    distance the trend covers by the target year (1 − DNS's relative miss).
    a pointing away from the target → storm; ratio ≥ 0.95 → sun; ≥ 0.80 → light_cloud;
    otherwise cloud.

All methods: ratios are compared with their thresholds at ``precision.RATIO_DECIMALS``
places, and a projection that meets the target at the printed precision is on track
whatever the ratio, so that the sentence "可达到目标" never sits beside 预计达标困难.

un — UN SDG Progress Chart 2023 technical note:
    CAGR = (x_t ÷ x_b)^(1/(t − b)) − 1 between the baseline b and the latest year t;
    projection = x_t × (1 + CAGR)^(T − t);
    ratio = (projection − x_b) ÷ (target − x_b), projected over required progress.
    ≥ 0.95 on_track; 0.10–0.95 fair (acceleration needed); < 0.10 stagnation or
    regression, split by planwatch at 0 (moving away = regression). A target of 0 % or
    100 % counts as met within 1 point (engine). Values must be positive (a CAGR of
    negative values is undefined); zero baseline or latest values are replaced by 0.001
    (the note gives no rule; this is sdg-build's substitution, applied to both ends).

opensdg — sdg-build ``ProgressMeasure`` (Statistics Canada method):
    CAGR_o = (x_t ÷ x_b)^(1/(t − b)) − 1, CAGR_r = (target ÷ x_b)^(1/(T − b)) − 1;
    ratio = sign(x_b) × direction × CAGR_o ÷ |CAGR_r| (direction +1 if higher is better);
    ≥ 0.95 substantial; 0.60–0.95 moderate; 0–0.60 limited; < 0 deterioration.
    A zero baseline or target is replaced by 0.001, as in sdg-build; baseline and latest
    of opposite signs cannot be judged. Departures from sdg-build, on purpose (the
    reports print them, ``status.METHOD_NOTES``; tests pin them):
    a zero latest value is replaced by 0.001 too, so a series stuck at 0 is limited
    progress (预计达标困难), not sdg-build's −100 % a year (deterioration); when the target
    equals the baseline (CAGR_r = 0) sdg-build divides by zero, planwatch judges
    deterioration, as the target was held at the baseline and is no longer met; the
    target test is made at the printed precision with strict comparators kept strict,
    and 基本实现 comes first. A single year meeting the target is 已实现, as in sdg-build.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from planwatch.assess.config import AssessConfig
from planwatch.assess.precision import RATIO_DECIMALS, reaches
from planwatch.assess.series import meets

_EPS = 1e-12


def clamp(x: pl.Expr) -> pl.Expr:
    """Keep a projection within the indicator's natural limits (a rate stays in 0–100 %)."""
    lo, hi = pl.col("lower_limit"), pl.col("upper_limit")
    x = pl.when(lo.is_not_null() & (x < lo)).then(lo).otherwise(x)
    return pl.when(hi.is_not_null() & (x > hi)).then(hi).otherwise(x)


def _relative_linear_change() -> pl.Expr:
    """Average annual change ÷ |first value of the window|; from 0 any change counts fully."""
    a, first = pl.col("annual_change"), pl.col("_first_value")
    return pl.when(first.abs() > _EPS).then(a / first.abs()).otherwise(a.sign())


def _away(a: pl.Expr, cfg: AssessConfig) -> pl.Expr:
    """The trend points away from the target: a × direction < −deadband × |latest|.

    Compared relative to the level at ``RATIO_DECIMALS`` + 3 places, so that a series
    that never moved (a least-squares slope of ±1e-17) is flat, not moving away.
    """
    latest = pl.col("latest_value")
    level = pl.max_horizontal(latest.abs(), pl.lit(1.0))
    rel = (a * pl.col("_s_eff") + cfg.reverse_deadband_rel * latest.abs()) / level
    return rel.round(RATIO_DECIMALS + 3) < 0


Stages = list[list[pl.Expr]]
"""A method's columns in the order they can be computed: each inner list is one
``with_columns``, whose expressions may read the columns of the lists before it."""


def default_method(cfg: AssessConfig) -> Stages:
    a, latest, t = pl.col("annual_change"), pl.col("latest_value"), pl.col("target_value")
    trend_ok = (pl.col("n_window") >= cfg.min_trend_points) & a.is_not_null()
    proj = pl.col("_proj")
    ratio = pl.when((t - latest).abs() > _EPS).then((proj - latest) / (t - latest))
    ok = pl.col("_trend_ok")
    category = (
        pl.when(~ok)
        .then(pl.lit(None, dtype=pl.String))
        .when(_away(a, cfg))
        .then(pl.lit("storm"))
        .when(reaches(ratio, cfg.default_on_track_ratio) | meets(proj, cfg))
        .then(pl.lit("sun"))
        .when(reaches(ratio, cfg.default_light_cloud_ratio))
        .then(pl.lit("light_cloud"))
        .otherwise(pl.lit("cloud"))
    )
    return [
        [clamp(latest + a * pl.col("years_left")).alias("_proj"), trend_ok.alias("_trend_ok")],
        [
            pl.when(ok).then(proj).alias("projection"),
            pl.when(ok).then(ratio).alias("progress_ratio"),
            pl.when(ok).then(_relative_linear_change()).alias("growth_rate"),
            category.alias("method_category"),
            pl.lit(None, dtype=pl.Float64).alias("_required_rate"),
        ],
    ]


def _span() -> pl.Expr:
    return (pl.col("latest_year") - pl.col("baseline_year_used")).cast(pl.Float64)


def _base(cfg: AssessConfig) -> pl.Expr:
    x0 = pl.col("baseline_value")
    return pl.when(x0 == 0).then(pl.lit(cfg.zero_substitute)).otherwise(x0)


def _projected(latest: pl.Expr) -> pl.Expr:
    """latest × (1 + CAGR)^(years left), clamped; reads the ``_cagr`` column."""
    return clamp(latest * (1.0 + pl.col("_cagr")).pow(pl.col("years_left").cast(pl.Float64)))


def un_method(cfg: AssessConfig) -> Stages:
    x0, t = _base(cfg), pl.col("target_value")
    # Both ends of the CAGR go through the same zero substitution, so a series that stays
    # at 0 shows no growth (stagnation) instead of a −100 % rate.
    latest = pl.col("latest_value")
    latest = pl.when(latest == 0).then(pl.lit(cfg.zero_substitute)).otherwise(latest)
    span = _span()
    valid, proj = pl.col("_valid"), pl.col("_proj")
    required = t - x0
    ratio = pl.when(required.abs() > _EPS).then((proj - x0) / required)
    category = (
        pl.when(~valid)
        .then(pl.lit(None, dtype=pl.String))
        .when(ratio.is_null())
        .then(pl.lit("regression"))
        .when(reaches(ratio, cfg.un_on_track_ratio) | meets(proj, cfg))
        .then(pl.lit("on_track"))
        .when(reaches(ratio, cfg.un_fair_ratio))
        .then(pl.lit("fair"))
        .when(reaches(ratio, 0.0))
        .then(pl.lit("stagnation"))
        .otherwise(pl.lit("regression"))
    )
    return [
        [
            ((span >= 1) & (x0 > 0) & (latest >= 0)).alias("_valid"),
            ((latest / x0).pow(1.0 / span) - 1.0).alias("_cagr"),
        ],
        [_projected(latest).alias("_proj")],
        [
            pl.when(valid).then(proj).alias("projection"),
            pl.when(valid).then(ratio).alias("progress_ratio"),
            pl.when(valid).then(pl.col("_cagr")).alias("growth_rate"),
            category.alias("method_category"),
            valid.fill_null(False).alias("_trend_ok"),
            pl.lit(None, dtype=pl.Float64).alias("_required_rate"),
        ],
    ]


def opensdg_method(cfg: AssessConfig) -> Stages:
    x0, latest = _base(cfg), pl.col("latest_value")
    # Unlike sdg-build, the latest value goes through the same zero substitution as the
    # baseline: a series stuck at 0 then has no growth (limited progress, 预计达标困难)
    # instead of sdg-build's (0 ÷ 0.001) − 1 = −100 % a year (deterioration).
    latest = pl.when(latest == 0).then(pl.lit(cfg.zero_substitute)).otherwise(latest)
    t = pl.col("target_value")
    t = pl.when(t == 0).then(pl.lit(cfg.zero_substitute)).otherwise(t)
    span = _span()
    req_span = (pl.col("target_year") - pl.col("baseline_year_used")).cast(pl.Float64)
    same_sign = ~(((x0 > 0) & (latest < 0)) | ((x0 < 0) & (latest > 0)))
    valid, proj = pl.col("_valid"), pl.col("_proj")
    cagr_o, cagr_r = pl.col("_cagr"), pl.col("_cagr_r")
    sign = pl.when(x0 < 0).then(pl.lit(-1.0)).otherwise(pl.lit(1.0))
    direction = pl.col("_s_eff").cast(pl.Float64)
    ratio = pl.when(cagr_r.abs() > _EPS).then(sign * direction * cagr_o / cagr_r.abs())
    category = (
        pl.when(~valid)
        .then(pl.lit(None, dtype=pl.String))
        .when(ratio.is_null())
        .then(pl.lit("deterioration"))
        .when(reaches(ratio, cfg.opensdg_high) | meets(proj, cfg))
        .then(pl.lit("substantial"))
        .when(reaches(ratio, cfg.opensdg_med))
        .then(pl.lit("moderate"))
        .when(reaches(ratio, cfg.opensdg_low))
        .then(pl.lit("limited"))
        .otherwise(pl.lit("deterioration"))
    )
    return [
        [
            ((span >= 1) & (req_span >= 1) & same_sign & (t / x0 > 0)).alias("_valid"),
            ((latest / x0).pow(1.0 / span) - 1.0).alias("_cagr"),
            ((t / x0).pow(1.0 / req_span) - 1.0).alias("_cagr_r"),
        ],
        [_projected(latest).alias("_proj")],
        [
            pl.when(valid).then(proj).alias("projection"),
            pl.when(valid).then(ratio).alias("progress_ratio"),
            pl.when(valid).then(cagr_o).alias("growth_rate"),
            category.alias("method_category"),
            valid.fill_null(False).alias("_trend_ok"),
            pl.when(valid).then(cagr_r).alias("_required_rate"),
        ],
    ]


ON_TRACK_CATEGORIES = ["sun", "on_track", "substantial"]
REGRESSING_CATEGORIES = ["storm", "regression", "deterioration"]

METHOD_EXPRS: dict[str, Callable[[AssessConfig], Stages]] = {
    "default": default_method, "un": un_method, "opensdg": opensdg_method
}
"""Each method's stages. Staged rather than one expression per column: the category reads
the projection about eight times (twice through the ratio, six through ``meets``) and
Polars plans an expression as a tree, so one fused expression of ``un`` cost some 10 ms
to plan on every call, for 400 rows as for a million."""
