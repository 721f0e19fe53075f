"""Which targets a lead unit rates itself, and the evaluation cycles it rates them in.

Only targets whose ``monitoring`` is 定性评价 get a self-evaluation: by default those the
catalogue loader found no indicator and no direction in (建立健全…机制), and any target a user
switched to 定性评价 in the catalogue YAML or from the 监测指标体系. Directional targets
(逐步提高 …) are left out on purpose: their indicators are reported as figures and the
assessment judges the trend; when nobody
reports them the assessment says 数据不足 and warns 数据缺失, which asks for the figure
rather than letting a unit's own word stand in for it. A self-evaluation also could not be
told apart from the assessment's verdict in the reports, which list it under 定性目标.

A target with several lead units is rated by each of them separately (the unique key is
target × cycle × unit); a target with no lead unit cannot be rated and is listed by
:func:`unled_qualitative_targets` so the office can assign one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from planwatch.collect.selfeval.cycles import (
    cycle_in_plan,
)
from planwatch.store.models import Domain, Plan, Target, TargetUnit, Unit


@dataclass(frozen=True)
class QualitativeTarget:
    """One qualitative target as a unit sees it in its workbook."""

    id: int
    plan: str
    domain: str
    domain_seq: int
    number: int
    text: str
    area_code: str
    period_start: int
    period_end: int

    @property
    def label(self) -> str:
        """A short, stable name for messages: 妇女与法律 主要目标(2)."""
        return f"{self.domain} 主要目标({self.number})"


def _query() -> Select[int, str, str, int, int, str, str, int, int]:
    """The qualitative targets with what a unit sees of them, as plain columns in the order of
    :class:`QualitativeTarget`'s fields: read as Target, Domain and Plan objects, they cost
    every workbook made or checked more than its cells."""
    return (
        select(Target.id, Plan.title, Domain.name, Domain.seq, Target.number, Target.text,
               Plan.area_code, Plan.period_start, Plan.period_end)
        .join(Domain, Domain.id == Target.domain_id)
        .join(Plan, Plan.id == Domain.plan_id)
        .where(Target.monitoring == "qualitative")
        .order_by(Plan.area_code, Plan.id, Domain.seq, Target.number)
    )


def qualitative_targets(session: Session, unit: Unit, cycle: str) -> list[QualitativeTarget]:
    """The qualitative targets ``unit`` leads whose plan covers ``cycle``, in plan order."""
    q = _query().join(TargetUnit, TargetUnit.target_id == Target.id).where(
        TargetUnit.unit_id == unit.id, TargetUnit.role == "lead"
    )
    return [
        QualitativeTarget(*row) for row in session.execute(q)
        if cycle_in_plan(cycle, row.period_start, row.period_end)
    ]


def lead_units(session: Session, area_code: str | None = None) -> list[Unit]:
    """Active units that lead at least one qualitative target, by area then id.

    A retired unit gets no new workbook: the targets of plans still running moved to its
    successor when it was retired; those of ended plans stay its own, as history."""
    led = (
        select(TargetUnit.unit_id)
        .join(Target, Target.id == TargetUnit.target_id)
        .where(Target.monitoring == "qualitative", TargetUnit.role == "lead")
    )
    q = select(Unit).where(Unit.id.in_(led), Unit.retired_from.is_(None)).order_by(Unit.area_code, Unit.id)
    if area_code is not None:
        q = q.where(Unit.area_code == area_code)
    return list(session.scalars(q))


def unled_qualitative_targets(
    session: Session, area_code: str | None = None
) -> list[QualitativeTarget]:
    """Qualitative targets without any lead unit: nobody can rate them until one is named."""
    led = select(TargetUnit.target_id).where(TargetUnit.role == "lead")
    q = _query().where(Target.id.not_in(led))
    if area_code is not None:
        q = q.where(Plan.area_code == area_code)
    return [QualitativeTarget(*row) for row in session.execute(q)]


def lead_unit_names(session: Session, target_id: int) -> list[str]:
    return lead_unit_names_of(session, [target_id]).get(target_id, [])


IDS_PER_QUERY = 500
"""Target ids per query: well under every backend's limit on bound parameters."""


def id_batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ids in order, ``IDS_PER_QUERY`` at a time, for ``column.in_(batch)``."""
    distinct = sorted(set(ids))
    for start in range(0, len(distinct), IDS_PER_QUERY):
        yield distinct[start:start + IDS_PER_QUERY]


def lead_unit_names_of(session: Session, target_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each target's lead units in order; a target without any is absent.

    One query for a whole workbook's targets rather than one per row: a unit's workbook
    holds dozens, and it is read twice on import (checked, then checked again when stored).
    """
    names: dict[int, list[str]] = {}
    for batch in id_batches(target_ids):
        q = (
            select(TargetUnit.target_id, Unit.name)
            .join(TargetUnit, TargetUnit.unit_id == Unit.id)
            .where(TargetUnit.target_id.in_(batch), TargetUnit.role == "lead")
            .order_by(TargetUnit.target_id, TargetUnit.seq)
        )
        for target_id, name in session.execute(q):
            names.setdefault(target_id, []).append(name)
    return names
