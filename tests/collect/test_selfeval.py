"""Self-evaluations of qualitative targets: workbook, checks as data, storing with history.

A tiny catalogue is built directly with the store's models (one district, two lead units,
three qualitative targets and one directional one) so every rule can be provoked by one
edit of one workbook and asserted by its problem id and cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from migrated_db import PreparedDatabases
from openpyxl import Workbook, load_workbook
from seed_workspaces import SeedWorkspaces
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from planwatch.collect.selfeval import layout as L
from planwatch.collect.selfeval.cycles import CycleError, check_cycle, cycle_year
from planwatch.collect.selfeval.importer import import_evaluation_file, import_evaluations
from planwatch.collect.selfeval.listing import list_self_evaluations
from planwatch.collect.selfeval.targets import (
    lead_units,
    qualitative_targets,
    unled_qualitative_targets,
)
from planwatch.collect.selfeval.template import (
    EvaluationSpec,
    evaluation_spec,
    write_evaluation_template,
)
from planwatch.store import models as m
from planwatch.store.db import make_engine, make_sessionmaker

AREA = "370103"
WOMEN_FED = "区妇联"
CIVIL = "区民政局"
EVIDENCE = "印发《工作方案》，开展专项行动12次。"
NOW = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)


@dataclass
class Cat:
    factory: sessionmaker[Session]
    units: dict[str, int]
    targets: dict[int, int]
    """target number → id (all in one domain)."""

    def unit(self, s: Session, name: str) -> m.Unit:
        found = s.get(m.Unit, self.units[name])
        assert found is not None
        return found


def _seed(s: Session) -> tuple[dict[str, int], dict[int, int]]:
    s.add_all([
        m.Area(code="370100", name="济南市", full_name="山东省济南市", level="city"),
        m.Area(code=AREA, name="市中区", full_name="济南市市中区", level="county",
               parent_code="370100"),
    ])
    s.flush()
    units = {}
    for name in (WOMEN_FED, CIVIL, "区统计局"):
        u = m.Unit(area_code=AREA, name=name, aliases=[])
        s.add(u)
        s.flush()
        units[name] = u.id
    plan = m.Plan(area_code=AREA, title="测试妇女发展规划", subject="women", period_start=2021,
                  period_end=2025)
    domain = m.Domain(plan=plan, seq=1, name="妇女与法律")
    s.add_all([plan, domain])
    spec = [  # number, kind, lead units
        (1, "qualitative", [WOMEN_FED]),
        (2, "qualitative", [WOMEN_FED, CIVIL]),
        (3, "qualitative", [CIVIL]),
        (4, "directional", [WOMEN_FED]),
        (5, "qualitative", []),
    ]
    targets = {}
    for number, kind, leads in spec:
        t = m.Target(domain=domain, number=number, text=f"目标{number}：建立健全工作机制。", kind=kind)
        s.add(t)
        s.flush()
        targets[number] = t.id
        for seq, lead in enumerate(leads):
            s.add(m.TargetUnit(target_id=t.id, unit_id=units[lead], role="lead", seq=seq))
    s.flush()
    return units, targets


def _cat(engine: Engine) -> Cat:
    """The targets seeded into a database already migrated to head."""
    factory = make_sessionmaker(engine)
    with factory() as s, s.begin():
        units, targets = _seed(s)
    return Cat(factory, units, targets)


@pytest.fixture
def cat(tmp_path: Path, prepared_databases: PreparedDatabases) -> Iterator[Cat]:
    """SQLite only: for the per-rule tests. Seeded once per worker and copied (same rows and ids)."""
    url = f"sqlite:///{tmp_path / 'se.sqlite'}"
    units, targets = prepared_databases.make(url, "test_selfeval._seed", _seed)
    engine = make_engine(url)
    try:
        yield Cat(make_sessionmaker(engine), dict(units), dict(targets))
    finally:
        engine.dispose()


@pytest.fixture
def cat_any(engine: Engine) -> Cat:
    """On SQLite and PostgreSQL: for storing, history and all-or-nothing."""
    return _cat(engine)


def template(cat: Cat, tmp_path: Path, unit: str = WOMEN_FED, cycle: str = "midterm",
             name: str = "tpl.xlsx") -> Path:
    with cat.factory() as s:
        spec = evaluation_spec(s, cat.unit(s, unit), cycle)
    return write_evaluation_template(spec, tmp_path / name)


def filled(path: Path, edits: dict[str, Any], sheet: str = L.DATA_SHEET,
           out: Path | None = None) -> Path:
    wb = load_workbook(path)
    for ref, value in edits.items():
        wb[sheet][ref] = value
    target = out or path
    wb.save(target)
    return target


GOOD = {"F4": "完成", "G4": EVIDENCE, "F5": "基本完成", "G5": "部分街道尚未建立台账。"}


def snapshot(cat: Cat) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with cat.factory() as s:
        se = [tuple(r) for r in s.execute(
            select(m.SelfEvaluation.id, m.SelfEvaluation.target_id, m.SelfEvaluation.cycle,
                   m.SelfEvaluation.unit_id, m.SelfEvaluation.rating, m.SelfEvaluation.evidence,
                   m.SelfEvaluation.entered_by, m.SelfEvaluation.entered_at)
            .order_by(m.SelfEvaluation.id))]
        audit = [tuple(r) for r in s.execute(
            select(m.AuditEvent.id, m.AuditEvent.action, m.AuditEvent.entity_id)
            .order_by(m.AuditEvent.id))]
    return se, audit


# --------------------------------------------------------------------------- targets, cycles


def test_cycles_are_checked_and_mapped_to_plan_years() -> None:
    assert check_cycle(" MidTerm ") == "midterm"
    assert check_cycle("2023") == "2023"
    for bad in ("mid", "23", "1800", ""):
        with pytest.raises(CycleError):
            check_cycle(bad)
    assert cycle_year("midterm", 2021, 2025) == 2023
    assert cycle_year("final", 2021, 2025) == 2025
    assert cycle_year("2022", 2021, 2025) == 2022


def test_only_qualitative_targets_the_unit_leads(cat: Cat) -> None:
    with cat.factory() as s:
        fed = [t.number for t in qualitative_targets(s, cat.unit(s, WOMEN_FED), "midterm")]
        civil = [t.number for t in qualitative_targets(s, cat.unit(s, CIVIL), "midterm")]
        outside = qualitative_targets(s, cat.unit(s, WOMEN_FED), "2030")
        leads = [u.name for u in lead_units(s, AREA)]
        unled = [t.number for t in unled_qualitative_targets(s, AREA)]
    assert fed == [1, 2]  # not the directional target 4
    assert civil == [2, 3]
    assert outside == []  # 2030 is outside the 2021–2025 plan
    assert leads == [WOMEN_FED, CIVIL]
    assert unled == [5]


def test_template_has_a_rating_list_locked_cells_and_hidden_metadata(cat: Cat, tmp_path: Path) -> None:
    wb = load_workbook(template(cat, tmp_path))
    assert wb.sheetnames == [L.INSTRUCTIONS_SHEET, L.DATA_SHEET, L.META_SHEET]
    assert wb[L.META_SHEET].sheet_state == "veryHidden"
    ws = wb[L.DATA_SHEET]
    assert ws.protection.sheet
    assert [ws[f"{letter}3"].value for letter, _ in L.COLUMNS.values()] == [
        h for _, h in L.COLUMNS.values()]
    assert (ws["C4"].value, ws["D4"].value, ws["D5"].value, ws["D6"].value) == ("妇女与法律", 1, 2, None)
    assert ws["F4"].protection.locked is False and ws["G5"].protection.locked is False
    assert ws["E4"].protection.locked is not False
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"完成,基本完成,未完成"'
    assert {str(r) for r in dv.sqref.ranges} == {"F4", "F5"}


# --------------------------------------------------------------------------- rules


def _codes(result: Any) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(p.code, p.sheet, p.row, p.column) for p in result.report.problems]


@pytest.mark.parametrize(("edits", "expected"), [
    ({**GOOD, "F4": "done"}, ("invalid-rating", L.DATA_SHEET, 4, "F")),
    ({**GOOD, "F5": "部分完成"}, ("invalid-rating", L.DATA_SHEET, 5, "F")),
    ({**GOOD, "G4": None}, ("missing-evidence", L.DATA_SHEET, 4, "G")),
    ({**GOOD, "G5": "   "}, ("missing-evidence", L.DATA_SHEET, 5, "G")),
    ({**GOOD, "F5": None}, ("missing-rating", L.DATA_SHEET, 5, "F")),
    ({**GOOD, "D4": 3}, ("tampered-layout", L.DATA_SHEET, 4, "D")),
    ({**GOOD, "C5": "妇女与健康"}, ("tampered-layout", L.DATA_SHEET, 5, "C")),
    ({**GOOD, "F3": "结果"}, ("tampered-layout", L.DATA_SHEET, 3, "F")),
    ({**GOOD, "A6": 3, "E6": "自己加的目标", "F6": "完成"}, ("tampered-layout", L.DATA_SHEET, 6, "A")),
])
def test_each_rule_names_its_id_and_cell(cat: Cat, tmp_path: Path, edits: dict[str, Any],
                                          expected: tuple[str, str, int, str]) -> None:
    path = filled(template(cat, tmp_path), edits)
    result = import_evaluation_file(cat.factory, path)
    assert not result.accepted
    assert _codes(result) == [expected]
    assert result.report.problems[0].file == path.name


def test_edited_metadata_is_tampering(cat: Cat, tmp_path: Path) -> None:
    path = filled(template(cat, tmp_path), GOOD)
    filled(path, {"B6": "区民政局"}, sheet=L.META_SHEET)  # unit_name is row 6 of the metadata
    result = import_evaluation_file(cat.factory, path)
    assert _codes(result) == [("tampered-layout", L.META_SHEET, None, None)]


def test_a_figures_workbook_or_foreign_file_is_refused(cat: Cat, tmp_path: Path) -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "数据填报"
    wb.save(tmp_path / "figures.xlsx")
    (tmp_path / "notes.txt").write_text("完成", encoding="utf-8")
    result = import_evaluations(cat.factory, [tmp_path / "figures.xlsx", tmp_path / "notes.txt",
                                              tmp_path / "missing.xlsx"])
    assert [_codes(f)[0][0] for f in result.files] == ["wrong-sheet", "unsupported-format",
                                                      "unreadable-file"]
    assert not result.accepted


def test_target_removed_from_catalogue_is_unknown(cat: Cat, tmp_path: Path) -> None:
    path = filled(template(cat, tmp_path), GOOD)
    with cat.factory() as s, s.begin():
        s.execute(delete(m.Target).where(m.Target.id == cat.targets[2]))
    result = import_evaluation_file(cat.factory, path)
    assert _codes(result) == [("unknown-target", L.DATA_SHEET, 5, "D")]


def test_target_no_longer_led_by_the_unit_is_refused(cat: Cat, tmp_path: Path) -> None:
    path = filled(template(cat, tmp_path), GOOD)
    with cat.factory() as s, s.begin():
        s.execute(delete(m.TargetUnit).where(m.TargetUnit.target_id == cat.targets[1],
                                             m.TargetUnit.unit_id == cat.units[WOMEN_FED]))
    result = import_evaluation_file(cat.factory, path)
    assert _codes(result) == [("target-not-led", L.DATA_SHEET, 4, "D")]
    assert "牵头单位：无" in result.report.problems[0].message


@pytest.mark.parametrize("mode", ["quantitative", "excluded"])
def test_target_no_longer_rated_is_refused(cat: Cat, tmp_path: Path, mode: str) -> None:
    """Switched to 量化监测 or 不纳入监测 (catalogue YAML) after the template was made."""
    path = filled(template(cat, tmp_path), GOOD)
    with cat.factory() as s, s.begin():
        s.execute(update(m.Target).where(m.Target.id == cat.targets[2]).values(monitoring=mode))
    result = import_evaluation_file(cat.factory, path)
    assert _codes(result) == [("target-not-qualitative", L.DATA_SHEET, 5, "D")]


def test_unknown_unit_is_reported_at_the_header(cat: Cat, tmp_path: Path) -> None:
    path = filled(template(cat, tmp_path), GOOD)
    with cat.factory() as s, s.begin():
        s.execute(update(m.Unit).where(m.Unit.id == cat.units[WOMEN_FED]).values(name="区妇女联合会"))
    result = import_evaluation_file(cat.factory, path)
    assert _codes(result) == [("unknown-unit", L.DATA_SHEET, L.INFO_ROW, "A")]


def test_cycle_rules(cat: Cat, tmp_path: Path) -> None:
    with cat.factory() as s:
        spec = evaluation_spec(s, cat.unit(s, WOMEN_FED), "midterm")
    outside = EvaluationSpec(spec.area_code, spec.area_name, spec.unit_id, spec.unit_name,
                             "2030", spec.rows, key=spec.key)
    bad = EvaluationSpec(spec.area_code, spec.area_name, spec.unit_id, spec.unit_name,
                         "mid", spec.rows, key=spec.key)
    p1 = filled(write_evaluation_template(outside, tmp_path / "outside.xlsx"), GOOD)
    p2 = filled(write_evaluation_template(bad, tmp_path / "bad.xlsx"), GOOD)
    r1, r2 = import_evaluations(cat.factory, [p1, p2]).files
    assert _codes(r1) == [("invalid-cycle", L.DATA_SHEET, 4, "D"),
                          ("invalid-cycle", L.DATA_SHEET, 5, "D")]
    assert _codes(r2) == [("invalid-cycle", L.DATA_SHEET, L.INFO_ROW, "A")]


def test_unrated_rows_warn_and_an_unrated_file_is_empty(cat: Cat, tmp_path: Path) -> None:
    part = filled(template(cat, tmp_path), {"F4": "未完成", "G4": "机制尚在起草。"})
    result = import_evaluation_file(cat.factory, part)
    assert result.accepted and result.entered == 1
    assert _codes(result) == [("not-evaluated", L.DATA_SHEET, 5, "F")]
    blank = template(cat, tmp_path, unit=CIVIL, name="blank.xlsx")
    empty = import_evaluation_file(cat.factory, blank)
    assert not empty.accepted and [p.code for p in empty.report.problems] == [
        "not-evaluated", "not-evaluated", "empty-file"]


# --------------------------------------------------------------------------- storing


def test_valid_workbook_is_stored_and_listed(cat_any: Cat, tmp_path: Path) -> None:
    path = filled(template(cat_any, tmp_path), {**GOOD, "F4": " 完成 "})
    result = import_evaluation_file(cat_any.factory, path, "区妇联张三", now=NOW)
    assert result.accepted and result.report.problems == []
    assert (result.entered, result.replaced, result.unchanged) == (2, 0, 0)
    with cat_any.factory() as s:
        infos = list_self_evaluations(s, cycle="midterm", area="市中区", unit=WOMEN_FED)
        assert list_self_evaluations(s, unit=CIVIL) == []
    assert [(i.number, i.rating, i.evidence, i.entered_by, i.entered_at) for i in infos] == [
        (1, "完成", EVIDENCE, "区妇联张三", NOW),
        (2, "基本完成", "部分街道尚未建立台账。", "区妇联张三", NOW),
    ]


def test_invalid_workbook_changes_nothing(cat_any: Cat, tmp_path: Path) -> None:
    first = filled(template(cat_any, tmp_path), GOOD)
    assert import_evaluation_file(cat_any.factory, first).accepted
    before = snapshot(cat_any)
    # One good row changed and one bad row: the good change must not be stored either.
    bad = filled(template(cat_any, tmp_path, name="again.xlsx"),
                 {"F4": "未完成", "G4": "改了", "F5": "很好"})
    result = import_evaluation_file(cat_any.factory, bad)
    assert not result.accepted and [p.code for p in result.report.errors] == ["invalid-rating"]
    assert snapshot(cat_any) == before


def test_reentry_replaces_the_row_and_keeps_history(cat_any: Cat, tmp_path: Path) -> None:
    later = NOW + dt.timedelta(days=30)
    first = filled(template(cat_any, tmp_path), GOOD)
    assert import_evaluation_file(cat_any.factory, first, "张三", now=NOW).accepted
    # The new template is pre-filled with the stored ratings; the unit corrects one.
    second_tpl = template(cat_any, tmp_path, name="second.xlsx")
    ws = load_workbook(second_tpl)[L.DATA_SHEET]
    assert (ws["F4"].value, ws["G5"].value) == ("完成", "部分街道尚未建立台账。")
    second = filled(second_tpl, {"F5": "完成", "G5": "各街道均已建立台账。"})
    result = import_evaluation_file(cat_any.factory, second, "李四", now=later)
    assert (result.entered, result.replaced, result.unchanged) == (0, 1, 1)
    with cat_any.factory() as s:
        rows = s.scalars(select(m.SelfEvaluation).order_by(m.SelfEvaluation.target_id)).all()
        assert [(r.rating, r.entered_by) for r in rows] == [("完成", "张三"), ("完成", "李四")]
        events = s.scalars(select(m.AuditEvent).where(m.AuditEvent.entity == "self_evaluation")
                           .order_by(m.AuditEvent.id)).all()
        assert [e.action for e in events] == ["self_evaluation.enter"] * 2 + ["self_evaluation.replace"]
        replaced = events[-1]
        assert replaced.entity_id == str(rows[1].id)
        assert replaced.detail["old"] == {
            "rating": "基本完成", "evidence": "部分街道尚未建立台账。", "entered_by": "张三",
            "entered_at": NOW.isoformat()}
        assert replaced.detail["new"] == {"rating": "完成", "evidence": "各街道均已建立台账。"}
        files = s.scalars(select(m.AuditEvent.detail).where(
            m.AuditEvent.action == "self_evaluation.import")).all()
        assert [(d["entered"], d["replaced"], d["unchanged"]) for d in files] == [(2, 0, 0), (0, 1, 1)]


def test_two_lead_units_rate_the_same_target_separately(cat_any: Cat, tmp_path: Path) -> None:
    fed = filled(template(cat_any, tmp_path), GOOD)
    civil = filled(template(cat_any, tmp_path, unit=CIVIL, name="civil.xlsx"),
                   {"F4": "未完成", "G4": "民政口径：尚未完成。", "F5": "完成", "G5": EVIDENCE})
    assert import_evaluations(cat_any.factory, [fed, civil]).accepted
    with cat_any.factory() as s:
        infos = list_self_evaluations(s, cycle="midterm")
    assert [(i.number, i.unit, i.rating) for i in infos] == [
        (1, WOMEN_FED, "完成"), (2, WOMEN_FED, "基本完成"), (2, CIVIL, "未完成"), (3, CIVIL, "完成")]


def test_session_destination_leaves_the_commit_to_the_caller(cat_any: Cat, tmp_path: Path) -> None:
    path = filled(template(cat_any, tmp_path), GOOD)
    with cat_any.factory() as s:
        assert import_evaluation_file(s, path).accepted
        s.rollback()
    assert snapshot(cat_any)[0] == []



# --------------------------------------------------------------------------- demo helper

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples" / "plans").iterdir())


def test_demo_self_evaluations_on_the_seed_workspace(
    db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces
) -> None:
    from planwatch.demo.selfeval import add_demo_self_evaluations
    from planwatch.store.workspace import open_workspace

    url = None if db_url.startswith("sqlite") else db_url
    with open_workspace(seed_workspaces.make(tmp_path / "ws", SEEDS, url)) as ws:
        with ws.sessions() as s:
            expected = sum(len(qualitative_targets(s, u, "midterm")) for u in lead_units(s))
        stored = add_demo_self_evaluations(ws, "midterm", "演示")
        assert stored == expected > 50
        before = snapshot_ws(ws)
        assert add_demo_self_evaluations(ws, "midterm", "演示") == expected  # all unchanged
        after = snapshot_ws(ws)
        with ws.sessions() as s:
            infos = list_self_evaluations(s, cycle="midterm")
    assert after[:2] == before[:2]  # same rows, no replace events
    assert after[2] == 2 * before[2]  # one more import event per workbook
    assert before[1] == expected
    ratings = {i.rating for i in infos}
    assert ratings == {"完成", "基本完成", "未完成"}
    assert all(i.evidence.startswith("【示例数据") for i in infos)
    assert {i.area_code for i in infos} == {"370103", "370406"}


def snapshot_ws(ws: Any) -> tuple[list[tuple[Any, ...]], int, int]:
    """(self-evaluation rows, per-row audit events, file import events)."""
    with ws.sessions() as s:
        rows = [tuple(r) for r in s.execute(
            select(m.SelfEvaluation.id, m.SelfEvaluation.rating, m.SelfEvaluation.evidence)
            .order_by(m.SelfEvaluation.id))]
        per_row = len(s.scalars(select(m.AuditEvent.id).where(
            m.AuditEvent.entity == "self_evaluation")).all())
        files = len(s.scalars(select(m.AuditEvent.id).where(
            m.AuditEvent.action == "self_evaluation.import")).all())
    return rows, per_row, files


def test_a_batch_with_a_refused_workbook_stores_none_unless_partial(cat: Cat, tmp_path: Path) -> None:
    """The same batch rule as the figures import: one refused file holds back the valid ones."""
    good = filled(template(cat, tmp_path, name="good.xlsx"), GOOD)
    bad = filled(template(cat, tmp_path, name="bad.xlsx"), {**GOOD, "F4": "done"})
    before = snapshot(cat)
    held = import_evaluations(cat.factory, [good, bad])
    assert [(f.accepted, f.held) for f in held.files] == [(False, True), (False, False)]
    assert held.held == 1 and not held.accepted
    assert held.to_dict()["rejected"] == 1
    assert snapshot(cat) == before  # nothing of the valid file went in
    partial = import_evaluations(cat.factory, [good, bad], partial=True)
    assert [(f.accepted, f.held) for f in partial.files] == [(True, False), (False, False)]
    assert partial.files[0].entered == 2
    assert snapshot(cat) != before
