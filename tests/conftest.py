"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

``db_url`` is parametrised over both backends. The PostgreSQL side uses one fresh,
uniquely named database per test session (per pytest-xdist worker) on 127.0.0.1:5432 (user
postgres), dropped at the end; each test gets an empty schema inside it, or, when it asks
for ``engine``, the migrated schema with empty tables (see migrated_db.py for how that is
made without running the migrations each time). ``PLANWATCH_TEST_PG_URL`` points at another
server (any database on it: it is only used to create and drop the test database).
When no server answers the PostgreSQL tests are skipped with the reason, unless
``PLANWATCH_REQUIRE_PG=1``, which turns the skip into a failure so CI cannot pass by
silently testing SQLite only.

The demo workspace is built once per run, even with several xdist workers (built_once.py).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from built_once import build_once, demo_charts_shared, in_xdist_worker
from xdist_env import files_together_scheduler, remember_terminal, remove_if_passed, short_basetemp

# The CLI's consoles are made here, in the run's own environment (on xdist workers after
# xdist_env has put the controller's terminal variables back). Rich fixes a console's width for
# good when COLUMNS is set as it is made; made later, inside the first test that invokes a
# command with CliRunner(env={"COLUMNS": "250"}), every later test's output on that process
# would keep 250 columns whatever its own COLUMNS says, and which test comes first depends on
# how the files are shared out.
import planwatch.cli.console  # noqa: F401

# Polars on one thread in each xdist worker (and the commands it runs), unless the variable is
# set already: the workers keep every core busy by themselves and the test data are small, so a
# worker's thread pool only added hand-offs. tests/assess with the report builders' tests took
# 13.6–14.9 s of CPU so against 15.2–16.8 s with the default pool (2026-12-01, alternated). Set
# before anything imports Polars (planwatch.cli.console does not), which reads it once.
if in_xdist_worker():
    os.environ.setdefault("POLARS_MAX_THREADS", "1")

# The database, demo and migration modules (SQLAlchemy, Alembic, openpyxl: about a second of
# CPU) are imported by the fixtures that use them, not here: this file is loaded by every
# pytest process, the xdist controller included, which runs no test, and by quick runs of a
# single file that needs none of them.
if TYPE_CHECKING:
    from migrated_db import PostgresSchemas, PreparedDatabases
    from seed_workspaces import SeedWorkspaces
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session
    from xdist.remote import Producer
    from xdist.scheduler.protocol import Scheduling

    from planwatch.demo import DemoSummary

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

_made_basetemp: list[str | None] = [None]
_exitstatus: list[int] = [1]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """The collector's threshold as the planwatch command sets it; then, on the xdist
    controller (or a serial run), see xdist_env.py.

    With the default threshold (a collection every 700 new objects) the tests of tests/store
    and tests/collect ran some 5 000 collections, 3.1 s of their 49 s; at 70 000, as
    ``planwatch.cli.main.run`` has it, 37 collections, 1.3 s (2026-12-01). Cyclic garbage is
    still collected, later; nothing a test checks waits on the collector."""
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 70_000), gen1, gen2)
    if in_xdist_worker():
        return
    remember_terminal()
    _made_basetemp[0] = short_basetemp(config)


# The order in which pytest-xdist hands out test files (scripts/test.sh runs ``--dist loadfile
# --no-loadscope-reorder``: a worker takes a whole file, the next in this order, whenever it is
# nearly done with its current one). Only the order changes, and only under xdist; a missing or
# stale entry costs time, never a test.
#
# First the file that needs both shared demo artefacts (the demo workspace, about 5 s of CPU,
# and its standard report set, about 17 s; built_once.py builds each once for all workers): the
# first worker builds them while taking it. Next, long files that need neither, so the other
# worker has work of its own meanwhile instead of waiting on the builder's lock. Then the rest
# longest first (the --durations of a whole xdist run, files of 1 s and more), so that at the
# end only short files are left to even the workers out.
_LONGEST_FILES = (
    "tests/demo/test_demo_office_render.py",
    # no demo workspace: work for the other worker while the first builds it
    "tests/store/test_store_catalogue_yaml.py",
    "tests/store/test_plan_levels.py",
    "tests/collect/test_selfeval.py",
    "tests/store/test_store_workspace.py",
    "tests/hostile/in_cli_test.py",
    "tests/store/test_store_secrets.py",
    # longest first
    "tests/web/test_web_browser.py",  # with the phone file, on one worker (see _SAME_WORKER)
    "tests/web/test_web_phone.py",
    "tests/report/test_report_demo_outputs.py",
    "tests/exchange/test_exchange_pull.py",
    "tests/report/test_report_workspace.py",
    "tests/web/test_web_boards.py",
    "tests/web/test_web_load_smoke.py",
    "tests/web/test_api_schemathesis.py",
    "tests/store/test_store_series.py",
    "tests/store/test_store_monitoring.py",
    "tests/cases/test_published_cases.py",
    "tests/web/test_web_reports.py",
    "tests/store/test_unit_registry.py",
    "tests/collect/test_collect_rules.py",
    "tests/web/test_web_route_matrix.py",
    "tests/hostile/in_workbook_test.py",
    "tests/hostile/in_fuzz_test.py",
    "tests/report/test_report_parallel.py",
    "tests/hostile/test_out_cells.py",
    "tests/report/test_report_writers.py",
    "tests/cli/test_parse_cli.py",
    "tests/cli/test_cli_start_listing.py",
    "tests/assess/test_assess_methods.py",
    "tests/assess/test_assess_relative_targets.py",
    "tests/report/test_report_annual_readback.py",
    "tests/web/test_web_form.py",
    "tests/cli/test_cli_output_modes.py",
    "tests/web/test_web_reports_postgres.py",
    "tests/store/test_store_catalogue_breakdown_categories.py",
    "tests/web/test_api_report_jobs.py",
    "tests/cli/test_evaluation_cli.py",
    "tests/store/test_store_cli.py",
    "tests/web/test_api_data.py",
    "tests/collect/test_collect_series.py",
    "tests/store/test_store_load.py",
    "tests/assess/test_assess_status_edges.py",
    "tests/assess/test_assess_load.py",
    "tests/plan/test_reader_robust.py",
    "tests/hostile/test_out_reports.py",
    "tests/test_architecture.py",
    "tests/web/test_web_pages.py",
    "tests/cli/test_cli_exit.py",
    "tests/collect/test_collect_approval_lock.py",
    "tests/cli/test_cli_lazy.py",
    "tests/demo/test_demo_reasons.py",
    "tests/exchange/test_exchange_cli.py",
    "tests/collect/test_collect_import.py",
    "tests/web/test_api_tokens.py",
    "tests/web/test_web_catalogue.py",
    "tests/exchange/test_exchange_sdmx.py",
)


# Files that xdist hands to one worker together, as one unit, in the order above: the Playwright
# files share one Chromium (tests/web/conftest.py), which is launched once for both when their
# tests follow one another. Apart, each worker would start its own (about a second of CPU).
_SAME_WORKER = ("tests/web/test_web_browser.py", "tests/web/test_web_phone.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Scheduling | None:
    """``--dist loadfile`` with the files of _SAME_WORKER as one work unit (xdist_env.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    return files_together_scheduler(config, log, _SAME_WORKER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not in_xdist_worker():
        return
    rank = {name: i for i, name in enumerate(_LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_collectstart(collector: pytest.Collector) -> None:
    """What collecting has made so far is frozen before the next file is imported.

    Collecting imports every test module and, through them, most of planwatch and its
    libraries: some 400 000 objects that live as long as the process. Each full collection
    of the cyclic garbage collector walked all of them again: seven while collecting (about
    0.8 s of each worker's collection CPU; one is Hypothesis' own, when importing
    schemathesis seeds it), then each one while the tests run, and pytest's at the end.
    Frozen, they are out of its sight for the rest of the run: a collection walks only what
    came since. Freezing costs nothing (the collector's lists are joined). Objects made by
    the tests are collected as before; the cyclic garbage that collecting leaves is frozen
    with the rest and kept: on 2026-11-30 some 14 000 objects (pytest's discarded definitions
    of parametrised tests, their closures and directory nodes), nothing with a finaliser."""
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    """The last file's objects and the collected tests frozen too (see pytest_collectstart)."""
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exitstatus[0] = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """After the workers have stopped: the short base folder goes if every test passed."""
    if not in_xdist_worker():
        remove_if_passed(_made_basetemp[0], _exitstatus[0])


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2 at its lowest cost in tests: same algorithm, same code paths, about 5000 times less work.

    The application hashes with argon2-cffi's defaults (64 MiB, 3 passes, 4 lanes): some tenths of a
    second on this machine, on every account made and every login. Tests check what the hashing
    *does* (argon2id, salted, verifies, refuses the wrong password), not its cost, so the session
    swaps in a hasher with the smallest parameters. ``needs_rehash`` compares with the hasher in use,
    so a hash made during the run is never rehashed on login. The hash that an unknown user's
    login is checked against (made when ``planwatch.web.accounts`` is imported) is remade the same way.
    """
    import sys

    from argon2 import PasswordHasher

    from planwatch.web import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", cheap)
        accounts = sys.modules.get("planwatch.web.accounts")
        if accounts is not None:
            patch.setattr(accounts, "_DUMMY_HASH", passwords.hash_password("planwatch-no-such-user"))
        yield


def _pg_admin_url() -> str:
    return os.environ.get("PLANWATCH_TEST_PG_URL", DEFAULT_PG_URL)


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("PLANWATCH_REQUIRE_PG") == "1":
        pytest.fail(f"PLANWATCH_REQUIRE_PG=1 but PostgreSQL is unusable: {reason}")
    pytest.skip(f"PostgreSQL not reachable, PostgreSQL variant skipped: {reason}")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh database created for this test session, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(_pg_admin_url())
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver or network failure means "no server"
        _pg_unavailable(f"{admin_url.render_as_string(hide_password=True)}: {exc}".strip())
    name = f"planwatch_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A throw-away database: commits need not wait for the disk (a crash loses nothing).
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _pg_schemas(pg_server_url: str) -> Iterator[PostgresSchemas]:
    from migrated_db import PostgresSchemas

    schemas = PostgresSchemas(pg_server_url)
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once per worker; ``engine`` hands out copies."""
    from migrated_db import make_sqlite_template

    return make_sqlite_template(tmp_path_factory.mktemp("migrated") / "template.sqlite")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (no tables) on each backend.

    When the test also uses ``engine``, ``seed_workspaces`` or ``prepared_databases`` the
    PostgreSQL database is left to those, which give it its contents before the test starts:
    emptying it here first would only cost time.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    url: str = request.getfixturevalue("pg_server_url")
    if not {"engine", "seed_workspaces", "prepared_databases"} & set(request.fixturenames):
        request.getfixturevalue("_pg_schemas").empty()
    return url


@pytest.fixture
def engine(request: pytest.FixtureRequest, db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the current schema."""
    from migrated_db import copy_sqlite_template
    from sqlalchemy.engine import make_url

    from planwatch.store.db import make_engine

    if make_url(db_url).get_backend_name() == "sqlite":
        copy_sqlite_template(request.getfixturevalue("migrated_sqlite_template"), db_url)
    else:
        request.getfixturevalue("_pg_schemas").migrated()
    eng = make_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture(scope="session")
def seed_workspaces(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SeedWorkspaces:
    """``seed_workspaces.make(path, plans, url)``: what ``init_workspace(path, plans,
    url).close()`` leaves, copied from one made earlier (see seed_workspaces.py).

    A test that uses this fixture must call ``make`` before it touches a PostgreSQL
    ``db_url``: ``db_url`` leaves that database as the previous test left it, for ``make``
    to fill.
    """
    from seed_workspaces import SeedWorkspaces

    return SeedWorkspaces(tmp_path_factory, lambda: request.getfixturevalue("_pg_schemas"))


@pytest.fixture(scope="session")
def prepared_databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> PreparedDatabases:
    """``prepared_databases.session(db_url, key, fill)``: a session on a migrated database that
    ``fill`` has added rows to, copied from one filled earlier in this worker (see
    migrated_db.py). Like ``seed_workspaces``, to be used before the test touches ``db_url``."""
    from migrated_db import PreparedDatabases

    return PreparedDatabases(
        tmp_path_factory.mktemp("prepared"),
        lambda: request.getfixturevalue("migrated_sqlite_template"),
        lambda: request.getfixturevalue("_pg_schemas"),
    )


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the migrated database; the test decides when to commit."""
    from planwatch.store.db import make_sessionmaker

    with make_sessionmaker(engine)() as sess:
        yield sess


def build_demo(folder: Path) -> DemoSummary:
    """planwatch.demo.build_demo, imported only when the demo is built (see the imports above)."""
    from planwatch.demo import build_demo as build

    return build(folder)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """One demo workspace for the whole run: building it is the slow part of many tests.

    Tests read it; a test that changes data works on a copy (``shutil.copytree``). Built once
    per run: xdist workers other than the builder each get their own copy of it.
    """
    _, summary = build_once(tmp_path_factory, "demo", lambda folder: build_demo(folder / "ws"))
    if not in_xdist_worker():
        return summary
    copy = tmp_path_factory.mktemp("demo") / "ws"
    shutil.copytree(summary.path, copy)
    return dataclasses.replace(summary, path=copy)


@pytest.fixture(scope="session")
def pdf_pages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], list[str]]:
    """``pdf_pages(path)``: each page's text as printed (``pdftotext -layout``), blank pages
    left out; read once per run for a file however many tests and xdist workers ask. The demo's
    annual reports are read by test_report_demo_outputs, test_report_annual_readback and (one
    of them) test_demo_office_render, each about 0.4 s of poppler's CPU."""

    def read(path: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout

    def pages(path: Path) -> list[str]:
        key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
        _, text = build_once(tmp_path_factory, f"pdftotext-{key}", lambda _folder: read(path))
        return [page for page in text.split("\f") if page.strip()]

    return pages


DEMO_REPORT_YEAR = 2024


@pytest.fixture(scope="session")
def demo_reports(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo's standard report set for 2024 (what ``planwatch demo`` leaves in reports/),
    written once per run however many xdist workers ask (about 20 s of CPU each time); the
    read-back tests only read these files, so every worker reads the same ones.

    Written in this process (``jobs=1``): the files are the same whatever the number of
    processes (tests/report/test_report_parallel.py checks that), and while one xdist worker
    writes them the other has test files of its own to run, so a report process started
    beside them would only add its start-up (the report libraries imported again, about 5 s
    of CPU) without finishing sooner."""
    from planwatch.report.standard import write_standard_reports
    from planwatch.store.workspace import open_workspace

    def write(folder: Path) -> list[Path]:
        with demo_charts_shared(tmp_path_factory), open_workspace(demo.path) as ws:
            return write_standard_reports(ws, DEMO_REPORT_YEAR, folder, jobs=1)

    _, files = build_once(tmp_path_factory, "demo-reports", write)
    return list(files)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which Python would create files 0644 and folders 0755: the tests of
    owner-only outputs check that planwatch narrows them whatever the user's umask."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
