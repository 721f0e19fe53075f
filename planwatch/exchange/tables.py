"""A workspace's figures as a CSV file or an Excel workbook, for people and other systems.

The same rows as the SDMX export (:func:`planwatch.exchange.figures.read_figures`), one per
figure, with names beside the codes. Every text cell goes through
:mod:`planwatch.safe_output`, so a unit or note starting with ``=`` stays text in Excel;
numbers stay numbers. The column names are the CSV import's where one exists (地区代码,
填报单位, 年度, 指标代码, 分组, 本年数值, 分子, 分母, 备注), so a reader knows them; a file
of several units is a listing, not an import file (the import takes one unit per CSV file,
or SDMX-CSV for many).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from planwatch.exchange.figures import Figure
from planwatch.safe_output import csv_field, put
from planwatch.vocabulary import STATE_LABELS, breakdown_label

TableFormat = Literal["csv", "xlsx"]

HEADERS = ("地区代码", "地区", "填报单位", "年度", "指标代码", "指标名称", "计量单位", "分组", "分组代码",
           "本年数值", "分子", "分母", "备注", "状态", "填报编号", "版本")  # fmt: skip


def rows(figures: Sequence[Figure]) -> list[list[Any]]:
    return [[f.area_code, f.area_name, f.reporting_unit, f.year, f.indicator_code, f.indicator_name,
             f.measure_unit or "", breakdown_label(f.breakdown), f.breakdown, f.value, f.numerator, f.denominator,
             f.note or "", STATE_LABELS.get(f.state, f.state), f.submission_id, f.revision] for f in figures]


def write_table(figures: Sequence[Figure], output: Path, fmt: TableFormat) -> int:
    """Write the figures to ``output``; the number of rows written."""
    body = rows(figures)
    if fmt == "csv":
        # UTF-8 with BOM: what Excel needs to open Chinese text without asking for an encoding.
        with output.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for row in body:
                writer.writerow(["" if v is None else csv_field(v) for v in row])
        return len(body)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    for c, header in enumerate(HEADERS, start=1):
        put(sheet, 1, c, header)
    for r, row in enumerate(body, start=2):
        for c, value in enumerate(row, start=1):
            put(sheet, r, c, value)
    sheet.freeze_panes = "A2"
    book.save(output)
    return len(body)
