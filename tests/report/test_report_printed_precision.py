"""Numbers in words are rounded once, at the printed precision, before they are compared.

Figures hand-computed: 3.14‰ → 3.05‰ at one decimal prints 3.1 → 3.1 (3.05 rounds half
away from zero to 3.1), which the reports used to call "降至3.1‰（-0.1）" and count as 改善.
"""

from __future__ import annotations

import pytest

from planwatch.assess.precision import printed
from planwatch.report.builders.annual import changes_paragraph
from planwatch.report.formatting import number, printed_change, row_decimals
from planwatch.report.sentences import change_sign, value_change_phrase


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (48.985, 2, "48.99"),  # binary 48.98499…: format() would print 48.98
    (2.675, 2, "2.68"),
    (3.05, 1, "3.1"),
    (-3.05, 1, "-3.1"),
    (2.5, 0, "3"),
    (-0.004, 2, "0"),  # never "-0"
])
def test_numbers_print_with_the_assessments_rounding(value: float, decimals: int,
                                                     expected: str) -> None:
    assert number(value, decimals) == expected
    assert number(printed(value, decimals), decimals) == expected  # rounding twice is a no-op


def test_equal_as_printed_is_level_not_a_fall() -> None:
    text = value_change_phrase("婴儿死亡率", 3.14, 3.05, "‰", 2023, 2024, 1)
    assert text == "婴儿死亡率2024年为3.1‰，与2023年持平"
    assert change_sign(3.14, 3.05, 1) == 0
    assert printed_change(3.14, 3.05, 1) == 0
    # The same figures at two decimals do differ: 3.14 → 3.05 is −0.09.
    assert value_change_phrase("婴儿死亡率", 3.14, 3.05, "‰", 2023, 2024, 2) == (
        "婴儿死亡率由2023年的3.14‰降至2024年的3.05‰（-0.09个千分点）")
    assert change_sign(3.14, 3.05, 2) == -1


def test_rise_that_rounds_to_zero_is_level() -> None:
    # 3.26 and 3.34 both print 3.3 at one decimal: no "提高到3.3‰（+0）".
    assert change_sign(3.26, 3.34, 1) == 0
    assert "持平" in value_change_phrase("婴儿死亡率", 3.26, 3.34, "‰", 2023, 2024, 1)
    # One unit of the last digit is a change: 3.24 → 3.25 prints 3.2 → 3.3 (+0.1).
    assert value_change_phrase("婴儿死亡率", 3.24, 3.25, "‰", 2023, 2024, 1) == (
        "婴儿死亡率由2023年的3.2‰提高到2024年的3.3‰（+0.1个千分点）")


def test_change_is_the_difference_of_the_printed_figures() -> None:
    # 8.46 → 8.14 at one decimal: printed 8.5 → 8.1, change −0.4 (raw −0.32 would say −0.3).
    assert printed_change(8.46, 8.14, 1) == pytest.approx(-0.4)
    assert "（-0.4/10万）" in value_change_phrase("孕产妇死亡率", 8.46, 8.14, "/10万", 2022, 2023, 1)


def test_changes_paragraph_prints_no_zero_counts() -> None:
    text = changes_paragraph(2024, ["甲由1提高到2（+1）"], ["乙2024年为3，与2023年持平"], [])
    assert text.startswith("与2023年相比，1项指标向目标方向改善，1项持平。")
    assert "0项" not in text and "退步" not in text
    text = changes_paragraph(2024, [], [], ["丙由2降至1（-1）"])
    assert text == "与2023年相比，1项出现退步。退步的有：丙由2降至1（-1）。"


def test_row_decimals_defaults_to_the_assessments() -> None:
    assert row_decimals({"decimals": 0}) == 0
    assert row_decimals({"decimals": 3}) == 3
    assert row_decimals({}) == 2
