"""Reading a filled self-evaluation workbook back, proving its layout is the one written.

The reader only establishes *what the workbook says* and that its shape is untouched
(``tampered-layout`` at the cell that differs); whether the unit, targets and ratings are
acceptable is decided by :mod:`.checks` against the catalogue.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from hmac import compare_digest
from pathlib import Path
from typing import Any

from planwatch.collect.cells import parse_text
from planwatch.collect.metadata_sheet import read_metadata_sheet
from planwatch.collect.problems import Problem, problem
from planwatch.collect.selfeval import layout as L
from planwatch.collect.sheet_grid import SheetGrid, missing_sheet, read_with


@dataclass
class EvaluationInput:
    """One row as typed: the target it belongs to (from the metadata) and the two inputs."""

    row: int
    target_id: int
    domain: str
    number: int
    rating: str | None
    evidence: str | None


@dataclass
class ParsedEvaluation:
    path: str
    file: str
    area_code: str | None = None
    unit_id: int | None = None
    unit_name: str | None = None
    cycle: str | None = None
    rows: list[EvaluationInput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """The header could be read, so unit and cycle are known."""
        return self.unit_name is not None and self.cycle is not None


def read_evaluation_workbook(path: str | Path, key: bytes | None = None) -> ParsedEvaluation:
    """Read a filled self-evaluation workbook; ``key`` is the workspace's template key."""
    p = Path(path)
    parsed = ParsedEvaluation(path=str(p), file=p.name)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        if not p.is_file():
            parsed.problems.append(problem("unreadable-file", file=p.name, reason="文件不存在"))
        else:
            parsed.problems.append(problem("unsupported-format", file=p.name, suffix=p.suffix))
        return parsed
    unreadable = read_with(p, lambda wb: _read(wb, parsed, key))
    if unreadable is not None:
        parsed.problems.append(unreadable)
    return parsed


def _tampered(parsed: ParsedEvaluation, detail: str, **place: Any) -> None:
    parsed.problems.append(problem("tampered-layout", file=parsed.file, detail=detail, **place))


def _read(wb: Any, parsed: ParsedEvaluation, key: bytes | None) -> None:
    absent = missing_sheet(list(wb.sheetnames), parsed.file, L.DATA_SHEET, "自评模板")
    if absent is not None:
        parsed.problems.append(absent)
        return
    meta = _read_meta(wb[L.META_SHEET])
    if meta is None or not compare_digest(str(meta.get("digest")), L.digest(meta, key)):
        _tampered(parsed, "隐藏的模板信息被修改", sheet=L.META_SHEET)
        return
    parsed.area_code = str(meta["area_code"])
    parsed.unit_id = int(meta["unit_id"])
    parsed.unit_name = str(meta["unit_name"])
    parsed.cycle = str(meta["cycle"])

    sheet = L.DATA_SHEET
    grid = SheetGrid(wb[sheet], sheet, L.COLUMNS)
    cell = grid.cell
    headers = grid.header_problems(parsed.file)
    if headers:
        parsed.problems.extend(headers)
        return

    layout: list[list[Any]] = meta["rows"]
    for i, (target_id, domain, number) in enumerate(layout):
        n = L.FIRST_DATA_ROW + i
        found_domain = parse_text(cell(n, "domain")) or ""
        found_number = _as_int(cell(n, "number"))
        if found_domain != domain:
            _tampered(parsed, f"第 {n} 行发展领域应为“{domain}”，实际为“{found_domain}”",
                      sheet=sheet, row=n, column=L.col("domain"))
            continue
        if found_number != number:
            _tampered(parsed, f"第 {n} 行目标序号应为 {number}，实际为“{cell(n, 'number')}”",
                      sheet=sheet, row=n, column=L.col("number"))
            continue
        parsed.rows.append(EvaluationInput(
            row=n, target_id=int(target_id), domain=domain, number=int(number),
            rating=_rating_text(cell(n, "rating")), evidence=parse_text(cell(n, "evidence")),
        ))
    added = grid.added_row_problem(parsed.file, L.FIRST_DATA_ROW + len(layout) - 1)
    if added is not None:
        parsed.problems.append(added)


def _rating_text(raw: Any) -> str | None:
    """The rating as typed, with full-width and stray spaces normalised away."""
    text = parse_text(raw)
    if text is None:
        return None
    return "".join(unicodedata.normalize("NFKC", text).split()) or None


def _as_int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = parse_text(raw)
    return int(text) if text is not None and text.isdigit() else None


def _read_meta(ws: Any) -> dict[str, Any] | None:
    meta = read_metadata_sheet(ws)
    if not set(L.META_KEYS) <= meta.keys() or meta.get("kind") != L.TEMPLATE_KIND:
        return None
    try:
        meta["rows"] = json.loads(str(meta["rows"]))
        meta["unit_id"] = int(meta["unit_id"])
        rows_ok = all(isinstance(r, list) and len(r) == 3 for r in meta["rows"])
    except (ValueError, TypeError):
        return None
    return meta if rows_ok else None
