"""Which figures count: the latest revision of each unit's submission, and past values.

Every re-import adds a revision and nothing is overwritten, so "the figures" always
means "the latest revision per unit and year" (optionally among approved ones only).
These queries are the one place that rule lives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from planwatch.store.models import Observation, Submission, Unit

APPROVED = ("approved",)


def latest_submissions_query(
    *,
    area_code: str | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    states: Iterable[str] | None = None,
) -> Select[Submission]:
    """Latest revision per (area, unit, year), among ``states`` if given."""
    state_list = list(states) if states is not None else None
    inner = select(
        Submission.area_code,
        Submission.unit_id,
        Submission.year,
        func.max(Submission.revision).label("revision"),
    )
    if area_code is not None:
        inner = inner.where(Submission.area_code == area_code)
    if year is not None:
        inner = inner.where(Submission.year == year)
    if unit_id is not None:
        inner = inner.where(Submission.unit_id == unit_id)
    if state_list is not None:
        inner = inner.where(Submission.state.in_(state_list))
    latest = inner.group_by(Submission.area_code, Submission.unit_id, Submission.year).subquery()
    return (
        select(Submission)
        .join(
            latest,
            and_(
                Submission.area_code == latest.c.area_code,
                Submission.unit_id == latest.c.unit_id,
                Submission.year == latest.c.year,
                Submission.revision == latest.c.revision,
            ),
        )
        .order_by(Submission.area_code, Submission.year, Submission.unit_id)
    )


def latest_submissions(
    session: Session,
    *,
    area_code: str | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    states: Iterable[str] | None = None,
) -> list[Submission]:
    q = latest_submissions_query(area_code=area_code, year=year, unit_id=unit_id, states=states)
    return list(session.scalars(q))


def series(
    session: Session,
    area_code: str,
    *,
    before_year: int | None = None,
    years: Iterable[int] | None = None,
    states: Iterable[str] | None = APPROVED,
    exclude_unit_id: int | None = None,
    indicator_ids: Iterable[int] | None = None,
) -> dict[tuple[int, str], dict[int, float]]:
    """(indicator id, breakdown) → {year: value} from the latest qualifying revisions.

    When two units report the same figure the lower unit id wins here; the disagreement
    itself is surfaced by :mod:`planwatch.collect.conflicts`, never hidden.
    """
    sub = latest_submissions_query(area_code=area_code, states=states).subquery()
    q = (
        select(
            Observation.indicator_id,
            Observation.breakdown,
            Observation.year,
            Observation.value,
            sub.c.unit_id,
        )
        .join(sub, Observation.submission_id == sub.c.id)
        .order_by(sub.c.unit_id.desc())
    )
    if before_year is not None:
        q = q.where(Observation.year < before_year)
    if years is not None:
        q = q.where(Observation.year.in_(list(years)))
    if exclude_unit_id is not None:
        q = q.where(sub.c.unit_id != exclude_unit_id)
    if indicator_ids is not None:
        q = q.where(Observation.indicator_id.in_(list(indicator_ids)))
    out: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    for ind_id, breakdown, year, value, _unit in session.execute(q):
        out[(ind_id, breakdown)][year] = value
    return dict(out)


def reports_by_others(
    session: Session,
    area_code: str,
    year: int,
    unit_id: int,
    indicator_ids: Iterable[int] | None = None,
) -> dict[tuple[int, str], list[tuple[str, float]]]:
    """(indicator id, breakdown) → [(unit name, value)] from other units' latest revisions."""
    sub = latest_submissions_query(area_code=area_code, year=year).subquery()
    q = (
        select(Observation.indicator_id, Observation.breakdown, Unit.name, Observation.value)
        .join(sub, Observation.submission_id == sub.c.id)
        .join(Unit, Unit.id == sub.c.unit_id)
        .where(sub.c.unit_id != unit_id, sub.c.state != "returned")
        .order_by(Unit.id)
    )
    if indicator_ids is not None:
        q = q.where(Observation.indicator_id.in_(list(indicator_ids)))
    out: dict[tuple[int, str], list[tuple[str, float]]] = defaultdict(list)
    for ind_id, breakdown, unit_name, value in session.execute(q):
        out[(ind_id, breakdown)].append((unit_name, value))
    return dict(out)
