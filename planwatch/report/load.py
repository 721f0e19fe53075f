"""From a workspace to ``ReportData``: the catalogue, the approved figures, the assessment.

Reports need more of the catalogue than the assessment does (responsible units, who
reports which indicator, plan metadata, self-evaluations), so this module reads those
alongside the two assessment inputs and then runs ``planwatch.assess.assess`` on them.
The figures are the latest approved revision of each unit's submission (the rule of
``planwatch.collect.history``); when two units report the same figure the lower unit id
wins, as there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.assess import assess
from planwatch.assess.config import AssessConfig
from planwatch.collect.history import APPROVED, latest_submissions_query
from planwatch.report.data import (
    PLANS_COLUMNS,
    REPORTERS_COLUMNS,
    SELF_EVALUATIONS_COLUMNS,
    TARGET_UNITS_COLUMNS,
    ReportData,
)
from planwatch.store import models as m
from planwatch.store.workspace import Workspace

OBSERVATION_SCHEMA: dict[str, pl.DataType] = {
    "indicator_code": pl.String(), "area_code": pl.String(), "breakdown": pl.String(),
    "year": pl.Int32(), "value": pl.Float64(), "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}


def _observations(session: Session, area_codes: list[str] | None) -> pl.DataFrame:
    sub = latest_submissions_query(states=APPROVED).subquery()
    q = (
        select(m.Indicator.code, m.Observation.area_code, m.Observation.breakdown,
               m.Observation.year, m.Observation.value, m.Observation.numerator,
               m.Observation.denominator)
        .join(sub, m.Observation.submission_id == sub.c.id)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .order_by(sub.c.unit_id)
    )
    if area_codes:
        q = q.where(m.Observation.area_code.in_(area_codes))
    seen: set[tuple[str, str, str, int]] = set()
    rows: list[tuple[Any, ...]] = []
    for row in session.execute(q):
        key = (row[0], row[1], row[2], row[3])
        if key in seen:  # another unit's copy of the same figure: the lower unit id won
            continue
        seen.add(key)
        rows.append(tuple(row))
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")


def _unit_roles(session: Session) -> dict[int, list[tuple[str, str, int]]]:
    q = select(m.TargetUnit.target_id, m.Unit.name, m.TargetUnit.role, m.TargetUnit.seq).join(
        m.Unit, m.Unit.id == m.TargetUnit.unit_id
    )
    roles: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for target_id, name, role, seq in session.execute(q):
        roles[target_id].append((name, role, seq))
    return roles


def _targets(session: Session, area_codes: list[str] | None
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    roles = _unit_roles(session)
    tvs = select(m.TargetValue).order_by(m.TargetValue.plan_id, m.TargetValue.id)
    if area_codes:
        tvs = tvs.where(m.TargetValue.area_code.in_(area_codes))
    targets: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    for tv in session.scalars(tvs):
        owner = tv.target or tv.measure
        domain = owner.domain if owner is not None else None
        ordered = sorted(roles.get(tv.target_id or -1, []), key=lambda r: (r[1], r[2]))
        leads = [name for name, role, _ in ordered if role == "lead"]
        key = f"tv{tv.id}"
        for name, role, seq in ordered:
            units.append({"target_id": key, "unit": name, "role": role, "seq": seq})
        ind = tv.indicator
        targets.append({
            "target_id": key,
            "indicator_code": ind.code,
            "area_code": tv.area_code,
            "kind": "quantitative" if tv.comparator is not None else "directional",
            "comparator": tv.comparator,
            "target_value": tv.value,
            "target_year": tv.target_year,
            "baseline_year": tv.baseline_year,
            "direction": tv.direction,
            "unit": tv.unit if tv.unit is not None else ind.unit,
            "better": ind.better,
            "lower_limit": ind.lower_limit,
            "upper_limit": ind.upper_limit,
            "lead_unit": "、".join(leads),
            "plan": tv.plan.title,
            "domain": domain.name if domain is not None else "",
            "indicator_name": ind.name,
        })
    return targets, units


def _cycle_year(cycle: str, plan: m.Plan) -> int:
    """Self-evaluation cycles are a year, ``midterm`` or ``final``."""
    if re.fullmatch(r"\d{4}", cycle):
        return int(cycle)
    if cycle == "midterm":
        return plan.period_start + (plan.period_end - plan.period_start) // 2
    return plan.period_end


def _self_evaluations(session: Session, area_codes: list[str] | None) -> pl.DataFrame:
    q = select(m.SelfEvaluation, m.Unit.name).join(m.Unit, m.Unit.id == m.SelfEvaluation.unit_id)
    if area_codes:
        q = q.where(m.SelfEvaluation.area_code.in_(area_codes))
    rows = []
    for se, unit in session.execute(q):
        target = se.target
        plan = target.domain.plan
        rows.append({
            "area_code": se.area_code, "target_text": target.text, "lead_unit": unit,
            "plan": plan.title, "domain": target.domain.name,
            "year": _cycle_year(se.cycle, plan), "rating": se.rating,
            "evidence": se.evidence or "",
        })
    return pl.DataFrame(rows, schema=SELF_EVALUATIONS_COLUMNS)


def _reporters(session: Session) -> pl.DataFrame:
    q = select(m.Indicator.code, m.IndicatorReporter.area_code, m.Unit.name).join(
        m.IndicatorReporter, m.IndicatorReporter.indicator_id == m.Indicator.id
    ).join(m.Unit, m.Unit.id == m.IndicatorReporter.unit_id)
    return pl.DataFrame([tuple(r) for r in session.execute(q)], schema=REPORTERS_COLUMNS,
                        orient="row")


def _plans(session: Session) -> pl.DataFrame:
    rows = [
        (p.title, p.area_code, p.subject, p.issuer, p.doc_number, p.period_start, p.period_end)
        for p in session.scalars(select(m.Plan))
    ]
    return pl.DataFrame(rows, schema=PLANS_COLUMNS, orient="row")


def load_report_data(ws: Workspace, year: int, *, method: str = "default",
                     areas: list[str] | None = None) -> ReportData:
    """Everything the reports of ``year`` need, with the assessment already run."""
    config = AssessConfig.from_dict(ws.config.assessment)
    with ws.sessions() as session:
        names = {a.code: a.name for a in session.scalars(select(m.Area))}
        codes = None
        if areas:
            codes = [code for code, name in names.items() if code in areas or name in areas]
        observations = _observations(session, codes)
        targets, units = _targets(session, codes)
        self_evaluations = _self_evaluations(session, codes)
        reporters = _reporters(session)
        plans = _plans(session)
    if not targets:
        raise ValueError("工作区中没有量化或方向性目标 the workspace has no targets to report on")
    result = assess(observations, targets, year, method=method, config=config)
    return ReportData(
        year=year,
        result=result,
        observations=observations,
        areas=names,
        self_evaluations=self_evaluations,
        target_units=pl.DataFrame(units, schema=TARGET_UNITS_COLUMNS),
        reporters=reporters,
        plans=plans,
        config=config,
    )
