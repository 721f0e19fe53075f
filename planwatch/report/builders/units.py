"""任务分工表: for each member unit, the targets it leads and shares, how completely it
reported this year, and its warnings — the responsibility matrix of the plans."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from planwatch.report.builders.parts import indicator_label
from planwatch.report.data import ReportData, headline_rows, split_units
from planwatch.report.model import CellValue, Column, Document, Paragraph, Table


@dataclass
class _UnitLine:
    leads: list[str] = field(default_factory=list)
    shares: list[str] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)
    warnings: int = 0


def build_units(data: ReportData, area_code: str) -> Document:
    area = data.area_name(area_code)
    rows = headline_rows(data.result.filter(pl.col("area_code") == area_code))
    if rows.is_empty():
        raise ValueError(f"没有{area}的评估结果 no assessment rows for this area")
    lines: dict[str, _UnitLine] = {}
    indicator_names = dict(rows.select("indicator_code", "indicator_name").iter_rows())
    for r in rows.iter_rows(named=True):
        name = f"{r['domain']}：{indicator_label(r)}"
        leads = data.units_of(r["target_id"], "lead") or split_units(r["lead_unit"])
        for unit in leads:
            line = lines.setdefault(unit, _UnitLine())
            line.leads.append(name)
            line.warnings += len(r["warnings"] or [])
        for unit in data.units_of(r["target_id"], "responsible"):
            lines.setdefault(unit, _UnitLine()).shares.append(name)

    reported = set(
        data.observations.filter(
            (pl.col("area_code") == area_code) & (pl.col("year") == data.year)
        ).get_column("indicator_code").unique().to_list()
    )
    reporters = data.reporters.filter(pl.col("area_code") == area_code)
    if reporters.height:
        source_note = "应报指标按指标的报送单位统计。"
        pairs = reporters.select("unit", "indicator_code").iter_rows()
    else:
        source_note = "未设置报送单位，应报指标按牵头单位统计。"
        pairs = (
            (unit, str(r["indicator_code"]))
            for r in rows.iter_rows(named=True)
            for unit in (data.units_of(r["target_id"], "lead") or split_units(r["lead_unit"]))
        )
    for unit, code in pairs:
        line = lines.setdefault(str(unit), _UnitLine())
        line.expected.add(str(code))
        if code in reported:
            line.reported.add(str(code))

    doc = Document(
        kind="units",
        title=f"{area}妇女儿童发展规划任务分工及{data.year}年落实情况表",
        subtitle=f"（{data.year}年）",
        issuer=data.issuer or f"{area}妇女儿童工作委员会办公室",
        sample_label=data.sample_label,
    )
    matrix = doc.section("任务分工总表")
    body: list[list[CellValue]] = []
    for unit in sorted(lines):
        line = lines[unit]
        completeness = len(line.reported) / len(line.expected) if line.expected else None
        body.append([unit, len(line.leads), len(line.shares), len(line.expected),
                     len(line.reported), completeness, line.warnings])
    matrix.add(Paragraph(
        f"{area}共有{len(lines)}个单位承担规划目标任务。报送完整率=本年度已报送指标数÷应报指标数；"
        + source_note))
    matrix.add(Table("表1 成员单位任务和报送情况", [
        Column("单位", width=20), Column("牵头目标", "integer"), Column("参与目标", "integer"),
        Column("应报指标", "integer"), Column("已报指标", "integer"),
        Column("报送完整率", "percent", 1), Column("预警", "integer"),
    ], body))

    detail = doc.section("各单位任务清单")
    for unit in sorted(lines):
        line = lines[unit]
        sub = detail.section(unit)
        items: list[list[CellValue]] = [[t, "牵头"] for t in line.leads]
        items += [[t, "参与（责任单位）"] for t in line.shares]
        if items:
            sub.add(Table(f"{unit}承担的目标", [Column("目标（领域：指标）", width=40),
                                             Column("角色", width=14)], items))
        missing = sorted(line.expected - line.reported)
        if missing:
            names = [indicator_names.get(code, code) for code in missing]
            sub.add(Paragraph(f"{data.year}年尚未报送的指标：{'、'.join(names)}。"))
    return doc
