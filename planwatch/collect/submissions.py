"""A unit's record: every revision of its submissions, their figures, problems and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.history import latest_submissions
from planwatch.collect.units import UnitLookupError, find_unit, resolve_area
from planwatch.collect.workflow import STATE_LABELS
from planwatch.store.models import (
    AuditEvent,
    Indicator,
    Observation,
    StoredProblem,
    Submission,
    SubmissionDocument,
    Unit,
)


@dataclass
class SubmissionInfo:
    id: int
    area_code: str
    unit: str
    year: int
    revision: int
    state: str
    created_by: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    source_file: str | None
    supersedes_id: int | None
    comment: str | None
    latest: bool = True

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "area_code": self.area_code, "unit": self.unit, "year": self.year,
            "revision": self.revision, "state": self.state, "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "source_file": self.source_file, "supersedes_id": self.supersedes_id,
            "comment": self.comment, "latest": self.latest,
        }


def _info(sub: Submission, unit_name: str, latest: bool) -> SubmissionInfo:
    return SubmissionInfo(
        id=sub.id, area_code=sub.area_code, unit=unit_name, year=sub.year,
        revision=sub.revision, state=sub.state, created_by=sub.created_by,
        created_at=sub.created_at, submitted_at=sub.submitted_at, source_file=sub.source_file,
        supersedes_id=sub.supersedes_id, comment=sub.comment, latest=latest,
    )


def list_submissions(
    session: Session,
    *,
    year: int | None = None,
    unit: str | None = None,
    area: str | None = None,
    all_revisions: bool = False,
) -> list[SubmissionInfo]:
    """Latest revision per unit and year (or every revision), by area, year and unit."""
    area_obj = resolve_area(session, area)
    area_code = area_obj.code if area_obj else None
    unit_id = find_unit(session, unit, area_code).id if unit else None
    names = {u.id: u.name for u in session.scalars(select(Unit))}
    latest = latest_submissions(session, year=year, unit_id=unit_id, area_code=area_code)
    latest_ids = {s.id for s in latest}
    subs = latest
    if all_revisions:
        q = select(Submission)
        if year is not None:
            q = q.where(Submission.year == year)
        if unit_id is not None:
            q = q.where(Submission.unit_id == unit_id)
        if area_code is not None:
            q = q.where(Submission.area_code == area_code)
        q = q.order_by(Submission.area_code, Submission.year, Submission.unit_id,
                       Submission.revision)
        subs = list(session.scalars(q))
    return [_info(s, names.get(s.unit_id, str(s.unit_id)), s.id in latest_ids) for s in subs]


def resolve_submission(
    session: Session,
    *,
    submission_id: int | None = None,
    unit: str | None = None,
    year: int | None = None,
    area: str | None = None,
    revision: int | None = None,
) -> Submission:
    """A submission by id, or by unit and year (latest revision unless one is given)."""
    if submission_id is not None:
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise UnitLookupError(f"没有编号为 {submission_id} 的填报 no such submission")
        return sub
    if unit is None or year is None:
        raise UnitLookupError("请给出填报编号，或 --unit 和 --year give an id or unit and year")
    u = find_unit(session, unit, area)
    q = select(Submission).where(Submission.unit_id == u.id, Submission.year == year)
    if revision is not None:
        q = q.where(Submission.revision == revision)
    sub = session.scalars(q.order_by(Submission.revision.desc()).limit(1)).first()
    if sub is None:
        raise UnitLookupError(f"{u.name} 没有 {year} 年的填报 no submission for that year")
    return sub


@dataclass
class SubmissionDetail:
    info: SubmissionInfo
    observations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[SubmissionInfo] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "submission": self.info.to_dict(),
            "observations": self.observations,
            "problems": self.problems,
            "documents": self.documents,
            "revisions": [r.to_dict() for r in self.revisions],
            "events": self.events,
        }


def submission_detail(session: Session, sub: Submission) -> SubmissionDetail:
    """Everything about one revision, plus its siblings and its audit trail."""
    unit = session.get(Unit, sub.unit_id)
    unit_name = unit.name if unit else str(sub.unit_id)
    siblings = list(session.scalars(
        select(Submission).where(
            Submission.area_code == sub.area_code, Submission.unit_id == sub.unit_id,
            Submission.year == sub.year,
        ).order_by(Submission.revision)
    ))
    top = max(s.revision for s in siblings)
    detail = SubmissionDetail(info=_info(sub, unit_name, sub.revision == top))
    detail.revisions = [_info(s, unit_name, s.revision == top) for s in siblings]
    q = (
        select(Observation, Indicator)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .where(Observation.submission_id == sub.id)
        .order_by(Indicator.code, Observation.id)
    )
    for obs, ind in session.execute(q):
        detail.observations.append({
            "indicator": ind.code, "name": ind.name, "unit": ind.unit,
            "breakdown": obs.breakdown, "breakdown_label": bd.label(obs.breakdown),
            "value": obs.value, "numerator": obs.numerator, "denominator": obs.denominator,
            "flags": list(obs.flags or []),
        })
    for p in session.scalars(
        select(StoredProblem).where(StoredProblem.submission_id == sub.id)
        .order_by(StoredProblem.id)
    ):
        detail.problems.append({
            "code": p.code, "severity": p.severity, "message": p.message, "file": p.file,
            "sheet": p.sheet, "row": p.row, "column": p.column,
        })
    for d in session.scalars(
        select(SubmissionDocument).where(
            SubmissionDocument.unit_id == sub.unit_id, SubmissionDocument.year == sub.year
        ).order_by(SubmissionDocument.id)
    ):
        detail.documents.append({
            "id": d.id, "filename": d.filename, "media_type": d.media_type,
            "characters": len(d.text), "created_by": d.created_by,
            "created_at": d.created_at.isoformat(),
        })
    ids = [str(s.id) for s in siblings]
    for e in session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "submission",
                                 AuditEvent.entity_id.in_(ids)).order_by(AuditEvent.id)
    ):
        detail.events.append({
            "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
            "submission_id": int(e.entity_id or 0), "detail": e.detail,
        })
    return detail
