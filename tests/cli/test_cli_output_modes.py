"""Files written with ``-o`` are readable by their owner only (0600, new folders 0700).

Run under the usual umask 022, under which Python's defaults made templates, exports and
assessment files 0644. Reports were already 0600 and are checked so they stay so.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from file_modes import mode
from seed_workspaces import SeedWorkspaces
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.cli.private_output import private_outputs

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
AREA = "370103"



@pytest.fixture
def workspace(tmp_path: Path, seed_workspaces: SeedWorkspaces) -> Path:
    return seed_workspaces.make(tmp_path / "ws", [JINAN])


def run(*args: str | Path) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def test_outputs_are_private_under_umask_022(workspace: Path, tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "out"
    stale = out / "catalogue.yaml"  # written before by someone, readable by all: made private
    out.mkdir()
    stale.write_text("old\n", encoding="utf-8")
    os.chmod(stale, 0o644)
    run("template", workspace, "--all-units", "--area", AREA, "--year", "2023", "-o", out / "templates")
    run("evaluation", "template", workspace, "--cycle", "midterm", "--all-units", "--area", AREA,
        "-o", out / "evaluation")
    run("catalogue", "export", workspace, "-o", stale)
    run("export", "csv", workspace, "-o", out / "data.csv")
    run("export", "structure", workspace, "-o", out / "structure.xml")
    run("assess", workspace, "--year", "2023", "--format", "csv", "-o", out / "assess.csv")
    run("assess", workspace, "--year", "2023", "-o", out / "assess.txt")
    run("parse", JINAN, "--format", "json", "-o", out / "catalogue.json")
    run("report", "warnings", workspace, "--year", "2023", "--format", "xlsx", "-o", out / "reports")
    files = sorted(p for p in out.rglob("*") if p.is_file())
    folders = sorted(p for p in out.rglob("*") if p.is_dir())
    assert len(files) > 10 and stale.read_text(encoding="utf-8") != "old\n"
    assert {p.name for p in folders} == {"templates", "evaluation", "reports"}
    assert {p.relative_to(out).as_posix(): mode(p) for p in files} == {
        p.relative_to(out).as_posix(): 0o600 for p in files
    }
    assert {p.name: mode(p) for p in folders} == {p.name: 0o700 for p in folders}
    assert mode(out) == 0o755  # a folder that already existed is the user's: left as it was
    assert os.umask(0o022) == 0o022  # the command gave the umask back


def test_a_stricter_umask_is_kept(tmp_path: Path) -> None:
    old = os.umask(0o277)
    try:
        with private_outputs(tmp_path / "none"):
            (tmp_path / "f").write_text("x", encoding="utf-8")
        assert os.umask(old) == 0o277
    finally:
        os.umask(old)
    assert mode(tmp_path / "f") == 0o400
