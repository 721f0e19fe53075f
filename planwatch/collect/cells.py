"""Turning what people type into cells into numbers, or saying precisely why not."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from planwatch.errors import PlanwatchError

EMPTY_MARKS = {"", "-", "—", "——", "－", "/", "／"}
"""Marks people use for 'no figure'; read as empty so the required-value rule decides."""


class NotANumber(PlanwatchError, ValueError):
    """The cell holds something that is not a number; ``text`` is what it held."""

    code = "collect.not_a_number"

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_number(raw: Any, unit: str | None = None) -> float | None:
    """A float, None for an empty cell, or :class:`NotANumber`.

    Full-width digits, thousands separators and a trailing sign of the indicator's own
    unit (``12.5%`` for a % indicator) are accepted; anything else is refused, never
    guessed at.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            raise NotANumber(str(raw))
        return value
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text in EMPTY_MARKS:
        return None
    cleaned = text.replace(",", "").replace(" ", "")
    if unit and unit in ("%", "‰") and cleaned.endswith(unit):
        cleaned = cleaned[: -len(unit)]
    try:
        value = float(cleaned)
    except ValueError:
        raise NotANumber(str(raw)) from None
    if not math.isfinite(value):
        raise NotANumber(str(raw))
    return value


def parse_text(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None
