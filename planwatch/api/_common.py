"""What every part of the API shares: the request error and opening a workspace argument.

A workspace argument may be an open :class:`~planwatch.store.workspace.Workspace` (left
open) or a path (opened and closed by the call); :func:`opened` is that rule, in one place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from planwatch.errors import PlanwatchError

if TYPE_CHECKING:
    from planwatch.store.workspace import Workspace


class RequestError(PlanwatchError, ValueError):
    """A request that contradicts itself (both or neither of two options), said in the user's terms."""

    code = "api.request"


@contextmanager
def opened(workspace: Workspace | str | os.PathLike[str], actor: str = "planwatch") -> Iterator[Workspace]:
    """The workspace to work on: an open one as given (left open), a path opened and closed here."""
    from planwatch.store.workspace import Workspace, open_workspace

    if isinstance(workspace, Workspace):
        yield workspace
        return
    ws = open_workspace(Path(workspace), actor=actor)
    try:
        yield ws
    finally:
        ws.close()


def one_or_all(unit: str | None, all_units: bool) -> None:
    """Refuse a request for workbooks that names a unit and asks for all, or does neither."""
    if (unit is None) == (not all_units):
        raise RequestError("请给出 --unit 或 --all-units 之一 give --unit or --all-units")
