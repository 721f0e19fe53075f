"""The fixed layout of a planwatch workbook, shared by the writer and the reader.

Keeping the column map in one place is what lets the reader prove a workbook still has
the shape the template gave it (see :mod:`planwatch.collect.workbook`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

TEMPLATE_VERSION = "1"
INSTRUCTIONS_SHEET = "填报说明"
DATA_SHEET = "数据填报"
META_SHEET = "_planwatch"

TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

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


def layout_digest(meta: dict[str, Any]) -> str:
    """Checksum over the hidden metadata: an edited sheet no longer matches it.

    It is a tamper *evidence* check against accidental or casual edits, not a signature:
    the key is public, so a determined editor could recompute it. The importer also
    checks unit, area and indicators against the catalogue, which no edit can fake.
    """
    payload = {k: meta[k] for k in sorted(meta) if k != "digest"}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(b"planwatch-template:" + blob).hexdigest()
