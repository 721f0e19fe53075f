"""How the catalogue YAML names a target value, shared by its export and its import.

A target value is named by its area and ``2021-2030/D2/T3``: the plan's period, then the
target's (``T``) or measure's (``M``) place in it; two values of one indicator with the same
name are told apart as ``#2``, ``#3`` in id order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

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


_TARGET_DOMAIN = aliased(db.Domain, name="target_domain")
_MEASURE_DOMAIN = aliased(db.Domain, name="measure_domain")
_TV = db.TargetValue
_VALUE_ROWS = (
    select(
        _TV.id, _TV.indicator_id, _TV.area_code, _TV.comparator, _TV.value, _TV.direction, _TV.unit,
        _TV.target_year, _TV.baseline_year, _TV.baseline_value, _TV.relative, _TV.base_year, _TV.raw,
        db.Plan.period_start, db.Plan.period_end, _TARGET_DOMAIN.seq.label("target_domain_seq"),
        db.Target.number.label("target_number"), _MEASURE_DOMAIN.seq.label("measure_domain_seq"),
        db.Measure.number.label("measure_number"),
    )
    .join(db.Plan, db.Plan.id == _TV.plan_id)
    .outerjoin(db.Target, db.Target.id == _TV.target_id)
    .outerjoin(_TARGET_DOMAIN, _TARGET_DOMAIN.id == db.Target.domain_id)
    .outerjoin(db.Measure, db.Measure.id == _TV.measure_id)
    .outerjoin(_MEASURE_DOMAIN, _MEASURE_DOMAIN.id == db.Measure.domain_id)
)
ValueRow = Row[*tuple[Any, ...]]
"""A target value as plain columns (named as :class:`~planwatch.store.models.TargetValue`'s)."""
_REPORTER_NAMES = select(
    db.IndicatorReporter.indicator_id, db.IndicatorReporter.area_code, db.Unit.name
).join(db.Unit, db.Unit.id == db.IndicatorReporter.unit_id)


def _row_ref(tv: ValueRow) -> str:
    if tv.target_number is not None:
        return ref_text(tv.period_start, tv.period_end, tv.target_domain_seq, "T", tv.target_number)
    return ref_text(tv.period_start, tv.period_end, tv.measure_domain_seq, "M", tv.measure_number)


def value_rows(session: Session) -> dict[int, list[tuple[str, str, ValueRow]]]:
    """Indicator id → (area, ref, value) as :func:`target_refs` gives them, for every indicator.

    Read as plain columns in one query: the export only prints them and the import only
    compares with them, and loading every value with its plan, target or measure and domain
    as objects was most of the time of both."""
    values: dict[int, list[tuple[int, str, str, ValueRow]]] = {}
    for tv in session.execute(_VALUE_ROWS):
        values.setdefault(tv.indicator_id, []).append((tv.id, tv.area_code, _row_ref(tv), tv))
    return {indicator_id: numbered_refs(rows) for indicator_id, rows in values.items()}


def reporter_names(session: Session) -> dict[int, dict[str, list[str]]]:
    """Indicator id → area → the names of the units reporting it there (in no set order)."""
    reporters: dict[int, dict[str, list[str]]] = {}
    for indicator_id, area_code, name in session.execute(_REPORTER_NAMES):
        reporters.setdefault(indicator_id, {}).setdefault(area_code, []).append(name)
    return reporters
