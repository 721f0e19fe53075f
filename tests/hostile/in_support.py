"""Builders and checks shared by the hostile-input tests (``in_*``: inputs planwatch reads).

Each hostile input is made here from a valid file — a filled template of the collection
tests' small catalogue, or a CSV of the same figures — so a test states only what it
breaks and which clean refusal (problem id and place) it expects. Big inputs (a 10 MB
field, 25,000 rows) are generated, never stored in the repository.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "collect"))

from collect_support import AREA, GOOD_HEALTH, HEALTH, Catalogue, cat, cat_any, filled

from planwatch.collect import layout as L
from planwatch.collect.importer import FileResult, import_files
from planwatch.limits import Limits
from planwatch.store.models import Submission

__all__ = ["AREA", "GOOD_HEALTH", "HEALTH", "Catalogue", "cat", "cat_any", "filled"]

SHEET = L.DATA_SHEET
DATA_MEMBER = "xl/worksheets/sheet2.xml"
"""The data sheet's XML in a template (instructions, data, hidden metadata)."""


def row_of(path: Path, code: str, breakdown: str = "total") -> int:
    """The sheet row that holds ``code`` × ``breakdown`` in a template."""
    wb = load_workbook(path, read_only=True)
    try:
        import json

        meta = {r[0]: r[1] for r in wb[L.META_SHEET].iter_rows(values_only=True)}
        layout = json.loads(meta["rows"])
    finally:
        wb.close()
    return L.FIRST_DATA_ROW + layout.index([code, breakdown])


def set_cells(path: Path, cells: dict[str, Any], sheet: str = SHEET) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Replace one zip member's bytes, keeping every other member as it was."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info.filename, change(data) if info.filename == member else data)
    return path


CSV_HEADER = "地区代码,填报单位,年度,指标代码,分组,本年数值,分子,分母,备注"


def csv_rows(year: str = "2023") -> list[str]:
    """GOOD_HEALTH as CSV lines (no header)."""
    def num(v: float | None) -> str:
        return "" if v is None else f"{v:g}"

    return [
        f"{AREA},{HEALTH},{year},{code},{bd},{num(fig.value)},{num(fig.numerator)},{num(fig.denominator)},"
        for (code, bd), fig in GOOD_HEALTH.items()
    ]


def write_csv(path: Path, lines: Iterable[str], *, newline: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


def run(cat: Catalogue, path: Path, limits: Limits | None = None, **kwargs: Any) -> FileResult:
    result = import_files(cat.factory, [path], "hostile", limits=limits, **kwargs)
    return result.files[0]


def stored(cat: Catalogue) -> int:
    with cat.factory() as s:
        return s.scalar(select(func.count()).select_from(Submission)) or 0


def assert_refused(cat: Catalogue, result: FileResult, code: str, place: tuple[Any, ...] | None = None) -> None:
    """Refused with ``code`` (at ``place``: file, sheet, row, column) and nothing stored."""
    found = [(p.file, p.sheet, p.row, p.column) for p in result.report.problems if p.code == code]
    assert found, f"{code} not in {[(p.code, p.message[:80]) for p in result.report.problems]}"
    if place is not None:
        assert place in found, f"{code} at {found}, expected {place}"
    assert not result.accepted
    assert stored(cat) == 0
