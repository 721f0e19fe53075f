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

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, or_, select
from sqlalchemy.orm import Session

from planwatch import vocabulary as vocab
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


_VALUES_OF_AREA = (
    select(db.Indicator.id, db.Indicator.name, db.TargetValue.target_id, db.Target.monitoring)
    .join(db.TargetValue, db.TargetValue.indicator_id == db.Indicator.id)
    .outerjoin(db.Target, db.Target.id == db.TargetValue.target_id)
    .where(db.TargetValue.area_code == bindparam("area_code"))
)


def uncollected_indicator_ids(session: Session, area_code: str) -> set[int]:
    """Indicators an area's units are not asked for although they may be assigned: every
    target value in the area is 定性评价 or 不纳入监测, or the indicator is a derived gap
    (computed from breakdowns). An indicator with no target value in the area (a reporter
    added by hand) is still collected."""
    monitored: dict[int, bool] = {}
    gaps: set[int] = set()
    for ind_id, name, target_id, mode in session.execute(_VALUES_OF_AREA, {"area_code": area_code}):
        if gap_base(name) is not None:
            gaps.add(ind_id)
        here = target_id is None or mode == MONITORED_BY_FIGURES
        monitored[ind_id] = monitored.get(ind_id, False) or here
    return gaps | {i for i, yes in monitored.items() if not yes}


# The mode as people write it (catalogue YAML, the bureau's 监测指标体系) and what a target allows.

MONITORING_BY_LABEL = {label: mode for mode, label in vocab.MONITORING_LABELS.items()}


_IN_PLAN_ORDER = (db.Plan.area_code, db.Plan.id, db.Domain.seq, db.Target.number)


_MONITORING_ROWS = (
    select(db.Plan.area_code, db.Plan.title, db.Domain.seq, db.Target.number, db.Target.id,
           db.Target.text, db.Target.kind, db.Target.monitoring)
    .join(db.Domain, db.Domain.id == db.Target.domain_id)
    .join(db.Plan, db.Plan.id == db.Domain.plan_id)
    .order_by(*_IN_PLAN_ORDER)
)
_TARGET_UNIT_NAMES = (
    select(db.TargetUnit.target_id, db.TargetUnit.role, db.Unit.name)
    .join(db.Unit, db.Unit.id == db.TargetUnit.unit_id)
    .order_by(db.TargetUnit.target_id, db.TargetUnit.seq, db.TargetUnit.unit_id)
)


def monitoring_targets(session: Session) -> list[tuple[str, str, str, Row[*tuple[Any, ...]]]]:
    """(area, plan title, ref ``D1/T2``, target as plain columns) for every 主要目标, in plan order."""
    return [
        (row.area_code, row.title, f"D{row.seq}/T{row.number}", row) for row in session.execute(_MONITORING_ROWS)
    ]


def target_unit_names(session: Session) -> dict[tuple[int, str], list[str]]:
    """(target id, role) → the names of its units in that role, in the plan's order."""
    units: dict[tuple[int, str], list[str]] = defaultdict(list)
    for target_id, role, name in session.execute(_TARGET_UNIT_NAMES):
        units[(target_id, role)].append(name)
    return units


def monitoring_data(session: Session) -> list[dict[str, Any]]:
    """Each target with how it is monitored (``monitoring``) and its wording and units, all editable.

    Read as plain columns: the export only prints them, and loading every target with its
    units as objects was most of its cost.
    """
    units = target_unit_names(session)
    return [
        {
            "area": area,
            "plan": plan,
            "ref": f"D{seq}/T{number}",
            "text": text,
            "kind": kind,
            "monitoring": vocab.MONITORING_LABELS[monitoring],
            "lead_units": units.get((target_id, "lead"), []),
            "responsible_units": units.get((target_id, "responsible"), []),
        }
        for area, plan, seq, number, target_id, text, kind, monitoring in session.execute(_MONITORING_ROWS)
    ]


def parse_monitoring(value: Any) -> str | None:
    """``quantitative``/``qualitative``/``excluded`` for a label (量化监测 …) or a code; None if neither."""
    text = str(value).strip() if isinstance(value, str) else ""
    if text in vocab.MONITORING_MODES:
        return text
    return MONITORING_BY_LABEL.get(text)


def monitoring_problem(target: db.Target, mode: str) -> str | None:
    """Why ``target`` cannot be monitored as ``mode``, or None: 量化监测 needs figures to judge."""
    if mode == "quantitative" and target.kind == "qualitative":
        return "该目标没有数量或方向性指标，不能量化监测（可选 定性评价 或 不纳入监测）"
    return None
