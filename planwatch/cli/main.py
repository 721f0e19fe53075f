"""Entry point of the ``planwatch`` command; each command group lives in its own module."""

from __future__ import annotations

import importlib

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


COMMAND_MODULES = (
    "parse_cmd", "store_cmd", "indicator_system_cmd", "area_cmd", "unit_cmd", "collect_cmd", "evaluation_cmd",
    "assess_cmd", "report_cmd", "demo_cmd", "web_cmd",
)  # fmt: skip
"""In the order of the yearly work, which is the order `planwatch --help` lists them in."""


def _register() -> None:
    # Imported here so that each command module can import `app` without a cycle.
    for name in COMMAND_MODULES:
        importlib.import_module(f"planwatch.cli.{name}")

_register()


def run() -> None:
    """The installed ``planwatch`` command: the Typer app behind one last catch.

    Commands still catch what they expect and add context; this catch only makes sure a
    deliberate planwatch error that slipped through reaches the user as a message with
    an exit code, never as a traceback.
    """
    from rich.markup import escape

    from planwatch.cli.console import errors
    from planwatch.errors import PlanwatchError

    try:
        app()
    except PlanwatchError as exc:
        where = f"（{exc.place}）" if exc.place else ""
        errors.print(f"[bold red]错误 error:[/] {escape(exc.message)}{escape(where)}", highlight=False)
        raise SystemExit(1) from None
