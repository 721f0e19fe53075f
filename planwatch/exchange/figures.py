"""The figures a workspace gives away: one row per stored observation, with who and which revision.

A unit may also have said *why* it gives no figure (a row with only a 备注: the importer's
``value-not-reported`` warning). That statement is part of its return — without it the
return is incomplete (``missing-required``) — so it leaves the workspace too, as a row
without a value and with the note, read back from the warning stored with the submission.

Every exporter (SDMX-CSV, CSV, Excel) and the city pull read the same rows, so a figure
leaves a workspace one way whatever the format. By default only the *approved* figures
leave — the latest approved revision of each unit, area and year, exactly what the
assessment and the reports use (:func:`planwatch.collect.history.latest_submissions_query`);
``approved_only=False`` gives the latest revision in any state instead, for a statistician
who wants the figures still under review (each row then says its state).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.history import APPROVED, latest_submissions_query
from planwatch.collect.problems import PROBLEM_TYPES
from planwatch.collect.units import resolve_area
from planwatch.store import models as m
from planwatch.store.workspace import Workspace

NOTE_FLAG = "note:"
"""How a row's 备注 is kept among an observation's flags (collect.importer.observation_rows)."""


@dataclass(frozen=True)
class Figure:
    """One stored observation as it leaves the workspace."""

    indicator_code: str
    indicator_name: str
    subject: str
    measure_unit: str | None
    area_code: str
    area_name: str
    year: int
    breakdown: str
    value: float | None
    """None only for a figure the unit explained it could not give (``note`` says why)."""
    numerator: float | None
    denominator: float | None
    note: str | None
    reporting_unit: str
    submission_id: int
    revision: int
    state: str
    approved_at: dt.datetime | None
    submitted_at: dt.datetime | None


def read_figures(
    session: Session,
    *,
    years: Sequence[int] | None = None,
    areas: Sequence[str] | None = None,
    approved_only: bool = True,
) -> list[Figure]:
    """The figures of the workspace, in (area, indicator, year, breakdown, unit) order.

    ``areas`` are codes or names (an unknown one is an error naming the known ones).
    """
    codes = [_area_code(session, a) for a in areas] if areas else None
    latest = latest_submissions_query(states=APPROVED if approved_only else None).subquery()
    # Plain columns, not Observation, Indicator and Area objects: a row is only copied into
    # a Figure, and building (and identity-mapping) three objects per figure cost most of it.
    obs = m.Observation
    q = (
        select(obs.flags, obs.area_code, obs.year, obs.breakdown, obs.value, obs.numerator, obs.denominator,
               m.Indicator.code, m.Indicator.name, m.Indicator.subject, m.Indicator.unit, m.Area.full_name,
               m.Unit.name, latest.c.id, latest.c.revision, latest.c.state, latest.c.approved_at,
               latest.c.submitted_at)
        .join(latest, m.Observation.submission_id == latest.c.id)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .join(m.Area, m.Area.code == m.Observation.area_code)
        .join(m.Unit, m.Unit.id == latest.c.unit_id)
    )
    if years:
        q = q.where(m.Observation.year.in_(list(years)))
    if codes:
        q = q.where(m.Observation.area_code.in_(codes))
    out = []
    for (flags, area_code, year, breakdown, value, numerator, denominator, code, name, subject, measure_unit,
         area_name, unit_name, sub_id, revision, state, approved_at, submitted_at) in session.execute(q):
        note = next((f[len(NOTE_FLAG):] for f in flags or [] if str(f).startswith(NOTE_FLAG)), None)
        out.append(Figure(
            indicator_code=code, indicator_name=name, subject=subject, measure_unit=measure_unit,
            area_code=area_code, area_name=area_name, year=year, breakdown=breakdown,
            value=value, numerator=numerator, denominator=denominator, note=note,
            reporting_unit=unit_name, submission_id=sub_id, revision=revision, state=state,
            approved_at=approved_at, submitted_at=submitted_at,
        ))
    out.extend(_unreported(session, latest, years, codes))
    out.sort(key=lambda f: (f.area_code, f.indicator_code, f.year, f.breakdown != "total", f.breakdown,
                            f.reporting_unit))
    return out


_UNREPORTED = re.compile(
    re.escape(PROBLEM_TYPES["value-not-reported"].template)
    .replace(re.escape("{indicator}"), "(?P<indicator>[^”]+)")
    .replace(re.escape("{name}"), ".*?")
    .replace(re.escape("{note}"), "(?P<note>.*)"),
    re.S,
)
"""The stored ``value-not-reported`` message, read back into its indicator and note. The
message is made from this very template (collect.problems), so the pattern follows it."""


def _unreported(session: Session, latest: Any, years: Sequence[int] | None, codes: list[str] | None) -> list[Figure]:
    q = (
        select(m.StoredProblem.message, m.Area.code, m.Area.full_name, m.Unit.name, latest.c.id, latest.c.year,
               latest.c.revision, latest.c.state, latest.c.approved_at, latest.c.submitted_at)
        .join(latest, m.StoredProblem.submission_id == latest.c.id)
        .join(m.Area, m.Area.code == latest.c.area_code)
        .join(m.Unit, m.Unit.id == latest.c.unit_id)
        .where(m.StoredProblem.code == "value-not-reported")
    )
    if years:
        q = q.where(latest.c.year.in_(list(years)))
    if codes:
        q = q.where(latest.c.area_code.in_(codes))
    indicators = {row.code: row for row in session.execute(
        select(m.Indicator.code, m.Indicator.name, m.Indicator.subject, m.Indicator.unit))}
    out = []
    for (message, area_code, area_name, unit_name, sub_id, year, revision, state, approved_at,
         submitted_at) in session.execute(q):
        found = _UNREPORTED.fullmatch(message)
        ind = indicators.get(found["indicator"]) if found else None
        if found is None or ind is None:
            continue
        out.append(Figure(
            indicator_code=ind.code, indicator_name=ind.name, subject=ind.subject, measure_unit=ind.unit,
            area_code=area_code, area_name=area_name, year=year, breakdown="total", value=None,
            numerator=None, denominator=None, note=found["note"], reporting_unit=unit_name, submission_id=sub_id,
            revision=revision, state=state, approved_at=approved_at, submitted_at=submitted_at,
        ))
    return out


def workspace_label(ws: Workspace) -> str:
    """How a workspace names itself to others: its folder name (never a database URL, which
    may carry a host a receiver has no business knowing)."""
    return ws.path.resolve().name


def _area_code(session: Session, area: str) -> str:
    found = resolve_area(session, area)
    assert found is not None
    return found.code
