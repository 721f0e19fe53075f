"""How the data commands print: a Rich table for people, or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.table import Table
from rich.text import Text

from planwatch.api import DataFormat
from planwatch.cli.console import console, labelled

if TYPE_CHECKING:
    from planwatch.api import Imported

Format = DataFormat
"""The formats of listings and imports (:data:`planwatch.vocabulary.DataFormat`)."""


def print_json(data: Any) -> None:
    """JSON to standard output, Chinese kept readable; dates and the like as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def problems_table(report: Any) -> Table:
    """A file's problems, errors in red and warnings in yellow, each with its cell.

    The place and the message are what the clerk acts on, so at any width — an 80-column
    terminal, or a pipe, where Rich assumes 80 — they are folded onto more lines, never cut
    with an ellipsis: a long file name has no space to wrap at. Level and code are short.
    Cells are plain text, never Rich markup, since messages quote what people typed.
    """
    table = Table()
    table.add_column("级别", no_wrap=True, min_width=4)
    for col in ("问题", "位置", "说明"):
        table.add_column(col, overflow="fold")
    for row in report.table_rows():
        # Text, not markup: a clerk's cell value "[/]" or "[bold]" is shown as typed.
        table.add_row(*(Text(cell) for cell in row), style="red" if row[0] == "错误" else "yellow")
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
                verdict = labelled("可以接收 would be accepted", "green",
                                   f"{accepted_note(f)}（试运行，未写入 dry run, nothing stored）")
            elif f.accepted:
                verdict = labelled("已接收 accepted", "green", accepted_note(f))
            elif getattr(f, "held", False):
                verdict = labelled("校验通过，未写入 held", "yellow", "（同批有文件被拒绝）")
            else:
                verdict = labelled("已拒绝 rejected", "red", "（未写入任何内容 nothing stored）")
            console.print(Text.assemble(f"{f.report.file}: ", verdict))
            if f.report.problems:
                console.print(problems_table(f.report))
        if result.held:
            console.print(labelled("本批有文件被拒绝，整批未写入任何内容", "red",
                                   f"（{result.held} 个通过校验的文件也未写入）；"
                                   "改正后重新导入整批，或加 --partial 只写入通过校验的文件"))
    raise typer.Exit(code=0 if result.accepted else 1)
