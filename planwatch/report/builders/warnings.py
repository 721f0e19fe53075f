"""预警清单: what the office sends the member units after the monitoring year.

One entry per indicator and area (``warning_entries``), grouped by area — each district's
bureaus are different units, never one heading — and within an area by lead unit, in
the order the plans name the units. An indicator led by several units is listed under
the first and named on the others' part, so that the rows add up to the heading's count;
the count by warning type counts each entry once, under its most serious warning.
Missing figures and late reports follow in a separate 催报清单 addressed to the units
that report the figures; targets whose only lead unit is the office itself, or none,
close the list for the office to assign; conflicting figures come last for the
statistician to settle.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from planwatch.report.builders.data_issues import conflict_items, conflicts_table, late_items
from planwatch.report.builders.warning_entries import (
    PRIMARY_ORDER,
    Entry,
    by_member_order,
    chase_unit,
    collect_entries,
    counts_text,
    member_order,
    type_counts,
    warned,
)
from planwatch.report.data import ReportData
from planwatch.report.dating import report_date
from planwatch.report.model import CellValue, Column, Document, Paragraph, Section, Table
from planwatch.report.numbering import TableNumbers

FOLD_NOTE = ("注：每项指标列一行，按其最主要的预警计数；“其中城镇：”等为分性别、城乡或年龄组数据中合计"
             "未反映的预警。规划只对全区设定目标的，分组数据不与该目标比较。")


def warnings_table(entries: list[Entry], caption: str, *, with_leads: bool = False) -> Table:
    """Rows of entries: 指标, 领域, 预警类型, 情况说明, then 牵头单位 or 责任单位."""
    last = "牵头单位" if with_leads else "责任单位"
    body: list[list[CellValue]] = []
    for i, e in enumerate(entries, start=1):
        units = e.addressed_to if with_leads else e.responsible
        body.append([i, e.indicator_name, e.domain, "、".join(e.kinds), e.description(),
                     "、".join(units) or "—"])
    return Table(caption, [
        Column("序号", "integer", width=7), Column("指标", width=18), Column("领域", width=10),
        Column("预警类型", width=14), Column("情况说明", width=40, below=True),
        Column(last, width=16),
    ], body, notes=[FOLD_NOTE])


def _summary_table(data: ReportData, areas: list[str], by_area: dict[str, list[Entry]],
                   caption: str) -> Table:
    kinds = [w for w in PRIMARY_ORDER
             if any(type_counts(by_area[a]).get(w) for a in areas)]
    rows: list[list[CellValue]] = []
    for a in areas:
        counts = type_counts(by_area[a])
        rows.append([data.area_name(a), len(by_area[a]), *[counts.get(w, 0) for w in kinds]])
    if len(areas) > 1:
        rows.append(["合计", sum(int(r[1] or 0) for r in rows),
                     *[sum(int(r[2 + i] or 0) for r in rows) for i in range(len(kinds))]])
    return Table(caption, [Column("地区", width=10), Column("预警指标", "integer")]
                 + [Column(w, "integer") for w in kinds], rows,
                 notes=["注：每项指标按其最主要的预警计一次，各类之和等于预警指标数。"])


def _unit_sections(area: Section, entries: list[Entry], order: list[str],
                   tables: TableNumbers) -> None:
    home: dict[str, list[Entry]] = {}
    shared: dict[str, list[Entry]] = {}
    for e in entries:  # under the first lead unit the plan names, the others told where
        home.setdefault(e.addressed_to[0], []).append(e)
        for other in e.addressed_to[1:]:
            shared.setdefault(other, []).append(e)
    for unit in by_member_order([*home, *shared], order):
        section = area.section(unit)
        own = home.get(unit, [])
        if own:
            section.add(Paragraph(
                f"{unit}牵头的{len(own)}项指标发出预警（{counts_text(own)}），请会同责任单位"
                "分析原因、落实措施，并书面反馈。"))
            section.add(warnings_table(own, tables.table(f"{unit}牵头指标预警情况")))
        co = shared.get(unit, [])
        if co:
            names = "；".join(f"{e.indicator_name}（列于{e.addressed_to[0]}名下）" for e in co)
            section.add(Paragraph(f"{unit}共同牵头、已列于其他单位名下的指标：{names}。"))


def _chase_section(doc: Document, data: ReportData, areas: list[str],
                   missing: dict[str, list[tuple[str, Entry]]],
                   late: list[dict[str, Any]], tables: TableNumbers) -> None:
    n_missing = sum(len(v) for v in missing.values())
    section = doc.section("催报清单", new_page=True)
    section.add(Paragraph(
        f"{data.year}年监测中，" + "，".join(c for c in (
            f"{n_missing}项指标数据缺失" if n_missing else "",
            f"{len(late)}个单位次迟报" if late else "") if c)
        + "。请以下单位补报或说明原因；数据缺失的指标不计入上文预警指标数。"))
    for a in areas:
        items = missing.get(a, [])
        area_late = [i for i in late if i["area_code"] == a]
        if not items and not area_late:
            continue
        sub = section.section(data.area_name(a))
        if items:
            units = by_member_order([u for u, _ in items], member_order(data, a))
            position = {u: i for i, u in enumerate(units)}
            ranked = sorted(items, key=lambda x: position[x[0]])
            body: list[list[CellValue]] = [
                [i, unit, e.indicator_name, e.missing_text()]
                for i, (unit, e) in enumerate(ranked, start=1)
            ]
            sub.add(Table(tables.table(f"{data.area_name(a)}数据缺失指标"), [
                Column("序号", "integer", width=7), Column("报送单位", width=18),
                Column("指标", width=24), Column("缺失情况", width=40),
            ], body))
        if area_late:
            body = [[i["lead_unit"], i["note"]] for i in area_late]
            sub.add(Table(tables.table(f"{data.area_name(a)}迟报单位"), [
                Column("报送单位", width=20), Column("情况", width=60)], body))


def _unassigned_section(doc: Document, data: ReportData, items: list[tuple[Entry, str]],
                        tables: TableNumbers) -> None:
    section = doc.section("未明确责任单位的目标", new_page=True)
    section.add(Paragraph(
        f"以下{len(items)}项目标在规划中由区妇儿工委办公室负责或未写明牵头单位，未列入上文各单位"
        "清单，请办公室明确牵头单位后转交。"))
    body: list[list[CellValue]] = [
        [i, data.area_name(e.area_code), e.indicator_name, what,
         e.lead_text or "未写明"]
        for i, (e, what) in enumerate(items, start=1)
    ]
    section.add(Table(tables.table("未明确责任单位的目标"), [
        Column("序号", "integer", width=7), Column("地区", width=10), Column("指标", width=22),
        Column("情况", width=40), Column("规划中的牵头单位", width=16),
    ], body))


def build_warnings(data: ReportData, area_codes: list[str] | None = None) -> Document:
    """The warnings list of the given areas (default: all)."""
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
        date=report_date(data),
    )
    tables = TableNumbers()
    entries = collect_entries(data, rows)
    by_area: dict[str, list[Entry]] = {a: [] for a in areas}
    unassigned: list[tuple[Entry, str]] = []
    missing: dict[str, list[tuple[str, Entry]]] = {}
    for e in entries:
        nobody: list[str] = []
        if e.parts:
            if e.addressed_to:
                by_area.setdefault(e.area_code, []).append(e)
            else:
                nobody.append(e.description())
        if e.missing:
            unit = chase_unit(data, e)
            if unit is None:
                nobody.append(f"数据缺失：{e.missing_text()}")
            else:
                missing.setdefault(e.area_code, []).append((unit, e))
        if nobody:
            unassigned.append((e, "；".join(nobody)))
    listed = [e for a in areas for e in by_area[a]]
    late = late_items(data, area_codes)
    conflicts = conflict_items(data, area_codes)
    n_warned = len(warned(entries))
    n_missing = sum(len(v) for v in missing.values())
    text = (f"{data.year}年监测，{area_text}共有{n_warned}项指标发出预警")
    if n_warned:
        text += f"（按最主要的预警计：{counts_text(warned(entries))}）"
    n_unassigned_warned = sum(1 for e, _ in unassigned if e.parts)
    if n_unassigned_warned:
        text += (f"，其中{len(listed)}项列于各牵头单位名下，{n_unassigned_warned}项目标未明确"
                 "牵头单位")
    text += "。分组数据的预警并入所属指标，写作“其中城镇：……”。"
    if n_missing or late:
        chase = [f"{n_missing}项指标数据缺失" if n_missing else "",
                 f"{len(late)}个单位次迟报" if late else ""]
        text += "另有" + "、".join(c for c in chase if c) + "，列入催报清单。"
    if conflicts:
        text += f"数据冲突{len(conflicts)}项，列于最后，请统计人员核实。"
    doc.blocks.append(Paragraph(text))
    if listed:
        doc.blocks.append(_summary_table(data, areas, by_area,
                                         tables.table("各地区预警指标数（按主要预警类型）")))
    for a in areas:
        if not by_area[a]:
            continue
        area = doc.section(f"{data.area_name(a)}预警指标", new_page=True)
        units = {u for e in by_area[a] for u in e.addressed_to}
        area.add(Paragraph(
            f"{data.area_name(a)}{len(by_area[a])}项指标发出预警（{counts_text(by_area[a])}），"
            f"涉及牵头单位{len(units)}个，按规划中成员单位的顺序列出。"))
        _unit_sections(area, by_area[a], member_order(data, a), tables)
    if not listed:
        doc.blocks.append(Paragraph("本年度没有指标发出预警。"))
    if n_missing or late:
        _chase_section(doc, data, areas, missing, late, tables)
    if unassigned:
        _unassigned_section(doc, data, unassigned, tables)
    if conflicts:
        section = doc.section("数据冲突（请统计人员核实）", new_page=True)
        section.add(Paragraph(
            f"以下{len(conflicts)}项数据由不同单位报送的数值不一致，未纳入评估，请统计人员与报送单位"
            "核实、修正后重新评估。"))
        section.add(conflicts_table(data, conflicts, tables.table("数据冲突清单")))
    return doc
