"""Summaries of an assessment: attainment rates, warnings per lead unit, area comparison.

达标率 (attainment rate), as the statistics bureaus report it:

    attainment_rate = 已实现 ÷ monitorable, monitorable = all assessed targets − 数据不足

counted on the undisaggregated series (breakdown "total") so that a target with a
female/male split is counted once, not three times. ``attainment_rate_incl_basic`` also
counts 基本实现 as attained, which some bureaus publish alongside. Qualitative targets
(self-evaluations 完成 / 基本完成 / 未完成) are counted in their own columns and never mixed
into the quantitative rate: a self-assessment is not a measurement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from planwatch.assess import status as st
from planwatch.assess.config import AssessConfig
from planwatch.assess.frames import TOTAL, self_evaluations_frame
from planwatch.assess.reasons import warning_flags, warning_note

WARNING_ORDER = [w for w, _ in warning_flags(0)]

STATUS_KEYS: dict[str, str] = {
    st.ACHIEVED: "achieved",
    st.BASICALLY_ACHIEVED: "basically_achieved",
    st.ON_TRACK: "on_track",
    st.AT_RISK: "at_risk",
    st.REGRESSING: "regressing",
    st.INSUFFICIENT: "insufficient",
}
"""Column name of each status's count in ``attainment``."""

RATING_KEYS: dict[str, str] = {"完成": "qual_done", "基本完成": "qual_basic", "未完成": "qual_not_done"}

SUMMARY_LABELS: dict[str, str] = {
    "n": "目标数",
    **{key: name for name, key in STATUS_KEYS.items()},
    "monitorable": "可监测",
    "attainment_rate": "达标率",
    "attainment_rate_incl_basic": "达标率（含基本实现）",
    "qual_n": "定性目标数",
    "qual_done": "完成",
    "qual_basic": "基本完成",
    "qual_not_done": "未完成",
    "domain": "发展领域",
    "plan": "规划",
    "area_code": "地区",
    "lead_unit": "牵头单位",
}
"""Chinese headers for the summary columns (CLI, reports)."""


def status_attainment(statuses: Iterable[str]) -> tuple[dict[str, int], int, float | None]:
    """The rule of the module docstring for one group of rows given as their statuses:
    counts per status, monitorable, 达标率. What ``attainment(rows, by=[], breakdown=None)``
    gives, without a query: a report counts a handful of rows some thirty times per
    document, where a query's set-up cost more than the counting."""
    counts = {s: 0 for s in st.STATUSES}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    monitorable = sum(counts.values()) - counts[st.INSUFFICIENT]
    rate = counts[st.ACHIEVED] / monitorable if monitorable > 0 else None
    return counts, monitorable, rate


def attainment(
    result: pl.DataFrame,
    by: Sequence[str] = ("domain",),
    *,
    breakdown: str | None = TOTAL,
    self_evaluations: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Counts per status and the attainment rates, grouped by ``by`` (may be empty).

    ``breakdown=None`` counts every breakdown row (for a disaggregated view).
    ``self_evaluations`` (``frames.SELF_EVALUATIONS_SCHEMA``) adds the qualitative counts,
    grouped by those of ``by`` that the self-evaluations carry.
    """
    return attainments(result, [by], breakdown=breakdown, self_evaluations=self_evaluations)[0]


def attainments(
    result: pl.DataFrame,
    groupings: Sequence[Sequence[str]],
    *,
    breakdown: str | None = TOTAL,
    self_evaluations: pl.DataFrame | None = None,
) -> list[pl.DataFrame]:
    """``attainment`` for several groupings of one result, in their order.

    The rows are filtered and the self-evaluations validated once for all groupings: an
    assessment's five summaries validated them five times, 2 ms of its 20 on the demo.
    """
    rows = result if breakdown is None else result.filter(pl.col("breakdown") == breakdown)
    se = None if self_evaluations is None else self_evaluations_frame(self_evaluations)
    return [_attainment(rows, list(by), se) for by in groupings]


def _attainment(rows: pl.DataFrame, keys: list[str], se: pl.DataFrame | None) -> pl.DataFrame:
    counts = [
        (pl.col("status") == name).sum().cast(pl.Int64).alias(key) for name, key in STATUS_KEYS.items()
    ]
    agg = [pl.len().cast(pl.Int64).alias("n"), *counts]
    out = rows.group_by(keys).agg(agg) if keys else rows.select(agg)
    # One stage: ``monitorable`` is a subtraction, cheaper to repeat than to query for.
    monitorable = pl.col("n") - pl.col("insufficient")
    out = out.with_columns(
        monitorable=monitorable,
        attainment_rate=pl.when(monitorable > 0).then(pl.col("achieved") / monitorable),
        attainment_rate_incl_basic=pl.when(monitorable > 0).then(
            (pl.col("achieved") + pl.col("basically_achieved")) / monitorable
        ),
    )
    if se is not None:
        se_keys = [k for k in keys if k in se.columns]
        qual_agg = [pl.len().cast(pl.Int64).alias("qual_n")] + [
            (pl.col("rating") == r).sum().cast(pl.Int64).alias(k) for r, k in RATING_KEYS.items()
        ]
        qual = se.group_by(se_keys).agg(qual_agg) if se_keys else se.select(qual_agg)
        if se_keys:
            out = out.join(qual, on=se_keys, how="full", coalesce=True)
        else:
            out = pl.concat([out, qual], how="horizontal")
        fill = ["n", *STATUS_KEYS.values(), "monitorable", "qual_n", *RATING_KEYS.values()]
        out = out.with_columns(pl.col(c).fill_null(0) for c in fill)
    return out.sort(keys) if keys else out


def warnings_by_lead_unit(
    result: pl.DataFrame,
    as_of: int,
    config: AssessConfig | None = None,
    *,
    late: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per warning: lead unit, where, which indicator, the warning and its note.

    The notes are formatted here, only for the rows that carry each warning. ``late``
    (area_code, unit, year, due, submitted — see ``inputs.LATE_SCHEMA``) adds 迟报 rows for
    the reporting units, since lateness belongs to a submission, not to an indicator.
    """
    cfg = config or AssessConfig()
    cols = ["lead_unit", "area_code", "indicator_code", "indicator_name", "breakdown", "status"]
    parts = []
    for order, (warning, condition) in enumerate(warning_flags(as_of)):
        # Filter and notes in one in-memory query (as the eager calls ran): two eager
        # calls per warning planned twice.
        rows = (
            result.lazy()
            .filter(condition.fill_null(False))
            .select(
                *cols,
                pl.lit(warning).alias("warning"),
                warning_note(warning, as_of, cfg).alias("note"),
                pl.lit(order).alias("_order"),
            )
            .collect(engine="in-memory")
        )
        if not rows.is_empty():
            parts.append(rows)
    if late is not None and not late.is_empty():
        parts.append(
            late.select(
                pl.col("unit").alias("lead_unit"),
                "area_code",
                *(pl.lit("").alias(c) for c in cols[2:]),
                pl.lit(st.W_LATE).alias("warning"),
                pl.format(
                    "{}年数据于{}提交，晚于截止日{}", "year", pl.col("submitted"), pl.col("due")
                ).alias("note"),
                pl.lit(len(WARNING_ORDER)).alias("_order"),
            )
        )
    if not parts:
        return pl.DataFrame(
            schema={**{c: pl.String for c in cols}, "warning": pl.String, "note": pl.String}
        )
    return (
        pl.concat(parts)
        .sort(["lead_unit", "_order", "area_code", "indicator_code", "breakdown"])
        .drop("_order")
    )


def compare_areas(
    result: pl.DataFrame, areas: Sequence[str] | None = None, *, breakdown: str = TOTAL
) -> pl.DataFrame:
    """The indicators all ``areas`` share (default: every area in the result), side by side.

    One row per indicator (and target year, where an indicator has several targets); per
    area the latest value, the target and the status, in columns ``<area>:latest``,
    ``<area>:target``, ``<area>:status``.
    """
    rows = result.filter(pl.col("breakdown") == breakdown)
    chosen = list(areas) if areas is not None else sorted(rows["area_code"].unique().to_list())
    rows = rows.filter(pl.col("area_code").is_in(chosen))
    key = ["indicator_code", "target_year"]
    shared = (
        rows.group_by(key)
        .agg(pl.col("area_code").n_unique().alias("_n"), pl.col("indicator_name").first(),
             pl.col("unit").first())
        .filter(pl.col("_n") == len(chosen))
        .drop("_n")
    )
    out = shared
    for area in chosen:
        one = (
            rows.filter(pl.col("area_code") == area)
            .group_by(key)
            .agg(
                pl.col("latest_value").first().alias(f"{area}:latest"),
                pl.col("target_value").first().alias(f"{area}:target"),
                pl.col("status").first().alias(f"{area}:status"),
            )
        )
        out = out.join(one, on=key, how="left")
    return out.sort(key)
