"""Filling a template programmatically, the way a unit's clerk would in Excel.

Used by the demo (synthetic figures go through the very same workbook and import path as
real ones) and by tests that need a workbook broken in one precise way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from planwatch.collect import breakdowns as bd
from planwatch.collect import layout as L
from planwatch.collect.cells import parse_text


@dataclass(frozen=True)
class Figure:
    """What a clerk types on one row; ``None`` leaves the cell empty."""

    value: float | str | None = None
    numerator: float | str | None = None
    denominator: float | str | None = None
    note: str | None = None


def fill_template(
    template: str | Path,
    figures: Mapping[tuple[str, str], Figure],
    out: str | Path | None = None,
) -> Path:
    """Write ``figures`` ((indicator code, breakdown) → Figure) into a template's input cells.

    Rows are found by their code and breakdown cells, exactly as the reader checks them;
    a figure for a row the template does not have is an error, not silently dropped.
    """
    src = Path(template)
    wb = load_workbook(src)
    ws = wb[L.DATA_SHEET]
    rows: dict[tuple[str, str], int] = {}
    for n in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        code = parse_text(ws[f"{L.col('indicator')}{n}"].value)
        if not code:
            continue
        breakdown = bd.parse(parse_text(ws[f"{L.col('breakdown')}{n}"].value) or "")
        rows[(code, breakdown)] = n
    missing = [k for k in figures if k not in rows]
    if missing:
        raise KeyError(f"模板中没有这些行 rows not in template: {missing}")
    for k, fig in figures.items():
        n = rows[k]
        for field in ("value", "numerator", "denominator", "note"):
            v = getattr(fig, field)
            if v is not None:
                ws[f"{L.col(field)}{n}"] = v
    dest = Path(out) if out is not None else src
    wb.save(dest)
    return dest
