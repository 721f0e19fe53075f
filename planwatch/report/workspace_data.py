"""From a workspace to ``ReportData``: the assessment's run plus the catalogue extras.

The verdicts come from :func:`planwatch.assess.run.run_assessment`, the same run as the
``assess`` command's; its inputs are read by ``planwatch.assess.inputs.load_inputs`` — the
one place that decides which figures count (approved only; two units reporting the same
figure differently is a conflict, left out of the assessment and listed, never resolved by
preferring one unit). This module reads only what the reports need beyond that: the lead
and responsible units of each target (keyed by the assessment's ``target_id``), who reports
which indicator, plan metadata.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.assess.inputs import target_key
from planwatch.assess.run import run_assessment
from planwatch.collect import breakdowns as bd
from planwatch.report.data import (
    DOCUMENTS_COLUMNS,
    PENDING_COLUMNS,
    PLANS_COLUMNS,
    QUALITATIVE_UNITS_COLUMNS,
    REPORTERS_COLUMNS,
    TARGET_UNITS_COLUMNS,
    ReportData,
    ReportDataError,
)
from planwatch.report.sample import sample_label
from planwatch.store import models as m
from planwatch.store.reporters import reporters_in
from planwatch.store.workspace import Workspace


def _target_units(session: Session, target_ids: set[str]) -> pl.DataFrame:
    """Lead and responsible units of every target value the assessment judged.

    Units belong to a 主要目标; every target value (number) of that 主要目标 carries them,
    under the assessment's key of the target value.
    """
    q = (
        select(m.TargetValue.id, m.Unit.name, m.TargetUnit.role, m.TargetUnit.seq)
        .join(m.TargetUnit, m.TargetUnit.target_id == m.TargetValue.target_id)
        .join(m.Unit, m.Unit.id == m.TargetUnit.unit_id)
        .order_by(m.TargetValue.id, m.TargetUnit.role, m.TargetUnit.seq)
    )
    rows: list[tuple[Any, ...]] = []
    for tv_id, name, role, seq in session.execute(q):
        key = target_key(tv_id)
        if key in target_ids:
            rows.append((key, name, role, seq))
    return pl.DataFrame(rows, schema=TARGET_UNITS_COLUMNS, orient="row")


def _reporters(session: Session, year: int) -> pl.DataFrame:
    """Who reports each indicator in ``year``: after a reorganisation, a past year's report
    (its 催报清单, its 任务分工表) names the unit responsible then, not its successor."""
    held = reporters_in(year)
    q = select(m.Indicator.code, held.c.area_code, m.Unit.name).join(
        held, held.c.indicator_id == m.Indicator.id
    ).join(m.Unit, m.Unit.id == held.c.unit_id)
    return pl.DataFrame([tuple(r) for r in session.execute(q)], schema=REPORTERS_COLUMNS,
                        orient="row")


def _plans(session: Session) -> pl.DataFrame:
    q = select(m.Plan.title, m.Plan.area_code, m.Plan.subject, m.Plan.issuer, m.Plan.doc_number,
               m.Plan.period_start, m.Plan.period_end).order_by(m.Plan.id)
    return pl.DataFrame([tuple(r) for r in session.execute(q)], schema=PLANS_COLUMNS, orient="row")


def _pending(session: Session, year: int) -> pl.DataFrame:
    """Whole-series figures up to ``year`` in submissions handed in or reviewed but not yet
    approved, under the indicator that stores them and every indicator linked to it."""
    q = (
        select(m.Observation.indicator_id, m.Observation.area_code, m.Observation.year)
        .join(m.Submission, m.Submission.id == m.Observation.submission_id)
        .where(m.Submission.state.in_(("submitted", "reviewed")),
               m.Observation.year <= year, m.Observation.breakdown == bd.TOTAL)
        .distinct()
    )
    found: list[tuple[int, str, int]] = [(r[0], r[1], r[2]) for r in session.execute(q)]
    if not found:
        return pl.DataFrame(schema=PENDING_COLUMNS)
    codes: dict[int, list[str]] = {}
    for ind_id, code, series_id in session.execute(
        select(m.Indicator.id, m.Indicator.code, m.Indicator.series_id)
    ):
        codes.setdefault(ind_id, []).append(code)
        if series_id is not None:
            codes.setdefault(series_id, []).append(code)
    rows = [(code, area, y) for ind_id, area, y in found for code in codes.get(ind_id, [])]
    return pl.DataFrame(rows, schema=PENDING_COLUMNS, orient="row").unique(maintain_order=True)


def _qualitative_units(session: Session, areas: list[str] | None) -> pl.DataFrame:
    """Lead and responsible units of every 定性评价 target, in the plans' order: the
    assessment does not carry these targets, yet the 任务分工表 must list a unit that never
    rated its target (未报送), not only the units that did."""
    q = (
        select(m.Plan.area_code, m.Plan.title, m.Domain.name, m.Target.text, m.Unit.name,
               m.TargetUnit.role, m.TargetUnit.seq)
        .join(m.Domain, m.Domain.plan_id == m.Plan.id)
        .join(m.Target, m.Target.domain_id == m.Domain.id)
        .join(m.TargetUnit, m.TargetUnit.target_id == m.Target.id)
        .join(m.Unit, m.Unit.id == m.TargetUnit.unit_id)
        .where(m.Target.monitoring == "qualitative")
        .order_by(m.Plan.id, m.Domain.seq, m.Target.number, m.TargetUnit.role,
                  m.TargetUnit.seq)
    )
    if areas:
        q = q.where(m.Plan.area_code.in_(areas))
    return pl.DataFrame([tuple(r) for r in session.execute(q)],
                        schema=QUALITATIVE_UNITS_COLUMNS, orient="row")


def _documents(session: Session, areas: list[str] | None, year: int) -> pl.DataFrame:
    """Each unit's written yearly reports up to ``year`` (text only), latest first."""
    q = (
        select(m.SubmissionDocument.area_code, m.Unit.name, m.SubmissionDocument.year,
               m.SubmissionDocument.filename, m.SubmissionDocument.text)
        .join(m.Unit, m.Unit.id == m.SubmissionDocument.unit_id)
        .where(m.SubmissionDocument.year <= year)
        .order_by(m.SubmissionDocument.year.desc(), m.SubmissionDocument.id.desc())
    )
    if areas:
        q = q.where(m.SubmissionDocument.area_code.in_(areas))
    return pl.DataFrame([tuple(r) for r in session.execute(q)], schema=DOCUMENTS_COLUMNS,
                        orient="row")


def _breakdown_order(session: Session) -> dict[str, list[str]]:
    """Each indicator's breakdown keys in the order its catalogue entry declares them."""
    q = select(m.Indicator.code, m.Indicator.breakdowns, m.Indicator.subject)
    return {
        code: bd.keys(bd.dimensions(spec, subject))
        for code, spec, subject in session.execute(q)
        if spec
    }


def load_report_data(ws: Workspace, year: int, *, method: str = "default",
                     areas: list[str] | None = None, date: dt.date | None = None) -> ReportData:
    """Everything the reports of ``year`` need, with the assessment already run.

    ``areas`` are codes or names; an unknown one is an error (``ValueError``). ``date`` is
    the day the reports are dated (落款); None dates each the day it is written.
    """
    run = run_assessment(ws, year, areas=areas, method=method)
    inputs, codes = run.inputs, run.areas
    if inputs.targets.is_empty():
        raise ReportDataError("工作区中没有量化或方向性目标 the workspace has no targets to report on")
    with ws.sessions() as session:
        target_ids = set(inputs.targets.get_column("target_id").drop_nulls().to_list())
        target_units = _target_units(session, target_ids)
        reporters = _reporters(session, year)
        plans = _plans(session)
        breakdown_order = _breakdown_order(session)
        pending = _pending(session, year)
        qualitative_units = _qualitative_units(session, codes)
        documents = _documents(session, codes, year)
    return ReportData(
        year=year,
        result=run.result,
        observations=inputs.observations,
        areas=inputs.areas,
        self_evaluations=inputs.self_evaluations,
        target_units=target_units,
        reporters=reporters,
        plans=plans,
        config=run.config,
        late=inputs.late.filter(pl.col("year") <= year),
        conflicts=inputs.conflicts.filter(pl.col("year") <= year),
        breakdown_order=breakdown_order,
        sample_label=sample_label(ws.config),
        pending=pending,
        qualitative_units=qualitative_units,
        documents=documents,
        date=date,
    )
