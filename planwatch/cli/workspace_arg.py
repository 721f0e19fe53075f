"""The workspace argument the data commands take, and opening it or failing clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planwatch.cli.console import fail
from planwatch.store.workspace import Workspace, WorkspaceError, open_workspace

WorkspaceArg = Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")]


def open_or_fail(path: Path) -> Workspace:
    """The opened workspace, or the command's one failure path with the reason."""
    try:
        return open_workspace(path)
    except WorkspaceError as exc:
        raise fail(str(exc)) from None
