"""The fixed layout of a planwatch workbook, shared by the writer and the reader.

Keeping the column map in one place is what lets the reader prove a workbook still has
the shape the template gave it (see :mod:`planwatch.collect.workbook`).
"""

from __future__ import annotations

from typing import Any

from planwatch.collect.metadata_sheet import META_SHEET as META_SHEET
from planwatch.collect.metadata_sheet import checksum
from planwatch.collect.workbook_frame import FIRST_DATA_ROW as FIRST_DATA_ROW
from planwatch.collect.workbook_frame import HEADER_ROW as HEADER_ROW
from planwatch.collect.workbook_frame import INFO_ROW as INFO_ROW
from planwatch.collect.workbook_frame import INSTRUCTIONS_SHEET as INSTRUCTIONS_SHEET
from planwatch.collect.workbook_frame import TITLE_ROW as TITLE_ROW

TEMPLATE_VERSION = "1"
DATA_SHEET = "数据填报"

# field name → (column letter, header text)
COLUMNS: dict[str, tuple[str, str]] = {
    "seq": ("A", "序号"),
    "indicator": ("B", "指标代码"),
    "name": ("C", "指标名称"),
    "unit": ("D", "计量单位"),
    "dimension": ("E", "分组维度"),
    "breakdown": ("F", "分组"),
    "last_year": ("G", "上年审定值"),
    "target": ("H", "规划目标"),
    "value": ("I", "本年数值"),
    "numerator": ("J", "分子"),
    "denominator": ("K", "分母"),
    "note": ("L", "备注（未填数值时必须说明原因）"),
}
INPUT_FIELDS = ("value", "numerator", "denominator", "note")


def col(field: str) -> str:
    return COLUMNS[field][0]


def layout_digest(meta: dict[str, Any], key: bytes | None = None) -> str:
    """Checksum over the hidden metadata (see :mod:`planwatch.collect.metadata_sheet`)."""
    return checksum(meta, "planwatch-template", key)
