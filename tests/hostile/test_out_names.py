"""Issue 11 item 1, file names: a unit named ``区/../../tmp/x局`` writes its workbook inside
the ``-o`` folder under a plain name, whether one unit is asked for or all of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from out_support import NAMES, cli_workspace
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.collect.selfeval.template import EvaluationSpec, evaluation_filename
from planwatch.safe_output import OutputPathError, confined_path, safe_file_name

runner = CliRunner()


@pytest.mark.parametrize("case", NAMES, ids=[repr(c["name"])[:24] for c in NAMES])
def test_name_becomes_one_plain_component(case: dict, tmp_path: Path) -> None:
    name = safe_file_name(case["name"])
    assert name == case["file"]
    assert confined_path(tmp_path, name).parent == tmp_path


def test_long_names_fit_a_file_system() -> None:
    name = safe_file_name("区" + "很长的单位名称" * 40)
    assert len(name.encode("utf-8")) <= 200 and name.startswith("区很长")


def _files_under(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, files in os.walk(root) for f in files}


def test_all_units_with_hostile_names_stay_in_the_output_folder(tmp_path: Path) -> None:
    units = [c["name"] for c in NAMES if c["name"].strip()]
    ws_dir = cli_workspace(tmp_path / "ws", units)
    out = tmp_path / "a" / "b" / "out"
    before = _files_under(tmp_path)
    result = runner.invoke(app, ["template", str(ws_dir), "--all-units", "--year", "2023",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    new = _files_under(tmp_path) - before
    assert all(p.parent == out for p in new), sorted(map(str, new))
    assert len(new) == 2 + len(units)
    names = {p.name for p in new}
    assert "2023_370103_区_.._.._tmp_x局.xlsx" in names and "2023_370103_区_卫生健康局.xlsx" in names
    assert "2023_370103_.._.._etc_passwd.xlsx" in names  # dots inside one name are harmless


def test_one_unit_never_writes_outside_the_output_folder(tmp_path: Path) -> None:
    ws_dir = cli_workspace(tmp_path / "ws", ["区/../../x局"])
    out = tmp_path / "o1" / "o2"
    result = runner.invoke(app, ["template", str(ws_dir), "--unit", "区/../../x局", "--year", "2023",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["2023_370103_区_.._.._x局.xlsx"]
    assert not (tmp_path / "x局.xlsx").exists() and not list(tmp_path.glob("*.xlsx"))


def test_a_planted_link_is_refused(tmp_path: Path) -> None:
    """A symbolic link under the workbook's name would send it elsewhere: refused, not followed."""
    ws_dir = cli_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.xlsx"
    (out / "2023_370103_区卫生健康局.xlsx").symlink_to(elsewhere)
    result = runner.invoke(app, ["template", str(ws_dir), "--unit", "区卫生健康局", "--year", "2023",
                                 "-o", str(out)])
    # The root command turns the refusal into a message and exit code 1, not a traceback.
    assert result.exit_code == 1
    assert "输出文件夹" in result.output
    assert OutputPathError.code == "output.path"
    assert not elsewhere.exists()


@pytest.mark.parametrize("case", NAMES, ids=[repr(c["name"])[:24] for c in NAMES])
def test_self_evaluation_workbook_names_are_plain(case: dict, tmp_path: Path) -> None:
    spec = EvaluationSpec("370103", "济南市市中区", 7, case["name"], "midterm")
    name = evaluation_filename(spec)
    assert name == Path(name).name and name.endswith(".xlsx") and not name.startswith(".")
    assert confined_path(tmp_path, name).parent == tmp_path
