"""The load test's script works end to end, on a few users for a few seconds.

The load test itself (benchmarks/web_load.py, 400 users on PostgreSQL) is a benchmark and
not part of the suite; this runs the same code — accounts, uvicorn on a free port, the
asyncio users filling, explaining warnings, submitting, the office browsing, the database
count — on a small PostgreSQL workspace made from one seed plan, and checks that it passes
and that what it counts is real.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from seed_workspaces import SeedWorkspaces

from planwatch import api
from planwatch.demo.build import PLANS_DIR
from planwatch.web.form_data import latest_submission, stored_figures
from planwatch.web.settings import load_secret

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "web_load.py"
YEAR = 2025


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_load", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_load"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.postgres
def test_load_script_passes_on_a_few_users(pg_server_url: str, seed_workspaces: SeedWorkspaces, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    web_load = _script()
    # What `planwatch init` on the plan leaves (api.create_workspace), copied from the seed the
    # other PostgreSQL web tests start from instead of reading the plan and loading it again.
    path = seed_workspaces.make(tmp_path / "ws", [PLANS_DIR / "jinan-shizhong-2022-7.txt"], pg_server_url)
    with api.open_workspace(path) as ws:
        units, offices = web_load.add_load_accounts(ws, YEAR, 3, 1)
    load_secret(path)
    # Logins within 0.2 s and every unit started within 0.2 s more: the office browses from the
    # end of the login window until the last unit has submitted, so a longer window only makes
    # it load more boards while waiting. The server hashes passwords as this suite does (the
    # accounts above were made that way), not at production strength on every first login.
    code = web_load.run(path, year=YEAR, workers=1, login_window=0.2, burst=0.2, think=0.05, time_limit=120,
                        p95_limit=60_000, log=tmp_path / "server.log", cheap_hashing=True)
    out = capsys.readouterr().out
    assert code == 0, out + (tmp_path / "server.log").read_text(errors="replace")
    assert "verdict: PASS" in out
    sent = re.search(r"figures sent (\d+), found in the database (\d+)", out)
    assert sent is not None and int(sent.group(1)) > 0 and sent.group(1) == sent.group(2), out
    assert len(units) == 3 and len(offices) == 1
    for kind in ("login", "form", "save draft", "submit", "progress board", "target board"):
        assert f"\n{kind} " in out, f"no timing for {kind}"
    # What the script counted is in the database: each unit's figures, submitted.
    with api.open_workspace(path) as ws, ws.session() as session:
        for unit in units:
            sub = latest_submission(session, unit.area_code, unit.unit_id, YEAR)
            assert sub is not None and sub.state == "submitted"
            assert stored_figures(session, sub.id)


def test_typed_figures_add_up_across_breakdowns() -> None:
    """Counts split so the parts add up to the total; rates by numerators and denominators."""
    web_load = _script()
    cells = [
        ("A", "人", "101", "A|total", False), ("A", "人", "", "A|sex=female", False),
        ("A", "人", "", "A|sex=male", False),
        ("B", "%", "82.04", "B|total", True), ("B", "%", "85.66", "B|age_group=0-2", True),
        ("B", "%", "79.41", "B|age_group=3-6", True), ("B", "%", "", "B|residence=urban", True),
        ("B", "%", "", "B|residence=rural", True),
        ("C", "", "", "C|total", False),
    ]
    got = web_load.typed_figures(cells)
    assert got["A|total"].value == "101"
    assert int(got["A|sex=female"].value) + int(got["A|sex=male"].value) == 101
    total = got["B|total"]
    assert float(total.value) == pytest.approx(82.04, abs=0.01)
    for dim in ("age_group=0-2", "age_group=3-6"), ("residence=urban", "residence=rural"):
        assert sum(int(got[f"B|{d}"].numerator) for d in dim) == int(total.numerator)
        assert sum(int(got[f"B|{d}"].denominator) for d in dim) == int(total.denominator)
    assert "C|total" not in got  # a directional indicator asks for no figure
