"""预警清单: one page per lead unit — what the office sends each unit.

A target led by several units appears on each of their pages; the responsible units
stand beside every warning so the lead unit knows whom to convene. A unit that handed in
the year's figures late (迟报) gets that on its page too; conflicting figures (数据冲突)
close the list on a page of their own, for the statistician to settle with the units.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.data_issues import (
    conflict_items,
    conflicts_table,
    late_items,
)
from planwatch.report.builders.warning_list import (
    BREAKDOWN_NOTE,
    additions,
    item_labels,
    listed_warnings,
)
from planwatch.report.data import ReportData, split_units
from planwatch.report.model import CellValue, Column, Document, Paragraph, Table
from planwatch.report.sentences import TODO


def _lead_units(data: ReportData, item: dict[str, Any]) -> list[str]:
    units = data.units_of(item.get("target_id"), "lead")
    return units or split_units(item["lead_unit"]) or ["（未指定牵头单位）"]


def _warnings_table(data: ReportData, unit: str, items: list[dict[str, Any]]) -> Table:
    body: list[list[CellValue]] = []
    for i, name in zip(items, item_labels(items), strict=True):
        responsible = data.units_of(i.get("target_id"), "responsible")
        body.append([
            data.area_name(str(i["area_code"])),
            str(i["plan"]),
            name,
            i["warning"],
            i["note"],
            "、".join(responsible) or "—",
        ])
    return Table(f"{unit}预警指标", [
        Column("地区", width=8), Column("规划", width=18), Column("指标", width=18),
        Column("预警", width=10), Column("原因", width=40), Column("责任单位", width=16),
    ], body, notes=[BREAKDOWN_NOTE] if additions(items) else [])


def build_warnings(data: ReportData, area_codes: list[str] | None = None) -> Document:
    """All warnings of the given areas (default: all), grouped by lead unit.

    Breakdown series appear only with what they add to their total (``warning_list``).
    """
    rows = data.result
    if area_codes:
        rows = rows.filter(pl.col("area_code").is_in(area_codes))
    areas = area_codes or data.area_codes()
    area_text = "、".join(data.area_name(a) for a in areas)
    doc = Document(
        kind="warnings",
        title=f"{data.year}年度规划监测预警清单",
        subtitle=f"（{area_text}）",
        issuer=data.issuer or "妇女儿童工作委员会办公室",
        sample_label=data.sample_label,
    )
    by_unit: dict[str, list[dict[str, Any]]] = {}
    listed = listed_warnings(
        rows, data.ordered_breakdowns)
    for item in listed:
        for unit in _lead_units(data, item):
            by_unit.setdefault(unit, []).append(item)
    late: dict[str, list[dict[str, Any]]] = {}
    for item in late_items(data, area_codes):
        late.setdefault(item["lead_unit"], []).append(item)
    conflicts = conflict_items(data, area_codes)
    total = len(listed) + sum(len(v) for v in late.values())
    for unit in late:
        by_unit.setdefault(unit, [])
    doc.blocks.append(Paragraph(
        f"{data.year}年监测共发出预警{total}条"
        + (f"（其中分组数据预警{additions(listed)}条）" if additions(listed) else "")
        + f"，涉及单位{len(by_unit)}个。"
        "以下按单位分页列出，请各单位会同责任单位分析原因、落实措施，并书面反馈。"
        + (f"另有数据冲突{len(conflicts)}项，列于最后，请统计人员核实。" if conflicts else "")))
    if not by_unit:
        doc.blocks.append(Paragraph("本年度没有预警。"))
    for unit in sorted(by_unit):
        items = by_unit[unit]
        section = doc.section(unit, new_page=True)
        indicators = {(i["indicator_code"], i["area_code"]) for i in items}
        if items:
            sub = additions(items)
            section.add(Paragraph(
                f"{unit}：贵单位牵头的{len(indicators)}项指标（{len(items)}条预警"
                + (f"，其中分组数据预警{sub}条" if sub else "") + "）需要关注。"))
            section.add(_warnings_table(data, unit, items))
        unit_late = late.get(unit, [])
        if unit_late:
            section.add(Paragraph(f"{unit}：{st.W_LATE}，" + "；".join(
                f"{data.area_name(str(i['area_code']))}{i['note']}" for i in unit_late) + "。"))
        section.add(Paragraph(f"{TODO}反馈期限及联系人：", "todo"))
    if conflicts:
        section = doc.section("数据冲突（请统计人员核实）", new_page=True)
        section.add(Paragraph(
            f"以下{len(conflicts)}项数据由不同单位报送的数值不一致，未纳入评估，请统计人员与报送单位"
            "核实、修正后重新评估。"))
        section.add(conflicts_table(data, conflicts, "数据冲突清单"))
    return doc
