"""The member units page (成员单位): an area's units, and the office adding one the plan text
does not name.

Units come from the plan text when the workspace is made; a new bureau, or one the plan calls
otherwise, must exist before the catalogue pages accept it as a 牵头/责任单位. The page lists
what ``planwatch unit list`` lists and adds through the same library function as ``planwatch
unit add`` (same checks, same Chinese messages, the library's own ``unit.add`` event), in the
request's transaction together with the web audit row, so the office never leaves the browser
for a terminal and a refused addition stores nothing.

Every monitoring role of the area reads the page (``catalogue.view``); only the area's
工委办管理员 adds (``catalogue.edit``), as for the catalogue itself.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from planwatch.store import models as db
from planwatch.store.unit_registry import UnitRegistryError, add_unit, list_units
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, known_area, render, web
from planwatch.web.permissions import Resource, allowed

router = APIRouter()
ALIAS_SEPARATORS = re.compile(r"[、，,；;\r\n]+")
"""Between aliases. Not spaces: the library drops spaces inside a name (“区 卫健委” is one name)."""
FIELD_LIMIT = 1000
"""Generous beyond the library's 200 characters, so that its own message answers a long name."""


def split_aliases(text: str) -> list[str]:
    """The aliases typed in one field, in order; empty pieces dropped (the library drops repeats)."""
    return [part.strip() for part in ALIAS_SEPARATORS.split(text) if part.strip()]


def _page(request: Request, auth: Auth, session: Session, area: db.Area, *, added: str | None = None,
          form: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None,
          status_code: int = 200) -> Response:
    """The list (as ``planwatch unit list`` gives it) and, for the office, the form to add one."""
    rows = list_units(session, area.code)
    shown = added if added is not None and any(r.name == added for r in rows) else None
    return render(request, "units.html", {
        "area": area, "rows": rows, "added": shown, "form": form or {"name": "", "aliases": ""},
        "errors": errors or {}, "can_edit": allowed(auth.principal, "catalogue.edit", Resource(area.code))},
        auth=auth, status_code=status_code)


@router.get("/areas/{area_code}/units")
def units_page(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
               added: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """``added`` names the unit just added; it is shown only if the area has such a unit, so a
    link cannot make the page announce something that did not happen."""
    with web(request).db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.view", Resource(area_code))
        return _page(request, auth, session, area, added=added)


@router.post("/areas/{area_code}/units")
def unit_add(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
             name: Annotated[str, Form(max_length=FIELD_LIMIT)] = "",
             aliases: Annotated[str, Form(max_length=FIELD_LIMIT)] = "") -> Response:
    """Add a unit to the area: checked by the library, audited, then back to the list (303).

    A plain ``def`` route: the form arrives as parameters, so all of it runs in the thread pool."""
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.edit", Resource(area_code))
        try:
            with session.begin_nested():  # a refused unit leaves nothing behind in the transaction
                unit = add_unit(session, area.code, name, aliases=split_aliases(aliases), actor=auth.username)
        except UnitRegistryError as exc:
            field = exc.field if exc.field in ("name", "aliases") else "_form"
            return _page(request, auth, session, area, form={"name": name, "aliases": aliases},
                         errors={field: [exc.message]}, status_code=422)
        after = {"name": unit.name, "aliases": list(unit.aliases or [])}
        record(session, ctx.now(), auth.actor(request), "unit.add", resource="unit", resource_id=str(unit.id),
               area_code=area.code, unit_id=unit.id, before=None, after=after)
        target = f"/areas/{area.code}/units?{urlencode({'added': unit.name})}"
    return RedirectResponse(target, status_code=303)
