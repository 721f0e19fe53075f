"""What a report chart looks like and shows, whoever draws it: the PNG charts of the HTML
and PDF reports (``charts``, matplotlib) and the Word charts (``docx_chart``).

Kept apart from both so that writing Word files never imports matplotlib: a report
process that writes only docx starts a second sooner without it.
"""

from __future__ import annotations

import math

from planwatch.report.formatting import number
from planwatch.report.model import Chart

WIDTH_IN = 6.0
HEIGHT_IN = 3.0
COLOURS = ("#c0392b", "#2c6fbb", "#27ae60", "#8e44ad", "#d68910", "#566573")
TARGET_COLOUR = "#7f8c8d"
# Units of counted things: a chart in one of them, or whose every value is whole, is a
# count and gets whole-number ticks from zero (no "0.950–1.050" axis for a flat 1).
COUNT_UNITS = frozenset({"项", "个", "人", "次", "所", "家", "例", "名", "件", "户", "起"})
PENDING = "待审定"
VALUE_DECIMALS = 2
"""Decimals of the figures a chart writes (point labels, the target's key, the Word chart's
data): the indicator tables' figure columns print two (``builders.parts.indicator_table``), so a
point labelled beside its table cell shows the same figure (8.76, not 8.8)."""


def is_count(chart: Chart) -> bool:
    """Whether the chart shows counts: a counting unit, or only whole numbers with no
    decimal unit (rates such as % stay on a continuous axis even when whole)."""
    values = [v for s in chart.series for v in s.values if v is not None and not math.isnan(v)]
    if chart.unit in COUNT_UNITS:
        return True
    if chart.unit:
        return False
    return bool(values) and all(float(v).is_integer() for v in values)


def target_label(chart: Chart) -> str:
    """The key's entry for the target line: the plan's wording if the builder gave one."""
    return chart.target_label or f"目标值 {number(chart.target, VALUE_DECIMALS)}{chart.unit}"
