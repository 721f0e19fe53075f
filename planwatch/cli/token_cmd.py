"""`planwatch token add/list/revoke`: the REST API's per-system tokens, administered on the server."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from planwatch.cli.console import console, fail
from planwatch.cli.main import commands
from planwatch.cli.workspace_arg import WorkspaceArg
from planwatch.errors import PlanwatchError

token_app = typer.Typer(
    name="token",
    help="REST API 令牌：新增、列出、吊销 API tokens of other systems.",
    no_args_is_help=True,
)
commands.add_typer(token_app, name="token")

SCOPE_HELP = "权限范围，可重复：read 读取、submit 报送（须 --unit）、review 审核审定"
ActorOpt = Annotated[str, typer.Option(help="操作人（记入审计日志）who is doing this")]


@token_app.command("add")
def add_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="令牌名称：调用的系统，如“市统计局数据平台”")],
    area: Annotated[str, typer.Option(help="限定的地区代码或名称")],
    scope: Annotated[list[str], typer.Option("--scope", help=SCOPE_HELP)],
    unit: Annotated[str | None, typer.Option(help="限定的单位名称（submit 须指定）")] = None,
    actor: ActorOpt = "planwatch",
) -> None:
    """新增 API 令牌；令牌只显示这一次 add a token (shown once)."""
    from planwatch.web.tokens import add_token_at

    try:
        added, secret = add_token_at(workspace, name, scope, area=area, unit=unit, actor=actor)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"已新增 API 令牌 {added}")
    console.print("令牌（只显示这一次，请妥善保存）：")
    console.print(secret, soft_wrap=True)


@token_app.command("list")
def list_command(workspace: WorkspaceArg) -> None:
    """列出 API 令牌（只显示前几位）list tokens."""
    from planwatch.web.tokens import list_tokens_at

    try:
        rows = list_tokens_at(workspace)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    table = Table(title=f"API 令牌 tokens：{len(rows)} 个", title_justify="left")
    for header in ("名称", "前缀", "权限", "地区", "单位", "创建时间", "状态"):
        table.add_column(header)
    for r in rows:
        table.add_row(r.name, r.prefix, r.scopes, r.area_code, r.unit, r.created, r.state)
    console.print(table)


@token_app.command("revoke")
def revoke_command(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="令牌名称")],
    actor: ActorOpt = "planwatch",
) -> None:
    """吊销 API 令牌，立即生效 revoke a token."""
    from planwatch.web.tokens import revoke_token_at

    try:
        revoke_token_at(workspace, name, actor=actor)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"已吊销 API 令牌 {name}")
