"""What the pages show, read from the catalogue and the submissions: plain data, no HTML.

A unit's tasks come from the catalogue (the series it reports in its area, as the Excel
template asks for them) and the state of its latest submission for the year; the office's
view of an area comes from the same reporting-status rule as ``planwatch status``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect.catalogue import assigned_indicators
from planwatch.collect.history import latest_submissions
from planwatch.collect.status import collection_status
from planwatch.store.models import (
    Area,
    Domain,
    Indicator,
    Observation,
    Plan,
    StoredProblem,
    Submission,
    Target,
    TargetValue,
    Unit,
)
from planwatch.vocabulary import TIMELINESS_LABELS

TASK_STATE_LABELS = {
    None: "未填报",
    "draft": "填报中",
    "submitted": "已报送",
    "returned": "已退回",
    "reviewed": "已审核",
    "approved": "已审定",
}
"""The states a unit sees, in the words of the issue (a draft is 填报中 to the unit)."""
OPEN_STATES = (None, "draft", "returned")
"""States in which the unit still owes its figures."""
SUBJECT_LABELS = {"women": "妇女规划", "children": "儿童规划", "other": "其他规划"}


def default_year(session: Session, area_code: str | None, today: dt.date) -> int:
    """The latest year anything was submitted for (in the area), else last year: what is being collected."""
    q = select(func.max(Submission.year))
    if area_code is not None:
        q = q.where(Submission.area_code == area_code)
    return session.scalar(q) or today.year - 1


@dataclass
class TaskRow:
    code: str
    name: str
    measure: str
    breakdowns: str
    state: str | None
    received: bool
    required: bool
    """False for a directional indicator (no unit of measure): listed, but no figure is demanded."""
    overdue: bool

    @property
    def state_label(self) -> str:
        if not self.received and not self.required:
            return "可不填（方向性指标）"
        if self.state not in OPEN_STATES and not self.received:
            return "未填报"
        return TASK_STATE_LABELS[self.state]


@dataclass
class TaskGroup:
    title: str
    rows: list[TaskRow] = field(default_factory=list)


@dataclass
class UnitTasks:
    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    year: int
    deadline: dt.date
    today: dt.date
    state: str | None
    revision: int | None
    submission_id: int | None
    comment: str | None
    groups: list[TaskGroup]
    retired: str | None = None
    """Why the unit has no task this year (retired before it), for the page to say so."""

    @property
    def state_label(self) -> str:
        return TASK_STATE_LABELS[self.state]

    @property
    def overdue(self) -> bool:
        return self.retired is None and self.today > self.deadline and self.state in OPEN_STATES

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def required(self) -> int:
        return sum(r.required for g in self.groups for r in g.rows)

    @property
    def received(self) -> int:
        return sum(r.received and r.required for g in self.groups for r in g.rows)


def _domains_of(session: Session, area_code: str, series_ids: list[int]) -> dict[int, tuple[int, str]]:
    """For each series, the first 规划 · 领域 of the area that sets a target on it (sort key, title)."""
    member = Indicator
    series_of = func.coalesce(member.series_id, member.id)
    q = (
        select(series_of, Plan.subject, Plan.id, Domain.seq, Domain.name)
        .select_from(TargetValue)
        .join(member, member.id == TargetValue.indicator_id)
        .join(Target, Target.id == TargetValue.target_id)
        .join(Domain, Domain.id == Target.domain_id)
        .join(Plan, Plan.id == Domain.plan_id)
        .where(TargetValue.area_code == area_code, series_of.in_(series_ids))
        .order_by(Plan.id, Domain.seq)
    )
    found: dict[int, tuple[int, str]] = {}
    for series_id, subject, plan_id, seq, name in session.execute(q):
        found.setdefault(series_id, (plan_id * 1000 + seq, f"{SUBJECT_LABELS.get(subject, subject)} · {name}"))
    return found


def unit_tasks(session: Session, area_code: str, unit_id: int, year: int, deadline: dt.date,
               today: dt.date) -> UnitTasks:
    """The year's indicators the unit must report, grouped by 规划 · 领域, with their state
    (those assigned for that year: none once the unit is retired)."""
    unit = session.get(Unit, unit_id)
    area = session.get(Area, area_code)
    assert unit is not None and area is not None and unit.area_code == area_code
    specs = assigned_indicators(session, area_code, unit_id, year)
    latest = latest_submissions(session, area_code=area_code, unit_id=unit_id, year=year)
    sub = latest[0] if latest else None
    received: set[int] = set()
    if sub is not None:
        received = set(session.scalars(
            select(Observation.indicator_id).where(Observation.submission_id == sub.id,
                                                   Observation.breakdown == bd.TOTAL)))
    state = sub.state if sub else None
    late = today > deadline
    places = _domains_of(session, area_code, [s.id for s in specs])
    groups: dict[tuple[int, str], TaskGroup] = {}
    for spec in specs:
        key = places.get(spec.id, (10**9, "其他指标"))
        group = groups.setdefault(key, TaskGroup(key[1]))
        got = spec.id in received
        group.rows.append(TaskRow(
            code=spec.code, name=spec.name, measure=spec.unit or "",
            breakdowns="、".join(bd.DIMENSION_LABELS.get(d.name, d.name) for d in spec.dims),
            state=state, received=got, required=spec.measurable,
            overdue=spec.measurable and late and (state in OPEN_STATES or not got),
        ))
    return UnitTasks(
        area_code=area_code, area_name=area.full_name, unit_id=unit_id, unit_name=unit.name, year=year,
        deadline=deadline, today=today, state=state, revision=sub.revision if sub else None,
        submission_id=sub.id if sub else None, comment=sub.comment if sub else None,
        groups=[groups[k] for k in sorted(groups)], retired=retirement_note(unit, year),
    )


def retirement_note(unit: Unit, year: int) -> str | None:
    """What a retired unit's pages say for a year it no longer reports; None while it does."""
    if unit.retired_from is None or year < unit.retired_from:
        return None
    heir = f"，{unit.retired_from}年度起的填报由“{unit.successor.name}”承担" if unit.successor is not None else ""
    return (f"本单位已于{unit.retired_from}年度起停用{heir}；{year}年度没有填报任务，"
            f"{unit.retired_from - 1}年度及以前的数据仍可查看。")


@dataclass
class ProgressRow:
    unit_id: int
    unit: str
    state: str | None
    submission_id: int | None
    comment: str | None
    expected: int
    received: int
    timeliness: str
    days_late: int

    @property
    def state_label(self) -> str:
        return TASK_STATE_LABELS[self.state]

    @property
    def timeliness_label(self) -> str:
        label: str = TIMELINESS_LABELS[self.timeliness]
        return label


@dataclass
class AreaProgress:
    area_code: str
    area_name: str
    year: int
    deadline: dt.date
    rows: list[ProgressRow]

    @property
    def by_state(self) -> list[tuple[str, int]]:
        counts: dict[str | None, int] = defaultdict(int)
        for row in self.rows:
            counts[row.state] += 1
        return [(label, counts[state]) for state, label in TASK_STATE_LABELS.items()]

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.state not in OPEN_STATES)


def area_progress(session: Session, area_code: str, year: int, deadline: dt.date, today: dt.date) -> AreaProgress:
    """Every reporting unit of the area with the state of its latest submission for the year."""
    area = session.get(Area, area_code)
    assert area is not None
    statuses = collection_status(session, year, deadline, today, area_code=area_code)
    units = {u.name: u.id for u in session.scalars(select(Unit).where(Unit.area_code == area_code))}
    latest = {s.unit_id: s for s in latest_submissions(session, area_code=area_code, year=year)}
    rows = []
    for st in statuses:
        unit_id = units[st.unit]
        sub = latest.get(unit_id)
        rows.append(ProgressRow(
            unit_id=unit_id, unit=st.unit, state=st.state, submission_id=sub.id if sub else None,
            comment=sub.comment if sub else None, expected=len(st.expected),
            received=len(set(st.received) & set(st.expected)), timeliness=st.timeliness, days_late=st.days_late,
        ))
    order = {state: i for i, state in enumerate(TASK_STATE_LABELS)}
    rows.sort(key=lambda r: (order[r.state], r.unit))
    return AreaProgress(area_code, area.full_name, year, deadline, rows)


@dataclass
class FigureRow:
    code: str
    name: str
    breakdown: str
    value: float
    numerator: float | None
    denominator: float | None
    measure: str


@dataclass
class SubmissionView:
    id: int
    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    year: int
    revision: int
    state: str
    comment: str | None
    created_by: str
    submitted_at: dt.datetime | None
    figures: list[FigureRow]
    problems: list[StoredProblem]

    @property
    def state_label(self) -> str:
        return TASK_STATE_LABELS[self.state]


def submission_view(session: Session, sub: Submission) -> SubmissionView:
    rows = session.execute(
        select(Observation, Indicator).join(Indicator, Indicator.id == Observation.indicator_id)
        .where(Observation.submission_id == sub.id).order_by(Indicator.code, Observation.id)
    ).all()
    figures = [
        FigureRow(ind.code, ind.name, bd.label(obs.breakdown), obs.value, obs.numerator, obs.denominator,
                  ind.unit or "")
        for obs, ind in rows
    ]
    problems = list(session.scalars(
        select(StoredProblem).where(StoredProblem.submission_id == sub.id).order_by(StoredProblem.id)))
    area = session.get(Area, sub.area_code)
    unit = session.get(Unit, sub.unit_id)
    assert area is not None and unit is not None
    return SubmissionView(
        id=sub.id, area_code=sub.area_code, area_name=area.full_name, unit_id=sub.unit_id, unit_name=unit.name,
        year=sub.year, revision=sub.revision, state=sub.state, comment=sub.comment, created_by=sub.created_by,
        submitted_at=sub.submitted_at, figures=figures, problems=problems,
    )
