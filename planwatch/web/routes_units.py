"""The member units page (成员单位): an area's units, and the office adding, renaming and
retiring them.

Units come from the plan text when the workspace is made; a new bureau, or one the plan calls
otherwise, must exist before the catalogue pages accept it as a 牵头/责任单位, and a
reorganisation (机构改革) renames or abolishes bureaus every few years. The page lists what
``planwatch unit list`` lists (retired units marked 停用 with their year and successor) and
changes units through the same library functions as ``planwatch unit add|rename|retire`` (same
checks, same Chinese messages, the library's own ``unit.*`` events), in the request's
transaction together with the web audit row, so the office never leaves the browser for a
terminal and a refused change stores nothing and is explained on the page by its field.

Every monitoring role of the area reads the page (``catalogue.view``); only the area's
工委办管理员 changes units (``catalogue.edit``), as for the catalogue itself. Removing a unit
added by mistake stays a command (``planwatch unit remove``): it is rare, and a page button
that deletes invites the wrong click.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from planwatch.store import models as db
from planwatch.store.unit_changes import rename_unit, retire_unit
from planwatch.store.unit_registry import UnitRegistryError, add_unit, list_units
from planwatch.web.audit import record
from planwatch.web.context import Auth, authenticated, guard, known_area, render, web
from planwatch.web.permissions import Resource, allowed

router = APIRouter()
ALIAS_SEPARATORS = re.compile(r"[、，,；;\r\n]+")
"""Between aliases. Not spaces: the library drops spaces inside a name (“区 卫健委” is one name)."""
FIELD_LIMIT = 1000
"""Generous beyond the library's 200 characters, so that its own message answers a long name."""
FORMS = {
    "add": {"name": "name", "aliases": "aliases"},
    "rename": {"name": "unit", "new_name": "new_name"},
    "retire": {"name": "unit", "successor": "successor", "year": "year"},
}
"""For each form, the library's field at fault (``UnitRegistryError.field``) → the input it is
shown by; any other field (the area) is shown above the form."""


def split_aliases(text: str) -> list[str]:
    """The aliases typed in one field, in order; empty pieces dropped (the library drops repeats)."""
    return [part.strip() for part in ALIAS_SEPARATORS.split(text) if part.strip()]


def _page(request: Request, auth: Auth, session: Session, area: db.Area, *, done: dict[str, str] | None = None,
          which: str | None = None, form: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None,
          status_code: int = 200) -> Response:
    """The list (as ``planwatch unit list`` gives it) and, for the office, the forms that change it.

    ``which`` names the form that was refused: it keeps what was typed and shows the message."""
    rows = list_units(session, area.code)
    forms = {name: {key: "" for key in fields.values()} for name, fields in FORMS.items()}
    forms["retire"]["year"] = str(web(request).today().year)
    if which is not None and form is not None:
        forms[which] = form
    return render(request, "units.html", {
        "area": area, "rows": rows, "done": _announced(rows, done or {}), "forms": forms, "which": which,
        "errors": errors or {}, "can_edit": allowed(auth.principal, "catalogue.edit", Resource(area.code))},
        auth=auth, status_code=status_code)


def _announced(rows: list[Any], done: dict[str, str]) -> str | None:
    """The notice for the change just made, said only if the list bears it out, so that a link
    cannot make the page announce something that did not happen."""
    by_name = {r.name: r for r in rows}
    if (name := done.get("added")) and name in by_name:
        return f"已添加成员单位“{name}”，现在可以在指标目录中指定为牵头单位或责任单位。"
    if (name := done.get("renamed")) and name in by_name:
        return f"已改名为“{name}”，原名称已留作别名，规划文本和目录中的原名称仍指向该单位。"
    if (name := done.get("retired")) and name in by_name and by_name[name].retired_from is not None:
        return f"已停用“{name}”：{by_name[name].state}。以往年度的填报保留。"
    return None


@router.get("/areas/{area_code}/units")
def units_page(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
               added: Annotated[str | None, Query(max_length=200)] = None,
               renamed: Annotated[str | None, Query(max_length=200)] = None,
               retired: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """``added``, ``renamed``, ``retired`` name the unit just changed (see :func:`_announced`)."""
    with web(request).db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.view", Resource(area_code))
        done = {k: v for k, v in (("added", added), ("renamed", renamed), ("retired", retired)) if v}
        return _page(request, auth, session, area, done=done)


def _change(request: Request, auth: Auth, area_code: str, which: str, form: dict[str, str],
            change: Callable[[Session, db.Area], tuple[db.Unit, dict[str, Any] | None, dict[str, Any]]]) -> Response:
    """Run one change of the office's: checked by the library, audited, then back to the list (303).

    ``change`` returns the unit, its state before and after (for the web audit row); a refusal
    shows the library's message by its field (422) and stores nothing."""
    ctx = web(request)
    with ctx.db() as session:
        area = known_area(session, area_code)
        guard(request, auth, "catalogue.edit", Resource(area_code))
        try:
            with session.begin_nested():  # a refused change leaves nothing behind in the transaction
                unit, before, after = change(session, area)
        except UnitRegistryError as exc:
            field = FORMS[which].get(exc.field, "_form")
            return _page(request, auth, session, area, which=which, form=form,
                         errors={field: [exc.chinese_message]}, status_code=422)
        action = {"add": "unit.add", "rename": "unit.rename", "retire": "unit.retire"}[which]
        record(session, ctx.now(), auth.actor(request), action, resource="unit", resource_id=str(unit.id),
               area_code=area.code, unit_id=unit.id, before=before, after=after)
        key = {"add": "added", "rename": "renamed", "retire": "retired"}[which]
        target = f"/areas/{area.code}/units?{urlencode({key: unit.name})}"
    return RedirectResponse(target, status_code=303)


def _names(unit: db.Unit) -> dict[str, Any]:
    return {"name": unit.name, "aliases": list(unit.aliases or [])}


@router.post("/areas/{area_code}/units")
def unit_add(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
             name: Annotated[str, Form(max_length=FIELD_LIMIT)] = "",
             aliases: Annotated[str, Form(max_length=FIELD_LIMIT)] = "") -> Response:
    """Add a unit to the area.

    A plain ``def`` route: the form arrives as parameters, so all of it runs in the thread pool."""
    def change(session: Session, area: db.Area) -> tuple[db.Unit, None, dict[str, Any]]:
        unit = add_unit(session, area.code, name, aliases=split_aliases(aliases), actor=auth.username)
        return unit, None, _names(unit)

    return _change(request, auth, area_code, "add", {"name": name, "aliases": aliases}, change)


@router.post("/areas/{area_code}/units/rename")
def unit_rename(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
                unit: Annotated[str, Form(max_length=FIELD_LIMIT)] = "",
                new_name: Annotated[str, Form(max_length=FIELD_LIMIT)] = "") -> Response:
    """Rename a unit; its old name becomes an alias (refused when another unit answers to the new one)."""
    def change(session: Session, area: db.Area) -> tuple[db.Unit, dict[str, Any], dict[str, Any]]:
        done = rename_unit(session, area.code, unit, new_name, actor=auth.username)
        return done.unit, {"name": done.old_name, "aliases": done.old_aliases}, _names(done.unit)

    return _change(request, auth, area_code, "rename", {"unit": unit, "new_name": new_name}, change)


@router.post("/areas/{area_code}/units/retire")
def unit_retire(request: Request, area_code: str, auth: Annotated[Auth, Depends(authenticated)],
                unit: Annotated[str, Form(max_length=FIELD_LIMIT)] = "",
                successor: Annotated[str, Form(max_length=FIELD_LIMIT)] = "",
                year: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Retire a unit from a data year, its work taken over by the successor chosen (see
    :mod:`planwatch.store.unit_changes` for why a unit with work needs one)."""
    form = {"unit": unit, "successor": successor, "year": year}

    def change(session: Session, area: db.Area) -> tuple[db.Unit, dict[str, Any], dict[str, Any]]:
        done = retire_unit(session, area.code, unit, year=_year(year), successor=successor.strip() or None,
                           actor=auth.username)
        after = {"retired_from": done.year, "successor": done.successor.name if done.successor else None,
                 "indicators": done.indicators, "targets": done.targets}
        return done.unit, {"retired_from": None}, after

    return _change(request, auth, area_code, "retire", form, change)


def _year(text: str) -> int:
    """The typed retirement year, or the library's kind of refusal for anything else."""
    try:
        return int(text.strip())
    except ValueError:
        raise UnitRegistryError(f"停用年度“{text.strip()}”不是年份，请填写四位数年份", field="year") from None
