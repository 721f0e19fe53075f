"""Reading a planwatch workbook back: its data sheet as values at their coordinates.

Both readers (figures and self-evaluations) open the file the same way, refuse a workbook
without the data sheet or the hidden metadata sheet, and prove the column headers and the
number of rows are still the ones written, with a ``tampered-layout`` problem at the cell
that differs. What each row must say is theirs to check; this module only gives them the
cell values by row number and field name, so every problem can point at its cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import load_workbook

from planwatch.collect.cells import parse_text, shown
from planwatch.collect.metadata_sheet import META_SHEET
from planwatch.collect.problems import Problem, problem
from planwatch.collect.workbook_frame import FIRST_DATA_ROW, HEADER_ROW
from planwatch.collect.workbook_guard import workbook_problem
from planwatch.errors import PlanwatchError
from planwatch.limits import DEFAULT, Limits

T = TypeVar("T")

_SEEN_BEYOND = 50
"""How many columns right of the template are looked at for stray figures."""


def read_with(path: Path, read: Callable[[Any], None], limits: Limits = DEFAULT) -> Problem | None:
    """Open the workbook read-only and hand it to ``read``; an unreadable file is a problem.

    Prefer :func:`load_with`, which keeps the reader's own checks outside the catch.
    """
    loaded = load_with(path, read, limits)
    return loaded if isinstance(loaded, Problem) else None


def load_with(path: Path, load: Callable[[Any], T], limits: Limits = DEFAULT) -> T | Problem:
    """Open the workbook read-only and return what ``load`` takes from it, or the problem.

    The file passes :func:`workbook_problem` first. openpyxl parses lazily and raises
    whatever its XML layer raises on a damaged file (ParseError, XMLSyntaxError, KeyError,
    zlib errors …), while opening and while ``load`` walks the rows; every such failure is
    the file's, so it becomes an ``unreadable-file`` problem rather than a traceback. So
    that a bug of planwatch's is not taken for a damaged file, ``load`` should only take
    values out of the workbook; checking them comes after, outside this catch.
    """
    refused = workbook_problem(path, limits)
    if refused is not None:
        return refused
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        return _damaged(path, exc)
    try:
        return load(wb)
    except PlanwatchError:
        raise
    except Exception as exc:
        return _damaged(path, exc)
    finally:
        wb.close()


def _damaged(path: Path, exc: Exception) -> Problem:
    detail = shown(str(exc), 120) or type(exc).__name__
    return problem("unreadable-file", file=path.name,
                   reason=f"不是有效的 Excel 工作簿，或文件已损坏（{type(exc).__name__}: {detail}）")


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
    """The data sheet's values, read once; ``columns`` maps field → (letter, header).

    At most ``limits.rows`` data rows are read (``too_many_rows`` says the sheet had more),
    and the first non-empty cell right of the template's last column is remembered
    (``beyond``): a figure typed there — a second 本年数值 column — would otherwise be
    dropped without a word.
    """

    def __init__(self, ws: Any, sheet: str, columns: Mapping[str, tuple[str, str]],
                 limits: Limits = DEFAULT) -> None:
        self.sheet = sheet
        self.columns = columns
        self.rows: list[tuple[Any, ...]] = []
        self.beyond: tuple[int, int] | None = None
        self.too_many_rows = False
        width = len(columns)
        cap = FIRST_DATA_ROW - 1 + limits.rows
        for n, values in enumerate(ws.iter_rows(min_row=1, max_col=width + _SEEN_BEYOND, values_only=True), start=1):
            if n > cap:  # empty padding is skipped cheaply; the first filled row stops the read
                if _filled(values):
                    self.too_many_rows = True
                    break
                continue
            if self.beyond is None and _filled(values[width:]):
                extra = next((i for i, v in enumerate(values[width:], start=width)
                              if v is not None and str(v).strip()), None)
                if extra is not None:
                    self.beyond = (n, extra)
            self.rows.append(tuple(values[:width]))

    def beyond_problem(self, file: str) -> Problem | None:
        """A ``tampered-layout`` at the first cell filled right of the template's columns."""
        if self.beyond is None:
            return None
        n, idx = self.beyond
        letter = _letter(idx)
        return problem("tampered-layout", file=file, sheet=self.sheet, row=n, column=letter,
                       detail=f"{letter}{n} 在模板的列之外（模板只到 {_letter(len(self.columns) - 1)} 列），"
                              "其中的内容不会被读取")

    def rows_problem(self, file: str, limits: Limits) -> Problem | None:
        if not self.too_many_rows:
            return None
        return problem("too-many-rows", file=file, sheet=self.sheet, limit=limits.rows)

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
                    detail=f"表头应为“{header}”，实际为“{shown(found)}”",
                ))
        return found_problems

    def added_row_problem(self, file: str, last_row: int) -> Problem | None:
        """The first non-empty row below the template's last row, if any."""
        for n in range(last_row + 1, len(self.rows) + 1):
            if _filled(self.rows[n - 1]):
                return problem("tampered-layout", file=file, sheet=self.sheet, row=n,
                               column="A", detail=f"第 {n} 行是模板之外新增的内容")
        return None


def _filled(values: tuple[Any, ...]) -> bool:
    """Whether any cell holds more than blanks.

    Rows of nothing at all are told apart first at C speed: a sheet padded down to row
    1 048 576 hands over a million of them, and testing each cell in Python took seconds.
    """
    if values.count(None) == len(values):
        return False
    return any(v is not None and str(v).strip() for v in values)


def _letter(idx: int) -> str:
    """Column letter of a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    n = idx + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
