"""Reading a filled template back into rows, proving its layout is the one we wrote.

The hidden metadata says which indicator and breakdown every data row holds; each row's
code and breakdown cells must still say the same, the headers must be unchanged and no
rows may be added. Any difference is a ``tampered-layout`` problem at that cell, because
a figure in a moved row would otherwise be stored against the wrong indicator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from hmac import compare_digest
from pathlib import Path
from typing import Any

from planwatch.collect import breakdowns as bd
from planwatch.collect import layout as L
from planwatch.collect.cells import NotANumber, parse_number, parse_text, shown
from planwatch.collect.metadata_sheet import read_metadata_sheet
from planwatch.collect.problems import Problem, problem
from planwatch.collect.rows import InputRow, ParsedFile
from planwatch.collect.sheet_grid import SheetGrid, load_with, missing_sheet
from planwatch.limits import DEFAULT, Limits

NUMBER_FIELDS = {"value": "本年数值", "numerator": "分子", "denominator": "分母"}


def read_workbook(
    path: str | Path, units: dict[str, str] | None = None, *, key: bytes | None = None,
    limits: Limits = DEFAULT,
) -> ParsedFile:
    """Read a filled template. ``units`` (code → unit of measure) lets ``12.5%`` pass.

    ``key`` is the workspace's template key (:mod:`planwatch.collect.template_key`): the
    hidden metadata must carry the digest made with it, so an edited year or unit cannot be
    passed off by recomputing a public checksum.
    """
    p = Path(path)
    parsed = ParsedFile(path=str(p), file=p.name, format="xlsx")
    loaded = load_with(p, lambda wb: _load(wb, limits), limits)
    if isinstance(loaded, Problem):
        parsed.problems.append(loaded)
    else:
        _read(loaded, parsed, units or {}, key, limits)
    return parsed


@dataclass
class _Loaded:
    """What is taken out of the workbook under the damaged-file catch."""

    sheetnames: list[str]
    meta: dict[str, Any] | None = None
    grid: SheetGrid | None = None


def _load(wb: Any, limits: Limits) -> _Loaded:
    loaded = _Loaded(list(wb.sheetnames))
    if L.DATA_SHEET in loaded.sheetnames and L.META_SHEET in loaded.sheetnames:
        loaded.meta = read_metadata_sheet(wb[L.META_SHEET])
        loaded.grid = SheetGrid(wb[L.DATA_SHEET], L.DATA_SHEET, L.COLUMNS, limits)
    return loaded


def _read(loaded: _Loaded, parsed: ParsedFile, units: dict[str, str], key: bytes | None, limits: Limits) -> None:
    f = parsed.file
    absent = missing_sheet(loaded.sheetnames, f, L.DATA_SHEET, "模板")
    if absent is not None or loaded.meta is None or loaded.grid is None:
        parsed.problems.append(absent or problem("tampered-layout", file=f, detail="工作表缺失"))
        return
    meta = _read_meta(loaded.meta)
    if meta is None or not compare_digest(str(meta.get("digest")), L.layout_digest(meta, key)):
        parsed.problems.append(
            problem("tampered-layout", file=f, sheet=L.META_SHEET, detail="隐藏的模板信息被修改")
        )
        return
    parsed.area_code = str(meta["area_code"])
    parsed.unit_name = str(meta["unit_name"])
    parsed.unit_id = int(meta["unit_id"])
    parsed.year = int(meta["year"])
    parsed.template_version = str(meta["template_version"])
    parsed.header_place = (L.DATA_SHEET, L.INFO_ROW, "A")
    layout: list[list[str]] = meta["rows"]
    parsed.expected_codes = list(dict.fromkeys(code for code, _ in layout))

    sheet = L.DATA_SHEET
    grid = loaded.grid
    cell = grid.cell
    headers = grid.header_problems(f)
    stray = [p for p in (grid.rows_problem(f, limits), grid.beyond_problem(f)) if p is not None]
    if headers or stray:
        parsed.problems.extend(headers + stray)
        return

    for i, (code, breakdown) in enumerate(layout):
        n = L.FIRST_DATA_ROW + i
        found_code = parse_text(cell(n, "indicator")) or ""
        if found_code != code:
            parsed.problems.append(problem(
                "tampered-layout", file=f, sheet=sheet, row=n, column=L.col("indicator"),
                detail=f"第 {n} 行应为指标“{code}”，实际为“{shown(found_code)}”",
            ))
            continue
        found_bd = bd.parse(parse_text(cell(n, "breakdown")) or "")
        if found_bd != breakdown:
            parsed.problems.append(problem(
                "tampered-layout", file=f, sheet=sheet, row=n, column=L.col("breakdown"),
                detail=f"第 {n} 行分组应为“{bd.label(breakdown)}”，实际为“{shown(cell(n, 'breakdown'))}”",
            ))
            continue
        parsed.rows.append(_row(f, sheet, n, code, breakdown, cell, units.get(code), parsed, limits))

    added = grid.added_row_problem(f, L.FIRST_DATA_ROW + len(layout) - 1)
    if added is not None:
        parsed.problems.append(added)


def _row(
    f: str, sheet: str, n: int, code: str, breakdown: str, cell: Any, unit: str | None,
    parsed: ParsedFile, limits: Limits,
) -> InputRow:
    row = InputRow(
        file=f, sheet=sheet, row=n, indicator_code=code, breakdown=breakdown,
        columns={k: L.col(k) for k in L.COLUMNS},
    )
    for field, label in NUMBER_FIELDS.items():
        raw = cell(n, field)
        try:
            setattr(row, field, parse_number(raw, unit, limits.magnitude))
        except NotANumber as exc:
            row.unreadable.add(field)
            parsed.problems.append(problem(
                exc.problem, file=f, sheet=sheet, row=n, column=L.col(field), field=label,
                text=exc.text, limit=limits.magnitude,
            ))
    note = parse_text(cell(n, "note"))
    if note is not None and len(note) > limits.note_chars:
        parsed.problems.append(problem(
            "cell-too-long", file=f, sheet=sheet, row=n, column=L.col("note"), field="备注",
            length=len(note), limit=limits.note_chars,
        ))
        note = None
    row.note = note
    return row


def _read_meta(stored: dict[str, Any]) -> dict[str, Any] | None:
    meta = dict(stored)
    required = {"template_version", "area_code", "unit_id", "unit_name", "year", "rows",
                "digest"}  # fmt: skip
    if not required <= meta.keys():
        return None
    try:
        meta["rows"] = json.loads(str(meta["rows"]))
        meta["unit_id"] = int(meta["unit_id"])
        meta["year"] = int(meta["year"])
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None
    rows = meta["rows"]
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r) for r in rows
    ):
        return None
    return meta
