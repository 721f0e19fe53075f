"""The frame every planwatch workbook shares, whatever it collects.

An instructions sheet, then a data sheet headed by a title row, an information row and the
column headers, with the data rows below; input cells are pale yellow and unlocked, every
other cell locked and each sheet protected. Keeping the frame in one place keeps the
figures workbook and the self-evaluation workbook looking and behaving alike for the units
that fill both, and lets both readers find the header in the same place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
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
) -> None:
    """Title and information rows merged across the columns, then the styled header row.

    ``columns`` maps field name → (column letter, header text), in sheet order.
    """
    last_col = list(columns.values())[-1][0]
    put(ws, TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    ws.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    put(ws, INFO_ROW, 1, info)
    ws.merge_cells(f"A{INFO_ROW}:{last_col}{INFO_ROW}")
    for letter, header in columns.values():
        c = set_cell(ws[f"{letter}{HEADER_ROW}"], header)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def protect_data_sheet(ws: Worksheet, *, allow_row_heights: bool = False) -> None:
    """Lock the sheet but let people widen columns and restyle cells (and, if asked, rows)."""
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    if allow_row_heights:
        ws.protection.formatRows = False
