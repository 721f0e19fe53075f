"""Which target values are monitored by figures: one rule for the assessment and the templates.

A target's ``monitoring`` (量化监测 / 定性评价 / 不纳入监测) is chosen by the users. Figures are
collected and judged only for 量化监测 targets; 定性评价 targets are rated by their lead
units (:mod:`planwatch.collect.selfeval`); 不纳入监测 targets are neither. A number stated in
a 策略措施 has no target of its own and is always monitored by figures.

Derived urban–rural gap indicators (孕产妇死亡率城乡差距, see
:mod:`planwatch.plan.fragments`) are computed from their base indicator's 城镇/农村
breakdowns, never asked of a unit.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from planwatch.plan.fragments import gap_base
from planwatch.store import models as db

MONITORED_BY_FIGURES = "quantitative"


def is_monitored(tv: db.TargetValue) -> bool:
    """True when the value's target is 量化监测 (or the value comes from a 策略措施)."""
    return tv.target is None or tv.target.monitoring == MONITORED_BY_FIGURES


def monitored_values_clause() -> ColumnElement[bool]:
    """A WHERE clause on TargetValue that keeps the values :func:`is_monitored` keeps."""
    monitored_targets = select(db.Target.id).where(db.Target.monitoring == MONITORED_BY_FIGURES)
    return or_(db.TargetValue.target_id.is_(None), db.TargetValue.target_id.in_(monitored_targets))


def uncollected_indicator_ids(session: Session, area_code: str) -> set[int]:
    """Indicators an area's units are not asked for although they may be assigned: every
    target value in the area is 定性评价 or 不纳入监测, or the indicator is a derived gap
    (computed from breakdowns). An indicator with no target value in the area (a reporter
    added by hand) is still collected."""
    q = (
        select(db.Indicator.id, db.Indicator.name, db.TargetValue.target_id, db.Target.monitoring)
        .join(db.TargetValue, db.TargetValue.indicator_id == db.Indicator.id)
        .outerjoin(db.Target, db.Target.id == db.TargetValue.target_id)
        .where(db.TargetValue.area_code == area_code)
    )
    monitored: dict[int, bool] = {}
    gaps: set[int] = set()
    for ind_id, name, target_id, mode in session.execute(q):
        if gap_base(name) is not None:
            gaps.add(ind_id)
        here = target_id is None or mode == MONITORED_BY_FIGURES
        monitored[ind_id] = monitored.get(ind_id, False) or here
    return gaps | {i for i, yes in monitored.items() if not yes}
