"""中期评估 (mid-term, 2023) and 终期评估 (final, 2025) of one plan in one area.

Both answer the same questions at different times: how much of the plan is met, per
domain; which targets are 已实现 / 基本实现 / 尚有差距; how the qualitative targets stand by
their lead units' self-evaluations; and how far every indicator moved from the baseline.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.parts import (
    headline,
    indicator_label,
    method_section,
    status_table,
    value_cell,
)
from planwatch.report.data import ReportData, attainment, better_of, finite, split_units
from planwatch.report.model import CellValue, Column, Document, Paragraph, Section, Table
from planwatch.report.sentences import TODO, attainment_sentence, target_text

EvaluationKind = Literal["midterm", "final"]
KIND_TITLES = {"midterm": "中期评估报告", "final": "终期评估报告"}
GAP_STATUSES = (st.ON_TRACK, st.AT_RISK, st.REGRESSING, st.INSUFFICIENT)


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
        if base is None or now is None or base == now:
            verdict = "—" if base is None or now is None else "持平"
        else:
            sense = better_of(r["comparator"], r["direction"])
            improved = (now > base) == (sense == "higher")
            verdict = "变化" if sense == "hold" else "改善" if improved else "退步"
        delta = None if base is None or now is None else round(now - base, 10)
        body.append([indicator_label(r), r["unit"] or "", base_year, base, now, delta, verdict])
    return Table(caption, [
        Column("指标", width=22), Column("单位", width=6), Column("基期年份", "integer"),
        Column("基期值", "number", 2), Column(f"{data.year}年", "number", 2),
        Column("比基期增减", "number", 2), Column("变化方向", width=8),
    ], body)


def _qualitative(section: Section, data: ReportData, plan: str, area_code: str) -> None:
    se = data.self_evaluations
    if se.height:
        se = se.filter((pl.col("area_code") == area_code) & (pl.col("plan") == plan))
        if "year" in se.columns:
            se = se.filter(pl.col("year") <= data.year)
    if se.is_empty():
        section.add(Paragraph(
            f"{TODO}截至{data.year}年，尚未录入定性目标的牵头单位自评结果；请录入后重新生成。", "todo"))
        return
    counts = {r: se.filter(pl.col("rating") == r).height for r in ("完成", "基本完成", "未完成")}
    section.add(Paragraph(
        f"定性目标共有{se.height}项自评结果，其中完成{counts['完成']}项、基本完成"
        f"{counts['基本完成']}项、未完成{counts['未完成']}项（牵头单位自评，附依据）。"))
    rows: list[list[CellValue]] = [
        [r["domain"] or "—", r["target_text"], r["lead_unit"] or "—", r["rating"],
         r["evidence"] or "—"]
        for r in se.iter_rows(named=True)
    ]
    section.add(Table("定性目标自评情况", [
        Column("领域", width=10), Column("目标", width=28), Column("牵头单位", width=14),
        Column("自评", width=8), Column("依据", width=34),
    ], rows))


def build_evaluation(data: ReportData, plan: str, area_code: str,
                     kind: EvaluationKind = "midterm") -> Document:
    year = data.year
    area = data.area_name(area_code)
    rows = headline(data, pl.col("plan") == plan, pl.col("area_code") == area_code)
    if rows.is_empty():
        raise ValueError(f"没有{area}《{plan}》的评估结果 no assessment rows for this plan/area")
    doc = Document(
        kind=kind,
        title=f"{plan}{KIND_TITLES[kind]}",
        subtitle=f"（{area}，截至{year}年）",
        issuer=data.issuer or f"{area}妇女儿童工作委员会办公室",
    )
    domains = rows.get_column("domain").unique(maintain_order=True).to_list()
    att = attainment(rows)
    overall = doc.section("总体评估")
    overall.add(Paragraph(attainment_sentence("全规划", att, year)
                          + f"尚有差距的指标{att.gap_count}项。"))
    overall.add(status_table("表1 各领域目标实现情况",
                             [(d, rows.filter(pl.col("domain") == d)) for d in domains]))

    targets = doc.section("目标实现情况")
    groups = [
        ("已实现的目标", rows.filter(pl.col("status") == st.ACHIEVED)),
        ("基本实现的目标", rows.filter(pl.col("status") == st.BASICALLY_ACHIEVED)),
        ("尚有差距的目标", rows.filter(pl.col("status").is_in(GAP_STATUSES))),
    ]
    for n, (title, frame) in enumerate(groups, start=2):
        sub = targets.section(title)
        if frame.is_empty():
            sub.add(Paragraph("无。"))
            continue
        sub.add(Paragraph(f"共{frame.height}项。"))
        sub.add(_target_list(data, frame, f"表{n} {title}"))

    _qualitative(doc.section("定性目标自评情况"), data, plan, area_code)
    base = doc.section("与基期比较")
    table = _baseline_table(data, rows, "表5 主要指标与基期比较")
    directions = table.column("变化方向")
    base.add(Paragraph(f"与基期相比，{directions.count('改善')}项指标改善，"
                       f"{directions.count('退步')}项指标退步。"))
    base.add(table)

    problems = doc.section("存在问题和下一步工作")
    problems.add(Paragraph(
        f"{TODO}请结合尚有差距的{att.gap_count}项目标和定性目标自评情况，分析原因，提出"
        f"{'规划后半期' if kind == 'midterm' else '下一个规划期'}的工作建议。", "todo"))
    method_section(doc.section("评估方法说明"), data)
    return doc
