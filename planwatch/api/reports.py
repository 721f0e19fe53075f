"""Reports: check the kinds and formats asked for, plan the documents of a year, write them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch.api._common import opened
from planwatch.vocabulary import REPORT_KINDS

if TYPE_CHECKING:
    from planwatch.report.kinds import Job
    from planwatch.results import ReportPlan, ReportsWritten
    from planwatch.store.workspace import Workspace


def check_report_kinds(kinds: str) -> list[str]:
    """``annual,warnings`` → the kinds, checked; ``all`` → every kind."""
    from planwatch.report.kinds import check_kind

    return list(REPORT_KINDS) if kinds == "all" else [check_kind(k.strip()) for k in kinds.split(",")]


def check_report_date(text: str | None) -> dt.date | None:
    """``--date 2025-03-01`` → that day; None keeps today. A day that does not exist is
    refused (``ReportDateError``, a planwatch error) before anything is assessed or written."""
    from planwatch.report.dating import parse_report_date

    return parse_report_date(text) if text is not None else None


def check_report_formats(formats: str | None) -> list[str] | None:
    """``docx,pdf`` → the formats, checked; None keeps each kind's usual ones."""
    from planwatch.report.output import parse_formats

    return parse_formats(formats) if formats else None


def plan_reports(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    kinds: Sequence[str],
    *,
    plans: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    method: str = "default",
    preview: bool = False,
    all_kinds: bool = False,
    date: dt.date | None = None,
) -> ReportPlan:
    """Assess ``year`` and list the documents to write, one job per plan and area.

    With ``all_kinds`` (``planwatch report all``) the final evaluation is left out before
    the plans' target year unless ``preview`` asks for a marked preview. ``date`` is the day
    the documents are dated (落款, file properties); None dates each the day it is written.
    """
    from planwatch.report.kinds import final_due, plan_jobs
    from planwatch.report.workspace_data import load_report_data
    from planwatch.results import ReportPlan

    chosen = list(kinds)
    with opened(workspace) as ws:
        data = load_report_data(ws, year, method=method, areas=list(areas) if areas else None,
                                date=date)
    if all_kinds and not preview and "final" in chosen and not final_due(data):
        chosen.remove("final")  # before the target year `all` writes no final evaluation
    return ReportPlan(data, plan_jobs(data, chosen, plans, areas, preview))


def standard_reports(
    workspace: Workspace | str | os.PathLike[str], year: int, *, date: dt.date | None = None
) -> ReportPlan:
    """What the office sends after each monitoring year: annual reports, warnings, compendium,
    matrix; dated ``date`` (None: the day each is written)."""
    from planwatch.report.kinds import standard_jobs
    from planwatch.report.workspace_data import load_report_data
    from planwatch.results import ReportPlan

    with opened(workspace) as ws:
        data = load_report_data(ws, year, date=date)
    return ReportPlan(data, standard_jobs(data))


def write_reports(
    plan: ReportPlan,
    output: str | os.PathLike[str],
    *,
    formats: Sequence[str] | None = None,
    on_done: Callable[[Job, list[Path]], None] | None = None,
    jobs: int | None = 1,
) -> ReportsWritten:
    """Write the planned documents; each file atomically, so an interruption leaves no half file.

    ``jobs`` > 1 writes on that many processes (None: every core), each chart drawn once;
    the files and their order are those of ``jobs=1``. A script calling it with ``jobs`` > 1
    needs the usual ``if __name__ == "__main__":`` guard (workers are spawned).
    The documents are dated as the plan says (``plan_reports(date=…)``).
    """
    from planwatch.report.kinds import run_jobs
    from planwatch.results import ReportsWritten

    return ReportsWritten(run_jobs(plan.data, plan.jobs, Path(output), formats, on_done=on_done, jobs=jobs))
