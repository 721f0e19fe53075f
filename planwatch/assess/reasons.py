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
from planwatch.assess.precision import RATIO_DECIMALS, rounded, scale, units
from planwatch.assess.series import meets, shortfall_units

_DASH = "—"


def fmt(x: pl.Expr, decimals: int | None = 2) -> pl.Expr:
    """A number as people write it: rounded, without trailing zeros (85, 83.1, 0.25).

    ``decimals=None`` rounds to each row's printed precision (``decimals`` column,
    ``precision``) — the same rounding the verdict used. The shortest float
    representation already omits trailing zeros except for whole numbers ("85.0"), whose
    ".0" is cut. ``x`` appears once in the expression: the sentences nest these
    expressions, and a repeated sub-tree multiplies the work over millions of rows.
    """
    r = rounded(x) if decimals is None else x.round(decimals)
    # + 0.0 turns a rounded −0.0 into 0.0, so that "−0" is never printed.
    return (r + 0.0).cast(pl.String).str.strip_suffix(".0").fill_null(_DASH)


def pct(x: pl.Expr, decimals: int = 1) -> pl.Expr:
    return pl.concat_str([fmt(x * 100, decimals), pl.lit("%")])


def with_unit(x: pl.Expr) -> pl.Expr:
    """Value at the indicator's printed precision followed by its unit (85%, 20/10万,
    78.5岁); a ratio (比) shows bare."""
    unit = pl.when(pl.col("unit") == "比").then(pl.lit("")).otherwise(pl.col("unit"))
    return pl.concat_str([fmt(x, None), unit])


def amount(x: pl.Expr) -> pl.Expr:
    """A difference at the printed precision: 0.1个百分点, 0.5/10万, 0.02."""
    return pl.concat_str([fmt(x, None), _change_unit()])


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
    phrase = (
        pl.when(c == "~")
        .then(pl.concat_str([tv, pl.lit("左右")]))
        .otherwise(pl.concat_str([word, tv]))
    )
    # A relative target says how its bound came from the base year (frames: target_rule).
    return pl.coalesce(pl.col("target_rule"), phrase)


def change_phrase(a: pl.Expr) -> pl.Expr:
    """平均每年提高0.8个百分点 / 平均每年下降2/10万 / 平均每年提高不到0.01 / 基本持平.

    At the printed precision; a change too small to print is still named by its
    direction, so that a 逆向变化 never sits beside "基本持平".
    """
    verb = pl.when(a > 0).then(pl.lit("平均每年提高")).otherwise(pl.lit("平均每年下降"))
    small = units(a) == 0
    return (
        pl.when(a.abs() < 1e-12)
        .then(pl.lit("基本持平"))
        .otherwise(
            pl.concat_str(
                [verb, pl.when(small).then(pl.lit("不到")).otherwise(pl.lit("")),
                 amount(pl.when(small).then(1.0 / scale()).otherwise(a.abs()))]
            )
        )
    )


def rate_phrase(r: pl.Expr) -> pl.Expr:
    """年均增长1.2% / 年均下降3.4%."""
    verb = pl.when(r > 0).then(pl.lit("年均增长")).otherwise(pl.lit("年均下降"))
    return (
        pl.when((r * 100).round(2) == 0)
        .then(pl.lit("基本持平"))
        .otherwise(pl.concat_str([verb, pct(r.abs(), 2)]))
    )


def _y(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).fill_null(_DASH)


def _pieces(method: str, proj_meets: pl.Expr, cfg: AssessConfig) -> dict[str, pl.Expr]:
    """Fragments shared by the sentence variants."""
    lit = pl.lit
    c = pl.col
    start = "_first_year" if method == "default" else "baseline_year_used"
    if method == "un":
        extra = pl.concat_str([lit("（预计进展为所需进展的"), pct(c("progress_ratio")), lit("）")])
    elif method == "opensdg":
        extra = pl.concat_str(
            [
                lit("（实现目标所需年均增长率"),
                pct(c("_required_rate"), 2),
                lit("，观测与所需之比为"),
                fmt(c("progress_ratio")),
                lit("）"),
            ]
        )
    else:
        extra = lit("")
    tgt = pl.concat_str([lit("目标（"), target_phrase(), lit("）")])
    proj_u, t_u = units(c("projection")), units(c("target_value"))
    # One rounding: "可达到" only when the projection as printed meets the target; an
    # on-track trend whose projection still falls just short says so, and by how much.
    on_track = c("status") == st.ON_TRACK
    equal = proj_u == t_u
    word = (
        pl.when(proj_meets)
        .then(lit("可达到"))
        .when(on_track)
        .then(lit("接近"))
        .when(equal)
        .then(lit("与目标值持平，未达到"))
        .when(proj_u < t_u)
        .then(lit("低于目标"))
        .otherwise(lit("高于目标"))
    )
    outcome = pl.concat_str(
        [
            word,
            pl.when(proj_meets | on_track | equal).then(tgt).otherwise(with_unit(c("target_value"))),
            pl.when(~proj_meets & on_track)
            .then(pl.concat_str([lit("，差"), amount(shortfall_units(c("projection"), cfg) / scale()),
                                 _why_on_track(method, cfg)]))
            .otherwise(lit("")),
        ]
    )
    span = pl.concat_str([_y(start), lit("—"), _y("latest_year"), lit("年")])
    change = (
        change_phrase(c("annual_change")) if method == "default" else rate_phrase(c("growth_rate"))
    )
    # Fewer than three years: the projection is still made (two points give a direction
    # and a speed) but labelled, naming the two years it rests on.
    few = c("n_window") < 3
    trend = pl.concat_str(
        [
            pl.when(few)
            .then(pl.concat_str([lit("仅有"), _y(start), lit("、"), _y("latest_year"),
                                 lit("年两个年份的数据，按其")]))
            .otherwise(pl.concat_str([lit("按"), span])),
            change,
            pl.when(few).then(lit("推算（不足3个年份，仅供参考），")).otherwise(lit("推算，")),
        ]
    )
    return {
        "latest": pl.concat_str([_y("latest_year"), lit("年为"), with_unit(c("latest_value"))]),
        "tgt": tgt,
        "span": span,
        "change": change,
        "trend": trend,
        "dir_change": rate_phrase(c("_dir_rate")),
        "outcome": outcome,
        "extra": extra,
    }


def _why_on_track(method: str, cfg: AssessConfig) -> pl.Expr:
    """Why a projection that still falls short is 预计可实现: the share of the remaining gap
    the trend closes, against the threshold. Without it the verdict (预计可实现) and its
    sentence (接近目标，差0.04个百分点) read as a contradiction to someone who has not read the
    method note. The other methods print their own ratio in ``extra``."""
    if method != "default":
        return pl.lit("")
    threshold = f"{cfg.default_on_track_ratio * 100:g}%"
    # Cut, not rounded, to one decimal (after the comparison's own rounding, so 0.95 is 95%):
    # a trend that closes 99.97% of a gap of 5 000 people is short, and must not read 100%.
    # A projection exactly on a 高于/低于 target closes the whole gap and is still one unit
    # short: it 追平 the target value.
    share = (pl.col("progress_ratio").round(RATIO_DECIMALS) * 1000).floor() / 1000
    closes = pl.when(share >= 1).then(pl.lit("，可追平目标值")).otherwise(
        pl.concat_str([pl.lit("，可完成剩余差距的"), pct(share)]))
    return pl.concat_str([closes, pl.lit(f"（达到{threshold}即判为预计可实现）")])


_DIRECTION_WORDS = {
    "increase": "逐步提高",
    "decrease": "逐步下降",
    "maintain": "保持稳定",
    "eliminate": "基本消除",
}


def reason_branches(
    method: str, as_of: int, cfg: AssessConfig, proj_meets: pl.Expr
) -> list[tuple[pl.Expr, pl.Expr]]:
    """(condition, sentence) pairs; the first matching condition gives a row's reason.

    Needs the status columns of the engine. Evaluated with ``evaluate_branches`` so that
    each sentence is only formatted for the rows it applies to.
    """
    lit = pl.lit
    c = pl.col
    p = _pieces(method, proj_meets, cfg)
    s = c("status")
    quant = c("kind") == "quantitative"
    if method == "default":
        insufficient = pl.concat_str(
            [lit(f"截至{as_of}年仅有"), fmt(c("n_window")), lit("个年份的数据（"), p["latest"],
             lit("），尚未达到"), p["tgt"], lit("，无法判断趋势")]
        )
    else:
        insufficient = pl.concat_str(
            [p["latest"], lit("，尚未达到"), p["tgt"],
             lit("；基期至最新年份不足1年或数值非正，无法计算年均复合增长率")]
        )
    achieved = pl.concat_str([p["latest"], lit("，已达到"), p["tgt"]])
    want = pl.concat_str(
        [lit("“"), c("direction").replace_strict(_DIRECTION_WORDS, default=""), lit("”")]
    )
    judged = (
        pl.when(s.is_in([st.ACHIEVED, st.ON_TRACK]))
        .then(lit("符合"))
        .when(s == st.BASICALLY_ACHIEVED)
        .then(lit("方向符合但幅度不大，基本符合"))
        .when(s == st.AT_RISK)
        .then(lit("变化不明显，尚未体现"))
        .otherwise(lit("背离"))
    )
    return [
        (c("latest_value").is_null(), lit(f"截至{as_of}年没有已审核的数据，无法评估")),
        (
            quant & c("target_value").is_null(),
            pl.concat_str([p["latest"], lit("；目标为"), c("target_rule"), lit("，无法评估")]),
        ),
        (
            quant & c("_un_near"),
            pl.concat_str(
                [p["latest"], lit("，与"), p["tgt"],
                 lit(f"相差不超过{cfg.un_near_bound_points:g}个百分点（0%或100%的目标），"
                     "按联合国方法视为已实现")]
            ),
        ),
        (quant & (s == st.ACHIEVED), achieved),
        (
            quant & (s == st.BASICALLY_ACHIEVED),
            pl.concat_str(
                [p["latest"], lit("，距"), p["tgt"],
                 pl.when(c("_sgn") == 0)
                 .then(lit(f"的±{cfg.approx_tolerance_rel * 100:g}%允许范围"))
                 .otherwise(lit("")),
                 lit("差"), amount(shortfall_units(c("latest_value"), cfg) / scale()),
                 lit(f"，基本实现（差距不超过目标值的{cfg.basic_tolerance_rel * 100:g}%）")]
            ),
        ),
        (quant & (s == st.INSUFFICIENT), insufficient),
        (
            quant & (s == st.REGRESSING),
            pl.concat_str(
                [p["span"], p["change"], lit("，与"), p["tgt"], lit("要求的方向相反，"), p["latest"],
                 pl.when(meets(c("baseline_value"), cfg) & c("baseline_year_used").is_not_null())
                 .then(pl.concat_str([lit("；"), _y("baseline_year_used"), lit("年曾达到目标")]))
                 .otherwise(lit(""))]
            ),
        ),
        (
            quant & (c("years_left") == 0),
            pl.concat_str(
                [p["latest"], lit("，已到目标年份"), _y("target_year"), lit("年，未达到"), p["tgt"]]
            ),
        ),
        (
            quant,
            pl.concat_str(
                [p["trend"], _y("target_year"), lit("年约为"),
                 with_unit(c("projection")), lit("，"), p["outcome"], p["extra"]]
            ),
        ),
        (
            s == st.INSUFFICIENT,
            pl.concat_str(
                [lit(f"截至{as_of}年仅有"), fmt(c("n_window")), lit("个年份的数据，无法判断是否"), want]
            ),
        ),
        (
            (c("direction") == "eliminate") & (s == st.ACHIEVED),
            pl.concat_str([p["latest"], lit("，已实现"), want]),
        ),
        (
            pl.lit(True),
            pl.concat_str([p["span"], p["dir_change"], lit("，"), judged, want, lit("的要求")]),
        ),
    ]


def evaluate_branches(df: pl.DataFrame, branches: list[tuple[pl.Expr, pl.Expr]]) -> pl.Series:
    """Evaluate each branch's expression only on the rows it wins, then reassemble.

    A when/then chain evaluates every branch on every row; for sentences over millions
    of rows that formatting work is most of the assessment's time, so rows are split by
    their winning branch instead.
    """
    # The first true condition wins: coalesce keeps the first non-null branch number.
    which = pl.coalesce(
        [pl.when(cond).then(pl.lit(i, dtype=pl.Int32)) for i, (cond, _) in enumerate(branches)]
        + [pl.lit(-1, dtype=pl.Int32)]
    )
    branch = df.select(which.alias("_branch")).to_series()
    parts = []
    for i, (_, expr) in enumerate(branches):
        rows = branch.eq(i).arg_true()
        if rows.len():
            # Gather only the columns this sentence reads, not the whole wide frame.
            needed = sorted(set(expr.meta.root_names())) or df.columns[:1]
            part = df.select(needed)[rows]
            # Eager (the in-memory engine): a lazy collect went to the streaming engine,
            # whose set-up cost 0.5–1 ms per sentence, 6 ms of a 400-row assessment, and
            # the national benchmark runs no slower without it.
            text = part.with_columns(expr.cast(pl.String).alias("_text")).get_column("_text")
            parts.append(pl.DataFrame({"_ri": rows, "_text": text}))
    if not parts:
        return pl.Series("_text", [None] * df.height, dtype=pl.String)
    texts = pl.concat(parts)
    out = pl.Series("_text", [None] * 0, dtype=pl.String).extend_constant(None, df.height)
    return out.scatter(texts["_ri"], texts["_text"])


def _join_years(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.List(pl.String)).list.join("、")


def warning_flags(as_of: int) -> list[tuple[str, pl.Expr]]:
    """(warning, condition) over an assessment result, in display order."""
    s = pl.col("status")
    return [
        (st.W_AT_RISK, (s == st.AT_RISK) | pl.col("threatened")),
        (st.W_REGRESSING, s == st.REGRESSING),
        (st.W_VOLATILE, pl.col("volatile")),
        (st.W_MISSING, pl.col("latest_year").is_null() | (pl.col("latest_year") < as_of)),
        (st.W_OUTLIER, pl.col("outlier_years").list.len() > 0),
        (st.W_NOT_HELD, pl.col("hold_violations").list.len() > 0),
    ]


def warnings_list(as_of: int) -> pl.Expr:
    """The names of the warnings a row carries (list[str], built via a joined string)."""
    flags = warning_flags(as_of)
    any_flag = pl.any_horizontal([c.fill_null(False) for _, c in flags])
    joined = pl.concat_str(
        [pl.when(c).then(pl.lit(w)) for w, c in flags], separator=",", ignore_nulls=True
    )
    return (
        pl.when(any_flag)
        .then(joined)
        .str.split(",")
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
        .alias("warnings")
    )


def warning_note(warning: str, as_of: int, cfg: AssessConfig) -> pl.Expr:
    """The sentence explaining one warning, over an assessment result's columns.

    Built only for the rows that carry the warning (``summary.warnings_by_lead_unit``),
    which keeps the national assessment from formatting millions of unused sentences.
    """
    lit = pl.lit
    c = pl.col
    if warning in (st.W_AT_RISK, st.W_REGRESSING):
        proj_u, t_u = units(c("projection")), units(c("target_value"))
        side = (
            pl.when(proj_u == t_u)
            .then(lit("持平于目标值而未达到"))
            .when(proj_u < t_u)
            .then(lit("低于"))
            .otherwise(lit("高于"))
        )
        threat = pl.concat_str(
            [lit("目前已达标，但按当前趋势"), _y("target_year"), lit("年约为"),
             with_unit(c("projection")), lit("，将"), side, lit("目标（"), target_phrase(), lit("）")]
        )
        return pl.when(c("threatened")).then(threat).otherwise(c("reason"))
    if warning == st.W_VOLATILE:
        return pl.concat_str(
            [lit("近"), fmt(c("n_window")), lit("年数值围绕趋势波动：残差标准差"),
             with_unit(c("residual_sd")), lit("，为趋势年变化（或水平值的"),
             fmt(lit(cfg.volatility_level_floor_rel * 100)), lit("%）的"), fmt(c("volatility")),
             lit("倍（阈值"), fmt(lit(cfg.volatility_threshold)), lit("）")]
        )
    if warning == st.W_MISSING:
        return (
            pl.when(c("latest_year").is_null())
            .then(lit(f"截至{as_of}年没有数据"))
            .otherwise(pl.concat_str([lit(f"{as_of}年无数据，最新数据为"), _y("latest_year"), lit("年")]))
        )
    if warning == st.W_OUTLIER:
        return pl.concat_str(
            [_join_years("outlier_years"), lit("年数值明显偏离趋势（修正z分数最大"),
             fmt(c("outlier_z"), 1), lit("，阈值"), fmt(lit(cfg.outlier_z), 1), lit("）")]
        )
    if warning == st.W_NOT_HELD:
        return pl.concat_str(
            [_join_years("hold_violations"), lit("年未达到保持目标（"), target_phrase(), lit("）")]
        )
    return c("reason")
