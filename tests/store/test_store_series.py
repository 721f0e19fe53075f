"""One indicator, one series: automatic links at load, same_as in the YAML, the CLI listing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fast_yaml
import pytest
from migrated_db import PreparedDatabases
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.plan.model import Catalogue, Direction, Domain, Indicator, Period, Plan, Target
from planwatch.store import models as db
from planwatch.store.catalogue_export import catalogue_data
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.catalogue_loader import LoadSummary, load_catalogue
from planwatch.store.series import Facts, better_compatible, conflicts, list_links, normalise_name


def _plan(region: str, subject: str, items: list[Indicator | Direction], *, lead: str = "区教育体育局") -> Plan:
    prefix = "儿童" if subject == "children" else "妇女"
    return Plan(
        title=f"{region}“十四五”{prefix}发展规划",
        region=region,
        subject=subject,  # type: ignore[arg-type]
        period=Period(start=2021, end=2025),
        domains=[
            Domain(
                name=f"{prefix}与教育",
                targets=[
                    Target(
                        number=1,
                        text="测试目标。",
                        lead_units=[lead],
                        indicators=[i for i in items if isinstance(i, Indicator)],
                        directions=[d for d in items if isinstance(d, Direction)],
                    )
                ],
            )
        ],
    )


def _q(name: str, comparator: str, value: float, unit: str, raw: str | None = None) -> Indicator:
    return Indicator(name=name, comparator=comparator, value=value, unit=unit,  # type: ignore[arg-type]
                     raw=raw or f"{name}{comparator}{value}{unit}")


def make_plan(region: str, subject: str = "women") -> Plan:
    """The four indicators both plans of a district name: W01-01…04 / C01-01…04."""
    return _plan(region, subject, [
        _q("孕产妇死亡率", "<=", 8, "/10万", "控制在8/10万以下"),
        _q("妇女常见病筛查率", ">=", 85, "%"),
        _q("孕产妇系统管理率", ">=", 92, "%"),
        Direction(name="人均预期寿命", direction="increase", raw="延长"),
    ], lead="区卫生健康局")


def _load(session: Session, *plans: Plan) -> LoadSummary:
    summary = load_catalogue(session, Catalogue(plans=list(plans)))
    session.commit()
    return summary


def _inds(session: Session) -> dict[str, db.Indicator]:
    return {i.code: i for i in session.scalars(select(db.Indicator))}


def _series(session: Session) -> dict[str, str]:
    inds = _inds(session)
    by_id = {i.id: i.code for i in inds.values()}
    return {code: by_id[i.series_id] for code, i in inds.items() if i.series_id is not None}


# --------------------------------------------------------------------------- pure rules


def test_names_compare_without_width_spaces_and_quotes() -> None:
    assert normalise_name("九年义务教育 巩固率") == normalise_name("九年义务教育巩固率")
    assert normalise_name("“两癌”筛查率") == normalise_name('"两癌"筛查率')
    assert normalise_name("学前3年毛入园率") == normalise_name("学前３年毛入园率")
    assert normalise_name("学前3年毛入园率") != normalise_name("学前三年毛入园率")


def test_better_directions_contradict_only_higher_against_lower() -> None:
    assert not better_compatible("higher", "lower")
    assert not better_compatible("lower", "higher")
    for a, b in [("higher", "hold"), ("hold", "lower"), ("hold", "hold"), ("higher", "higher")]:
        assert better_compatible(a, b)


def test_conflicts_name_each_reason() -> None:
    base = Facts("C03-04", "x", "%", "higher", "初中毕业生数 / 入学时学生数")
    assert conflicts(base, Facts("W02-12", "x", "%", "higher", None)) == []
    assert conflicts(base, Facts("W02-12", "x", None, "higher", "初中毕业生数／入学时学生数")) == []
    found = conflicts(base, Facts("W02-12", "x", "‰", "lower", "另一口径"))
    assert len(found) == 3
    assert "计量单位不同" in found[0] and "‰" in found[0]
    assert "方向相反" in found[1] and "定义不同" in found[2]
    # a series without a unit cannot take a member with one: the link must go the other way
    (reverse,) = conflicts(Facts("A", "x", None, "higher", None), Facts("B", "x", "%", "higher", None))
    assert "same_as 反过来" in reverse


# --------------------------------------------------------------------------- linking at load


def test_the_same_indicator_in_two_plans_is_one_series(session: Session) -> None:
    summary = _load(session, make_plan("济南市市中区"), make_plan("济南市市中区", "children"))
    series = _series(session)
    assert series == {"C01-01": "W01-01", "C01-02": "W01-02", "C01-03": "W01-03", "C01-04": "W01-04"}
    assert sorted(summary.series_links) == [
        "C01-01 → W01-01 孕产妇死亡率", "C01-02 → W01-02 妇女常见病筛查率",
        "C01-03 → W01-03 孕产妇系统管理率", "C01-04 → W01-04 人均预期寿命",
    ]
    assert not [w for w in summary.warnings if "同名" in w]
    event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.load")).one()
    assert event.detail["series_links"] == summary.series_links
    # each keeps its own code and target values
    inds = _inds(session)
    assert [tv.raw for tv in inds["C01-01"].target_values] == ["控制在8/10万以下"]
    # another area's plans reuse the linked indicators: no new indicator, no new link
    again = _load(session, make_plan("枣庄市山亭区"), make_plan("枣庄市山亭区", "children"))
    assert again.indicators_created == 0 and again.series_links == []
    assert _series(session) == series


def test_a_direction_only_series_takes_the_unit_of_its_first_number(session: Session) -> None:
    _load(
        session,
        _plan("济南市市中区", "women", [Direction(name="女童入学率", direction="increase", raw="逐步提高")]),
        _plan("济南市市中区", "children", [_q("女童 入学率", ">=", 99, "%")]),
    )
    inds = _inds(session)
    assert _series(session) == {"C01-01": "W01-01"}
    root = inds["W01-01"]
    assert (root.unit, root.is_rate, root.rate_base, root.lower_limit, root.upper_limit) == ("%", True, 100, 0, 100)


@pytest.mark.parametrize(
    ("women", "children", "reason"),
    [
        (_q("巩固率", ">=", 95, "%"), _q("巩固率", ">=", 950, "‰"), "计量单位不同"),
        (_q("死亡率", "<=", 5, "‰"), _q("死亡率", ">=", 5, "‰"), "方向相反"),
    ],
)
def test_conflicting_definitions_are_reported_at_load_and_not_linked(
    session: Session, women: Indicator, children: Indicator, reason: str
) -> None:
    summary = _load(session, _plan("济南市市中区", "women", [women]), _plan("济南市市中区", "children", [children]))
    assert _series(session) == {}
    (warning,) = [w for w in summary.warnings if "同名" in w]
    assert reason in warning and "C01-01" in warning and "W01-01" in warning
    assert "《济南市市中区“十四五”儿童发展规划》" in warning and "same_as" in warning


def test_hold_joins_a_series_of_either_direction(session: Session) -> None:
    _load(
        session,
        # 性别比 has no better direction (planwatch.plan.semantics), so 保持在 stays "hold"
        _plan("济南市市中区", "women", [_q("出生人口性别比", ">=", 103, "")]),
        _plan("济南市市中区", "children", [_q("出生人口性别比", "maintain", 105, "")]),
    )
    assert _series(session) == {"C01-01": "W01-01"}
    assert _inds(session)["C01-01"].better == "hold"  # the target keeps its own direction


def test_a_link_removed_in_the_yaml_is_not_made_again_by_a_later_load(session: Session) -> None:
    _load(session, make_plan("济南市市中区"), make_plan("济南市市中区", "children"))
    import_catalogue(session, _yaml({"C01-02": {"same_as": None}}, session), actor="t")
    session.commit()
    _load(session, make_plan("枣庄市山亭区"), make_plan("枣庄市山亭区", "children"))
    assert "C01-02" not in _series(session)
    assert _series(session)["C01-03"] == "W01-03"
    assert {tv.area_code for tv in _inds(session)["C01-02"].target_values} == {"370103", "370406"}


def test_link_rule_enforced_by_the_database(session: Session) -> None:
    _load(session, make_plan("济南市市中区"))
    ind = _inds(session)["W01-02"]
    ind.series_id = ind.id
    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        session.flush()
    session.rollback()


# --------------------------------------------------------------------------- YAML same_as


def _yaml(edits: dict[str, dict[str, Any]], session: Session) -> str:
    """A file holding just the edited entries (plus their names, which import checks)."""
    current = {e["code"]: e for e in catalogue_data(session)["indicators"]}
    entries = [{"code": code, "name": current[code]["name"], **fields} for code, fields in edits.items()]
    return fast_yaml.safe_dump({"planwatch_catalogue": 1, "indicators": entries}, allow_unicode=True)


@pytest.fixture
def linked(db_url: str, prepared_databases: PreparedDatabases) -> Iterator[Session]:
    """``_load(session, <济南市市中区's women's plan>, <its children's plan>)``."""
    catalogue = Catalogue(plans=[make_plan("济南市市中区"), make_plan("济南市市中区", "children")])
    with prepared_databases.session(
        db_url, f"loaded {catalogue.model_dump_json()}", lambda s: load_catalogue(s, catalogue)
    ) as session:
        yield session


def test_export_shows_same_as_and_leaves_series_fields_to_the_series(linked: Session) -> None:
    entries = {e["code"]: e for e in catalogue_data(linked)["indicators"]}
    assert entries["C01-02"]["same_as"] == "W01-02"
    assert entries["W01-02"]["same_as"] is None
    assert "breakdowns" not in entries["C01-02"] and "limits" not in entries["C01-02"]
    assert entries["W01-02"]["breakdowns"] == [] and entries["W01-02"]["limits"] == {"lower": 0, "upper": 100}
    full = fast_yaml.safe_dump(catalogue_data(linked), allow_unicode=True)
    assert import_catalogue(linked, full, actor="t") == []  # a round trip changes nothing


def test_unlink_relink_and_link_by_hand(linked: Session) -> None:
    changes = import_catalogue(
        linked, _yaml({"C01-02": {"same_as": None}, "C01-03": {"same_as": "W01-02"}}, linked), actor="t"
    )
    linked.commit()
    assert sorted((c.path, c.old, c.new) for c in changes) == [
        ("indicators[0].same_as", "W01-02", None),
        ("indicators[1].same_as", "W01-03", "W01-02"),
    ]
    series = _series(linked)
    assert "C01-02" not in series and series["C01-03"] == "W01-02"
    event = linked.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.import")).one()
    assert {c["path"] for c in event.detail["changes"]} == {"indicators[0].same_as", "indicators[1].same_as"}
    # moving a whole series in one file: the old series and its member both point at a third
    import_catalogue(linked, _yaml({"W01-02": {"same_as": "W01-03"}, "C01-03": {"same_as": "W01-03"}}, linked),
                     actor="t")
    linked.commit()
    assert _series(linked)["W01-02"] == "W01-03" and _series(linked)["C01-03"] == "W01-03"


@pytest.mark.parametrize(
    ("edits", "path", "needle"),
    [
        ({"C01-02": {"same_as": "C01-02"}}, "indicators[0].same_as", "不能指向自己"),
        ({"C01-02": {"same_as": "X99-99"}}, "indicators[0].same_as", "未知的指标代码"),
        ({"C01-02": {"same_as": 3}}, "indicators[0].same_as", "应为指标代码"),
        ({"C01-02": {"same_as": ["W01-02"]}}, "indicators[0].same_as", "应为指标代码"),
        ({"W01-03": {"same_as": "C01-02"}}, "indicators[0].same_as", "它本身与 W01-02 共用序列"),
        ({"W01-02": {"same_as": "W01-03"}}, "indicators[0].same_as", "已是 C01-02 的共用序列"),
        ({"C01-01": {"same_as": "W01-02"}}, "indicators[0].same_as", "计量单位不同"),
        ({"C01-04": {"same_as": None}, "W01-04": {"same_as": "C01-04"}}, None, None),  # swap is fine
        ({"C01-02": {"better": "lower"}}, "indicators[0]", "方向相反"),
        ({"W01-02": {"definition": "20—64岁妇女中当年接受筛查的比例"},
          "C01-02": {"definition": "妇女中接受筛查的人数"}}, "indicators[1]", "定义不同"),
        ({"C01-02": {"breakdowns": ["residence"]}}, "indicators[0].breakdowns", "请在 W01-02 下编辑"),
        ({"C01-02": {"limits": {"lower": 0, "upper": 50}}}, "indicators[0].limits", "请在 W01-02 下编辑"),
    ],
)
def test_same_as_errors_name_their_place_and_change_nothing(
    linked: Session, edits: dict[str, dict[str, Any]], path: str | None, needle: str | None
) -> None:
    before = _series(linked)
    # one valid edit rides along: all or nothing
    text = _yaml({**edits, "C01-03": {"definition": "孕产妇系统管理人数 / 活产数"}}, linked)
    if path is None:
        import_catalogue(linked, text, actor="t")
        linked.commit()
        assert _series(linked)["W01-04"] == "C01-04" and "C01-04" not in _series(linked)
        return
    with pytest.raises(CatalogueYamlError) as err:
        import_catalogue(linked, text, actor="t")
    linked.rollback()
    assert any(p == path and needle in m for p, m in err.value.errors), err.value.errors
    assert _series(linked) == before
    assert _inds(linked)["C01-03"].definition is None


def test_better_edit_that_contradicts_an_existing_link_is_refused_on_the_series(linked: Session) -> None:
    # flipping the series' own direction to lower contradicts its member C01-02's higher
    with pytest.raises(CatalogueYamlError) as err:
        import_catalogue(linked, _yaml({"W01-02": {"better": "lower"}}, linked), actor="t")
    ((path, message),) = err.value.errors
    assert path == "indicators[0]" and "方向相反" in message


# --------------------------------------------------------------------------- CLI


def _plan_text() -> str:
    return (Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt").read_text(
        encoding="utf-8"
    )


def test_init_prints_links_and_catalogue_links_lists_them(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(_plan_text(), encoding="utf-8")
    runner = CliRunner()
    ws = tmp_path / "ws"
    r = runner.invoke(app, ["init", str(ws), "--plan", str(plan)])
    assert r.exit_code == 0, r.output
    assert "共用数据序列" in r.output and "C03-02 → W02-11 普惠性幼儿园覆盖率" in r.output
    r = runner.invoke(app, ["catalogue", "links", str(ws), "--format", "json"])
    assert r.exit_code == 0, r.output
    (link,) = json.loads(r.output)
    assert link["series"]["code"] == "W02-11" and [m["code"] for m in link["members"]] == ["C03-02"]
    assert "达到88%以上" in link["members"][0]["targets"][0]
    r = runner.invoke(app, ["catalogue", "links", str(ws)])
    assert r.exit_code == 0 and "W02-11" in r.output and "C03-02" in r.output


def test_links_are_listed_by_series(linked: Session) -> None:
    links = list_links(linked)
    assert [(link.series.code, [m.code for m in link.members]) for link in links] == [
        ("W01-01", ["C01-01"]), ("W01-02", ["C01-02"]), ("W01-03", ["C01-03"]), ("W01-04", ["C01-04"]),
    ]
    assert links[0].members[0].targets == ["370103《济南市市中区“十四五”儿童发展规划》控制在8/10万以下"]


def test_a_malformed_entry_is_an_error_not_a_crash(linked: Session) -> None:
    with pytest.raises(CatalogueYamlError) as err:
        import_catalogue(linked, "indicators:\n- code: [C01-02]\n  same_as: W01-02\n", actor="t")
    assert [p for p, _ in err.value.errors] == ["indicators[0].code"]
