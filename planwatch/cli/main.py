"""Entry point of the ``planwatch`` command; each command group lives in its own module.

Commands call :mod:`planwatch.api` and format its results; none of them imports the heavy
layers, so ``planwatch --help`` starts at once and only the command that runs pays for the
database, the assessment or the report writers it uses.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from planwatch.errors import PlanwatchError


class _Planwatch(TyperGroup):
    """The root command group: every deliberate planwatch error becomes a message and exit 1.

    Caught here, around every command, rather than in each command: a command only says
    what it does, and a web layer calling the same API maps the same ``code`` its own way.
    Commands still catch what they can say better (a gold file's problems, a file list).
    """

    def invoke(self, ctx: Any) -> Any:
        from planwatch.cli.console import fail_with

        try:
            return super().invoke(ctx)
        except PlanwatchError as exc:
            raise fail_with(exc) from None


app = typer.Typer(
    name="planwatch",
    help="规划监测评估系统 planwatch：读取规划文本、采集年度数据、评估目标、生成报告。",
    no_args_is_help=True,
    add_completion=False,
    cls=_Planwatch,
)


@app.callback()
def _root() -> None:
    """规划监测评估系统 planwatch."""


COMMAND_MODULES = (
    "parse_cmd", "store_cmd", "indicator_system_cmd", "area_cmd", "unit_cmd", "collect_cmd", "evaluation_cmd",
    "assess_cmd", "exchange_cmd", "report_cmd", "demo_cmd", "web_cmd", "token_cmd",
)  # fmt: skip
"""In the order of the yearly work, which is the order `planwatch --help` lists them in."""


def _register() -> None:
    # Imported here so that each command module can import `app` without a cycle.
    for name in COMMAND_MODULES:
        importlib.import_module(f"planwatch.cli.{name}")

_register()


def run() -> None:
    """The installed ``planwatch`` command: the Typer app behind one last catch.

    The root group already turns a planwatch error raised by a command into a message; this
    catch covers what runs outside a command (option parsing callbacks), so a deliberate
    planwatch error never reaches the user as a traceback.
    """
    from planwatch.cli.console import fail_with

    try:
        app()
    except PlanwatchError as exc:
        raise SystemExit(fail_with(exc).exit_code) from None
