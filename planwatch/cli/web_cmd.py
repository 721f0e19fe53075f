"""`planwatch serve` (the web application) and `planwatch user add/list/disable/reset` (its accounts)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from planwatch import api
from planwatch.cli.console import console, fail
from planwatch.cli.main import commands
from planwatch.cli.workspace_arg import WorkspaceArg
from planwatch.errors import PlanwatchError

user_app = typer.Typer(
    name="user",
    help="网页应用账号：新增、列出、停用、重置密码 web accounts.",
    no_args_is_help=True,
)
commands.add_typer(user_app, name="user")

ROLE_HELP = "角色：填报员 单位审核员 工委办管理员 领导 系统管理员 安全管理员 审计管理员"
ActorOpt = Annotated[str, typer.Option(help="操作人（记入审计日志）who is doing this")]


def _prompt_password() -> str:
    password: str = typer.prompt("新密码 password", hide_input=True, confirmation_prompt="再次输入 again")
    return password


@commands.command("serve")
def serve_command(
    workspace: WorkspaceArg,
    host: Annotated[str, typer.Option(help="监听地址 address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 port")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="部署在 HTTPS 之后：Cookie 加 Secure 并发送 HSTS")
    ] = False,
) -> None:
    """启动网页应用（各单位填报、工委办审核、查看进度）start the web application."""
    import uvicorn

    from planwatch.web.app import create_app
    from planwatch.web.settings import WebSettings

    try:
        ws = api.open_workspace(workspace)
        settings = WebSettings.from_workspace_extra(ws.config.model_extra)
        if secure_cookies:
            settings = settings.model_copy(update={"secure_cookies": True})
        web_app = create_app(ws, settings=settings)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"planwatch 网页应用：http://{host}:{port}/ （工作区 {workspace}，Ctrl+C 停止）")
    uvicorn.run(web_app, host=host, port=port, proxy_headers=True, log_level="info")


@commands.command("worker")
def worker_command(
    workspace: WorkspaceArg,
    concurrency: Annotated[int, typer.Option(min=1, max=16, help="同时生成的报告数 reports at a time")] = 1,
) -> None:
    """生成报告的后台进程（PostgreSQL 工作区可在多台机器上各启动一个）run a report worker."""
    from planwatch.web.report_workers import WorkerUnavailable, run_worker_process

    try:
        ws = api.open_workspace(workspace)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    try:
        run_worker_process(ws, concurrency, on_start=lambda: console.print(
            f"planwatch 报告生成进程（工作区 {workspace}，Ctrl+C 停止）"))
    except WorkerUnavailable as exc:
        raise fail(exc.message) from None
    finally:
        ws.close()


@user_app.command("add")
def add_command(
    workspace: WorkspaceArg,
    username: Annotated[str, typer.Argument(help="用户名（字母、数字、_ . -）")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    area: Annotated[str | None, typer.Option(help="地区代码或名称（单位角色和工委办管理员、领导）")] = None,
    unit: Annotated[str | None, typer.Option(help="单位名称（填报员、单位审核员）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="姓名 display name")] = None,
    password_prompt: Annotated[
        bool, typer.Option("--password-prompt", help="输入初始密码（默认生成一次性密码并只显示一次）")
    ] = False,
    actor: ActorOpt = "planwatch",
) -> None:
    """新增账号；首次登录须修改密码 add an account."""
    from planwatch.web.account_commands import add_account

    password = _prompt_password() if password_prompt else None
    try:
        added, generated = add_account(workspace, username, role, area=area, unit=unit, name=name,
                                       password=password, actor=actor)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"已新增账号 {added}")
    if generated:
        console.print(Text.assemble("一次性密码（只显示这一次，首次登录须修改）：", (generated, "bold")))


@user_app.command("list")
def list_command(
    workspace: WorkspaceArg,
    area: Annotated[str | None, typer.Option(help="只列此地区代码的账号")] = None,
) -> None:
    """列出账号、角色与状态 list accounts."""
    from planwatch.web.account_commands import list_accounts

    try:
        rows = [(r.username, r.display_name, r.roles, r.state) for r in list_accounts(workspace, area)]
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    table = Table(title=f"账号 accounts：{len(rows)} 个", title_justify="left")
    for header in ("用户名", "姓名", "角色", "状态"):
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@user_app.command("disable")
def disable_command(
    workspace: WorkspaceArg,
    username: Annotated[str, typer.Argument(help="用户名")],
    enable: Annotated[bool, typer.Option("--enable", help="重新启用")] = False,
    actor: ActorOpt = "planwatch",
) -> None:
    """停用账号（立即退出其所有会话）；--enable 重新启用 disable an account."""
    from planwatch.web.account_commands import disable_account

    try:
        disable_account(workspace, username, disabled=not enable, actor=actor)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"已{'启用' if enable else '停用'}账号 {username}")


@user_app.command("reset")
def reset_command(
    workspace: WorkspaceArg,
    username: Annotated[str, typer.Argument(help="用户名")],
    password_prompt: Annotated[
        bool, typer.Option("--password-prompt", help="输入新密码（默认生成一次性密码）")
    ] = False,
    actor: ActorOpt = "planwatch",
) -> None:
    """重置密码并解锁；下次登录须修改 reset a password."""
    from planwatch.web.account_commands import reset_account

    password = _prompt_password() if password_prompt else None
    try:
        generated = reset_account(workspace, username, password=password, actor=actor)
    except PlanwatchError as exc:
        raise fail(exc.message) from None
    console.print(f"已重置账号 {username} 的密码")
    if generated:
        console.print(Text.assemble("一次性密码（只显示这一次，下次登录须修改）：", (generated, "bold")))

