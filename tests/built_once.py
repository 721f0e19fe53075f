"""Build an expensive test artefact once per test run, however many pytest-xdist workers ask.

Each xdist worker is its own process with its own session fixtures, so a session fixture alone
would build the demo workspace once per worker. The workers of one run share the run's base
temporary folder (xdist gives each worker ``<base>/popen-gwN``), so the first worker to arrive
builds the artefact there under a file lock and the others wait for it and reuse it. Outside
xdist the session's own base folder is used: nothing is kept from one run to the next, so an
artefact can never be stale.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder shared by every worker of this run (the session's own alone)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def in_xdist_worker() -> bool:
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def build_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Any]) -> tuple[Path, Any]:
    """``build(folder)`` run once per test run; every caller gets the folder and the result.

    The result is pickled beside the folder so that workers that did not build it get the
    same value. A build that raises leaves no marker: the next caller tries again (and fails
    the same way, with its own traceback).
    """
    shared = run_folder(factory) / "built-once"
    shared.mkdir(exist_ok=True)
    folder = shared / name
    done = shared / f"{name}.pickle"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            result = build(folder)
            done.write_bytes(pickle.dumps(result))
    return folder, pickle.loads(done.read_bytes())


@contextlib.contextmanager
def demo_charts_shared(factory: pytest.TempPathFactory) -> Iterator[None]:
    """Inside: the charts drawn go to (and come from) one folder of the whole run, the report
    pool's way of sharing them (planwatch.report.chart_cache). A test that writes the demo's
    reports again on another xdist worker reads the charts ``demo_reports`` drew instead of
    drawing them anew (about 2 s of CPU); outside, each process draws its own as before, so
    the tests that count drawings see only their own."""
    from planwatch.report.chart_cache import shared_cache, use_shared_cache

    folder = run_folder(factory) / "built-once" / "demo-charts"
    folder.mkdir(parents=True, exist_ok=True)
    before = shared_cache()
    use_shared_cache(folder)
    try:
        yield
    finally:
        use_shared_cache(before)
