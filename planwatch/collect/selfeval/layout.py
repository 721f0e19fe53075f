"""The fixed shape of a self-evaluation workbook, shared by its writer and its reader.

The hidden metadata lists the target of every row (its database id, domain and number);
the reader proves each row still shows the same domain and number before it trusts the
rating beside it, so a sorted or edited sheet cannot put a rating on the wrong target.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

TEMPLATE_KIND = "self-evaluation"
TEMPLATE_VERSION = "1"
INSTRUCTIONS_SHEET = "填报说明"
DATA_SHEET = "定性目标自评"
META_SHEET = "_planwatch"

TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

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


def digest(meta: dict[str, Any]) -> str:
    """Checksum over the metadata: tamper evidence against casual edits, not a signature.

    The importer checks unit, targets and lead units against the catalogue as well, which
    no edit of the workbook can fake.
    """
    payload = {k: meta[k] for k in sorted(meta) if k != "digest"}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(b"planwatch-selfeval:" + blob).hexdigest()
