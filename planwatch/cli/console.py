"""The consoles every command prints to, and the one way a command fails.

Results go to standard output so they can be piped; progress and errors go to standard
error. A failing command prints "错误 error: …" and exits with code 1, whichever it is.

Every console here reads strings as plain text: no Rich markup, no ``:emoji:`` codes and
no automatic colouring. Most of what a command prints was typed by someone — a unit's name,
a clerk's evidence, a file or folder name — and "[/b]" in any of them would otherwise stop
the command with Rich's MarkupError (or restyle the rest of the line). Colour is given with
``style=`` or :class:`rich.text.Text`, never inside the string.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from planwatch.errors import PlanwatchError


def plain_console(**options: Any) -> Console:
    """A Rich console that prints strings as they are (see the module's docstring)."""
    return Console(markup=False, emoji=False, highlight=False, **options)


def labelled(label: str, style: str, rest: str = "") -> Text:
    """``label`` in ``style``, then ``rest`` as typed: "警告 warning: …" and the like."""
    return Text.assemble((label, style), rest)


console = plain_console()
errors = plain_console(stderr=True)


def fail(message: str) -> typer.Exit:
    """Print the error and return the exit to raise: ``raise fail("…") from exc``."""
    errors.print(labelled("错误 error:", "bold red", f" {message}"))
    return typer.Exit(code=1)


def fail_with(error: PlanwatchError) -> typer.Exit:
    """A planwatch error as the user reads it: its message and, when it has one, its place."""
    where = f"（{error.place}）" if error.place else ""
    return fail(error.message + where)
