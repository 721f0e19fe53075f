"""The rules a self-evaluation row must pass, as pure functions of plain facts.

:mod:`planwatch.collect.selfeval.checks` reads from the database what the catalogue says
about the target a row names (:class:`TargetFacts`) and calls these rules; keeping them
apart means every rule can be tested with a handful of values and no database, and a web
form can apply the very same rules to what a person types.

The rules, in order: the target still exists and is the one the workbook was written for,
is 定性评价, is led by this unit in its area and belongs to a plan covering the cycle; the
rating is one of 完成 / 基本完成 / 未完成 and comes with evidence. Evidence is required for
every rating, 完成 included: a claim of completion is what the office most needs to be
able to check, and the evaluation reports print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planwatch.collect.problems import Problem, problem
from planwatch.collect.selfeval.cycles import cycle_in_plan
from planwatch.vocabulary import RATINGS


@dataclass(frozen=True)
class TargetFacts:
    """What the catalogue says about the target a workbook row names."""

    domain: str
    number: int
    monitoring: str
    leads: list[str]
    """Names of the target's lead units, in the plan's order."""
    plan_area: str
    plan_title: str
    period_start: int
    period_end: int


def target_problems(
    facts: TargetFacts | None,
    *,
    domain: str,
    number: int,
    unit_name: str,
    unit_area: str,
    cycle: str,
    label: str,
    place: dict[str, Any],
) -> list[Problem]:
    """Whether this unit may rate this target in this cycle; ``place`` is the row's target cell."""
    if facts is None or (facts.domain, facts.number) != (domain, number):
        # Gone, or the id now names another target (the catalogue was reloaded): unknown.
        return [problem("unknown-target", **place, target=label)]
    if facts.monitoring != "qualitative":
        return [problem("target-not-qualitative", **place, target=label)]
    if facts.plan_area != unit_area or unit_name not in facts.leads:
        return [problem("target-not-led", **place, target=label, unit=unit_name,
                        leads="、".join(facts.leads) or "无")]
    if not cycle_in_plan(cycle, facts.period_start, facts.period_end):
        return [problem("invalid-cycle", **place, cycle=cycle,
                        detail=f"（不在《{facts.plan_title}》{facts.period_start}—{facts.period_end}年内）")]
    return []


def rating_problems(
    rating: str | None, evidence: str | None, *, label: str, at_rating: dict[str, Any], at_evidence: dict[str, Any]
) -> list[Problem]:
    """Whether the row says one of the three ratings, with the evidence behind it."""
    if rating is None:
        if evidence is None:
            return [problem("not-evaluated", **at_rating, target=label)]
        return [problem("missing-rating", **at_rating, target=label)]
    if rating not in RATINGS:
        return [problem("invalid-rating", **at_rating, text=rating)]
    if evidence is None:
        return [problem("missing-evidence", **at_evidence, target=label, rating=rating)]
    return []
