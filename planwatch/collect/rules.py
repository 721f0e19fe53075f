"""The validation rules: each a small function of (rows, context) that yields problems.

Rules never touch the database or the file system, so each can be tested with a handful
of rows. :func:`validate` runs them all in a fixed order; :data:`RULES` is the list.
Thresholds are module constants, named so that a statistician can find and question them.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from planwatch.collect import breakdowns as bd
from planwatch.collect.context import IndicatorSpec, ValidationContext
from planwatch.collect.problems import Problem, problem
from planwatch.collect.rows import InputRow

Rule = Callable[[list[InputRow], ValidationContext], Iterator[Problem]]

RATE_TOLERANCE_ABS = 0.051
"""A rate printed with one decimal may differ from numerator/denominator by half a unit of
its last digit; 0.051 allows that and nothing more."""
RATE_TOLERANCE_REL = 0.001
SUM_TOLERANCE_ABS = 0.5
SUM_TOLERANCE_REL = 0.001
SCALE_MIN_FACTOR = 8.0
"""A value at least this many times larger (or smaller) than its history, and close to a
power of ten, is taken for a unit mix-up (‰ entered as %, 万人 as 人 …)."""
SCALE_LOG_SLACK = 0.3
JUMP_FACTOR = 3.0
"""A change more than 3× the largest year-on-year change seen so far is flagged."""
JUMP_MIN_RELATIVE = 0.02
"""…but never below 2 % of the last value, so flat series do not flag rounding noise."""
JUMP_SINGLE_POINT_RELATIVE = 0.5
"""With only one earlier year there is no spread to compare with: flag changes over 50 %."""

ADDITIVE_UNITS = {"人", "名", "个", "所", "家", "项", "次", "元", "万元", "亿元", "平方米"}
"""Units whose breakdowns add up to the total (counts and amounts)."""
MEAN_LIKE_UNITS = {"%", "‰", "/10万", "/万", "/千", "岁", "年", "比"}
"""Units whose total is a weighted mean of its breakdowns, so it lies between them."""


def _place(row: InputRow, field: str) -> dict[str, Any]:
    return {"file": row.file, "sheet": row.sheet, "row": row.row, "column": row.column(field)}


def _spec(row: InputRow, ctx: ValidationContext) -> IndicatorSpec | None:
    return ctx.indicators.get(row.indicator_code)


def effective_value(row: InputRow, spec: IndicatorSpec | None) -> float | None:
    """The reported value, or the rate computed from numerator and denominator."""
    if row.value is not None:
        return row.value
    if (
        spec is not None
        and spec.is_rate
        and spec.rate_base
        and row.numerator is not None
        and row.denominator
    ):
        return row.numerator / row.denominator * spec.rate_base
    return None


# --------------------------------------------------------------------------- per row


def check_indicator(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    for r in rows:
        spec = _spec(r, ctx)
        if spec is None:
            yield problem("unknown-indicator", **_place(r, "indicator"), indicator=r.indicator_code)
        elif ctx.assigned and r.indicator_code not in ctx.assigned:
            yield problem(
                "indicator-not-assigned", **_place(r, "indicator"),
                indicator=r.indicator_code, name=spec.name, unit=ctx.unit_name,
            )
        elif r.breakdown not in spec.breakdown_keys:
            yield problem(
                "unknown-breakdown", **_place(r, "breakdown"),
                indicator=r.indicator_code, breakdown=r.breakdown,
            )


def check_duplicates(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    first: dict[tuple[str, str], int] = {}
    for r in rows:
        k = (r.indicator_code, r.breakdown)
        if k in first:
            yield problem(
                "duplicate-row", **_place(r, "indicator"), indicator=r.indicator_code,
                breakdown=bd.label(r.breakdown), first_row=first[k],
            )
        else:
            first[k] = r.row


def check_negative(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    labels = {"value": "本年数值", "numerator": "分子", "denominator": "分母"}
    for r in rows:
        spec = _spec(r, ctx)
        # A negative rate is reported as rate-out-of-range, with its 0–base bounds.
        may_be_negative = spec is not None and (
            spec.is_rate or (spec.lower_limit is not None and spec.lower_limit < 0)
        )
        for field, label in labels.items():
            v = getattr(r, field)
            if v is None or v >= 0 or (field == "value" and may_be_negative):
                continue
            yield problem("negative-value", **_place(r, field), field=label, value=v)


PROPORTION_BASE_MAX = 1000
"""Bases of proportions (%, ‰), whose numerator counts members of the denominator and so cannot
exceed it; a rate per 10万 counts events (deaths per births), so its numerator may."""


def _counts_refused(num: float, den: float, base: float) -> bool:
    """Counts that ``check_negative`` or ``check_rate`` refuse with a message of their own."""
    return num < 0 or den < 0 or (num > den and base <= PROPORTION_BASE_MAX)


def check_rate(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """Range, numerator ≤ denominator and value = numerator ÷ denominator × base."""
    for r in rows:
        spec = _spec(r, ctx)
        if spec is None or not spec.is_rate or not spec.rate_base:
            continue
        base = spec.rate_base
        if r.value is not None and not 0 <= r.value <= base:
            yield problem(
                "rate-out-of-range", **_place(r, "value"),
                value=r.value, unit=spec.unit_label, base=base,
            )
        num, den = r.numerator, r.denominator
        given = [n for n, v in (("分子", num), ("分母", den)) if v is not None]
        if len(given) == 1 and not ({"numerator", "denominator"} & r.unreadable):
            yield problem("rate-incomplete", **_place(r, "numerator"), given="、".join(given))
            continue
        if num is None or den is None:
            if r.value is not None and not r.unreadable:
                yield problem("rate-without-counts", **_place(r, "numerator"))
            continue
        if den == 0:
            yield problem("zero-denominator", **_place(r, "denominator"))
            continue
        if _counts_refused(num, den, base):
            if num >= 0 and den >= 0:  # negative counts: check_negative's
                yield problem(
                    "numerator-exceeds-denominator", **_place(r, "numerator"),
                    numerator=num, denominator=den,
                )
            continue
        computed = num / den * base
        if r.value is not None and abs(r.value - computed) > max(
            RATE_TOLERANCE_ABS, RATE_TOLERANCE_REL * abs(computed)
        ):
            yield problem(
                "rate-inconsistent", **_place(r, "value"),
                value=r.value, computed=round(computed, 4), unit=spec.unit_label,
            )


def check_limits(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """The figure inside the indicator's range (``lower_limit``–``upper_limit``).

    A rate entered only as 分子/分母 is stored as the rate they give, so that rate is held to the
    range too (a death rate of 60/10万 from 6 deaths in 10 000 births is as implausible as one
    typed as 60); the problem then names the two counts and points at the numerator.
    """
    for r in rows:
        spec = _spec(r, ctx)
        if spec is None:
            continue
        lo, hi = spec.lower_limit, spec.upper_limit
        if lo is None and hi is None:
            continue
        compared = _compared_value(r, spec)
        if compared is None:
            continue
        value, field = compared
        if (lo is None or value >= lo) and (hi is None or value <= hi):
            continue
        lower, upper = ("" if lo is None else lo), ("" if hi is None else hi)
        if field == "value":
            yield problem("value-out-of-range", **_place(r, "value"), value=value, unit=spec.unit_label,
                          lower=lower, upper=upper)
            continue
        if _counts_refused(r.numerator or 0.0, r.denominator or 0.0, spec.rate_base or 0.0):
            continue
        yield problem("computed-value-out-of-range", **_place(r, field), value=value, unit=spec.unit_label,
                      lower=lower, upper=upper, numerator=r.numerator, denominator=r.denominator)


def _scale_factor(value: float, history: list[tuple[int, float]]) -> tuple[float, float] | None:
    """(factor, typical) when ``value`` is off its history by about a power of ten."""
    past = [v for _, v in history if v > 0]
    if not past or value <= 0:
        return None
    typical = statistics.median(past)
    ratio = value / typical
    if 1 / SCALE_MIN_FACTOR < ratio < SCALE_MIN_FACTOR:
        return None
    exponent = math.log10(ratio)
    if abs(exponent - round(exponent)) > SCALE_LOG_SLACK:
        return None
    return ratio, typical


def _compared_value(row: InputRow, spec: IndicatorSpec) -> tuple[float, str] | None:
    """The figure the history rules judge, and the field a problem with it points at.

    A rate entered only as 分子/分母 is stored as the rate they give (:func:`effective_value`),
    so it joins the history exactly like a typed one and must be judged like one. Its value
    cell is empty, so a problem points at the numerator, where the clerk typed the figure;
    the computed rate is rounded for the message (the division leaves float noise).
    """
    value = effective_value(row, spec)
    if value is None:
        return None
    if row.value is not None:
        return value, "value"
    return round(value, 6), "numerator"


def check_scale(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    for r in rows:
        spec = _spec(r, ctx)
        found = None if spec is None else _compared_value(r, spec)
        if spec is None or found is None:
            continue
        value, field = found
        hit = _scale_factor(value, ctx.history.get((r.indicator_code, r.breakdown), []))
        if hit is None:
            continue
        factor, typical = hit
        shown = f"{factor:.0f}" if factor >= 1 else f"1/{1 / factor:.0f}"
        yield problem(
            "suspect-unit-scale", **_place(r, field), value=value,
            typical=round(typical, 6), factor=shown, unit=spec.unit_label or "无量纲",
        )


def check_jump(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """Warn on a change far outside the series' own year-on-year changes."""
    for r in rows:
        spec = _spec(r, ctx)
        found = None if spec is None else _compared_value(r, spec)
        if found is None:
            continue
        value, field = found
        series = ctx.history.get((r.indicator_code, r.breakdown), [])
        if not series or _scale_factor(value, series) is not None:
            continue
        prev_year, prev = series[-1]
        change = value - prev
        diffs = [abs(b - a) for (_, a), (_, b) in itertools.pairwise(series)]
        if diffs:
            usual = max(diffs)
            threshold = max(JUMP_FACTOR * usual, JUMP_MIN_RELATIVE * abs(prev))
        else:
            usual = JUMP_SINGLE_POINT_RELATIVE * abs(prev)
            threshold = usual
        if abs(change) > threshold and abs(change) > 1e-9:
            yield problem(
                "year-on-year-jump", **_place(r, field), previous_year=prev_year,
                previous=prev, change=f"{change:+g}", usual=round(usual, 4),
            )


# --------------------------------------------------------------------------- per file


def check_breakdown_sums(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """Breakdowns add up to the total (counts, numerators, denominators) or bracket it."""
    by_code: dict[str, dict[str, InputRow]] = defaultdict(dict)
    for r in rows:
        by_code[r.indicator_code].setdefault(r.breakdown, r)
    for code, cells in by_code.items():
        spec = ctx.indicators.get(code)
        total = cells.get(bd.TOTAL)
        if spec is None or total is None:
            continue
        for dim in spec.dims:
            parts = [cells.get(bd.key(dim.name, c)) for c in dim.categories]
            if any(p is None for p in parts):
                continue
            filled = [p for p in parts if p is not None]
            yield from _sum_problems(spec, dim, total, filled)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(SUM_TOLERANCE_ABS, SUM_TOLERANCE_REL * max(abs(a), abs(b)))


def _sum_problems(
    spec: IndicatorSpec, dim: bd.Dimension, total: InputRow, parts: list[InputRow]
) -> Iterator[Problem]:
    unit = spec.unit or ""
    if spec.is_rate:
        for field in ("numerator", "denominator"):
            whole = getattr(total, field)
            pieces = [getattr(p, field) for p in parts]
            if whole is None or any(v is None for v in pieces):
                continue
            s = sum(v for v in pieces if v is not None)
            if not _close(s, whole):
                yield problem(
                    "breakdown-sum-mismatch", **_place(total, field), dimension=dim.label,
                    parts=round(s, 6), total=whole,
                )
    if unit in ADDITIVE_UNITS and not spec.is_rate:
        values = [p.value for p in parts]
        if total.value is None or any(v is None for v in values):
            return
        s = sum(v for v in values if v is not None)
        if not _close(s, total.value):
            yield problem(
                "breakdown-sum-mismatch", **_place(total, "value"), dimension=dim.label,
                parts=round(s, 6), total=total.value,
            )
    elif spec.is_rate or unit in MEAN_LIKE_UNITS:
        rates = [v for v in (p.value for p in parts) if v is not None]
        if total.value is None or len(rates) != len(parts):
            return
        low, high = min(rates), max(rates)
        slack = max(RATE_TOLERANCE_ABS, RATE_TOLERANCE_REL * abs(total.value))
        if not low - slack <= total.value <= high + slack:
            yield problem(
                "breakdown-outside-total", **_place(total, "value"), dimension=dim.label,
                total=total.value, low=low, high=high,
            )


def check_required(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """Every measurable indicator the unit reports needs a total, or a note saying why not.

    Indicators without a unit of measure are directional (规划只写“逐步提高”): the
    template lists them so a unit can report a figure, but none is demanded.
    """
    totals = {r.indicator_code: r for r in rows if r.breakdown == bd.TOTAL}
    for code in sorted(ctx.assigned):
        spec = ctx.indicators[code]
        if not spec.measurable:
            continue
        r = totals.get(code)
        if r is None:
            first = rows[0] if rows else None
            yield problem(
                "missing-required", file=first.file if first else None,
                sheet=first.sheet if first else None,
                indicator=code, name=spec.name, breakdown="（合计）",
            )
            continue
        if effective_value(r, spec) is not None or "value" in r.unreadable:
            continue
        if r.note:
            yield problem(
                "value-not-reported", **_place(r, "note"), indicator=code, name=spec.name,
                note=r.note,
            )
        else:
            yield problem(
                "missing-required", **_place(r, "value"), indicator=code, name=spec.name,
                breakdown="（合计）",
            )


def check_conflicts(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    """Another unit's figure for the same indicator, area, year and breakdown differs."""
    for r in rows:
        spec = _spec(r, ctx)
        value = effective_value(r, spec)
        if value is None:
            continue
        for other_unit, other_value in ctx.others.get((r.indicator_code, r.breakdown), []):
            if not math.isclose(value, other_value, rel_tol=1e-9, abs_tol=1e-9):
                yield problem(
                    "conflicting-report", **_place(r, "value"), other_unit=other_unit,
                    indicator=r.indicator_code, breakdown=_breakdown_phrase(r.breakdown),
                    other_value=other_value, value=value,
                )


def check_locked(rows: list[InputRow], ctx: ValidationContext) -> Iterator[Problem]:
    if ctx.locked_revision is not None:
        first = rows[0] if rows else None
        yield problem(
            "submission-locked", file=first.file if first else None, unit=ctx.unit_name,
            year=ctx.year, revision=ctx.locked_revision,
        )


def _breakdown_phrase(breakdown: str) -> str:
    return "" if breakdown == bd.TOTAL else f"（{bd.label(breakdown)}）"


RULES: list[Rule] = [
    check_locked,
    check_indicator,
    check_duplicates,
    check_negative,
    check_rate,
    check_limits,
    check_scale,
    check_jump,
    check_breakdown_sums,
    check_required,
    check_conflicts,
]


def validate(rows: list[InputRow], ctx: ValidationContext) -> list[Problem]:
    """Run every rule; rows of unknown indicators are skipped by the value rules."""
    found: list[Problem] = []
    for rule in RULES:
        found.extend(rule(rows, ctx))
    return found
