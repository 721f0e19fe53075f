"""Reading a filled self-evaluation workbook back, proving its layout is the one written.

The reader only establishes *what the workbook says* and that its shape is untouched
(``tampered-layout`` at the cell that differs); whether the unit, targets and ratings are
acceptable is decided by :mod:`.checks` against the catalogue.
"""

from __future__ import annotations

import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from planwatch.collect.cells import parse_text
from planwatch.collect.problems import Problem, problem
from planwatch.collect.selfeval import layout as L


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


def read_evaluation_workbook(path: str | Path) -> ParsedEvaluation:
    p = Path(path)
    parsed = ParsedEvaluation(path=str(p), file=p.name)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        if not p.is_file():
            parsed.problems.append(problem("unreadable-file", file=p.name, reason="文件不存在"))
        else:
            parsed.problems.append(problem("unsupported-format", file=p.name, suffix=p.suffix))
        return parsed
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        parsed.problems.append(problem("unreadable-file", file=p.name,
                                       reason=str(exc) or type(exc).__name__))
        return parsed
    try:
        _read(wb, parsed)
    finally:
        wb.close()
    return parsed


def _tampered(parsed: ParsedEvaluation, detail: str, **place: Any) -> None:
    parsed.problems.append(problem("tampered-layout", file=parsed.file, detail=detail, **place))


def _read(wb: Any, parsed: ParsedEvaluation) -> None:
    f = parsed.file
    names = list(wb.sheetnames)
    if L.DATA_SHEET not in names:
        visible = [n for n in names if n != L.META_SHEET]
        parsed.problems.append(
            problem("wrong-sheet", file=f, expected=L.DATA_SHEET, found="、".join(visible))
        )
        return
    if L.META_SHEET not in names:
        _tampered(parsed, "隐藏的模板信息工作表缺失（不是系统生成的自评模板？）")
        return
    meta = _read_meta(wb[L.META_SHEET])
    if meta is None or meta.get("digest") != L.digest(meta):
        _tampered(parsed, "隐藏的模板信息被修改", sheet=L.META_SHEET)
        return
    parsed.area_code = str(meta["area_code"])
    parsed.unit_id = int(meta["unit_id"])
    parsed.unit_name = str(meta["unit_name"])
    parsed.cycle = str(meta["cycle"])

    sheet = L.DATA_SHEET
    width = len(L.COLUMNS)
    rows = list(wb[sheet].iter_rows(min_row=1, max_col=width, values_only=True))

    def cell(n: int, name: str) -> Any:
        idx = ord(L.col(name)) - ord("A")
        if n - 1 >= len(rows):
            return None
        values = rows[n - 1]
        return values[idx] if idx < len(values) else None

    for name, (letter, header) in L.COLUMNS.items():
        found = cell(L.HEADER_ROW, name)
        if (parse_text(found) or "") != header:
            _tampered(parsed, f"表头应为“{header}”，实际为“{found if found is not None else ''}”",
                      sheet=sheet, row=L.HEADER_ROW, column=letter)
    if parsed.problems:
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
    last = L.FIRST_DATA_ROW + len(layout) - 1
    for n in range(last + 1, len(rows) + 1):
        if any(v is not None and str(v).strip() for v in rows[n - 1]):
            _tampered(parsed, f"第 {n} 行是模板之外新增的内容", sheet=sheet, row=n, column="A")
            break


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
    meta: dict[str, Any] = {}
    for values in ws.iter_rows(min_row=1, max_col=2, values_only=True):
        if values and values[0] is not None:
            meta[str(values[0])] = values[1]
    if not set(L.META_KEYS) <= meta.keys() or meta.get("kind") != L.TEMPLATE_KIND:
        return None
    try:
        meta["rows"] = json.loads(str(meta["rows"]))
        meta["unit_id"] = int(meta["unit_id"])
        rows_ok = all(isinstance(r, list) and len(r) == 3 for r in meta["rows"])
    except (ValueError, TypeError):
        return None
    return meta if rows_ok else None
