"""How the catalogue YAML names a target value, shared by its export and its import.

A target value is named by its area and ``2021-2030/D2/T3``: the plan's period, then the
target's (``T``) or measure's (``M``) place in it; two values of one indicator with the same
name are told apart as ``#2``, ``#3`` in id order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from planwatch.store import models as db

FORMAT = 1
"""The ``planwatch_catalogue`` number of the file's layout."""


def ref_text(period_start: int, period_end: int, domain_seq: int, kind: str, number: int) -> str:
    """``2021-2030/D2/T3``: the plan's period, then the target's (``T``) or measure's (``M``)
    place in it."""
    return f"{period_start}-{period_end}/D{domain_seq}/{kind}{number}"


def _ref(tv: db.TargetValue) -> str:
    plan = tv.plan
    if tv.target is not None:
        return ref_text(plan.period_start, plan.period_end, tv.target.domain.seq, "T", tv.target.number)
    assert tv.measure is not None
    return ref_text(plan.period_start, plan.period_end, tv.measure.domain.seq, "M", tv.measure.number)


_T = TypeVar("_T")


def numbered_refs(values: Iterable[tuple[int, str, str, _T]]) -> list[tuple[str, str, _T]]:
    """(area, ref, value) of (id, area, ref, value), refs made unique with #2, #3 in id order."""
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for _, area, ref, value in sorted(values, key=lambda v: v[0]):
        n = seen.get((area, ref), 0) + 1
        seen[(area, ref)] = n
        rows.append((area, ref if n == 1 else f"{ref}#{n}", value))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def target_refs(indicator: db.Indicator) -> list[tuple[str, str, db.TargetValue]]:
    """(area, ref, value) for each target value, refs made unique with #2, #3 in id order."""
    return numbered_refs((tv.id, tv.area_code, _ref(tv), tv) for tv in indicator.target_values)


def value_refs(indicator: db.Indicator) -> dict[int, tuple[str, str]]:
    """Target value id → (area, ref) as the YAML names it, for editors that write one entry."""
    return {tv.id: (area, ref) for area, ref, tv in target_refs(indicator)}
