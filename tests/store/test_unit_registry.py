"""Units added by hand (national outlines name none): checked, audited, usable as reporters."""

from __future__ import annotations

from pathlib import Path

import fast_yaml
import pytest
from seed_workspaces import SeedWorkspaces
from sqlalchemy import func, select
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.store import models as db
from planwatch.store.unit_registry import UnitRegistryError, add_unit, list_units
from planwatch.store.workspace import open_workspace

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
runner = CliRunner()


def _url(db_url: str) -> str | None:
    return None if db_url.startswith("sqlite") else db_url


def _unit_count(path: Path) -> int:
    """Counted through a new connection, so a rolled-back session cannot hide a write."""
    with open_workspace(path) as ws, ws.session() as session:
        return session.scalar(select(func.count()).select_from(db.Unit)) or 0


@pytest.fixture
def jinan_ws(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> Path:
    """``init_workspace(tmp_path / "ws", [JINAN], url)``, copied from one made before."""
    return seed_workspaces.make(tmp_path / "ws", [JINAN], _url(db_url))


def test_add_unit_then_use_it_as_reporter(jinan_ws: Path, tmp_path: Path) -> None:
    path = jinan_ws
    before = _unit_count(path)
    with open_workspace(path) as ws, ws.session() as session:
        unit = add_unit(session, "370103", " 区 统计局 ", aliases=["市中区统计局", "区统计局"], actor="张三")
        assert (unit.name, unit.aliases) == ("区统计局", ["市中区统计局"])
    assert _unit_count(path) == before + 1
    with open_workspace(path) as ws, ws.session() as session:
        event = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "unit.add")).one()
        assert event.actor == "张三"
        assert event.detail["name"] == "区统计局"
        rows = {r.name: r for r in list_units(session, "市中区")}
        assert rows["区统计局"].targets == 0
        assert rows["区卫生健康局"].targets > 0
    # The new unit can now be named as a reporter in the catalogue YAML.
    out = tmp_path / "catalogue.yaml"
    assert runner.invoke(app, ["catalogue", "export", str(path), "-o", str(out)]).exit_code == 0
    doc = fast_yaml.safe_load(out.read_text(encoding="utf-8"))
    entry = next(i for i in doc["indicators"] if i.get("reporters"))
    area = next(iter(entry["reporters"]))
    entry["reporters"][area] = ["区统计局"]
    out.write_text(fast_yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["catalogue", "import", str(path), str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("area", "name", "aliases", "message"),
    [
        ("370103", "区卫生健康局", [], "已有单位"),
        ("370103", "区统计局", ["公安市中分局"], "公安市中分局"),
        ("370103", "   ", [], "名称为空"),
        ("370103", "局" * 201, [], "超过200"),
        ("999999", "区统计局", [], "没有地区"),
    ],
)
def test_add_unit_refusals_change_nothing(
    jinan_ws: Path, area: str, name: str, aliases: list[str], message: str
) -> None:
    path = jinan_ws
    before = _unit_count(path)
    with pytest.raises(UnitRegistryError, match=message), open_workspace(path) as ws, ws.session() as session:
        add_unit(session, area, name, aliases=aliases)
    assert _unit_count(path) == before


def test_unit_cli(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(path), "--plan", str(JINAN)]).exit_code == 0
    result = runner.invoke(app, ["unit", "add", str(path), "区统计局", "--area", "市中区"])
    assert result.exit_code == 0, result.output
    assert "区统计局" in result.output and "370103" in result.output
    again = runner.invoke(app, ["unit", "add", str(path), "区统计局", "--area", "370103"])
    assert again.exit_code == 1
    assert "已有单位" in again.output
    listed = runner.invoke(app, ["unit", "list", str(path)], terminal_width=200)
    assert listed.exit_code == 0
    assert "区统计局" in listed.output
