"""Annual reports of a province: one process against every core, in one run.

Workload (set up, not timed): the demo workspace (``planwatch demo``'s two districts, two
plans each, 2020–2024, with breakdowns, late and pending reports, self-evaluations) is
built — or read from ``--workspace`` — and its report data copied across ``--areas``
districts (default 100: 200 annual reports), each copy with its own area code, name and
plan titles, so every document and every chart is a different one, as in a province.

Timed, in the same run, on the same documents:
  1. single process – ``run_jobs(..., jobs=1)``: the path ``--jobs 1`` takes, one
     document after the other in this process;
  2. processes      – ``run_jobs(..., jobs=N)`` (``--jobs``, default every core).
Both write ``--formats`` (default docx); every file of (2) is then compared with its
twin from (1), part by part inside the Word/Excel zip and byte for byte otherwise.

Wall time depends on what else the machine runs, so CPU seconds (this process and its
workers) and the load average are printed beside documents/s.

CPU per annual docx (single process): 1.06 s at b394c34 (``--areas 25``); 0.67 s after the
first work on issue 10 item 9. Since then (``--areas 100``, 200 documents, load average
1.3–1.5 at the start): the charts are Word charts (DrawingML parts copied from a styled
chart of the same shape, and their embedded workbooks) instead of matplotlib PNGs,
paragraphs, runs and table cells are copied from ones the python-docx setters made, each
report opens a kept set-up document, one-area documents read their area's rows only, and
a process writing Word files loads neither matplotlib nor WeasyPrint: 0.40 s per document,
2.62 documents/s single, 4.16–4.44 documents/s on 2 processes (CPU 0.40–0.45 s per
document there: the two processes slow each other, so 2 cores give about ×1.6–1.7).
What is left is spread thin: Word XML (tables, the package's zip), the charts' workbooks
(xlsxwriter, ~3 ms each), building the document from the report data (~0.1 s).
On a faster machine (--areas 100, quiet): 6.58–6.69 documents/s single, 11.88–11.89 on 2
processes (0.15–0.16 CPU s per document); b394c34's code on that machine gave 1.04 and 2.06.

    python benchmarks/report_province.py [--areas 100] [--jobs N] [--formats docx]
                                         [--workspace DEMO_DIR] [--profile 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polars as pl

from planwatch.report import charts
from planwatch.report.data import ReportData
from planwatch.report.kinds import Job, jobs, run_jobs
from planwatch.report.parallel import default_jobs
from planwatch.report.workspace_data import load_report_data
from planwatch.store.workspace import open_workspace

YEAR = 2024
AREA_FRAMES = ("result", "observations", "self_evaluations", "reporters", "plans", "late",
               "conflicts", "pending", "qualitative_units")


def demo_data(workspace: Path | None) -> ReportData:
    """The demo workspace's report data for ``YEAR`` (built in a temporary folder unless
    ``workspace`` names one already built)."""
    if workspace is None:
        from planwatch.demo.build import build_demo

        workspace = Path(tempfile.mkdtemp(prefix="planwatch-bench-")) / "demo"
        build_demo(workspace)
    with open_workspace(workspace) as ws:
        return load_report_data(ws, YEAR)


def province(data: ReportData, n_areas: int) -> ReportData:
    """``n_areas`` districts, each a copy of one of the demo's (in turn), renamed."""
    sources = data.area_codes()
    codes = [f"99{n:04d}" for n in range(n_areas)]
    names = {code: f"示例{n + 1:03d}区" for n, code in enumerate(codes)}
    origin = {code: sources[n % len(sources)] for n, code in enumerate(codes)}
    target_area = dict(data.result.select("target_id", "area_code").unique().iter_rows())
    frames: dict[str, pl.DataFrame] = {}
    for field in AREA_FRAMES:
        frame: pl.DataFrame = getattr(data, field)
        parts = []
        for code in codes:
            src = origin[code]
            part = frame.filter(pl.col("area_code") == src).with_columns(
                area_code=pl.lit(code))
            if "plan" in part.columns:
                part = part.with_columns(pl.col("plan").str.replace_all(
                    data.area_name(src), names[code], literal=True))
            if "target_id" in part.columns:
                part = part.with_columns(pl.col("target_id") + f"@{code}")
            parts.append(part)
        frames[field] = pl.concat(parts) if parts else frame
    units = []
    for code in codes:
        own = [t for t, a in target_area.items() if a == origin[code]]
        units.append(data.target_units.filter(pl.col("target_id").is_in(own))
                     .with_columns(pl.col("target_id") + f"@{code}"))
    return ReportData(
        year=data.year, areas={**data.areas, **names}, target_units=pl.concat(units),
        config=data.config, issuer=data.issuer, breakdown_order=data.breakdown_order,
        sample_label=data.sample_label, date=data.date, **frames,
    )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def timed(run: Callable[[], list[Path]]) -> tuple[list[Path], float, float]:
    charts.clear_cache()
    wall, cpu = time.perf_counter(), cpu_seconds()
    written = run()
    return written, time.perf_counter() - wall, cpu_seconds() - cpu


def parts(path: Path) -> dict[str, bytes]:
    """A file's content: the parts of a zip container (whose entry dates differ from one
    save to the next), the bytes of anything else."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist()}
    return {"": path.read_bytes()}


def compare(a: list[Path], b: list[Path]) -> list[str]:
    """Files of ``b`` that differ from their namesake in ``a`` (both in job order)."""
    problems = []
    if [p.name for p in a] != [p.name for p in b]:
        problems.append("file lists differ")
    for x, y in zip(a, b, strict=False):
        if parts(x) != parts(y):
            problems.append(y.name)
    return problems


def profile(data: ReportData, job_list: list[Job], out: Path, formats: list[str]) -> None:
    """Where one process spends its time on a few documents (pyinstrument)."""
    from pyinstrument import Profiler

    charts.clear_cache()
    profiler = Profiler()
    profiler.start()
    run_jobs(data, job_list, out, formats, jobs=1)
    profiler.stop()
    print(profiler.output_text(show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--formats", default="docx")
    parser.add_argument("--workspace", type=Path, help="an existing demo workspace")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile N documents in one process")
    args = parser.parse_args()
    formats = args.formats.split(",")

    t0 = time.perf_counter()
    data = province(demo_data(args.workspace), args.areas)
    job_list = jobs(data, "annual")
    n = len(job_list)
    print(f"setup: {args.areas} areas, {data.observations.height:,} observations, "
          f"{data.result.height:,} assessed series, {n} annual reports "
          f"({time.perf_counter() - t0:.1f} s); {default_jobs()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Each run on its own copy of the data, so neither starts with what the other
        # derived and remembered (``ReportData.derived``, the lookup indexes).
        one = replace(data)
        single, s_wall, s_cpu = timed(
            lambda: run_jobs(one, jobs(one, "annual"), out / "single", formats, jobs=1))
        print(f"single process: {n} documents in {s_wall:.1f} s = {n / s_wall:.2f} documents/s"
              f" (CPU {s_cpu:.1f} s, {s_cpu / n:.2f} s/document)", flush=True)
        many = replace(data)
        multi, m_wall, m_cpu = timed(
            lambda: run_jobs(many, jobs(many, "annual"), out / "multi", formats, jobs=args.jobs))
        print(f"{args.jobs} processes:    {n} documents in {m_wall:.1f} s = "
              f"{n / m_wall:.2f} documents/s (CPU {m_cpu:.1f} s, {m_cpu / n:.2f} s/document)")
        print(f"ratio: ×{s_wall / m_wall:.2f} ({args.jobs} processes ÷ single process, "
              f"documents/s); load average now {os.getloadavg()[0]:.1f}")
        problems = compare(single, multi)
        size = sum(p.stat().st_size for p in multi) / 1e6
        print(f"outputs: {len(multi)} files, {size:.1f} MB; "
              + ("identical in content to the single-process run" if not problems
                 else f"DIFFERENT: {', '.join(problems[:5])}"))
        if args.profile:
            profile(data, job_list[: args.profile], out / "profile", formats)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
