"""One Chinese sentence with the numbers behind every verdict and every warning.

A lead unit accepts a verdict it can check, so each reason names the years, the change
per year, the projected value and the target — e.g.
"按2020—2023年平均每年提高0.8个百分点推算，2025年约为83.1%，低于目标85%". The sentences are
built with Polars string expressions, for all series at once.
"""

from __future__ import annotations

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig

_DASH = "—"


def fmt(x: pl.Expr, decimals: int = 2) -> pl.Expr:
    """A number as people write it: rounded, without trailing zeros (85, 83.1, 0.25)."""
    s = x.round(decimals).cast(pl.String)
    # Strip trailing zeros of plain decimals only ("1.5e+20" must keep its exponent);
    # literal stripping instead of regexes: this runs on millions of rows.
    plain = s.str.contains(".", literal=True) & ~s.str.contains("e", literal=True)
    s = pl.when(plain).then(s.str.strip_chars_end("0").str.strip_chars_end(".")).otherwise(s)
    return pl.when(s == "-0").then(pl.lit("0")).otherwise(s).fill_null(_DASH)


def pct(x: pl.Expr, decimals: int = 1) -> pl.Expr:
    return pl.concat_str([fmt(x * 100, decimals), pl.lit("%")])


def with_unit(x: pl.Expr) -> pl.Expr:
    """Value followed by its unit (85%, 20/10万, 78.5岁); a ratio (比) shows bare."""
    unit = pl.when(pl.col("unit") == "比").then(pl.lit("")).otherwise(pl.col("unit"))
    return pl.concat_str([fmt(x), unit])


def _change_unit() -> pl.Expr:
    u = pl.col("unit")
    return (
        pl.when(u == "%")
        .then(pl.lit("个百分点"))
        .when(u == "‰")
        .then(pl.lit("个千分点"))
        .when(u == "比")
        .then(pl.lit(""))
        .otherwise(u)
    )


def target_phrase() -> pl.Expr:
    """不低于85%, 不高于20/10万, 95%左右, 保持在98%."""
    c = pl.col("comparator")
    word = c.replace_strict(
        {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到", "maintain": "保持在"},
        default="",
    )
    tv = with_unit(pl.col("target_value"))
    return (
        pl.when(c == "~")
        .then(pl.concat_str([tv, pl.lit("左右")]))
        .otherwise(pl.concat_str([word, tv]))
    )


def change_phrase(a: pl.Expr) -> pl.Expr:
    """平均每年提高0.8个百分点 / 平均每年下降2/10万 / 基本持平."""
    amount = pl.concat_str([fmt(a.abs()), _change_unit()])
    return (
        pl.when(a > 0)
        .then(pl.concat_str([pl.lit("平均每年提高"), amount]))
        .when(a < 0)
        .then(pl.concat_str([pl.lit("平均每年下降"), amount]))
        .otherwise(pl.lit("基本持平"))
    )


def rate_phrase(r: pl.Expr) -> pl.Expr:
    """年均增长1.2% / 年均下降3.4%."""
    return (
        pl.when(r > 0)
        .then(pl.concat_str([pl.lit("年均增长"), pct(r)]))
        .when(r < 0)
        .then(pl.concat_str([pl.lit("年均下降"), pct(r.abs())]))
        .otherwise(pl.lit("基本持平"))
    )


def _compare(v: pl.Expr, meets_v: pl.Expr) -> pl.Expr:
    tv = with_unit(pl.col("target_value"))
    return (
        pl.when(meets_v)
        .then(pl.concat_str([pl.lit("可达到目标（"), target_phrase(), pl.lit("）")]))
        .when(v < pl.col("target_value"))
        .then(pl.concat_str([pl.lit("低于目标"), tv]))
        .otherwise(pl.concat_str([pl.lit("高于目标"), tv]))
    )


def _years(col: str) -> pl.Expr:
    return pl.col(col).list.eval(pl.element().cast(pl.String)).list.join("、")


def _y(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).fill_null(_DASH)


def quantitative_reason(
    method: str, as_of: int, cfg: AssessConfig, proj_meets: pl.Expr, un_near: pl.Expr
) -> pl.Expr:
    s = pl.col("status")
    latest = pl.concat_str([_y("latest_year"), pl.lit("年为"), with_unit(pl.col("latest_value"))])
    tgt = pl.concat_str([pl.lit("目标（"), target_phrase(), pl.lit("）")])
    lit = pl.lit
    if method == "default":
        trend = pl.concat_str(
            [
                lit("按"),
                _y("_first_year"),
                lit("—"),
                _y("latest_year"),
                lit("年"),
                change_phrase(pl.col("annual_change")),
                lit("推算"),
            ]
        )
        regress = pl.concat_str(
            [
                _y("_first_year"),
                lit("—"),
                _y("latest_year"),
                lit("年"),
                change_phrase(pl.col("annual_change")),
                lit("，与"),
                tgt,
                lit("要求的方向相反，"),
                latest,
            ]
        )
        insufficient = pl.concat_str(
            [lit(f"截至{as_of}年仅有"), fmt(pl.col("n_window")), lit("个年份的数据（"), latest,
             lit("），尚未达到"), tgt, lit("，无法判断趋势")]
        )
    else:
        trend = pl.concat_str(
            [
                lit("按"),
                _y("baseline_year_used"),
                lit("—"),
                _y("latest_year"),
                lit("年"),
                rate_phrase(pl.col("growth_rate")),
                lit("推算"),
            ]
        )
        regress = pl.concat_str(
            [
                _y("baseline_year_used"),
                lit("—"),
                _y("latest_year"),
                lit("年"),
                rate_phrase(pl.col("growth_rate")),
                lit("，与"),
                tgt,
                lit("要求的方向相反，"),
                latest,
            ]
        )
        insufficient = pl.concat_str(
            [latest, lit("，尚未达到"), tgt,
             lit("；基期至最新年份不足1年或数值非正，无法计算年均复合增长率")]
        )
    projected = pl.concat_str(
        [
            trend,
            lit("，"),
            _y("target_year"),
            lit("年约为"),
            with_unit(pl.col("projection")),
            lit("，"),
            _compare(pl.col("projection"), proj_meets),
        ]
    )
    if method == "un":
        projected = pl.concat_str(
            [projected, lit("（预计进展为所需进展的"), pct(pl.col("progress_ratio")), lit("）")]
        )
    elif method == "opensdg":
        projected = pl.concat_str(
            [
                projected,
                lit("（实现目标所需年均增长率"),
                pct(pl.col("_required_rate")),
                lit("，观测与所需之比为"),
                fmt(pl.col("progress_ratio")),
                lit("）"),
            ]
        )
    overdue = pl.concat_str(
        [latest, lit("，已到目标年份"), _y("target_year"), lit("年，未达到"), tgt]
    )
    achieved = pl.concat_str([latest, lit("，已达到"), tgt])
    achieved = pl.when(un_near).then(
        pl.concat_str([achieved, lit("（与0%或100%的目标相差不超过"),
                       fmt(lit(cfg.un_near_bound_points)), lit("个百分点，按联合国方法视为实现）")])
    ).otherwise(achieved)
    basic = pl.concat_str(
        [
            latest,
            lit("，距"),
            tgt,
            lit("差"),
            with_unit(pl.col("gap")),
            lit(f"，在目标值{cfg.basic_tolerance_rel * 100:g}%的容差内"),
        ]
    )
    return (
        pl.when(pl.col("latest_value").is_null())
        .then(lit(f"截至{as_of}年没有已审核的数据，无法评估"))
        .when(s == st.ACHIEVED)
        .then(achieved)
        .when(s == st.BASICALLY_ACHIEVED)
        .then(basic)
        .when(s == st.INSUFFICIENT)
        .then(insufficient)
        .when(s == st.REGRESSING)
        .then(regress)
        .when(pl.col("years_left") == 0)
        .then(overdue)
        .otherwise(projected)
    )


_DIRECTION_WORDS = {
    "increase": "逐步提高",
    "decrease": "逐步下降",
    "maintain": "保持稳定",
    "eliminate": "基本消除",
}


def directional_reason(method: str, as_of: int) -> pl.Expr:
    lit = pl.lit
    s = pl.col("status")
    want = pl.concat_str(
        [lit("“"), pl.col("direction").replace_strict(_DIRECTION_WORDS, default=""), lit("”")]
    )
    start = "_first_year" if method == "default" else "baseline_year_used"
    judged = (
        pl.when(s.is_in([st.ACHIEVED, st.ON_TRACK]))
        .then(lit("符合"))
        .when(s == st.BASICALLY_ACHIEVED)
        .then(lit("方向符合但幅度不大，基本符合"))
        .when(s == st.AT_RISK)
        .then(lit("变化不明显，尚未体现"))
        .otherwise(lit("背离"))
    )
    trend = pl.concat_str(
        [_y(start), lit("—"), _y("latest_year"), lit("年"), rate_phrase(pl.col("_dir_rate")),
         lit("，"), judged, want, lit("的要求")]
    )
    eliminated = pl.concat_str(
        [_y("latest_year"), lit("年为"), with_unit(pl.col("latest_value")), lit("，已实现"), want]
    )
    return (
        pl.when(pl.col("latest_value").is_null())
        .then(lit(f"截至{as_of}年没有已审核的数据，无法评估"))
        .when(s == st.INSUFFICIENT)
        .then(
            pl.concat_str(
                [lit(f"截至{as_of}年仅有"), fmt(pl.col("n_window")), lit("个年份的数据，无法判断是否"),
                 want]
            )
        )
        .when((pl.col("direction") == "eliminate") & (s == st.ACHIEVED))
        .then(eliminated)
        .otherwise(trend)
    )


def warning_columns(as_of: int, cfg: AssessConfig, proj_meets: pl.Expr) -> list[pl.Expr]:
    """``warnings`` (names) and ``warning_notes`` (a sentence each), in the same order."""
    lit = pl.lit
    s = pl.col("status")
    threatened = pl.col("_threatened")
    missing = pl.col("latest_year").is_null() | (pl.col("latest_year") < as_of)
    has_outliers = pl.col("outlier_years").list.len() > 0
    not_held = pl.col("hold_violations").list.len() > 0
    threat_note = pl.concat_str(
        [
            lit("目前已达标，但按当前趋势"),
            _y("target_year"),
            lit("年约为"),
            with_unit(pl.col("projection")),
            lit("，"),
            _compare(pl.col("projection"), proj_meets),
        ]
    )
    volatile_note = pl.concat_str(
        [
            lit("近"),
            fmt(pl.col("n_window")),
            lit("年数值围绕趋势波动：残差标准差"),
            with_unit(pl.col("residual_sd")),
            lit("，为趋势年变化（或水平值的"),
            fmt(lit(cfg.volatility_level_floor_rel * 100)),
            lit("%）的"),
            fmt(pl.col("volatility")),
            lit("倍（阈值"),
            fmt(lit(cfg.volatility_threshold)),
            lit("）"),
        ]
    )
    missing_note = (
        pl.when(pl.col("latest_year").is_null())
        .then(lit(f"截至{as_of}年没有数据"))
        .otherwise(pl.concat_str([lit(f"{as_of}年无数据，最新数据为"), _y("latest_year"), lit("年")]))
    )
    outlier_note = pl.concat_str(
        [
            _years("outlier_years"),
            lit("年数值明显偏离趋势（修正z分数最大"),
            fmt(pl.col("outlier_z"), 1),
            lit("，阈值"),
            fmt(lit(cfg.outlier_z), 1),
            lit("）"),
        ]
    )
    held_note = pl.concat_str(
        [_years("hold_violations"), lit("年未达到保持目标（"), target_phrase(), lit("）")]
    )
    at_risk = (s == st.AT_RISK) | threatened
    pairs = [
        (at_risk, st.W_AT_RISK, pl.when(s == st.AT_RISK).then(pl.col("reason")).otherwise(threat_note)),
        (s == st.REGRESSING, st.W_REGRESSING, pl.col("reason")),
        (pl.col("volatile"), st.W_VOLATILE, volatile_note),
        (missing, st.W_MISSING, missing_note),
        (has_outliers, st.W_OUTLIER, outlier_note),
        (not_held, st.W_NOT_HELD, held_note),
    ]
    return [
        pl.concat_list([pl.when(c).then(lit(w)) for c, w, _ in pairs]).list.drop_nulls().alias(
            "warnings"
        ),
        pl.concat_list([pl.when(c).then(n.fill_null(_DASH)) for c, _, n in pairs])
        .list.drop_nulls()
        .alias("warning_notes"),
    ]
