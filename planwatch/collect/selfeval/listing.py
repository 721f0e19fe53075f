"""Reading stored self-evaluations back, filtered the way the office asks for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.units import find_units, resolve_area
from planwatch.store.models import Domain, Plan, SelfEvaluation, Target, Unit


@dataclass(frozen=True)
class EvaluationInfo:
    id: int
    area_code: str
    unit: str
    cycle: str
    plan: str
    domain: str
    number: int
    target: str
    rating: str
    evidence: str
    entered_by: str
    entered_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entered_at"] = self.entered_at.isoformat()
        return data


def list_self_evaluations(
    session: Session, *, cycle: str | None = None, area: str | None = None,
    unit: str | None = None,
) -> list[EvaluationInfo]:
    """Stored self-evaluations in plan order; ``area`` and ``unit`` accept names or aliases.

    Raises :class:`planwatch.collect.units.UnitLookupError` for an unknown area.
    """
    q = (
        select(SelfEvaluation, Target, Domain, Plan, Unit)
        .join(Target, Target.id == SelfEvaluation.target_id)
        .join(Domain, Domain.id == Target.domain_id)
        .join(Plan, Plan.id == Domain.plan_id)
        .join(Unit, Unit.id == SelfEvaluation.unit_id)
        .order_by(SelfEvaluation.area_code, Plan.id, Domain.seq, Target.number,
                  SelfEvaluation.cycle, Unit.id)
    )
    if cycle is not None:
        q = q.where(SelfEvaluation.cycle == cycle)
    area_obj = resolve_area(session, area)
    if area_obj is not None:
        q = q.where(SelfEvaluation.area_code == area_obj.code)
    if unit is not None:
        ids = [u.id for u in find_units(session, unit, area_obj.code if area_obj else None)]
        q = q.where(SelfEvaluation.unit_id.in_(ids))
    return [
        EvaluationInfo(
            id=se.id, area_code=se.area_code, unit=u.name, cycle=se.cycle, plan=p.title,
            domain=d.name, number=t.number, target=t.text, rating=se.rating,
            evidence=se.evidence or "", entered_by=se.entered_by, entered_at=se.entered_at,
        )
        for se, t, d, p, u in session.execute(q)
    ]
