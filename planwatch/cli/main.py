"""Entry point of the ``planwatch`` command; each command group lives in its own module.

Commands call :mod:`planwatch.api` and format its results; none of them imports the heavy
layers, so ``planwatch --help`` starts at once and only the command that runs pays for the
database, the assessment or the report writers it uses. The root group goes further: it
imports the module of the command being run and builds that one command only, and lists
the others from :data:`COMMANDS`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import sys
import threading
from collections.abc import Iterator, MutableMapping
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from planwatch.errors import PlanwatchError

COMMANDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("parse", ("parse_cmd",),
     "读取规划文件，输出指标目录。Read plan documents and print the catalogue."),
    ("schema", ("parse_cmd",),
     "输出 JSON Schema。Print the JSON Schema of an output format."),
    ("init", ("store_cmd",),
     "从规划文件创建工作区并载入指标目录 create a workspace and load the catalogue."),
    ("upgrade", ("store_cmd",),
     "升级工作区数据库到本程序的版本（部署步骤，建议先备份）migrate the database to this planwatch."),
    ("template", ("collect_cmd",),
     "生成填报模板（Excel）write each unit's workbook."),
    ("import", ("collect_cmd",),
     "导入填报数据并校验：先检查全部文件，有文件被拒绝时整批不写入（除非 --partial）；全部接收时退出码为 0."),
    ("status", ("collect_cmd",),
     "各单位报送完整性与及时性 completeness and timeliness."),
    ("assess", ("assess_cmd",),
     "评估每个目标的实现情况并给出预警 assess every target as of a year."),
    ("export", ("exchange_cmd",),
     "导出数据供其他系统使用（SDMX、CSV、Excel）export figures for other systems."),
    ("pull", ("exchange_cmd",),
     "汇入下级已审定数据（校验同导入，全部通过才写入，保留来源）pull districts' approved figures."),
    ("pulled", ("exchange_cmd",),
     "汇入数据的来源 where each pulled submission came from."),
    ("citywide", ("exchange_cmd",),
     "由下级数据按分子分母汇总并评估上级目标 roll up the districts and assess the city."),
    ("report", ("report_cmd",),
     "生成报告。Write annual / midterm / final reports, warnings, compendium, unit matrix."),
    ("demo", ("demo_cmd",),
     "用两份示例规划和 2020–2024 年示例数据（非真实统计）建立演示工作区."),
    ("serve", ("web_cmd",),
     "启动网页应用（各单位填报、工委办审核、查看进度）start the web application."),
    ("worker", ("web_cmd",),
     "生成报告的后台进程（PostgreSQL 工作区可在多台机器上各启动一个）run a report worker."),
    ("catalogue", ("store_cmd", "indicator_system_cmd"),
     "指标目录的导出与导入（YAML）export / import the catalogue as YAML."),
    ("area", ("area_cmd",),
     "地区与统计用区划代码（2023年）find areas, import townships."),
    ("unit", ("unit_cmd",),
     "成员单位：添加、改名、停用（机构改革）、删除误添加的单位，查看单位 member units."),
    ("submission", ("collect_cmd",),
     "填报的查看与审核流程 submissions."),
    ("document", ("collect_cmd",),
     "规划落实情况和下一年工作安排 documents."),
    ("evaluation", ("evaluation_cmd",),
     "定性目标自评：模板、导入、查看 self-evaluations of qualitative targets."),
    ("user", ("web_cmd",),
     "网页应用账号：新增、列出、停用、重置密码 web accounts."),
    ("token", ("token_cmd",),
     "REST API 令牌：新增、列出、吊销 API tokens of other systems."),
)  # fmt: skip
"""Every top-level command: its name, the modules under ``planwatch.cli`` that define it (a
group may gather commands from several), and the first paragraph of its help, in the order
``planwatch --help`` lists them: the commands in the order of the yearly work, then the groups.

Written out so that ``planwatch --help`` lists every command without importing the thirteen
command modules (and the API, the rich tables and the typer adapters behind them), and so
that a command being run imports only its own module. tests/cli/test_cli_lazy.py checks that
this table equals what the modules define.
"""

COMMAND_MODULES = (
    "parse_cmd", "store_cmd", "indicator_system_cmd", "area_cmd", "unit_cmd", "collect_cmd", "evaluation_cmd",
    "assess_cmd", "exchange_cmd", "report_cmd", "demo_cmd", "web_cmd", "token_cmd",
)  # fmt: skip
"""Every command module, in the order :func:`register_all` imports them."""

_MODULES_OF = {name: modules for name, modules, _ in COMMANDS}
_HELP_OF = {name: text for name, _, text in COMMANDS}


class _LazyCommands(MutableMapping[str, Any]):
    """The root group's commands: every name known up front, each command built on first use.

    Typer builds a click command (parameters, type adapters) for every registered function
    when the program starts; most runs need one of them. Keys come from :data:`COMMANDS`, so
    click's "did you mean" and the help listing see every command without building any.
    """

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        # What typer built from the root app itself (nothing: the commands are registered on
        # :data:`commands`); a table command is built on use, after importing all of its
        # modules, so that a group gathered from several (catalogue) is whole.
        self._built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            command = _build(name)
            if command is None:
                raise KeyError(name)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*_MODULES_OF, *self._built]))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def is_built(self, name: str) -> bool:
        return name in self._built


def _build(name: str) -> Any:
    """The click command ``name``, from its module's registration on :data:`app` (or None)."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info, solve_typer_info_defaults

    modules = _MODULES_OF.get(name)
    if modules is None:
        return None
    for module in modules:
        importlib.import_module(f"planwatch.cli.{module}")
    for command_info in commands.registered_commands:
        callback = command_info.callback
        if (command_info.name or (callback and get_command_name(callback.__name__))) == name:
            return get_command_from_info(
                command_info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group_info in commands.registered_groups:
        if solve_typer_info_defaults(group_info).name == name:
            return get_group_from_info(
                group_info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
    return None


class _Planwatch(TyperGroup):
    """The root command group: commands built when used, planwatch errors turned into messages.

    Every deliberate planwatch error becomes a message and exit 1. Caught here, around every
    command, rather than in each command: a command only says what it does, and a web layer
    calling the same API maps the same ``code`` its own way. Commands still catch what they
    can say better (a gold file's problems, a file list).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        commands = self.commands
        if self._listing and isinstance(commands, _LazyCommands) and not commands.is_built(cmd_name):
            # The help listing shows a name and a line of help: a stand-in carries them.
            return TyperCommand(name=cmd_name, help=_HELP_OF[cmd_name]) if cmd_name in _HELP_OF else None
        return commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

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


commands = typer.Typer()
"""Where the command modules register their commands and groups (``@commands.command``,
``commands.add_typer``); :func:`_build` takes one from here when it is used.

Not :data:`app` itself: typer builds a click command for every function registered on the app
it runs, each time it runs it. A process that runs one command had imported only that
command's module, but one that runs many (the tests, a tool calling the CLI in-process) has
imported them all, and rebuilt all thirteen modules' commands for every call, reading each
function's signature and type hints again.
"""


def register_all() -> None:
    """Import every command module, registering all commands on :data:`commands` (for tests, tools)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"planwatch.cli.{name}")


def run() -> None:
    """The installed ``planwatch`` command: the Typer app behind one last catch.

    The root group already turns a planwatch error raised by a command into a message; this
    catch covers what runs outside a command (option parsing callbacks), so a deliberate
    planwatch error never reaches the user as a traceback.
    """
    from planwatch.cli.console import fail_with

    # planwatch uses no pydantic plugins; looking for them reads the entry points of every
    # installed package when the first model is built (the workspace settings, on every
    # command that opens a workspace). A setting of the user's own is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Importing SQLAlchemy, pydantic and the command's modules makes some hundred thousand
    # objects that live as long as the process; with the default threshold the collector
    # walked them again and again (about 40 ms of a listing command). Collections stay on, a
    # hundred times rarer.
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 70_000), gen1, gen2)
    try:
        app()
    except PlanwatchError as exc:
        code: int = fail_with(exc).exit_code
    except SystemExit as exc:
        code = _exit_status(exc)
    else:
        code = 0
    _leave(code)


def _exit_status(exc: SystemExit) -> int:
    """The status ``sys.exit`` would give: 0 for none, the number, or 1 after printing a text."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _leave(code: int) -> NoReturn:
    """End the process without tearing the interpreter down, when nothing else runs in it.

    Freeing every object of SQLAlchemy, pydantic, typer and the command's data one by one took
    about 0.1 s of a listing command's 0.6 s; the operating system reclaims that memory at once.
    What must outlive the command is done first: the exit handlers (log handlers flushed,
    temporary folders removed) and the standard streams flushed; a closed pipe is not an error
    here. With another thread still running, the ordinary exit waits for it as before.
    """
    if threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
