"""Reading a planwatch workbook back: its data sheet as values at their coordinates.

Both readers (figures and self-evaluations) open the file the same way, refuse a workbook
without the data sheet or the hidden metadata sheet, and prove the column headers and the
number of rows are still the ones written, with a ``tampered-layout`` problem at the cell
that differs. What each row must say is theirs to check; this module only gives them the
cell values by row number and field name, so every problem can point at its cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from planwatch.collect.cells import parse_text
from planwatch.collect.metadata_sheet import META_SHEET
from planwatch.collect.problems import Problem, problem
from planwatch.collect.workbook_frame import HEADER_ROW


def read_with(path: Path, read: Callable[[Any], None]) -> Problem | None:
    """Open the workbook read-only and hand it to ``read``; an unreadable file is a problem."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return problem("unreadable-file", file=path.name, reason=str(exc) or type(exc).__name__)
    try:
        read(wb)
    finally:
        wb.close()
    return None


def missing_sheet(
    sheetnames: Sequence[str], file: str, data_sheet: str, what: str
) -> Problem | None:
    """The data sheet and the hidden metadata sheet must both be there.

    ``what`` names the workbook in the message (模板, 自评模板) for someone who sent the
    wrong file.
    """
    if data_sheet not in sheetnames:
        visible = [n for n in sheetnames if n != META_SHEET]
        return problem("wrong-sheet", file=file, expected=data_sheet, found="、".join(visible))
    if META_SHEET not in sheetnames:
        return problem("tampered-layout", file=file,
                       detail=f"隐藏的模板信息工作表缺失（不是系统生成的{what}？）")
    return None


class SheetGrid:
    """The data sheet's values, read once; ``columns`` maps field → (letter, header)."""

    def __init__(self, ws: Any, sheet: str, columns: Mapping[str, tuple[str, str]]) -> None:
        self.sheet = sheet
        self.columns = columns
        self.rows: list[tuple[Any, ...]] = list(
            ws.iter_rows(min_row=1, max_col=len(columns), values_only=True)
        )

    def cell(self, row_no: int, field: str) -> Any:
        """The value at (row, field's column); None beyond the sheet's last row or column."""
        idx = ord(self.columns[field][0]) - ord("A")
        if row_no - 1 >= len(self.rows):
            return None
        values = self.rows[row_no - 1]
        return values[idx] if idx < len(values) else None

    def header_problems(self, file: str) -> list[Problem]:
        """One ``tampered-layout`` per header cell that no longer says what was written."""
        found_problems: list[Problem] = []
        for field, (letter, header) in self.columns.items():
            found = self.cell(HEADER_ROW, field)
            if (parse_text(found) or "") != header:
                found_problems.append(problem(
                    "tampered-layout", file=file, sheet=self.sheet, row=HEADER_ROW,
                    column=letter,
                    detail=f"表头应为“{header}”，实际为“{found if found is not None else ''}”",
                ))
        return found_problems

    def added_row_problem(self, file: str, last_row: int) -> Problem | None:
        """The first non-empty row below the template's last row, if any."""
        for n in range(last_row + 1, len(self.rows) + 1):
            if any(v is not None and str(v).strip() for v in self.rows[n - 1]):
                return problem("tampered-layout", file=file, sheet=self.sheet, row=n,
                               column="A", detail=f"第 {n} 行是模板之外新增的内容")
        return None
