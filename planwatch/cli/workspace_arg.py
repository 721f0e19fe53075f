"""The workspace argument the data commands take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WorkspaceArg = Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")]
