"""How numbers are written in the reports' text and tables.

One place decides decimals and units so that the paragraph saying "孕产妇死亡率为8.1/10万"
and the table cell beside it can never disagree.
"""

from __future__ import annotations

import math
from typing import Any

from planwatch.assess.precision import DEFAULT_DECIMALS, printed
from planwatch.report.model import CellValue, Column

MISSING = "—"

_CHANGE_UNITS = {"%": "个百分点", "‰": "个千分点"}
POINT_UNITS = frozenset(_CHANGE_UNITS)
"""Units whose changes are written in points (个百分点, 个千分点), never in per cent of the old
figure."""


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 1) -> str:
    """A plain number without trailing noise: 85.0 → 85, 83.14 → 83.1, None → —.

    Rounded half away from zero by the assessment's own rule (``precision.printed``), so
    48.985 prints 48.99 here exactly as the verdict read it, not 48.98 as binary ``format``
    would.
    """
    if value is None or math.isnan(value):
        return MISSING
    value = printed(value, decimals)
    text = f"{value:,.{decimals}f}" if abs(value) >= 10000 else f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def row_decimals(row: dict[str, Any]) -> int:
    """The printed precision of an assessment row (its ``decimals`` column), or the
    assessment's default for hand-built rows without one."""
    d = row.get("decimals")
    return DEFAULT_DECIMALS if d is None else int(d)


def printed_change(before: float, after: float, decimals: int) -> float:
    """``after − before`` between the two figures as printed: 0 when both print the same,
    so a table cell and the sentence beside it never show 3.14 → 3.14 (−0.01)."""
    return printed(printed(after, decimals) - printed(before, decimals), decimals)


def with_unit(value: float | None, unit: str | None, decimals: int = 1) -> str:
    """A value with its unit as Chinese reports write it: 95.2%, 8.1/10万, 3.5岁."""
    text = number(value, decimals)
    if text == MISSING or not unit:
        return text
    if unit == "比":
        return text
    return f"{text}{unit}"


def change(value: float | None, unit: str | None, decimals: int = 1) -> str:
    """A change with its sign; percentages change by 百分点, not by %."""
    if value is None or math.isnan(value):
        return MISSING
    sign = "+" if value > 0 else ""
    suffix = _CHANGE_UNITS.get(unit or "", unit or "")
    return f"{sign}{number(value, decimals)}{suffix}"


def difference(value: float | None, unit: str | None, decimals: int = 1) -> str:
    """A gap between two figures, unsigned (the sentence says 高于 / 低于): 2.1个千分点."""
    if value is None or math.isnan(value):
        return MISSING
    suffix = "" if unit == "比" else _CHANGE_UNITS.get(unit or "", unit or "")
    return f"{number(abs(value), decimals)}{suffix}"


def percent(rate: float | None, decimals: int = 1) -> str:
    """A share in 0..1 as a percentage at a fixed precision: 0.756 → 75.6%, 0.5 → 50.0%, with
    two decimals 0.2564 → 25.64%, 0 → 0.00%. A rate is printed to the same places in every
    row and sentence (as the bureaus print 达标率), so that 25.6% in a table and 25.64% in the
    text never stand side by side."""
    if rate is None or math.isnan(rate):
        return MISSING
    return f"{printed(rate * 100, decimals):.{decimals}f}%"


def cell_text(value: CellValue, column: Column) -> str:
    """A cell as text for the formats that have no number type (docx, html)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, str):
        return value
    if column.kind == "integer":
        return str(round(value))
    if column.kind == "percent":
        return percent(float(value), column.decimals)
    if column.kind == "number":
        return number(float(value), column.decimals)
    return str(value)
