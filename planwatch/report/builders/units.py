"""任务分工及落实情况表: for each member unit, the targets it leads and shares, how each
stands (落实情况), how completely it reported this year, and its warnings — the
responsibility matrix of the plans.

落实情况 is read from what the workspace holds, never written by the report: for a
quantitative target the assessment's status of its indicator in the area with the figure
it rests on (已实现（2024年96.03%）); for a qualitative target the unit's own latest
self-evaluation up to the report year (rating, cycle, evidence). A unit with neither shows
未报送, so the office sees at a glance whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from planwatch.collect.selfeval.cycles import cycle_label
from planwatch.report.builders.parts import indicator_label
from planwatch.report.builders.warning_entries import by_member_order, member_order
from planwatch.report.data import ReportData, finite, headline_rows, split_units
from planwatch.report.dating import report_date
from planwatch.report.formatting import row_decimals, with_unit
from planwatch.report.model import CellValue, Column, Document, Paragraph, Table

LEAD = "牵头"
SHARE = "参与（责任单位）"
NOT_REPORTED = "未报送"


@dataclass
class _Task:
    key: str
    name: str
    role: str
    status: str


@dataclass
class _UnitLine:
    tasks: list[_Task] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)
    warnings: int = 0

    def add(self, task: _Task) -> bool:
        """One role per unit and target: a unit the plan names both 牵头 and 参与 for one
        target is its lead; the first role given wins, so callers add leads first."""
        if any(t.key == task.key for t in self.tasks):
            return False
        self.tasks.append(task)
        return True

    def count(self, role: str) -> int:
        return sum(t.role == role for t in self.tasks)


def assessment_status(row: dict[str, Any]) -> str:
    """The target's status with the figure behind it, or 未报送 when it has no figure."""
    value = finite(row.get("latest_value"))
    if value is None or row.get("latest_year") is None:
        return NOT_REPORTED
    figure = with_unit(value, row.get("unit"), row_decimals(row))
    return f"{row['status']}（{int(row['latest_year'])}年{figure}）"


def _when(entry: dict[str, Any]) -> str:
    cycle = entry.get("cycle")
    return cycle_label(str(cycle or entry["year"]))


def self_evaluation_status(entry: dict[str, Any] | None) -> str:
    """完成（2024年度自评）：evidence — the unit's latest rating, or 未报送."""
    if entry is None:
        return NOT_REPORTED
    evidence = (entry.get("evidence") or "").strip()
    text = f"{entry['rating']}（{_when(entry)}自评）"
    return f"{text}：{evidence}" if evidence else text


def _latest_self_evaluations(
    data: ReportData, area_code: str
) -> dict[tuple[str, str, str], dict[str, dict[str, Any] | None]]:
    """(plan, domain, target text) → unit → its latest self-evaluation up to the report year
    (None when the unit rated the target only in later cycles), in the order first met."""
    se = data.self_evaluations.filter(pl.col("area_code") == area_code)
    found: dict[tuple[str, str, str], dict[str, dict[str, Any] | None]] = {}
    for r in se.iter_rows(named=True):
        key = (r.get("plan") or "", r.get("domain") or "", r["target_text"])
        units = found.setdefault(key, {})
        for unit in split_units(r.get("lead_unit")) or [""]:
            units.setdefault(unit, None)
            if r["year"] is None or int(r["year"]) > data.year:
                continue
            held = units[unit]
            if held is None or int(r["year"]) >= int(held["year"]):
                units[unit] = r
    return found


def _qualitative_tasks(data: ReportData, area_code: str) -> list[tuple[str, _Task]]:
    """(unit, task) of every 定性评价 target: the plan's lead and responsible units first
    (leads before responsible), then any unit that rated a target the plan does not name it
    for. A lead's cell is its own latest rating; a responsible unit rates nothing itself,
    so its cell carries the lead units' ratings, each named."""
    rated = _latest_self_evaluations(data, area_code)
    named: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    qual = data.qualitative_units.filter(pl.col("area_code") == area_code)
    for r in qual.iter_rows(named=True):
        key = (r["plan"] or "", r["domain"] or "", r["target_text"])
        named.setdefault(key, []).append((r["unit"], r["role"]))
    for key, by_unit in rated.items():
        units = named.setdefault(key, [])
        units += [(u, "lead") for u in by_unit if u and (u, "lead") not in units]
    tasks: list[tuple[str, _Task]] = []
    for key, units in named.items():
        _plan, domain, text = key
        name = f"{domain}：{text}" if domain else text
        by_unit = rated.get(key, {})
        leads = [u for u, role in units if role == "lead"]
        for unit in leads:
            tasks.append((unit, _Task("|".join(key), name, LEAD,
                                      self_evaluation_status(by_unit.get(unit)))))
        lead_ratings = [
            f"{u}自评{entry['rating']}（{_when(entry)}）"
            for u in leads if (entry := by_unit.get(u)) is not None
        ]
        shared = "；".join(lead_ratings) if lead_ratings else NOT_REPORTED
        tasks += [(unit, _Task("|".join(key), name, SHARE, shared))
                  for unit, role in units if role == "responsible"]
    return tasks


def build_units(data: ReportData, area_code: str) -> Document:
    data = data.for_area(area_code)
    area = data.area_name(area_code)
    rows = headline_rows(data.result.filter(pl.col("area_code") == area_code))
    if rows.is_empty():
        raise ValueError(f"没有{area}的评估结果 no assessment rows for this area")
    lines: dict[str, _UnitLine] = {}
    indicator_names = dict(rows.select("indicator_code", "indicator_name").iter_rows())
    for r in rows.iter_rows(named=True):
        key = str(r["target_id"] or f"{r['plan']}|{r['indicator_code']}")
        name = f"{r['domain']}：{indicator_label(r)}"
        status = assessment_status(r)
        leads = data.units_of(r["target_id"], "lead") or split_units(r["lead_unit"])
        for unit in leads:
            line = lines.setdefault(unit, _UnitLine())
            if line.add(_Task(key, name, LEAD, status)):
                line.warnings += len(r["warnings"] or [])
        for unit in data.units_of(r["target_id"], "responsible"):
            lines.setdefault(unit, _UnitLine()).add(_Task(key, name, SHARE, status))

    for unit, task in _qualitative_tasks(data, area_code):
        lines.setdefault(unit, _UnitLine()).add(task)

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

    order = member_order(data, area_code)
    qual = data.qualitative_units.filter(pl.col("area_code") == area_code)
    order += [u for u in qual.get_column("unit").to_list() if u not in order]
    order = by_member_order(lines, order)
    doc = Document(
        kind="units",
        title=f"{area}妇女儿童发展规划任务分工及{data.year}年落实情况表",
        subtitle=f"（{data.year}年）",
        issuer=data.issuer or f"{area}妇女儿童工作委员会办公室",
        sample_label=data.sample_label,
        date=report_date(data),
    )
    matrix = doc.section("任务分工总表")
    body: list[list[CellValue]] = []
    for unit in order:
        line = lines[unit]
        completeness = len(line.reported) / len(line.expected) if line.expected else None
        body.append([unit, line.count(LEAD), line.count(SHARE), len(line.expected),
                     len(line.reported), completeness, line.warnings])
    matrix.add(Paragraph(
        f"{area}共有{len(lines)}个单位承担规划目标任务，按规划列出成员单位的顺序排列。"
        "报送完整率=本年度已报送指标数÷应报指标数；" + source_note))
    matrix.add(Table("表1 成员单位任务和报送情况", [
        Column("单位", width=20), Column("牵头目标", "integer"), Column("参与目标", "integer"),
        Column("应报指标", "integer"), Column("已报指标", "integer"),
        Column("报送完整率", "percent", 1), Column("预警", "integer"),
    ], body))

    detail = doc.section("各单位任务清单")
    detail.add(Paragraph(
        "落实情况：量化目标为该指标在本地区的评估结论及所依据的最新数据；定性目标为该单位截至"
        f"{data.year}年最近一次自评的等级、评估周期和佐证材料；既无数据也无自评的标“{NOT_REPORTED}”。"
        "同一单位对同一目标既牵头又参与的，按牵头列出。"))
    for unit in order:
        line = lines[unit]
        sub = detail.section(unit)
        tasks = [t for t in line.tasks if t.role == LEAD] + [
            t for t in line.tasks if t.role == SHARE]
        if tasks:
            sub.add(Table(f"{unit}承担的目标", [
                Column("目标（领域：指标）", width=34), Column("角色", width=10),
                Column("落实情况", width=30),
            ], [[t.name, t.role, t.status] for t in tasks]))
        missing = sorted(line.expected - line.reported)
        if missing:
            names = [indicator_names.get(code, code) for code in missing]
            sub.add(Paragraph(f"{data.year}年尚未报送的指标：{'、'.join(names)}。"))
    return doc
