"""Township (乡级) import into a workspace: validated line by line, all or nothing, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from planwatch.areas import NATIONAL_CODE, AreaFileError
from planwatch.cli.main import app
from planwatch.store import models as db
from planwatch.store.area_import import import_townships, read_area_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHANTING = FIXTURES / "areas" / "shanting-streets-2023.csv"
JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
HEADER = "code,name,level,parent_code\n"


def _write(tmp_path: Path, body: str, name: str = "towns.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(db.Area)) or 0


def test_import_shanting_townships(session: Session) -> None:
    rows = read_area_file(SHANTING)
    summary = import_townships(session, rows, source=str(SHANTING), actor="张三")
    session.commit()
    assert len(summary.added) == 11 and summary.unchanged == []
    town = session.get(db.Area, "370406101")
    assert town is not None
    assert (town.name, town.full_name, town.level, town.parent_code) == (
        "店子镇", "山东省枣庄市山亭区店子镇", "street", "370406",
    )  # fmt: skip
    # the ancestors came along, up to the nation
    assert [session.get(db.Area, c) is not None for c in (NATIONAL_CODE, "370000", "370400", "370406")] == [True] * 4
    event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "area.import")).one()
    assert event.actor == "张三" and len(event.detail["added"]) == 11

    again = import_townships(session, read_area_file(SHANTING), source=str(SHANTING), actor="张三")
    assert again.added == [] and len(again.unchanged) == 11


def test_township_of_a_city_without_counties(session: Session, tmp_path: Path) -> None:
    path = _write(tmp_path, "441900003,东城街道,street,441900\n")
    summary = import_townships(session, read_area_file(path), source=str(path), actor="t")
    assert summary.added == ["441900003"]
    assert session.get(db.Area, "441900003").full_name == "广东省东莞市东城街道"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("37040610,山城街道,street,370406\n", "应为 9 位数字"),
        ("370406001,山城街道,county,370406\n", "层级应为 street"),
        ("370499001,某街道,street,370499\n", "上级代码 370499 不存在"),
        ("370400001,某街道,street,370400\n", "不是县级地区"),
        ("370103001,某街道,street,370406\n", "前 6 位应为上级代码 370406"),
        ("370406001,山城街道,street,370406\n370406001,店子镇,street,370406\n", "与第 3 行重复"),
        ("370406001,山城街道,street,370406\n370406002,山城街道,street,370406\n", "有两个“山城街道”"),
        ("370406001,,street,370406\n", "缺少名称"),
        ("370406001,山城街道,street,\n", "缺少上级代码"),
        ("370406001,山城街道,street\n", "应有 4 列"),
    ],
)
def test_bad_lines_change_nothing(session: Session, tmp_path: Path, body: str, expected: str) -> None:
    good = "370406101,店子镇,street,370406\n"
    path = _write(tmp_path, good + body)
    before = _count(session)
    with pytest.raises(AreaFileError) as info:
        import_townships(session, read_area_file(path), source=str(path), actor="t")
    assert any(expected in p for p in info.value.problems), info.value.problems
    assert all(f"{path}:" in p for p in info.value.problems)
    assert _count(session) == before


def test_existing_code_with_another_name_is_refused(session: Session, tmp_path: Path) -> None:
    import_townships(session, read_area_file(SHANTING), source="first", actor="t")
    path = _write(tmp_path, "370406001,山城镇,street,370406\n")
    with pytest.raises(AreaFileError) as info:
        import_townships(session, read_area_file(path), source=str(path), actor="t")
    assert "已是“山东省枣庄市山亭区山城街道”" in info.value.problems[0]


def test_header_and_encoding(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("代码,名称\n370406001,山城街道\n", encoding="utf-8")
    with pytest.raises(AreaFileError, match="表头应为"):
        read_area_file(wrong)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "370406001,山城街道,street,370406\n").encode("gbk"))
    with pytest.raises(AreaFileError, match="UTF-8"):
        read_area_file(gbk)
    bom = tmp_path / "bom.csv"
    bom.write_text(HEADER + "370406001,山城街道,street,370406\n", encoding="utf-8-sig")
    assert [r.code for r in read_area_file(bom)] == ["370406001"]


def test_cli_area_import_and_find(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws), "--plan", str(JINAN)]).exit_code == 0
    result = runner.invoke(app, ["area", "import", str(ws), str(SHANTING)])
    assert result.exit_code == 0, result.output
    assert "新增 11 个" in result.output
    bad = _write(tmp_path, "370406001,山城街道,street,370406\n370400001,某街道,street,370400\n")
    result = runner.invoke(app, ["area", "import", str(ws), str(bad)])
    assert result.exit_code == 1
    assert "未做任何修改" in result.output and f"{bad}:3" in result.output
    result = runner.invoke(app, ["area", "find", "市中区"])
    assert result.exit_code == 0 and "370402" in result.output and "511102" in result.output
    result = runner.invoke(app, ["area", "find", "火星"])
    assert result.exit_code == 1
