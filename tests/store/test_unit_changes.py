"""Units after a reorganisation (机构改革): renamed, retired with a successor, removed when unused.

On the Jinan workspace (both plans, 39 units of 市中区) on each backend: a rename keeps every
row that points at the unit and leaves the old name answering for it; a retirement is refused
while the unit has work and no successor, and with one moves the work and keeps the past; a
removal is refused while anything refers to the unit. Each refusal changes nothing, each change
is one audit row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fast_yaml
import pytest
from seed_workspaces import SeedWorkspaces
from sqlalchemy import ForeignKey, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.collect.selfeval.targets import lead_units
from planwatch.collect.units import find_unit
from planwatch.plan import model as pm
from planwatch.store import models as db
from planwatch.store.accounts import RoleGrant, User
from planwatch.store.api_tokens import ApiToken
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.catalogue_loader import load_catalogue
from planwatch.store.unit_changes import REFERENCES, remove_unit, rename_unit, retire_unit
from planwatch.store.unit_registry import UnitRegistryError, add_unit, list_units
from planwatch.store.workspace import open_workspace

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
AREA = "370103"
HEALTH = "区卫生健康局"
INSURANCE = "区医保局"
runner = CliRunner()


@pytest.fixture
def ws_path(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> Path:
    return seed_workspaces.make(tmp_path / "ws", [JINAN], None if db_url.startswith("sqlite") else db_url)


def _unit(session: Session, name: str) -> db.Unit:
    return session.scalars(select(db.Unit).where(db.Unit.area_code == AREA, db.Unit.name == name)).one()


def _attached(session: Session, unit: db.Unit) -> dict[str, int]:
    """How many rows of each kind point at the unit."""
    return {label: session.scalar(select(func.count()).select_from(model).where(where(unit))) or 0
            for label, model, where in REFERENCES}


def _snapshot(path: Path) -> dict[str, object]:
    """The units, the assignments and the audit rows, read through a new connection."""
    with open_workspace(path) as ws, ws.session() as session:
        return {
            "units": sorted((u.id, u.name, tuple(u.aliases), u.retired_from, u.successor_id)
                            for u in session.scalars(select(db.Unit))),
            "reporters": sorted(session.execute(select(db.IndicatorReporter.indicator_id,
                                                       db.IndicatorReporter.unit_id,
                                                       db.IndicatorReporter.since_year)).all()),
            "target_units": sorted(session.execute(select(db.TargetUnit.target_id, db.TargetUnit.unit_id,
                                                          db.TargetUnit.role)).all()),
            "former": session.scalar(select(func.count()).select_from(db.FormerReporter)),
            "events": session.scalar(select(func.count()).select_from(db.AuditEvent)),
        }


def _give_history(session: Session, unit: db.Unit) -> None:
    """A submission of 2023, a web account and an API token of the unit."""
    session.add(db.Submission(area_code=AREA, unit_id=unit.id, year=2023, created_by="t"))
    user = User(username="tianbao", display_name="填报员", password_hash="x")
    user.roles.append(RoleGrant(role="filler", area_code=AREA, unit_id=unit.id))
    session.add(user)
    session.add(ApiToken(name="统计局", token_hash="h" * 64, prefix="pw_", scopes="read submit",
                         area_code=AREA, unit_id=unit.id, created_by="t"))
    session.flush()


# --------------------------------------------------------------------------- rename


def test_rename_keeps_everything_attached_and_the_old_name_answers(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        unit = _unit(session, HEALTH)
        _give_history(session, unit)
        before = _attached(session, unit)
        done = rename_unit(session, "市中区", HEALTH, " 区卫生和 计划生育局", actor="张三")
        assert (done.old_name, done.unit.name) == (HEALTH, "区卫生和计划生育局")
    with open_workspace(ws_path) as ws, ws.session() as session:
        unit = _unit(session, "区卫生和计划生育局")
        assert HEALTH in unit.aliases
        assert _attached(session, unit) == before and before["填报的指标"] > 50
        assert before["填报记录"] == before["网页账号授权"] == before["API 令牌"] == 1
        assert find_unit(session, HEALTH, AREA).id == unit.id  # templates, imports, accounts by the old name
        event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "unit.rename")).one()
        assert (event.actor, event.entity_id) == ("张三", str(unit.id))
        assert (event.detail["old_name"], event.detail["name"]) == (HEALTH, "区卫生和计划生育局")


def test_a_plan_read_again_with_the_old_name_means_the_renamed_unit(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        rename_unit(session, AREA, HEALTH, "区卫生和计划生育局")
    with open_workspace(ws_path) as ws, ws.session() as session:
        units = session.scalar(select(func.count()).select_from(db.Unit))
        summary = load_catalogue(session, _plan_naming(HEALTH))
        assert summary.units_created == 0
        assert session.scalar(select(func.count()).select_from(db.Unit)) == units
        target = _new_target(session)
        assert [tu.unit.name for tu in target.units] == ["区卫生和计划生育局"]


def test_a_catalogue_yaml_with_the_old_name_imports_onto_the_renamed_unit(ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalogue.yaml"
    assert runner.invoke(app, ["catalogue", "export", str(ws_path), "-o", str(out)]).exit_code == 0
    doc = fast_yaml.safe_load(out.read_text(encoding="utf-8"))
    entry = next(i for i in doc["indicators"] if AREA in (i.get("reporters") or {})
                 and i["reporters"][AREA] != [HEALTH])
    entry["reporters"][AREA] = [HEALTH]  # the old name, written before the rename
    with open_workspace(ws_path) as ws, ws.session() as session:
        rename_unit(session, AREA, HEALTH, "区卫生和计划生育局")
    with open_workspace(ws_path) as ws, ws.session() as session:
        import_catalogue(session, fast_yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), actor="t")
    with open_workspace(ws_path) as ws, ws.session() as session:
        indicator = session.scalars(select(db.Indicator).where(db.Indicator.code == entry["code"])).one()
        assert [r.unit.name for r in indicator.reporters if r.area_code == AREA] == ["区卫生和计划生育局"]


def test_renaming_to_an_alias_of_its_own_swaps_the_two(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        unit = next(u for u in session.scalars(select(db.Unit).where(db.Unit.area_code == AREA)) if u.aliases)
        old, alias = unit.name, unit.aliases[0]
        rename_unit(session, AREA, old, alias)
        assert unit.name == alias and old in unit.aliases and alias not in unit.aliases


@pytest.mark.parametrize(("new", "code", "message"), [
    ("区妇联", "unit.name_taken", "单位“区妇联”已使用名称“区妇联”，未改名"),
    ("区城管局", "unit.name_taken", "单位“区城市管理局”已使用别名“区城管局”，未改名"),
    (HEALTH, "unit.registry", "新名称与单位现名称“区卫生健康局”相同"),
    ("  ", "unit.registry", "单位名称为空"),
    ("局" * 201, "unit.registry", "超过200个字符"),
])
def test_a_refused_rename_says_why_and_changes_nothing(ws_path: Path, new: str, code: str, message: str) -> None:
    before = _snapshot(ws_path)
    with pytest.raises(UnitRegistryError, match=message) as refused, \
            open_workspace(ws_path) as ws, ws.session() as session:
        rename_unit(session, AREA, HEALTH, new)
    assert refused.value.code == code and refused.value.field == "new_name"
    assert _snapshot(ws_path) == before


def test_a_unit_or_area_that_does_not_exist_is_named(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        with pytest.raises(UnitRegistryError, match="没有名为“区火星局”的成员单位"):
            rename_unit(session, AREA, "区火星局", "区金星局")
        with pytest.raises(UnitRegistryError, match="没有地区“999999”"):
            retire_unit(session, "999999", HEALTH, year=2025)


# --------------------------------------------------------------------------- retire


def test_retiring_a_unit_with_work_and_no_successor_is_refused_with_the_work_named(ws_path: Path) -> None:
    before = _snapshot(ws_path)
    with pytest.raises(UnitRegistryError) as refused, open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025)
    text = refused.value.message
    assert (refused.value.code, refused.value.field) == ("unit.has_work", "successor")
    assert "单位“区医保局”仍有工作，未停用" in text and "填报指标4项：C04-02 儿童基本医疗保障水平" in text
    assert "牵头或负责的目标9项：《济南市市中区“十四五”妇女发展规划》妇女与健康 主要目标(1)（责任）" in text
    assert "--successor" in text and "catalogue export / import" in text
    assert _snapshot(ws_path) == before


def test_retiring_with_a_successor_moves_the_work_from_that_year_and_keeps_the_past(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        insurance, health = _unit(session, INSURANCE), _unit(session, HEALTH)
        session.add(db.Submission(area_code=AREA, unit_id=insurance.id, year=2023, created_by="t"))
        moved = {r.indicator.code for r in session.scalars(
            select(db.IndicatorReporter).where(db.IndicatorReporter.unit_id == insurance.id))}
        had = {r.indicator.code for r in session.scalars(
            select(db.IndicatorReporter).where(db.IndicatorReporter.unit_id == health.id))}
        done = retire_unit(session, AREA, INSURANCE, year=2024, successor=HEALTH, actor="李四")
        assert done.successor is not None and done.successor.name == HEALTH
        assert len(done.indicators) == 4 and len(done.targets) == 9
    with open_workspace(ws_path) as ws, ws.session() as session:
        insurance, health = _unit(session, INSURANCE), _unit(session, HEALTH)
        assert (insurance.retired_from, insurance.successor_id) == (2024, health.id)
        counts = _attached(session, insurance)
        assert counts["填报的指标"] == 0 and counts["填报记录"] == 1
        assert counts["以往填报的指标"] == 4 and counts["牵头或负责的目标"] == 0
        former = session.scalars(select(db.FormerReporter).where(db.FormerReporter.unit_id == insurance.id)).all()
        assert {(f.since_year, f.until_year) for f in former} == {(None, 2023)}
        now = {r.indicator.code: r.since_year for r in session.scalars(
            select(db.IndicatorReporter).where(db.IndicatorReporter.unit_id == health.id))}
        assert set(now) == had | moved
        assert {now[c] for c in moved - had} == {2024} and {now[c] for c in had} == {None}
        row = next(r for r in list_units(session, AREA) if r.name == INSURANCE)
        assert (row.targets, row.indicators, row.state) == (0, 0, "2024年度起停用，由区卫生健康局承接")
        assert row.to_dict()["retired_from"] == 2024
        event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "unit.retire")).one()
        assert event.actor == "李四" and event.detail["successor"] == HEALTH
        assert len(event.detail["indicators"]) == 4 and len(event.detail["targets"]) == 9


def test_a_unit_without_work_retires_without_a_successor(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        add_unit(session, AREA, "区机关事务服务中心")
        done = retire_unit(session, AREA, "区机关事务服务中心", year=2025)
        assert done.successor is None and (done.indicators, done.targets) == ([], [])
        assert done.unit.retired_from == 2025 and done.unit.successor_id is None


@pytest.mark.parametrize(("successor", "year", "field", "message"), [
    (INSURANCE, 2025, "successor", "承接单位不能是“区医保局”本身"),
    ("区火星局", 2025, "successor", "没有名为“区火星局”的成员单位"),
    (HEALTH, 2023, "year", "已有2023年度的填报，停用年度应不早于2024年"),
    (HEALTH, 1900, "year", "停用年度1900无效"),
])
def test_a_refused_retirement_says_why_and_changes_nothing(
        ws_path: Path, successor: str, year: int, field: str, message: str) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        session.add(db.Submission(area_code=AREA, unit_id=_unit(session, INSURANCE).id, year=2023, created_by="t"))
    before = _snapshot(ws_path)
    with pytest.raises(UnitRegistryError, match=message) as refused, \
            open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=year, successor=successor)
    assert refused.value.field == field
    assert _snapshot(ws_path) == before


def test_a_retired_unit_cannot_retire_again_nor_take_work_over(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025, successor=HEALTH)
    with open_workspace(ws_path) as ws, ws.session() as session:
        with pytest.raises(UnitRegistryError, match="已于2025年度起停用 already retired"):
            retire_unit(session, AREA, INSURANCE, year=2026, successor=HEALTH)
        with pytest.raises(UnitRegistryError, match="承接单位“区医保局”已于2025年度起停用，请指定在用的单位"):
            retire_unit(session, AREA, "区司法局", year=2025, successor=INSURANCE)


def test_the_catalogue_refuses_a_retired_unit_as_new_reporter_or_lead(ws_path: Path, tmp_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025, successor=HEALTH)
    out = tmp_path / "catalogue.yaml"
    assert runner.invoke(app, ["catalogue", "export", str(ws_path), "-o", str(out)]).exit_code == 0
    doc = fast_yaml.safe_load(out.read_text(encoding="utf-8"))
    entry = next(i for i in doc["indicators"] if AREA in (i.get("reporters") or {}))
    entry["reporters"][AREA] = [INSURANCE]
    target = next(t for t in doc["targets"] if t["area"] == AREA and t["lead_units"])
    target["lead_units"] = [INSURANCE]
    before = _snapshot(ws_path)
    with pytest.raises(CatalogueYamlError) as refused, open_workspace(ws_path) as ws, ws.session() as session:
        import_catalogue(session, fast_yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), actor="t")
    text = str(refused.value)
    assert text.count("单位“区医保局”已于2025年度起停用") == 2
    assert "不能指定为填报单位，其工作由“区卫生健康局”承接" in text
    assert "不能指定为牵头单位" in text
    assert _snapshot(ws_path) == before


def test_a_reassignment_in_the_yaml_keeps_the_year_the_successor_took_over(ws_path: Path, tmp_path: Path) -> None:
    """区医保局 answered for W05-01 until 2024 (its former row says so); if the office then gives
    the indicator to another unit, that unit too answers from 2025, not for the years before."""
    with open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025, successor=HEALTH)
    out = tmp_path / "catalogue.yaml"
    assert runner.invoke(app, ["catalogue", "export", str(ws_path), "-o", str(out)]).exit_code == 0
    doc = fast_yaml.safe_load(out.read_text(encoding="utf-8"))
    entry = next(i for i in doc["indicators"] if i["code"] == "W05-01")
    assert entry["reporters"][AREA] == [HEALTH]
    entry["reporters"][AREA] = ["区司法局"]
    with open_workspace(ws_path) as ws, ws.session() as session:
        import_catalogue(session, fast_yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), actor="t")
    with open_workspace(ws_path) as ws, ws.session() as session:
        rows = session.execute(select(db.Unit.name, db.IndicatorReporter.since_year)
                               .join(db.Unit, db.Unit.id == db.IndicatorReporter.unit_id)
                               .join(db.Indicator, db.Indicator.id == db.IndicatorReporter.indicator_id)
                               .where(db.Indicator.code == "W05-01", db.IndicatorReporter.area_code == AREA)).all()
        assert [tuple(r) for r in rows] == [("区司法局", 2025)]


def test_a_plan_read_again_gives_a_retired_unit_s_work_to_its_successor(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025, successor=HEALTH)
    with open_workspace(ws_path) as ws, ws.session() as session:
        summary = load_catalogue(session, _plan_naming(INSURANCE))
        assert any("单位“区医保局”已于2025年度起停用，改由承接单位“区卫生健康局”负责" in w for w in summary.warnings)
        assert [tu.unit.name for tu in _new_target(session).units] == [HEALTH]


# --------------------------------------------------------------------------- remove


def test_a_unit_added_by_mistake_is_removed_and_audited(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        add_unit(session, AREA, "区卫健局局", aliases=["区卫健"])
    with open_workspace(ws_path) as ws, ws.session() as session:
        done = remove_unit(session, "市中区", "区卫健", actor="王五")  # by its alias
        assert (done.name, done.area_code) == ("区卫健局局", AREA)
    with open_workspace(ws_path) as ws, ws.session() as session:
        assert session.scalar(select(db.Unit).where(db.Unit.name == "区卫健局局")) is None
        event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "unit.remove")).one()
        assert event.actor == "王五"
        assert event.detail == {"area_code": AREA, "name": "区卫健局局", "aliases": ["区卫健"]}


def test_a_unit_anything_refers_to_is_not_removed(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws, ws.session() as session:
        _give_history(session, _unit(session, HEALTH))
    before = _snapshot(ws_path)
    with pytest.raises(UnitRegistryError) as refused, open_workspace(ws_path) as ws, ws.session() as session:
        remove_unit(session, AREA, HEALTH)
    text = refused.value.message
    assert refused.value.code == "unit.referenced"
    for part in ("单位“区卫生健康局”有牵头或负责的目标", "填报的指标", "填报记录1项", "网页账号授权1项", "API 令牌1项",
                 "不能删除", "planwatch unit retire"):
        assert part in text, part
    assert _snapshot(ws_path) == before


def test_every_foreign_key_to_a_unit_is_checked_before_a_removal() -> None:
    """A table added later that points at units must be added to REFERENCES too."""
    pointing = {
        fk.parent.table.name
        for table in db.Base.metadata.tables.values() for constraint in table.foreign_key_constraints
        for fk in constraint.elements if fk.column.table.name == "unit" and fk.column.name == "id"
    }
    checked = {model.__tablename__ for _, model, _ in REFERENCES}
    assert pointing == checked
    assert all(isinstance(fk, ForeignKey) for fk in db.Unit.__table__.c.successor_id.foreign_keys)


# --------------------------------------------------------------------------- the command line


def test_unit_commands_exit_codes_and_messages(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = str(ws_path)
    monkeypatch.setenv("COLUMNS", "300")  # one line per message

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["unit", *args], terminal_width=300)
        return result.exit_code, result.output

    code, out = run("rename", ws, HEALTH, "区卫生和计划生育局", "--area", "市中区")
    assert code == 0 and "已改名 renamed：区卫生健康局 → 区卫生和计划生育局" in out
    assert "别名 aliases：区卫生健康局" in out
    code, out = run("rename", ws, "区卫生和计划生育局", "区妇联", "--area", AREA)
    assert code == 1 and "错误 error:" in out and "单位“区妇联”已使用名称“区妇联”" in out
    code, out = run("retire", ws, INSURANCE, "--area", AREA, "--year", "2025")
    assert code == 1 and "仍有工作，未停用" in out and "W05-01 生育保险参保率" in out
    code, out = run("retire", ws, INSURANCE, "--area", AREA, "--year", "2025", "--successor", HEALTH)
    assert code == 0 and "已停用 retired：区医保局" in out and "自2025年度起不再填报" in out
    assert "承接单位 successor：区卫生和计划生育局，自2025年度起填报指标4项、承接目标9项" in out
    code, out = run("remove", ws, INSURANCE, "--area", AREA)
    assert code == 1 and "不能删除" in out
    assert run("add", ws, "区测试局", "--area", AREA)[0] == 0
    code, out = run("remove", ws, "区测试局", "--area", AREA)
    assert code == 0 and "已删除单位 removed：区测试局" in out
    code, out = run("list", ws, "--area", AREA)
    assert code == 0 and "2025年度起停用，由区卫生和计划生育局承接" in out and "在用" in out
    assert "区测试局" not in out
    code, out = run("retire", ws, "区司法局", "--area", AREA, "--successor", HEALTH)
    assert code == 0 and f"自{dt.date.today().year}年度起不再填报" in out  # the default year


def test_no_template_or_evaluation_workbook_for_a_retired_unit(
        ws_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    with open_workspace(ws_path) as ws, ws.session() as session:
        retire_unit(session, AREA, INSURANCE, year=2025, successor=HEALTH)
        assert INSURANCE not in {u.name for u in lead_units(session, AREA)}

    def template(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["template", str(ws_path), "--area", AREA, *args])
        return result.exit_code, result.output

    code, out = template("--unit", INSURANCE, "--year", "2025", "-o", str(tmp_path / "a"))
    assert code == 1 and "单位“区医保局”已于2025年度起停用，没有2025年度的填报任务" in out
    assert "请由承接单位“区卫生健康局”填报" in out
    code, out = template("--unit", INSURANCE, "--year", "2024", "-o", str(tmp_path / "b"))
    assert code == 0 and "2024_370103_区医保局.xlsx" in out
    assert INSURANCE not in template("--all-units", "--year", "2025", "-o", str(tmp_path / "c"))[1]
    assert INSURANCE in template("--all-units", "--year", "2024", "-o", str(tmp_path / "d"))[1]


# --------------------------------------------------------------------------- helpers


_TITLE = "济南市市中区“十四五”妇女发展规划（中期调整）"


def _plan_naming(unit: str) -> pm.Catalogue:
    """A plan of 市中区 read after the reorganisation, whose one target names ``unit``."""
    target = pm.Target(number=1, text="孕产妇死亡率控制在8/10万以下。", lead_units=[unit], indicators=[
        pm.Indicator(name="孕产妇死亡率", comparator="<=", value=8.0, unit="/10万", raw="控制在8/10万以下")])
    plan = pm.Plan(title=_TITLE, region="济南市市中区", subject="women", period=pm.Period(start=2021, end=2025),
                   domains=[pm.Domain(name="妇女与健康", targets=[target])])
    return pm.Catalogue(plans=[plan])


def _new_target(session: Session) -> db.Target:
    session.flush()
    return session.scalars(select(db.Target).join(db.Domain).join(db.Plan).where(db.Plan.title == _TITLE)).one()
