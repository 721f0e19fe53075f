"""Loading a catalogue (what the plan reader produced) into the database.

Indicator codes are stable and readable: ``W01-03`` is the third indicator first met in
domain 1 of a women's plan (``C`` children, ``O`` other subjects). The same indicator name
in another area's plan of the same subject reuses the code, which is what lets areas be
compared; a new name gets the next free number in its subject and domain, so loading more
plans never renumbers existing indicators.

Everything a plan says is kept: a unit phrase that is not a unit (区妇儿工委有关成员单位)
goes into the target's ``responsible_units_note``, and anything doubtful becomes a warning
in the returned summary, never a silent drop.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.areas import AreaInfo, AreaLookupError, lineage, national
from planwatch.plan import model as pm
from planwatch.store import models as db
from planwatch.store.unit_names import normalise_unit_name

SUBJECT_PREFIX = {"women": "W", "children": "C", "other": "O"}

RATE_BASES: dict[str, float] = {"%": 100, "‰": 1000, "/千": 1000, "/万": 10_000, "/10万": 100_000}
"""Units that are rates, and what they are per."""

_NON_NEGATIVE_UNITS = {
    "人", "名", "个", "所", "家", "项", "次", "岁", "年", "小时", "天", "比", "亿元", "万元", "元",
    "平方米",
}  # fmt: skip

_BETTER_BY_COMPARATOR = {
    "<=": "lower", "<": "lower", ">=": "higher", ">": "higher",
    "=": "hold", "~": "hold", "maintain": "hold",
}  # fmt: skip
_BETTER_BY_DIRECTION = {
    "increase": "higher", "decrease": "lower", "eliminate": "lower", "maintain": "hold",
}  # fmt: skip

_FIVE_YEAR_PLANS = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}


class LoadError(ValueError):
    """The catalogue cannot be loaded as it is; nothing was written."""


@dataclass
class LoadSummary:
    plans: int = 0
    domains: int = 0
    targets: int = 0
    measures: int = 0
    target_values: int = 0
    indicators_created: int = 0
    indicators_reused: int = 0
    units_created: int = 0
    skipped_plans: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, other: LoadSummary) -> None:
        for name in (
            "plans", "domains", "targets", "measures", "target_values",
            "indicators_created", "indicators_reused", "units_created",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_plans.extend(other.skipped_plans)
        self.warnings.extend(other.warnings)


def better_of_comparator(comparator: str) -> str:
    return _BETTER_BY_COMPARATOR[comparator]


def better_of_direction(direction: str) -> str:
    return _BETTER_BY_DIRECTION[direction]


def natural_limits(unit: str | None) -> tuple[float | None, float | None]:
    """The range no correct figure can leave: 0–base for rates, ≥ 0 for counts and amounts."""
    if unit in RATE_BASES:
        return 0.0, RATE_BASES[unit]
    if unit in _NON_NEGATIVE_UNITS:
        return 0.0, None
    return None, None


def plan_area(plan: pm.Plan, given: AreaInfo | None = None) -> AreaInfo:
    """The area a plan belongs to, from its region, else its issuer, else its title.

    ``given`` is the user's ``--area``: it places a plan that names no area, or an ambiguous one.
    """
    try:
        return national().place(plan.region, plan.issuer, plan.title, given=given)
    except AreaLookupError as exc:
        raise LoadError(f"无法确定规划《{plan.title}》所属地区 cannot place plan in an area：{exc}") from None


_YEAR_SPAN = re.compile(r"((?:19|20)\d\d)\s*年?\s*[—–－―\-~～至到]+\s*((?:19|20)\d\d)\s*(?:年|[)）])")
"""A plan's cycle in its title: （2021—2030年）, (2021-2030年), (2001-2005)."""


def plan_period(plan: pm.Plan) -> tuple[int, int]:
    """The plan's years: as read, else from the title (“十四五”, （2021—2030年）)."""
    if plan.period is not None:
        return plan.period.start, plan.period.end
    for name, period in _FIVE_YEAR_PLANS.items():
        if name in plan.title:
            return period
    span = _YEAR_SPAN.search(plan.title)
    if span and int(span.group(1)) < int(span.group(2)):
        return int(span.group(1)), int(span.group(2))
    raise LoadError(f"规划《{plan.title}》没有规划期 the plan has no period")


class _Loader:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.summary = LoadSummary()
        self._units: dict[tuple[str, str], db.Unit] = {}
        self._indicators: dict[tuple[str, str], db.Indicator] = {}
        self._codes: set[str] = set()
        for unit in session.scalars(select(db.Unit)):
            self._units[(unit.area_code, unit.name)] = unit
        for ind in session.scalars(select(db.Indicator)):
            self._indicators[(ind.subject, ind.name)] = ind
            self._codes.add(ind.code)

    # ------------------------------------------------------------------ areas, units

    def ensure_area(self, area: AreaInfo) -> None:
        for info in lineage(area.code):
            if self.session.get(db.Area, info.code) is None:
                self.session.add(
                    db.Area(
                        code=info.code,
                        name=info.name,
                        full_name=info.full_name,
                        level=info.level,
                        parent_code=info.parent_code,
                    )
                )
                self.session.flush()

    def unit(self, area: AreaInfo, canonical: str, spelling: str) -> db.Unit:
        unit = self._units.get((area.code, canonical))
        if unit is None:
            unit = db.Unit(area_code=area.code, name=canonical, aliases=[])
            self.session.add(unit)
            self._units[(area.code, canonical)] = unit
            self.summary.units_created += 1
        if spelling != canonical and spelling not in unit.aliases:
            unit.aliases = [*unit.aliases, spelling]
        return unit

    # ------------------------------------------------------------------ indicators

    def indicator(self, subject: str, domain_seq: int, name: str) -> db.Indicator | None:
        return self._indicators.get((subject, name))

    def new_indicator(self, subject: str, domain_seq: int, name: str, better: str) -> db.Indicator:
        prefix = f"{SUBJECT_PREFIX[subject]}{domain_seq:02d}-"
        serial = 1 + max(
            (int(code[len(prefix) :]) for code in self._codes if code.startswith(prefix)),
            default=0,
        )
        code = f"{prefix}{serial:02d}"
        ind = db.Indicator(code=code, name=name, better=better, subject=subject, is_rate=False, breakdowns=[])
        self.session.add(ind)
        self._codes.add(code)
        self._indicators[(subject, name)] = ind
        self.summary.indicators_created += 1
        return ind

    def quantitative(self, subject: str, domain_seq: int, item: pm.Indicator, where: str) -> db.Indicator:
        better = better_of_comparator(item.comparator)
        ind = self.indicator(subject, domain_seq, item.name)
        if ind is None:
            ind = self.new_indicator(subject, domain_seq, item.name, better)
        else:
            self.summary.indicators_reused += 1
            self._check_better(ind, better, where)
        if ind.unit is None:
            # First number seen for it (it may have been only a direction so far).
            ind.unit = item.unit
            ind.is_rate = item.unit in RATE_BASES
            ind.rate_base = RATE_BASES.get(item.unit)
            ind.lower_limit, ind.upper_limit = natural_limits(item.unit)
        elif ind.unit != item.unit:
            self.summary.warnings.append(
                f"{where}：指标“{ind.name}”（{ind.code}）的单位为“{ind.unit}”，此处为“{item.unit}”，"
                "目标值按此处单位保存 unit differs from the indicator's"
            )
        return ind

    def directional(self, subject: str, domain_seq: int, item: pm.Direction, where: str) -> db.Indicator:
        better = better_of_direction(item.direction)
        ind = self.indicator(subject, domain_seq, item.name)
        if ind is None:
            return self.new_indicator(subject, domain_seq, item.name, better)
        self.summary.indicators_reused += 1
        self._check_better(ind, better, where)
        return ind

    def _check_better(self, ind: db.Indicator, better: str, where: str) -> None:
        if ind.better != better:
            self.summary.warnings.append(
                f"{where}：指标“{ind.name}”（{ind.code}）的方向为 {ind.better}，"
                f"此处目标意味着 {better}，保留原方向，请在目录 YAML 中核对 "
                "direction conflict, kept the first"
            )

    def reporter(self, ind: db.Indicator, area: AreaInfo, units: list[db.Unit]) -> None:
        for unit in units:
            self.session.flush()
            key = {"indicator_id": ind.id, "area_code": area.code, "unit_id": unit.id}
            if self.session.get(db.IndicatorReporter, key) is None:
                self.session.add(db.IndicatorReporter(**key))

    # ------------------------------------------------------------------ plans

    def plan(self, plan: pm.Plan, source_file: str | None, given: AreaInfo | None = None) -> None:
        area = plan_area(plan, given)
        start, end = plan_period(plan)
        existing = self.session.scalar(
            select(db.Plan).where(db.Plan.area_code == area.code, db.Plan.title == plan.title)
        )
        if existing is not None:
            raise LoadError(f"{area.full_name}的规划《{plan.title}》已在数据库中 the plan is already loaded")
        self.ensure_area(area)
        row = db.Plan(
            area_code=area.code,
            title=plan.title,
            issuer=plan.issuer,
            doc_number=plan.doc_number,
            date=plan.date,
            subject=plan.subject,
            period_start=start,
            period_end=end,
            source_file=source_file,
        )
        self.session.add(row)
        self.summary.plans += 1
        for seq, domain in enumerate(plan.domains, start=1):
            self.domain(row, area, seq, domain)

    def domain(self, plan: db.Plan, area: AreaInfo, seq: int, domain: pm.Domain) -> None:
        row = db.Domain(plan=plan, seq=seq, name=domain.name)
        self.session.add(row)
        self.summary.domains += 1
        lead_counts: Counter[str] = Counter()
        for target in domain.targets:
            units = self.target(plan, row, area, target)
            lead_counts.update(u.name for u in units)
        fallback = [self._units[(area.code, name)] for name, _ in lead_counts.most_common(1)]
        for measure in domain.measures:
            self.measure(plan, row, area, measure, fallback)

    def _values(self, plan: db.Plan, area: AreaInfo) -> dict[str, object]:
        return {
            "area_code": area.code,
            "plan": plan,
            "target_year": plan.period_end,
            "baseline_year": plan.period_start - 1,
        }

    def target(self, plan: db.Plan, domain: db.Domain, area: AreaInfo, target: pm.Target) -> list[db.Unit]:
        """Load a target; returns the units that report its indicators."""
        where = f"《{plan.title}》{domain.name} 主要目标({target.number})"
        kind = "quantitative" if target.indicators else "directional" if target.directions else "qualitative"
        notes = [target.responsible_units_note] if target.responsible_units_note else []
        row = db.Target(domain=domain, number=target.number, text=target.text, kind=kind)
        self.session.add(row)
        self.summary.targets += 1
        by_role: dict[str, list[db.Unit]] = {"lead": [], "responsible": []}
        for role, names in (("lead", target.lead_units), ("responsible", target.responsible_units)):
            for raw in names:
                name = normalise_unit_name(raw, area.short)
                if name.note:
                    notes.append(name.note)
                if name.kind != "unit":
                    notes.append(name.canonical)
                    self.summary.warnings.append(
                        f"{where}：“{raw}”不是单位名称，已记入备注 not a unit name, kept as note"
                    )
                    continue
                unit = self.unit(area, name.canonical, _spelling(raw))
                if unit not in by_role[role]:
                    by_role[role].append(unit)
        for role, units in by_role.items():
            for seq, unit in enumerate(units):
                self.session.add(db.TargetUnit(target=row, unit=unit, role=role, seq=seq))
        row.responsible_units_note = "；".join(dict.fromkeys(notes)) or None
        reporters = by_role["lead"] or by_role["responsible"]
        for item in target.indicators:
            ind = self.quantitative(plan.subject, domain.seq, item, where)
            self._add_value(plan, area, ind, item, target=row)
            self.reporter(ind, area, reporters)
        for direction in target.directions:
            ind = self.directional(plan.subject, domain.seq, direction, where)
            self.session.add(
                db.TargetValue(
                    indicator=ind,
                    target=row,
                    direction=direction.direction,
                    raw=direction.raw,
                    **self._values(plan, area),
                )
            )
            self.summary.target_values += 1
            self.reporter(ind, area, reporters)
        if (target.indicators or target.directions) and not reporters:
            self.summary.warnings.append(f"{where}：没有牵头单位，指标暂无填报单位 no reporting unit")
        return by_role["lead"]

    def measure(
        self,
        plan: db.Plan,
        domain: db.Domain,
        area: AreaInfo,
        measure: pm.Measure,
        fallback: list[db.Unit],
    ) -> None:
        where = f"《{plan.title}》{domain.name} 策略措施({measure.number})"
        row = db.Measure(domain=domain, number=measure.number, title=measure.title, text=measure.text)
        self.session.add(row)
        self.summary.measures += 1
        for item in measure.indicators:
            ind = self.quantitative(plan.subject, domain.seq, item, where)
            self._add_value(plan, area, ind, item, measure=row)
            if not self._has_reporter(ind, area):
                # Measures name no units: the domain's usual lead unit reports, until edited.
                self.reporter(ind, area, fallback)

    def _has_reporter(self, ind: db.Indicator, area: AreaInfo) -> bool:
        self.session.flush()
        return (
            self.session.scalar(
                select(db.IndicatorReporter.unit_id).where(
                    db.IndicatorReporter.indicator_id == ind.id,
                    db.IndicatorReporter.area_code == area.code,
                )
            )
            is not None
        )

    def _add_value(
        self,
        plan: db.Plan,
        area: AreaInfo,
        ind: db.Indicator,
        item: pm.Indicator,
        *,
        target: db.Target | None = None,
        measure: db.Measure | None = None,
    ) -> None:
        self.session.add(
            db.TargetValue(
                indicator=ind,
                target=target,
                measure=measure,
                comparator=item.comparator,
                value=item.value,
                unit=item.unit,
                raw=item.raw,
                **self._values(plan, area),
            )
        )
        self.summary.target_values += 1


def _spelling(raw: str) -> str:
    return "".join(raw.split())


def load_catalogue(
    session: Session,
    catalogue: pm.Catalogue,
    *,
    source_file: str | None = None,
    actor: str = "planwatch",
    area: AreaInfo | None = None,
) -> LoadSummary:
    """Add every plan of a catalogue to the database, within the caller's transaction.

    ``area`` (the user's ``--area``) places plans that name no area or an ambiguous one.

    Raises LoadError (and the caller's rollback leaves nothing behind) when a plan cannot be
    placed in an area or is already loaded.
    """
    loader = _Loader(session)
    for warning in catalogue.warnings:
        where = f"{warning.file}:{warning.line}" if warning.line else warning.file
        loader.summary.warnings.append(f"{where}：{warning.message}")
    for plan in catalogue.plans:
        try:
            plan_period(plan)
        except LoadError:
            # A policy document without a period (产业扶持办法) has no year to monitor against.
            loader.summary.skipped_plans.append(plan.title)
            loader.summary.warnings.append(
                f"《{plan.title}》没有规划期，未载入目录 not loaded: the document has no period"
            )
            continue
        loader.plan(plan, source_file, area)
    session.flush()
    session.add(
        db.AuditEvent(
            actor=actor,
            action="catalogue.load",
            entity="plan",
            entity_id=None,
            detail={
                "source_file": source_file,
                "plans": [p.title for p in catalogue.plans],
                "target_values": loader.summary.target_values,
                "indicators_created": loader.summary.indicators_created,
            },
        )
    )
    session.flush()
    return loader.summary
