"""Load test of the web application at the data deadline, on PostgreSQL (one command).

    .venv/bin/python benchmarks/web_load.py                 # set up (first time), then run
    .venv/bin/python benchmarks/web_load.py --units 20 --offices 2 --burst 20   # a quick look

What it does:

1. **Set-up** (once; kept as the template database ``<db>_base`` and copied fresh for every
   run, so each run starts from the same state): a PostgreSQL workspace built by the demo's
   own builder (``planwatch.demo.build.build_demo``: the catalogue edits, last year's figures
   imported as workbooks and moved through the workflow) from the two seed plans, with the
   济南市市中区 document copied for more districts of 济南市, 青岛市 and 淄博市 (the same text
   with the area's name put in, read by the plan reader like any gazette holding several
   documents). The demo has about ten member units with figures to report per district, so 400
   unit users need about twenty districts: each selected unit gets one 填报员 (``f001`` …) and
   one 单位审核员 (``r001`` …), 2 × 200 = 400 unit users; each area whose units fill also gets
   an 工委办管理员 (``o01`` …) for the office's browsing. Every account is made with
   ``planwatch.web.accounts.add_user`` (argon2 at its production strength) and marked as having
   changed its first password, so nobody is sent to the forced change.
2. **Server**: ``uvicorn`` with ``--workers`` processes (default 2, one per core) on
   127.0.0.1 and a free port, started and stopped by this script.
3. **Load** (asyncio, one ``httpx2.AsyncClient`` — own cookies, own CSRF token — per user):
   every user logs in, spread over ``--login-window`` seconds (default 300) before the burst (a
   person opens the system before the last minutes; argon2 verification costs about 0.1 s of
   a core per login and stays at production strength). The password is checked outside the
   login's database transaction, so waiting logins hold no pooled connection; 400 logins
   within 30 s on two cores would still queue every page behind seconds of argon2, which is
   not the deadline being measured. Then, within ``--burst`` seconds, every 填报员
   opens its tasks and the form, types a figure into every cell (last year's figure where the
   form shows one, numerators and denominators that add up across breakdowns, a plausible
   figure elsewhere), saves the draft, reads the warnings the checks raise and writes a 说明
   beside each, saves again; its 单位审核员 then opens the form and 报送 (submits) it. Between
   two pages a user waits ``--think`` seconds (±50 %, seeded), far less than a person
   reading a form of 50 cells. Meanwhile every office user browses the progress board, the
   target board, the area's progress page and the review list in a loop, with the same think
   time, until the units are done. The work is fixed (one submission per unit) and the run
   is bounded by ``--time-limit``.
4. **Measure**: every page's time as the client sees it (request sent → body read), per page
   kind p50 / p95 / max; an error is any status other than the one the step expects (2xx,
   or 303 for a post), an error page, or a form left with an error. Afterwards the database
   is read: every unit's latest revision for the year must be 已报送 and hold exactly the
   figures its client last sent (value, numerator, denominator per indicator and breakdown)
   and the 说明 it wrote. A table, a verdict line, exit code 1 on any error, lost figure or
   a p95 over ``--p95-limit`` ms. A ``cpu:`` line says what the load generator itself used
   (CPU seconds and ms a page), what the server used (uvicorn and its workers, start-up and
   argon2 included) and how late the client's event loop woke a 50 ms sleep: a page's time
   includes that wait, so a load generator starving for CPU shows there rather than passing
   for a slow server. (Measured: about 3 ms of client CPU a page, a twentieth of the server's.)

The smoke test (tests/web/test_web_load_smoke.py) runs the same code on a copy of the demo
workspace (SQLite) with a handful of users for a few seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

PASSWORD = "Load#Test2025"
"""Every load account's password."""
NOTE = "经核实，该数值准确（负载测试）"
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/planwatch_load"
SEED_DOCUMENT = "jinan-shizhong-2022-7.txt"
EXTRA_AREAS = (
    ("济南市", "历下区"), ("济南市", "槐荫区"), ("济南市", "天桥区"), ("济南市", "历城区"), ("济南市", "长清区"),
    ("济南市", "章丘区"), ("济南市", "济阳区"), ("济南市", "莱芜区"), ("济南市", "钢城区"), ("济南市", "平阴县"),
    ("济南市", "商河县"), ("青岛市", "市南区"), ("青岛市", "市北区"), ("青岛市", "黄岛区"), ("青岛市", "崂山区"),
    ("青岛市", "李沧区"), ("青岛市", "城阳区"), ("青岛市", "即墨区"), ("淄博市", "淄川区"), ("淄博市", "张店区"),
    ("淄博市", "博山区"), ("淄博市", "临淄区"), ("淄博市", "周村区"),
)
"""Districts the 济南市市中区 document is copied into (their names are unique in the NBS list)."""
WORKSPACE_ENV = "PLANWATCH_LOAD_WORKSPACE"
CHEAP_HASHING_ENV = "PLANWATCH_LOAD_CHEAP_HASHING"
"""Set to 1 by the smoke test only: the server hashes as the test suite does (see server_app)."""


# --------------------------------------------------------------------------- set-up


def _plans_dir(target: Path, areas: int) -> Path:
    """The seed plans, the 市中区 document followed by ``areas`` copies naming other districts."""
    from planwatch.demo.build import PLANS_DIR, SEED_PLANS

    target.mkdir(parents=True, exist_ok=True)
    for name in SEED_PLANS:
        shutil.copy(PLANS_DIR / name, target / name)
    if areas > len(EXTRA_AREAS):
        raise SystemExit(f"at most {len(EXTRA_AREAS)} extra areas")
    text = (PLANS_DIR / SEED_DOCUMENT).read_text(encoding="utf-8")
    copies = [text]
    for city, county in EXTRA_AREAS[:areas]:
        short = county[:-1]
        copies.append(text.replace("济南市市中区", city + county).replace("济南市", city)
                      .replace("市中区", county).replace("市中政发", short + "政发"))
    (target / SEED_DOCUMENT).write_text("\n\n\n".join(copies), encoding="utf-8")
    return target


def _pg_admin(url: str) -> tuple[str, str]:
    """A libpq connection string to the server's ``postgres`` database, and the workspace's database name."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    assert u.database, "the URL names a database"
    admin = u.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), u.database


def _pg(admin: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _pg_exists(admin: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _drop(name: str) -> list[str]:
    return [f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
            f'DROP DATABASE IF EXISTS "{name}"']


@dataclass(frozen=True)
class LoadUnit:
    unit_id: int
    area_code: str
    filler: str
    reviewer: str


def load_units(session: Any, year: int, count: int) -> list[tuple[int, str]]:
    """The ``count`` reporting units that fill in: those that reported last year first
    (their form shows last year's figures), in area and unit order."""
    from sqlalchemy import select

    from planwatch.collect.catalogue import assigned_indicators
    from planwatch.collect.template import reporting_units
    from planwatch.store.models import Submission

    reported = set(session.execute(select(Submission.area_code, Submission.unit_id)
                                   .where(Submission.year == year - 1)).all())
    units = [u for u in reporting_units(session)
             if any(i.measurable for i in assigned_indicators(session, u.area_code, u.id))]
    units.sort(key=lambda u: ((u.area_code, u.id) not in reported, u.area_code, u.id))
    if len(units) < count:
        raise SystemExit(f"the workspace has {len(units)} reporting units, {count} asked for")
    return [(u.id, u.area_code) for u in units[:count]]


def add_load_accounts(ws: Any, year: int, units: int, offices: int) -> tuple[list[LoadUnit], list[str]]:
    """A 填报员 and a 单位审核员 per unit and an 工委办管理员 per area (up to ``offices``),
    made and given their own password through the account functions, argon2 included."""
    from concurrent.futures import ThreadPoolExecutor

    from planwatch.web.accounts import add_user
    from planwatch.web.audit import Actor
    from planwatch.web.permissions import Grant

    now = dt.datetime.now(dt.UTC)
    actor = Actor("web_load")
    with ws.session() as session:
        chosen = load_units(session, year, units)
    made = [LoadUnit(uid, area, f"f{n:03d}", f"r{n:03d}") for n, (uid, area) in enumerate(chosen, start=1)]
    areas = list(dict.fromkeys(u.area_code for u in made))[:offices]
    accounts = [(u.filler, Grant("filler", u.area_code, u.unit_id)) for u in made]
    accounts += [(u.reviewer, Grant("unit_reviewer", u.area_code, u.unit_id)) for u in made]
    office_names = [f"o{n:02d}" for n in range(1, len(areas) + 1)]
    accounts += [(name, Grant("office_admin", area)) for name, area in zip(office_names, areas, strict=True)]

    def one(item: tuple[str, Grant]) -> None:
        name, grant = item
        with ws.session() as session:
            user, _ = add_user(session, name, name, [grant], now, actor, password=PASSWORD)
            # As if the first-login change were done: one argon2 hash per account instead of
            # three keeps the set-up of 400 accounts within minutes on a busy machine.
            user.must_change_password = False
            user.password_changed_at = now

    # argon2 releases the GIL: two threads use both cores (SQLite takes one writer at a time).
    with ThreadPoolExecutor(max_workers=2 if ws.engine.dialect.name == "postgresql" else 1) as pool:
        list(pool.map(one, accounts))
    return made, office_names


def build_pg_workspace(path: Path, database_url: str, *, year: int, units: int, offices: int, areas: int) -> None:
    """The load workspace on PostgreSQL, kept as ``<db>_base`` (a template database)."""
    from planwatch.demo.build import build_demo
    from planwatch.store.workspace import open_workspace
    from planwatch.web.settings import load_secret

    admin, name = _pg_admin(database_url)
    _pg(admin, *_drop(name), *_drop(name + "_base"), f'CREATE DATABASE "{name}"')
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="planwatch-load-plans-") as tmp:
        summary = build_demo(path, years=range(year - 1, year), database_url=database_url,
                             plans_dir=_plans_dir(Path(tmp), areas))
    print(f"set-up: workspace with {len(summary.areas)} areas and {summary.units} reporting units, "
          f"last year's figures imported ({time.perf_counter() - started:.0f} s)", flush=True)
    started = time.perf_counter()
    with open_workspace(path) as ws:
        made, office_names = add_load_accounts(ws, year, units, offices)
    load_secret(path)  # created once here, not raced by the server's workers
    print(f"set-up: {2 * len(made)} unit users and {len(office_names)} office users "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    _pg(admin, *_drop(name + "_base")[:1], f'CREATE DATABASE "{name}_base" TEMPLATE "{name}"')


def fresh_pg_database(database_url: str) -> None:
    """The workspace's database copied anew from its template: every run starts alike."""
    admin, name = _pg_admin(database_url)
    _pg(admin, *_drop(name), f'CREATE DATABASE "{name}" TEMPLATE "{name}_base"')


def pg_ready(path: Path, database_url: str) -> bool:
    admin, name = _pg_admin(database_url)
    return (path / "workspace.yaml").is_file() and _pg_exists(admin, name + "_base")


# --------------------------------------------------------------------------- server


def server_app() -> Any:
    """The application for uvicorn's workers (``--factory``): each opens the workspace itself.

    With ``PLANWATCH_LOAD_CHEAP_HASHING=1`` (the smoke test's accounts are made under the test
    suite's cheapest argon2 parameters) the server hashes with those same parameters: otherwise
    every login would see a hash weaker than the server's and rehash it at production strength,
    about 0.2 s of CPU each, which the smoke test does not set out to measure. The benchmark
    itself never sets it, so its logins stay at production strength.
    """
    from planwatch.store.workspace import open_workspace
    from planwatch.web.app import create_app

    if os.environ.get(CHEAP_HASHING_ENV) == "1":
        from argon2 import PasswordHasher

        from planwatch.web import passwords

        passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return create_app(open_workspace(os.environ[WORKSPACE_ENV]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(workspace: Path, workers: int, log: Path, *, cheap_hashing: bool = False) -> Iterator[str]:
    """uvicorn on 127.0.0.1 and a free port, stopped (with its workers) when the block ends.

    Asked every 50 ms whether it answers yet: its start-up (imports, the workspace opened) takes
    a second or two, and a longer pause only adds to the wait.
    """
    import httpx2

    port = free_port()
    env = {**os.environ, WORKSPACE_ENV: str(workspace)}
    if cheap_hashing:
        env[CHEAP_HASHING_ENV] = "1"
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "web_load:server_app", "--app-dir",
           str(Path(__file__).resolve().parent), "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server stopped at start:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx2.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not answer within 120 s")
            time.sleep(0.05)
        # every worker ready: a few more answers
        for _ in range(4 * workers):
            httpx2.get(base + "/login", timeout=10)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- the users


@dataclass
class Sample:
    kind: str
    seconds: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def error(self, who: str, what: str) -> None:
        self.errors.append(f"{who}: {what}")


@dataclass
class Typed:
    """What a client typed into one cell (strings as sent) and the 说明 it wrote."""

    value: str = ""
    numerator: str = ""
    denominator: str = ""
    note: str = ""


class Failed(Exception):
    """A step went wrong; the user stops (the error is already recorded)."""


CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
CELL = re.compile(
    r'<tr id="cell-\d+"[^>]*>\s*<td>([^<]*)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>\s*'
    r'<td class="num">([^<]*)</td>\s*<td(?: class="value")?><input name="v:([^"]+)"(.*?)</tr>', re.S)
NEEDS_NOTE = re.compile(r'<input name="n:([^"]+)"[^>]*class="needs-note"')
CELL_ERROR = re.compile(r'<div class="error" data-code="([^"]+)">([^<]*)</div>')
ERROR_PAGE = re.compile(r"<h1>(无权访问|未找到|请求未完成)</h1>")


class User:
    """One person's browser: a cookie jar, the CSRF token and the timing of every page."""

    def __init__(self, name: str, base: str, rec: Recorder, rng: random.Random, think: float) -> None:
        import httpx2

        self.name = name
        self.rec = rec
        self.rng = rng
        self.think_time = think
        self.client = httpx2.AsyncClient(base_url=base, follow_redirects=False, timeout=60)
        self.home = ""

    async def close(self) -> None:
        await self.client.aclose()

    async def think(self) -> None:
        if self.think_time:
            await asyncio.sleep(self.think_time * self.rng.uniform(0.5, 1.5))

    async def page(self, kind: str, method: str, url: str, expect: int = 200,
                   data: dict[str, str] | None = None) -> Any:
        import httpx2

        started = time.perf_counter()
        try:
            if data is not None:
                data = {**data, "csrftoken": self.client.cookies.get("csrftoken") or ""}
            response = await self.client.request(method, url, data=data)
        except httpx2.HTTPError as exc:
            self.rec.error(self.name, f"{kind} {url}: {type(exc).__name__} {exc}")
            raise Failed from exc
        self.rec.samples.append(Sample(kind, time.perf_counter() - started))
        if response.status_code != expect or ERROR_PAGE.search(response.text):
            found = ERROR_PAGE.search(response.text)
            detail = re.findall(r'<p class="error"[^>]*>([^<]*)</p>', response.text)
            self.rec.error(self.name, f"{kind} {method} {url}: {response.status_code} (expected {expect})"
                           f"{' ' + found.group(1) if found else ''} {' '.join(detail)[:300]}")
            raise Failed
        return response

    async def login(self) -> None:
        await self.page("login page", "GET", "/login")
        r = await self.page("login", "POST", "/login", 303, {"username": self.name, "password": PASSWORD})
        if r.headers["location"] != "/":
            self.rec.error(self.name, f"login went to {r.headers['location']}")
            raise Failed
        r = await self.page("home", "GET", "/", 303)
        self.home = r.headers["location"]


def typed_figures(cells: list[tuple[str, str, str, str, bool]]) -> dict[str, Typed]:
    """Figures for every cell of a form, as a clerk with the true figures would type them.

    ``cells``: (code, unit, last year's figure, key, is_rate). Last year's figure where the
    form shows one, else a plausible one for the unit of measure; a breakdown's parts add
    up to the total (counts), or their numerators and denominators do (rates), so the sum
    checks pass; warnings (a jump from last year, …) are answered with a 说明 later.
    """
    from planwatch.store.catalogue_loader import RATE_BASES

    by_code: dict[str, list[tuple[str, str, str, str, bool]]] = defaultdict(list)
    for cell in cells:
        by_code[cell[0]].append(cell)
    out: dict[str, Typed] = {}
    for rows in by_code.values():
        total = next((c for c in rows if c[3].endswith("|total")), None)
        if total is None:
            continue
        _, unit, last, key, is_rate = total
        if not unit:
            continue  # a directional indicator: no figure is asked for
        base = RATE_BASES.get(unit)
        fallback = {"%": 50.0, "‰": 5.0, "/千": 2.0, "/万": 10.0, "/10万": 10.0}.get(unit, 10.0)
        v = float(last) if last else fallback
        dims: dict[str, list[str]] = defaultdict(list)
        for c in rows:
            part = c[3].split("|", 1)[1]
            if part != "total" and ";" not in part and "=" in part:
                dims[part.split("=", 1)[0]].append(c[3])
        if is_rate and base:
            den = 60_000 * int(base)  # parts of 2, 3, 4, 5 or 6 share it evenly; 0.001 steps
            num = round(v / base * den / 60) * 60
            rate = _plain(num / den * base)
            out[key] = Typed(rate, str(num), str(den))
            for keys in dims.values():
                k = len(keys)
                for part_key in keys:
                    out[part_key] = Typed(rate, str(num // k), str(den // k))
        else:
            out[key] = Typed(_plain(v))
            for keys in dims.values():
                k = len(keys)
                if float(v).is_integer():
                    parts = [int(v) // k] * (k - 1)
                    parts.append(int(v) - sum(parts))
                    texts = [str(p) for p in parts]
                else:
                    share = [round(v / k, 2)] * (k - 1)
                    texts = [_plain(s) for s in share] + [_plain(round(v - sum(share), 2))]
                for part_key, text in zip(keys, texts, strict=True):
                    out[part_key] = Typed(text)
    return out


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")


def form_cells(html: str) -> list[tuple[str, str, str, str, bool]]:
    return [(unescape(code), unescape(unit), last.strip(), unescape(key), "|numerator" in rest)
            for code, unit, last, key, rest in CELL.findall(html)]


def form_data(year: int, figures: dict[str, Typed]) -> dict[str, str]:
    data = {"year": str(year)}
    for key, t in figures.items():
        data["v:" + key] = t.value
        if t.numerator:
            data[f"v:{key}|numerator"] = t.numerator
            data[f"v:{key}|denominator"] = t.denominator
        if t.note:
            data["n:" + key] = t.note
    return data


async def filler_flow(user: User, unit: LoadUnit, year: int, sent: dict[int, dict[str, Typed]],
                      done: asyncio.Event) -> None:
    """Tasks → form → save → 说明 for each warning → save again; then the reviewer may submit."""
    try:
        base = f"/units/{unit.unit_id}"
        await user.page("tasks", "GET", f"{base}/tasks?year={year}")
        await user.think()
        r = await user.page("form", "GET", f"{base}/form?year={year}")
        figures = typed_figures(form_cells(r.text))
        await user.think()
        r = await user.page("save draft", "POST", f"{base}/form", 303, form_data(year, figures))
        sent[unit.unit_id] = figures
        r = await user.page("form", "GET", r.headers["location"])
        wanting = [unescape(k) for k in NEEDS_NOTE.findall(r.text)]
        if CELL_ERROR.search(r.text):
            user.rec.error(user.name, f"form has errors after saving: {CELL_ERROR.findall(r.text)[:3]}")
            raise Failed
        if wanting:
            await user.think()
            for key in wanting:
                figures.setdefault(key, Typed()).note = NOTE
            r = await user.page("save draft", "POST", f"{base}/form", 303, form_data(year, figures))
            r = await user.page("form", "GET", r.headers["location"])
            if NEEDS_NOTE.search(r.text):
                user.rec.error(user.name, "warnings still without 说明 after saving them")
                raise Failed
    except Failed:
        pass
    finally:
        done.set()


async def reviewer_flow(user: User, unit: LoadUnit, year: int, ready: asyncio.Event,
                        submitted: set[int]) -> None:
    """The 单位审核员 opens the saved form and 报送 it."""
    await ready.wait()
    try:
        base = f"/units/{unit.unit_id}"
        await user.page("tasks", "GET", f"{base}/tasks?year={year}")
        await user.think()
        r = await user.page("form", "GET", f"{base}/form?year={year}")
        if "/form/submit" not in r.text:
            user.rec.error(user.name, "no 报送 button on the form (nothing saved?)")
            raise Failed
        await user.think()
        r = await user.page("submit", "POST", f"{base}/form/submit", 303, {"year": str(year)})
        r = await user.page("form", "GET", r.headers["location"])
        if 'class="state s-submitted"' not in r.text:
            user.rec.error(user.name, "the form does not say 已报送 after submitting")
            raise Failed
        submitted.add(unit.unit_id)
    except Failed:
        pass


async def office_flow(user: User, area: str, year: int, stop: asyncio.Event) -> None:
    """The office browses its boards while the units submit."""
    pages = [("progress board", f"/boards/progress?area={area}&year={year}"),
             ("target board", f"/boards/targets?area={area}"),
             ("area progress", f"/areas/{area}/progress?year={year}"),
             ("review list", f"/areas/{area}/review?year={year}")]
    try:
        while not stop.is_set():
            for kind, url in pages:
                await user.page(kind, "GET", url)
                await user.think()
                if stop.is_set():
                    break
    except Failed:
        pass


@dataclass
class RunResult:
    rec: Recorder
    sent: dict[int, dict[str, Typed]]
    submitted: set[int]
    wall: float
    timed_out: bool
    client_cpu: float = 0.0
    """CPU seconds the load generator itself used (this process, every thread)."""
    loop_lag: list[float] = field(default_factory=list)
    """How late the client's event loop woke a 50 ms sleep, in seconds, sampled all run long:
    a page's time includes this wait, so a busy load generator shows up here, not as the server."""


async def run_load(base: str, units: list[LoadUnit], offices: list[tuple[str, str]], *, year: int,
                   login_window: float, burst: float, think: float, time_limit: float, seed: int = 1) -> RunResult:
    """All users: logins spread over ``login_window``, then the burst; bounded by ``time_limit``."""
    rng = random.Random(seed)
    rec = Recorder()
    sent: dict[int, dict[str, Typed]] = {}
    submitted: set[int] = set()
    ready = {u.unit_id: asyncio.Event() for u in units}
    stop = asyncio.Event()
    people: list[tuple[User, Any, asyncio.Event | None]] = []
    for u in units:
        people.append((User(u.filler, base, rec, random.Random(rng.random()), think),
                       lambda me, u=u: filler_flow(me, u, year, sent, ready[u.unit_id]), ready[u.unit_id]))
        people.append((User(u.reviewer, base, rec, random.Random(rng.random()), think),
                       lambda me, u=u: reviewer_flow(me, u, year, ready[u.unit_id], submitted), None))
    for name, area in offices:
        people.append((User(name, base, rec, random.Random(rng.random()), think),
                       lambda me, area=area: office_flow(me, area, year, stop), None))
    start = time.perf_counter()
    cpu_before = time.process_time()
    lags: list[float] = []

    async def watch_loop() -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.05)
            lags.append(time.perf_counter() - asked - 0.05)

    watcher = asyncio.create_task(watch_loop())

    async def one(user: User, flow: Any, login_at: float, burst_at: float, done: asyncio.Event | None) -> None:
        await asyncio.sleep(max(0.0, start + login_at - time.perf_counter()))
        try:
            await user.login()
        except Failed:
            if done is not None:  # a filler who cannot log in leaves nothing to submit
                done.set()
            return
        await asyncio.sleep(max(0.0, start + burst_at - time.perf_counter()))
        await flow(user)

    unit_tasks: list[asyncio.Task[None]] = []
    office_tasks: list[asyncio.Task[None]] = []
    for user, flow, done in people:
        office = done is None and user.name.startswith("o")
        login_at = rng.uniform(0, login_window)
        burst_at = login_window + (0 if office else rng.uniform(0, burst))
        task = asyncio.create_task(one(user, flow, login_at, burst_at, done))
        (office_tasks if office else unit_tasks).append(task)
    timed_out = False
    try:
        await asyncio.wait_for(asyncio.gather(*unit_tasks), timeout=time_limit)
    except TimeoutError:
        timed_out = True
        rec.error("run", f"time limit of {time_limit:.0f} s reached before every unit had submitted")
        for t in unit_tasks:
            t.cancel()
    for event in ready.values():  # a filler that failed to log in leaves its reviewer waiting
        event.set()
    stop.set()
    await asyncio.gather(*office_tasks, *unit_tasks, return_exceptions=True)
    wall = time.perf_counter() - start
    client_cpu = time.process_time() - cpu_before
    watcher.cancel()
    await asyncio.gather(*(u.close() for u, _, _ in people))
    return RunResult(rec, sent, submitted, wall, timed_out, client_cpu, lags)


# --------------------------------------------------------------------------- checking the database


def count_figures(ws: Any, units: list[LoadUnit], year: int, result: RunResult) -> tuple[int, int, list[str]]:
    """(figures sent, figures found exactly, what is missing or different) for the submitted year."""
    from planwatch.web.form_data import latest_submission, stored_figures

    expected = 0
    found = 0
    lost: list[str] = []
    with ws.session() as session:
        for u in units:
            figures = result.sent.get(u.unit_id)
            if figures is None:
                continue
            sub = latest_submission(session, u.area_code, u.unit_id, year)
            typed = {k: t for k, t in figures.items() if t.value or t.numerator}
            expected += len(typed)
            if sub is None or sub.state != "submitted":
                lost.append(f"unit {u.unit_id}: latest revision is {sub.state if sub else 'missing'}, not submitted")
                continue
            stored = stored_figures(session, sub.id)
            for key, t in typed.items():
                code, breakdown = key.split("|", 1)
                got = stored.get((code, breakdown))
                if got is None:
                    lost.append(f"unit {u.unit_id} {key}: not stored")
                    continue
                want = (float(t.value) if t.value else None, float(t.numerator) if t.numerator else None,
                        float(t.denominator) if t.denominator else None, t.note)
                have = (got.value if t.value else None, got.numerator, got.denominator, got.note)
                if want != have:
                    lost.append(f"unit {u.unit_id} {key}: sent {want}, stored {have}")
                    continue
                found += 1
            extra = set(stored) - {tuple(k.split("|", 1)) for k in typed}
            if extra:
                lost.append(f"unit {u.unit_id}: stored figures nobody sent: {sorted(extra)[:3]}")
    return expected, found, lost


# --------------------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[rank]


def table(samples: list[Sample]) -> tuple[str, float]:
    """Per page kind: count, p50, p95, max (ms); and the p95 of every page."""
    kinds: dict[str, list[float]] = defaultdict(list)
    for s in samples:
        kinds[s.kind].append(s.seconds * 1000)
    lines = [f"{'page':<16}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}"]
    for kind, ms in sorted(kinds.items(), key=lambda kv: -percentile(kv[1], 95)):
        lines.append(f"{kind:<16}{len(ms):>7}{statistics.median(ms):>10.0f}{percentile(ms, 95):>10.0f}"
                     f"{max(ms):>10.0f}")
    every = [s.seconds * 1000 for s in samples]
    lines.append(f"{'all pages':<16}{len(every):>7}{statistics.median(every) if every else 0:>10.0f}"
                 f"{percentile(every, 95):>10.0f}{max(every, default=0):>10.0f}")
    return "\n".join(lines), percentile(every, 95)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the server: uvicorn and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run(workspace: Path, *, year: int, workers: int, login_window: float, burst: float, think: float,
        time_limit: float, p95_limit: float, log: Path, units_limit: int | None = None,
        offices_limit: int | None = None, cheap_hashing: bool = False) -> int:
    """Start the server, run the users, check the database; print the verdict; 0 when it passes.

    ``units_limit`` / ``offices_limit``: only the first of the workspace's load accounts take part.
    ``cheap_hashing``: the smoke test's (see :func:`server_app`).
    """
    from sqlalchemy import select

    from planwatch.store.accounts import RoleGrant
    from planwatch.store.accounts import User as Account
    from planwatch.store.workspace import open_workspace

    with open_workspace(workspace) as ws, ws.session() as session:
        grants = [g for g in session.execute(select(Account.username, RoleGrant.role, RoleGrant.area_code,
                                                    RoleGrant.unit_id)
                                             .join(RoleGrant, RoleGrant.user_id == Account.id)).all()
                  if re.fullmatch(r"[fro][0-9]+", g[0])]
    by_unit: dict[int, dict[str, Any]] = defaultdict(dict)
    offices = []
    for name, role, area, unit_id in grants:
        if role == "office_admin":
            assert area is not None, "an office role is granted for an area"
            offices.append((name, area))
        elif unit_id is not None:  # the unit roles; the schema makes them name their unit
            by_unit[unit_id].update({"area": area, role: name})
    units = sorted((LoadUnit(uid, d["area"], d["filler"], d["unit_reviewer"]) for uid, d in by_unit.items()
                    if "filler" in d and "unit_reviewer" in d), key=lambda u: u.filler)
    offices.sort()
    units, offices = units[:units_limit], offices[:offices_limit]
    print(f"load: {2 * len(units)} unit users ({len(units)} units), {len(offices)} office users, "
          f"{workers} server workers; logins over {login_window:.0f} s, burst {burst:.0f} s, think {think} s; "
          f"load average before {load_average()}", flush=True)
    children_before = _children_cpu()
    with running_server(workspace, workers, log, cheap_hashing=cheap_hashing) as base:
        result = asyncio.run(run_load(base, units, offices, year=year, login_window=login_window, burst=burst,
                                      think=think, time_limit=time_limit))
        load_after = load_average()
    server_cpu = _children_cpu() - children_before
    with open_workspace(workspace) as ws:
        expected, found, lost = count_figures(ws, units, year, result)
    text, p95 = table(result.rec.samples)
    print(text)
    print(f"units submitted {len(result.submitted)}/{len(units)}; figures sent {expected}, "
          f"found in the database {found}; errors {len(result.rec.errors)}; wall {result.wall:.0f} s; "
          f"load average after {load_after}")
    pages = len(result.rec.samples)
    print(f"cpu: load generator {result.client_cpu:.1f} s ({1000 * result.client_cpu / max(pages, 1):.1f} ms a page), "
          f"server {server_cpu:.1f} s ({1000 * server_cpu / max(pages, 1):.1f} ms a page, start-up included); "
          f"client event loop late by p50 {1000 * _median(result.loop_lag):.0f} ms, "
          f"p95 {percentile(result.loop_lag, 95) * 1000:.0f} ms, max {max(result.loop_lag, default=0) * 1000:.0f} ms")
    for line in (result.rec.errors + lost)[:20]:
        print("  " + line)
    # No figure sent at all means the forms were not read (their markup changed under the
    # CELL pattern): every save then posts an empty form and the run would measure nothing.
    ok = (not result.rec.errors and not lost and found == expected and len(result.submitted) == len(units)
          and (expected > 0 or not units) and p95 <= p95_limit)
    print(f"verdict: {'PASS' if ok else 'FAIL'} — p95 {p95:.0f} ms (limit {p95_limit:.0f}), "
          f"{len(result.rec.errors)} errors, {expected - found} of {expected} figures missing")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--workspace", type=Path, default=Path(tempfile.gettempdir()) / "planwatch-load" / "ws")
    parser.add_argument("--rebuild", action="store_true", help="build the workspace again")
    parser.add_argument("--year", type=int, default=2025, help="the year being collected")
    parser.add_argument("--units", type=int, default=200,
                        help="units that fill in (two users each); a smaller number runs on part of the set-up's")
    parser.add_argument("--offices", type=int, default=10, help="office users browsing the boards")
    parser.add_argument("--areas", type=int, default=19, help="extra districts the demo plan is copied into")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--login-window", type=float, default=300.0, help="seconds over which users log in")
    parser.add_argument("--burst", type=float, default=120.0, help="seconds in which every unit starts filling")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between two pages of one user (±50 %%)")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--p95-limit", type=float, default=300.0)
    args = parser.parse_args(argv)
    if args.rebuild or not pg_ready(args.workspace, args.database_url):
        build_pg_workspace(args.workspace, args.database_url, year=args.year, units=args.units,
                           offices=args.offices, areas=args.areas)
    fresh_pg_database(args.database_url)
    return run(args.workspace, year=args.year, workers=args.workers, login_window=args.login_window,
               burst=args.burst, think=args.think, time_limit=args.time_limit, p95_limit=args.p95_limit,
               log=args.workspace.parent / "server.log", units_limit=args.units, offices_limit=args.offices)


if __name__ == "__main__":
    sys.exit(main())
