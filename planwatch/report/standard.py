"""The report folder an office produces after each monitoring year, in one call.

``planwatch demo`` (and anyone scripting the yearly run) calls ``write_standard_reports``:
annual reports of the women's and children's plans of every area, the warnings list, each
area's statistics compendium and responsibility matrix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from planwatch.report.kinds import Job, run_jobs, standard_jobs
from planwatch.report.workspace_data import load_report_data
from planwatch.store.workspace import Workspace


def write_standard_reports(
    ws: Workspace,
    year: int,
    out_dir: Path,
    formats: Iterable[str] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[Job, list[Path]], None] | None = None,
    jobs: int | None = 1,
    date: dt.date | None = None,
) -> list[Path]:
    """Write the standard set for ``year`` into ``out_dir`` on ``jobs`` processes (None:
    every core), dated ``date`` (None: today); returns the files written, in the same order
    whatever ``jobs`` is."""
    data = load_report_data(ws, year, date=date)
    job_list = standard_jobs(data)
    if on_start is not None:
        on_start(len(job_list))
    return run_jobs(data, job_list, out_dir, formats, on_done, jobs)
