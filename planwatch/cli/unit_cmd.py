"""`planwatch unit add` and `planwatch unit list`: the member units of a workspace."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console
from planwatch.cli.main import commands
from planwatch.cli.workspace_arg import WorkspaceArg

unit_app = typer.Typer(
    name="unit",
    help="成员单位：添加规划文本未列出的单位、查看单位 member units.",
    no_args_is_help=True,
)
commands.add_typer(unit_app, name="unit")


@unit_app.command("add")
def add_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="单位名称 unit name (国家统计局, 区卫生健康局)")],
    area: Annotated[str, typer.Option(help="所属地区代码或名称 area code or name")],
    alias: Annotated[list[str] | None, typer.Option(help="别名，可重复 other spelling, repeatable")] = None,
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
) -> None:
    """添加一个成员单位（如纲要未写明的填报单位），之后可在目录 YAML 中指定为填报单位。"""
    unit = api.add_unit(workspace, name, area=area, aliases=alias, actor=actor)
    console.print(f"已添加单位 added：{unit.name}，{unit.area_name}（{unit.area_code}）")


@unit_app.command("list")
def list_command(
    workspace: WorkspaceArg,
    area: Annotated[str | None, typer.Option(help="只列此地区 only this area")] = None,
) -> None:
    """列出成员单位及其牵头/负责的目标数、填报的指标数 units with their targets and indicators."""
    rows = api.list_units(workspace, area=area)
    table = Table(title=f"成员单位 units：{len(rows)} 个", title_justify="left")
    for header in ("地区 area", "单位 unit", "别名 aliases", "目标 targets", "填报指标 indicators"):
        table.add_column(header)
    for row in rows:
        table.add_row(
            f"{row.area_name}（{row.area_code}）",
            row.name,
            "、".join(row.aliases),
            str(row.targets),
            str(row.indicators),
        )
    console.print(table)
