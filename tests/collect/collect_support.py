"""A small hand-made catalogue for collection tests (one district, three units, six indicators).

Built directly with the store's models rather than from a plan document, so collection
tests neither depend on the plan reader nor slow down with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from pathlib import Path

import pytest
from migrated_db import PreparedDatabases
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from planwatch.collect.fill import Figure, fill_template
from planwatch.collect.template import TemplateSpec, template_spec, write_template
from planwatch.store import models as m
from planwatch.store.db import make_engine, make_sessionmaker

AREA = "370103"
HEALTH = "区卫生健康局"
EDUCATION = "区教育体育局"
STATS = "区统计局"

INDICATORS = [
    # code, name, unit, better, rate_base, breakdowns, subject, lower, upper
    ("W01-01", "孕产妇死亡率", "/10万", "lower", 100_000.0, [], "women", None, None),
    ("W01-02", "妇女常见病筛查率", "%", "higher", 100.0, ["residence"], "women", None, None),
    ("W01-03", "妇女参加职业技能培训人数", "人", "higher", None, ["residence"], "women", 0.0, None),
    ("W01-04", "妇女人均预期寿命", "岁", "higher", None, [], "women", 40.0, 110.0),
    ("C01-01", "婴儿死亡率", "‰", "lower", 1000.0, ["sex"], "children", None, None),
    ("C02-01", "学前三年毛入园率", "%", "higher", 100.0, [], "children", None, None),
]
ASSIGNMENTS = {
    HEALTH: ["W01-01", "W01-02", "W01-04", "C01-01", "C02-01"],
    EDUCATION: ["W01-03", "C02-01"],
}
TARGETS = {"W01-01": ("<=", 8.0), "W01-02": (">=", 85.0), "C01-01": ("<=", 3.0)}


@dataclass
class Catalogue:
    factory: sessionmaker[Session]
    units: dict[str, int]
    indicators: dict[str, int]

    def unit(self, name: str) -> m.Unit:
        with self.factory() as s:
            unit = s.get(m.Unit, self.units[name])
            assert unit is not None
            return unit


def seed(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    session.add_all([
        m.Area(code="370000", name="山东省", full_name="山东省", level="province"),
        m.Area(code="370100", name="济南市", full_name="山东省济南市", level="city",
               parent_code="370000"),
        m.Area(code=AREA, name="市中区", full_name="济南市市中区", level="county",
               parent_code="370100"),
    ])
    session.flush()
    units = {}
    for name in (HEALTH, EDUCATION, STATS):
        u = m.Unit(area_code=AREA, name=name, aliases=["区卫健局"] if name == HEALTH else [])
        session.add(u)
        session.flush()
        units[name] = u.id
    plan = m.Plan(area_code=AREA, title="测试规划", subject="women", period_start=2021,
                  period_end=2025)
    domain = m.Domain(plan=plan, seq=1, name="妇女与健康")
    target = m.Target(domain=domain, number=1, text="测试目标", kind="quantitative")
    session.add_all([plan, domain, target])
    session.flush()
    indicators = {}
    for code, name, unit, better, base, breakdowns, subject, lo, hi in INDICATORS:
        ind = m.Indicator(code=code, name=name, unit=unit, better=better, is_rate=base is not None,
                          rate_base=base, breakdowns=breakdowns, subject=subject,
                          lower_limit=lo, upper_limit=hi)
        session.add(ind)
        session.flush()
        indicators[code] = ind.id
        if code in TARGETS:
            comp, value = TARGETS[code]
            session.add(m.TargetValue(indicator_id=ind.id, area_code=AREA, plan_id=plan.id,
                                      target_id=target.id, comparator=comp, value=value,
                                      unit=unit, target_year=2025, baseline_year=2020,
                                      raw=f"{name}{comp}{value}"))
    for unit_name, codes in ASSIGNMENTS.items():
        for code in codes:
            session.add(m.IndicatorReporter(indicator_id=indicators[code], area_code=AREA,
                                            unit_id=units[unit_name]))
    session.flush()
    return units, indicators


def _catalogue(engine: Engine) -> Catalogue:
    """The catalogue seeded into a database already migrated to head."""
    factory = make_sessionmaker(engine)
    with factory() as s, s.begin():
        units, indicators = seed(s)
    return Catalogue(factory, units, indicators)


@pytest.fixture
def cat(tmp_path: Path, prepared_databases: PreparedDatabases) -> Iterator[Catalogue]:
    """The catalogue on SQLite only: for rule and format tests. Seeded once per worker and
    copied (prepared_databases): seeding costs a flush per row, a copy next to nothing."""
    url = f"sqlite:///{tmp_path / 'collect.sqlite'}"
    units, indicators = prepared_databases.make(url, "collect_support.seed", seed)
    engine = make_engine(url)
    try:
        yield Catalogue(make_sessionmaker(engine), dict(units), dict(indicators))
    finally:
        engine.dispose()


@pytest.fixture
def cat_any(engine: Engine) -> Catalogue:
    """The catalogue on each backend (SQLite and PostgreSQL)."""
    return _catalogue(engine)


GOOD_HEALTH: dict[tuple[str, str], Figure] = {
    ("W01-01", "total"): Figure(9.0, 1, 11111),
    ("W01-02", "total"): Figure(80.0, 800, 1000),
    ("W01-02", "residence=urban"): Figure(85.0, 510, 600),
    ("W01-02", "residence=rural"): Figure(72.5, 290, 400),
    ("W01-04", "total"): Figure(80.5),
    ("C01-01", "total"): Figure(3.5, 35, 10000),
    ("C01-01", "sex=female"): Figure(3.0, 15, 5000),
    ("C01-01", "sex=male"): Figure(4.0, 20, 5000),
    ("C02-01", "total"): Figure(95.0, 950, 1000),
}
"""A health bureau workbook that passes every rule."""


def _spec(cat: Catalogue, unit: str, year: int) -> TemplateSpec:
    with cat.factory() as s:
        u = s.scalars(select(m.Unit).where(m.Unit.id == cat.units[unit])).one()
        return template_spec(s, u, year)


def make_template(cat: Catalogue, unit: str, year: int, out_dir: Path) -> Path:
    return write_template(_spec(cat, unit, year), out_dir / f"{unit}-{year}-template.xlsx")


def filled(
    cat: Catalogue,
    tmp_path: Path,
    figures: dict[tuple[str, str], Figure] | None = None,
    *,
    unit: str = HEALTH,
    year: int = 2023,
    name: str = "filled.xlsx",
) -> Path:
    """A template for ``unit`` and ``year`` filled with ``figures`` (default: all good).

    Figures that are all plain numbers on rows of the template are written with the template
    itself (``write_template(..., figures)``: the same cells, one write instead of writing the
    blank template, opening it and saving it again); text, which fill_template types as a
    clerk would (``=…`` a formula), and rows the template lacks (its KeyError) go the long way.
    """
    figs = GOOD_HEALTH if figures is None else figures
    spec = _spec(cat, unit, year)
    rows = {(r.indicator.code, r.breakdown) for r in spec.rows}
    if set(figs) <= rows and all(_plain_number(v) for f in figs.values() for v in astuple(f)):
        return write_template(spec, tmp_path / name, figs)
    tpl = write_template(spec, tmp_path / f"{unit}-{year}-template.xlsx")
    return fill_template(tpl, figs, tmp_path / name)


def _plain_number(value: object) -> bool:
    """Empty, or a finite int or float: what fill_template and write_template put alike."""
    return value is None or (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value))


def fresh_engine(cat: Catalogue) -> Engine:
    """A second engine on the catalogue's database: what another process would see."""
    bind = cat.factory.kw["bind"]
    return make_engine(bind.url.render_as_string(hide_password=False))


def stored_state(cat: Catalogue, unit: str = HEALTH) -> tuple[list[tuple[int, str]], dict[str, float], int]:
    """(revision, state) of the unit's submissions, W01-04's value per revision and the number of
    import audit rows — read through a fresh engine, so nothing a test session holds back or
    rolls back can hide a write."""
    engine = fresh_engine(cat)
    try:
        with make_sessionmaker(engine)() as s:
            subs = [(r.revision, r.state) for r in s.scalars(
                select(m.Submission).where(m.Submission.unit_id == cat.units[unit])
                .order_by(m.Submission.revision))]
            values = {
                str(rev): value for rev, value in s.execute(
                    select(m.Submission.revision, m.Observation.value)
                    .join(m.Observation, m.Observation.submission_id == m.Submission.id)
                    .where(m.Submission.unit_id == cat.units[unit],
                           m.Observation.indicator_id == cat.indicators["W01-04"]))
            }
            imports = s.scalar(select(func.count()).select_from(m.AuditEvent)
                               .where(m.AuditEvent.action == "submission.import")) or 0
        return subs, values, imports
    finally:
        engine.dispose()
