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
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from planwatch.areas import AreaInfo, AreaLookupError, lineage, national
from planwatch.errors import PlanwatchError
from planwatch.plan import model as pm
from planwatch.plan.fragments import fragment_reason, gap_base
from planwatch.plan.semantics import RELATIVE_AMOUNT_UNITS, better_of_target, unit_of_name
from planwatch.store import models as db
from planwatch.store.series import Facts, conflicts, normalise_name
from planwatch.store.unit_names import UnitName, known_unit_names, normalise_unit_name

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

_Item = TypeVar("_Item", pm.Indicator, pm.Direction)

_FIVE_YEAR_PLANS = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}


class LoadError(PlanwatchError, ValueError):
    """The catalogue cannot be loaded as it is; nothing was written."""

    code = "catalogue.load"


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
    skipped_other: list[str] = field(default_factory=list)
    """Titles of documents of subject ``other`` left out (see :func:`load_catalogue`)."""
    warnings: list[str] = field(default_factory=list)
    series_links: list[str] = field(default_factory=list)
    """``C03-04 → W02-12 九年义务教育巩固率``: indicators that share another's figures."""

    def add(self, other: LoadSummary) -> None:
        for name in (
            "plans", "domains", "targets", "measures", "target_values",
            "indicators_created", "indicators_reused", "units_created",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_plans.extend(other.skipped_plans)
        self.skipped_other.extend(other.skipped_other)
        self.warnings.extend(other.warnings)
        self.series_links.extend(other.series_links)


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


@dataclass(slots=True, eq=False)
class _PlanRow:
    """A plan row waiting for :meth:`_Loader.write_rows` (as are the domain, target and
    measure rows below): values only, each table's rows in the order they were met."""

    area_code: str
    title: str
    issuer: str | None
    doc_number: str | None
    date: date | None
    subject: str
    period_start: int
    period_end: int
    source_file: str | None
    id: int | None = None


@dataclass(slots=True, eq=False)
class _DomainRow:
    plan: _PlanRow
    seq: int
    name: str
    id: int | None = None


@dataclass(slots=True, eq=False)
class _TargetRow:
    domain: _DomainRow
    number: int
    text: str
    kind: str
    monitoring: str
    responsible_units_note: str | None = None
    id: int | None = None


@dataclass(slots=True, eq=False)
class _MeasureRow:
    domain: _DomainRow
    number: int
    title: str
    text: str
    id: int | None = None


_ValueRow = tuple[db.Indicator, _PlanRow, _TargetRow | None, _MeasureRow | None, dict[str, Any]]
"""A target value: its indicator, plan, target or measure, and its other columns."""
_TABLES = db.Base.metadata.tables


class _Loader:
    """Reads plans into rows.

    Plans, domains, targets, measures and their values are kept as plain rows and written
    by :meth:`write_rows` in a few multi-row statements, each table's rows in the order
    they were met (so their ids are what adding them one by one would give). Nothing reads
    them back during the load, and as ORM objects each one cost a constructor, relationship
    events, a place in every flush and, with autoflush, queries inside the loop. Units and
    indicators stay objects: later plans reuse and change them.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.summary = LoadSummary()
        self._areas: set[str] = set(session.scalars(select(db.Area.code)))
        self._plan_keys: set[tuple[str, str]] = {
            (area_code, title) for area_code, title in session.execute(select(db.Plan.area_code, db.Plan.title))
        }
        self._plans: list[_PlanRow] = []
        self._domains: list[_DomainRow] = []
        self._targets: list[_TargetRow] = []
        self._measures: list[_MeasureRow] = []
        self._values_met: list[_ValueRow] = []
        # The highest serial taken in each code prefix (W01-), found once per prefix.
        self._serials: dict[str, int] = {}
        self._units: dict[tuple[str, str], db.Unit] = {}
        # Every other name a stored unit answers to, above all the old name of a renamed unit
        # (store.unit_changes): a plan that still prints it means that unit, not a new one.
        self._aliases: dict[tuple[str, str], db.Unit] = {}
        self._indicators: dict[tuple[str, str], db.Indicator] = {}
        # The indicators by normalised name (series.normalise_name), each list in the order
        # of ``_indicators``: the candidates a new indicator may share a series with.
        self._by_key: dict[str, list[db.Indicator]] = {}
        self._codes: set[str] = set()
        self._fresh: set[db.Indicator] = set()
        # Unit names the plan being loaded prints: a name cut at a line break or abbreviated
        # in one target is completed against them (store.unit_names, rules 5 and 6).
        self._plan_units: list[str] = []
        # normalise_unit_name's answers for the plan being loaded (they depend on the raw name,
        # the area and _plan_units only): a plan names its few units again at every target.
        self._unit_names: dict[tuple[str, str], UnitName] = {}
        # Who reports what, kept here rather than asked of the database: a new reporter row
        # needs its unit's and indicator's ids, and flushing for them at every target made
        # the unit of work run hundreds of times per plan. New rows wait in ``_new_reporters``
        # (in the order they were met) for ``write_rows``.
        self._reporters: set[tuple[db.Indicator, str, db.Unit]] = set()
        self._reported: set[tuple[db.Indicator, str]] = set()
        self._new_reporters: list[tuple[db.Indicator, str, db.Unit]] = []
        # Which units lead or share each target, in the order met; written by ``write_rows``
        # with the reporters (composite keys that no other row points at).
        self._target_units: list[tuple[_TargetRow, db.Unit, str, int]] = []
        units_by_id: dict[int, db.Unit] = {}
        indicators_by_id: dict[int, db.Indicator] = {}
        for unit in session.scalars(select(db.Unit).order_by(db.Unit.id)):
            self._units[(unit.area_code, unit.name)] = unit
            units_by_id[unit.id] = unit
            for alias in unit.aliases or []:
                self._aliases.setdefault((unit.area_code, alias), unit)
        for ind in session.scalars(select(db.Indicator)):
            self._indicators[(ind.subject, ind.name)] = ind
            self._by_key.setdefault(normalise_name(ind.name), []).append(ind)
            self._codes.add(ind.code)
            indicators_by_id[ind.id] = ind
        for ind_id, area_code, unit_id in session.execute(
            select(db.IndicatorReporter.indicator_id, db.IndicatorReporter.area_code, db.IndicatorReporter.unit_id)
        ):
            self._reporters.add((indicators_by_id[ind_id], area_code, units_by_id[unit_id]))
            self._reported.add((indicators_by_id[ind_id], area_code))

    # ------------------------------------------------------------------ areas, units

    def ensure_area(self, area: AreaInfo) -> None:
        for info in lineage(area.code):
            if info.code not in self._areas:
                self._areas.add(info.code)
                self.session.add(
                    db.Area(
                        code=info.code,
                        name=info.name,
                        full_name=info.full_name,
                        level=info.level,
                        parent_code=info.parent_code,
                    )
                )

    def unit(self, area: AreaInfo, canonical: str, spelling: str) -> db.Unit:
        """The unit a plan's name means: by its name, else by an alias, else a new one."""
        unit = (
            self._units.get((area.code, canonical))
            or self._aliases.get((area.code, canonical))
            or self._aliases.get((area.code, spelling))
        )
        if unit is None:
            unit = db.Unit(area_code=area.code, name=canonical, aliases=[])
            self.session.add(unit)
            self._units[(area.code, canonical)] = unit
            self.summary.units_created += 1
        for name in (canonical, spelling):
            if name != unit.name and name not in unit.aliases:
                unit.aliases = [*unit.aliases, name]
                self._aliases.setdefault((area.code, name), unit)
        return unit

    def in_service(self, unit: db.Unit, where: str) -> db.Unit | None:
        """The unit that does a retired unit's work now (its successor's successor …), with a
        warning; None, with a warning, when it has none: a retired unit takes no new work."""
        if unit.retired_from is None:
            return unit
        heir = unit.successor
        while heir is not None and heir.retired_from is not None:
            heir = heir.successor
        if heir is None:
            self.summary.warnings.append(
                f"{where}：单位“{unit.name}”已于{unit.retired_from}年度起停用且无承接单位，未指定给它"
                " the unit is retired: not assigned"
            )
            return None
        self.summary.warnings.append(
            f"{where}：单位“{unit.name}”已于{unit.retired_from}年度起停用，改由承接单位“{heir.name}”负责"
            " the unit is retired: its successor is assigned"
        )
        return heir

    # ------------------------------------------------------------------ indicators

    def indicator(self, subject: str, domain_seq: int, name: str) -> db.Indicator | None:
        return self._indicators.get((subject, name))

    def new_indicator(self, subject: str, domain_seq: int, name: str, better: str) -> db.Indicator:
        prefix = f"{SUBJECT_PREFIX[subject]}{domain_seq:02d}-"
        last = self._serials.get(prefix)
        if last is None:
            last = max((int(code[len(prefix) :]) for code in self._codes if code.startswith(prefix)), default=0)
        serial = last + 1
        self._serials[prefix] = serial
        code = f"{prefix}{serial:02d}"
        ind = db.Indicator(code=code, name=name, better=better, subject=subject, is_rate=False, breakdowns=[])
        self.session.add(ind)
        self._codes.add(code)
        self._indicators[(subject, name)] = ind
        self._by_key.setdefault(normalise_name(name), []).append(ind)
        self._fresh.add(ind)
        self.summary.indicators_created += 1
        return ind

    def quantitative(self, subject: str, domain_seq: int, item: pm.Indicator, where: str) -> db.Indicator:
        better = self._better_of_item(item, where)
        ind = self.indicator(subject, domain_seq, item.name)
        if ind is None:
            ind = self.new_indicator(subject, domain_seq, item.name, better)
        else:
            self.summary.indicators_reused += 1
            self._check_better(ind, better, where)
        unit = indicator_unit(item)
        if unit is None:
            if ind.unit is None:
                self.summary.warnings.append(
                    f"{where}：相对目标“{item.raw}”未写明指标“{ind.name}”的计量单位，指标暂不能采集 "
                    "a relative target does not give the indicator's unit"
                )
            self.join_series(ind, where)
            return ind
        if ind.unit is None:
            # First number seen for it (it may have been only a direction so far).
            ind.unit = unit
            ind.is_rate = unit in RATE_BASES
            ind.rate_base = RATE_BASES.get(unit)
            ind.lower_limit, ind.upper_limit = natural_limits(unit)
        elif item.relative is None and ind.unit != item.unit:
            self.summary.warnings.append(
                f"{where}：指标“{ind.name}”（{ind.code}）的单位为“{ind.unit}”，此处为“{item.unit}”，"
                "目标值按此处单位保存 unit differs from the indicator's"
            )
        self.join_series(ind, where)
        return ind

    def directional(self, subject: str, domain_seq: int, item: pm.Direction, where: str) -> db.Indicator:
        better = better_of_direction(item.direction)
        ind = self.indicator(subject, domain_seq, item.name)
        if ind is None:
            ind = self.new_indicator(subject, domain_seq, item.name, better)
            self._describe_gap(subject, ind)
            self.join_series(ind, where)
            return ind
        self.summary.indicators_reused += 1
        self._check_better(ind, better, where)
        return ind

    def _better_of_item(self, item: pm.Indicator, where: str) -> str:
        """The better direction a quantitative target implies (planwatch.plan.semantics);
        a name whose polarity contradicts the comparator is a warning, the comparator wins."""
        better, conflict = better_of_target(item.comparator, item.name, relative=item.relative is not None)
        if conflict:
            self.summary.warnings.append(f"{where}：指标“{item.name}”（“{item.raw}”）：{conflict}")
        return better
    def _describe_gap(self, subject: str, ind: db.Indicator) -> None:
        """A derived urban–rural gap takes its base indicator's unit (percentage points for
        a percentage) and a definition saying how the assessment computes it."""
        base_name = gap_base(ind.name)
        base = self.indicator(subject, 0, base_name) if base_name else None
        if base is None:
            return
        ind.unit = "百分点" if base.unit == "%" else base.unit
        ind.definition = (
            f"城镇与农村{base.name}之差的绝对值（{base.code}，分城乡 residence=urban/rural），"
            "由评估时根据分城乡数据计算，不单独填报；区域差距需比较各地区，不在此计算。"
        )

    def _check_better(self, ind: db.Indicator, better: str, where: str) -> None:
        if ind.better != better:
            self.summary.warnings.append(
                f"{where}：指标“{ind.name}”（{ind.code}）的方向为 {ind.better}，"
                f"此处目标意味着 {better}，保留原方向，请在目录 YAML 中核对 "
                "direction conflict, kept the first"
            )

    # ------------------------------------------------------------------ shared series

    def join_series(self, ind: db.Indicator, where: str) -> None:
        """Link a new indicator to an earlier one of the same name, or say why not.

        Only indicators created by this load are linked (see :mod:`planwatch.store.series`):
        a link the user removed in the YAML is not made again by loading more plans. An
        indicator already linked is checked again once it gets its unit (it may have been
        a direction only when it was linked).
        """
        if ind in self._fresh:
            self._fresh.discard(ind)
            self._link_new(ind, where)
        elif ind.series is not None and ind.unit is not None:
            root = ind.series
            if root.unit is None:
                _adopt_unit(root, ind.unit)
            elif root.unit != ind.unit:
                ind.series = None
                self.summary.warnings.append(
                    f"{where}：指标“{ind.name}”（{ind.code}）单位为“{ind.unit}”，与共用序列 {root.code}"
                    f"的“{root.unit}”不同，已取消共用，两者分别填报 unit differs from the shared series: unlinked"
                )

    def _link_new(self, ind: db.Indicator, where: str) -> None:
        key = normalise_name(ind.name)
        roots: list[db.Indicator] = []
        for other in self._by_key[key]:
            if other is ind:
                continue
            root = other.series or other
            if root is not ind and root not in roots:
                roots.append(root)
        roots.sort(key=lambda r: (r.id is None, r.id or 0))
        refused: list[tuple[db.Indicator, list[str]]] = []
        for root in roots:
            facts = Facts.of(root)
            if root.unit is None:
                facts = Facts(root.code, root.name, ind.unit, root.better, root.definition)
            problems = conflicts(facts, Facts.of(ind))
            if problems:
                refused.append((root, problems))
                continue
            if root.unit is None and ind.unit is not None:
                _adopt_unit(root, ind.unit)
            ind.series = root
            # Written now, while it is the newest indicator: in a flush, an indicator that
            # points at another new or changed one is inserted after all that do not, so
            # left pending it would get a later id than indicators the plans name after it.
            self.session.flush()
            self.summary.series_links.append(f"{ind.code} → {root.code} {root.name}")
            return
        if refused:
            root, problems = refused[0]
            self.summary.warnings.append(
                f"{where}：指标“{ind.name}”（{ind.code}）与 {root.code}“{root.name}”同名，但"
                f"{'；'.join(problems)}，未合并为同一序列，两者分别填报；如确为同一指标，请统一后在目录 YAML 中"
                f"设置 {ind.code} 的 same_as: {root.code}，否则请核对名称 same name, conflicting "
                "definitions: not linked"
            )

    def reporter(self, ind: db.Indicator, area: AreaInfo, units: list[db.Unit]) -> None:
        for unit in units:
            key = (ind, area.code, unit)
            if key not in self._reporters:
                self._reporters.add(key)
                self._reported.add((ind, area.code))
                self._new_reporters.append(key)

    def write_rows(self) -> None:
        """The rows met since the last call: plans, domains, targets and measures first (their
        ids come back in the order the rows were sent), then, once units and indicators are
        flushed, the target values, target units and reporters that point at them."""
        self.session.flush()
        _insert_ids(self.session, _TABLES["plan"], self._plans, [
            {"area_code": p.area_code, "title": p.title, "issuer": p.issuer, "doc_number": p.doc_number,
             "date": p.date, "subject": p.subject, "period_start": p.period_start, "period_end": p.period_end,
             "source_file": p.source_file}
            for p in self._plans
        ])  # fmt: skip
        _insert_ids(self.session, _TABLES["domain"], self._domains, [
            {"plan_id": d.plan.id, "seq": d.seq, "name": d.name} for d in self._domains
        ])  # fmt: skip
        _insert_ids(self.session, _TABLES["target"], self._targets, [
            {"domain_id": t.domain.id, "number": t.number, "text": t.text, "kind": t.kind,
             "responsible_units_note": t.responsible_units_note, "monitoring": t.monitoring}
            for t in self._targets
        ])  # fmt: skip
        _insert_ids(self.session, _TABLES["measure"], self._measures, [
            {"domain_id": m.domain.id, "number": m.number, "title": m.title, "text": m.text} for m in self._measures
        ])  # fmt: skip
        if self._values_met:
            self.session.execute(
                insert(_TABLES["target_value"]),
                [
                    {
                        "indicator_id": ind.id,
                        "plan_id": plan.id,
                        "target_id": target.id if target is not None else None,
                        "measure_id": measure.id if measure is not None else None,
                        **values,
                    }
                    for ind, plan, target, measure, values in self._values_met
                ],
            )
        if self._target_units:
            self.session.execute(
                insert(_TABLES["target_unit"]),
                [
                    {"target_id": target.id, "unit_id": unit.id, "role": role, "seq": seq}
                    for target, unit, role, seq in self._target_units
                ],
            )
        if self._new_reporters:
            self.session.execute(
                insert(_TABLES["indicator_reporter"]),
                [
                    {"indicator_id": ind.id, "area_code": area_code, "unit_id": unit.id}
                    for ind, area_code, unit in self._new_reporters
                ],
            )
        for rows in (self._plans, self._domains, self._targets, self._measures, self._values_met,
                     self._target_units, self._new_reporters):  # fmt: skip
            rows.clear()

    # ------------------------------------------------------------------ plans

    def plan(self, plan: pm.Plan, source_file: str | None, given: AreaInfo | None = None) -> None:
        area = plan_area(plan, given)
        start, end = plan_period(plan)
        if (area.code, plan.title) in self._plan_keys:
            raise LoadError(f"{area.full_name}的规划《{plan.title}》已在数据库中 the plan is already loaded")
        self._plan_keys.add((area.code, plan.title))
        self.ensure_area(area)
        row = _PlanRow(
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
        self._plans.append(row)
        self.summary.plans += 1
        self._plan_units = known_unit_names(
            u for d in plan.domains for t in d.targets for u in (*t.lead_units, *t.responsible_units)
        )
        self._unit_names = {}
        for seq, domain in enumerate(plan.domains, start=1):
            self.domain(row, area, seq, domain)

    def domain(self, plan: _PlanRow, area: AreaInfo, seq: int, domain: pm.Domain) -> None:
        row = _DomainRow(plan=plan, seq=seq, name=domain.name)
        self._domains.append(row)
        self.summary.domains += 1
        lead_counts: Counter[str] = Counter()
        for target in domain.targets:
            units = self.target(plan, row, area, target)
            lead_counts.update(u.name for u in units)
        fallback = [self._units[(area.code, name)] for name, _ in lead_counts.most_common(1)]
        for measure in domain.measures:
            self.measure(plan, row, area, measure, fallback)

    def _value(
        self,
        ind: db.Indicator,
        plan: _PlanRow,
        area: AreaInfo,
        target: _TargetRow | None,
        measure: _MeasureRow | None,
        **values: Any,
    ) -> None:
        """A target value row, written by :meth:`write_rows` with every column named (those
        not given are null), as one multi-row statement needs."""
        self._values_met.append((ind, plan, target, measure, {
            "area_code": area.code, "comparator": None, "value": None, "direction": None, "unit": None,
            "target_year": plan.period_end, "baseline_year": plan.period_start - 1, "raw": None,
            "relative": None, "base_year": None, **values,
        }))  # fmt: skip
        self.summary.target_values += 1

    def target(self, plan: _PlanRow, domain: _DomainRow, area: AreaInfo, target: pm.Target) -> list[db.Unit]:
        """Load a target; returns the units that report its indicators."""
        where = f"《{plan.title}》{domain.name} 主要目标({target.number})"
        target = self._without_fragments(target, where)
        kind = "quantitative" if target.indicators else "directional" if target.directions else "qualitative"
        notes = [target.responsible_units_note] if target.responsible_units_note else []
        row = _TargetRow(
            domain=domain, number=target.number, text=target.text, kind=kind, monitoring=default_monitoring(kind)
        )
        self._targets.append(row)
        self.summary.targets += 1
        by_role: dict[str, list[db.Unit]] = {"lead": [], "responsible": []}
        for role, names in (("lead", target.lead_units), ("responsible", target.responsible_units)):
            for raw in names:
                name = self._unit_names.get((raw, area.code))
                if name is None:
                    name = normalise_unit_name(raw, area.short, self._plan_units)
                    self._unit_names[(raw, area.code)] = name
                if name.note:
                    notes.append(name.note)
                if name.kind != "unit":
                    notes.append(name.canonical)
                    self.summary.warnings.append(
                        f"{where}：“{raw}”不是单位名称，已记入备注 not a unit name, kept as note"
                    )
                    continue
                unit = self.in_service(self.unit(area, name.canonical, _spelling(raw)), where)
                if unit is not None and unit not in by_role[role]:
                    by_role[role].append(unit)
        for role, units in by_role.items():
            self._target_units.extend((row, unit, role, seq) for seq, unit in enumerate(units))
        row.responsible_units_note = "；".join(dict.fromkeys(notes)) or None
        reporters = by_role["lead"] or by_role["responsible"]
        for item in target.indicators:
            ind = self.quantitative(plan.subject, domain.seq, item, where)
            self._add_value(plan, area, ind, item, target=row)
            self.reporter(ind, area, reporters)
        for direction in target.directions:
            ind = self.directional(plan.subject, domain.seq, direction, where)
            self._value(ind, plan, area, row, None, direction=direction.direction, raw=direction.raw)
            if gap_base(ind.name) is None:  # a gap is computed from breakdowns, not reported
                self.reporter(ind, area, reporters)
        if (target.indicators or target.directions) and not reporters:
            self.summary.warnings.append(f"{where}：没有牵头单位，指标暂无填报单位 no reporting unit")
        return by_role["lead"]

    def measure(
        self,
        plan: _PlanRow,
        domain: _DomainRow,
        area: AreaInfo,
        measure: pm.Measure,
        fallback: list[db.Unit],
    ) -> None:
        where = f"《{plan.title}》{domain.name} 策略措施({measure.number})"
        row = _MeasureRow(domain=domain, number=measure.number, title=measure.title, text=measure.text)
        self._measures.append(row)
        self.summary.measures += 1
        for item in self._monitorable(measure.indicators, where):
            ind = self.quantitative(plan.subject, domain.seq, item, where)
            self._add_value(plan, area, ind, item, measure=row)
            if not self._has_reporter(ind, area):
                # Measures name no units: the domain's usual lead unit reports, until edited.
                self.reporter(ind, area, fallback)

    def _without_fragments(self, target: pm.Target, where: str) -> pm.Target:
        """The target without the sentence fragments the reader took for names (担任正职)."""
        indicators = self._monitorable(target.indicators, where)
        directions = self._monitorable(target.directions, where)
        if len(indicators) == len(target.indicators) and len(directions) == len(target.directions):
            return target
        return target.model_copy(update={"indicators": indicators, "directions": directions})

    def _monitorable(self, items: list[_Item], where: str) -> list[_Item]:
        kept = []
        for item in items:
            reason = fragment_reason(item.name)
            if reason is None:
                kept.append(item)
                continue
            self.summary.warnings.append(
                f"{where}：“{item.name}”（原文“{item.raw}”）是句子片段，{reason}，不单独作为指标，"
                "留在目标文字中作定性评价 sentence fragment, not an indicator"
            )
        return kept

    def _has_reporter(self, ind: db.Indicator, area: AreaInfo) -> bool:
        return (ind, area.code) in self._reported

    def _add_value(
        self,
        plan: _PlanRow,
        area: AreaInfo,
        ind: db.Indicator,
        item: pm.Indicator,
        *,
        target: _TargetRow | None = None,
        measure: _MeasureRow | None = None,
    ) -> None:
        self._value(
            ind, plan, area, target, measure,
            comparator=item.comparator, value=item.value, unit=item.unit, raw=item.raw,
            relative=item.relative, base_year=item.base_year,
        )  # fmt: skip


def indicator_unit(item: pm.Indicator) -> str | None:
    """The indicator's own unit: an absolute target's unit; for a relative target, % when
    the change is in 百分点, else the unit its name is published in (or None: unknown)."""
    if item.relative is None:
        return item.unit
    if RELATIVE_AMOUNT_UNITS[item.relative] in ("百分点", "百分点/年"):
        return "%"
    return unit_of_name(item.name)


def default_monitoring(kind: str) -> str:
    """量化监测 for a target with a number or a direction, 定性评价 otherwise (a user may
    change it, or exclude the target, in the catalogue YAML or from the 监测指标体系)."""
    return "qualitative" if kind == "qualitative" else "quantitative"


def _adopt_unit(ind: db.Indicator, unit: str) -> None:
    """A series that was a direction only takes the unit of the first number met for it."""
    ind.unit = unit
    ind.is_rate = unit in RATE_BASES
    ind.rate_base = RATE_BASES.get(unit)
    ind.lower_limit, ind.upper_limit = natural_limits(unit)


def _insert_ids(session: Session, table: Table, rows: list[Any], params: list[dict[str, Any]]) -> None:
    """Insert ``params`` in one multi-row statement and give each of ``rows`` its new id, in
    the order sent (``sort_by_parameter_order``: ids are assigned in that order too)."""
    if not params:
        return
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), params)
    for row, new_id in zip(rows, result.scalars(), strict=True):
        row.id = new_id


def _spelling(raw: str) -> str:
    return "".join(raw.split())


def outside_monitoring(plan: pm.Plan) -> bool:
    """A document that is not a women's or children's plan (a gazette's 金融业意见).

    A combined 妇女儿童发展规划 the reader could not split by its domains keeps subject
    ``other`` but is still what the monitoring is about, so the title decides too.
    """
    return plan.subject == "other" and "妇女" not in plan.title and "儿童" not in plan.title


def load_catalogue(
    session: Session,
    catalogue: pm.Catalogue,
    *,
    source_file: str | None = None,
    actor: str = "planwatch",
    area: AreaInfo | None = None,
    include_other: bool = False,
) -> LoadSummary:
    """Add every plan of a catalogue to the database, within the caller's transaction.

    ``area`` (the user's ``--area``) places plans that name no area or an ambiguous one.
    Documents of subject ``other`` (a gazette's 金融业意见, 政务公开要点) are not part of the
    women's and children's monitoring: they are skipped and listed in
    ``summary.skipped_other`` unless ``include_other`` says the user wants them as plans of
    their own (``--include-other``).

    Raises LoadError (and the caller's rollback leaves nothing behind) when a plan cannot be
    placed in an area or is already loaded.
    """
    loader = _Loader(session)
    for warning in catalogue.warnings:
        where = f"{warning.file}:{warning.line}" if warning.line else warning.file
        loader.summary.warnings.append(f"{where}：{warning.message}")
    for plan in catalogue.plans:
        if outside_monitoring(plan) and not include_other:
            loader.summary.skipped_other.append(plan.title)
            continue
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
    loader.write_rows()
    session.add(
        db.AuditEvent(
            actor=actor,
            action="catalogue.load",
            entity="plan",
            entity_id=None,
            detail={
                "source_file": source_file,
                "plans": [p.title for p in catalogue.plans if p.title not in loader.summary.skipped_other],
                "skipped_other": loader.summary.skipped_other,
                "target_values": loader.summary.target_values,
                "indicators_created": loader.summary.indicators_created,
                "series_links": loader.summary.series_links,
            },
        )
    )
    session.flush()
    return loader.summary
