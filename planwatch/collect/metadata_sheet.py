"""The very hidden sheet in which a planwatch workbook records what it was written for.

Both workbooks (figures and self-evaluations) keep unit, area, period and the row layout
there, one key per row, with a checksum over all of it: an HMAC keyed with the workspace's
secret template key (:mod:`planwatch.collect.template_key`), so an editor who changes the
year and recomputes a checksum still fails — the key never leaves the workspace. The
importers also check unit, area and rows against the catalogue, which no edit of the
workbook can fake. Each kind of workbook salts the
checksum with its own name, so the metadata of one can never pass as the other's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from openpyxl import Workbook

from planwatch.safe_output import put

META_SHEET = "_planwatch"
MAX_META_ROWS = 100
"""planwatch writes about ten keys; a sheet with more rows was not written by it."""


def checksum(meta: dict[str, Any], salt: str, key: bytes | None = None) -> str:
    """Digest over every key but ``digest`` itself, in a stable order.

    With ``key`` (the workspace's secret template key) an HMAC-SHA256: only someone holding
    the key — planwatch, reading it from the workspace's database — can make a digest that
    verifies, so a workbook whose year was edited and its checksum recomputed is refused.
    Without a key the plain salted SHA-256 is tamper evidence only.
    """
    payload = {k: meta[k] for k in sorted(meta) if k != "digest"}
    blob = salt.encode() + b":" + json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()
    if key is not None:
        return hmac.new(key, blob, hashlib.sha256).hexdigest()
    return hashlib.sha256(blob).hexdigest()


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
    for values in ws.iter_rows(min_row=1, max_row=MAX_META_ROWS, max_col=2, values_only=True):
        if values and values[0] is not None:
            meta[str(values[0])] = values[1] if len(values) > 1 else None
    return meta
