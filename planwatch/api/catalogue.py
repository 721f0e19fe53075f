"""A workspace's catalogue, areas and member units: export and import the YAML, links between
indicators, the bureau's indicator system, division codes and townships, units."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planwatch.api._common import opened
from planwatch.areas import EDITION

if TYPE_CHECKING:
    from planwatch.results import (
        Area,
        AreasImported,
        CatalogueImported,
        IndicatorSystemMatch,
        UnitAdded,
        UnitRemoved,
        UnitRenamed,
        UnitRetired,
    )
    from planwatch.store.series import SeriesLink
    from planwatch.store.unit_registry import UnitRow
    from planwatch.store.workspace import Workspace

AREA_EDITION = EDITION
"""The edition (year) of the national division codes planwatch ships."""


def export_catalogue(workspace: Workspace | str | os.PathLike[str]) -> str:
    """The catalogue as YAML, for editing definitions, breakdowns, baselines and reporters."""
    from planwatch.store.catalogue_export import export_catalogue as _export

    with opened(workspace) as ws, ws.session() as session:
        return _export(session)


def catalogue_data(workspace: Workspace | str | os.PathLike[str]) -> dict[str, Any]:
    """The catalogue as plain data (what :func:`export_catalogue` writes as YAML): the REST API's
    indicators and targets."""
    from planwatch.store.catalogue_export import catalogue_data as _data

    with opened(workspace) as ws, ws.session() as session:
        return _data(session)


def import_catalogue(
    workspace: Workspace | str | os.PathLike[str], text: str | bytes, *, actor: str = "planwatch",
    source: str = "",
) -> CatalogueImported:
    """Apply an edited catalogue YAML: validated, all or nothing, audited.

    ``text`` may be the file's bytes: UTF-8 or GB18030 (Chinese Excel and Notepad save GBK)
    is then decided by the loader.
    """
    from planwatch.results import CatalogueChange, CatalogueImported
    from planwatch.store.catalogue_import import import_catalogue as _import

    with opened(workspace, actor) as ws, ws.session() as session:
        changes = _import(session, text, actor=actor, source=source)
        return CatalogueImported([CatalogueChange(c.path, c.old, c.new) for c in changes])


def catalogue_links(workspace: Workspace | str | os.PathLike[str]) -> list[SeriesLink]:
    """Indicators that share one data series (``same_as``), each with its members."""
    from planwatch.store.series import list_links

    with opened(workspace) as ws, ws.session() as session:
        return list_links(session)


def match_indicator_system(
    workspace: Workspace | str | os.PathLike[str],
    table: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    area: str | None = None,
    plan: str | None = None,
    apply: bool = False,
    actor: str = "planwatch",
) -> IndicatorSystemMatch:
    """Match the bureau's 监测指标体系 to the catalogue; ``apply`` sets modes, definitions, units."""
    from planwatch.collect.indicator_system import (
        apply_indicator_system,
        match_indicator_system,
        read_indicator_table,
        resolve_scope,
    )
    from planwatch.results import IndicatorSystemMatch

    read = read_indicator_table(Path(table), sheet)
    with opened(workspace, actor) as ws, ws.session() as session:
        code, plan_ids = resolve_scope(session, area, plan)
        report = match_indicator_system(session, read, area_code=code, plan_ids=plan_ids)
        if apply:
            apply_indicator_system(session, report, actor=actor)
    return IndicatorSystemMatch(report, apply)


def find_areas(name: str, *, within: str | None = None) -> list[Area]:
    """Areas of the national division codes by code or name; an ambiguous name gives them all."""
    from planwatch.areas import AmbiguousAreaError, national
    from planwatch.results import Area

    gazetteer = national()
    try:
        found = [gazetteer.resolve(name)] if name.strip().isdigit() else [gazetteer.find(name, within=within)]
    except AmbiguousAreaError as exc:
        found = exc.candidates
    return [Area(a.code, a.name, a.full_name, a.level, a.parent_code) for a in found]


def import_areas(
    workspace: Workspace | str | os.PathLike[str], file: str | os.PathLike[str], *, actor: str = "planwatch"
) -> AreasImported:
    """Import townships (乡级: streets, towns) from ``code,name,level,parent_code``; all or nothing."""
    from planwatch.results import AreasImported
    from planwatch.store.area_import import import_townships, read_area_file

    rows = read_area_file(Path(file))
    with opened(workspace, actor) as ws, ws.session() as session:
        summary = import_townships(session, rows, source=str(file), actor=actor)
    return AreasImported(list(summary.added), list(summary.unchanged))


def add_unit(
    workspace: Workspace | str | os.PathLike[str],
    name: str,
    *,
    area: str,
    aliases: Sequence[str] | None = None,
    actor: str = "planwatch",
) -> UnitAdded:
    """Add a member unit the plan does not name (checked, audited)."""
    from planwatch.results import UnitAdded
    from planwatch.store.unit_registry import add_unit as _add

    with opened(workspace, actor) as ws, ws.session() as session:
        unit = _add(session, area, name, aliases=list(aliases) if aliases else None, actor=actor)
        return UnitAdded(unit.name, unit.area_code, unit.area.full_name)


def rename_unit(
    workspace: Workspace | str | os.PathLike[str], old: str, new: str, *, area: str, actor: str = "planwatch"
) -> UnitRenamed:
    """Rename a member unit (机构改革): everything attached to it stays; the old name becomes an
    alias. A name another unit of the area answers to is refused, naming that unit."""
    from planwatch.results import UnitRenamed
    from planwatch.store.unit_changes import rename_unit as _rename

    with opened(workspace, actor) as ws, ws.session() as session:
        done = _rename(session, area, old, new, actor=actor)
        unit = done.unit
        return UnitRenamed(done.old_name, unit.name, list(unit.aliases), unit.area_code, unit.area.full_name)


def retire_unit(
    workspace: Workspace | str | os.PathLike[str],
    name: str,
    *,
    area: str,
    year: int | None = None,
    successor: str | None = None,
    actor: str = "planwatch",
) -> UnitRetired:
    """Retire (停用) a member unit from data year ``year`` (default: the current calendar year).

    Its history stays; a unit that still reports indicators or leads targets of a running plan
    is retired only with a ``successor`` that takes them over (see
    :mod:`planwatch.store.unit_changes`), otherwise refused with that work named."""
    from planwatch.results import UnitRetired
    from planwatch.store.unit_changes import retire_unit as _retire

    chosen = year if year is not None else dt.date.today().year
    with opened(workspace, actor) as ws, ws.session() as session:
        done = _retire(session, area, name, year=chosen, successor=successor, actor=actor)
        unit = done.unit
        return UnitRetired(unit.name, unit.area_code, unit.area.full_name, done.year,
                           done.successor.name if done.successor is not None else None,
                           list(done.indicators), list(done.targets))


def remove_unit(
    workspace: Workspace | str | os.PathLike[str], name: str, *, area: str, actor: str = "planwatch"
) -> UnitRemoved:
    """Delete a member unit nothing refers to (added by mistake); refused with the reason otherwise."""
    from planwatch.results import UnitRemoved
    from planwatch.store.unit_changes import remove_unit as _remove

    with opened(workspace, actor) as ws, ws.session() as session:
        done = _remove(session, area, name, actor=actor)
        return UnitRemoved(done.name, done.area_code, done.area_name)


def list_units(workspace: Workspace | str | os.PathLike[str], *, area: str | None = None) -> list[UnitRow]:
    """Member units with the targets they lead or share and the indicators they report, and
    whether each is in use or retired (停用, from which year, succeeded by whom)."""
    from planwatch.store.unit_registry import list_units as _list

    with opened(workspace) as ws, ws.session() as session:
        return _list(session, area)
