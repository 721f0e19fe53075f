"""`planwatch area find` and `planwatch area import`: division codes from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console
from planwatch.cli.console import fail as _fail
from planwatch.cli.main import commands
from planwatch.cli.workspace_arg import WorkspaceArg
from planwatch.errors import PlanwatchError

EDITION = api.AREA_EDITION

area_app = typer.Typer(
    name="area",
    help=f"地区与统计用区划代码（{EDITION}年）find areas, import townships.",
    no_args_is_help=True,
)
commands.add_typer(area_app, name="area")

_LEVELS = {"country": "全国", "province": "省级", "city": "地级", "county": "县级", "street": "乡级"}


def _table(title: str, areas: list[api.Area]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("代码 code")
    table.add_column("地区 area")
    table.add_column("层级 level")
    for area in areas:
        table.add_row(area.code, area.full_name, _LEVELS[area.level])
    return table


@area_app.command("find")
def find_command(
    name: Annotated[str, typer.Argument(help="地区名称或代码 name or code (济南市市中区, 山亭, 370406)")],
    within: Annotated[str | None, typer.Option(help="只在此上级地区内查找 parent code")] = None,
) -> None:
    """查找地区代码；名称不唯一时列出全部候选 look up a code, listing every candidate."""
    found = api.find_areas(name, within=within)
    console.print(_table(f"“{name}”：{len(found)} 个地区", found))


@area_app.command("import")
def import_command(
    workspace: WorkspaceArg,
    file: Annotated[Path, typer.Argument(help="乡级地区文件（CSV：code,name,level,parent_code）township file")],
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
) -> None:
    """导入乡级地区（街道、乡镇），全部生效或全部不生效 import townships, all or nothing."""
    try:
        summary = api.import_areas(workspace, file, actor=actor)
    except PlanwatchError as exc:
        problems: list[str] = getattr(exc, "problems", [])
        if exc.code != "area.file":
            raise
        lines = "\n".join(f"  {p}" for p in problems)
        raise _fail(f"{file}：{len(problems)} 处错误，未做任何修改 nothing imported\n{lines}") from None
    console.print(
        f"已导入 imported：新增 {len(summary.added)} 个，已有 {len(summary.unchanged)} 个（{file}）",
    )
