"""Catalogue YAML: round trip, edits applied and audited, bad edits refused whole."""

from __future__ import annotations

from collections.abc import Iterator

import fast_yaml
import pytest
from fresh_look import fresh_export, refused
from migrated_db import PreparedDatabases
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.plan.model import Catalogue, Target
from planwatch.plan.quantities import extract_indicators
from planwatch.store import models as db
from planwatch.store.catalogue_export import export_catalogue
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.catalogue_loader import load_catalogue


def _apply(session: Session, text: str) -> list[object]:
    try:
        changes = import_catalogue(session, text, actor="统计局张三", source="edit.yaml")
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return list(changes)


def _indicator(data: dict, code: str) -> dict:
    return next(i for i in data["indicators"] if i["code"] == code)


def test_round_trip_is_identical(loaded: Session) -> None:
    first = export_catalogue(loaded)
    assert _apply(loaded, first) == []
    assert export_catalogue(loaded) == first
    data = fast_yaml.safe_load(first)
    mmr = _indicator(data, "W01-02")
    assert mmr["name"] == "孕产妇死亡率"
    assert mmr["reporters"] == {"370103": ["区卫生健康局"], "370406": ["区卫生健康局"]}
    assert [(t["area"], t["ref"], t["value"], t["year"], t["baseline_year"]) for t in mmr["targets"]] == [
        ("370103", "2021-2025/D1/T2", 8, 2025, 2020),
        ("370406", "2021-2025/D1/T2", 10, 2025, 2020),
    ]


def test_edits_applied_and_audited(loaded: Session) -> None:
    data = fast_yaml.safe_load(export_catalogue(loaded))
    mmr = _indicator(data, "W01-02")
    mmr["definition"] = "每10万活产数中孕产妇死亡数"
    mmr["breakdowns"] = ["residence", "sex"]
    mmr["reporters"]["370103"] = ["区卫健局", "区妇联"]  # an alias is accepted
    mmr["targets"][0]["baseline"] = 9.5
    mmr["targets"][1]["baseline_year"] = 2019
    _indicator(data, "W01-01")["better"] = "hold"
    changes = _apply(loaded, fast_yaml.safe_dump(data, allow_unicode=True))
    assert len(changes) == 6
    ind = loaded.scalars(select(db.Indicator).where(db.Indicator.code == "W01-02")).one()
    assert ind.definition == "每10万活产数中孕产妇死亡数"
    assert ind.breakdowns == ["sex", "residence"]
    reporters = sorted((r.area_code, r.unit.name) for r in ind.reporters)
    assert reporters == [("370103", "区卫生健康局"), ("370103", "区妇联"), ("370406", "区卫生健康局")]
    values = {tv.area_code: (tv.baseline_value, tv.baseline_year) for tv in ind.target_values}
    assert values == {"370103": (9.5, 2020), "370406": (None, 2019)}
    event = loaded.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.import")).one()
    assert event.actor == "统计局张三"
    assert {c["path"] for c in event.detail["changes"]} >= {"indicators[1].definition"}
    # and the edited state round-trips too
    again = export_catalogue(loaded)
    assert _apply(loaded, again) == []
    assert export_catalogue(loaded) == again


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (lambda d: d["indicators"][1].update(code="W99-99"), "indicators[1].code", "未知的指标代码"),
        (lambda d: d["indicators"][1].update(better="up"), "indicators[1].better", "应为"),
        (
            lambda d: d["indicators"][1]["targets"][0].update(baseline="八"),
            "indicators[1].targets[0].baseline",
            "应为数值",
        ),
        (lambda d: d["indicators"][1].update(breakdowns=["gender"]), "indicators[1].breakdowns[0]", "应为"),
        (
            lambda d: d["indicators"][1]["reporters"].update({"370103": ["区不存在局"]}),
            "indicators[1].reporters.370103[0]",
            "没有此单位",
        ),
        (
            lambda d: d["indicators"][1]["reporters"].update({"110000": ["区卫生健康局"]}),
            "indicators[1].reporters.110000",
            "未知的地区代码",
        ),
        (lambda d: d["indicators"][1].update(name="改名"), "indicators[1].name", "只读"),
        (lambda d: d["indicators"][1]["targets"][0].update(raw="改写"), "indicators[1].targets[0].raw", "只读"),
        (lambda d: d["indicators"][1]["targets"][0].update(value="七"), "indicators[1].targets[0].value", "应为数值"),
        (lambda d: d["indicators"][1]["targets"][0].update(comparator="≤"), "indicators[1].targets[0].comparator",
         "之一"),
        (lambda d: d["targets"][0].update(text="  "), "targets[0].text", "不能为空"),
        (lambda d: d["targets"][0].update(lead_units=["区不存在局"]), "targets[0].lead_units[0]", "没有此单位"),
        (
            lambda d: d["indicators"][1]["targets"][0].update(baseline_year=2025),
            "indicators[1].targets[0].baseline_year",
            "基期年份",
        ),
        (lambda d: d["indicators"][1].update(limits={"lower": 5, "upper": 1}), "indicators[1].limits", "下限大于上限"),
    ],
)
def test_bad_edit_changes_nothing(loaded: Session, edit, path: str, message: str) -> None:  # type: ignore[no-untyped-def]
    before = export_catalogue(loaded)
    data = fast_yaml.safe_load(before)
    data["indicators"][0]["definition"] = "a valid edit that must not be applied either"
    edit(data)
    error = refused(loaded, fast_yaml.safe_dump(data, allow_unicode=True))
    assert [(p, m) for p, m in error.errors if p == path and message in m], error.errors
    assert "未做任何修改" in str(error)
    assert fresh_export(loaded) == (before, 0)


def test_unparseable_yaml(loaded: Session) -> None:
    with pytest.raises(CatalogueYamlError, match="YAML 格式错误"):
        _apply(loaded, "indicators: [\n  - code: W01-01\n")
    with pytest.raises(CatalogueYamlError, match="indicators"):
        _apply(loaded, "just text")


# --------------------------------------------------------------------------- relative targets

RELATIVE_TEXT = "儿童意外伤害死亡率以2020年为基数下降20%"


@pytest.fixture
def with_relative(
    db_url: str, prepared_databases: PreparedDatabases, two_area_catalogue: Catalogue
) -> Iterator[Session]:
    """The two plans, the first with a relative target as the reader reads it."""
    domain = two_area_catalogue.plans[0].domains[0]
    domain.targets.append(
        Target(number=4, text=RELATIVE_TEXT + "。", lead_units=["区卫生健康局"],
               indicators=extract_indicators(RELATIVE_TEXT))
    )
    with prepared_databases.session(
        db_url, f"loaded {two_area_catalogue.model_dump_json()}",
        lambda s: load_catalogue(s, two_area_catalogue, actor="loader"),
    ) as session:
        yield session


def _relative_entry(data: dict) -> tuple[int, dict]:
    i, ind = next((i, d) for i, d in enumerate(data["indicators"]) if d["name"] == "儿童意外伤害死亡率")
    return i, ind


def test_relative_target_shown_and_round_trips(with_relative: Session) -> None:
    text = export_catalogue(with_relative)
    _, ind = _relative_entry(fast_yaml.safe_load(text))
    assert ind["unit"] == "/10万"  # the rate's published unit; the target's amount is in %
    assert ind["better"] == "lower"
    (target,) = ind["targets"]
    assert {k: target[k] for k in ("comparator", "value", "unit", "relative", "base_year", "raw")} == {
        "comparator": "<=", "value": -20, "unit": "%", "relative": "percent", "base_year": 2020,
        "raw": RELATIVE_TEXT,
    }  # fmt: skip
    assert "targets[].relative" in text and "base_year" in text
    absolute = _indicator(fast_yaml.safe_load(text), "W01-02")["targets"][0]
    assert (absolute["relative"], absolute["base_year"]) == (None, None)
    assert _apply(with_relative, text) == []
    assert export_catalogue(with_relative) == text


def test_relative_fields_are_editable(with_relative: Session) -> None:
    data = fast_yaml.safe_load(export_catalogue(with_relative))
    i, ind = _relative_entry(data)
    ind["targets"][0]["base_year"] = 2019
    changes = _apply(with_relative, fast_yaml.safe_dump(data, allow_unicode=True))
    assert [(c.path, c.old, c.new) for c in changes] == [(f"indicators[{i}].targets[0].base_year", 2020, 2019)]
    # made absolute (a wrong reading corrected by hand): the base year left as it was goes with it
    data = fast_yaml.safe_load(export_catalogue(with_relative))
    _, ind = _relative_entry(data)
    ind["targets"][0]["relative"] = None
    _apply(with_relative, fast_yaml.safe_dump(data, allow_unicode=True))
    tv = with_relative.scalars(select(db.TargetValue).where(db.TargetValue.raw == RELATIVE_TEXT)).one()
    assert (tv.relative, tv.base_year) == (None, None)
    # and an absolute target made relative, measured from the plan's baseline year
    data = fast_yaml.safe_load(export_catalogue(with_relative))
    mmr = _indicator(data, "W01-02")
    mmr["targets"][0]["relative"] = "percent"
    _apply(with_relative, fast_yaml.safe_dump(data, allow_unicode=True))
    tv = with_relative.scalars(select(db.TargetValue).where(db.TargetValue.area_code == "370103")
                               .where(db.TargetValue.raw == "控制在8/10万以下")).one()
    assert (tv.relative, tv.base_year) == ("percent", None)


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (lambda t: t.update(relative="ratio"), "relative", "应为"),
        (lambda t: t.update(base_year="2020年"), "base_year", "应为年份"),
        (lambda t: t.update(base_year=2025), "base_year", "基数年份应早于目标年份"),
        (lambda t: t.update(relative=None, base_year=2019), "base_year", "只有相对目标"),
    ],
)
def test_bad_relative_edit_changes_nothing(with_relative: Session, edit, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    before = export_catalogue(with_relative)
    data = fast_yaml.safe_load(before)
    i, ind = _relative_entry(data)
    edit(ind["targets"][0])
    error = refused(with_relative, fast_yaml.safe_dump(data, allow_unicode=True))
    path = f"indicators[{i}].targets[0].{field}"
    assert [(p, m) for p, m in error.errors if p == path and message in m], error.errors
    assert fresh_export(with_relative) == (before, 0)


def test_a_directional_target_cannot_be_relative(with_relative: Session) -> None:
    data = fast_yaml.safe_load(export_catalogue(with_relative))
    _indicator(data, "W01-01")["targets"][0]["relative"] = "percent"
    with pytest.raises(CatalogueYamlError, match="方向性目标不能是相对目标"):
        _apply(with_relative, fast_yaml.safe_dump(data, allow_unicode=True))
