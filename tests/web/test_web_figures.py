"""Figures on the pages are written out as stored: no exponent, no cut to six digits.

Jinja's ``"%g" | format`` turned a denominator of 1 204 566 into 1.20457e+06 and 123456.7 into
123457 on the history panels, the catalogue and the boards. Pages now use the ``plain`` filter
(as typed, at most six decimals) or, for assessed figures, ``figure`` (as the reports print).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planwatch.web.context import TEMPLATES_DIR
from planwatch.web.figures import plain_number, report_figure


@pytest.mark.parametrize(("value", "shown"), [
    (1_204_566.0, "1204566"),
    (123456.7, "123456.7"),
    (88.36, "88.36"),
    (0.00001, "0.00001"),
    (27.000270002700027, "27.00027"),  # a rate computed from counts
    (0.1 + 0.2, "0.3"),
    (-3.5, "-3.5"),
    (0.0, "0"),
    (1e20, "100000000000000000000"),
    (None, ""),
])
def test_a_figure_is_written_out_in_full(value: float | None, shown: str) -> None:
    assert plain_number(value) == shown


def test_a_form_input_keeps_every_digit_it_will_post_back() -> None:
    assert plain_number(0.1234567, None) == "0.1234567"
    assert plain_number(0.1 + 0.2, None) == "0.30000000000000004"


def test_assessed_figures_read_as_in_the_reports() -> None:
    assert report_figure(1_204_566.0) == "1,204,566"
    assert report_figure(27.000270002700027) == "27"
    assert report_figure(8.756) == "8.76"


def test_no_page_formats_a_figure_with_percent_g() -> None:
    """Neither the templates nor the code that fills pages and forms (an edit form's target value
    was filled with ``:g``, so 1234567 would have been posted back as 1234570)."""
    used = [p.name for p in Path(TEMPLATES_DIR).glob("*.html") if '"%g"' in p.read_text(encoding="utf-8")]
    code = Path(TEMPLATES_DIR).parent
    used += [p.name for p in code.rglob("*.py") if re.search(r":\.?\d*g\}", p.read_text(encoding="utf-8"))]
    assert used == []
