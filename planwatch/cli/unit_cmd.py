"""`planwatch unit add|rename|retire|remove|list`: the member units of a workspace."""

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
    help="成员单位：添加、改名、停用（机构改革）、删除误添加的单位，查看单位 member units.",
    no_args_is_help=True,
)
commands.add_typer(unit_app, name="unit")

AreaOption = Annotated[str, typer.Option(help="所属地区代码或名称 area code or name")]
ActorOption = Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")]


@unit_app.command("add")
def add_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="单位名称 unit name (国家统计局, 区卫生健康局)")],
    area: AreaOption,
    alias: Annotated[list[str] | None, typer.Option(help="别名，可重复 other spelling, repeatable")] = None,
    actor: ActorOption = "planwatch",
) -> None:
    """添加一个成员单位（如纲要未写明的填报单位），之后可在目录 YAML 中指定为填报单位。"""
    unit = api.add_unit(workspace, name, area=area, aliases=alias, actor=actor)
    console.print(f"已添加单位 added：{unit.name}，{unit.area_name}（{unit.area_code}）")


@unit_app.command("rename")
def rename_command(
    workspace: WorkspaceArg,
    old: Annotated[str, typer.Argument(help="现名称或别名 current name or alias (区卫生和计划生育局)")],
    new: Annotated[str, typer.Argument(help="新名称 new name (区卫生健康局)")],
    area: AreaOption,
    actor: ActorOption = "planwatch",
) -> None:
    """单位改名：目标、指标、填报记录、账号和令牌都保留，旧名称留作别名，规划文本和目录 YAML 仍可用旧名称。"""
    done = api.rename_unit(workspace, old, new, area=area, actor=actor)
    console.print(f"已改名 renamed：{done.old_name} → {done.name}，{done.area_name}（{done.area_code}）")
    console.print(f"别名 aliases：{'、'.join(done.aliases)}")


@unit_app.command("retire")
def retire_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="要停用的单位 the unit to retire")],
    area: AreaOption,
    successor: Annotated[
        str | None, typer.Option(help="承接其指标和目标的单位（同一地区）the unit that takes its work over")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="不再填报的第一个数据年度，默认今年 first data year it no longer reports")
    ] = None,
    actor: ActorOption = "planwatch",
) -> None:
    """停用单位（机构撤销、合并）：历史数据保留；自停用年度起不再下发模板和填报任务。

    仍填报指标或牵头/负责在施规划目标的单位，须用 --successor 指定承接单位，否则拒绝并列出这些工作。
    """
    done = api.retire_unit(workspace, name, area=area, year=year, successor=successor, actor=actor)
    console.print(f"已停用 retired：{done.name}，{done.area_name}（{done.area_code}），"
                  f"自{done.retired_from}年度起不再填报；{done.retired_from - 1}年度及以前的填报保留")
    if done.successor is None:
        return
    console.print(f"承接单位 successor：{done.successor}，"
                  f"自{done.retired_from}年度起填报指标{len(done.indicators)}项、承接目标{len(done.targets)}项")
    for line in (*done.indicators, *done.targets):
        console.print(f"  {line}")


@unit_app.command("remove")
def remove_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="误添加的单位 the unit added by mistake")],
    area: AreaOption,
    actor: ActorOption = "planwatch",
) -> None:
    """删除误添加、从未使用的单位；已有目标、指标、填报、账号等的单位拒绝删除（请改用停用）。"""
    done = api.remove_unit(workspace, name, area=area, actor=actor)
    console.print(f"已删除单位 removed：{done.name}，{done.area_name}（{done.area_code}）")


@unit_app.command("list")
def list_command(
    workspace: WorkspaceArg,
    area: Annotated[str | None, typer.Option(help="只列此地区 only this area")] = None,
) -> None:
    """列出成员单位及其牵头/负责的目标数、填报的指标数、是否停用 units with their work and state."""
    rows = api.list_units(workspace, area=area)
    table = Table(title=f"成员单位 units：{len(rows)} 个", title_justify="left")
    for header in ("地区 area", "单位 unit", "别名 aliases", "目标 targets", "填报指标 indicators", "状态 state"):
        table.add_column(header)
    for row in rows:
        table.add_row(
            f"{row.area_name}（{row.area_code}）",
            row.name,
            "、".join(row.aliases),
            str(row.targets),
            str(row.indicators),
            row.state,
        )
    console.print(table)
