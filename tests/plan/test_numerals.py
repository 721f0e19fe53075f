"""Chinese and Arabic numerals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.plan.numerals import fraction_as_percent, parse_chinese_number, to_halfwidth_digits


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("二", 2),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一千零一十", 1010),
        ("三千", 3000),
        ("两万五千", 25000),
        ("十万", 100000),
        ("一亿两千万", 120000000),
        ("二〇二五", 2025),
        ("三点五", 3.5),
        ("半", 0.5),
        ("一半", 0.5),
        ("三分之一", 1 / 3),
        ("百分之九十", 0.9),
        ("千分之三", 0.003),
        ("3.5", 3.5),
        ("８５", 85),
        ("1万", 10000),
        ("1.5亿", 150000000),
    ],
)
def test_parse(text: str, value: float) -> None:
    assert parse_chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "x", "十四五", "三分之", "分之一", "零分之一", "1.2.3"])
def test_not_numbers(text: str) -> None:
    assert parse_chinese_number(text) is None


def test_fraction_as_percent_rounds_to_two_decimals() -> None:
    assert fraction_as_percent("三分之一") == 33.33
    assert fraction_as_percent("三分之二") == 66.67
    assert fraction_as_percent("一半") == 50
    assert fraction_as_percent("百分之九十") == 90


def test_halfwidth() -> None:
    assert to_halfwidth_digits("８５．５％") == "85.5%"


@given(st.text(alphabet=st.sampled_from("零〇一二两三四五六七八九十百千万亿点分之半0123456789.")))
def test_never_raises(text: str) -> None:
    value = parse_chinese_number(text)
    assert value is None or isinstance(value, float)
