"""Annual reports for every district of a province-sized workspace, with a progress bar.

Setup (not timed): the national generator's data for ``--areas`` districts (default 100,
about a province) × ``--indicators`` (default 80, two plans of 40 targets in 8 domains),
five years, then one assessment of all of it.

Timed, in the same run:
  1. full run  – ``run_jobs`` over every annual report (one per district and plan) in
                 ``--formats`` (default docx), as ``planwatch report annual`` does it;
  2. pipeline vs baseline on a sample of ``--sample`` documents in docx+html+pdf:
     planwatch's pipeline (each chart drawn once as PNG and shared by the three
     formats) against the straightforward one (each format draws its own charts; HTML
     and PDF carry SVG charts, as a first version would).

    python benchmarks/report_province.py [--areas 100] [--indicators 80] [--formats docx]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_data import generate

from planwatch.assess import assess
from planwatch.report import charts
from planwatch.report.data import ReportData
from planwatch.report.docx_writer import write_docx
from planwatch.report.html_writer import render_html, write_html
from planwatch.report.kinds import Job, jobs, run_jobs
from planwatch.report.model import Document
from planwatch.report.output import write_document
from planwatch.report.pdf_writer import write_pdf

YEAR = 2023


def baseline_write(doc: Document, out: Path) -> None:
    """Each format on its own: charts redrawn per format, SVG charts in HTML and PDF."""
    charts.clear_cache()
    write_docx(doc, out / "b.docx")
    charts.clear_cache()
    write_html(doc, out / "b.html", render_html(doc, charts_as="svg"))
    charts.clear_cache()
    write_pdf(doc, out / "b.pdf", render_html(doc, charts_as="svg"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=100)
    parser.add_argument("--indicators", type=int, default=80)
    parser.add_argument("--formats", default="docx")
    parser.add_argument("--sample", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    observations, targets = generate(n_areas=args.areas, n_indicators=args.indicators)
    result = assess(observations, targets, YEAR)
    codes = result.get_column("area_code").unique().sort().to_list()
    data = ReportData(year=YEAR, result=result, observations=observations,
                      areas={c: f"第{i + 1:03d}区" for i, c in enumerate(codes)})
    job_list: list[Job] = jobs(data, "annual")
    setup = time.perf_counter() - t0
    print(f"setup: {args.areas} areas, {observations.height:,} observations, "
          f"{result.height:,} assessed series, {len(job_list)} annual reports ({setup:.1f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        progress = Progress(TextColumn("[bold]年度监测报告"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[current]}"))
        with progress:
            task = progress.add_task("reports", total=len(job_list), current="")
            t1 = time.perf_counter()
            written = run_jobs(
                data, job_list, out / "full", args.formats.split(","),
                on_done=lambda job, _: progress.update(task, advance=1, current=job.label),
            )
            full = time.perf_counter() - t1
        size = sum(p.stat().st_size for p in written) / 1e6
        print(f"full run ({args.formats}): {len(job_list)} documents, {len(written)} files, "
              f"{size:.1f} MB in {full:.1f} s = {len(job_list) / full:.2f} documents/s")

        sample = [j.build() for j in job_list[: args.sample]]
        n_charts = sum(len(d.charts()) for d in sample)
        charts.clear_cache()
        t2 = time.perf_counter()
        for i, doc in enumerate(sample):
            write_document(doc, out / "pipe", ["docx", "html", "pdf"], f"d{i}")
        pipeline = time.perf_counter() - t2
        t3 = time.perf_counter()
        for i, doc in enumerate(sample):
            (out / "base" / str(i)).mkdir(parents=True)
            baseline_write(doc, out / "base" / str(i))
        baseline = time.perf_counter() - t3
    print(f"docx+html+pdf on {len(sample)} documents ({n_charts} charts): pipeline "
          f"{pipeline:.1f} s, baseline {baseline:.1f} s, speed-up ×{baseline / pipeline:.2f}")


if __name__ == "__main__":
    main()
