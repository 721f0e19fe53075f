"""``import --dry-run``: every check and the storing itself, then rolled back — nothing stays."""

from __future__ import annotations

from pathlib import Path

from collect_support import Catalogue, filled
from sqlalchemy import func, select
from typer.testing import CliRunner

import planwatch
from planwatch.cli.main import app
from planwatch.store import models as m
from planwatch.store.workspace import Workspace, WorkspaceConfig


def _workspace(cat: Catalogue, path: Path) -> Workspace:
    engine = cat.factory.kw["bind"]
    return Workspace(path, WorkspaceConfig(name="dry-run"), engine, cat.factory)


def _counts(cat: Catalogue) -> tuple[int, int, int]:
    with cat.factory() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (m.Submission, m.Observation, m.AuditEvent)
        )


def test_dry_run_reports_what_would_be_stored_and_stores_nothing(cat: Catalogue, tmp_path: Path) -> None:
    path = filled(cat, tmp_path)
    ws = _workspace(cat, tmp_path)
    before = _counts(cat)
    check = planwatch.import_data(ws, [path], dry_run=True)
    assert check.accepted and check.dry_run
    [file] = check.files
    assert (file.revision, file.observations) == (1, 9)
    assert check.to_dict()["dry_run"] is True and check.to_dict()["files"][0]["submission_id"] is None
    assert _counts(cat) == before
    # the real import then stores exactly what the dry run announced
    done = planwatch.import_data(ws, [path])
    assert done.accepted and not done.dry_run
    [stored] = done.files
    assert (stored.revision, stored.observations) == (1, 9)
    assert _counts(cat)[0] == before[0] + 1


def test_dry_run_of_a_rejected_file_gives_its_problems(cat: Catalogue, tmp_path: Path) -> None:
    from collect_support import GOOD_HEALTH

    from planwatch.collect.fill import Figure

    bad = {**GOOD_HEALTH, ("C02-01", "total"): Figure(195.0, 1950, 1000)}
    path = filled(cat, tmp_path, bad)
    check = planwatch.import_data(_workspace(cat, tmp_path), [path], dry_run=True)
    assert not check.accepted
    codes = {p["code"] for p in check.to_dict()["files"][0]["errors"]}
    assert "rate-out-of-range" in codes
    assert _counts(cat)[0] == 0


def test_cli_dry_run_says_nothing_was_stored(tmp_path: Path) -> None:
    runner = CliRunner()
    plan = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws), "--plan", str(plan)]).exit_code == 0
    out = runner.invoke(app, ["template", str(ws), "--year", "2023", "--unit", "区卫生健康局", "-o", str(tmp_path)])
    assert out.exit_code == 0, out.output
    [book] = tmp_path.glob("*.xlsx")
    result = runner.invoke(app, ["import", str(ws), str(book), "--dry-run"])
    assert result.exit_code == 1  # the empty template would be rejected, as the real import says
    assert "已拒绝" in result.output and "missing-required" in result.output
    assert planwatch.list_submissions(ws) == []
