"""The demo workspace builds from the seed plans through the real import path."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.demo import DemoSummary
from planwatch.demo.build import AS_OF, demo_status
from planwatch.demo.synthetic import LABEL, SCENARIO_LABELS
from planwatch.store import models as m
from planwatch.store.workspace import open_workspace


def test_demo_has_every_scenario_and_state(demo: DemoSummary) -> None:
    assert demo.areas == ["370103", "370406"]
    assert set(demo.scenarios) == set(SCENARIO_LABELS.values())
    assert {"approved", "submitted", "reviewed", "returned"} <= set(demo.states)
    assert demo.missing and demo.late
    # every workbook went in through import; the one refused was corrected and re-imported
    assert demo.workbooks == demo.submissions + len(demo.rejected)
    assert demo.observations > 500


def test_demo_data_is_labelled_and_imported_from_workbooks(demo: DemoSummary) -> None:
    assert LABEL in (demo.path / "workspace.yaml").read_text(encoding="utf-8")
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        subs = list(s.scalars(select(m.Submission)))
        assert all(sub.source_file and sub.source_file.endswith(".xlsx") for sub in subs)
        assert all(sub.comment for sub in subs)
        imports = s.scalar(select(func.count()).select_from(m.AuditEvent)
                           .where(m.AuditEvent.action == "submission.import"))
        assert imports == len(subs)
        docs = list(s.scalars(select(m.SubmissionDocument)))
        assert docs and all(LABEL in d.text for d in docs)


def test_demo_status_shows_late_and_missing_units(demo: DemoSummary) -> None:
    with open_workspace(demo.path) as ws:
        rows = demo_status(ws, 2024)
    verdicts = {r.timeliness for r in rows}
    assert "overdue" in verdicts and "on-time" in verdicts
    assert any(r.completeness < 1 for r in rows if r.state)  # missing-data indicators
    assert AS_OF.year == 2025


def test_cli_commands_on_the_demo(demo: DemoSummary, tmp_path: Path) -> None:
    runner = CliRunner()
    ws = str(demo.path)
    r = runner.invoke(app, ["status", ws, "--year", "2023", "--as-of", "2024-06-30",
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    assert any(row["timeliness"] == "late" for row in json.loads(r.output))
    r = runner.invoke(app, ["template", ws, "--unit", "区卫生健康局", "--area", "370103",
                            "--year", "2025", "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    (template,) = tmp_path.glob("*.xlsx")
    # an empty template is rejected: required values are missing, exit code 1
    r = runner.invoke(app, ["import", ws, str(template), "--format", "json"])
    assert r.exit_code == 1
    report = json.loads(r.output)
    assert not report["ok"]
    assert {e["code"] for e in report["files"][0]["errors"]} == {"missing-required"}
    r = runner.invoke(app, ["submission", "list", ws, "--year", "2024", "--format", "json"])
    listed = json.loads(r.output)
    returned = [x for x in listed if x["state"] == "returned"]
    assert len(returned) == 1
    r = runner.invoke(app, ["submission", "show", ws, str(returned[0]["id"])])
    assert r.exit_code == 0 and "意见" in r.output
    r = runner.invoke(app, ["submission", "approve", ws, str(returned[0]["id"])])
    assert r.exit_code == 1 and "只有" in r.output
    r = runner.invoke(app, ["document", "search", ws, "规划落实情况", "--format", "json"])
    assert r.exit_code == 0 and len(json.loads(r.output)) == demo.documents
