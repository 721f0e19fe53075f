"""Exchange with other systems and levels: export figures and structure (SDMX, CSV, Excel),
pull districts' approved figures, and assess a city from its districts."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch.api._common import RequestError, opened

if TYPE_CHECKING:
    from planwatch.results import Assessment, DataExported, Pulled, PulledRecord, StructureExported
    from planwatch.store.workspace import Workspace


EXPORT_FORMATS = ("sdmx", "sdmx-ml", "csv", "xlsx")
"""``export``: SDMX-CSV 2.0, SDMX-ML 3.0 data, or a CSV/Excel listing for people."""
STRUCTURE_FORMATS = ("sdmx-ml", "sdmx-json")


def export_data(
    workspace: Workspace | str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    format: str = "sdmx",
    years: Sequence[int] | None = None,
    areas: Sequence[str] | None = None,
    approved_only: bool = True,
) -> DataExported:
    """Write the workspace's figures for another system (``planwatch export``).

    ``format``: ``sdmx`` (SDMX-CSV 2.0), ``sdmx-ml`` (SDMX-ML 3.0 data), ``csv`` or ``xlsx``
    (formula-safe listings). By default only approved figures, the latest approved revision
    of each unit, area and year; ``approved_only=False`` takes the latest in any state.
    """
    from planwatch.results import DataExported

    if format not in EXPORT_FORMATS:
        raise RequestError(f"导出格式应为 {'、'.join(EXPORT_FORMATS)} 之一，实为“{format}” unknown format")
    path = Path(output)
    with opened(workspace) as ws, ws.sessions() as session:
        if format in ("sdmx", "sdmx-ml"):
            from planwatch.exchange.figures import workspace_label
            from planwatch.exchange.sdmx import export_data as _export

            done = _export(session, path, source=workspace_label(ws), fmt="sdmx-csv" if format == "sdmx" else "sdmx-ml",
                           years=years, areas=areas, approved_only=approved_only)
            return DataExported(path=path, format=format, observations=done.observations, areas=done.areas,
                                years=done.years, skipped=done.skipped)
        from planwatch.exchange.figures import read_figures
        from planwatch.exchange.tables import write_table

        figures = read_figures(session, years=years, areas=areas, approved_only=approved_only)
        n = write_table(figures, path, "csv" if format == "csv" else "xlsx")
        return DataExported(path=path, format=format, observations=n, areas=sorted({f.area_code for f in figures}),
                            years=sorted({f.year for f in figures}))


def export_structure(
    workspace: Workspace | str | os.PathLike[str], output: str | os.PathLike[str], *, format: str = "sdmx-ml"
) -> StructureExported:
    """Write the catalogue as an SDMX structure message: SDMX-ML 3.0 or SDMX-JSON 2.0."""
    from planwatch.results import StructureExported

    if format not in STRUCTURE_FORMATS:
        raise RequestError(f"结构格式应为 {'、'.join(STRUCTURE_FORMATS)} 之一，实为“{format}” unknown format")
    from planwatch.exchange.sdmx import structure_text

    path = Path(output)
    with opened(workspace) as ws, ws.sessions() as session:
        path.write_text(structure_text(session, "sdmx-ml" if format == "sdmx-ml" else "sdmx-json"), encoding="utf-8")
    return StructureExported(path=path, format=format)


def pull_figures(
    workspace: Workspace | str | os.PathLike[str],
    *,
    workspaces: Sequence[str | os.PathLike[str]] = (),
    sdmx_files: Sequence[str | os.PathLike[str]] = (),
    areas: Sequence[str] | None = None,
    actor: str = "planwatch",
) -> Pulled:
    """Pull districts' approved figures into a city's workspace (``planwatch pull``).

    ``workspaces`` are district workspaces (folders or database URLs), read directly;
    ``sdmx_files`` SDMX-CSV files districts sent. Checked like an import, stored approved
    with their provenance, all or nothing (:mod:`planwatch.exchange.pull`).
    """
    from planwatch.exchange.pull import PullSource, SdmxFileSource, WorkspaceSource, pull
    from planwatch.results import Pulled

    sources: list[PullSource] = [WorkspaceSource(os.fspath(w), areas=areas) for w in workspaces]
    sources += [SdmxFileSource(Path(f)) for f in sdmx_files]
    if not sources:
        raise RequestError("请至少给出一个来源：--workspace 或 --sdmx name at least one source")
    with opened(workspace, actor) as ws:
        return Pulled(pull(ws, sources, actor))


def pulled_figures(workspace: Workspace | str | os.PathLike[str], *, area: str | None = None) -> list[PulledRecord]:
    """The provenance of every pulled submission: source, its submission and revision, when."""
    from planwatch.exchange.provenance import provenance
    from planwatch.results import PulledRecord

    with opened(workspace) as ws, ws.sessions() as session:
        return [PulledRecord(**row) for row in provenance(session, area)]


def assess_city(
    workspace: Workspace | str | os.PathLike[str],
    year: int,
    parent: str,
    *,
    children: Sequence[str] | None = None,
    method: str = "default",
) -> Assessment:
    """Assess with ``parent``'s figures rolled up from its districts' (numerators and
    denominators, ``assess --rollup``'s roll-up) and its own targets judged on them."""
    from planwatch.exchange.citywide import city_assessment
    from planwatch.results import Assessment

    with opened(workspace) as ws:
        return Assessment(city_assessment(ws, year, parent, children=children, method=method))
