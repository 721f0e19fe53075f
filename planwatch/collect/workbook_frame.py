"""The frame every planwatch workbook shares, whatever it collects.

An instructions sheet, then a data sheet headed by a title row, an information row and the
column headers, with the data rows below; input cells are pale yellow and unlocked, every
other cell locked and each sheet protected. Keeping the frame in one place keeps the
figures workbook and the self-evaluation workbook looking and behaving alike for the units
that fill both, and lets both readers find the header in the same place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from planwatch.safe_output import put, set_cell

INSTRUCTIONS_SHEET = "填报说明"

TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
NA_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def column_numbers(columns: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    """field → column number of a layout's ``COLUMNS``: ``ws.cell(row, number)`` skips
    parsing a coordinate string for every cell a template writes."""
    return {name: column_index_from_string(letter) for name, (letter, _) in columns.items()}


class CellStyles:
    """The style assignments of one workbook, each combination made once and then copied.

    openpyxl registers a style object by hashing it, field by field, on every assignment,
    and a template styles hundreds of cells four or five times each, nearly all alike: that
    was a quarter of the time a template took to write. Which style ids a cell ends with
    depends only on the ids it had and on what is assigned, so the first cell's outcome is
    copied onto every later cell that starts alike: the workbook written is the same.
    Assigned objects are recognised by identity (module constants, not objects made per
    cell) and kept alive here, so an identity is never reused by another object.
    """

    def __init__(self) -> None:
        self._done: dict[tuple[object, ...], StyleArray] = {}
        self._assigned: list[object] = []

    def apply(self, cell: Cell, **styles: object) -> Cell:
        """``cell.<name> = value`` for each of ``styles``, in their order."""
        key = (tuple(cell._style or StyleArray()), *((name, id(value)) for name, value in styles.items()))
        done = self._done.get(key)
        if done is not None:
            cell._style = copy(done)
            return cell
        for name, value in styles.items():
            setattr(cell, name, value)
        self._done[key] = copy(cell._style)
        self._assigned.extend(styles.values())
        return cell


def write_instructions(ws: Worksheet, lines: Sequence[str], label: str | None = None) -> None:
    """The instructions sheet; ``label`` (示例数据 …) goes right under the heading line."""
    shown = list(lines)
    if label:
        shown.insert(1, f"【{label}】")
    for i, text in enumerate(shown, start=1):
        put(ws, i, 1, text)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def write_heading(
    ws: Worksheet,
    title: str,
    info: str,
    columns: Mapping[str, tuple[str, str]],
    widths: Mapping[str, float],
    styles: CellStyles | None = None,
) -> None:
    """Title and information rows merged across the columns, then the styled header row.

    ``columns`` maps field name → (column letter, header text), in sheet order.
    """
    last_col = list(columns.values())[-1][0]
    put(ws, TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    put(ws, INFO_ROW, 1, info)
    ws.merge_cells(f"A{INFO_ROW}:{last_col}{INFO_ROW}")
    styles = styles or CellStyles()
    for letter, header in columns.values():
        styles.apply(set_cell(ws[f"{letter}{HEADER_ROW}"], header), font=HEADER_FONT, fill=HEADER_FILL,
                     border=BORDER, alignment=HEADER_ALIGNMENT)
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def protect_data_sheet(ws: Worksheet, *, allow_row_heights: bool = False) -> None:
    """Lock the sheet but let people widen columns and restyle cells (and, if asked, rows)."""
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    if allow_row_heights:
        ws.protection.formatRows = False
