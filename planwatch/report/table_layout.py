"""Column widths of report tables, decided once for Word and for HTML/PDF.

Word, WPS and LibreOffice lay a table out differently when left to themselves
(LibreOffice reads only the grid and gives every column the same width, so 评估说明 ends up
three characters wide and "72.8/9" splits across lines). The writers therefore fix every
column's width, computed here from what the cells hold:

- a number never splits: a numeric column is at least as wide as its longest token
  ("72.8/9（2023年）" may break before "（", never inside "72.8/9");
- a short header (up to ``SHORT_HEADER`` characters, e.g. the status 预计达标困难) and a
  short cell text (a status, a unit) stay on one line;
- no column is narrower than ``MIN_COLUMN_EM`` characters;
- where the page has room, short cells (up to ``SHORT_LINE_EM`` wide: a target such as
  不高于8/10万, a domain such as 妇女与健康) stay on one line too, so a unit never wraps away
  from its figure, the most cells first; room means every column of long text still gets
  ``LONG_LINE_EM`` a line;
- the room left over goes to the columns whose text is long (指标, 目标值), in proportion
  to how much more they would need to fit on one line;
- a column marked ``below`` (评估说明) is no column of the grid at all: its text is set under
  its row across the table (``page_table``).

Widths are in em of the table font (one Chinese character), excluding cell padding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from planwatch.report.formatting import MISSING, cell_text
from planwatch.report.model import Table

MIN_COLUMN_EM = 4.0
KEEP_WHOLE_ROWS = 15
"""A table of up to this many rows moves to the next page whole rather than leave its
header and a row or two at the foot of a page (Word, WPS and LibreOffice otherwise split
表1 after its first row; WeasyPrint likewise)."""
HEAD_ROWS = 3
"""A longer table that starts near a page's foot takes at least this many rows with its
caption and header to the next page, instead of leaving them there with a single row."""
SHORT_HEADER = 6
SHORT_TEXT = 6
SHORT_LINE_EM = 7.0
LONG_LINE_EM = 10.0
# Advance widths in em of the narrow characters a table holds, the widest of the fonts it is
# set in (Noto Serif/Sans CJK SC in the PDF, Times New Roman in Word): a width guessed too
# small wraps a cell's last character ("保持在45" / "%"). Characters of ambiguous width
# (≥ ≤ ‰ ×) are set full width by the CJK fonts.
_NARROW = {
    **dict.fromkeys("0123456789", 0.56), **dict.fromkeys(".,", 0.33), "%": 0.92,
    **dict.fromkeys("/-()[] ", 0.39), **dict.fromkeys("+<>=~", 0.58),
    **dict.fromkeys("abcdefghijklmnopqrstuvwxyz", 0.66), "m": 0.97, "w": 0.84,
    **dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0.85), "M": 0.97, "W": 1.05,
}
_NARROW_EM = 0.6  # any other narrow character
_SLACK_EM = 0.3
# Where a numeric cell may break: before an opening bracket (the year note of a value).
_NUMBER_BREAK = re.compile(r"(?=[（(])")
_LATIN_RUN = re.compile(r"[0-9A-Za-z.,%‰/+\-≥≤<>=]+")


@functools.lru_cache(maxsize=16384)
def text_em(text: str) -> float:
    """Printed width of ``text`` in em: wide (CJK, full-width, ambiguous) characters 1,
    others by ``_NARROW``. Remembered: a province's reports repeat the same labels and
    figures many times."""
    width = 0.0
    for ch in text:
        narrow = _NARROW.get(ch)
        if narrow is not None:
            width += narrow
        elif unicodedata.east_asian_width(ch) in ("W", "F", "A"):
            width += 1.0
        else:
            width += _NARROW_EM
    return width


def split_figure(text: str) -> tuple[str, str]:
    """A numeric cell's figure and its bracketed note: "64.41（2021年）" → ("64.41",
    "（2021年）"); writers set the note on its own line so the figure never splits."""
    parts = _NUMBER_BREAK.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0]:
        return parts[0], parts[1]
    return text, ""


def _number_token(text: str) -> float:
    """Width of the figure a numeric cell starts with ("72.8/9" of "72.8/9（2023年）"); the
    bracketed note after it may wrap like any Chinese text."""
    head = _NUMBER_BREAK.split(text, maxsplit=1)[0] if text else ""
    return text_em(head or text)


def _latin_run(text: str) -> float:
    """The widest run of narrow characters (a figure or a Latin word: never split)."""
    return max((text_em(t) for t in _LATIN_RUN.findall(text)), default=0.0)


def _is_word(text: str) -> bool:
    """A short label of wide characters only (a status, a domain): kept on one line."""
    return 0 < len(text) <= SHORT_TEXT and all(
        unicodedata.east_asian_width(ch) in ("W", "F") for ch in text
    )


@dataclass(frozen=True)
class PageTable:
    """A table as a page sets it: ``grid`` holds the columns laid side by side, ``below``
    for each of its rows the lines set under it across the table ("评估说明：…"), none for
    an empty cell."""

    grid: Table
    below: list[list[str]]


def kept_with_next(laid: PageTable) -> list[tuple[bool, list[bool]]]:
    """For each row of the grid, and each line set under it: is it held on its page with
    what follows (Word's keep-with-next, CSS ``break-after: avoid``)?

    A row is held with the lines under it; the first ``HEAD_ROWS`` rows are held together
    (with the header and caption before them); a table of up to ``KEEP_WHOLE_ROWS`` rows is
    held whole. The table's last line is held with nothing."""
    last = len(laid.grid.rows)
    whole = last <= KEEP_WHOLE_ROWS
    out: list[tuple[bool, list[bool]]] = []
    for n, below in enumerate(laid.below, start=1):
        held = n < last and (whole or n < HEAD_ROWS)
        out.append((held or bool(below), [held or i < len(below) for i in range(1, len(below) + 1)]))
    return out


def page_table(table: Table) -> PageTable:
    """Split ``table`` into its grid and the texts of its ``below`` columns, row by row."""
    moved = [i for i, c in enumerate(table.columns) if c.below]
    if not moved:
        return PageTable(table, [[] for _ in table.rows])
    kept = [i for i in range(len(table.columns)) if i not in moved]
    grid = Table(table.caption, [table.columns[i] for i in kept],
                 [[row[i] for i in kept] for row in table.rows], table.notes)
    below = [
        [f"{table.columns[i].header}：{cell_text(row[i], table.columns[i])}"
         for i in moved if row[i] is not None and row[i] != ""]
        for row in table.rows
    ]
    return PageTable(grid, below)


def minimum_widths(table: Table) -> list[float]:
    """The narrowest each column may be without breaking a number, a short header or a
    short label (in em, without padding)."""
    widths: list[float] = []
    for i, column in enumerate(table.columns):
        texts = [cell_text(row[i], column) for row in table.rows]
        need = MIN_COLUMN_EM
        if len(column.header) <= SHORT_HEADER:
            need = max(need, text_em(column.header))
        for t in texts:
            need = max(need, _latin_run(t))
            if column.kind != "text":
                need = max(need, _number_token(t))
                # A short note such as "（2021年）" is a date: kept whole on its own line.
                note = split_figure(t)[1]
                if note and len(note) <= SHORT_TEXT + 2:
                    need = max(need, text_em(note))
        if texts and all(_is_word(t) or t == MISSING for t in texts):
            need = max(need, *(text_em(t) for t in texts))
        # Rounding of glyph advances and borders: a text exactly as wide as its column
        # wraps its last character in LibreOffice.
        widths.append(max(MIN_COLUMN_EM, need + _SLACK_EM) if need > MIN_COLUMN_EM else need)
    return widths


def natural_widths(table: Table, mins: list[float] | None = None) -> list[float]:
    """How wide each column would be with every cell on one line (at least its minimum,
    ``mins`` when the caller has them already)."""
    if mins is None:
        mins = minimum_widths(table)
    out: list[float] = []
    for i, column in enumerate(table.columns):
        texts = [cell_text(row[i], column) for row in table.rows] + [column.header]
        out.append(max(mins[i], *(text_em(t) for t in texts)))
    return out


def _whole_width(em: float) -> float:
    """The column width that sets a text ``em`` wide on one line (see ``minimum_widths``)."""
    return max(MIN_COLUMN_EM, em + _SLACK_EM) if em > MIN_COLUMN_EM else em


def _short_cells_whole(table: Table, mins: list[float], natural: list[float],
                       room: float) -> list[float]:
    """``mins`` raised so that short cells (up to ``SHORT_LINE_EM``) stay on one line, while
    every column of long text still gets ``LONG_LINE_EM``: step by step, the widening that
    keeps the most cells whole per em it costs (a domain column's 妇女与健康 in thirty rows
    before one 妇女与社会保障)."""
    shorts = [
        sorted(_whole_width(em) for row in table.rows
               if (em := text_em(cell_text(row[i], column))) <= SHORT_LINE_EM)
        for i, column in enumerate(table.columns)
    ]

    def wanted(i: int, width: float) -> float:
        return max(width, LONG_LINE_EM) if natural[i] > LONG_LINE_EM else width

    chosen = list(mins)
    total = sum(wanted(i, w) for i, w in enumerate(chosen))
    while True:
        best: tuple[float, int, float] | None = None
        for i, widths in enumerate(shorts):
            for level in sorted({w for w in widths if w > chosen[i]}):
                cost = wanted(i, level) - wanted(i, chosen[i])
                if total + cost > room:
                    break
                gained = sum(1 for w in widths if chosen[i] < w <= level)
                value = gained / cost if cost > 1e-9 else float("inf")
                if best is None or value > best[0]:
                    best = (value, i, level)
        if best is None:
            return chosen
        _, i, level = best
        total += wanted(i, level) - wanted(i, chosen[i])
        chosen[i] = level


def column_widths(table: Table, total_em: float, padding_em: float) -> list[float]:
    """Each column's width in em (padding included) so that the table fills ``total_em``.

    When even the minimum widths do not fit, they are scaled down evenly (a table with
    too many columns for the page): the least harm is shared rather than one column lost.
    """
    n = len(table.columns)
    if n == 0:
        return []
    room = total_em - padding_em * n
    mins = minimum_widths(table)
    natural = natural_widths(table, mins)
    mins = _short_cells_whole(table, mins, natural, room)
    natural = [max(w, nat) for w, nat in zip(mins, natural, strict=True)]
    if sum(mins) >= room:
        scale = room / sum(mins) if sum(mins) > 0 else 0.0
        return [m * scale + padding_em for m in mins]
    if sum(natural) <= room:
        # Everything fits on one line: the spare room goes to the text columns, weighted
        # by the builder's width hint (or their natural width), so long texts breathe.
        spare = room - sum(natural)
        weights = [
            (c.width or natural[i]) if c.kind == "text" else 0.0
            for i, c in enumerate(table.columns)
        ]
        if sum(weights) == 0:
            weights = [1.0] * n
        total = sum(weights)
        return [natural[i] + spare * weights[i] / total + padding_em for i in range(n)]
    # Not everything fits: every column gets its minimum, the rest is shared by need.
    spare = room - sum(mins)
    need = [natural[i] - mins[i] for i in range(n)]
    total_need = sum(need)
    return [mins[i] + spare * need[i] / total_need + padding_em for i in range(n)]
