"""How the pages write figures: as stored (``plain``) or as the reports print them (``figure``).

Jinja's ``"%g" | format`` wrote a denominator of 1 204 566 as 1.20457e+06 and 123456.7 as 123457,
and an input filled that way would post the cut figure back as a change.
"""

from __future__ import annotations

from decimal import Decimal


def plain_number(value: float | None, decimals: int | None = 6) -> str:
    """A stored figure written out as a clerk would type it: 1204566, 88.36, 0.00001.

    Never in exponent form and never cut to a few significant digits, as ``%g`` did on the
    pages (a denominator of 1 204 566 showed as 1.20457e+06, and 123456.7 as 123457). Shown on
    a page, at most ``decimals`` places, so that a rate computed from counts
    (27.000270002700027) reads 27.00027; ``None`` keeps every digit, for a form's input that is
    posted back and must not change what is stored."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    exact = Decimal(repr(number))
    text = format(exact if decimals is None else round(exact, decimals), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_figure(value: float | None) -> str:
    """An assessed figure as the reports print it (two decimals at most, thousands separated),
    so that a board and the annual report show the same number."""
    from planwatch.report.formatting import number

    return number(value, 2)
