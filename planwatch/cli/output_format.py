"""How the data commands print: a Rich table for people, or JSON for scripts."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from rich.table import Table

from planwatch.collect.problems import Report


class Format(StrEnum):
    table = "table"
    json = "json"


def print_json(data: Any) -> None:
    """JSON to standard output, Chinese kept readable; dates and the like as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def problems_table(report: Report) -> Table:
    """A file's problems, errors in red and warnings in yellow, each with its cell."""
    table = Table()
    for col in ("级别", "问题", "位置", "说明"):
        table.add_column(col)
    for row in report.table_rows():
        table.add_row(*row, style="red" if row[0] == "错误" else "yellow")
    return table
