"""Validating a read self-evaluation workbook against the catalogue, as data.

Every rule yields :class:`~planwatch.collect.problems.Problem` objects with their place;
nothing here writes. The rules: the cycle is a cycle, the unit exists in the workbook's
area, each row's target still exists, is qualitative, is led by this unit and belongs to a
plan covering the cycle; each rating is one of 完成 / 基本完成 / 未完成 and comes with
evidence. Evidence is required for every rating, 完成 included: a claim of completion is
what the office most needs to be able to check, and the evaluation reports print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.problems import Problem, Report, problem
from planwatch.collect.selfeval import layout as L
from planwatch.collect.selfeval.cycles import CycleError, check_cycle, cycle_in_plan
from planwatch.collect.selfeval.reader import EvaluationInput, ParsedEvaluation
from planwatch.collect.selfeval.targets import lead_unit_names
from planwatch.store.models import Area, Domain, Plan, Target, Unit
from planwatch.vocabulary import RATINGS


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
    for row in parsed.rows:
        report.extend(_check_row(session, checked, row, unit))
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
    session: Session, checked: CheckedEvaluation, row: EvaluationInput, unit: Unit
) -> list[Problem]:
    f, sheet, n = checked.parsed.file, L.DATA_SHEET, row.row
    label = f"{row.domain} 主要目标({row.number})"
    at_target: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("number")}
    found = session.execute(
        select(Target, Domain, Plan)
        .join(Domain, Domain.id == Target.domain_id)
        .join(Plan, Plan.id == Domain.plan_id)
        .where(Target.id == row.target_id)
    ).first()
    if found is None:
        return [problem("unknown-target", **at_target, target=label)]
    target, domain, plan = found
    if (domain.name, target.number) != (row.domain, row.number):
        # The id now names another target (the catalogue was reloaded): same as unknown.
        return [problem("unknown-target", **at_target, target=label)]
    if target.monitoring != "qualitative":
        return [problem("target-not-qualitative", **at_target, target=label)]
    leads = lead_unit_names(session, target.id)
    if plan.area_code != unit.area_code or unit.name not in leads:
        return [problem("target-not-led", **at_target, target=label, unit=unit.name,
                        leads="、".join(leads) or "无")]
    assert checked.cycle is not None
    if not cycle_in_plan(checked.cycle, plan.period_start, plan.period_end):
        return [problem("invalid-cycle", **at_target, cycle=checked.cycle,
                        detail=f"（不在《{plan.title}》{plan.period_start}—{plan.period_end}年内）")]
    at_rating: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("rating")}
    at_evidence: dict[str, Any] = {"file": f, "sheet": sheet, "row": n, "column": L.col("evidence")}
    if row.rating is None:
        if row.evidence is None:
            return [problem("not-evaluated", **at_rating, target=label)]
        return [problem("missing-rating", **at_rating, target=label)]
    if row.rating not in RATINGS:
        return [problem("invalid-rating", **at_rating, text=row.rating)]
    if row.evidence is None:
        return [problem("missing-evidence", **at_evidence, target=label, rating=row.rating)]
    checked.ratings.append(Rating(target.id, label, row.rating, row.evidence))
    return []
