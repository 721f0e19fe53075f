"""From a workspace's database to the assessment's input frames.

The only module of ``planwatch.assess`` that touches the store; :mod:`planwatch.assess.run`
runs the engine on what it reads. Figures come from
approved submissions only, the latest approved revision per unit, area and year (a later
draft re-import does not hide the approved figures until it is itself approved).

Indicators that share a series (:mod:`planwatch.store.series`: 九年义务教育巩固率 of the
women's and of the children's plan) have one set of figures, read under the series' code
(figures stored under a linked code before the link was made are read there too) and
given to every indicator of the series, so every target and every report shows the same
figure. A conflict in a series is listed under each of its indicators, so each plan's
report says why its figure is missing.

Two units may report the same indicator for the same area and year. Equal values are one
figure. Different values are a conflict: neither is assessed (the year counts as
missing) and the conflict is returned, so that nobody's figure is silently preferred.

Targets repeating the same requirement (same plan, indicator, area, comparator, value
and year — a 主要目标 restated in a 策略措施) are counted once.

Relative targets (以2020年为基数下降20%) are resolved here against the base-year figure of
the same indicator and area: the approved figure of the undisaggregated series (the plan
states the target for the whole area; its breakdowns are judged against the same bound),
else the ``baseline`` entered in the catalogue for that year. The bound is rounded to two
decimals, the precision reports print, so the sentence and the verdict use the same number;
``target_rule`` says how it was obtained ("2020年为4.2/10万，下降20%即不高于3.36/10万").
Without a base figure the target has no value and is 数据不足, the rule saying why.

Must-hold targets are recognised from the target's wording (``MUST_HOLD_WORDS``: 保持,
稳定, 不低于, 控制在, 始终) or a ``maintain`` comparator: such targets are judged every
year, not only in the target year.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import polars as pl
from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from planwatch.assess.frames import (
    CONFLICT_SCHEMA,
    KEYS,
    LATE_SCHEMA,
    OBSERVATIONS_SCHEMA,
    SELF_EVALUATIONS_SCHEMA,
    TARGETS_SCHEMA,
    TOTAL,
    targets_frame,
)
from planwatch.assess.gaps import with_gaps
from planwatch.collect.history import APPROVED, latest_submissions_query
from planwatch.collect.selfeval.cycles import cycle_year
from planwatch.errors import PlanwatchError
from planwatch.plan.fragments import gap_base
from planwatch.plan.semantics import describe_relative, resolve_relative
from planwatch.store import models as m
from planwatch.store.monitoring import monitored_values_clause
from planwatch.store.workspace import Deadlines

MUST_HOLD_WORDS = re.compile(r"保持|稳定|不低于|控制在|始终")

@dataclass(frozen=True)
class AssessInputs:
    """Everything the engine and the summaries need, read from one workspace."""

    observations: pl.DataFrame
    targets: pl.DataFrame
    self_evaluations: pl.DataFrame
    late: pl.DataFrame
    """Approved submissions submitted after their deadline (LATE_SCHEMA): 迟报."""
    conflicts: pl.DataFrame
    """Figures two units reported differently (CONFLICT_SCHEMA); left out of the assessment."""
    areas: dict[str, str]
    """area code → name."""
    parents: dict[str, str | None]
    """area code → parent area code."""
    gaps: dict[str, str] = field(default_factory=dict)
    """Derived urban–rural gap indicator code → its base indicator's code (:func:`gap_codes`)."""


_SERIES = aliased(m.Indicator, name="series")
"""The indicator whose figures another is linked to (``Indicator.series_id``)."""

_AnyRows = Select[*tuple[Any, ...]]
"""A statement of plain columns, whatever their types."""

_AREAS: BindParameter[list[str]] = bindparam("areas", expanding=True)
"""The area codes asked for, in statements that read only some areas."""


@cache
def _observations_statement(some_areas: bool) -> _AnyRows:
    """Approved figures under their series' code; built once per shape, so an engine's
    compiled cache answers every later assessment (building it cost more than running it)."""
    sub = latest_submissions_query(states=APPROVED).subquery()
    q = (
        select(
            _SERIES.code,
            m.Observation.area_code,
            m.Observation.breakdown,
            m.Observation.year,
            m.Observation.value,
            m.Observation.numerator,
            m.Observation.denominator,
        )
        .join(sub, m.Observation.submission_id == sub.c.id)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .join(_SERIES, _SERIES.id == func.coalesce(m.Indicator.series_id, m.Indicator.id))
    )
    return q.where(m.Observation.area_code.in_(_AREAS)) if some_areas else q


def _area_params(areas: Sequence[str] | None) -> dict[str, Any]:
    return {"areas": list(areas)} if areas else {}


@dataclass(frozen=True)
class _Indicators:
    """What the loader needs of every indicator, read in one query."""

    members: pl.DataFrame
    """(series code, member code) of every indicator linked to another's series."""
    gaps: dict[str, str]
    """Derived gap indicator code → its base indicator's code (:func:`gap_codes`)."""


_INDICATORS = (
    select(m.Indicator.code, m.Indicator.subject, m.Indicator.name, _SERIES.code)
    .outerjoin(_SERIES, _SERIES.id == m.Indicator.series_id)
    .order_by(m.Indicator.id)
)


def _indicators(session: Session) -> _Indicators:
    rows = session.execute(_INDICATORS).all()
    members = [(series, code) for code, _, _, series in rows if series is not None]
    return _Indicators(
        members=pl.DataFrame(members, schema={"indicator_code": pl.String(), "member": pl.String()},
                             orient="row"),
        gaps=_gaps_of((subject, name, code) for code, subject, name, _ in rows),
    )


def _observations(
    session: Session, areas: Sequence[str] | None, members: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    q = _observations_statement(bool(areas))
    raw = pl.DataFrame(
        [tuple(r) for r in session.execute(q, _area_params(areas))], schema=OBSERVATIONS_SCHEMA,
        orient="row",
    )
    per_key = raw.group_by([*KEYS, "year"]).agg(
        pl.col("value").unique().sort().alias("values"),
        pl.col("value").first(),
        pl.col("numerator").first(),
        pl.col("denominator").first(),
    )
    conflicts = per_key.filter(pl.col("values").list.len() > 1)
    good = per_key.filter(pl.col("values").list.len() == 1)
    obs = good.select(list(OBSERVATIONS_SCHEMA))
    conflicts = conflicts.select(list(CONFLICT_SCHEMA))
    if members.height:
        obs, conflicts = _to_members(obs, members), _to_members(conflicts, members)
    return obs.sort([*KEYS, "year"]), conflicts.sort([*KEYS, "year"])


def _to_members(frame: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """The series' rows, and a copy of them under each linked indicator's code."""
    copies = (frame.join(members, on="indicator_code")
              .with_columns(pl.col("member").alias("indicator_code")).drop("member"))
    return pl.concat([frame, copies.select(frame.columns)])


def target_key(target_value_id: int) -> str:
    """The ``target_id`` of a target value in the targets frame: stable across runs, so
    reports can join catalogue facts (units, wording) to the assessment's rows."""
    return f"tv{target_value_id}"


_LEAD_UNITS = (
    select(m.TargetUnit.target_id, m.Unit.name)
    .join(m.Unit, m.Unit.id == m.TargetUnit.unit_id)
    .where(m.TargetUnit.role == "lead")
    .order_by(m.TargetUnit.target_id, m.TargetUnit.seq)
)


def _lead_units(session: Session) -> dict[int, str]:
    names: dict[int, list[str]] = defaultdict(list)
    for target_id, name in session.execute(_LEAD_UNITS):
        names[target_id].append(name)
    return {k: "、".join(v) for k, v in names.items()}


_REPORTERS = (
    select(m.IndicatorReporter.indicator_id, m.IndicatorReporter.area_code, m.Unit.name)
    .join(m.Unit, m.Unit.id == m.IndicatorReporter.unit_id)
    .order_by(m.IndicatorReporter.indicator_id, m.IndicatorReporter.area_code, m.Unit.id)
)


def _reporters(session: Session) -> dict[tuple[int, str], str]:
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    for indicator_id, area_code, name in session.execute(_REPORTERS):
        names[(indicator_id, area_code)].append(name)
    return {k: "、".join(v) for k, v in names.items()}


BaseFigures = dict[tuple[str, str, int], float]
"""(indicator code, area code, year) → approved figure of the total series."""


def base_figures(observations: pl.DataFrame) -> BaseFigures:
    total = observations.filter(pl.col("breakdown") == TOTAL)
    return {
        (code, area, int(year)): float(value)
        for code, area, year, value in total.select("indicator_code", "area_code", "year", "value").iter_rows()
    }


def _num(x: float) -> str:
    r = round(x, 2)
    return str(int(r)) if r == int(r) else f"{r:g}"


def _with_unit(x: float, unit: str | None) -> str:
    return _num(x) + ("" if unit in (None, "比") else unit)


_CHANGE_WORDS = {
    "percent": ("提高{a}%", "下降{a}%"),
    "points": ("提高{a}个百分点", "下降{a}个百分点"),
    "multiple": ("达到其{a}倍", "降至其{a}倍"),
    "annual_growth": ("年均增长{a}%至{t}年", "年均下降{a}%至{t}年"),
    "annual_points": ("平均每年提高{a}个百分点至{t}年", "平均每年下降{a}个百分点至{t}年"),
}


class RelativeTarget(Protocol):
    """What :func:`resolve_relative_target` reads of a target value: a ``TargetValue`` or a
    row of the same columns."""

    @property
    def area_code(self) -> str: ...
    @property
    def comparator(self) -> str | None: ...
    @property
    def value(self) -> float | None: ...
    @property
    def target_year(self) -> int: ...
    @property
    def baseline_year(self) -> int: ...
    @property
    def baseline_value(self) -> float | None: ...
    @property
    def relative(self) -> str | None: ...
    @property
    def base_year(self) -> int | None: ...


def resolve_relative_target(
    tv: RelativeTarget, indicator_code: str, unit: str | None, figures: BaseFigures
) -> tuple[float | None, str]:
    """(bound, rule) of a relative target; bound None when the base-year figure is missing.

    The bound is rounded to two decimals so that what the sentence prints is what is judged.
    """
    assert tv.relative is not None and tv.value is not None and tv.comparator is not None
    year = tv.base_year if tv.base_year is not None else tv.baseline_year
    base = figures.get((indicator_code, tv.area_code, year))
    if base is None and tv.baseline_value is not None and tv.baseline_year == year:
        base = tv.baseline_value
    if base is None:
        return None, (
            f"{describe_relative(tv.relative, tv.value, year)}，但{year}年基数数据缺失，无法换算目标值"
        )
    bound = round(resolve_relative(tv.relative, tv.value, base, tv.target_year - year), 2)
    up, down = _CHANGE_WORDS[tv.relative]
    change = (up if tv.value > 0 else down).format(a=_num(abs(tv.value)), t=tv.target_year)
    side = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于"}.get(tv.comparator, "达到")
    return bound, f"{year}年为{_with_unit(base, unit)}，{change}即{side}{_with_unit(bound, unit)}"


_TV = m.TargetValue
_TARGET_COLUMNS = (
    _TV.id, _TV.area_code, _TV.target_id, _TV.comparator, _TV.value, _TV.direction,
    _TV.unit, _TV.target_year, _TV.baseline_year, _TV.baseline_value, _TV.raw, _TV.relative,
    _TV.base_year,
    m.Indicator.id.label("indicator_id"), m.Indicator.code.label("indicator_code"),
    m.Indicator.name.label("indicator_name"), m.Indicator.unit.label("indicator_unit"),
    m.Indicator.better, m.Indicator.lower_limit, m.Indicator.upper_limit,
    m.Plan.title.label("plan"), m.Domain.name.label("domain"),
)


_TARGET_FRAME_COLUMNS = (
    "target_id", "indicator_code", "area_code", "kind", "comparator", "target_value", "target_rule",
    "target_year", "baseline_year", "direction", "unit", "better", "must_hold", "lower_limit",
    "upper_limit", "lead_unit", "plan", "domain", "indicator_name",
)
"""The columns of the targets frame :func:`_targets` gives, the rest derived (``targets_frame``)."""


@cache
def _targets_statement(some_areas: bool) -> _AnyRows:
    """The monitored target values with what each row reads of its indicator, plan and
    domain (its target's, or for a number named in a 策略措施 its measure's), in one query
    of plain columns: loaded as objects with their relations this was a third of an
    assessment's time.

    Only 量化监测 targets are assessed and counted in 达标率: 定性评价 ones are rated by their
    lead units (self-evaluations), 不纳入监测 ones not at all."""
    q = (
        select(*_TARGET_COLUMNS)
        .join(m.Indicator, m.Indicator.id == _TV.indicator_id)
        .join(m.Plan, m.Plan.id == _TV.plan_id)
        .outerjoin(m.Target, m.Target.id == _TV.target_id)
        .outerjoin(m.Measure, m.Measure.id == _TV.measure_id)
        .outerjoin(m.Domain, m.Domain.id == func.coalesce(m.Target.domain_id, m.Measure.domain_id))
        .where(monitored_values_clause())
        .order_by(_TV.area_code, _TV.plan_id, _TV.id)
    )
    return q.where(_TV.area_code.in_(_AREAS)) if some_areas else q


def _targets(
    session: Session, areas: Sequence[str] | None, figures: BaseFigures | None = None
) -> pl.DataFrame:
    """Targets of ``areas``; the lead unit is the target's 牵头单位 or, for a number named in
    a 策略措施 (which has no units of its own), the units that report the indicator.
    ``figures`` (``base_figures``) resolve relative targets."""
    leads = _lead_units(session)
    reporters = _reporters(session)
    columns: dict[str, list[Any]] = {name: [] for name in _TARGET_FRAME_COLUMNS}
    for tv in session.execute(_targets_statement(bool(areas)), _area_params(areas)):
        (tv_id, area_code, target_id, comparator, value, direction, unit, target_year, baseline_year,
         _, raw, relative, _, indicator_id, indicator_code, indicator_name, indicator_unit, better,
         lower_limit, upper_limit, plan, domain) = tv
        target_value, rule = value, None
        if relative is not None:
            unit = indicator_unit
            target_value, rule = resolve_relative_target(tv, indicator_code, unit, figures or {})
        for name, cell in (
            ("target_id", target_key(tv_id)),
            ("indicator_code", indicator_code),
            ("area_code", area_code),
            ("kind", "quantitative" if comparator is not None else "directional"),
            ("comparator", comparator),
            ("target_value", target_value),
            ("target_rule", rule),
            ("target_year", target_year),
            ("baseline_year", baseline_year),
            ("direction", direction),
            ("unit", unit if unit is not None else (indicator_unit or "")),
            ("better", better),
            ("must_hold", comparator == "maintain" or direction == "maintain"
             or bool(MUST_HOLD_WORDS.search(raw or ""))),
            ("lower_limit", lower_limit),
            ("upper_limit", upper_limit),
            ("lead_unit", leads.get(target_id or -1) or reporters.get((indicator_id, area_code), "")),
            ("plan", plan),
            ("domain", domain if domain is not None else ""),
            ("indicator_name", indicator_name),
        ):
            columns[name].append(cell)
    rows = pl.DataFrame(columns, schema={name: TARGETS_SCHEMA[name] for name in _TARGET_FRAME_COLUMNS})
    if rows.is_empty():
        return targets_frame(pl.DataFrame(schema=_EMPTY_TARGETS))
    # A plan often repeats a number of its 主要目标 in a 策略措施; the same requirement
    # counted twice would weigh double in the attainment rate. The first (the 主要目标,
    # which has the lead units) is kept.
    same = ["indicator_code", "area_code", "plan", "kind", "comparator", "target_value",
            "direction", "target_year"]
    return targets_frame(rows).unique(subset=same, keep="first", maintain_order=True)


_EMPTY_TARGETS = {
    "indicator_code": pl.String,
    "area_code": pl.String,
    "kind": pl.String,
    "target_year": pl.Int32,
}


@cache
def _self_evaluations_statement(some_areas: bool) -> _AnyRows:
    """Self-evaluations of targets still 定性评价 (a target since switched to 量化监测 is judged
    by its figures, one switched to 不纳入监测 not at all), with their target's wording, plan
    and domain, as plain columns."""
    se = m.SelfEvaluation
    q = (
        select(se.area_code, m.Target.text, m.Unit.name.label("unit"), m.Plan.title,
               m.Domain.name.label("domain"), m.Plan.period_start, m.Plan.period_end, se.rating,
               se.evidence, se.cycle)
        .join(m.Unit, m.Unit.id == se.unit_id)
        .join(m.Target, m.Target.id == se.target_id)
        .join(m.Domain, m.Domain.id == m.Target.domain_id)
        .join(m.Plan, m.Plan.id == m.Domain.plan_id)
        .where(m.Target.monitoring == "qualitative")
        .order_by(se.id)
    )
    return q.where(se.area_code.in_(_AREAS)) if some_areas else q


def _self_evaluations(session: Session, areas: Sequence[str] | None) -> pl.DataFrame:
    rows = [
        {
            "area_code": r.area_code,
            "target_text": r.text,
            "lead_unit": r.unit,
            "plan": r.title,
            "domain": r.domain,
            "year": cycle_year(r.cycle, r.period_start, r.period_end),
            "rating": r.rating,
            "evidence": r.evidence or "",
            "cycle": r.cycle,
        }
        for r in session.execute(_self_evaluations_statement(bool(areas)), _area_params(areas))
    ]
    return pl.DataFrame(rows, schema=SELF_EVALUATIONS_SCHEMA)


@cache
def _late_statement(some_areas: bool) -> _AnyRows:
    """(area, unit name, year, submitted at) of the approved submissions that count."""
    q = (
        latest_submissions_query(states=APPROVED)
        .with_only_columns(m.Submission.area_code, m.Unit.name, m.Submission.year,
                           m.Submission.submitted_at)
        .join(m.Unit, m.Unit.id == m.Submission.unit_id)
        .where(m.Submission.submitted_at.is_not(None))
    )
    return q.where(m.Submission.area_code.in_(_AREAS)) if some_areas else q


def _late(session: Session, areas: Sequence[str] | None, deadlines: Deadlines) -> pl.DataFrame:
    rows = []
    for area_code, unit, year, submitted_at in session.execute(
        _late_statement(bool(areas)), _area_params(areas)
    ):
        due = deadlines.due("annual_data", year)
        submitted = submitted_at.date()
        if submitted > due:
            rows.append((area_code, unit, year, due, submitted))
    return pl.DataFrame(rows, schema=LATE_SCHEMA, orient="row").sort(["area_code", "unit", "year"])


AREAS = select(m.Area.code, m.Area.name, m.Area.parent_code)
"""(code, name, parent code) of every area of the workspace."""


def load_inputs(
    session: Session, *, areas: Sequence[str] | None = None, deadlines: Deadlines | None = None
) -> AssessInputs:
    """Read the assessment's inputs for ``areas`` (codes; all areas when None)."""
    all_areas = session.execute(AREAS).all()
    indicators = _indicators(session)
    observations, conflicts = _observations(session, areas, indicators.members)
    return AssessInputs(
        observations=with_gaps(observations, indicators.gaps),
        targets=_targets(session, areas, base_figures(observations)),
        self_evaluations=_self_evaluations(session, areas),
        late=_late(session, areas, deadlines or Deadlines()),
        conflicts=conflicts,
        areas={code: name for code, name, _ in all_areas},
        parents={code: parent for code, _, parent in all_areas},
        gaps=indicators.gaps,
    )


def gap_codes(session: Session) -> dict[str, str]:
    """Derived gap indicator code → its base indicator's code (same subject)."""
    return _indicators(session).gaps


def _gaps_of(indicators: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """:func:`gap_codes` of (subject, name, code) rows."""
    by_name = {(subject, name): code for subject, name, code in indicators}
    out = {}
    for (subject, name), code in by_name.items():
        base = gap_base(name)
        if base is not None and (subject, base) in by_name:
            out[code] = by_name[(subject, base)]
    return out


class UnknownAreaError(PlanwatchError, ValueError):
    """An area a person named is not in the workspace; the message lists those that are."""

    code = "assess.unknown_area"


def resolve_areas(names: dict[str, str], wanted: Sequence[str] | None) -> list[str] | None:
    """Area codes for codes or names given by a user; unknown ones are an error."""
    if not wanted:
        return None
    codes = []
    for w in wanted:
        hit = [c for c, n in names.items() if w in (c, n)]
        if not hit:
            raise UnknownAreaError(f"未知地区 unknown area: {w}；可用：" + "、".join(
                f"{c} {n}" for c, n in sorted(names.items())))
        codes.extend(hit)
    return sorted(set(codes))


__all__ = [
    "AssessInputs",
    "BaseFigures",
    "UnknownAreaError",
    "base_figures",
    "gap_codes",
    "load_inputs",
    "resolve_areas",
    "resolve_relative_target",
    "target_key",
]
