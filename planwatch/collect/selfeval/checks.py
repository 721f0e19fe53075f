"""Validating a read self-evaluation workbook against the catalogue, as data.

Every check yields :class:`~planwatch.collect.problems.Problem` objects with their place;
nothing here writes. This module reads what the database knows — the cycle is a cycle, the
unit exists in the workbook's area, what the catalogue says about each row's target — and
leaves the row rules themselves to :mod:`planwatch.collect.selfeval.rules`, which need no
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.problems import Problem, Report, problem
from planwatch.collect.selfeval import layout as L
from planwatch.collect.selfeval.cycles import CycleError, check_cycle
from planwatch.collect.selfeval.reader import EvaluationInput, ParsedEvaluation
from planwatch.collect.selfeval.rules import TargetFacts, rating_problems, target_problems
from planwatch.collect.selfeval.targets import id_batches, lead_unit_names_of
from planwatch.store.models import Area, Domain, Plan, Target, Unit


@dataclass(frozen=True)
class Rating:
    """One rating ready to store."""

    target_id: int
    target_label: str
    rating: str
    evidence: str


@dataclass
class CheckedEvaluation:
    parsed: ParsedEvaluation
    report: Report
    area_code: str | None = None
    unit_id: int | None = None
    unit_name: str | None = None
    cycle: str | None = None
    ratings: list[Rating] = field(default_factory=list)


_FATAL = {"unreadable-file", "unsupported-format", "wrong-sheet", "tampered-layout"}


def check_evaluation(session: Session, parsed: ParsedEvaluation) -> CheckedEvaluation:
    report = Report(file=parsed.file)
    report.extend(parsed.problems)
    checked = CheckedEvaluation(parsed, report)
    if any(p.code in _FATAL for p in parsed.problems) or not parsed.readable:
        return _finish(checked)
    header: dict[str, Any] = {"file": parsed.file, "sheet": L.DATA_SHEET, "row": L.INFO_ROW,
                              "column": "A"}
    assert parsed.cycle is not None and parsed.unit_name is not None
    try:
        checked.cycle = check_cycle(parsed.cycle)
    except CycleError:
        report.problems.append(problem("invalid-cycle", **header, cycle=parsed.cycle, detail=""))
        return _finish(checked)
    area = session.get(Area, parsed.area_code) if parsed.area_code else None
    if area is None:
        report.problems.append(problem("unknown-area", **header, area=parsed.area_code))
        return _finish(checked)
    unit = _unit(session, area.code, parsed.unit_id, parsed.unit_name)
    if unit is None:
        report.problems.append(problem("unknown-unit", **header, area=area.full_name,
                                       unit=parsed.unit_name))
        return _finish(checked)
    checked.area_code, checked.unit_id, checked.unit_name = area.code, unit.id, unit.name
    facts = _targets_facts(session, [row.target_id for row in parsed.rows])
    for row in parsed.rows:
        report.extend(_check_row(checked, row, unit, facts.get(row.target_id)))
    return _finish(checked)


def _finish(checked: CheckedEvaluation) -> CheckedEvaluation:
    report = checked.report
    if report.valid and not checked.ratings:
        report.problems.append(problem("empty-file", file=checked.parsed.file))
    report.stats.update({
        "format": "xlsx",
        "rows": len(checked.parsed.rows),
        "ratings": len(checked.ratings),
        "unit": checked.unit_name or checked.parsed.unit_name,
        "area_code": checked.area_code or checked.parsed.area_code,
        "cycle": checked.cycle or checked.parsed.cycle,
    })
    return checked


def _unit(session: Session, area_code: str, unit_id: int | None, name: str) -> Unit | None:
    """The unit by id while it still has the workbook's name, else by name in the area."""
    if unit_id is not None:
        found = session.get(Unit, unit_id)
        if found is not None and found.area_code == area_code and found.name == name:
            return found
    return session.scalars(
        select(Unit).where(Unit.area_code == area_code, Unit.name == name)
    ).first()


def _check_row(
    checked: CheckedEvaluation, row: EvaluationInput, unit: Unit, facts: TargetFacts | None
) -> list[Problem]:
    f, sheet, n = checked.parsed.file, L.DATA_SHEET, row.row
    label = f"{row.domain} 主要目标({row.number})"
    at_target: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("number")}
    assert checked.cycle is not None
    found = target_problems(facts, domain=row.domain, number=row.number, unit_name=unit.name,
                            unit_area=unit.area_code, cycle=checked.cycle, label=label, place=at_target)
    if found:
        return found
    at_rating: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("rating")}
    at_evidence: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("evidence")}
    found = rating_problems(row.rating, row.evidence, label=label, at_rating=at_rating, at_evidence=at_evidence)
    if found:
        return found
    assert facts is not None and row.rating is not None and row.evidence is not None
    checked.ratings.append(Rating(row.target_id, label, row.rating, row.evidence))
    return []


def _targets_facts(session: Session, target_ids: list[int]) -> dict[int, TargetFacts]:
    """What the catalogue says about each of the workbook's targets; one that no longer
    exists is absent. Read for the whole workbook at once (two queries, not two per row)."""
    leads = lead_unit_names_of(session, target_ids)
    facts: dict[int, TargetFacts] = {}
    for batch in id_batches(target_ids):
        found = session.execute(
            select(Target.id, Domain.name, Target.number, Target.monitoring, Plan.area_code,
                   Plan.title, Plan.period_start, Plan.period_end)
            .join(Domain, Domain.id == Target.domain_id)
            .join(Plan, Plan.id == Domain.plan_id)
            .where(Target.id.in_(batch))
        )
        for target_id, domain, number, monitoring, area_code, title, start, end in found:
            facts[target_id] = TargetFacts(
                domain=domain, number=number, monitoring=monitoring,
                leads=leads.get(target_id, []), plan_area=area_code, plan_title=title,
                period_start=start, period_end=end)
    return facts
