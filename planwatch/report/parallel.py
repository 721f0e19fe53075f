"""Writing report jobs on every core: a pool of worker processes, each set up once.

Matplotlib, python-docx and WeasyPrint hold the GIL for nearly all their work, so threads
would not help; processes do. Workers are started with ``spawn`` (``fork`` after Polars
has started its thread pool can deadlock) and receive the ``ReportData`` once, in their
initialiser, instead of once per document: a job travels as its builder function and its
arguments without the data, and the worker rebuilds it against its own copy.

Charts: each process keeps its in-memory chart cache, and all share one folder of drawn
charts keyed by the chart's content (``chart_cache.use_shared_cache``), so a chart that two
documents in two processes contain is drawn once.

Results are deterministic and equal to ``--jobs 1``: every job writes the same bytes
whichever process runs it, the list of written files comes back in job order, and if two
jobs wrote the same file name the later job (in job order) is written again last, as the
single-process run would have left it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from planwatch.errors import PlanwatchError
from planwatch.report.chart_cache import shared_cache, use_shared_cache
from planwatch.report.data import ReportData
from planwatch.report.model import Document


class JobsOptionError(PlanwatchError, ValueError):
    """``--jobs`` below one."""

    code = "report.jobs"


def default_jobs() -> int:
    """The cores this process may run on (the container's share, not the host's count)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # not Linux
        return max(os.cpu_count() or 1, 1)


def check_jobs(jobs: int | None) -> int:
    """``None`` → every core; refuses 0 and negatives rather than guessing."""
    if jobs is None:
        return default_jobs()
    if jobs < 1:
        raise JobsOptionError(f"--jobs 须为正整数（收到 {jobs}）；1 表示单进程 --jobs must be ≥ 1")
    return jobs


@dataclass(frozen=True)
class Task:
    """A job without the data: what a worker needs to build and write one document."""

    index: int
    builder: Callable[..., Document]
    args: tuple[Any, ...]
    keywords: dict[str, Any]
    formats: tuple[str, ...]


def task_of(index: int, build: Callable[[], Document], data: ReportData,
            formats: Iterable[str]) -> Task | None:
    """``partial(builder, data, *args)`` as a picklable task; None for any other callable
    (a lambda from a test, say), which then runs in the calling process."""
    if not isinstance(build, partial) or not build.args or build.args[0] is not data:
        return None
    builder = build.func
    if getattr(builder, "__qualname__", "").count("<") or not hasattr(builder, "__module__"):
        return None  # a local function cannot be pickled by reference
    return Task(index, builder, build.args[1:], dict(build.keywords), tuple(formats))


# ---------------------------------------------------------------- worker side

_data: ReportData | None = None


def _init_worker(data: ReportData, chart_dir: str | None) -> None:
    """Once per worker: the data, the shared chart folder; Ctrl-C is the parent's to
    handle (it stops handing out jobs; files are written atomically either way)."""
    global _data
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _data = data
    if chart_dir is not None:
        use_shared_cache(Path(chart_dir))


def _run_task(task: Task, out_dir: str) -> tuple[int, list[Path]]:
    from planwatch.report.kinds import file_stem
    from planwatch.report.output import write_document

    assert _data is not None, "worker not initialised"
    doc = task.builder(_data, *task.args, **task.keywords)
    paths = write_document(doc, Path(out_dir), task.formats, file_stem(_data, doc))
    return task.index, paths


# ---------------------------------------------------------------- parent side


def run_parallel(
    data: ReportData,
    jobs_and_formats: list[tuple[Any, list[str]]],
    out_dir: Path,
    workers: int,
    run_here: Callable[[int], list[Path]],
    on_done: Callable[[int, list[Path]], None] | None = None,
) -> list[list[Path]]:
    """Run ``(job, formats)`` pairs on ``workers`` processes — this one and ``workers - 1``
    started for the purpose; returns each job's files, in job order. ``run_here(i)``
    writes job ``i`` in this process.

    This process has the data and the libraries loaded already, so it works too rather
    than wait: the started workers take the longest jobs first (``_start_order``), this
    process the shortest, from the other end of the same list, and jobs that cannot be
    sent to a worker. Re-writes of clashing file names happen here at the end.
    """
    results: list[list[Path] | None] = [None] * len(jobs_and_formats)
    tasks: list[Task] = []
    local: list[int] = []
    for i, (job, formats) in enumerate(jobs_and_formats):
        task = task_of(i, job.build, data, formats)
        if task is None:
            local.append(i)
        else:
            tasks.append(task)
    queue = deque(sorted(tasks, key=lambda t: _start_order(jobs_and_formats[t.index][0], t)))
    started = max(1, min(workers - 1, len(tasks)))

    def finished(index: int, paths: list[Path]) -> None:
        results[index] = paths
        if on_done is not None:
            on_done(index, paths)

    with tempfile.TemporaryDirectory(prefix="planwatch-charts-") as chart_dir:
        before = shared_cache()
        use_shared_cache(Path(chart_dir))
        pool = ProcessPoolExecutor(
            max_workers=started, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(_without_caches(data), chart_dir),
        )
        pending: set[Future[tuple[int, list[Path]]]] = set()

        def collect(block: bool) -> None:
            """Take in finished jobs and keep each worker one job ahead."""
            nonlocal pending
            if pending:
                done, pending = wait(pending, timeout=None if block else 0,
                                     return_when=FIRST_COMPLETED)
                for future in done:
                    finished(*future.result())
            while queue and len(pending) < 2 * started:
                pending.add(pool.submit(_run_task, queue.popleft(), str(out_dir)))

        try:
            collect(block=False)
            while local or queue:
                index = local.pop(0) if local else queue.pop().index
                finished(index, run_here(index))
                collect(block=False)
            while pending:
                collect(block=True)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            use_shared_cache(before)
        pool.shutdown(wait=True)
    final = [r or [] for r in results]
    for i in _overwritten(final):
        final[i] = run_here(i)
    return final


def _start_order(job: Any, task: Task) -> tuple[tuple[int, int], int]:
    """Longest first, so that no long job starts last while the other workers sit idle:
    the warnings list (one document for every area) before the per-area documents, and
    documents with a PDF (WeasyPrint is the slowest writer) before those without. The
    order work starts in changes no file, only when the last one is done."""
    return (0 if job.kind == "warnings" else 1, 0 if "pdf" in task.formats else 1), task.index


def _without_caches(data: ReportData) -> ReportData:
    """The data as sent to a worker: without its lazily built indexes (the ``_``
    attributes, rebuilt there when needed), so the pickle holds each frame once."""
    state = {k: None if k.startswith("_") else v for k, v in data.__dict__.items()}
    copy = object.__new__(ReportData)
    copy.__dict__.update(state)
    return copy


def _overwritten(results: list[list[Path]]) -> list[int]:
    """Jobs whose file another, earlier job also wrote: in one process the later job's
    file is the one left; rewriting these in job order leaves exactly that."""
    seen: set[Path] = set()
    again: list[int] = []
    for i, paths in enumerate(results):
        if any(p in seen for p in paths):
            again.append(i)
        seen.update(paths)
    return again
