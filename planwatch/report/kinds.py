"""Which documents a report kind produces for a workspace, and generating them.

``annual``, ``midterm`` and ``final`` give one document per plan and area; ``compendium``
and ``units`` one per area; ``warnings`` one for all selected areas. ``generate`` writes
them one by one, or on several processes (``jobs``), calling back after each so the CLI
can show progress, and each file is written atomically, so an interrupted run leaves only
whole files behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.report.builders import (
    build_annual,
    build_compendium,
    build_evaluation,
    build_units,
    build_warnings,
)
from planwatch.report.builders.evaluation import FinalYearError, check_final_year, final_year
from planwatch.report.data import ReportData
from planwatch.report.model import Document
from planwatch.report.output import parse_formats, safe_stem, write_document
from planwatch.report.parallel import check_jobs, run_parallel
from planwatch.vocabulary import REPORT_KINDS

KINDS: dict[str, str] = REPORT_KINDS
"""The report kinds are the vocabulary's (:data:`planwatch.vocabulary.REPORT_KINDS`)."""
DEFAULT_FORMATS: dict[str, tuple[str, ...]] = {
    "annual": ("docx", "pdf", "html"),
    "midterm": ("docx", "pdf"),
    "final": ("docx", "pdf"),
    "warnings": ("docx", "pdf"),
    "compendium": ("xlsx",),
    "units": ("docx", "xlsx"),
}


class ReportKindError(PlanwatchError, ValueError):
    """Unknown report kind, or a plan/area filter that selects nothing."""

    code = "report.kind"


@dataclass(frozen=True)
class Job:
    kind: str
    label: str
    build: Callable[[], Document]
    plan: str = ""


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ReportKindError(
            f"未知的报告类型 unknown report kind: {kind!r}（可选 choose from: {', '.join(KINDS)}）"
        )
    return kind


def _selected_areas(data: ReportData, areas: Iterable[str] | None) -> list[str]:
    known = data.area_codes()
    if not areas:
        return known
    chosen: list[str] = []
    for wanted in areas:
        match = [a for a in known if wanted in (a, data.area_name(a))]
        if not match:
            names = "、".join(f"{data.area_name(a)}（{a}）" for a in known)
            raise ReportKindError(
                f"评估结果中没有地区 {wanted!r}；可选 areas with results: {names or '无'}"
            )
        chosen += [a for a in match if a not in chosen]
    return chosen


def jobs(data: ReportData, kind: str, plans: Iterable[str] | None = None,
         areas: Iterable[str] | None = None, preview: bool = False) -> list[Job]:
    """The documents ``kind`` produces for the selected plans and areas, in order.

    ``final`` before a plan's target year is refused (before anything is written) unless
    ``preview``.
    """
    check_kind(kind)
    area_codes = _selected_areas(data, areas)
    wanted_plans = list(plans or [])
    if kind == "warnings":
        return [Job(kind, KINDS[kind], partial(build_warnings, data, area_codes))]
    if kind in ("compendium", "units"):
        builder = build_compendium if kind == "compendium" else build_units
        return [
            Job(kind, f"{data.area_name(a)}{KINDS[kind]}", partial(builder, data, a))
            for a in area_codes
        ]
    result: list[Job] = []
    for area in area_codes:
        for plan in data.plan_titles(area):
            if wanted_plans and not any(w in plan for w in wanted_plans):
                continue
            if kind != "annual" and not data.is_multi_year(plan):
                continue  # a one-year work plan (2022年…工作要点) has no mid-term or final
            if kind == "final":
                try:
                    check_final_year(data, plan, preview)
                except FinalYearError as exc:
                    raise ReportKindError(str(exc)) from exc
            build: Callable[[], Document]
            if kind == "annual":
                build = partial(build_annual, data, plan, area)
            else:
                build = partial(build_evaluation, data, plan, area,
                                "midterm" if kind == "midterm" else "final", preview)
            result.append(Job(kind, f"{data.area_name(area)} {plan}", build, plan))
    if not result:
        raise ReportKindError(
            f"没有符合条件的规划 no plan matches {wanted_plans}；可选 plans: "
            + "、".join(data.plan_titles())
        )
    return result


def file_stem(data: ReportData, doc: Document) -> str:
    return safe_stem(doc.title)


def plan_jobs(data: ReportData, kinds: Iterable[str], plans: Iterable[str] | None = None,
              areas: Iterable[str] | None = None, preview: bool = False) -> list[Job]:
    """Every document of ``kinds``; raises before anything is written if a filter is wrong."""
    plans_list = list(plans or [])
    areas_list = list(areas or [])
    return [j for k in kinds for j in jobs(data, k, plans_list, areas_list, preview)]


def final_due(data: ReportData) -> bool:
    """Whether every multi-year plan has reached its target year (``report all`` adds final)."""
    titles = [p for p in data.plan_titles() if data.is_multi_year(p)]
    return all((end := final_year(data, p)) is None or data.year >= end for p in titles)


def run_jobs(
    data: ReportData,
    job_list: list[Job],
    out_dir: Path,
    formats: Iterable[str] | None = None,
    on_done: Callable[[Job, list[Path]], None] | None = None,
    jobs: int | None = 1,
) -> list[Path]:
    """Build and write each job's document; ``formats`` None means each kind's usual ones.

    ``jobs`` > 1 writes on that many worker processes (``planwatch.report.parallel``),
    None on every core;
    the files are the same and come back in the same order as with ``jobs=1``, only
    ``on_done`` is called in the order jobs finish. Files are written atomically:
    interrupting (Ctrl-C) between or inside jobs leaves the finished files and no
    partial one.
    """
    chosen = parse_formats(list(formats)) if formats is not None else None

    def formats_of(job: Job) -> list[str]:
        return chosen if chosen is not None else list(DEFAULT_FORMATS[job.kind])

    def write(job: Job) -> list[Path]:
        doc = job.build()
        return write_document(doc, out_dir, formats_of(job), file_stem(data, doc))

    workers = check_jobs(jobs)
    if workers > 1 and len(job_list) > 1:
        per_job = run_parallel(
            data, [(j, formats_of(j)) for j in job_list], out_dir, workers,
            lambda i: write(job_list[i]),
            None if on_done is None else lambda i, paths: on_done(job_list[i], paths),
        )
        return [p for paths in per_job for p in paths]
    written: list[Path] = []
    for job in job_list:
        paths = write(job)
        written += paths
        if on_done is not None:
            on_done(job, paths)
    return written


def generate(
    data: ReportData,
    kinds: Iterable[str],
    out_dir: Path,
    formats: Iterable[str] | None = None,
    plans: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    on_done: Callable[[Job, list[Path]], None] | None = None,
    preview: bool = False,
    jobs: int | None = 1,
) -> list[Path]:
    """``plan_jobs`` then ``run_jobs``: the documents of ``kinds`` for the selection."""
    return run_jobs(data, plan_jobs(data, kinds, plans, areas, preview), out_dir, formats,
                    on_done, jobs)


STANDARD_SET: tuple[str, ...] = ("annual", "warnings", "compendium", "units")
"""What the office sends after each monitoring year (the demo's report folder)."""


def standard_jobs(data: ReportData) -> list[Job]:
    """Annual reports of the women's and children's plans, warnings, compendium, matrix.

    Other policy documents the reader found next to the plans (subject ``other``) get no
    annual report of their own in this set; ``planwatch report annual`` still writes one.
    """
    subjects = {}
    if data.plans.height:
        subjects = dict(data.plans.select("plan", "subject").iter_rows())
    result: list[Job] = []
    for kind in STANDARD_SET:
        for job in jobs(data, kind):
            if kind == "annual" and subjects.get(job.plan, "women") == "other":
                continue
            result.append(job)
    return result
