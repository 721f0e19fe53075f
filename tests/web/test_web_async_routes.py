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

from planwatch.web.api_v1 import API_ROUTES
from planwatch.web.app import PAGE_ROUTES

BODY_READERS = {
    ("POST", "/units/{unit_id}/form"),
    ("POST", "/units/{unit_id}/upload"),
    ("POST", "/areas/{area_code}/catalogue/targets/{target_id}"),
    ("POST", "/areas/{area_code}/catalogue/indicators/{code}"),
}


def test_only_the_routes_that_read_a_body_first_are_async() -> None:
    routes = [r for module in (*PAGE_ROUTES, *API_ROUTES) for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 40
    on_the_loop = {(method, r.path) for r in routes if inspect.iscoroutinefunction(r.endpoint)
                   for method in r.methods}
    assert on_the_loop == BODY_READERS
