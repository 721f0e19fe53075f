"""Excel workbooks that print well: one sheet per top-level section.

Numbers stay numbers (with a number format), so the statistician can recompute; each
sheet has the document title, frozen headers, Chinese column widths, repeated header rows
when printed, A4 fitted to the page width and page numbers in the footer. Charts are not
copied into the workbook: the figures they draw are in its tables.
"""

from __future__ import annotations

import copy
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from planwatch.report.atomic import atomic_path
from planwatch.report.dating import document_time
from planwatch.report.fonts import DEFAULT_FONTS, FontRoles
from planwatch.report.formatting import MISSING
from planwatch.report.model import Block, CellValue, Column, Document, Paragraph, Section, Table
from planwatch.report.numbering import heading_label
from planwatch.report.sample import marked_title
from planwatch.report.zip_dates import write_dated
from planwatch.safe_output import put

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
_FIGURE_ALIGNMENT = Alignment(horizontal="right", vertical="top")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count twice.

    Figures and Latin text are measured by their length (no ASCII character is wide);
    only other text is looked up one character at a time.
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def number_format(column: Column) -> str:
    if column.kind == "integer":
        return "#,##0"
    if column.kind == "percent":
        return "0." + "0" * column.decimals + "%" if column.decimals else "0%"
    if column.kind == "number":
        return "0." + "0" * column.decimals if column.decimals else "0"
    return "@"


def sheet_title(title: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("", title).strip().strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


@dataclass
class _SheetState:
    widths: dict[int, int] = field(default_factory=dict)
    header_rows: list[int] = field(default_factory=list)
    max_col: int = 1


class XlsxWriter:
    def __init__(self, fonts: FontRoles = DEFAULT_FONTS) -> None:
        self.fonts = fonts
        self.font = Font(name=fonts.table, size=10.5)
        self.bold = Font(name=fonts.heading1, size=10.5, bold=True)
        self.title_font = Font(name=fonts.title, size=16, bold=True)
        self.caption_font = Font(name=fonts.heading1, size=12, bold=True)
        self._styles: dict[tuple[object, tuple[int, ...]], Any] = {}

    def _styled(self, cell: Any, look: object, apply: Callable[[Any], None]) -> None:
        """Give ``cell`` the style ``apply`` gives it, as the first cell of that look got it.

        Each of openpyxl's style setters hashes the style and looks it up in the
        workbook's list of styles; the first cell of each look takes that way and every
        later one gets a copy of its style indexes, the same cell XML for a fraction of
        the work (a compendium has tens of thousands of cells). Keyed also by what the
        cell has already (put's quotePrefix on formula-like text)."""
        key = (look, tuple(cell._style or ()))
        model = self._styles.get(key)
        if model is not None:
            cell._style = copy.copy(model)
            return
        apply(cell)
        self._styles[key] = copy.copy(cell._style)

    def _paragraph(self, ws: Worksheet, row: int, text: str, span: int, font: Font) -> int:
        def look(cell: Any) -> None:
            cell.font = font
            cell.alignment = _TEXT_ALIGNMENT

        self._styled(put(ws, row, 1, text), ("paragraph", id(font)), look)
        if span > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        chars_per_line = max(20, span * 8)
        lines = max(1, math.ceil(display_width(text) / chars_per_line))
        ws.row_dimensions[row].height = 15 * lines
        return row + 1

    def _value(self, value: CellValue) -> CellValue:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        return value

    def _body_style(self, cell: Any, numbers: str | None) -> None:
        """A body cell's font, border, alignment and (for a figure) number format."""
        def look(cell: Any) -> None:
            cell.font = self.font
            cell.border = _BORDER
            if numbers is not None:
                cell.number_format = numbers
                cell.alignment = _FIGURE_ALIGNMENT
            else:
                cell.alignment = _TEXT_ALIGNMENT

        self._styled(cell, ("body", numbers), look)

    def _header_style(self, cell: Any) -> None:
        def look(cell: Any) -> None:
            cell.font = self.bold
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = _HEADER_ALIGNMENT

        self._styled(cell, "header", look)

    def _table(self, ws: Worksheet, row: int, table: Table, state: _SheetState) -> int:
        ncols = len(table.columns)
        state.max_col = max(state.max_col, ncols)
        cap = put(ws, row, 1, table.caption)
        cap.font = self.caption_font
        row += 1
        state.header_rows.append(row)
        for c, column in enumerate(table.columns, start=1):
            self._header_style(put(ws, row, c, column.header))
            hint = int(column.width) if column.width else 0
            state.widths[c] = max(state.widths.get(c, 0), min(display_width(column.header), 24),
                                  hint)
        row += 1
        for values in table.rows:
            for c, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
                cell = put(ws, row, c, self._value(value))
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self._body_style(cell, number_format(column))
                    shown = len(f"{value:,.{column.decimals}f}") + 2
                else:
                    self._body_style(cell, None)
                    shown = display_width(str(cell.value)) + 2
                limit = int(column.width) if column.width else 40
                state.widths[c] = max(state.widths.get(c, 0), min(shown, limit))
            row += 1
        for note in table.notes:
            row = self._paragraph(ws, row, note, ncols, self.font)
        return row + 1

    def _blocks(self, ws: Worksheet, row: int, blocks: list[Block], state: _SheetState) -> int:
        for block in blocks:
            if isinstance(block, Table):
                row = self._table(ws, row, block, state)
            elif isinstance(block, Paragraph):
                row = self._paragraph(ws, row, block.text, max(state.max_col, 6), self.font)
        return row

    def _section(self, ws: Worksheet, row: int, section: Section, path: tuple[int, ...],
                 state: _SheetState) -> int:
        if len(path) > 1:
            put(ws, row, 1, heading_label(path[1:]) + section.title).font = self.caption_font
            row += 1
        row = self._blocks(ws, row, section.blocks, state)
        for i, child in enumerate(section.sections, start=1):
            row = self._section(ws, row, child, (*path, i), state)
        return row

    def _finish(self, ws: Worksheet, state: _SheetState, last_row: int) -> None:
        for c, width in state.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = max(6, width + 1)
        if len(state.header_rows) == 1:
            ws.freeze_panes = ws.cell(row=state.header_rows[0] + 1, column=2)
            ws.print_title_rows = f"{state.header_rows[0]}:{state.header_rows[0]}"
        else:
            ws.freeze_panes = "A3"
        ws.print_area = f"A1:{get_column_letter(state.max_col)}{max(last_row - 1, 1)}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        total_width = sum(state.widths.values())
        ws.page_setup.orientation = "landscape" if total_width > 100 else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    def _sheet(self, wb: Workbook, title: str, taken: set[str], model: Document,
               heading: str) -> tuple[Worksheet, int]:
        ws = wb.create_sheet(sheet_title(title, taken))
        put(ws, 1, 1, model.title).font = self.title_font
        put(ws, 2, 1, heading).font = self.caption_font
        return ws, 4

    def build(self, model: Document) -> Workbook:
        self._styles = {}  # style indexes belong to one workbook
        wb = Workbook()
        assert wb.active is not None
        wb.remove(wb.active)
        taken: set[str] = set()
        if model.blocks:
            state = _SheetState()
            ws, row = self._sheet(wb, "说明", taken, model, model.subtitle)
            row = self._blocks(ws, row, model.blocks, state)
            self._finish(ws, state, row)
        for i, section in enumerate(model.sections, start=1):
            state = _SheetState()
            ws, row = self._sheet(wb, section.title, taken, model,
                                  heading_label((i,)) + section.title)
            row = self._section(ws, row, section, (i,), state)
            self._finish(ws, state, row)
        if not wb.worksheets:
            ws, row = self._sheet(wb, model.title, taken, model, model.subtitle)
        wb.properties.title = model.title
        wb.properties.creator = "planwatch 规划监测评估系统"
        self._sample_marks(wb, model)
        return wb

    def _sample_marks(self, wb: Workbook, model: Document) -> None:
        """A demo workbook says 示例数据（非真实统计） in its properties, on row 3 of every
        sheet (left empty by ``_sheet``) and in every printed page's header."""
        label = model.sample_label
        if not label:
            return
        wb.properties.title = marked_title(model.title, label)
        wb.properties.subject = label
        wb.properties.keywords = label
        wb.properties.description = label
        for ws in wb.worksheets:
            put(ws, 3, 1, label).font = Font(
                name=self.fonts.heading1, size=12, bold=True, color="C00000")
            ws.oddHeader.center.text = label
            ws.evenHeader.center.text = label

    def write(self, model: Document, path: Path) -> Path:
        """Save the workbook dated as the report is (properties and zip entries), so that a
        report given a date is the same file whenever it is written, as its Word file is.
        (``Workbook.save`` would stamp the moment of saving as its modification time.)"""
        wb = self.build(model)
        when = document_time(model)
        wb.properties.created = wb.properties.modified = when
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
        with atomic_path(path) as tmp:
            write_dated(package.getvalue(), tmp, when)
        return path


def write_xlsx(model: Document, path: Path, fonts: FontRoles = DEFAULT_FONTS) -> Path:
    return XlsxWriter(fonts).write(model, path)
