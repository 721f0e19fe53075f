"""Observations for another system to pull: filtered, paged by id, and incremental by change time.

Only the latest revision of a unit's year is listed (an older revision is history, not a
figure). A revision "changed" when its last audit event was written — the import that made
it, or its latest submit, review, approval or return (every one writes ``audit_event`` in
its own transaction) — so ``updated_since`` returns the figures whose state or content moved
since the caller's previous pull. Paging is by observation id (``after_id``): stable while
rows are added, unlike an offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, aliased

from planwatch.collect import breakdowns as bd
from planwatch.store.models import AuditEvent, Indicator, Observation, Submission, Unit
from planwatch.vocabulary import STATE_LABELS

MAX_LIMIT = 1000


@dataclass(frozen=True)
class ObservationFilter:
    """What to list. ``area_code`` is required: a caller always reads within one area."""

    area_code: str
    unit_id: int | None = None
    indicator: str | None = None
    year: int | None = None
    breakdown: str | None = None
    states: Sequence[str] | None = None
    """states to include (None: every state)."""
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class ObservationFeedPage:
    rows: list[dict[str, Any]]
    next_after_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.rows, "next_after_id": self.next_after_id}


def observation_page(session: Session, where: ObservationFilter, *, after_id: int = 0,
                     limit: int = 100) -> ObservationFeedPage:
    """One page of observations in id order, and the id to continue after (None at the end)."""
    limit = max(1, min(limit, MAX_LIMIT))
    newer = aliased(Submission)
    latest_revision = (
        select(func.max(newer.revision))
        .where(newer.area_code == Submission.area_code, newer.unit_id == Submission.unit_id,
               newer.year == Submission.year)
        .scalar_subquery()
    )
    changed = (
        select(AuditEvent.entity_id.label("entity_id"), func.max(AuditEvent.at).label("changed_at"))
        .where(AuditEvent.entity == "submission")
        .group_by(AuditEvent.entity_id)
        .subquery()
    )
    changed_at = func.coalesce(changed.c.changed_at, Submission.created_at)
    q = (
        select(Observation, Submission, Indicator.code, Indicator.name, Indicator.unit, Unit.name, changed_at)
        .join(Submission, Submission.id == Observation.submission_id)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .join(Unit, Unit.id == Submission.unit_id)
        .outerjoin(changed, changed.c.entity_id == cast(Submission.id, String))
        .where(Submission.area_code == where.area_code, Submission.revision == latest_revision,
               Observation.id > after_id)
    )
    if where.unit_id is not None:
        q = q.where(Submission.unit_id == where.unit_id)
    if where.indicator is not None:
        q = q.where(Indicator.code == where.indicator)
    if where.year is not None:
        q = q.where(Observation.year == where.year)
    if where.breakdown is not None:
        q = q.where(Observation.breakdown == where.breakdown)
    if where.states is not None:
        q = q.where(Submission.state.in_(list(where.states)))
    if where.updated_since is not None:
        q = q.where(changed_at >= where.updated_since)
    found = session.execute(q.order_by(Observation.id).limit(limit + 1)).all()
    rows = [_row(*r) for r in found[:limit]]
    return ObservationFeedPage(rows, rows[-1]["id"] if len(found) > limit else None)


def _row(obs: Observation, sub: Submission, code: str, name: str, unit: str | None, unit_name: str,
         changed_at: Any) -> dict[str, Any]:
    when = changed_at if isinstance(changed_at, dt.datetime) else dt.datetime.fromisoformat(str(changed_at))
    if when.tzinfo is None:  # SQLite hands an aggregate back as stored text, without the type's decoding
        when = when.replace(tzinfo=dt.UTC)
    return {
        "id": obs.id, "submission_id": sub.id, "revision": sub.revision, "state": sub.state,
        "state_label": STATE_LABELS[sub.state], "area_code": sub.area_code, "reporting_unit_id": sub.unit_id,
        "reporting_unit": unit_name, "year": obs.year, "indicator": code, "name": name, "unit": unit,
        "breakdown": obs.breakdown, "breakdown_label": bd.label(obs.breakdown), "value": obs.value,
        "numerator": obs.numerator, "denominator": obs.denominator,
        "flags": [f for f in obs.flags or [] if isinstance(f, str)],
        "changed_at": when.astimezone(dt.UTC).isoformat(),
    }
