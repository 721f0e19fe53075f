"""The office's 与上年比较 column: a rate in % or ‰ changes by points, other figures by per cent
of last year's, both taken between the figures as typed; figures are written as typed."""

from __future__ import annotations

import pytest

from planwatch.web.review_data import ReviewFigure


def _change(value: float, last: float | None, unit: str | None) -> str:
    return ReviewFigure("C01-01", "指标", "合计", value, last, "", [], unit).change


@pytest.mark.parametrize(("value", "last", "unit", "shown"), [
    (3.3, 3.29, "‰", "+0.01个千分点"),      # was "+0.3%", read as 0.3 points
    (3.29, 3.3, "‰", "-0.01个千分点"),
    (88.5, 86.0, "%", "+2.5个百分点"),
    (3.29, 3.29, "‰", "持平"),              # was "+0.0%"
    (1.0, 1, "人", "持平"),
    (120, 100, "人", "+20.0%"),
    (80, 100, None, "-20.0%"),
    (1204570, 1204566, "人", "+<0.1%"),      # a real change too small for one decimal
    (1204562, 1204566, "人", "-<0.1%"),
    (5, 0, "个", "上年为 0"),
    (5, None, "%", "无上年数"),
])
def test_change_on_last_year(value: float, last: float | None, unit: str | None, shown: str) -> None:
    assert _change(value, last, unit) == shown


def test_change_is_taken_at_the_decimals_typed() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary: typed as 0.3 against 0.3 it is 持平.
    assert _change(0.1 + 0.2, 0.3, "%") == "持平"
    assert _change(10.125, 10.12, "%") == "+0.005个百分点"
