"""What people typed is printed as they typed it, whatever brackets or colons it holds.

A unit's name, a file name or a value given on the command line can contain "[/b]" or
":smile:". Rich would read the first as markup and stop the command with MarkupError (the
unit list could then never be printed again), and turn the second into an emoji. Every
console of the command line prints plain text (planwatch/cli/console.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from seed_workspaces import SeedWorkspaces
from typer.testing import CliRunner, Result

from planwatch.cli.main import app

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples" / "plans").iterdir())
WIDE = {"COLUMNS": "250"}
TYPED = ("区[/b]妇联", "区[bold]统计局[/bold]", "区:smile:卫健局")


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


@pytest.fixture
def workspace(tmp_path: Path, seed_workspaces: SeedWorkspaces) -> Path:
    return seed_workspaces.make(tmp_path / "ws", SEEDS, None)


def test_unit_names_with_brackets_and_colons_are_added_and_listed_as_typed(workspace: Path) -> None:
    for name in TYPED:
        added = _invoke("unit", "add", workspace, name, "--area", "370103")
        assert added.exit_code == 0, added.output
        assert f"已添加单位 added：{name}，" in added.stdout
    listed = _invoke("unit", "list", workspace)
    assert listed.exit_code == 0, listed.output
    for name in TYPED:
        assert name in listed.stdout


def test_an_error_quoting_what_was_typed_prints_it_and_exits_1(workspace: Path) -> None:
    done = _invoke("status", workspace, "--year", "2024", "--as-of", "[/b]")
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert "错误 error:" in done.stderr and "实为“[/b]”" in done.stderr


def test_a_rejected_file_is_named_as_it_is_called(workspace: Path, tmp_path: Path) -> None:
    bad = tmp_path / "报表[red]:smile:.xlsx"
    bad.write_bytes(b"not a workbook")
    done = _invoke("import", workspace, bad, "--actor", "测试")
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert f"{bad.name}: 已拒绝 rejected" in done.stdout


def test_an_output_path_with_brackets_is_printed_as_given(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "目录[bold]" / "catalogue.yaml"
    out.parent.mkdir()
    done = _invoke("catalogue", "export", workspace, "-o", out)
    assert done.exit_code == 0, done.output
    assert str(out) in done.stdout.replace("\n", "")
