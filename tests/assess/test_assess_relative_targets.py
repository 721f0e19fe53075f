"""Relative targets through the whole path: plan text → database → catalogue YAML → assessment.

儿童意外伤害死亡率以2020年为基数下降20% is a ceiling of 0.8 × the 2020 rate of the same area;
the assessment resolves it from the approved 2020 figure, or from the baseline a statistics
office entered in the catalogue, and says so; without either it is 数据不足.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
import yaml
from migrated_db import PreparedDatabases
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.assess import assess
from planwatch.assess.inputs import load_inputs
from planwatch.collect.catalogue import target_texts
from planwatch.plan.reader import read_text
from planwatch.store import models as db
from planwatch.store.catalogue_export import export_catalogue
from planwatch.store.catalogue_import import import_catalogue
from planwatch.store.catalogue_loader import load_catalogue

PLAN = """\
济南市市中区人民政府文件
市中政发〔2022〕7号
济南市市中区人民政府关于印发济南市市中区“十四五”儿童发展规划的通知
各街道办事处，区政府各部门：
现将《济南市市中区“十四五”儿童发展规划》印发给你们，请认真组织实施。
济南市市中区人民政府
2022年3月1日
济南市市中区“十四五”儿童发展规划
一、总体目标
儿童全面发展取得明显进展。
二、发展领域、主要目标和策略措施
（一）儿童与健康。
1.主要目标。
（1）减少儿童伤害所致死亡和残疾。儿童意外伤害死亡率以2020年为基数下降20%。（牵头单位：区卫生健康局）
（2）儿童总体近视率平均每年降低1个百分点以上。（牵头单位：区教育体育局）
（3）学前教育毛入园率达到70%。（牵头单位：区教育体育局）
2.策略措施。
（1）加强儿童伤害防控。
三、组织实施
（一）加强组织领导。各部门落实责任。
"""


def _load(session: Session) -> None:
    catalogue = read_text(PLAN, source="plan.txt")
    assert catalogue.warnings == []
    load_catalogue(session, catalogue, actor="loader")
    session.commit()
    # the catalogue YAML round trip keeps the relative targets as they are
    text = export_catalogue(session)
    assert import_catalogue(session, text, actor="统计局") == []
    session.commit()


@pytest.fixture
def loaded(db_url: str, prepared_databases: PreparedDatabases) -> Iterator[Session]:
    """The plan loaded and its catalogue YAML round-tripped: done (and checked) for real the
    first time on each backend in this worker, then copied for the later tests (the same rows,
    ids and sequences; the loading is the same every time)."""
    with prepared_databases.session(db_url, f"relative targets {PLAN}", _load) as session:
        yield session


def _figures(session: Session, name: str, values: dict[int, float]) -> None:
    ind = session.scalars(select(db.Indicator).where(db.Indicator.name == name)).one()
    unit = session.scalars(select(db.Unit).where(db.Unit.name == "区卫生健康局")).one()
    for year, value in values.items():
        sub = db.Submission(area_code="370103", unit_id=unit.id, year=year, state="approved",
                            created_by="test")
        sub.observations.append(db.Observation(indicator_id=ind.id, area_code="370103", year=year,
                                               breakdown="total", value=value))
        session.add(sub)
    session.commit()


def _row(frame: pl.DataFrame, name: str) -> dict[str, object]:
    (row,) = frame.filter(pl.col("indicator_name") == name).iter_rows(named=True)
    return row


def test_the_reader_keeps_the_real_indicator(loaded: Session) -> None:
    names = set(loaded.scalars(select(db.Indicator.name)))
    assert {"儿童意外伤害死亡率", "儿童总体近视率", "学前教育毛入园率"} <= names
    assert not [n for n in names if "基数" in n or n.endswith("降低")]
    data = yaml.safe_load(export_catalogue(loaded))
    (injury,) = [i for i in data["indicators"] if i["name"] == "儿童意外伤害死亡率"]
    assert (injury["targets"][0]["relative"], injury["targets"][0]["base_year"]) == ("percent", 2020)


def test_base_year_figure_known(loaded: Session) -> None:
    _figures(loaded, "儿童意外伤害死亡率", {2020: 4.2, 2021: 3.9, 2022: 3.5, 2023: 3.3})
    inputs = load_inputs(loaded)
    row = _row(inputs.targets, "儿童意外伤害死亡率")
    assert (row["comparator"], row["target_value"], row["unit"]) == ("<=", 3.36, "/10万")
    assert row["target_rule"] == "2020年为4.2/10万，下降20%即不高于3.36/10万"
    result = assess(inputs.observations, inputs.targets, 2023)
    got = _row(result, "儿童意外伤害死亡率")
    assert got["status"] == "已实现"
    assert got["reason"] == "2023年为3.3/10万，已达到目标（2020年为4.2/10万，下降20%即不高于3.36/10万）"
    # one unit of the last printed digit above the bound is not met
    _figures(loaded, "儿童意外伤害死亡率", {2024: 3.37})
    inputs = load_inputs(loaded)
    assert _row(assess(inputs.observations, inputs.targets, 2024), "儿童意外伤害死亡率")["status"] != "已实现"


def test_bound_exactly_on_the_resolved_target_is_met(loaded: Session) -> None:
    _figures(loaded, "儿童意外伤害死亡率", {2020: 4.2, 2023: 3.36})
    inputs = load_inputs(loaded)
    assert _row(assess(inputs.observations, inputs.targets, 2023), "儿童意外伤害死亡率")["status"] == "已实现"


def test_base_year_figure_missing(loaded: Session) -> None:
    _figures(loaded, "儿童意外伤害死亡率", {2021: 3.9, 2022: 3.5, 2023: 3.3})
    inputs = load_inputs(loaded)
    row = _row(inputs.targets, "儿童意外伤害死亡率")
    assert row["target_value"] is None
    assert row["target_rule"] == "以2020年为基数下降20%，但2020年基数数据缺失，无法换算目标值"
    got = _row(assess(inputs.observations, inputs.targets, 2023), "儿童意外伤害死亡率")
    assert got["status"] == "数据不足"
    assert "2020年基数数据缺失" in got["reason"]
    assert got["reason"].startswith("2023年为3.3/10万")


def test_base_from_the_catalogue_baseline(loaded: Session) -> None:
    """A 2020 figure published before collection began, entered in the catalogue YAML."""
    _figures(loaded, "儿童意外伤害死亡率", {2021: 3.9, 2023: 3.3})
    data = yaml.safe_load(export_catalogue(loaded))
    (injury,) = [i for i in data["indicators"] if i["name"] == "儿童意外伤害死亡率"]
    injury["targets"][0]["baseline"] = 5.0
    import_catalogue(loaded, yaml.safe_dump(data, allow_unicode=True), actor="统计局")
    loaded.commit()
    row = _row(load_inputs(loaded).targets, "儿童意外伤害死亡率")
    assert (row["target_value"], row["target_rule"]) == (4.0, "2020年为5/10万，下降20%即不高于4/10万")


def test_annual_points_from_the_plan_baseline_year(loaded: Session) -> None:
    _figures(loaded, "儿童总体近视率", {2020: 60.0, 2022: 57.5, 2023: 56.0})
    inputs = load_inputs(loaded)
    row = _row(inputs.targets, "儿童总体近视率")
    assert (row["comparator"], row["target_value"]) == ("<=", 55.0)
    assert row["target_rule"] == "2020年为60%，平均每年下降1个百分点至2025年即不高于55%"


def test_reaching_70_is_a_floor(loaded: Session) -> None:
    """学前教育毛入园率达到70%: 85.2 % is beyond the target, not a deviation from it."""
    _figures(loaded, "学前教育毛入园率", {2020: 80.0, 2022: 83.0, 2023: 85.2})
    inputs = load_inputs(loaded)
    got = _row(assess(inputs.observations, inputs.targets, 2023), "学前教育毛入园率")
    assert (got["comparator"], got["target_value"], got["status"]) == (">=", 70.0, "已实现")
    assert got["reason"] == "2023年为85.2%，已达到目标（不低于70%）"


def test_templates_state_the_relative_target_as_the_plan_does(loaded: Session) -> None:
    ids = {i.name: i.id for i in loaded.scalars(select(db.Indicator))}
    texts = target_texts(loaded, "370103", [ids["儿童意外伤害死亡率"], ids["儿童总体近视率"]])
    assert texts == {
        ids["儿童意外伤害死亡率"]: "以2020年为基数下降20%（2025年）",
        ids["儿童总体近视率"]: "自2020年起平均每年下降1个百分点（2025年）",
    }
