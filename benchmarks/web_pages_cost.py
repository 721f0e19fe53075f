"""Server-side cost of each page the load test opens: CPU ms and SQL statements per request.

    .venv/bin/python benchmarks/web_pages_cost.py --workspace /tmp/planwatch-load/ws \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/planwatch_load [--units 3] [--profile KIND]

Runs on a workspace made by ``benchmarks/web_load.py`` (its database is copied fresh from the
``<db>_base`` template first, so every run starts alike), in one process with the
application's TestClient: no network, no load generator, one request at a time. For each
page kind the load test measures it walks the same steps (a 填报员 opens tasks and the form,
saves, writes the 说明, saves again; the 单位审核员 submits; the office opens its four
pages before and after the submissions) and counts, per request, the process CPU time
(``time.process_time``: every thread, so the TestClient's own share is included and the
figures are an upper bound of the server's) and the statements sent to the database.

Why a separate script: the load test's figures mix the server with the load generator and
two uvicorn workers on two cores; this one says which page costs what, so changes can be
judged one page at a time. ``--profile KIND`` prints cProfile's top functions for one kind.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_load


class Meter:
    """CPU seconds and SQL statements per page kind."""

    def __init__(self, engine: Any, profile: str | None) -> None:
        from sqlalchemy import event

        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.count = 0
        self.profile_kind = profile
        self.profiler = cProfile.Profile() if profile else None

        self.sql_kind: str | None = None
        self.current = ""
        self.statements: list[str] = []

        def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            self.count += 1
            if self.sql_kind is not None and self.current == self.sql_kind:
                self.statements.append(" ".join(statement.split())[:300])

        event.listen(engine, "before_cursor_execute", _count)

    def install(self) -> None:
        """Profile the route functions where they run: in the thread pool, not the caller's thread."""
        import fastapi.dependencies.utils
        import fastapi.routing
        from starlette.concurrency import run_in_threadpool

        meter = self

        async def profiled(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            def run() -> Any:
                if meter.profiler is None or meter.current != meter.profile_kind:
                    return func(*args, **kwargs)
                meter.profiler.enable()
                try:
                    return func(*args, **kwargs)
                finally:
                    meter.profiler.disable()

            return await run_in_threadpool(run)

        # Each module bound the name when it was imported, so it is replaced where it is looked up:
        # fastapi's (plain ``def`` routes and dependencies) and the routes that read their body on
        # the event loop and hand the rest to the thread pool themselves (the form, the catalogue).
        from planwatch.web import routes_catalogue, routes_form

        for module in (fastapi.routing, fastapi.dependencies.utils, routes_form, routes_catalogue):
            vars(module)["run_in_threadpool"] = profiled

    def __call__(self, kind: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        before_q = self.count
        self.current = kind
        started = time.process_time()
        result = call(*args, **kwargs)
        spent = time.process_time() - started
        self.cpu[kind].append(spent * 1000)
        self.queries[kind].append(self.count - before_q)
        return result

    def table(self) -> str:
        lines = [f"{'page':<18}{'n':>4}{'cpu ms min':>12}{'med':>8}{'max':>8}{'queries med':>13}{'max':>6}"]
        for kind in self.cpu:
            ms, qs = self.cpu[kind], self.queries[kind]
            lines.append(f"{kind:<18}{len(ms):>4}{min(ms):>12.1f}{statistics.median(ms):>8.1f}{max(ms):>8.1f}"
                         f"{statistics.median(qs):>13.0f}{max(qs):>6}")
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from planwatch.store.accounts import RoleGrant
    from planwatch.store.accounts import User as Account
    from planwatch.store.workspace import open_workspace
    from planwatch.web.app import create_app

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--units", type=int, default=3, help="units that fill and submit")
    parser.add_argument("--rounds", type=int, default=3, help="office page rounds before and after")
    parser.add_argument("--profile", default=None, help="a page kind to profile with cProfile")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"], help="profile order")
    parser.add_argument("--sql", default=None, help="a page kind whose statements to print (its first request)")
    args = parser.parse_args(argv)
    web_load.fresh_pg_database(args.database_url)
    year = args.year
    with open_workspace(args.workspace) as ws:
        with ws.session() as session:
            grants = session.execute(select(Account.username, RoleGrant.role, RoleGrant.area_code, RoleGrant.unit_id)
                                     .join(RoleGrant, RoleGrant.user_id == Account.id)).all()
        fillers = sorted((g for g in grants if g.role == "filler" and g.username.startswith("f")),
                         key=lambda g: g.username)[: args.units]
        office = next(g for g in sorted(grants, key=lambda g: g.username) if g.role == "office_admin")
        meter = Meter(ws.engine, args.profile)
        meter.sql_kind = args.sql
        if args.profile:
            meter.install()
        app = create_app(ws)

        def login(name: str) -> TestClient:
            client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
            meter("login page", client.get, "/login")
            r = meter("login", client.post, "/login", data={
                "username": name, "password": web_load.PASSWORD, "csrftoken": client.cookies.get("csrftoken") or ""})
            assert r.status_code == 303, r.text[:500]
            return client

        def post(client: TestClient, url: str, data: dict[str, str]) -> Any:
            return client.post(url, data={**data, "csrftoken": client.cookies.get("csrftoken") or ""})

        area = office.area_code
        office_pages = [("progress board", f"/boards/progress?area={area}&year={year}"),
                        ("target board", f"/boards/targets?area={area}"),
                        ("area progress", f"/areas/{area}/progress?year={year}"),
                        ("review list", f"/areas/{area}/review?year={year}")]
        o = login(office.username)

        def browse() -> None:
            for kind, url in office_pages:
                r = meter(kind, o.get, url)
                assert r.status_code == 200, (url, r.status_code)

        for _ in range(args.rounds):
            browse()
        for g in fillers:
            f = login(g.username)
            base = f"/units/{g.unit_id}"
            meter("tasks", f.get, f"{base}/tasks?year={year}")
            r = meter("form", f.get, f"{base}/form?year={year}")
            figures = web_load.typed_figures(web_load.form_cells(r.text))
            r = meter("save draft", post, f, f"{base}/form", web_load.form_data(year, figures))
            assert r.status_code == 303, r.text[:2000]
            r = meter("form", f.get, r.headers["location"])
            for key in web_load.NEEDS_NOTE.findall(r.text):
                figures.setdefault(unescape(key), web_load.Typed()).note = web_load.NOTE
            r = meter("save draft", post, f, f"{base}/form", web_load.form_data(year, figures))
            assert r.status_code == 303
            meter("form", f.get, r.headers["location"])
            browse()
            reviewer = next(x for x in grants if x.role == "unit_reviewer" and x.unit_id == g.unit_id)
            rv = login(reviewer.username)
            meter("tasks", rv.get, f"{base}/tasks?year={year}")
            meter("form", rv.get, f"{base}/form?year={year}")
            r = meter("submit", post, rv, f"{base}/form/submit", {"year": str(year)})
            assert r.status_code == 303, r.text[:2000]
            r = meter("form", rv.get, r.headers["location"])
            assert 'class="state s-submitted"' in r.text
        for _ in range(args.rounds):
            browse()
        print(meter.table())
        if args.sql:
            print("\n".join(meter.statements))
        if meter.profiler is not None:
            pstats.Stats(meter.profiler).sort_stats(args.sort).print_stats(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
