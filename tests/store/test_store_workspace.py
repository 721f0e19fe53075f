"""Workspaces: init from the seed plans on both databases, refusal to clobber, upgrades."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from seed_workspaces import SeedWorkspaces
from sqlalchemy import func, inspect, select, text

from planwatch.store import models as db
from planwatch.store.catalogue_loader import LoadError
from planwatch.store.db import make_engine
from planwatch.store.migrate import current_revision, downgrade_to, head_revision
from planwatch.store.workspace import (
    SQLITE_FILE,
    WORKSPACE_FILE,
    WorkspaceError,
    WorkspaceExistsError,
    WorkspaceOutdatedError,
    init_workspace,
    open_workspace,
    upgrade_workspace,
)

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
JINAN = PLANS / "jinan-shizhong-2022-7.txt"
SHANTING = PLANS / "shanting-gazette-2022-1.md"


def _url(db_url: str) -> str | None:
    """None (the default in-workspace SQLite file) for SQLite, the server URL for PostgreSQL."""
    return None if db_url.startswith("sqlite") else db_url


@pytest.mark.slow
def test_init_loads_both_seeds(db_url: str, tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", [JINAN, SHANTING], _url(db_url), actor="tester")
    with ws, ws.session() as s:
        rows = s.execute(
            select(db.Area.name, db.Plan.subject, func.count(db.Target.id))
            .join(db.Plan, db.Plan.area_code == db.Area.code)
            .join(db.Domain, db.Domain.plan_id == db.Plan.id)
            .join(db.Target, db.Target.domain_id == db.Domain.id)
            .where(db.Plan.subject != "other")
            .group_by(db.Area.name, db.Plan.subject)
        ).all()
        assert sorted(rows) == [
            ("山亭区", "children", 61),
            ("山亭区", "women", 79),
            ("市中区", "children", 60),
            ("市中区", "women", 79),
        ]
        assert sum(r[2] for r in rows) == 279
        # both districts' women's plans name 孕产妇死亡率: one indicator, two target values
        mmr = s.scalars(
            select(db.Indicator).where(db.Indicator.name == "孕产妇死亡率", db.Indicator.subject == "women")
        ).one()
        assert sorted(tv.area_code for tv in mmr.target_values if tv.target_id) == ["370103", "370406"]
        assert mmr.code.startswith("W01-")
        assert (mmr.better, mmr.rate_base) == ("lower", 100000)
        police = s.scalars(select(db.Unit).where(db.Unit.area_code == "370103", db.Unit.name == "区公安分局")).one()
        assert "公安市中分局" in police.aliases
        assert (
            s.scalar(
                select(func.count())
                .select_from(db.Unit)
                .where(db.Unit.area_code == "370103", db.Unit.name.like("%公安%"))
            )
            == 1
        )
        assert s.scalar(select(func.count()).select_from(db.IndicatorReporter)) > 0
    config = yaml.safe_load((tmp_path / "ws" / WORKSPACE_FILE).read_text(encoding="utf-8"))
    assert config["database_url"] == _url(db_url)
    assert [p["file"] for p in config["plans"]] == [f"plans/{JINAN.name}", f"plans/{SHANTING.name}"]
    assert (tmp_path / "ws" / "plans" / JINAN.name).read_bytes() == JINAN.read_bytes()
    assert ((tmp_path / "ws" / SQLITE_FILE).exists()) == (_url(db_url) is None)


def test_reinit_refused_and_nothing_changed(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    path = seed_workspaces.make(tmp_path / "ws", [JINAN], _url(db_url))
    before = (path / WORKSPACE_FILE).read_bytes()
    with pytest.raises(WorkspaceExistsError, match="工作区已存在"):
        init_workspace(path, [SHANTING], _url(db_url))
    assert (path / WORKSPACE_FILE).read_bytes() == before
    with open_workspace(path) as ws, ws.session() as s:
        assert s.scalar(select(func.count()).select_from(db.Plan)) == 2


def test_init_refuses_non_empty_database(db_url: str, tmp_path: Path) -> None:
    # an explicit URL (here also for SQLite) may point at a database another workspace uses
    init_workspace(tmp_path / "a", [JINAN], db_url).close()
    with pytest.raises(WorkspaceExistsError, match="数据库中已有数据表"):
        init_workspace(tmp_path / "b", [JINAN], db_url)
    assert not (tmp_path / "b").exists()


def test_failed_init_leaves_nothing(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "plan.txt"
    bad.write_text(
        "“十四五”妇女发展规划\n（一）妇女与健康。\n1.主要目标。\n（1）孕产妇死亡率控制在8/10万以下。\n",
        encoding="utf-8",
    )
    path = tmp_path / "ws"
    with pytest.raises(LoadError, match=r"无法确定规划.*所属地区"):
        init_workspace(path, [bad], _url(db_url))
    assert not path.exists()
    if _url(db_url) is not None:  # schema creation was rolled back with the failed load
        engine = make_engine(db_url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="找不到规划文件"):
        init_workspace(tmp_path / "ws", [tmp_path / "nope.txt"])
    assert not (tmp_path / "ws").exists()


def test_open_refuses_an_older_workspace_until_upgraded(
    db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces
) -> None:
    path = seed_workspaces.make(tmp_path / "ws", [JINAN], _url(db_url))
    url = _url(db_url) or f"sqlite:///{path / SQLITE_FILE}"
    engine = make_engine(url)
    # an older planwatch made it: take the schema really back to the initial revision
    downgrade_to(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "series_id" not in {c["name"] for c in inspect(engine).get_columns("indicator")}
    # opening is a read: it names the upgrade command and leaves the database as it was
    with pytest.raises(WorkspaceOutdatedError, match="planwatch upgrade"):
        open_workspace(path)
    assert current_revision(engine) == "0001"
    engine.dispose()
    done = upgrade_workspace(path, actor="tester")
    assert (done.before, done.after, done.changed) == ("0001", head_revision(), True)
    assert not upgrade_workspace(path).changed  # a second upgrade is a no-op
    with open_workspace(path) as ws:
        assert current_revision(ws.engine) == head_revision()
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(db.Plan)) == 2
            upgrades = s.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "schema.upgrade")).all()
            assert [(e.actor, e.detail) for e in upgrades] == [("tester", {"from": "0001", "to": head_revision()})]


def test_open_refuses_newer_database(tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    path = seed_workspaces.make(tmp_path / "ws", [JINAN])
    engine = make_engine(f"sqlite:///{path / SQLITE_FILE}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(WorkspaceError, match="比本程序新"):
        open_workspace(path)


def test_open_refuses_non_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="不是 planwatch 工作区"):
        open_workspace(tmp_path)
    (tmp_path / WORKSPACE_FILE).write_text("name: x\ndeadlines: {annual_data: '13-45'}\n")
    with pytest.raises(WorkspaceError, match=r"deadlines\.annual_data"):
        open_workspace(tmp_path)


def test_deadline_due_dates(tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    seed_workspaces.make(tmp_path / "ws", [JINAN])
    with open_workspace(tmp_path / "ws") as ws:
        assert str(ws.config.deadlines.due("annual_data", 2023)) == "2024-03-31"
        ws.config.deadlines.annual_data = "02-29"
        assert str(ws.config.deadlines.due("annual_data", 2024)) == "2025-02-28"
        ws.config.assessment["tolerance"] = 0.05
        ws.save_config()
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.config.deadlines.annual_data == "02-29"
        assert ws.config.assessment == {"tolerance": 0.05}
