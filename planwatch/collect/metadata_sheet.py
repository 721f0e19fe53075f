"""The very hidden sheet in which a planwatch workbook records what it was written for.

Both workbooks (figures and self-evaluations) keep unit, area, period and the row layout
there, one key per row, with a checksum over all of it. The checksum is tamper *evidence*
against accidental or casual edits, not a signature: the key is public, so a determined
editor could recompute it. That is why the importers also check unit, area and rows against
the catalogue, which no edit of the workbook can fake. Each kind of workbook salts the
checksum with its own name, so the metadata of one can never pass as the other's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from openpyxl import Workbook

from planwatch.safe_output import put

META_SHEET = "_planwatch"


def checksum(meta: dict[str, Any], salt: str) -> str:
    """Digest over every key but ``digest`` itself, in a stable order."""
    payload = {k: meta[k] for k in sorted(meta) if k != "digest"}
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(salt.encode() + b":" + blob).hexdigest()


def write_metadata_sheet(wb: Workbook, meta: dict[str, object]) -> None:
    """Append the sheet: key in column A, value in B (lists as JSON), hidden and protected."""
    ws = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(meta.items(), start=1):
        put(ws, i, 1, k)
        put(ws, i, 2, json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def read_metadata_sheet(ws: Any) -> dict[str, Any]:
    """The key → value pairs as stored; each reader checks and converts the ones it needs."""
    meta: dict[str, Any] = {}
    for values in ws.iter_rows(min_row=1, max_col=2, values_only=True):
        if values and values[0] is not None:
            meta[str(values[0])] = values[1]
    return meta
