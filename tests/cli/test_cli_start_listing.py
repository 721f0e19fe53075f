"""The commands that only list or show (no report, no import) start without the heavy layers.

``tests/test_architecture.py`` checks that importing the command line loads none of them;
this runs each listing command on the demo workspace, in a fresh interpreter, and checks
what the whole run loaded: a command that reads a few rows must not pay for the report
writers, the data frames, the spreadsheet and Word libraries, the web framework, Alembic,
the plan reader or the importer.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from forked_commands import ForkedInterpreter

from planwatch.demo.build import DemoSummary

HEAVY = (
    "matplotlib", "weasyprint", "docx", "openpyxl", "polars", "alembic", "jinja2", "fastapi", "starlette",
    "uvicorn", "planwatch.report", "planwatch.assess", "planwatch.plan.reader", "planwatch.collect.importer",
    "planwatch.collect.template",
)  # fmt: skip
"""Top-level packages and planwatch layers no listing command needs."""

_MARK = "loaded-heavy:"
_RUN = (
    "import atexit, json, sys\n"
    "heavy = {heavy!r}\n"
    "def report():\n"
    "    found = sorted({{h for h in heavy for m in list(sys.modules) if m == h or m.startswith(h + '.')}})\n"
    "    print({mark!r} + json.dumps(found), file=sys.stderr)\n"
    "atexit.register(report)\n"
    "from planwatch.cli import main\n"
    "sys.argv[0] = 'planwatch'\n"
    "main.run()\n"
)

LISTING = {
    "status": ["status", "{ws}", "--year", "2024"],
    "unit list": ["unit", "list", "{ws}"],
    "area find": ["area", "find", "山亭"],
    "submission list": ["submission", "list", "{ws}"],
    "submission show": ["submission", "show", "{ws}", "1"],
    "catalogue export": ["catalogue", "export", "{ws}", "-o", "{out}/catalogue.yaml"],
    "catalogue links": ["catalogue", "links", "{ws}"],
    "evaluation list": ["evaluation", "list", "{ws}"],
    "document search": ["document", "search", "{ws}", "儿童"],
    "pulled": ["pulled", "{ws}"],
    "user list": ["user", "list", "{ws}"],
    "token list": ["token", "list", "{ws}"],
}


PRELOAD = (
    "planwatch.cli.main", "planwatch.cli.console", "planwatch.areas", "planwatch.store.workspace",
    "planwatch.store.models", "planwatch.store.accounts", "planwatch.store.api_tokens", "planwatch.store.report_jobs",
)  # fmt: skip
"""What the listing commands that open a workspace all import: loaded once in the interpreter
that is forked for each command (none of HEAVY, which the helper checks before the first fork)."""


@pytest.fixture(scope="module")
def interpreter() -> Iterator[ForkedInterpreter]:
    """A fresh interpreter for each command, forked from one that has the common imports done."""
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb"}
    with ForkedInterpreter(env, PRELOAD, forbidden=HEAVY) as forked:
        yield forked


def _loaded_heavy(
    interpreter: ForkedInterpreter, args: list[str]
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    code = _RUN.format(heavy=HEAVY, mark=_MARK)
    done = interpreter.run(code, args)
    lines = [line for line in done.stderr.splitlines() if line.startswith(_MARK)]
    assert lines, done.stderr
    return done, json.loads(lines[-1][len(_MARK):])


@pytest.mark.parametrize("name", sorted(LISTING))
def test_a_listing_command_loads_no_heavy_layer(
    name: str, demo: DemoSummary, tmp_path: Path, interpreter: ForkedInterpreter
) -> None:
    args = [a.format(ws=demo.path, out=tmp_path) for a in LISTING[name]]
    done, heavy = _loaded_heavy(interpreter, args)
    assert done.returncode == 0, done.stderr
    assert heavy == [], f"planwatch {name} loaded {heavy}"


def test_the_probe_sees_a_heavy_layer_when_one_is_loaded(demo: DemoSummary, interpreter: ForkedInterpreter) -> None:
    """The check above can fail: ``assess`` runs the engine on data frames."""
    done, heavy = _loaded_heavy(interpreter, ["assess", str(demo.path), "--year", "2024", "--format", "json"])
    assert done.returncode == 0, done.stderr
    assert "polars" in heavy and "planwatch.assess" in heavy
