"""Loading a catalogue: areas, units named once, shared indicator codes, target values."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.plan.model import Catalogue, Plan
from planwatch.store import models as db
from planwatch.store.catalogue_loader import LoadError, load_catalogue


def _load(session: Session, catalogue: Catalogue) -> None:
    try:
        load_catalogue(session, catalogue, source_file="plans/x.txt", actor="tester")
    except BaseException:
        session.rollback()
        raise
    session.commit()


def test_areas_with_parents(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    areas = {a.code: (a.name, a.level, a.parent_code) for a in session.scalars(select(db.Area))}
    assert areas == {
        "000000": ("全国", "country", None),
        "370000": ("山东省", "province", "000000"),
        "370100": ("济南市", "city", "370000"),
        "370103": ("市中区", "county", "370100"),
        "370400": ("枣庄市", "city", "370000"),
        "370406": ("山亭区", "county", "370400"),
    }


def test_units_named_once_per_area(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    units = {(u.area_code, u.name): sorted(u.aliases) for u in session.scalars(select(db.Unit))}
    assert units[("370103", "区卫生健康局")] == ["区卫健局"]
    assert units[("370103", "区公安分局")] == ["公安市中分局"]
    assert units[("370103", "区发展改革局")] == ["区发展改革委", "区发改局"]
    assert units[("370103", "区教育体育局")] == ["区教体局"]
    # the same canonical name exists once in each area, never shared across areas
    assert ("370406", "区卫生健康局") in units
    names_103 = sorted(name for area, name in units if area == "370103")
    assert names_103 == sorted(
        ["区卫生健康局", "区医保局", "区公安分局", "区总工会", "区妇联", "区教育体育局", "区发展改革局"]
    )


def test_group_phrase_kept_in_note(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    target = session.scalars(select(db.Target).join(db.Domain).where(db.Domain.seq == 1, db.Target.number == 3)).first()
    assert target is not None
    assert target.responsible_units_note == "等区妇儿工委有关成员单位"
    roles = sorted((tu.role, tu.unit.name) for tu in target.units)
    assert roles == [("lead", "区卫生健康局"), ("responsible", "区妇联"), ("responsible", "区总工会")]


def test_indicators_shared_between_areas(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    indicators = {i.name: i for i in session.scalars(select(db.Indicator))}
    assert {n: i.code for n, i in indicators.items()} == {
        "人均预期寿命": "W01-01",
        "孕产妇死亡率": "W01-02",
        "妇女常见病筛查率": "W01-03",
        "孕产妇系统管理率": "W01-04",
    }
    mmr = indicators["孕产妇死亡率"]
    assert (mmr.better, mmr.is_rate, mmr.rate_base, mmr.lower_limit, mmr.upper_limit) == (
        "lower",
        True,
        100000,
        0,
        100000,
    )
    life = indicators["人均预期寿命"]
    assert (life.better, life.unit, life.is_rate, life.rate_base) == ("higher", None, False, None)
    values = sorted(
        (tv.area_code, tv.comparator, tv.value, tv.unit, tv.baseline_year, tv.target_year) for tv in mmr.target_values
    )
    assert values == [
        ("370103", "<=", 8.0, "/10万", 2020, 2025),
        ("370406", "<=", 10.0, "/10万", 2020, 2025),
    ]
    directional = life.target_values[0]
    assert (directional.comparator, directional.value, directional.direction) == (None, None, "increase")


def test_reporters_default_to_lead_units(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    rows = session.execute(
        select(db.Indicator.code, db.IndicatorReporter.area_code, db.Unit.name)
        .join(db.IndicatorReporter, db.IndicatorReporter.indicator_id == db.Indicator.id)
        .join(db.Unit, db.Unit.id == db.IndicatorReporter.unit_id)
        .where(db.IndicatorReporter.area_code == "370103")
    ).all()
    # the measure's indicator falls back to the domain's usual lead unit
    assert sorted(rows) == [
        ("W01-01", "370103", "区卫生健康局"),
        ("W01-02", "370103", "区卫生健康局"),
        ("W01-03", "370103", "区卫生健康局"),
        ("W01-04", "370103", "区卫生健康局"),
    ]


def test_target_kinds(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    kinds = session.execute(
        select(db.Domain.seq, db.Target.number, db.Target.kind)
        .join(db.Target.domain)
        .join(db.Domain.plan)
        .where(db.Plan.area_code == "370103")
    ).all()
    assert sorted(kinds) == [
        (1, 1, "directional"),
        (1, 2, "quantitative"),
        (1, 3, "quantitative"),
        (2, 1, "qualitative"),
    ]


def test_loading_more_plans_keeps_codes(session: Session, two_area_catalogue: Catalogue) -> None:
    first, second = two_area_catalogue.plans
    _load(session, Catalogue(plans=[first]))
    before = dict(session.execute(select(db.Indicator.name, db.Indicator.code)).all())
    extra = second.model_copy(deep=True)
    extra.domains[0].measures[0].indicators[0].name = "新指标"
    _load(session, Catalogue(plans=[extra]))
    after = dict(session.execute(select(db.Indicator.name, db.Indicator.code)).all())
    assert {k: after[k] for k in before} == before
    assert after["新指标"] == "W01-05"


def test_duplicate_plan_refused_and_nothing_written(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, Catalogue(plans=[two_area_catalogue.plans[0]]))
    count = session.scalar(select(func.count()).select_from(db.TargetValue))
    with pytest.raises(LoadError, match="已在数据库中"):
        _load(session, two_area_catalogue)  # second plan fine, first a duplicate
    assert session.scalar(select(func.count()).select_from(db.TargetValue)) == count
    assert session.scalar(select(func.count()).select_from(db.Plan)) == 1


def test_unplaceable_plan_refused(session: Session, two_area_catalogue: Catalogue) -> None:
    plan: Plan = two_area_catalogue.plans[0].model_copy(
        update={"region": "市中区", "issuer": "市中区人民政府", "title": "“十四五”妇女发展规划"}
    )
    with pytest.raises(LoadError, match="不唯一"):
        _load(session, Catalogue(plans=[plan]))
    assert session.scalar(select(func.count()).select_from(db.Area)) == 0


def test_load_is_audited(session: Session, two_area_catalogue: Catalogue) -> None:
    _load(session, two_area_catalogue)
    event = session.scalars(select(db.AuditEvent)).one()
    assert (event.actor, event.action) == ("tester", "catalogue.load")
    assert event.at.tzinfo is not None
    assert event.detail["target_values"] == 8
