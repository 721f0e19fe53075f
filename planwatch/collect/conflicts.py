"""Two units reporting the same figure differently: listed for a person to settle.

Nothing here picks a winner. The import already warns (``conflicting-report``) when a
figure disagrees with another unit's; this module lists every standing disagreement for
an area and year from the latest revisions, so the statistics bureau can resolve it with
the units and the record shows it was seen.

Figures of a shared series (:mod:`planwatch.store.series`) are compared under the series'
code, including any stored under a linked code before the link was made.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from planwatch.collect import breakdowns as bd
from planwatch.collect.history import latest_submissions_query
from planwatch.store.models import Indicator, Observation, Unit


@dataclass
class Conflict:
    area_code: str
    year: int
    indicator: str
    name: str
    breakdown: str
    reports: list[tuple[str, float, int]] = field(default_factory=list)
    """(unit name, value, submission id) for every unit that reported the figure."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "area_code": self.area_code, "year": self.year, "indicator": self.indicator,
            "name": self.name, "breakdown": self.breakdown,
            "breakdown_label": bd.label(self.breakdown),
            "reports": [{"unit": u, "value": v, "submission_id": s} for u, v, s in self.reports],
        }


def find_conflicts(
    session: Session, *, area_code: str | None = None, year: int | None = None
) -> list[Conflict]:
    sub = latest_submissions_query(area_code=area_code, year=year).subquery()
    member = aliased(Indicator, name="member")
    q = (
        select(Observation, Indicator.code, Indicator.name, Unit.name, sub.c.id)
        .join(sub, Observation.submission_id == sub.c.id)
        .join(member, member.id == Observation.indicator_id)
        .join(Indicator, Indicator.id == func.coalesce(member.series_id, member.id))
        .join(Unit, Unit.id == sub.c.unit_id)
        .where(sub.c.state != "returned")
        .order_by(Observation.area_code, Observation.year, Indicator.code, Unit.id)
    )
    groups: dict[tuple[str, int, str, str], Conflict] = {}
    seen: dict[tuple[str, int, str, str], list[float]] = defaultdict(list)
    for obs, code, name, unit_name, sub_id in session.execute(q):
        k = (obs.area_code, obs.year, code, obs.breakdown)
        c = groups.setdefault(k, Conflict(obs.area_code, obs.year, code, name, obs.breakdown))
        c.reports.append((unit_name, obs.value, sub_id))
        seen[k].append(obs.value)
    return [
        c for k, c in groups.items()
        if len(c.reports) > 1
        and any(not math.isclose(v, seen[k][0], rel_tol=1e-9, abs_tol=1e-9) for v in seen[k])
    ]
