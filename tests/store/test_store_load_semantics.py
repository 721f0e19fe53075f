"""Loading targets with their meaning: better direction, ranges, relative targets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.plan.model import Catalogue, Target
from planwatch.plan.quantities import extract_indicators
from planwatch.store import models as db
from planwatch.store.catalogue_loader import LoadSummary, load_catalogue
from tests.store.conftest import make_plan


def _load(session: Session, *texts: str) -> LoadSummary:
    plan = make_plan("济南市市中区", subject="children")
    plan.domains[0].targets = [
        Target(number=n, text=t, lead_units=["区卫生健康局"], indicators=extract_indicators(t))
        for n, t in enumerate(texts, start=1)
    ]
    summary = load_catalogue(session, Catalogue(plans=[plan]))
    session.flush()
    return summary


def _indicator(session: Session, name: str) -> db.Indicator:
    return session.scalars(select(db.Indicator).where(db.Indicator.name == name)).one()


def test_better_of_maintain_and_band_targets_comes_from_the_name(session: Session) -> None:
    summary = _load(
        session,
        "九年义务教育巩固率保持在98%。",
        "孕产妇死亡率保持在8/10万。",
        "高级专业技术人员中的女性比例达到40%左右。",
        "人均住房面积保持在40平方米。",
    )
    assert _indicator(session, "九年义务教育巩固率").better == "higher"
    assert _indicator(session, "孕产妇死亡率").better == "lower"
    assert _indicator(session, "高级专业技术人员中的女性比例").better == "higher"
    assert _indicator(session, "人均住房面积").better == "hold"  # the lexicon does not know it
    assert not [w for w in summary.warnings if "意味着" in w]


def test_lexicon_against_comparator_is_a_warning_and_the_plan_wins(session: Session) -> None:
    summary = _load(session, "孕产妇死亡率不低于8/10万。", "九年义务教育巩固率达到98%。")
    assert _indicator(session, "孕产妇死亡率").better == "higher"
    assert _indicator(session, "九年义务教育巩固率").better == "higher"
    (warning,) = [w for w in summary.warnings if "意味着" in w]
    assert "孕产妇死亡率" in warning and "越低越好" in warning and "主要目标(1)" in warning


def test_a_range_is_two_target_values_of_one_target(session: Session) -> None:
    summary = _load(session, "出生人口性别比保持在103—107之间。")
    ind = _indicator(session, "出生人口性别比")
    assert ind.better == "hold"
    assert sorted((tv.comparator, tv.value) for tv in ind.target_values) == [("<=", 107), (">=", 103)]
    assert len({tv.target_id for tv in ind.target_values}) == 1
    assert not [w for w in summary.warnings if "方向" in w or "意味着" in w]


def test_relative_targets_keep_their_meaning_and_the_indicator_its_unit(session: Session) -> None:
    summary = _load(
        session,
        "儿童意外伤害死亡率以2020年为基数下降20%。",
        "儿童总体近视率平均每年降低1个百分点以上。",
        "托育机构数年均增长3%。",
    )
    injury = _indicator(session, "儿童意外伤害死亡率")
    assert (injury.unit, injury.better, injury.is_rate, injury.rate_base) == ("/10万", "lower", True, 100_000)
    (tv,) = injury.target_values
    assert (tv.relative, tv.base_year, tv.comparator, tv.value, tv.unit) == ("percent", 2020, "<=", -20, "%")
    myopia = _indicator(session, "儿童总体近视率")
    assert myopia.unit == "%"
    (tv,) = myopia.target_values
    assert (tv.relative, tv.base_year, tv.baseline_year, tv.value) == ("annual_points", None, 2020, -1)
    nurseries = _indicator(session, "托育机构数")
    assert nurseries.unit is None  # % is the growth rate's unit, not the count's
    (warning,) = [w for w in summary.warnings if "计量单位" in w]
    assert "托育机构数" in warning and "年均增长3%" in warning
