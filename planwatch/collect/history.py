"""Which figures count: the latest revision of each unit's submission, and past values.

Every re-import adds a revision and nothing is overwritten, so "the figures" always
means "the latest revision per unit and year" (optionally among approved ones only).
These queries are the one place that rule lives.

The import runs :func:`series`, :func:`reports_by_others` and :func:`latest_submissions`
for every file; building their nested statements costs far more than the database spends
answering them, so each shape of statement (which filters are present) is built once,
with bound parameters, and reused. :func:`series` and :func:`reports_by_others` return
plain values, so theirs are Core statements on the tables, run on the session's
connection: the same SQL without the ORM's per-execution bookkeeping.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Select, Subquery, Table, and_, bindparam, func, select
from sqlalchemy.orm import Session

from planwatch.store.models import Indicator, Observation, Submission, Unit

APPROVED = ("approved",)

_SUBMISSION = cast(Table, Submission.__table__)
_OBSERVATION = cast(Table, Observation.__table__)
_UNIT = cast(Table, Unit.__table__)

LATEST_REVISION = (
    select(_SUBMISSION.c.id, _SUBMISSION.c.revision, _SUBMISSION.c.state)
    .where(
        _SUBMISSION.c.area_code == bindparam("area_code"),
        _SUBMISSION.c.unit_id == bindparam("unit_id"),
        _SUBMISSION.c.year == bindparam("year"),
    )
    .order_by(_SUBMISSION.c.revision.desc())
    .limit(1)
)
"""(id, revision, state) of one unit's latest revision for ``:area_code`` and ``:year``.

Built once: the import asks it for every file and the workflow for every transition, and
building the statement cost more than answering it.
"""


def _latest_query(
    *, area_code: Any = None, year: Any = None, unit_id: Any = None,
    states: tuple[str, ...] | None = None,
) -> Select[Submission]:
    """The statement behind :func:`latest_submissions_query`; filters may be bound parameters."""
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
    if states is not None:
        inner = inner.where(Submission.state.in_(states))
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


def latest_submissions_query(
    *,
    area_code: str | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    states: Iterable[str] | None = None,
) -> Select[Submission]:
    """Latest revision per (area, unit, year), among ``states`` if given."""
    return _latest_query(
        area_code=area_code, year=year, unit_id=unit_id,
        states=tuple(states) if states is not None else None,
    )


@lru_cache(maxsize=64)
def _latest_statement(
    area: bool, year: bool, unit: bool, states: tuple[str, ...] | None
) -> Select[Submission]:
    return _latest_query(
        area_code=bindparam("area_code") if area else None,
        year=bindparam("year") if year else None,
        unit_id=bindparam("unit_id") if unit else None,
        states=states,
    )


def latest_submissions(
    session: Session,
    *,
    area_code: str | None = None,
    year: int | None = None,
    unit_id: int | None = None,
    states: Iterable[str] | None = None,
) -> list[Submission]:
    state_key = tuple(states) if states is not None else None
    q = _latest_statement(area_code is not None, year is not None, unit_id is not None, state_key)
    params = {"area_code": area_code, "year": year, "unit_id": unit_id}
    return list(session.scalars(q, {k: v for k, v in params.items() if v is not None}))


def _latest_rows(*, with_year: bool, states: tuple[str, ...] | None) -> Subquery:
    """(id, unit_id, state) of the latest revision per unit in ``:area_code`` (and ``:year``).

    The same rule as :func:`latest_submissions_query`, on the tables.
    """
    s = _SUBMISSION
    inner = select(s.c.area_code, s.c.unit_id, s.c.year, func.max(s.c.revision).label("revision"))
    inner = inner.where(s.c.area_code == bindparam("area_code"))
    if with_year:
        inner = inner.where(s.c.year == bindparam("year"))
    if states is not None:
        inner = inner.where(s.c.state.in_(states))
    latest = inner.group_by(s.c.area_code, s.c.unit_id, s.c.year).subquery()
    return (
        select(s.c.id, s.c.unit_id, s.c.state)
        .join(
            latest,
            and_(
                s.c.area_code == latest.c.area_code,
                s.c.unit_id == latest.c.unit_id,
                s.c.year == latest.c.year,
                s.c.revision == latest.c.revision,
            ),
        )
        .subquery()
    )


@lru_cache(maxsize=64)
def _series_statement(
    states: tuple[str, ...] | None, before: bool, years: bool, exclude: bool, ids: bool
) -> Select[Any]:
    sub = _latest_rows(with_year=False, states=states)
    o = _OBSERVATION
    q: Select[Any] = (
        select(o.c.indicator_id, o.c.breakdown, o.c.year, o.c.value, sub.c.unit_id)
        .join(sub, o.c.submission_id == sub.c.id)
        .order_by(sub.c.unit_id.desc())
    )
    if before:
        q = q.where(o.c.year < bindparam("before_year"))
    if years:
        q = q.where(o.c.year.in_(bindparam("years", expanding=True)))
    if exclude:
        q = q.where(sub.c.unit_id != bindparam("exclude_unit_id"))
    if ids:
        q = q.where(o.c.indicator_id.in_(bindparam("indicator_ids", expanding=True)))
    return q


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
    q = _series_statement(
        tuple(states) if states is not None else None, before_year is not None,
        years is not None, exclude_unit_id is not None, indicator_ids is not None,
    )
    params: dict[str, Any] = {"area_code": area_code}
    if before_year is not None:
        params["before_year"] = before_year
    if years is not None:
        params["years"] = list(years)
    if exclude_unit_id is not None:
        params["exclude_unit_id"] = exclude_unit_id
    if indicator_ids is not None:
        params["indicator_ids"] = list(indicator_ids)
    out: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    for ind_id, breakdown, year, value, _unit in session.connection().execute(q, params):
        out[(ind_id, breakdown)][year] = value
    return dict(out)


@lru_cache(maxsize=4)
def _others_statement(ids: bool) -> Select[Any]:
    sub = _latest_rows(with_year=True, states=None)
    o, u = _OBSERVATION, _UNIT
    q: Select[Any] = (
        select(o.c.indicator_id, o.c.breakdown, u.c.name, o.c.value)
        .join(sub, o.c.submission_id == sub.c.id)
        .join(u, u.c.id == sub.c.unit_id)
        .where(sub.c.unit_id != bindparam("unit_id"), sub.c.state != "returned")
        .order_by(u.c.id)
    )
    if ids:
        q = q.where(o.c.indicator_id.in_(bindparam("indicator_ids", expanding=True)))
    return q


def reports_by_others(
    session: Session,
    area_code: str,
    year: int,
    unit_id: int,
    indicator_ids: Iterable[int] | None = None,
) -> dict[tuple[int, str], list[tuple[str, float]]]:
    """(indicator id, breakdown) → [(unit name, value)] from other units' latest revisions."""
    params: dict[str, Any] = {"area_code": area_code, "year": year, "unit_id": unit_id}
    if indicator_ids is not None:
        params["indicator_ids"] = list(indicator_ids)
    q = _others_statement(indicator_ids is not None)
    out: dict[tuple[int, str], list[tuple[str, float]]] = defaultdict(list)
    for ind_id, breakdown, unit_name, value in session.connection().execute(q, params):
        out[(ind_id, breakdown)].append((unit_name, value))
    return dict(out)


@dataclass(frozen=True)
class CellRevision:
    """One revision's figure of one cell: what it said, who stored it, when, and where it stands."""

    submission_id: int
    revision: int
    state: str
    by: str
    at: dt.datetime
    value: float | None
    """None: the revision left the cell empty (a figure removed, or not yet typed)."""
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""


def cell_history(
    session: Session, area_code: str, unit_id: int, year: int, *, drafts: bool = True
) -> dict[tuple[str, str], list[CellRevision]]:
    """(indicator code, breakdown) → every revision of the unit's year for that cell, newest first.

    Nothing is overwritten (each save or import is a revision), so a cell's history is read
    straight from the revisions. A revision that left a cell empty which another revision
    filled is listed with ``value`` None, so a removed figure shows as removed. ``drafts=False``
    leaves out revisions still in draft: figures that have not left the unit are its own.
    """
    q = select(Submission).where(Submission.area_code == area_code, Submission.unit_id == unit_id,
                                 Submission.year == year).order_by(Submission.revision.desc())
    if not drafts:
        q = q.where(Submission.state != "draft")
    subs = list(session.scalars(q))
    if not subs:
        return {}
    rows = session.execute(
        select(Observation.submission_id, Indicator.code, Observation.breakdown, Observation.value,
               Observation.numerator, Observation.denominator, Observation.flags)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .where(Observation.submission_id.in_([s.id for s in subs])))
    found: dict[tuple[str, str], dict[int, tuple[float | None, float | None, float | None, str]]] = \
        defaultdict(dict)
    for sub_id, code, breakdown, value, numerator, denominator, flags in rows:
        note = next((f[5:] for f in flags or [] if isinstance(f, str) and f.startswith("note:")), "")
        found[(code, breakdown)][sub_id] = (value, numerator, denominator, note)
    out: dict[tuple[str, str], list[CellRevision]] = {}
    for key, by_sub in found.items():
        history = []
        for sub in subs:
            value, numerator, denominator, note = by_sub.get(sub.id, (None, None, None, ""))
            history.append(CellRevision(sub.id, sub.revision, sub.state, sub.created_by, sub.created_at,
                                        value, numerator, denominator, note))
        out[key] = history
    return out
