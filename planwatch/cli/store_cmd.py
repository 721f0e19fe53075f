"""`planwatch init`, `upgrade` and `catalogue export/import`: the workspace from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import fail as _fail
from planwatch.cli.console import labelled
from planwatch.cli.database_arg import DatabaseUrlFileOpt, DatabaseUrlOpt
from planwatch.cli.database_arg import database_url as resolve_database_url
from planwatch.cli.main import commands
from planwatch.cli.output_format import Format, print_json
from planwatch.cli.private_output import private_outputs

catalogue_app = typer.Typer(
    name="catalogue", help="指标目录的导出与导入（YAML）export / import the catalogue as YAML.",
    no_args_is_help=True,
)  # fmt: skip
commands.add_typer(catalogue_app, name="catalogue")




@commands.command("init")
def init_command(
    workspace: Annotated[Path, typer.Argument(help="新工作区文件夹 new workspace folder")],
    plan: Annotated[list[Path], typer.Option("--plan", "-p", help="规划文件（可多次）plan file(s)")],
    database_url: DatabaseUrlOpt = None,
    database_url_file: DatabaseUrlFileOpt = None,
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            help="规划所属地区（代码或名称，如 370406、枣庄市山亭区），用于未写明或写得不唯一的规划 "
            "area of plans that name none",
        ),
    ] = None,
    include_other: Annotated[
        bool,
        typer.Option(
            "--include-other",
            help="也载入公报中非妇女儿童规划的文件（意见、工作要点等）load documents of subject other too",
        ),
    ] = False,
) -> None:
    """从规划文件创建工作区并载入指标目录 create a workspace and load the catalogue."""
    url = resolve_database_url(database_url, database_url_file)
    summary = api.create_workspace(
        workspace, plan, database_url=url, actor=actor, area=area, include_other=include_other
    )
    table = Table(title=f"工作区 workspace: {summary.path}", title_justify="left")
    table.add_column("项目 item")
    table.add_column("数量 count", justify="right")
    for label, value in (
        ("规划 plans", summary.plans),
        ("主要目标 targets", summary.targets),
        ("策略措施 measures", summary.measures),
        ("目标值 target values", summary.target_values),
        ("指标 indicators", summary.indicators),
        ("单位 units", summary.units),
    ):
        table.add_row(label, str(value))
    _console.print(table)
    _console.print(f"数据库 database: {summary.database}")
    _print_series_links(summary.series_links)
    for warning in summary.warnings:
        _console.print(labelled("提示 warning:", "yellow", f" {warning}"))
    _print_skipped_other(summary.skipped_other)


@commands.command("upgrade")
def upgrade_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
) -> None:
    """升级工作区数据库到本程序的版本（部署步骤，建议先备份）migrate the database to this planwatch."""
    done = api.upgrade_workspace(workspace, actor=actor)
    if done.changed:
        _console.print(f"已升级 upgraded: 数据库版本 {done.before} → {done.after}（{workspace}）")
    else:
        _console.print(f"已是最新版本 already current: {done.after}（{workspace}）")


def _print_skipped_other(titles: list[str]) -> None:
    """Say which gazette documents were left out of the monitoring, and how to include them."""
    if not titles:
        return
    _console.print(labelled(
        "未载入 skipped:", "yellow",
        f" 以下 {len(titles)} 个文件不是妇女、儿童发展规划，不纳入监测；"
        "如要作为规划载入，请加 --include-other (documents of subject other are not loaded):",
    ))
    for title in titles:
        _console.print(f"  《{title}》")


def _print_series_links(series_links: list[str]) -> None:
    """The indicators init linked to another's series, so nobody is surprised by one row."""
    if not series_links:
        return
    _console.print(
        f"共用数据序列 shared series（{len(series_links)}，同名同口径，只采集一次；"
        "查看与修改：planwatch catalogue links / 目录 YAML 的 same_as）：",
    )
    for link in series_links:
        _console.print(f"  {link}")


@catalogue_app.command("export")
def export_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出 YAML 文件 output file")],
) -> None:
    """导出指标目录为 YAML export the catalogue for editing."""
    text = api.export_catalogue(workspace)
    with private_outputs(output):
        output.write_text(text, encoding="utf-8")
    _console.print(f"已导出 exported: {output}")


@catalogue_app.command("import")
def import_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    file: Annotated[Path, typer.Argument(help="编辑过的 YAML 文件 edited YAML file")],
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
) -> None:
    """导入编辑后的指标目录（全部生效或全部不生效）apply an edited catalogue, all or nothing."""
    if not file.is_file():
        raise _fail(f"找不到文件 file not found: {file}")
    text = file.read_bytes()  # UTF-8 or GB18030, decided by the loader
    changes = api.import_catalogue(workspace, text, actor=actor, source=str(file)).changes
    if not changes:
        _console.print("没有变化 no changes.")
        return
    table = Table(title=f"已应用 {len(changes)} 处修改 changes applied", title_justify="left")
    table.add_column("位置 path")
    table.add_column("原值 old")
    table.add_column("新值 new")
    for change in changes:
        table.add_row(change.path, repr(change.old), repr(change.new))
    _console.print(table)


@catalogue_app.command("links")
def links_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    output: Annotated[Format, typer.Option("--format", "-f", help="table 或 json")] = "table",
) -> None:
    """列出共用一个数据序列的指标 list indicators that share one series (same_as)."""
    links = api.catalogue_links(workspace)
    if output == "json":
        print_json([link.to_dict() for link in links])
        return
    if not links:
        _console.print("没有共用数据序列的指标 no shared series.")
        return
    table = Table(title="共用数据序列 shared series（数据按序列代码采集、保存一次，用于每个目标）",
                  title_justify="left", show_lines=True)
    for col in ("序列", "指标", "名称", "单位/方向", "目标 targets"):
        table.add_column(col, overflow="fold")
    for link in links:
        for i, member in enumerate([link.series, *link.members]):
            table.add_row(link.series.code if i == 0 else "", member.code, member.name,
                          f"{member.unit or '—'} {member.better}", "\n".join(member.targets) or "—")
    _console.print(table)
