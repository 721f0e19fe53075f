"""Reading the catalogue tables into the plain specs that templates and rules use.

Indicators that share a series (:mod:`planwatch.store.series`) are collected as one: a
unit that reports any of them is asked for the series, under the series' code, and the
template's target column lists the target of every plan it serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, aliased

from planwatch.collect import breakdowns as bd
from planwatch.collect.context import IndicatorSpec
from planwatch.collect.template_key import template_key
from planwatch.collect.units import name_matches
from planwatch.plan.semantics import describe_relative
from planwatch.store.models import Area, Indicator, Plan, TargetValue, Unit
from planwatch.store.monitoring import uncollected_indicator_ids
from planwatch.store.reporters import holds_in, reporter_spans, reporters_in

COMPARATOR_TEXT = {
    "<=": "≤",
    "<": "<",
    ">=": "≥",
    ">": ">",
    "=": "=",
    "~": "约",
    "maintain": "保持",
}
DIRECTION_TEXT = {
    "increase": "逐步提高",
    "decrease": "逐步下降",
    "maintain": "保持稳定",
    "eliminate": "基本消除",
}


MEMBER = aliased(Indicator, name="member")
SERIES_OF_MEMBER = func.coalesce(MEMBER.series_id, MEMBER.id)
"""The id of the series an indicator (``MEMBER``) is collected under."""

SUBJECT_PLAN = {"women": "妇女规划", "children": "儿童规划"}


class IndicatorFacts(Protocol):
    """What :func:`indicator_spec` reads: an ``Indicator`` or a row of its table."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def better(self) -> str: ...
    @property
    def is_rate(self) -> bool: ...
    @property
    def rate_base(self) -> float | None: ...
    @property
    def lower_limit(self) -> float | None: ...
    @property
    def upper_limit(self) -> float | None: ...
    @property
    def subject(self) -> str: ...
    @property
    def breakdowns(self) -> list[Any]: ...


_INDICATOR_ROWS = cast(Table, Indicator.__table__)
"""The indicator table: its rows give :func:`indicator_spec` what it reads without the ORM's
per-object bookkeeping (every import and template reads the whole catalogue)."""


def indicator_spec(ind: IndicatorFacts, series: str | None = None) -> IndicatorSpec:
    return IndicatorSpec(
        id=ind.id,
        code=ind.code,
        name=ind.name,
        unit=ind.unit,
        better=ind.better,
        is_rate=bool(ind.is_rate),
        rate_base=ind.rate_base,
        lower_limit=ind.lower_limit,
        upper_limit=ind.upper_limit,
        subject=ind.subject,
        dims=tuple(bd.dimensions(list(ind.breakdowns or []), ind.subject)),
        series=series,
    )


def all_indicators(session: Session) -> dict[str, IndicatorSpec]:
    inds = session.execute(select(_INDICATOR_ROWS)).all()
    codes = {i.id: i.code for i in inds}
    return {
        i.code: indicator_spec(i, codes.get(i.series_id) if i.series_id is not None else None)
        for i in inds
    }


def assigned_indicators(
    session: Session, area_code: str, unit_id: int, year: int | None = None
) -> list[IndicatorSpec]:
    """The series a unit reports in an area, in catalogue (code) order.

    A unit assigned to any indicator of a shared series is asked for the series once; only
    indicators the area monitors by figures count (see
    :func:`planwatch.store.monitoring.uncollected_indicator_ids`). ``year``: the assignments
    that hold in that data year (:func:`planwatch.store.reporters.reporters_in`: a retired
    unit's for the years before its retirement, its successor's from then); None: as they
    stand now.
    """
    skipped = uncollected_indicator_ids(session, area_code)
    held = reporters_in(year)
    ids = (
        select(SERIES_OF_MEMBER)
        .join(held, held.c.indicator_id == MEMBER.id)
        .where(held.c.area_code == area_code, held.c.unit_id == unit_id)
        .where(MEMBER.id.not_in(skipped))
    )
    t = _INDICATOR_ROWS
    q = select(t).where(t.c.id.in_(ids)).order_by(t.c.code)
    return [indicator_spec(i) for i in session.execute(q)]


@dataclass(frozen=True)
class UnitEntry:
    """A unit as the import sees it: enough to recognise it and to know what it reports."""

    id: int
    area_code: str
    name: str
    aliases: tuple[str, ...]
    spans: tuple[tuple[str, int | None, int | None], ...] = ()
    """(series code, since year, until year) of every assignment the unit held in its area;
    a year of None leaves that end open (see :mod:`planwatch.store.reporters`)."""
    retired_from: int | None = None
    """The first data year the unit no longer reports (None: active)."""
    successor: str | None = None
    """The name of the unit that took a retired unit's work over."""

    def answers_to(self, name: str) -> bool:
        return name_matches(self.name, self.aliases, name)

    def assigned_in(self, year: int) -> frozenset[str]:
        """Codes of the series this unit reports in its area for data of ``year``."""
        return frozenset(code for code, since, until in self.spans if holds_in(since, until, year))

    def retired_by(self, year: int) -> bool:
        """True when the unit no longer reports data of ``year``."""
        return self.retired_from is not None and year >= self.retired_from


@dataclass(frozen=True)
class AreaEntry:
    code: str
    full_name: str
    units: tuple[UnitEntry, ...]
    """in id order, so the first unit answering to a name is always the same one."""

    def unit_by_id(self, unit_id: int) -> UnitEntry | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def unit_named(self, name: str) -> UnitEntry | None:
        return next((u for u in self.units if u.answers_to(name)), None)


@dataclass
class ImportCatalogue:
    """The catalogue facts an import checks files against, read once per import call.

    A province imports thousands of files whose areas, units and assignments are the same
    few hundred rows; reading them per file was most of the cost of an import. The
    catalogue changes only when plans or the catalogue YAML are loaded, never while data
    is collected, so one snapshot serves all files of one ``import_files`` call. Each area
    is read (three small queries) the first time a file names it.
    """

    indicators: dict[str, IndicatorSpec]
    unit_labels: dict[str, str] = field(init=False)
    """indicator code → unit of measure, for the readers' per-cent and per-mille parsing."""
    _areas: dict[str, AreaEntry | None] = field(default_factory=dict, init=False)
    _key: bytes | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.unit_labels = {code: s.unit_label for code, s in self.indicators.items()}

    def series_code(self, code: str) -> str:
        """The code a figure reported under ``code`` is stored under."""
        spec = self.indicators.get(code)
        return spec.series if spec is not None and spec.series is not None else code

    @classmethod
    def load(cls, session: Session) -> ImportCatalogue:
        return cls(all_indicators(session))

    def template_key(self, session: Session) -> bytes:
        """The workspace's template key (:mod:`planwatch.collect.template_key`), read with the
        first file: it is made once with the workspace, like the catalogue it signs."""
        if self._key is None:
            self._key = template_key(session)
        return self._key

    def area(self, session: Session, code: str) -> AreaEntry | None:
        """The area with its units, or None when no area has that code."""
        if code not in self._areas:
            self._areas[code] = _read_area(session, code)
        return self._areas[code]


def _read_area(session: Session, code: str) -> AreaEntry | None:
    row = session.execute(select(Area.full_name).where(Area.code == code)).first()
    if row is None:
        return None
    successor = aliased(Unit, name="successor")
    rows = session.execute(
        select(Unit.id, Unit.name, Unit.aliases, Unit.retired_from, successor.name)
        .outerjoin(successor, successor.id == Unit.successor_id)
        .where(Unit.area_code == code).order_by(Unit.id)
    ).all()
    spans: dict[int, set[tuple[str, int | None, int | None]]] = {}
    if rows:
        # By unit (indexed) rather than by area, which the reporter key does not lead with.
        # Every assignment the units ever held, with its years: one import call meets files
        # of several years, each checked against the assignments of its own year.
        held = reporter_spans()
        for unit_id, ind_code, since, until in session.execute(
            select(held.c.unit_id, Indicator.code, held.c.since_year, held.c.until_year)
            .join(MEMBER, MEMBER.id == held.c.indicator_id)
            .join(Indicator, Indicator.id == SERIES_OF_MEMBER)
            .where(held.c.unit_id.in_([r[0] for r in rows]),
                   held.c.area_code == code,
                   Indicator.id.not_in(uncollected_indicator_ids(session, code)))
        ):
            spans.setdefault(unit_id, set()).add((ind_code, since, until))
    units = tuple(
        UnitEntry(id=uid, area_code=code, name=name, aliases=tuple(aliases or ()),
                  spans=tuple(sorted(spans.get(uid, ()), key=_span_order)),
                  retired_from=retired_from, successor=successor_name)
        for uid, name, aliases, retired_from, successor_name in rows
    )
    return AreaEntry(code=code, full_name=row[0], units=units)


def _span_order(span: tuple[str, int | None, int | None]) -> tuple[str, int, int]:
    code, since, until = span
    return code, since if since is not None else -1, until if until is not None else 10**6


def target_texts(session: Session, area_code: str, indicator_ids: list[int]) -> dict[int, str]:
    """series id → the plans' targets for this area, e.g. ``≤8/10万（2025年）``.

    A shared series names each target it serves with its indicator and plan
    (``C03-04 儿童规划 保持100%（2025年）；W02-12 妇女规划 ≥98%（2025年）``), so the unit sees
    that one figure answers both.
    """
    if not indicator_ids:
        return {}
    q = (
        select(SERIES_OF_MEMBER, MEMBER.code, Plan.subject, Plan.title, *_DESCRIBED)
        .join(MEMBER, MEMBER.id == TargetValue.indicator_id)
        .join(Plan, Plan.id == TargetValue.plan_id)
        .where(TargetValue.area_code == area_code, SERIES_OF_MEMBER.in_(indicator_ids))
        .order_by(MEMBER.code, TargetValue.id)
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for series_id, code, subject, title, *facts in session.execute(q):
        tv = TargetValueFacts(*facts)
        entry = (f"{code} {SUBJECT_PLAN.get(subject, f'《{title}》')}", describe_target(tv))
        if entry not in out.setdefault(series_id, []):
            out[series_id].append(entry)
    texts: dict[int, str] = {}
    for series_id, entries in out.items():
        shared = len({label for label, _ in entries}) > 1
        texts[series_id] = "；".join(f"{label} {text}" if shared else text for label, text in entries)
    return texts


class TargetValueFacts(NamedTuple):
    """What :func:`describe_target` reads of a target value, read as columns (``_DESCRIBED``)."""

    comparator: str | None
    value: float | None
    direction: str | None
    unit: str | None
    target_year: int
    baseline_year: int
    relative: str | None
    base_year: int | None


_DESCRIBED = (TargetValue.comparator, TargetValue.value, TargetValue.direction, TargetValue.unit,
              TargetValue.target_year, TargetValue.baseline_year, TargetValue.relative,
              TargetValue.base_year)


def describe_target(tv: TargetValue | TargetValueFacts) -> str:
    if tv.relative is not None and tv.value is not None:  # 以2020年为基数下降20%（2025年）
        base_year = tv.base_year if tv.base_year is not None else tv.baseline_year
        return f"{describe_relative(tv.relative, tv.value, base_year)}（{tv.target_year}年）"
    if tv.comparator is not None and tv.value is not None:
        comparator = COMPARATOR_TEXT.get(tv.comparator, tv.comparator)
        return f"{comparator}{tv.value:g}{tv.unit or ''}（{tv.target_year}年）"
    return f"{DIRECTION_TEXT.get(tv.direction or '', tv.direction or '')}（{tv.target_year}年）"
