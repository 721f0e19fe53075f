"""Evaluation cycles: a year (2023), ``midterm`` or ``final``, and the year each stands for.

Pure rules with no database: the assessment's input reader, the reports and the
self-evaluation checks all use them, and none of those should pull in the store to know
what "midterm" means.
"""

from __future__ import annotations

import re

from planwatch.errors import PlanwatchError

CYCLE_LABELS = {"midterm": "中期评估", "final": "终期评估"}
_YEAR = re.compile(r"\d{4}")


class CycleError(PlanwatchError, ValueError):
    """A cycle that is neither a year nor ``midterm`` / ``final``."""

    code = "collect.cycle"


def check_cycle(cycle: str) -> str:
    """The cycle in canonical form (``2023``, ``midterm``, ``final``), or :class:`CycleError`."""
    text = str(cycle).strip().lower()
    if text in CYCLE_LABELS:
        return text
    if _YEAR.fullmatch(text) and 1990 <= int(text) <= 2100:
        return text
    raise CycleError(
        f"评估周期“{cycle}”无效：应为年份（如 2023）、midterm（中期）或 final（终期）"
        " invalid cycle"
    )


def cycle_label(cycle: str) -> str:
    return CYCLE_LABELS.get(cycle, f"{cycle}年度")


def cycle_year(cycle: str, period_start: int, period_end: int) -> int:
    """The year a cycle stands for in a plan: the same rule as the assessment loader's."""
    if _YEAR.fullmatch(cycle):
        return int(cycle)
    if cycle == "midterm":
        return period_start + (period_end - period_start) // 2
    return period_end


def cycle_in_plan(cycle: str, period_start: int, period_end: int) -> bool:
    """A yearly cycle must fall inside the plan period; midterm and final always do."""
    return period_start <= cycle_year(cycle, period_start, period_end) <= period_end
