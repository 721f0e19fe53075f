"""Turning what people type into cells into numbers, or saying precisely why not.

The rule for separators, stated once (README, 输入限制与严格解析): a comma (or a space) is
a thousands separator only where it splits the integer part into groups of exactly three
digits — ``1,234``, ``12,345.6``, ``1 234 567``. Anything else with a comma is refused,
never guessed at: ``12,5`` and ``1.234,5`` are decimal commas in much of Europe and would
otherwise be read as 125 and 1.2345. A decimal is written with a point.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from planwatch.errors import PlanwatchError
from planwatch.limits import DEFAULT

EMPTY_MARKS = {"", "-", "—", "——", "－", "/", "／"}
"""Marks people use for 'no figure'; read as empty so the required-value rule decides."""

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[, ])\d{3})(?:(?P=sep)\d{3})*(?:\.\d+)?")
_SHOWN_CHARS = 40
"""How much of a refused cell a message quotes (a 10 MB cell is not echoed back)."""


class NotANumber(PlanwatchError, ValueError):
    """The cell holds something that is not a number; ``text`` is what it held (shortened)."""

    code = "collect.not_a_number"
    problem = "non-numeric"
    """The problem id a reader reports this as."""

    def __init__(self, text: str) -> None:
        super().__init__(shown(text))
        self.text = shown(text)


class AmbiguousSeparator(NotANumber):
    """A comma that is not a thousands separator (``12,5``, ``1.234,5``): refused, not guessed."""

    code = "collect.ambiguous_separator"
    problem = "ambiguous-separator"


class NumberTooLarge(NotANumber):
    """A figure beyond any real statistic (``1e300``, ``1e13``)."""

    code = "collect.number_too_large"
    problem = "number-too-large"


def parse_number(raw: Any, unit: str | None = None, magnitude: float = DEFAULT.magnitude) -> float | None:
    """A float, None for an empty cell, or :class:`NotANumber` (or a subclass saying why).

    Full-width digits, thousands separators by the module's rule and a trailing sign of
    the indicator's own unit (``12.5%`` for a % indicator) are accepted; ``inf``, ``nan``,
    ``1_000``, hexadecimal and anything beyond ``magnitude`` are refused.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int too large for a float
            raise NumberTooLarge(str(raw)) from None
        if not math.isfinite(value):
            raise NotANumber(str(raw))
        return _bounded(value, str(raw), magnitude)
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace("\u2212", "-")
    if text in EMPTY_MARKS:
        return None
    if unit and unit in ("%", "‰") and text.endswith(unit):
        text = text[: -len(unit)].rstrip()
    if _PLAIN.fullmatch(text):
        cleaned = text
    elif _GROUPED.fullmatch(text):
        cleaned = text.replace(",", "").replace(" ", "")
    elif len(text) <= _SHOWN_CHARS and re.fullmatch(r"[+-]?[\d.,\s]*\d[\d.,\s]*", text) and "," in text:
        raise AmbiguousSeparator(str(raw))
    else:
        raise NotANumber(str(raw))
    value = float(cleaned)
    if not math.isfinite(value):
        raise NumberTooLarge(str(raw))
    return _bounded(value, str(raw), magnitude)


def _bounded(value: float, text: str, magnitude: float) -> float:
    if abs(value) > magnitude:
        raise NumberTooLarge(text)
    return value


def parse_year(raw: Any) -> int | None:
    """A whole year, or None: ``2023`` and ``2023.0`` are 2023, ``2023.9`` and ``inf`` are not."""
    try:
        value = parse_number(raw, magnitude=1e6)
    except NotANumber:
        return None
    if value is None or not value.is_integer():
        return None
    return int(value)


def shown(raw: Any, chars: int = _SHOWN_CHARS) -> str:
    """A cell's text as a message quotes it: shortened, so a 10 MB cell is not echoed back."""
    if raw is None:
        return ""
    text = str(raw)
    return text if len(text) <= chars else f"{text[:chars]}…（共 {len(text)} 字）"


def parse_text(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None
