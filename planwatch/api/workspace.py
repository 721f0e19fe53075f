"""Workspaces and the demo: create, open and upgrade a workspace; build the demo workspace."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planwatch.demo.build import DemoSummary
    from planwatch.results import SchemaUpgraded, WorkspaceCreated
    from planwatch.store.workspace import Workspace


def create_workspace(
    path: str | os.PathLike[str],
    plans: Sequence[str | os.PathLike[str]],
    *,
    database_url: str | None = None,
    actor: str = "planwatch",
    area: str | None = None,
    include_other: bool = False,
) -> WorkspaceCreated:
    """Create a workspace from plan files and load their catalogue (``planwatch init``).

    All or nothing; an existing workspace or a non-empty database is refused. ``area`` (code
    or name) places plans that name no area or an ambiguous one.
    """
    from planwatch.results import WorkspaceCreated
    from planwatch.store.credentials import mask_password
    from planwatch.store.workspace import init_workspace

    with init_workspace(Path(path), [Path(p) for p in plans], database_url, actor=actor, area=area,
                        include_other=include_other) as ws:
        summary = ws.load_summary
        assert summary is not None
        return WorkspaceCreated(
            path=ws.path,
            database=(mask_password(ws.config.database_url) if ws.config.database_url
                      else "SQLite（工作区内 planwatch.sqlite）"),
            plans=summary.plans,
            targets=summary.targets,
            measures=summary.measures,
            target_values=summary.target_values,
            indicators=summary.indicators_created,
            units=summary.units_created,
            series_links=list(summary.series_links),
            warnings=list(summary.warnings),
            skipped_other=list(summary.skipped_other),
        )


def open_workspace(path: str | os.PathLike[str], *, actor: str = "planwatch") -> Workspace:
    """An open workspace (close it, or use it in a ``with`` block); never writes.

    A database made by an older planwatch is refused with ``workspace.outdated``: run
    :func:`upgrade_workspace` first.
    """
    from planwatch.store.workspace import open_workspace as _open

    return _open(Path(path), actor=actor)


def upgrade_workspace(path: str | os.PathLike[str], *, actor: str = "planwatch") -> SchemaUpgraded:
    """Migrate a workspace's database to this planwatch's schema (``planwatch upgrade``)."""
    from planwatch.results import SchemaUpgraded
    from planwatch.store.workspace import upgrade_workspace as _upgrade

    done = _upgrade(Path(path), actor=actor)
    return SchemaUpgraded(Path(path), done.before, done.after)


def build_demo(directory: str | os.PathLike[str] = "demo-workspace", *, database_url: str | None = None) -> DemoSummary:
    """The demo workspace from the seed plans with synthetic 2020–2024 figures (示例数据)."""
    from planwatch.demo.build import build_demo as _build

    return _build(Path(directory), database_url=database_url)


def remove_demo(directory: str | os.PathLike[str]) -> bool:
    """Delete an earlier demo workspace (only a local demo is ever deleted); False if none."""
    from planwatch.demo.build import remove_demo_workspace

    return remove_demo_workspace(Path(directory))


def demo_label() -> str:
    """The label every synthetic figure and report of the demo carries."""
    from planwatch.demo.synthetic import LABEL

    return LABEL
