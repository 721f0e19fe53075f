"""The consoles every command prints to, and the one way a command fails.

Results go to standard output so they can be piped; progress and errors go to standard
error. A failing command prints "错误 error: …" and exits with code 1, whichever it is.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from planwatch.errors import PlanwatchError

console = Console()
errors = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    """Print the error and return the exit to raise: ``raise fail("…") from exc``."""
    errors.print(f"[bold red]错误 error:[/] {message}", highlight=False)
    return typer.Exit(code=1)


def fail_with(error: PlanwatchError) -> typer.Exit:
    """A planwatch error as the user reads it: its message and, when it has one, its place."""
    where = f"（{error.place}）" if error.place else ""
    return fail(escape(error.message) + escape(where))
