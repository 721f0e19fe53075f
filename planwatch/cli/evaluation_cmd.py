"""`planwatch evaluation …`: lead units' self-evaluations of the qualitative targets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import errors as _errors
from planwatch.cli.console import fail as _fail
from planwatch.cli.console import labelled
from planwatch.cli.main import commands
from planwatch.cli.output_format import Format, finish_import, print_json
from planwatch.cli.private_output import make_private, private_outputs
from planwatch.cli.workspace_arg import WorkspaceArg

evaluation_app = typer.Typer(
    name="evaluation", no_args_is_help=True,
    help="定性目标自评：模板、导入、查看 self-evaluations of qualitative targets.",
)
commands.add_typer(evaluation_app, name="evaluation")


CycleHelp = "评估周期：年份（2023）、midterm（中期）、final（终期）"


@evaluation_app.command("template")
def template_command(
    workspace: WorkspaceArg,
    cycle: Annotated[str, typer.Option("--cycle", help=CycleHelp)],
    unit: Annotated[str | None, typer.Option("--unit", help="牵头单位 lead unit")] = None,
    area: Annotated[str | None, typer.Option("--area", help="地区代码或名称")] = None,
    all_units: Annotated[bool, typer.Option("--all-units", help="所有牵头定性目标的单位")] = False,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹")] = Path("."),
) -> None:
    """生成定性目标自评表（Excel）write each lead unit's self-evaluation workbook."""

    def written(w: api.WrittenWorkbook) -> None:
        make_private(w.path)
        _console.print(f"{w.path}  （{w.rows} 项定性目标）")

    with private_outputs():
        done = api.write_evaluation_templates(workspace, cycle, output, unit=unit, area=area,
                                              all_units=all_units, on_written=written)
    for u in done.without_targets:
        _errors.print(f"{u.unit}（{u.area_code}）在该周期没有牵头的定性目标，未生成", style="yellow")
    for t in done.unled:
        _errors.print(labelled("无牵头单位，无法自评 no lead unit:", "yellow",
                               f" {t.area_code} 《{t.plan}》{t.label} {t.text[:30]}"))
    if not done.written:
        raise _fail("没有生成任何自评表 no workbook written")


@evaluation_app.command("import")
def import_command(
    workspace: WorkspaceArg,
    files: Annotated[list[Path], typer.Argument(help="填好的自评表（.xlsx）")],
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = "table",
    actor: Annotated[str, typer.Option("--actor", help="操作人 who (audit log)")] = "planwatch",
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="只校验并报告，不写入任何内容 check and report, store nothing")] = False,
    partial: Annotated[bool, typer.Option(
        "--partial", help="有文件被拒绝时仍写入通过校验的文件（默认整批不写入）store the valid files anyway")] = False,
) -> None:
    """导入自评表并校验：先检查全部文件，有文件被拒绝时整批不写入（除非 --partial）；全部接收时退出码为 0."""
    result = api.import_evaluations(workspace, files, actor=actor, dry_run=dry_run, partial=partial)
    finish_import(
        result, format, lambda f: f"：新录入 {f.entered} 项，替换 {f.replaced} 项，未变 {f.unchanged} 项"
    )


@evaluation_app.command("list")
def list_command(
    workspace: WorkspaceArg,
    cycle: Annotated[str | None, typer.Option("--cycle", help=CycleHelp)] = None,
    area: Annotated[str | None, typer.Option("--area", help="地区代码或名称")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="牵头单位")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = "table",
) -> None:
    """列出已录入的定性目标自评 list stored self-evaluations."""
    infos = api.list_evaluations(workspace, cycle=cycle, area=area, unit=unit)
    if format == "json":
        print_json([i.to_dict() for i in infos])
        return
    table = Table(title=f"定性目标自评 self-evaluations（{len(infos)} 项）")
    for col in ("地区", "周期", "牵头单位", "领域", "目标", "自评", "依据", "录入人", "录入时间"):
        table.add_column(col, overflow="fold")
    for i in infos:
        table.add_row(i.area_code, i.cycle, i.unit, i.domain, f"({i.number}) {i.target}",
                      i.rating, i.evidence, i.entered_by, i.entered_at.strftime("%Y-%m-%d %H:%M"),
                      style={"完成": "green", "基本完成": "yellow", "未完成": "red"}[i.rating])
    _console.print(table)
