"""How far to trust what the reader made of a plan: a short quality summary per plan.

A plan in a house style the reader knows well reads completely; one in an unknown style, or
a damaged repost, reads partly. The summary tells a user what to check by hand: per domain
the targets found against their numbering (a gap means a target was missed or misnumbered),
targets with no lead or responsible unit, and numbers with a unit in a target's text that
did not become a quantitative target ("quantities not understood").
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from planwatch.plan.model import Catalogue, Plan, Target
from planwatch.plan.sections import numbering_gaps

# A number followed by a unit, as a plan prints a target value.
_QUANTITY = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|‰|/\s*10\s*万|/\s*万|/\s*千|个百分点|百分点|岁|小时|张|名|所|个|人|家|项|亿元|万元)"
)
# Numbers that are not values: ages and age ranges (5岁以下儿童, 0-6岁), base years.
_NOT_A_VALUE = re.compile(r"^\d+\s*岁(?:以下|以上)?(?:儿童|婴儿|人口|老年|妇女|女性|的)|^\d+\s*岁[-—~至]")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DomainQuality(_Model):
    name: str
    targets: int
    last_number: int = Field(description="the highest target number printed")
    gaps: list[int] = Field(default_factory=list, description="numbers expected but not found")


class PlanQuality(_Model):
    """What to check by hand in one plan."""

    title: str
    subject: str
    targets: int
    domains: list[DomainQuality]
    targets_without_units: list[str] = Field(default_factory=list, description="领域（编号）")
    quantities_not_understood: list[str] = Field(
        default_factory=list, description="领域（编号）：printed value the reader did not read"
    )
    notes: list[str] = Field(default_factory=list, description="one sentence per issue, in Chinese")


def _unread_quantities(target: Target) -> list[str]:
    covered = [i.raw for i in target.indicators]
    out = []
    for m in _QUANTITY.finditer(target.text):
        tail = target.text[m.start() : m.end() + 6]
        if _NOT_A_VALUE.match(tail):
            continue
        if any(m.group(0) in raw for raw in covered):
            continue
        out.append(m.group(0).replace(" ", ""))
    return out


def plan_quality(plan: Plan) -> PlanQuality:
    domains = []
    without_units: list[str] = []
    unread: list[str] = []
    for domain in plan.domains:
        numbers = [t.number for t in domain.targets]
        gaps = [expected for _, expected in numbering_gaps(numbers)]
        domains.append(
            DomainQuality(name=domain.name, targets=len(numbers), last_number=max(numbers, default=0), gaps=gaps)
        )
        for target in domain.targets:
            place = f"{domain.name}（{target.number}）"
            if not target.lead_units and not target.responsible_units:
                without_units.append(place)
            values = _unread_quantities(target)
            if values:
                unread.append(f"{place}：{'、'.join(values)}")
    targets = sum(d.targets for d in domains)
    notes = []
    if plan.subject != "other" and targets == 0:
        notes.append("没有读到任何主要目标：请确认文件是发展规划，并核对其版式")
    for d in domains:
        if d.gaps:
            notes.append(f"“{d.name}”的编号不连续（缺 {', '.join(map(str, d.gaps))}），可能漏读或错读了目标")
        if d.targets == 0:
            notes.append(f"“{d.name}”没有读到主要目标")
    if without_units and plan.subject != "other":
        share = "全部" if len(without_units) == targets else f"{len(without_units)} 条"
        notes.append(f"{share}主要目标未注明牵头/责任单位：请按任务分工表补充")
    if unread:
        notes.append(f"{len(unread)} 条目标中有数值未读成量化目标：请逐条核对")
    return PlanQuality(
        title=plan.title,
        subject=plan.subject,
        targets=targets,
        domains=domains,
        targets_without_units=without_units,
        quantities_not_understood=unread,
        notes=notes,
    )


def catalogue_quality(catalogue: Catalogue) -> list[PlanQuality]:
    return [plan_quality(plan) for plan in catalogue.plans]


class ParseOutput(Catalogue):
    """What `planwatch parse --format json` writes: the catalogue and, per plan in the same
    order, its quality summary. Kept beside the catalogue model so that loading a catalogue
    (the store reads plain `Catalogue`) is unchanged."""

    quality: list[PlanQuality] = Field(default_factory=list, description="one per plan, same order")

    @classmethod
    def of(cls, catalogue: Catalogue) -> ParseOutput:
        return cls(plans=catalogue.plans, warnings=catalogue.warnings, quality=catalogue_quality(catalogue))
