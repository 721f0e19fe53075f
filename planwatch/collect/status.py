"""Completeness and timeliness of each unit's yearly reporting.

Expected indicators are the ones the catalogue assigns to the unit; received ones are those
with a total in the unit's latest revision for the year. Timeliness is judged on the first
time any revision was submitted, against the deadline from workspace.yaml. The verdict is
a pure function of those facts and an ``as_of`` date that the caller supplies, so nothing
here reads the clock and tests can pin the day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import MEMBER, SERIES_OF_MEMBER
from planwatch.collect.history import latest_submissions
from planwatch.store.models import (
    Area,
    Indicator,
    Observation,
    Submission,
    SubmissionDocument,
    Unit,
)
from planwatch.store.reporters import reporters_in
from planwatch.vocabulary import Timeliness


@dataclass
class UnitStatus:
    area_code: str
    unit: str
    year: int
    deadline: dt.date
    expected: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    state: str | None = None
    revision: int | None = None
    first_submitted: dt.datetime | None = None
    timeliness: Timeliness = "pending"
    days_late: int = 0
    documents: int = 0

    @property
    def missing(self) -> list[str]:
        got = set(self.received)
        return [c for c in self.expected if c not in got]

    @property
    def completeness(self) -> float:
        return len(set(self.received) & set(self.expected)) / len(self.expected) if (
            self.expected) else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "area_code": self.area_code, "unit": self.unit, "year": self.year,
            "deadline": self.deadline.isoformat(), "expected": len(self.expected),
            "received": len(set(self.received) & set(self.expected)),
            "missing": self.missing, "completeness": round(self.completeness, 4),
            "state": self.state, "revision": self.revision,
            "first_submitted": self.first_submitted.isoformat() if self.first_submitted else None,
            "timeliness": self.timeliness, "days_late": self.days_late,
            "documents": self.documents,
        }


def timeliness(
    first_submitted: dt.datetime | None, deadline: dt.date, as_of: dt.date, tz: dt.tzinfo
) -> tuple[Timeliness, int]:
    """(verdict, days late). A submission on the deadline day, local time, is on time."""
    if first_submitted is not None:
        day = first_submitted.astimezone(tz).date()
        late = (day - deadline).days
        return ("late", late) if late > 0 else ("on-time", 0)
    late = (as_of - deadline).days
    return ("overdue", late) if late > 0 else ("pending", 0)


CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def collection_status(
    session: Session,
    year: int,
    deadline: dt.date,
    as_of: dt.date,
    *,
    area_code: str | None = None,
    unit_id: int | None = None,
    tz: dt.tzinfo = CHINA_TZ,
) -> list[UnitStatus]:
    """One row per reporting unit (units with at least one indicator assigned for ``year``).

    ``area_code`` / ``unit_id`` narrow every query to that area / unit: a unit's task page
    asks only for its own row, and reading the whole area's figures for it cost every
    filler's page a scan of its neighbours' observations at the deadline.
    """
    expected: dict[tuple[str, int], list[str]] = defaultdict(list)
    # A shared series is expected once, under its own code (see collect.catalogue). The
    # assignments are those of ``year``: a unit retired since is still expected for the years
    # it was responsible for, and its successor only from the year it took over.
    held = reporters_in(year)
    q = (
        select(held.c.area_code, held.c.unit_id, Indicator.code)
        .join(MEMBER, MEMBER.id == held.c.indicator_id)
        .join(Indicator, Indicator.id == SERIES_OF_MEMBER)
        .where(Indicator.unit.is_not(None))  # directional indicators are not demanded
        .order_by(Indicator.code)
    )
    if area_code is not None:
        q = q.where(held.c.area_code == area_code)
    if unit_id is not None:
        q = q.where(held.c.unit_id == unit_id)
    for area, reporter_id, code in session.execute(q):
        if code not in expected[(area, reporter_id)]:
            expected[(area, reporter_id)].append(code)
    # Two columns, not ORM objects: a workspace has hundreds of units and every unit's task page
    # (its 催报 notice) asks for its area's status.
    uq = select(Unit.id, Unit.name)
    if area_code is not None:
        uq = uq.where(Unit.area_code == area_code)
    if unit_id is not None:
        uq = uq.where(Unit.id == unit_id)
    names: dict[int, str] = {i: n for i, n in session.execute(uq)}
    latest = {
        (s.area_code, s.unit_id): s
        for s in latest_submissions(session, area_code=area_code, unit_id=unit_id, year=year)
    }
    received: dict[int, list[str]] = defaultdict(list)
    if latest:
        rq = (
            select(Observation.submission_id, Indicator.code)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Observation.submission_id.in_([s.id for s in latest.values()]),
                   Observation.breakdown == bd.TOTAL)
        )
        for sub_id, code in session.execute(rq):
            received[sub_id].append(code)
    fq = (select(Submission.area_code, Submission.unit_id, func.min(Submission.submitted_at))
          .where(Submission.year == year, Submission.submitted_at.is_not(None))
          .group_by(Submission.area_code, Submission.unit_id))
    dq = (select(SubmissionDocument.area_code, SubmissionDocument.unit_id, func.count())
          .where(SubmissionDocument.year == year)
          .group_by(SubmissionDocument.area_code, SubmissionDocument.unit_id))
    if area_code is not None:
        fq = fq.where(Submission.area_code == area_code)
        dq = dq.where(SubmissionDocument.area_code == area_code)
    if unit_id is not None:
        fq = fq.where(Submission.unit_id == unit_id)
        dq = dq.where(SubmissionDocument.unit_id == unit_id)
    first = {(a, u): t for a, u, t in session.execute(fq)}
    docs = {(a, u): n for a, u, n in session.execute(dq)}
    area_order = {code: i for i, code in enumerate(session.scalars(select(Area.code).order_by(Area.code)))}
    out: list[UnitStatus] = []
    for (area, reporter_id), codes in sorted(expected.items(), key=lambda kv: (
            area_order.get(kv[0][0], 0), kv[0][1])):
        sub = latest.get((area, reporter_id))
        first_at = first.get((area, reporter_id))
        if first_at is not None and first_at.tzinfo is None:
            first_at = first_at.replace(tzinfo=dt.UTC)
        verdict, late = timeliness(first_at, deadline, as_of, tz)
        out.append(UnitStatus(
            area_code=area, unit=names.get(reporter_id, str(reporter_id)), year=year, deadline=deadline,
            expected=codes, received=received.get(sub.id, []) if sub else [],
            state=sub.state if sub else None, revision=sub.revision if sub else None,
            first_submitted=first_at, timeliness=verdict, days_late=late,
            documents=docs.get((area, reporter_id), 0),
        ))
    return out
