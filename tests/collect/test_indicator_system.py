"""The bureau's 监测指标体系: reading, matching to the plan, applying (issue 9, part 5).

The realistic table (data/shanting_indicator_system.csv) was written from the targets of the
山亭区 women's plan the way a statistics bureau prints them, with deliberate differences:
学前三年 for 学前3年, 从业人员 for 就业人员, no 的, a - for —, and four rows the plan does not
have (孕产妇住院分娩率, 妇女参与决策和管理水平, 妇女参加基本医疗保险人数, 妇女法律援助受援人数).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook
from seed_workspaces import SeedWorkspaces
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch.assess.inputs import load_inputs
from planwatch.cli.main import app
from planwatch.collect.indicator_system import (
    IndicatorSystemError,
    MatchReport,
    PlanItem,
    TableRow,
    apply_indicator_system,
    canonical_unit,
    match_indicator_system,
    match_rows,
    normalise_name,
    read_indicator_table,
    resolve_scope,
    similarity,
)
from planwatch.collect.selfeval.targets import qualitative_targets
from planwatch.store import models as db
from planwatch.store.workspace import open_workspace

DATA = Path(__file__).parent / "data"
TABLE = DATA / "shanting_indicator_system.csv"
SHANTING = Path(__file__).resolve().parents[2] / "examples" / "plans" / "shanting-gazette-2022-1.md"
ONLY_IN_TABLE = ["孕产妇住院分娩率", "妇女参与决策和管理水平", "妇女参加基本医疗保险人数", "妇女法律援助受援人数"]


@pytest.fixture(scope="module")
def shanting(tmp_path_factory: pytest.TempPathFactory, seed_workspaces: SeedWorkspaces) -> Path:
    """What ``init_workspace(path, [SHANTING])`` leaves (copied from the run's seed workspace)."""
    return seed_workspaces.make(tmp_path_factory.mktemp("is") / "ws", [SHANTING])


@pytest.fixture
def ws_copy(shanting: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(shanting, target)
    return target


def _rows() -> list[list[str]]:
    with TABLE.open(encoding="utf-8") as f:
        return list(csv.reader(f))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


# --------------------------------------------------------------------------- reading


def test_reads_the_csv_table() -> None:
    table = read_indicator_table(TABLE)
    assert table.header_row == 1 and table.sheet is None
    assert len(table.rows) == 21
    first, second = table.rows[0], table.rows[1]
    assert (first.name, first.unit, first.mode) == ("孕产妇死亡率", "1/10万", "quantitative")
    assert first.domain == "妇女与健康"
    # an empty 领域 cell repeats the one above (merged cells in the printed table)
    assert second.domain == "妇女与健康"
    assert table.rows[8].domain == "妇女与经济"
    assert [r.mode for r in table.rows if r.name in ("妇女健康素养水平", "妇女参加基本医疗保险人数")] == [
        "qualitative", "excluded"]
    assert first.where.endswith("第 2 行")


def _xlsx_like_the_bureau(path: Path) -> Path:
    """The same table as an office prints it: an instructions sheet first, a title row,
    header spellings of its own, merged 领域 cells and a section row."""
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "填表说明"
    notes.append(["本表由区统计局制定，请勿改动表头。"])
    sheet = wb.create_sheet("指标体系")
    sheet.append(["山亭区“十四五”妇女发展规划监测指标体系"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序 号", "所属领域", "指标 名称", "计量\n单位", "目标值（2025年）", "牵头单位",
                  "指标属性", "统计口径"])
    sheet.append(["一、妇女与健康"])
    rows = _rows()[1:]
    for row in rows:
        sheet.append(row)
    # 领域 merged over its rows: openpyxl keeps the value in the first cell only
    sheet.merge_cells(start_row=4, start_column=2, end_row=9, end_column=2)
    wb.save(path)
    return path


def test_reads_an_xlsx_with_title_row_variant_headers_and_merged_cells(tmp_path: Path) -> None:
    table = read_indicator_table(_xlsx_like_the_bureau(tmp_path / "体系.xlsx"))
    assert table.sheet == "指标体系" and table.header_row == 2
    assert table.columns["计量单位"] == "计量\n单位" and table.columns["目标值"] == "目标值（2025年）"
    from_csv = read_indicator_table(TABLE)
    assert [(r.name, r.domain, r.mode, r.unit, r.definition) for r in table.rows] == [
        (r.name, r.domain, r.mode, r.unit, r.definition) for r in from_csv.rows]


def test_wrong_sheet_names_the_sheets(tmp_path: Path) -> None:
    path = _xlsx_like_the_bureau(tmp_path / "体系.xlsx")
    with pytest.raises(IndicatorSystemError, match="没有工作表“Sheet1”；工作簿中的工作表：填表说明、指标体系"):
        read_indicator_table(path, sheet="Sheet1")
    with pytest.raises(IndicatorSystemError, match=r"填表说明.*没有含“指标名称”的表头行"):
        read_indicator_table(path, sheet="填表说明")


def test_missing_column_is_named_with_its_place(tmp_path: Path) -> None:
    rows = [r[:7] for r in _rows()]  # no 口径
    with pytest.raises(IndicatorSystemError) as err:
        read_indicator_table(_write_csv(tmp_path / "t.csv", rows))
    message = str(err.value)
    assert "t.csv 第 1 行表头缺少列：口径（表头为：序号、领域、指标名称" in message
    rows = [[c for j, c in enumerate(r) if j not in (3, 6)] for r in _rows()]  # no 计量单位, 定量/定性
    with pytest.raises(IndicatorSystemError, match="缺少列：计量单位、定量/定性"):
        read_indicator_table(_write_csv(tmp_path / "t2.csv", rows))


def test_empty_and_headerless_tables(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(IndicatorSystemError, match=r"empty\.csv：空表"):
        read_indicator_table(tmp_path / "empty.csv")
    with pytest.raises(IndicatorSystemError, match="表头下没有指标行"):
        read_indicator_table(_write_csv(tmp_path / "h.csv", _rows()[:1]))
    # the header further down than the rows scanned is not found
    rows = [[f"说明{i}"] for i in range(10)] + _rows()
    with pytest.raises(IndicatorSystemError, match="前 10 行中没有含“指标名称”的表头行"):
        read_indicator_table(_write_csv(tmp_path / "deep.csv", rows))
    rows = [[f"说明{i}"] for i in range(9)] + _rows()
    assert read_indicator_table(_write_csv(tmp_path / "ok.csv", rows)).header_row == 10


def test_bad_mode_cell_and_bad_files(tmp_path: Path) -> None:
    rows = _rows()
    rows[3][6] = "统计"
    with pytest.raises(IndicatorSystemError, match="第 4 行“定量/定性”列为“统计”"):
        read_indicator_table(_write_csv(tmp_path / "m.csv", rows))
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(IndicatorSystemError, match="无法作为 Excel 工作簿打开"):
        read_indicator_table(tmp_path / "x.xlsx")
    (tmp_path / "x.txt").write_text("序号", encoding="utf-8")
    with pytest.raises(IndicatorSystemError, match=r"应为 \.xlsx 或 \.csv"):
        read_indicator_table(tmp_path / "x.txt")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("\n".join(",".join(r) for r in _rows()).encode("gb18030"))
    assert len(read_indicator_table(gbk).rows) == 21


# --------------------------------------------------------------------------- matching rule


def test_normalised_names() -> None:
    assert normalise_name("学前三年毛入园率") == normalise_name("学前3年毛入园率")
    assert normalise_name("35-64岁妇女") == normalise_name("35—64岁妇女")
    assert normalise_name("就业人员中的女性比例") == normalise_name("就业人员中女性比例")
    assert normalise_name("每个村（社区）“两委”班子") == normalise_name('每个村(社区)"两委"班子')
    assert normalise_name("HPV疫苗") == normalise_name("ＨＰＶ疫苗")


def _row(name: str, mode: str | None = "quantitative") -> TableRow:
    return TableRow(where="t 第 2 行", seq="1", domain="", name=name, unit="", target="", lead="",
                    mode=mode, definition="")


def _items(*names: str) -> list[PlanItem]:
    return [PlanItem(n, i + 1, (i + 1,)) for i, n in enumerate(names)]


def _match(rows: list[TableRow], items: list[PlanItem]) -> MatchReport:
    report = MatchReport(table=None)  # type: ignore[arg-type]
    match_rows(rows, items, report)
    return report


def test_similarity_threshold_edges() -> None:
    # 5 bigrams each, 4 shared: exactly 0.8 matches; 4 bigrams each, 3 shared (0.75) does not
    assert similarity("村委会主任数", "村委会主任率") == pytest.approx(0.8)
    assert [m.rule for m in _match([_row("村委会主任数")], _items("村委会主任率")).matched] == ["名称相似 0.80"]
    assert similarity("村委会主任", "村委会主席") == pytest.approx(0.75)
    report = _match([_row("村委会主任")], _items("村委会主席"))
    assert report.matched == [] and [r.name for r in report.only_in_table] == ["村委会主任"]
    assert [i.label for i in report.only_in_plan] == ["村委会主席"]


def test_two_close_candidates_are_ambiguous() -> None:
    report = _match([_row("城镇单位从业人员中女性比例")],
                    _items("城镇单位就业人员中女性比例", "城镇单位执业人员中女性比例"))
    assert report.matched == []
    assert [c for _, c in report.ambiguous] == [["城镇单位就业人员中女性比例", "城镇单位执业人员中女性比例"]]


def test_a_second_row_for_the_same_indicator_is_a_duplicate() -> None:
    report = _match([_row("孕产妇死亡率"), _row("孕产妇死亡率（1/10万）")], _items("孕产妇死亡率"))
    assert len(report.matched) == 1
    assert [(r.name, note) for r, note in report.duplicates] == [
        ("孕产妇死亡率（1/10万）", "与t 第 2 行对应同一项：孕产妇死亡率")]


def test_qualitative_row_matches_a_qualitative_target_by_its_text() -> None:
    target = PlanItem("妇女与经济 主要目标(1)：…", None, (9,), text="保障妇女平等获得经济资源和参与经济建设。")
    assert [m.rule for m in _match([_row("妇女平等获得经济资源", "qualitative")], [target]).matched] == ["目标文字包含"]
    # a 定量 row never matches a sentence
    assert _match([_row("妇女平等获得经济资源")], [target]).matched == []


def test_units() -> None:
    assert canonical_unit("1/10万") == "/10万"
    assert canonical_unit("％") == "%"
    assert canonical_unit("—") == ""
    assert canonical_unit("人次/年") is None


# --------------------------------------------------------------------------- the seed plan


def test_matches_the_shanting_womens_plan(shanting: Path) -> None:
    with open_workspace(shanting) as ws, ws.session() as s:
        code, plan_ids = resolve_scope(s, None, "women")
        report = match_indicator_system(s, read_indicator_table(TABLE), area_code=code, plan_ids=plan_ids)
    assert code == "370406"
    assert len(report.matched) == 17
    assert [r.name for r in report.only_in_table] == ONLY_IN_TABLE
    rules = {m.row.name: (m.item.label, m.rule) for m in report.matched}
    assert rules["学前三年毛入园率"] == ("学前3年毛入园率", "名称一致")
    assert rules["城镇单位从业人员中女性比例"] == ("城镇单位就业人员中的女性比例", "名称相似 0.83")
    assert rules["每个村（社区）“两委”班子中有妇女成员"][1] == "名称一致"
    only_plan = [i.label for i in report.only_in_plan]
    assert "孕产妇系统管理率" in only_plan and "孕产妇死亡率" not in only_plan
    assert any(label.startswith("妇女与经济 主要目标(1)：") for label in only_plan)  # a qualitative target
    assert report.ambiguous == [] and report.duplicates == []


def test_scope_errors(shanting: Path) -> None:
    with open_workspace(shanting) as ws, ws.session() as s:
        with pytest.raises(IndicatorSystemError, match="没有地区“市中区”；可用：370406 山亭区"):
            resolve_scope(s, "市中区", None)
        with pytest.raises(IndicatorSystemError, match="没有与“老年”相符的规划"):
            resolve_scope(s, "山亭区", "老年")
        assert len(resolve_scope(s, "370406", None)[1]) == 2


def _target_of(s: object, plan_word: str, indicator: str) -> db.Target:
    return s.scalars(  # type: ignore[attr-defined, no-any-return]
        select(db.Target)
        .join(db.TargetValue, db.TargetValue.target_id == db.Target.id)
        .join(db.Indicator, db.Indicator.id == db.TargetValue.indicator_id)
        .join(db.Plan, db.Plan.id == db.TargetValue.plan_id)
        .where(db.Indicator.name == indicator, db.Plan.title.contains(plan_word))
    ).one()


def test_apply_sets_modes_definitions_units_and_is_audited(ws_copy: Path) -> None:
    with open_workspace(ws_copy) as ws, ws.session() as s:
        code, plan_ids = resolve_scope(s, None, "women")
        report = match_indicator_system(s, read_indicator_table(TABLE), area_code=code, plan_ids=plan_ids)
        changes = apply_indicator_system(s, report, actor="区统计局")
    whats = [c.what for c in changes]
    # 女性厕位与男性厕位的比例 is stated only in a 策略措施: no target whose mode could be set
    assert [n for n in report.notes if "只见于策略措施" in n] == [
        "shanting_indicator_system.csv 第 21 行“女性厕位与男性厕位的比例”只见于策略措施，没有对应的主要目标，"
        "监测方式不变（按量化监测）(only in a measure: mode not stored)"]
    assert sum("监测方式" in w for w in whats) == 2  # 妇女健康素养水平 → 定性, 两委 → 不纳入
    with open_workspace(ws_copy) as ws, ws.session() as s:
        literacy = _target_of(s, "妇女", "妇女健康素养水平")
        committees = _target_of(s, "妇女", "每个村（社区）“两委”班子中有妇女成员")
        assert (literacy.monitoring, committees.monitoring) == ("qualitative", "excluded")
        mmr = s.scalars(select(db.Indicator).where(db.Indicator.name == "孕产妇死亡率")).one()
        assert mmr.definition == "辖区内妊娠期至产后42天内死亡的孕产妇数÷同期活产数×10万"
        assert mmr.unit == "/10万"  # 1/10万 is the same unit: no change
        lit = s.scalars(select(db.Indicator).where(db.Indicator.name == "妇女健康素养水平")).one()
        assert (lit.unit, lit.is_rate, lit.rate_base) == ("%", True, 100)
        event = s.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.indicator_system")).one()
        assert event.actor == "区统计局" and len(event.detail["changes"]) == len(changes)
        # the assessment leaves both out; the self-evaluation path now lists 妇女健康素养水平
        inputs = load_inputs(s, areas=["370406"])
        names = set(inputs.targets["indicator_name"].to_list())
        assert "妇女健康素养水平" not in names and "每个村（社区）“两委”班子中有妇女成员" not in names
        assert "孕产妇死亡率" in names
        lead = s.scalars(select(db.Unit).where(db.Unit.name == "区卫生健康局", db.Unit.area_code == "370406")).one()
        assert literacy.id in {t.id for t in qualitative_targets(s, lead, "midterm")}
    # applying the same table again changes nothing
    with open_workspace(ws_copy) as ws, ws.session() as s:
        report = match_indicator_system(s, read_indicator_table(TABLE), area_code=code, plan_ids=plan_ids)
        assert apply_indicator_system(s, report, actor="区统计局") == []


def test_apply_is_all_or_nothing(ws_copy: Path, tmp_path: Path) -> None:
    rows = _rows()
    rows[2][3] = "人次/年"  # 妇女常见病筛查率 in an unknown unit
    table = read_indicator_table(_write_csv(tmp_path / "bad.csv", rows))
    with open_workspace(ws_copy) as ws, ws.session() as s:
        code, plan_ids = resolve_scope(s, None, "women")
        report = match_indicator_system(s, table, area_code=code, plan_ids=plan_ids)
        with pytest.raises(IndicatorSystemError, match="第 3 行：无法识别计量单位“人次/年”"):
            apply_indicator_system(s, report, actor="x")
    with open_workspace(ws_copy) as ws, ws.session() as s:
        mmr = s.scalars(select(db.Indicator).where(db.Indicator.name == "孕产妇死亡率")).one()
        assert mmr.definition is None
        assert _target_of(s, "妇女", "妇女健康素养水平").monitoring == "quantitative"
        assert s.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.indicator_system")).all() == []


def test_a_quantitative_row_for_a_target_with_another_indicator_keeps_it_monitored(
    ws_copy: Path, tmp_path: Path
) -> None:
    """Monitoring is per target: 不纳入 for one indicator of a target whose other indicator is
    定量 leaves the target 量化监测 (its figures are still wanted)."""
    header = _rows()[0]
    rows = [header,
            ["1", "妇女参与决策和管理", "每个镇街党政班子中配备女干部", "名", "≥1", "区委组织部", "不纳入监测", ""],
            ["2", "", "全区镇街党政正职中女干部总数", "名", "≥2", "区委组织部", "定量", ""]]
    table = read_indicator_table(_write_csv(tmp_path / "t.csv", rows))
    with open_workspace(ws_copy) as ws, ws.session() as s:
        code, plan_ids = resolve_scope(s, None, "women")
        report = match_indicator_system(s, table, area_code=code, plan_ids=plan_ids)
        assert len(report.matched) == 2
        assert apply_indicator_system(s, report, actor="x") == []
        assert _target_of(s, "妇女", "每个镇街党政班子中配备女干部").monitoring == "quantitative"
        assert report.notes == ["t.csv 第 3 行与t.csv 第 2 行属同一主要目标而监测方式不同，按量化监测"
                                " (one target, two modes: the stronger kept)"]


def test_cli_match_and_apply(ws_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["catalogue", "match", str(ws_copy), str(TABLE), "--plan", "妇女"])
    assert out.exit_code == 0, out.output
    assert "仅在指标体系中 only in the table（4）" in out.output and "孕产妇住院分娩率" in out.output
    assert "未修改" in out.output
    out = runner.invoke(app, ["catalogue", "match", str(ws_copy), str(TABLE), "--plan", "妇女", "--apply",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"only_in_table"' in out.output and "监测方式" in out.output
    bad = _write_csv(tmp_path / "bad.csv", [r[:7] for r in _rows()])
    out = runner.invoke(app, ["catalogue", "match", str(ws_copy), str(bad)])
    assert out.exit_code == 1 and "缺少列：口径" in out.output


def test_targets_frame_respects_excluded_monitoring(ws_copy: Path) -> None:
    """不纳入监测 targets are not assessed: their rows leave the targets frame (and 达标率)."""
    with open_workspace(ws_copy) as ws, ws.session() as s:
        before = load_inputs(s).targets.height
        t = _target_of(s, "妇女", "孕产妇死亡率")
        t.monitoring = "excluded"
        s.flush()
        after = load_inputs(s).targets
    assert before - after.height == 2  # 孕产妇死亡率 and its 城乡差距
    assert after.filter(pl.col("indicator_name").str.starts_with("孕产妇死亡率")).height == 0


def test_self_evaluations_count_only_for_rated_targets(ws_copy: Path) -> None:
    """A target switched from 定性评价 to 不纳入监测 drops its self-evaluations from the assessment."""
    with open_workspace(ws_copy) as ws, ws.session() as s:
        target = s.scalars(
            select(db.Target).join(db.TargetUnit).where(db.Target.kind == "qualitative", db.TargetUnit.role == "lead")
        ).first()
        assert target is not None and target.monitoring == "qualitative"
        lead = target.units[0].unit
        s.add(db.SelfEvaluation(target_id=target.id, area_code=lead.area_code, cycle="midterm", rating="完成",
                                unit_id=lead.id, entered_by="test"))
        s.flush()
        assert load_inputs(s).self_evaluations.height == 1
        target.monitoring = "excluded"
        s.flush()
        assert load_inputs(s).self_evaluations.height == 0
