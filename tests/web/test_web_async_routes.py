"""Which routes run their body on the event loop.

A route declared ``async def`` runs on the event loop, so any database, file or workbook work in
it holds up every other request the server is answering (a plain ``def`` route runs in the thread
pool). The routes below are ``async`` only to read the request body (``await request.form()``,
an upload) and hand the rest to the thread pool; the tests of each check that their checks and
writes run there (tests/web/test_web_form.py, tests/web/test_web_catalogue.py). A new ``async``
route belongs in this list only once it does the same.
"""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

from planwatch.web import (
    routes_admin,
    routes_audit,
    routes_auth,
    routes_boards,
    routes_catalogue,
    routes_form,
    routes_pages,
    routes_reports,
    routes_review,
)
from planwatch.web.api_v1 import (
    routes_assessment,
    routes_observations,
    routes_submissions,
)
from planwatch.web.api_v1 import routes_catalogue as api_catalogue
from planwatch.web.api_v1 import routes_reports as api_reports

BODY_READERS = {
    ("POST", "/units/{unit_id}/form"),
    ("POST", "/units/{unit_id}/upload"),
    ("POST", "/areas/{area_code}/catalogue/targets/{target_id}"),
    ("POST", "/areas/{area_code}/catalogue/indicators/{code}"),
}

MODULES = (routes_admin, routes_audit, routes_auth, routes_boards, routes_catalogue, routes_form, routes_pages,
           routes_reports, routes_review, routes_assessment, routes_observations, routes_submissions,
           api_catalogue, api_reports)


def test_only_the_routes_that_read_a_body_first_are_async() -> None:
    routes = [r for module in MODULES for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 40
    on_the_loop = {(method, r.path) for r in routes if inspect.iscoroutinefunction(r.endpoint)
                   for method in r.methods}
    assert on_the_loop == BODY_READERS
