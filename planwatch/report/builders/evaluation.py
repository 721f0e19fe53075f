"""中期评估 (mid-term, 2023) and 终期评估 (final, 2025) of one plan in one area.

Both answer the same questions at different times: how much of the plan is met, per
domain; which targets are 已实现 / 基本实现 / 尚有差距; how the qualitative targets stand by
their lead units' self-evaluations; and how far every indicator moved from the baseline.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from planwatch.assess import status as st
from planwatch.errors import PlanwatchError
from planwatch.report.builders.data_issues import (
    conflict_items,
    conflicts_table,
    late_items,
    late_table,
    plan_units,
)
from planwatch.report.builders.drafts import add_problem_sections
from planwatch.report.builders.method_note import add_method_note
from planwatch.report.builders.parts import (
    headline,
    indicator_label,
    status_table,
    value_cell,
)
from planwatch.report.data import ReportData, attainment, better_of, finite, split_units
from planwatch.report.dating import report_date
from planwatch.report.formatting import printed_change, row_decimals
from planwatch.report.model import CellValue, Column, Document, Paragraph, Section, Table
from planwatch.report.numbering import TableNumbers
from planwatch.report.sentences import attainment_sentence, rate_text, target_text

EvaluationKind = Literal["midterm", "final"]
KIND_TITLES = {"midterm": "中期评估报告", "final": "终期评估报告"}
GAP_STATUSES = (st.ON_TRACK, st.AT_RISK, st.REGRESSING)
"""尚有差距: monitorable, neither achieved nor basically achieved (``Attainment.gap_count``);
targets without data are listed apart, so that the list and the sentence count the same."""
CYCLE_LABELS = {"midterm": "中期评估", "final": "终期评估"}
SELF_EVALUATION_KEY = ("area_code", "plan", "domain", "target_text", "lead_unit")
"""One rating per qualitative target and lead unit is shown: the cycle's own, or the latest."""


def latest_self_evaluations(se: pl.DataFrame, year: int, kind: EvaluationKind) -> pl.DataFrame:
    """Each unit's rating of each target as the ``kind`` evaluation of ``year`` should show it.

    The entry of the evaluation's own cycle (``midterm`` / ``final``) if the unit made one,
    else its latest entry dated up to ``year``; a unit that rated a target for 2022 and
    again at mid-term appears once, with the mid-term rating. Without a ``cycle`` column
    (hand-built data) the latest year wins. The frame's order is kept.
    """
    se = se.filter(pl.col("year") <= year) if "year" in se.columns else se
    if se.is_empty():
        return se
    has_cycle = "cycle" in se.columns
    ranked = se.with_columns(
        _pos=pl.int_range(pl.len()),
        _own=(pl.col("cycle") == kind).fill_null(False) if has_cycle else pl.lit(False),
        _evaluation=(pl.col("cycle").is_in(list(CYCLE_LABELS))).fill_null(False)
        if has_cycle else pl.lit(False),
        _year=pl.col("year") if "year" in se.columns else pl.lit(0),
    )
    keys = [k for k in SELF_EVALUATION_KEY if k in se.columns]
    best = ranked.sort(["_own", "_year", "_evaluation", "_pos"],
                       descending=[True, True, True, False])
    best = best.unique(keys, keep="first", maintain_order=True).sort("_pos")
    return best.drop("_pos", "_own", "_evaluation", "_year")


def _cycle_label(row: dict[str, object]) -> str:
    cycle = row.get("cycle")
    if isinstance(cycle, str) and cycle in CYCLE_LABELS:
        return CYCLE_LABELS[cycle]
    year = cycle if isinstance(cycle, str) and cycle else row.get("year")
    return f"{year}年度" if year is not None else "—"


def _target_list(data: ReportData, rows: pl.DataFrame, caption: str) -> Table:
    body: list[list[CellValue]] = []
    for r in rows.iter_rows(named=True):
        body.append([
            str(r["domain"]),
            indicator_label(r),
            target_text(r["comparator"], r["target_value"], r["unit"], r["direction"]),
            value_cell(data, r, data.year),
            str(r["status"]),
            "、".join(split_units(r["lead_unit"])) or "—",
        ])
    return Table(caption, [
        Column("领域", width=10), Column("指标", width=22), Column("目标值", width=12),
        Column(f"{data.year}年", "number", 2), Column("状态", width=10),
        Column("牵头单位", width=16),
    ], body)


def _baseline_table(data: ReportData, rows: pl.DataFrame, caption: str) -> Table:
    body: list[list[CellValue]] = []
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        base_year = int(r["baseline_year"]) if r["baseline_year"] is not None else None
        base = series.get(base_year) if base_year is not None else None
        if base is None:
            base = finite(r["baseline_value"])
        now = series.get(data.year)
        delta = None if base is None or now is None else printed_change(
            base, now, row_decimals(r))
        if delta is None or delta == 0:
            verdict = "—" if delta is None else "持平"
        else:
            sense = better_of(r["comparator"], r["direction"])
            improved = (delta > 0) == (sense == "higher")
            verdict = "变化" if sense == "hold" else "改善" if improved else "退步"
        body.append([indicator_label(r), r["unit"] or "", base_year, base, now, delta, verdict])
    return Table(caption, [
        Column("指标", width=22), Column("单位", width=6), Column("基期年份", "integer"),
        Column("基期值", "number", 2), Column(f"{data.year}年", "number", 2),
        Column("比基期增减", "number", 2), Column("变化方向", width=8),
    ], body)


def _qualitative(section: Section, data: ReportData, plan: str, area_code: str,
                 kind: EvaluationKind, numbers: TableNumbers) -> None:
    se = data.self_evaluations
    if se.height:
        se = se.filter((pl.col("area_code") == area_code) & (pl.col("plan") == plan))
        se = latest_self_evaluations(se, data.year, kind)
    if se.is_empty():
        section.add(Paragraph(
            f"截至{data.year}年，尚未录入定性目标的牵头单位自评结果；请录入后重新生成。", "todo"))
        return
    counts = {r: se.filter(pl.col("rating") == r).height for r in ("完成", "基本完成", "未完成")}
    section.add(Paragraph(
        f"定性目标共有{se.height}项自评结果，其中完成{counts['完成']}项、基本完成"
        f"{counts['基本完成']}项、未完成{counts['未完成']}项（牵头单位自评，附依据；"
        f"每项目标取{CYCLE_LABELS[kind]}自评，未作{CYCLE_LABELS[kind]}自评的取最近一次年度自评）。"))
    rows: list[list[CellValue]] = [
        [r["domain"] or "—", r["target_text"], r["lead_unit"] or "—", r["rating"],
         _cycle_label(r), r["evidence"] or "—"]
        for r in se.iter_rows(named=True)
    ]
    section.add(Table(numbers.table("定性目标自评情况"), [
        Column("领域", width=10), Column("目标", width=26), Column("牵头单位", width=14),
        Column("自评", width=8), Column("自评时间", width=8), Column("依据", width=30),
    ], rows))


def _data_quality(section: Section, data: ReportData, rows: pl.DataFrame, plan: str,
                  area_code: str, numbers: TableNumbers) -> None:
    """迟报 over the plan period and 数据冲突, as the annual report lists them."""
    info = data.plan_info(plan)
    start = info.get("period_start") or data.year
    years = range(min(int(start), data.year), data.year + 1)
    period = f"{years[0]}—{data.year}年" if years[0] < data.year else f"{data.year}年"
    late = late_items(data, [area_code], plan_units(data, rows, area_code), years)
    indicators = set(rows.get_column("indicator_code").to_list())
    conflicts = conflict_items(data, [area_code], indicators)
    if not late and not conflicts:
        section.add(Paragraph(f"{period}未发现迟报和数据冲突。"))
        return
    if late:
        units = sorted({i["lead_unit"] for i in late})
        section.add(Paragraph(
            f"{st.W_LATE}：{period}，{'、'.join(units)}共有{len(late)}次数据晚于截止日报送。"))
        section.add(late_table(data, late, numbers.table("数据迟报情况")))
    if conflicts:
        section.add(Paragraph(
            f"数据冲突：{len(conflicts)}项数据由不同单位报送的数值不一致，未纳入评估，相关年份按"
            "缺失处理，请统计人员会同报送单位核实。"))
        section.add(conflicts_table(data, conflicts, numbers.table("数据冲突清单")))


NOT_MET = "未实现"
NOT_REPORTED = "未填报"


class FinalYearError(PlanwatchError, ValueError):
    """A final evaluation asked for before the plan's target year, not marked as a preview."""

    code = "report.final_year"


def final_year(data: ReportData, plan: str) -> int | None:
    """The plan's target year: its period end, else the latest target year of its targets."""
    end = data.plan_info(plan).get("period_end")
    if end is not None:
        return int(end)
    rows = data.result.filter(pl.col("plan") == plan) if "plan" in data.result.columns else None
    if rows is None or "target_year" not in rows.columns or rows.is_empty():
        return None
    latest = rows.get_column("target_year").drop_nulls().max()
    return int(latest) if isinstance(latest, int | float) else None


def base_year(data: ReportData, plan: str, rows: pl.DataFrame) -> int | None:
    """The year before the plan period (2020 for 2021—2025), else the targets' usual baseline."""
    start = data.plan_info(plan).get("period_start")
    if start is not None:
        return int(start) - 1
    if "baseline_year" not in rows.columns:
        return None
    years = rows.get_column("baseline_year").drop_nulls()
    return int(years.mode().sort()[0]) if years.len() else None


def check_final_year(data: ReportData, plan: str, preview: bool = False) -> None:
    """Refuse a final evaluation before the target year: its 未实现 would be a projection.

    A preview (``--preview``) is allowed and says so on its title page and in its verdicts.
    """
    end = final_year(data, plan)
    if preview or end is None or data.year >= end:
        return
    raise FinalYearError(
        f"《{plan}》的终期评估应在目标年份{end}年的数据齐全后进行，当前监测年度为{data.year}年；"
        f"如需提前试算，请加 --preview 生成终期评估预览稿。"
        f" Final evaluation needs the target year {end} (got {data.year}); use --preview."
    )


def final_verdict(status: str, reported: bool, preview: bool) -> str:
    """是否实现 at the target year: not met is 未实现, not a projection; no figure is 未填报.

    ``reported`` is whether the final year itself has a figure: a target judged on an
    older year (基本实现 on 2021's figure) is not judged at the end of the period. A preview
    keeps the assessment's projections (预计可实现 …), since the year has not come.
    """
    if not reported:
        return NOT_REPORTED
    if status in (st.ACHIEVED, st.BASICALLY_ACHIEVED):
        return status
    if status == st.INSUFFICIENT:
        return NOT_REPORTED
    return status if preview else NOT_MET


def final_attainment_sentence(rows: pl.DataFrame, verdicts: list[str]) -> str:
    """The published wording: "N项指标中M项达标，达标率X%", 未填报 counted apart.

    N is the targets with a verdict (未填报 excluded), M the 已实现 ones; 基本实现 is named
    beside the rate, not inside it, as in the annual report.
    """
    reported = [v for v in verdicts if v != NOT_REPORTED]
    met = verdicts.count(st.ACHIEVED)
    missing = len(verdicts) - len(reported)
    if not reported:
        return f"{len(verdicts)}项指标均未填报终期数据，无法计算达标率。"
    text = f"{len(reported)}项指标中{met}项达标，达标率{rate_text(met, len(reported))}"
    basically = verdicts.count(st.BASICALLY_ACHIEVED)
    if basically:
        text += f"；另有{basically}项基本实现"
    if missing:
        text += f"；{missing}项指标未填报，未计入"
    return text + "。"


def _final_comparison(section: Section, data: ReportData, plan: str, rows: pl.DataFrame,
                      preview: bool, numbers: TableNumbers) -> None:
    """The whole-period table: 基期值 → 终期值 against the target, and 是否实现."""
    start = base_year(data, plan, rows)
    body: list[list[CellValue]] = []
    verdicts: list[str] = []
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        base = series.get(start) if start is not None else None
        if base is None:
            base = finite(r["baseline_value"])
        verdict = final_verdict(str(r["status"]), data.year in series, preview)
        verdicts.append(verdict)
        body.append([
            str(r["domain"]), indicator_label(r), r["unit"] or "", base,
            value_cell(data, r, data.year),
            target_text(r["comparator"], r["target_value"], r["unit"], r["direction"]),
            verdict,
        ])
    period = f"{start}—{data.year}年" if start is not None else f"截至{data.year}年"
    section.add(Paragraph(
        f"规划期（{period}，基期{start if start is not None else '—'}年，终期{data.year}年）"
        f"{'预览：' if preview else ''}{final_attainment_sentence(rows, verdicts)}"))
    for label in (NOT_MET, NOT_REPORTED):
        names = [indicator_label(r) for r, v in zip(rows.iter_rows(named=True), verdicts,
                                                     strict=True) if v == label]
        if names:
            section.add(Paragraph(f"{label}的指标（{len(names)}项）：{'、'.join(names)}。"))
    section.add(Table(numbers.table("规划期主要指标完成情况"), [
        Column("领域", width=10), Column("指标", width=22), Column("单位", width=6),
        Column(f"基期值（{start}年）" if start is not None else "基期值", "number", 2),
        Column(f"终期值（{data.year}年）", "number", 2), Column("目标值", width=12),
        Column("是否实现", width=10),
    ], body))


def build_evaluation(data: ReportData, plan: str, area_code: str,
                     kind: EvaluationKind = "midterm", preview: bool = False) -> Document:
    data = data.for_area(area_code)
    year = data.year
    area = data.area_name(area_code)
    rows = headline(data, pl.col("plan") == plan, pl.col("area_code") == area_code)
    if rows.is_empty():
        raise ValueError(f"没有{area}《{plan}》的评估结果 no assessment rows for this plan/area")
    if kind == "final":
        check_final_year(data, plan, preview)
        start = base_year(data, plan, rows)
        span = f"{start}—{year}年" if start is not None else f"截至{year}年"
        subtitle = f"（{area}，规划期{span}{'，预览稿：目标年份数据未齐' if preview else ''}）"
    else:
        subtitle = f"（{area}，截至{year}年）"
    doc = Document(
        kind=kind,
        title=f"{plan}{KIND_TITLES[kind]}{'（预览）' if kind == 'final' and preview else ''}",
        subtitle=subtitle,
        issuer=data.issuer or f"{area}妇女儿童工作委员会办公室",
        sample_label=data.sample_label,
        date=report_date(data),
    )
    domains = rows.get_column("domain").unique(maintain_order=True).to_list()
    att = attainment(rows)
    numbers = TableNumbers()
    if kind == "final":
        _final_comparison(doc.section("规划期目标完成情况"), data, plan, rows, preview, numbers)
    overall = doc.section("总体评估")
    overall.add(Paragraph(attainment_sentence("全规划", att, year)
                          + f"尚有差距的指标{att.gap_count}项。"))
    overall.add(status_table(numbers.table("各领域目标实现情况"),
                             [(d, rows.filter(pl.col("domain") == d)) for d in domains]))

    targets = doc.section("目标实现情况")
    groups = [
        ("已实现的目标", rows.filter(pl.col("status") == st.ACHIEVED)),
        ("基本实现的目标", rows.filter(pl.col("status") == st.BASICALLY_ACHIEVED)),
        ("尚有差距的目标", rows.filter(pl.col("status").is_in(GAP_STATUSES))),
        ("数据不足、无法评估的目标", rows.filter(pl.col("status") == st.INSUFFICIENT)),
    ]
    for title, frame in groups:
        sub = targets.section(title)
        if frame.is_empty():
            sub.add(Paragraph("无。"))
            continue
        sub.add(Paragraph(f"共{frame.height}项。"))
        sub.add(_target_list(data, frame, numbers.table(title)))

    _qualitative(doc.section("定性目标自评情况"), data, plan, area_code, kind, numbers)
    base = doc.section("与基期比较")
    table = _baseline_table(data, rows, numbers.table("主要指标与基期比较"))
    directions = table.column("变化方向")
    counts = [f"{directions.count(w)}项指标{w}" for w in ("改善", "持平", "退步")
              if directions.count(w)]
    base.add(Paragraph("与基期相比，" + ("，".join(counts) or "暂无可比较的指标") + "。"))
    base.add(table)
    _data_quality(doc.section("数据质量"), data, rows, plan, area_code, numbers)

    # Drafted per lead unit from the warnings, late reports and self-evaluations, as in the
    # annual report, and marked as a draft for the statistician.
    add_problem_sections(doc.section("存在问题及原因"), doc.section("对策建议"), data, plan,
                         area_code, rows)
    add_method_note(doc.section("评估方法说明"), data, numbers.table("评估状态的含义"),
                    doc.issuer, about_headings=False)
    return doc
