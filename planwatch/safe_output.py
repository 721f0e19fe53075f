"""Text from plans and users written into spreadsheets, CSV files and file names, harmlessly.

Unit names, indicator names, targets such as ``=0.85/千（2025年）`` and a clerk's evidence come
from documents and people planwatch does not control. Written naively, a value starting with
``=`` becomes a live formula in planwatch's own workbooks (``=HYPERLINK(…)``, DDE payloads),
a CSV field starting with ``=``, ``+``, ``-`` or ``@`` becomes one when the file is opened in
Excel, and a unit called ``区/../../tmp/x局`` names a file outside the output folder. Every
writer goes through this module so the rule is made once:

* an ``.xlsx`` cell gets text as a *string* cell (never a formula, never an error value such
  as ``#N/A``), with Excel's quote prefix when it starts like a formula so that it still shows
  exactly as typed and stays text when someone edits it; numbers stay numbers;
* a CSV field that starts like a formula gets a leading apostrophe, as OWASP recommends, unless
  it is a plain number (``-3.5`` is a value, not an attack);
* a file name made from a name keeps its Chinese but loses path separators, control
  characters and leading dots, and the path is refused if it would still leave its folder.

Who may read a file is the other half of writing it safely: the commands create what they
write with ``-o`` owner-only (0600, new folders 0700), since it holds unpublished figures; the
reasons for 0600 rather than 0640, and how, are in :mod:`planwatch.cli.private_output`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

from planwatch.errors import PlanwatchError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a field (OWASP, CSV injection)."""

EXCEL_MAX_TEXT = 32_767
"""The most characters an Excel cell holds; longer text would make Excel "repair" the file."""

TRUNCATED = "…（已截断）"

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class OutputPathError(PlanwatchError):
    """A file name made from a name would land outside the folder it was meant for."""

    code = "output.path"


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as something to evaluate."""
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Text an Excel cell can hold: XML-illegal control characters shown as U+FFFD, length capped.

    openpyxl raises on those characters, so one NUL in a note would otherwise stop a report.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > EXCEL_MAX_TEXT:
        text = text[: EXCEL_MAX_TEXT - len(TRUNCATED)] + TRUNCATED
    return text


def set_cell(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into ``cell`` as a typed value: text as text, numbers as numbers.

    ``None``, NaN and infinities leave the cell empty (Excel has no spelling for them).
    Anything that is not a number, date or bool is written as its text.
    """
    if value is None or isinstance(value, bool | dt.date | dt.datetime | dt.time | Decimal):
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = value if math.isfinite(value) else None
    else:
        text = clean_text(value if isinstance(value, str) else str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error value
        if starts_like_formula(text):
            cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` through :func:`set_cell`."""
    return set_cell(ws.cell(row=row, column=column), value)


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet will evaluate; non-text values pass unchanged."""
    if isinstance(value, str) and starts_like_formula(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_safe_frame(frame: Any) -> Any:
    """A polars frame whose text columns are passed through :func:`csv_field`.

    Done with a polars expression so a frame of any size is neutralised without a Python loop.
    """
    import polars as pl

    risky = "^[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"
    plain = "^" + _PLAIN_NUMBER.pattern + "$"
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            col = pl.col(name)
            exprs.append(
                pl.when(col.str.contains(risky) & ~col.str.contains(plain))
                .then(pl.lit("'") + col)
                .otherwise(col)
                .alias(name)
            )
    return frame.with_columns(exprs) if exprs else frame


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?")
NAME_MAX_BYTES = 200
"""File systems allow 255 bytes per name; a Chinese character takes three in UTF-8."""


def safe_file_name(name: str, *, fallback: str = "_") -> str:
    """A single path component made from ``name``: separators, control characters and
    characters Windows rejects become ``_``, leading dots and spaces go (no ``..``, no hidden
    files), and the UTF-8 length stays under :data:`NAME_MAX_BYTES`."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE_NAME.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if _WINDOWS_RESERVED.fullmatch(text):
        text = "_" + text
    while len(text.encode("utf-8")) > NAME_MAX_BYTES:
        text = text[:-1]
    return text.rstrip(" .") or fallback


def confined_path(folder: Path, file_name: str) -> Path:
    """``folder / file_name`` after checking it stays directly inside ``folder``.

    The name should already come from :func:`safe_file_name`; this is the second line,
    which also catches a symbolic link planted under that name pointing elsewhere.
    """
    if file_name in ("", ".", "..") or file_name != Path(file_name).name:
        raise OutputPathError(f"文件名“{file_name}”不是单个文件名，拒绝写入 not a plain file name")
    path = folder / file_name
    if path.resolve().parent != folder.resolve():
        raise OutputPathError(
            f"文件“{path}”会写到输出文件夹 {folder} 之外，拒绝写入 would leave the output folder"
        )
    return path
