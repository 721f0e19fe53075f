"""`planwatch demo`: the main job — a demo workspace from the seed plans, with its reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import fail as _fail
from planwatch.cli.database_arg import DatabaseUrlFileOpt, DatabaseUrlOpt
from planwatch.cli.database_arg import database_url as resolve_database_url
from planwatch.cli.main import commands
from planwatch.cli.report_cmd import JOBS_HELP


@commands.command("demo")
def demo_command(
    directory: Annotated[Path, typer.Argument(help="示例工作区文件夹")] = Path("demo-workspace"),
    database_url: DatabaseUrlOpt = None,
    database_url_file: DatabaseUrlFileOpt = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="先删除该文件夹中以前生成的演示工作区 rebuild an earlier demo")
    ] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help=JOBS_HELP)] = None,
) -> None:
    """用两份示例规划和 2020–2024 年示例数据（非真实统计）建立演示工作区."""
    url = resolve_database_url(database_url, database_url_file)
    try:
        if fresh and api.remove_demo(directory):
            _console.print(f"已删除以前的演示工作区 {directory}")
        summary = api.build_demo(directory, database_url=url)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    table = Table(title=f"演示工作区 demo workspace: {summary.path}（{api.demo_label()}）")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    for label, value in (
        ("地区 areas", len(summary.areas)), ("填报单位 units", summary.units),
        ("导入的模板 workbooks", summary.workbooks), ("填报 submissions", summary.submissions),
        ("数值 observations", summary.observations), ("警告 warnings", summary.warnings),
        ("文档 documents", summary.documents),
        ("分组数值 breakdown values", summary.breakdown_observations),
        ("目录修改 catalogue edits", summary.catalogue_edits),
        ("定性目标自评 self-evaluations", summary.self_evaluations),
    ):
        table.add_row(label, str(value))
    for state, n in sorted(summary.states.items()):
        table.add_row(f"状态：{api.STATE_LABELS.get(state, state)}", str(n))
    for scen, n in sorted(summary.scenarios.items()):
        table.add_row(f"情景：{scen}", str(n))
    _console.print(table)
    _console.print("逾期报送 late: " + "；".join(summary.late))
    _console.print("未报送 missing: " + "；".join(summary.missing))
    for line in summary.rejected:
        _console.print(f"被拒绝并更正 rejected then corrected: {line}")
    _write_demo_reports(summary.path, summary.years[-1], jobs)
    _print_demo_accounts(summary.path, summary.areas[0])


def _print_demo_accounts(path: Path, area_code: str) -> None:
    """The web application's demo accounts, one per role; their passwords are shown only here."""
    from planwatch.web.demo_accounts import create_demo_accounts

    with api.open_workspace(path) as ws:
        accounts = create_demo_accounts(ws, area_code)
    table = Table(title="网页应用示例账号（一次性密码只显示这一次，首次登录须修改）")
    for header in ("用户名", "角色", "范围", "一次性密码"):
        table.add_column(header)
    for account in accounts:
        table.add_row(account.username, account.role_label, account.scope, account.password)
    _console.print(table)
    _console.print(f"启动网页应用 serve: planwatch serve {path}  → http://127.0.0.1:8000/")


def _write_demo_reports(path: Path, year: int, jobs: int | None = None) -> None:
    """The main job ends with the office's report folder for the last demo year."""
    from planwatch.cli.report_cmd import run_with_progress

    out_dir = path / "reports"
    written = run_with_progress(api.standard_reports(path, year), out_dir, None, jobs)
    _console.print(Text.assemble(f"已生成 {year} 年度报告 {len(written)} 个文件 reports written to ",
                                 (str(out_dir), "bold"), ":"))
    for file in written:
        _console.print(f"  {file.name}")
    _console.print(f"下一步 next: planwatch assess {path} --year {year}；planwatch status {path} --year {year}")
