"""Helpers of the exchange tests: fresh workspaces with the demo's catalogue, and their figures.

A "fresh workspace with the same catalogue" is what a receiver has: the same plans read by
``init`` (so the same indicator codes and units) and the demo's catalogue YAML imported (so
the same breakdowns and definitions), and no figures.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import planwatch
from planwatch.demo import DemoSummary
from planwatch.demo.build import PLANS_DIR, SEED_PLANS

Row = tuple[str, str, int, str, float, float | None, float | None, str]
"""indicator code, area, year, breakdown, value, numerator, denominator, reporting unit."""


def fresh_workspace(path: Path, demo: DemoSummary, seed_workspaces: object, database_url: str | None = None) -> Path:
    """A workspace of the demo's plans and catalogue, without figures.

    On SQLite made once per run and copied (importing the catalogue costs seconds, and several
    tests start from such a workspace); the demo, whose catalogue it takes, is one per run too.
    The copy is shared by the paths of one folder name (a workspace is named after its
    folder), so the exchange tests all call theirs ``receiver``.
    """

    def import_demo_catalogue(at: Path) -> None:
        planwatch.import_catalogue(at, planwatch.export_catalogue(demo.path).encode("utf-8"), actor="test")

    plans = [PLANS_DIR / name for name in SEED_PLANS]
    seed_workspaces.make_then(path, plans, database_url, "demo-catalogue", import_demo_catalogue)  # type: ignore[attr-defined]
    return path


def observations(workspace: Path, *, approved_only: bool) -> list[Row]:
    """The latest revision's figures per unit, area and year (latest approved, or in any state)."""
    state = "AND s2.state = 'approved'" if approved_only else ""
    query = f"""
        SELECT i.code, o.area_code, o.year, o.breakdown, o.value, o.numerator, o.denominator, u.name
        FROM observation o JOIN submission s ON s.id = o.submission_id
        JOIN indicator i ON i.id = o.indicator_id JOIN unit u ON u.id = s.unit_id
        WHERE s.revision = (SELECT max(s2.revision) FROM submission s2 WHERE s2.area_code = s.area_code
                            AND s2.unit_id = s.unit_id AND s2.year = s.year {state})
        {"AND s.state = 'approved'" if approved_only else ""}
    """
    with sqlite3.connect(workspace / "planwatch.sqlite") as conn:
        return sorted(conn.execute(query).fetchall())


def approved_figures(workspace: Path) -> list[tuple[object, ...]]:
    """The latest approved figures through the library, on any database."""
    from planwatch.exchange.figures import read_figures
    from planwatch.store.workspace import open_workspace

    with open_workspace(workspace) as ws, ws.sessions() as session:
        return sorted((f.indicator_code, f.area_code, f.year, f.breakdown, f.value, f.numerator, f.denominator,
                       f.reporting_unit) for f in read_figures(session) if f.value is not None)
