"""The public API: the README's example runs as written, and results share one JSON shape."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import planwatch

ROOT = Path(__file__).resolve().parents[1]


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Python\n.*?```python\n(.*?)```", text, re.S | re.M)
    assert found, "README has a Python section with a python block"
    return found.group(1)


def test_readme_python_example_runs_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        exec(compile(_readme_example(), "README.md", "exec"), {"__name__": "__readme__"})
    finally:
        os.chdir(cwd)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2 plans, 139 targets"
    assert lines[1] == "False missing-required 7 I"  # the unfilled template, checked in a dry run
    assert lines[2].endswith("without data yet")
    assert lines[3].startswith('{"target_id": "tv1"')
    assert lines[4] == "workspace.exists"
    # the dry run stored nothing
    assert planwatch.list_submissions(tmp_path / "ws") == []


def test_api_docstring_examples_run() -> None:
    import doctest

    from planwatch import api

    outcome = doctest.testmod(api)
    assert outcome.attempted > 0 and outcome.failed == 0


def test_results_are_json_and_errors_have_codes(tmp_path: Path) -> None:
    plan = ROOT / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
    parsed = planwatch.parse_plans([plan, tmp_path / "missing.txt"])
    assert parsed.missing == [tmp_path / "missing.txt"]
    document = json.loads(json.dumps(parsed.to_dict(), ensure_ascii=False))
    assert {"plans", "warnings", "quality"} <= set(document)
    assert len(parsed.qualities()) == len(document["plans"])
    with pytest.raises(planwatch.PlanwatchError) as caught:
        planwatch.open_workspace(tmp_path)
    assert caught.value.code == "workspace"
    with pytest.raises(planwatch.RequestError):
        planwatch.write_templates(tmp_path, 2023, tmp_path / "out")  # neither --unit nor --all-units
    found = planwatch.find_areas("市中区")
    assert len(found) > 1 and all(a.to_dict()["name"] == "市中区" for a in found)
