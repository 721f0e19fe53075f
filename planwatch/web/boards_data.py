"""What the two boards show: reporting progress of an area and the status of its targets.

The target board reads the library's own assessment (:func:`planwatch.assess.run.assess_workspace`),
so the numbers on the page are the numbers of ``planwatch assess`` and of the reports; it reads
approved figures only, so nothing a unit has not had approved ever reaches a board. An
assessment is kept per (area, year) and thrown away as soon as the approved submissions or
the targets of the area change: the key carries their fingerprint, so an approval is seen by
the next request without anyone having to remember to clear a cache.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from planwatch.assess.run import WorkspaceAssessment, assess_workspace
from planwatch.collect import breakdowns as bd
from planwatch.collect.history import latest_submissions_query
from planwatch.collect.status import collection_status
from planwatch.report.sentences import target_text
from planwatch.store.models import Area, AuditEvent, Indicator, Observation, Submission, TargetValue, Unit
from planwatch.store.workspace import Workspace
from planwatch.vocabulary import STATUSES, TIMELINESS_LABELS
from planwatch.web.pages_data import OPEN_STATES, TASK_STATE_LABELS

PENDING_STATES = ("submitted", "reviewed")
"""Submitted but not yet approved: 待审定 on the charts, never a value."""
BREAKDOWN_CHOICES = {"total": "合计", "sex": "按性别", "age_group": "按年龄", "residence": "按城乡", "all": "全部分组"}
REMIND_WITHIN_DAYS = 7
"""A unit that still owes figures this close to the deadline (or after it) is reminded."""


# --------------------------------------------------------------------------- assessment cache


def _fingerprint(session: Session, area_code: str) -> tuple[object, ...]:
    """What the area's assessment depends on in the database: approved submissions, targets, and
    the workspace's change history (a target edited in place keeps its id and count)."""
    approved = session.execute(
        select(func.count(), func.max(Submission.id), func.max(Submission.approved_at))
        .where(Submission.area_code == area_code, Submission.state == "approved")
    ).one()
    targets = session.execute(
        select(func.count(), func.max(TargetValue.id)).where(TargetValue.area_code == area_code)
    ).one()
    # Catalogue edits and self-evaluation imports each leave a change-history row. A submission's
    # own rows (drafts saved, submitted, returned) are left out: they change no approved figure,
    # and every approval or unlock already moves the count or times above. Counting them made
    # every draft saved anywhere in the workspace throw every area's assessment away, so at the
    # deadline each task page and target board re-ran the assessment.
    changes = session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.entity != "submission"))
    return (*approved, *targets, changes)


def _fingerprints(session: Session) -> dict[str, tuple[object, ...]]:
    """:func:`_fingerprint` of every area with targets, in three grouped statements."""
    approved = {a: (n, i, t) for a, n, i, t in session.execute(
        select(Submission.area_code, func.count(), func.max(Submission.id), func.max(Submission.approved_at))
        .where(Submission.state == "approved").group_by(Submission.area_code))}
    targets = {a: (n, i) for a, n, i in session.execute(
        select(TargetValue.area_code, func.count(), func.max(TargetValue.id)).group_by(TargetValue.area_code))}
    changes = session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.entity != "submission"))
    return {a: (*approved.get(a, (0, None, None)), *t, changes) for a, t in targets.items()}


class AssessmentCache:
    """The latest assessments, by (area, year, fingerprint); a city's or province's areas fit.

    Sized for every area of a large workspace: an LRU smaller than the areas being browsed
    would throw each one away before it is asked for again. One request at a time computes
    the missing assessments of a year; others asking at the same moment wait for it rather
    than each running the assessment again.

    With ``batch_areas`` a miss computes every area of the year that is missing, not only the
    one asked for: one assessment of 21 districts costs about as much CPU as four of one
    district each (fixed costs dominate), so the first task pages and boards after a start or
    at the deadline (one per area and worker) no longer run twenty assessments one after
    another. Each area keeps its own key, so an approval in one area recomputes that area
    alone. Only for readers that filter every frame by area, as the boards do: the run's
    summaries (overall, by domain …) then cover all the areas in it, so the REST API, which
    returns them, keeps one area per run.
    """

    def __init__(self, size: int = 256, *, batch_areas: bool = False) -> None:
        self._size = size
        self._batch = batch_areas
        self._items: OrderedDict[tuple[object, ...], WorkspaceAssessment] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[int, threading.Lock] = {}

    def get(self, workspace: Workspace, session: Session, area_code: str, year: int) -> WorkspaceAssessment:
        key = (area_code, year, *_fingerprint(session, area_code))
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
            computing = self._computing.setdefault(year, threading.Lock())
        with computing:
            with self._lock:
                found = self._items.get(key)
            if found is not None:
                return found
            keys = {area_code: key}
            for area, fingerprint in (_fingerprints(session) if self._batch else {}).items():
                other = (area, year, *fingerprint)
                if area not in keys and len(keys) < self._size // 2 and other not in self._items:
                    keys[area] = other
            result = assess_workspace(workspace, year, areas=list(keys))
            with self._lock:
                for other in keys.values():
                    self._items[other] = result
                    self._items.move_to_end(other)
                self._items.move_to_end(key)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return result


_SHARED: weakref.WeakKeyDictionary[Engine, dict[bool, AssessmentCache]] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def workspace_cache(workspace: Workspace, *, batch_areas: bool = False) -> AssessmentCache:
    """The assessment cache of the workspace's database, shared by every application on it.

    A server runs one application per workspace, so this is its one cache as before; what
    changes is that another application made on the same workspace in the same process (the
    test suite makes one per module or per test, the served app beside a test client) finds
    the assessments already made instead of running each again. Sound for the same reason the
    cache is: the key carries the database's fingerprint, and nothing else an application is
    given (clock, settings) enters an assessment. Kept per engine, so it goes with the workspace.
    """
    with _SHARED_LOCK:
        caches = _SHARED.setdefault(workspace.engine, {})
        if batch_areas not in caches:
            caches[batch_areas] = AssessmentCache(batch_areas=batch_areas)
        return caches[batch_areas]


def assessment_year(session: Session, area_code: str, today: dt.date) -> int:
    """The latest year with approved figures in the area, else last year: what can be judged."""
    year = session.scalar(select(func.max(Submission.year)).where(
        Submission.area_code == area_code, Submission.state == "approved"))
    return year or today.year - 1


# --------------------------------------------------------------------------- target board


@dataclass(frozen=True)
class TargetFilters:
    plan: str = ""
    domain: str = ""
    lead_unit: str = ""
    breakdown: str = "total"

    def keep(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows of an assessment result the filters select (the same rule the tests apply)."""
        if self.plan:
            frame = frame.filter(pl.col("plan") == self.plan)
        if self.domain:
            frame = frame.filter(pl.col("domain") == self.domain)
        if self.lead_unit:
            frame = frame.filter(pl.col("lead_unit") == self.lead_unit)
        if self.breakdown == "total":
            frame = frame.filter(pl.col("breakdown") == bd.TOTAL)
        elif self.breakdown != "all":
            frame = frame.filter(pl.col("breakdown").str.starts_with(self.breakdown + "="))
        return frame


@dataclass
class TargetRow:
    plan: str
    domain: str
    code: str
    name: str
    breakdown: str
    lead_unit: str
    status: str
    latest_value: float | None
    latest_year: int | None
    target: str
    unit: str
    reason: str
    warnings: list[str]


@dataclass
class Point:
    year: int
    value: float | None


@dataclass
class Chart:
    code: str
    name: str
    unit: str
    points: list[Point]
    target: float | None
    target_year: int | None
    pending_years: list[int]


@dataclass
class WarningRow:
    lead_unit: str
    code: str
    name: str
    breakdown: str
    warning: str
    note: str


@dataclass
class TargetBoard:
    area_code: str
    area_name: str
    year: int
    filters: TargetFilters
    rows: list[TargetRow]
    counts: list[tuple[str, int]]
    charts: list[Chart]
    warnings: list[WarningRow]
    choices: dict[str, list[str]] = field(default_factory=dict)
    unit_name: str | None = None
    """Set when the board is one unit's own targets."""


def _target_text(row: dict[str, object]) -> str:
    """不高于3‰（2025年）: the target in the plan's words, as the reports print it, not ``<=3``."""
    value = row.get("target_value")
    if value is None:  # a directional target: 逐步提高, 基本消除 …
        direction = str(row.get("direction") or "")
        return target_text(None, None, None, direction) if direction else str(row.get("target_rule") or "")
    text = target_text(str(row.get("comparator") or "") or None, value, str(row.get("unit") or "") or None,
                       str(row.get("direction") or "") or None)
    year = row.get("target_year")
    return f"{text}（{year}年）" if year else text


@lru_cache(maxsize=256)
def _pending_statement(area_code: str) -> Select[str, int, int]:
    """The statement of :func:`_pending_years`, made once per area: building it (a subquery of the
    submission table's every column) cost more than running it, on every target board and every
    unit's task page. Statements are immutable, so one may serve every request of the area."""
    sub = latest_submissions_query(area_code=area_code).subquery()
    return (
        select(Indicator.code, func.coalesce(Indicator.series_id, Indicator.id), sub.c.year)
        .select_from(Observation)
        .join(sub, sub.c.id == Observation.submission_id)
        .join(Indicator, Indicator.id == Observation.indicator_id)
        .where(sub.c.state.in_(PENDING_STATES), Observation.breakdown == bd.TOTAL)
        .distinct()
    )


def _pending_years(session: Session, area_code: str) -> dict[str, set[int]]:
    """indicator code (member and series) → years whose figures are submitted but not approved."""
    rows = session.execute(_pending_statement(area_code)).all()
    series_codes = {i: c for i, c in session.execute(
        select(Indicator.id, Indicator.code).where(Indicator.id.in_({r[1] for r in rows})))}
    found: dict[str, set[int]] = defaultdict(set)
    for code, series_id, year in rows:
        found[code].add(year)
        if series_id in series_codes:
            found[series_codes[series_id]].add(year)
    return found


def _status_order(item: tuple[str, int]) -> tuple[int, str]:
    return (STATUSES.index(item[0]) if item[0] in STATUSES else len(STATUSES), item[0])


@dataclass(frozen=True)
class _BoardPart:
    """What a target board takes from the assessment alone (everything but the 待审定 years)."""

    rows: list[TargetRow]
    counts: list[tuple[str, int]]
    charts: list[Chart]
    """with no pending years: those are read from the submissions on every request."""
    warnings: list[WarningRow]
    choices: dict[str, list[str]]


_PARTS: dict[int, tuple[weakref.ref[WorkspaceAssessment], dict[tuple[object, ...], _BoardPart]]] = {}
"""id(assessment) → (the assessment, its board parts by area, filters and unit): an assessment
never changes once made (a change in the database makes the cache compute a new one), so what
a board draws from it is computed once per assessment, not once per page view; the entry goes
when the assessment does."""


def _parts_of(assessment: WorkspaceAssessment) -> dict[tuple[object, ...], _BoardPart]:
    key = id(assessment)
    found = _PARTS.get(key)
    if found is not None and found[0]() is assessment:
        return found[1]
    parts: dict[tuple[object, ...], _BoardPart] = {}
    _PARTS[key] = (weakref.ref(assessment, lambda _ref, key=key: _PARTS.pop(key, None)), parts)  # type: ignore[misc]
    return parts


def target_board(
    session: Session, assessment: WorkspaceAssessment, area_code: str, filters: TargetFilters,
    *, unit_name: str | None = None,
) -> TargetBoard:
    """The filtered targets of an area with their status, charts of their indicators and warnings.

    ``unit_name`` restricts everything to the targets that unit leads (a unit's own board).
    """
    area = session.get(Area, area_code)
    assert area is not None
    parts = _parts_of(assessment)
    key = (area_code, filters, unit_name)
    part = parts.get(key)
    if part is None:
        part = parts[key] = _board_part(assessment, area_code, filters, unit_name)
    # Submitted but not yet approved figures change with every 报送: read on every request.
    pending = _pending_years(session, area_code)
    charts = [
        Chart(code=c.code, name=c.name, unit=c.unit, points=c.points, target=c.target, target_year=c.target_year,
              pending_years=sorted(y for y in pending.get(c.code, set()) if y not in {p.year for p in c.points}))
        for c in part.charts
    ]
    return TargetBoard(
        area_code=area_code, area_name=area.full_name, year=assessment.year, filters=filters, rows=part.rows,
        counts=part.counts, charts=charts, warnings=part.warnings, choices=part.choices, unit_name=unit_name,
    )


def _board_part(assessment: WorkspaceAssessment, area_code: str, filters: TargetFilters,
                unit_name: str | None) -> _BoardPart:
    result = assessment.result.filter(pl.col("area_code") == area_code)
    if unit_name is not None:
        result = result.filter(pl.col("lead_unit") == unit_name)
    choices = {
        "plan": sorted(x for x in result["plan"].unique().to_list() if x),
        "domain": sorted(x for x in result["domain"].unique().to_list() if x),
        "lead_unit": sorted(x for x in result["lead_unit"].unique().to_list() if x),
    }
    chosen = filters.keep(result).sort(["plan", "domain", "indicator_code", "target_year", "breakdown"])
    rows = [
        TargetRow(
            plan=r["plan"] or "", domain=r["domain"] or "", code=r["indicator_code"], name=r["indicator_name"] or "",
            breakdown=bd.label(r["breakdown"]), lead_unit=r["lead_unit"] or "", status=r["status"] or "",
            latest_value=r["latest_value"], latest_year=r["latest_year"], target=_target_text(r),
            unit=r["unit"] or "", reason=r["reason"] or "", warnings=list(r["warnings"] or []),
        )
        for r in chosen.iter_rows(named=True)
    ]
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return _BoardPart(
        rows=rows, counts=sorted(counts.items(), key=_status_order), charts=_charts(assessment, area_code, chosen),
        warnings=_warnings(assessment, area_code, chosen, unit_name or filters.lead_unit), choices=choices,
    )


def _charts(assessment: WorkspaceAssessment, area_code: str, chosen: pl.DataFrame) -> list[Chart]:
    """One chart per indicator on the board: its approved total series and target line."""
    obs = assessment.inputs.observations.filter(
        (pl.col("area_code") == area_code) & (pl.col("breakdown") == bd.TOTAL))
    charts = []
    firsts = chosen.sort("target_year").unique("indicator_code", keep="first", maintain_order=True)
    # One pass over the observations for every chart: filtering the frame once per indicator
    # cost a query-engine run each, most of a board's (and a unit's task page's) time.
    by_code: dict[str, list[Point]] = defaultdict(list)
    for code, y, v in obs.sort("year").select("indicator_code", "year", "value").iter_rows():
        by_code[code].append(Point(int(y), v))
    for r in firsts.sort("indicator_code").iter_rows(named=True):
        code = r["indicator_code"]
        charts.append(Chart(
            code=code, name=r["indicator_name"] or "", unit=r["unit"] or "", points=by_code.get(code, []),
            target=r["target_value"], target_year=r["target_year"], pending_years=[],
        ))
    return charts


def _warnings(assessment: WorkspaceAssessment, area_code: str, chosen: pl.DataFrame,
              lead_unit: str | None) -> list[WarningRow]:
    """The warnings of the rows on the board; 迟报 rows (no indicator) only of the lead unit asked for."""
    keys = set(chosen.select("indicator_code", "breakdown").iter_rows())
    found = assessment.warnings.filter(pl.col("area_code") == area_code)
    if lead_unit:
        found = found.filter(pl.col("lead_unit") == lead_unit)
    out = []
    for r in found.iter_rows(named=True):
        if r["indicator_code"] and (r["indicator_code"], r["breakdown"]) not in keys:
            continue
        if not r["indicator_code"] and chosen.is_empty():
            continue
        out.append(WarningRow(r["lead_unit"] or "", r["indicator_code"] or "", r["indicator_name"] or "",
                              bd.label(r["breakdown"]) if r["breakdown"] else "", r["warning"], r["note"] or ""))
    return out


# --------------------------------------------------------------------------- progress board


@dataclass
class UnitRate:
    unit_id: int
    unit: str
    state: str | None
    expected: int
    received: int
    timeliness: str
    days_late: int
    missing: list[str]

    @property
    def rate(self) -> float:
        return self.received / self.expected if self.expected else 1.0

    @property
    def state_label(self) -> str:
        return TASK_STATE_LABELS[self.state]

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS_LABELS[self.timeliness])

    @property
    def owes(self) -> bool:
        """Still owes its figures: nothing submitted yet, a draft, or sent back. Indicators missing
        from a submitted return are the reviewer's business (return it), not a reminder's."""
        return self.state in OPEN_STATES


@dataclass
class IndicatorRate:
    code: str
    name: str
    expected: int
    received: int
    missing_units: list[str]

    @property
    def rate(self) -> float:
        return self.received / self.expected if self.expected else 1.0


@dataclass
class ProgressBoard:
    area_code: str
    area_name: str
    year: int
    deadline: dt.date
    today: dt.date
    units: list[UnitRate]
    indicators: list[IndicatorRate]

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.state not in OPEN_STATES)

    @property
    def unit_rate(self) -> float:
        return self.reported / len(self.units) if self.units else 1.0

    @property
    def indicator_rate(self) -> float:
        expected = sum(u.expected for u in self.units)
        return sum(u.received for u in self.units) / expected if expected else 1.0

    @property
    def late(self) -> list[UnitRate]:
        return [u for u in self.units if u.timeliness in ("late", "overdue")]

    @property
    def reminders(self) -> list[UnitRate]:
        """Who is to be reminded: units that still owe figures once the deadline is near or past."""
        if (self.deadline - self.today).days > REMIND_WITHIN_DAYS:
            return []
        return [u for u in self.units if u.owes]


def progress_board(session: Session, area_code: str, year: int, deadline: dt.date, today: dt.date) -> ProgressBoard:
    """报送率 by unit and by indicator from the same status rule as ``planwatch status``."""
    area = session.get(Area, area_code)
    assert area is not None
    statuses = collection_status(session, year, deadline, today, area_code=area_code)
    ids = {u.name: u.id for u in session.scalars(select(Unit).where(Unit.area_code == area_code))}
    units = []
    per_indicator: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for st in statuses:
        got = set(st.received) & set(st.expected)
        units.append(UnitRate(ids[st.unit], st.unit, st.state, len(st.expected), len(got), st.timeliness,
                              st.days_late, st.missing))
        for code in st.expected:
            per_indicator[code].append((st.unit, code in got))
    names = {c: n for c, n in session.execute(
        select(Indicator.code, Indicator.name).where(Indicator.code.in_(per_indicator)))}
    indicators = [
        IndicatorRate(code, names.get(code, ""), len(seen), sum(ok for _, ok in seen),
                      [unit for unit, ok in seen if not ok])
        for code, seen in sorted(per_indicator.items())
    ]
    units.sort(key=lambda u: (u.rate, u.unit))
    return ProgressBoard(area_code, area.full_name, year, deadline, today, units, indicators)


@dataclass
class Reminder:
    """The 催报 notice a unit sees on its own page."""

    year: int
    deadline: dt.date
    days_left: int
    missing: int


def unit_reminder(session: Session, area_code: str, unit_id: int, year: int, deadline: dt.date,
                  today: dt.date) -> Reminder | None:
    """The reminder the unit is on the progress board's list for, if it is."""
    if (deadline - today).days > REMIND_WITHIN_DAYS:
        return None
    # Only this unit's row (the same rule as the board's, narrowed in every query), whose
    # state is its latest revision's.
    for st in collection_status(session, year, deadline, today, area_code=area_code, unit_id=unit_id):
        if st.state in OPEN_STATES:
            return Reminder(year, deadline, (deadline - today).days, len(st.missing))
    return None
