"""The fixed shape of a self-evaluation workbook, shared by its writer and its reader.

The hidden metadata lists the target of every row (its database id, domain and number);
the reader proves each row still shows the same domain and number before it trusts the
rating beside it, so a sorted or edited sheet cannot put a rating on the wrong target.
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

TEMPLATE_KIND = "self-evaluation"
TEMPLATE_VERSION = "1"
DATA_SHEET = "定性目标自评"

# field name → (column letter, header text)
COLUMNS: dict[str, tuple[str, str]] = {
    "seq": ("A", "序号"),
    "plan": ("B", "规划"),
    "domain": ("C", "发展领域"),
    "number": ("D", "目标序号"),
    "text": ("E", "主要目标"),
    "rating": ("F", "自评结果"),
    "evidence": ("G", "完成情况及依据（必填）"),
}
INPUT_FIELDS = ("rating", "evidence")
META_KEYS = ("kind", "template_version", "area_code", "area_name", "unit_id", "unit_name",
             "cycle", "rows", "digest")  # fmt: skip


def col(field: str) -> str:
    return COLUMNS[field][0]


def digest(meta: dict[str, Any], key: bytes | None = None) -> str:
    """Checksum over the metadata, keyed with the workspace's template key (see
    :mod:`planwatch.collect.metadata_sheet`)."""
    return checksum(meta, "planwatch-selfeval", key)
