"""The one rounding of the assessment: each indicator's printed precision, and ratio precision.

A verdict and the sentence beside it must agree, so both look at the same number: the
value rounded to the indicator's printed precision (``decimals``). "79.98%，低于目标80%"
next to 预计可实现, or "约为2，可达到目标（不低于2）" for 1.9999999 next to a miss, came from
comparing raw floats while printing rounded ones.

How ``decimals`` is known — the optional ``decimals`` column of the targets frame; when
it is empty, ``default_decimals``: two decimals (``DEFAULT_DECIMALS``, what the statistics
bureaus print for rates and what the collection templates ask for), or more if the plan
printed more in the target value itself (a target of 0.125 keeps three). ``UNIT_DECIMALS``
can give a unit its own default; it is empty today because every unit the catalogue uses
is printed with two decimals in the bureaus' tables.

Comparisons are then exact:

* values against the target in integer units of the last printed digit (``units``: the
  value × 10^decimals, rounded half away from zero), so "exactly on target" is an integer
  equality, and a strict comparator (高于/低于) needs at least one unit of the last digit;
* ratios against their thresholds (0.95, 2 % tolerance, 0.5 %/yr …) after rounding the
  difference to ``RATIO_DECIMALS`` places (``reaches``), so a ratio that is 0.95 by hand
  and 0.9499999999999993 in binary floating point is 0.95.
"""

from __future__ import annotations

import math

import polars as pl

DEFAULT_DECIMALS = 2
"""Printed decimals of an indicator whose target names no finer precision."""

MAX_DECIMALS = 6
"""More decimals than this are not a printed precision but floating-point noise."""

UNIT_DECIMALS: dict[str, int] = {}
"""Units printed with another default than ``DEFAULT_DECIMALS`` (none today)."""

RATIO_DECIMALS = 6
"""Ratios and rates are compared with their thresholds at six decimal places."""

_HALF_GUARD = 1e-7
"""Added before flooring a scaled value: 48.985 × 100 is 4898.499999… in binary and must
round to 4899 as a person rounds 48.985. It is far below one unit of the last digit."""


def printed_decimals(value: float | None) -> int:
    """Decimals written in a target value as the plan printed it (85 → 0, 20.1 → 1)."""
    if value is None:
        return 0
    for k in range(MAX_DECIMALS + 1):
        if abs(round(value, k) - value) <= 1e-9 * max(abs(value), 1.0):
            return k
    return MAX_DECIMALS


def default_decimals(target_value: pl.Expr, unit: pl.Expr) -> pl.Expr:
    """``decimals`` for rows that do not give it: the unit's default (normally 2), or the
    target value's own decimals if the plan printed more (vectorised ``printed_decimals``)."""
    t = target_value
    tol = 1e-9 * pl.max_horizontal(t.abs(), pl.lit(1.0))
    own = pl.coalesce(
        [pl.when((t.round(k) - t).abs() <= tol).then(pl.lit(k, dtype=pl.Int32))
         for k in range(MAX_DECIMALS + 1)]
        + [pl.lit(MAX_DECIMALS, dtype=pl.Int32)]
    )
    by_unit = unit.replace_strict(UNIT_DECIMALS, default=DEFAULT_DECIMALS, return_dtype=pl.Int32)
    return pl.max_horizontal(by_unit, pl.when(t.is_not_null()).then(own).otherwise(0))


_POWERS = [10.0**k for k in range(MAX_DECIMALS + 1)]


def scale() -> pl.Expr:
    """10^decimals of each row (needs the ``decimals`` column); looked up, not raised to a
    power, which costs five times as much over millions of rows."""
    return pl.lit(pl.Series(_POWERS)).gather(pl.col("decimals"))


def units(v: pl.Expr, s: pl.Expr | None = None) -> pl.Expr:
    """``v`` in integer units of the row's last printed digit, rounded half away from zero.

    ``s`` is the row's 10^decimals when the frame already holds it as a column.
    """
    x = v * (scale() if s is None else s)
    return (x.abs() + 0.5 + _HALF_GUARD).floor() * x.sign()


def rounded(v: pl.Expr) -> pl.Expr:
    """``v`` as printed: rounded to the row's decimals (an integer ÷ 10^decimals, whose
    shortest decimal representation is the printed number)."""
    return units(v) / scale()


def reaches(x: pl.Expr, threshold: float | pl.Expr) -> pl.Expr:
    """x ≥ threshold, compared at ``RATIO_DECIMALS`` places."""
    return (x - threshold).round(RATIO_DECIMALS) >= 0


def within(x: pl.Expr, limit: float | pl.Expr) -> pl.Expr:
    """x ≤ limit, compared at ``RATIO_DECIMALS`` places."""
    return (x - limit).round(RATIO_DECIMALS) <= 0


def printed(value: float, decimals: int) -> float:
    """One number as printed at ``decimals`` places: the scalar twin of ``rounded`` (the
    same half-away-from-zero rule and guard), for the report's sentences and tables, which
    format one figure at a time. A sentence that compares two figures compares these, so
    "由3.1‰降至3.1‰" cannot be written: equal as printed is 持平."""
    d = min(max(int(decimals), 0), MAX_DECIMALS)
    x = value * _POWERS[d]
    return math.copysign(math.floor(abs(x) + 0.5 + _HALF_GUARD), x) / _POWERS[d] + 0.0
