"""How the data commands print: a Rich table for people, or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from rich.table import Table

from planwatch.api import DataFormat, Imported
from planwatch.cli.console import console

Format = DataFormat
"""The formats of listings and imports (:data:`planwatch.vocabulary.DataFormat`)."""


def print_json(data: Any) -> None:
    """JSON to standard output, Chinese kept readable; dates and the like as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def problems_table(report: Any) -> Table:
    """A file's problems, errors in red and warnings in yellow, each with its cell."""
    table = Table()
    for col in ("级别", "问题", "位置", "说明"):
        table.add_column(col)
    for row in report.table_rows():
        table.add_row(*row, style="red" if row[0] == "错误" else "yellow")
    return table


def finish_import(
    result: Imported, output: Format, accepted_note: Callable[[Any], str]
) -> NoReturn:
    """Print an import's outcome per file and exit 0 only when every file was accepted.

    Figures and self-evaluations are imported alike; only what is said about an accepted
    file differs (``accepted_note``), so both commands report and exit the same way. A dry
    run says what would be accepted; its exit code is the one the real import would give.
    """
    if output == "json":
        print_json(result.to_dict())
    else:
        for f in result.files:
            if f.accepted and result.dry_run:
                verdict = (f"[green]可以接收 would be accepted[/]{accepted_note(f)}"
                           "（试运行，未写入 dry run, nothing stored）")
            elif f.accepted:
                verdict = f"[green]已接收 accepted[/]{accepted_note(f)}"
            else:
                verdict = "[red]已拒绝 rejected[/]（未写入任何内容 nothing stored）"
            console.print(f"{f.report.file}: {verdict}", highlight=False)
            if f.report.problems:
                console.print(problems_table(f.report))
    raise typer.Exit(code=0 if result.accepted else 1)
