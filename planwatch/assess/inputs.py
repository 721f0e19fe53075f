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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from planwatch.assess.frames import (
    CONFLICT_SCHEMA,
    KEYS,
    LATE_SCHEMA,
    OBSERVATIONS_SCHEMA,
    SELF_EVALUATIONS_SCHEMA,
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


def _observations(session: Session, areas: Sequence[str] | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    sub = latest_submissions_query(states=APPROVED).subquery()
    series = aliased(m.Indicator, name="series")
    q = (
        select(
            series.code,
            m.Observation.area_code,
            m.Observation.breakdown,
            m.Observation.year,
            m.Observation.value,
            m.Observation.numerator,
            m.Observation.denominator,
        )
        .join(sub, m.Observation.submission_id == sub.c.id)
        .join(m.Indicator, m.Indicator.id == m.Observation.indicator_id)
        .join(series, series.id == func.coalesce(m.Indicator.series_id, m.Indicator.id))
    )
    if areas:
        q = q.where(m.Observation.area_code.in_(list(areas)))
    raw = pl.DataFrame(
        [tuple(r) for r in session.execute(q)], schema=OBSERVATIONS_SCHEMA, orient="row"
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
    members = _series_members(session)
    if members.height:
        obs, conflicts = _to_members(obs, members), _to_members(conflicts, members)
    return obs.sort([*KEYS, "year"]), conflicts.sort([*KEYS, "year"])


def _series_members(session: Session) -> pl.DataFrame:
    """(series code, member code) of every indicator linked to another's series."""
    series = aliased(m.Indicator, name="series")
    q = select(series.code, m.Indicator.code).join(series, series.id == m.Indicator.series_id)
    return pl.DataFrame([tuple(r) for r in session.execute(q)],
                        schema={"indicator_code": pl.String(), "member": pl.String()}, orient="row")


def _to_members(frame: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """The series' rows, and a copy of them under each linked indicator's code."""
    copies = (frame.join(members, on="indicator_code")
              .with_columns(pl.col("member").alias("indicator_code")).drop("member"))
    return pl.concat([frame, copies.select(frame.columns)])


def target_key(target_value_id: int) -> str:
    """The ``target_id`` of a target value in the targets frame: stable across runs, so
    reports can join catalogue facts (units, wording) to the assessment's rows."""
    return f"tv{target_value_id}"


def _lead_units(session: Session) -> dict[int, str]:
    q = (
        select(m.TargetUnit.target_id, m.Unit.name)
        .join(m.Unit, m.Unit.id == m.TargetUnit.unit_id)
        .where(m.TargetUnit.role == "lead")
        .order_by(m.TargetUnit.target_id, m.TargetUnit.seq)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for target_id, name in session.execute(q):
        names[target_id].append(name)
    return {k: "、".join(v) for k, v in names.items()}


def _reporters(session: Session) -> dict[tuple[int, str], str]:
    q = (
        select(m.IndicatorReporter.indicator_id, m.IndicatorReporter.area_code, m.Unit.name)
        .join(m.Unit, m.Unit.id == m.IndicatorReporter.unit_id)
        .order_by(m.IndicatorReporter.indicator_id, m.IndicatorReporter.area_code, m.Unit.id)
    )
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    for indicator_id, area_code, name in session.execute(q):
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


def resolve_relative_target(
    tv: m.TargetValue, indicator_code: str, unit: str | None, figures: BaseFigures
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


def _targets(
    session: Session, areas: Sequence[str] | None, figures: BaseFigures | None = None
) -> pl.DataFrame:
    """Targets of ``areas``; the lead unit is the target's 牵头单位 or, for a number named in
    a 策略措施 (which has no units of its own), the units that report the indicator.
    ``figures`` (``base_figures``) resolve relative targets."""
    leads = _lead_units(session)
    reporters = _reporters(session)
    # What each row reads (indicator, plan, the target's or measure's domain) is loaded in a
    # few set queries: lazily it was one query per target and per indicator, some 300 round
    # trips for one district's assessment, which made a cold task page or board take seconds.
    q = (
        select(m.TargetValue)
        .options(
            selectinload(m.TargetValue.indicator),
            selectinload(m.TargetValue.plan),
            selectinload(m.TargetValue.target).selectinload(m.Target.domain),
            selectinload(m.TargetValue.measure).selectinload(m.Measure.domain),
        )
        .order_by(m.TargetValue.area_code, m.TargetValue.plan_id, m.TargetValue.id)
    )
    q = _monitored_only(q)
    if areas:
        q = q.where(m.TargetValue.area_code.in_(list(areas)))
    rows: list[dict[str, Any]] = []
    for tv in session.scalars(q):
        owner = tv.target or tv.measure
        ind = tv.indicator
        target_value, rule, unit = tv.value, None, tv.unit
        if tv.relative is not None:
            unit = ind.unit
            target_value, rule = resolve_relative_target(tv, ind.code, unit, figures or {})
        rows.append(
            {
                "target_id": target_key(tv.id),
                "indicator_code": ind.code,
                "area_code": tv.area_code,
                "kind": "quantitative" if tv.comparator is not None else "directional",
                "comparator": tv.comparator,
                "target_value": target_value,
                "target_rule": rule,
                "target_year": tv.target_year,
                "baseline_year": tv.baseline_year,
                "direction": tv.direction,
                "unit": unit if unit is not None else (ind.unit or ""),
                "better": ind.better,
                "must_hold": tv.comparator == "maintain"
                or tv.direction == "maintain"
                or bool(MUST_HOLD_WORDS.search(tv.raw or "")),
                "lower_limit": ind.lower_limit,
                "upper_limit": ind.upper_limit,
                "lead_unit": leads.get(tv.target_id or -1)
                or reporters.get((ind.id, tv.area_code), ""),
                "plan": tv.plan.title,
                "domain": owner.domain.name if owner is not None else "",
                "indicator_name": ind.name,
            }
        )
    if not rows:
        return targets_frame(pl.DataFrame(schema=_EMPTY_TARGETS))
    # A plan often repeats a number of its 主要目标 in a 策略措施; the same requirement
    # counted twice would weigh double in the attainment rate. The first (the 主要目标,
    # which has the lead units) is kept.
    same = ["indicator_code", "area_code", "plan", "kind", "comparator", "target_value",
            "direction", "target_year"]
    return targets_frame(rows).unique(subset=same, keep="first", maintain_order=True)


def _monitored_only(q: Select[m.TargetValue]) -> Select[m.TargetValue]:
    """Only 量化监测 targets are assessed and counted in 达标率: 定性评价 ones are rated by
    their lead units (self-evaluations), 不纳入监测 ones not at all."""
    return q.where(monitored_values_clause())


def _rated_only(q: Select[m.SelfEvaluation, str]) -> Select[m.SelfEvaluation, str]:
    """Self-evaluations count only while their target is 定性评价: a target since switched to
    量化监测 is judged by its figures, one switched to 不纳入监测 not at all."""
    rated = select(m.Target.id).where(m.Target.monitoring == "qualitative")
    return q.where(m.SelfEvaluation.target_id.in_(rated))


_EMPTY_TARGETS = {
    "indicator_code": pl.String,
    "area_code": pl.String,
    "kind": pl.String,
    "target_year": pl.Int32,
}


def _self_evaluations(session: Session, areas: Sequence[str] | None) -> pl.DataFrame:
    q = (
        select(m.SelfEvaluation, m.Unit.name)
        .join(m.Unit, m.Unit.id == m.SelfEvaluation.unit_id)
        # each row's target, domain and plan in set queries, not one lazy load per row
        .options(selectinload(m.SelfEvaluation.target).selectinload(m.Target.domain).selectinload(m.Domain.plan))
    )
    q = _rated_only(q)
    if areas:
        q = q.where(m.SelfEvaluation.area_code.in_(list(areas)))
    rows = []
    for se, unit in session.execute(q.order_by(m.SelfEvaluation.id)):
        plan = se.target.domain.plan
        rows.append(
            {
                "area_code": se.area_code,
                "target_text": se.target.text,
                "lead_unit": unit,
                "plan": plan.title,
                "domain": se.target.domain.name,
                "year": cycle_year(se.cycle, plan.period_start, plan.period_end),
                "rating": se.rating,
                "evidence": se.evidence or "",
                "cycle": se.cycle,
            }
        )
    return pl.DataFrame(rows, schema=SELF_EVALUATIONS_SCHEMA)


def _late(session: Session, areas: Sequence[str] | None, deadlines: Deadlines) -> pl.DataFrame:
    q = (
        latest_submissions_query(states=APPROVED)
        .add_columns(m.Unit.name)
        .join(m.Unit, m.Unit.id == m.Submission.unit_id)
    )
    rows = []
    for sub, unit in session.execute(q):
        if areas and sub.area_code not in areas:
            continue
        if sub.submitted_at is None:
            continue
        due = deadlines.due("annual_data", sub.year)
        submitted = sub.submitted_at.date()
        if submitted > due:
            rows.append((sub.area_code, unit, sub.year, due, submitted))
    return pl.DataFrame(rows, schema=LATE_SCHEMA, orient="row").sort(["area_code", "unit", "year"])


def load_inputs(
    session: Session, *, areas: Sequence[str] | None = None, deadlines: Deadlines | None = None
) -> AssessInputs:
    """Read the assessment's inputs for ``areas`` (codes; all areas when None)."""
    all_areas = list(session.scalars(select(m.Area)))
    observations, conflicts = _observations(session, areas)
    gaps = gap_codes(session)
    return AssessInputs(
        observations=with_gaps(observations, gaps),
        targets=_targets(session, areas, base_figures(observations)),
        self_evaluations=_self_evaluations(session, areas),
        late=_late(session, areas, deadlines or Deadlines()),
        conflicts=conflicts,
        areas={a.code: a.name for a in all_areas},
        parents={a.code: a.parent_code for a in all_areas},
        gaps=gaps,
    )



def gap_codes(session: Session) -> dict[str, str]:
    """Derived gap indicator code → its base indicator's code (same subject)."""
    by_name = {(i.subject, i.name): i.code for i in session.scalars(select(m.Indicator))}
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
