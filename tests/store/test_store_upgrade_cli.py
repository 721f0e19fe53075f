"""``planwatch upgrade``: the deploy step that migrates, since opening a workspace never does."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.store.db import make_engine
from planwatch.store.migrate import current_revision, downgrade_to, head_revision

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"


def test_an_outdated_workspace_is_refused_until_upgraded(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws), "--plan", str(JINAN)]).exit_code == 0
    engine = make_engine(f"sqlite:///{ws / 'planwatch.sqlite'}")
    downgrade_to(engine, "0001")

    refused = runner.invoke(app, ["unit", "list", str(ws)])
    assert refused.exit_code == 1
    said = "".join(refused.output.split())  # Rich wraps long lines
    assert "planwatchupgrade" in said and "0001" in said
    assert current_revision(engine) == "0001"  # refusing wrote nothing

    done = runner.invoke(app, ["upgrade", str(ws), "--actor", "运维"])
    assert done.exit_code == 0, done.output
    assert f"0001→{head_revision()}" in "".join(done.output.split())
    assert current_revision(engine) == head_revision()
    engine.dispose()

    again = runner.invoke(app, ["upgrade", str(ws)])
    assert again.exit_code == 0 and "已是最新版本" in again.output
    assert runner.invoke(app, ["unit", "list", str(ws)]).exit_code == 0


def test_the_light_revision_reading_agrees_with_alembic(tmp_path: Path) -> None:
    """Opening reads revisions without Alembic; both answers must be Alembic's."""
    from planwatch.store.migrate import upgrade_to
    from planwatch.store.schema_version import database_revision, shipped_head, shipped_revisions

    assert shipped_head() == head_revision()
    assert set(shipped_revisions()) >= {"0001", head_revision()}
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        assert database_revision(engine) is None and current_revision(engine) is None
        upgrade_to(engine, "0002")
        assert database_revision(engine) == current_revision(engine) == "0002"
    finally:
        engine.dispose()


def test_the_head_named_by_the_script_files_is_alembics() -> None:
    """Opening takes a database at the newest file name's revision as current without reading any
    script; so every script's file name must start with its revision, and the newest must be the head."""
    from alembic.script import ScriptDirectory

    from planwatch.store.migrate import alembic_config
    from planwatch.store.schema_version import head_by_name

    assert head_by_name() == head_revision()
    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
