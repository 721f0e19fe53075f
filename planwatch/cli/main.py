"""Entry point of the ``planwatch`` command; each command group lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="planwatch",
    help="规划监测评估系统 planwatch：读取规划文本、采集年度数据、评估目标、生成报告。",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """规划监测评估系统 planwatch."""


def _register() -> None:
    # Imported here so that each command module can import `app` without a cycle.
    from planwatch.cli import (
        assess_cmd,  # noqa: F401
        collect_cmd,  # noqa: F401
        parse_cmd,  # noqa: F401
        report_cmd,  # noqa: F401
        store_cmd,  # noqa: F401
    )


_register()
