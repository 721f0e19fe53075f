"""Problems with the data rather than with the indicators: 迟报 and 数据冲突.

Both come from ``planwatch.assess.inputs``. A late report belongs to the unit that
submitted late, not to an indicator; a conflicting figure (two units reporting the same
figure differently) was left out of the assessment, so the statistician must settle it
with the units before the year's verdict on that indicator can stand.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import polars as pl

from planwatch.assess.summary import warnings_by_lead_unit
from planwatch.report.data import ReportData, split_units
from planwatch.report.formatting import with_unit
from planwatch.report.model import CellValue, Column, Table
from planwatch.vocabulary import TOTAL
from planwatch.vocabulary import breakdown_label as label


def late_items(data: ReportData, area_codes: Collection[str] | None = None,
               units: Collection[str] | None = None,
               years: Collection[int] | None = None) -> list[dict[str, Any]]:
    """迟报 of the report year's figures (or of ``years``: an evaluation looks back over the
    plan period), one per unit, area and year, with the assessment's note."""
    wanted = [data.year] if years is None else list(years)
    late = data.late.filter(pl.col("year").is_in(wanted))
    if area_codes:
        late = late.filter(pl.col("area_code").is_in(list(area_codes)))
    if units is not None:
        late = late.filter(pl.col("unit").is_in(list(units)))
    rows = warnings_by_lead_unit(data.result.head(0), data.year, data.config, late=late)
    return list(rows.select("lead_unit", "area_code", "warning", "note").iter_rows(named=True))


def conflict_items(data: ReportData, area_codes: Collection[str] | None = None,
                   indicator_codes: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Conflicting figures up to the report year, with indicator names and the reporters."""
    rows = data.conflicts
    if area_codes:
        rows = rows.filter(pl.col("area_code").is_in(list(area_codes)))
    if indicator_codes is not None:
        rows = rows.filter(pl.col("indicator_code").is_in(list(indicator_codes)))
    names = dict(data.result.select("indicator_code", "indicator_name").iter_rows())
    units = dict(data.result.select("indicator_code", "unit").iter_rows())
    items = []
    for r in rows.sort(["area_code", "indicator_code", "breakdown", "year"]).iter_rows(named=True):
        name = str(names.get(r["indicator_code"]) or r["indicator_code"])
        if r["breakdown"] != TOTAL:
            name = f"{name}（{label(str(r['breakdown']))}）"
        reporters = data.reporters.filter(
            (pl.col("indicator_code") == r["indicator_code"])
            & (pl.col("area_code") == r["area_code"])
        ).get_column("unit").to_list()
        values = "、".join(with_unit(v, units.get(r["indicator_code"]), 2) for v in r["values"])
        items.append({**r, "indicator": name, "values_text": values,
                      "reporters": "、".join(reporters) or "—"})
    return items


def plan_units(data: ReportData, rows: pl.DataFrame, area_code: str) -> set[str]:
    """Units whose lateness concerns a plan: they lead its targets or report its figures."""
    units = {u for r in rows.iter_rows(named=True)
             for u in data.units_of(r["target_id"], "lead") or split_units(r["lead_unit"])}
    codes = rows.get_column("indicator_code").unique().to_list()
    reporters = data.reporters.filter(
        pl.col("indicator_code").is_in(codes) & (pl.col("area_code") == area_code))
    return units | set(reporters.get_column("unit").to_list())


def late_table(data: ReportData, items: list[dict[str, Any]], caption: str) -> Table:
    body: list[list[CellValue]] = [
        [i["lead_unit"], data.area_name(str(i["area_code"])), i["note"]] for i in items
    ]
    return Table(caption, [Column("报送单位", width=20), Column("地区", width=10),
                           Column("情况", width=50)], body)


def conflicts_table(data: ReportData, items: list[dict[str, Any]], caption: str) -> Table:
    body: list[list[CellValue]] = [
        [i["indicator"], data.area_name(str(i["area_code"])), str(i["year"]),
         i["values_text"], i["reporters"]]
        for i in items
    ]
    return Table(
        caption,
        [Column("指标", width=22), Column("地区", width=10), Column("年份", width=8),
         Column("各单位报送值", width=24), Column("报送单位", width=24)],
        body,
        notes=["注：同一指标、地区、年份、分组由不同单位报送了不同数值，未采用任何一方的数值，"
               "该年按缺失处理；请统计人员与报送单位核实后修正。"],
    )
