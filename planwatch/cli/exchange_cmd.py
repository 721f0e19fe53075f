"""Exchange commands: ``export`` (SDMX, CSV, Excel), ``pull`` (a city's districts), ``pulled``,
``citywide`` (the city assessed from its districts' figures).

``planwatch import`` takes SDMX-CSV too (recognised by its header); it lives with the other
collection commands in ``collect_cmd``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal, get_args

import typer
from rich.table import Table
from rich.text import Text

from planwatch import api
from planwatch.cli.assess_cmd import Method, assessment_console
from planwatch.cli.assess_cmd import _print_tables as print_assessment
from planwatch.cli.console import console as _console
from planwatch.cli.console import labelled
from planwatch.cli.main import commands
from planwatch.cli.output_format import Format, print_json, problems_table
from planwatch.cli.private_output import private_outputs
from planwatch.cli.workspace_arg import WorkspaceArg

ExportKind = Literal["sdmx", "sdmx-ml", "csv", "xlsx", "structure", "structure-json"]
assert set(get_args(ExportKind)) == {*api.EXPORT_FORMATS, "structure", "structure-json"}

YearsOpt = Annotated[list[int] | None, typer.Option("--year", min=1900, max=2200, help="年度，可重复 year(s)")]
AreasOpt = Annotated[list[str] | None, typer.Option("--area", help="地区代码或名称，可重复 area(s)")]


@commands.command("export")
def export_command(
    kind: Annotated[ExportKind, typer.Argument(
        help="sdmx（SDMX-CSV 2.0）、sdmx-ml（SDMX-ML 3.0 数据）、csv、xlsx；"
             "structure / structure-json：数据结构（DSD 与代码表）")],
    workspace: WorkspaceArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件 output file")],
    year: YearsOpt = None,
    area: AreasOpt = None,
    approved_only: Annotated[bool, typer.Option(
        "--approved-only/--all-states",
        help="只导出已审定数据（默认）；--all-states 导出各单位最新版本（任何状态）")] = True,
) -> None:
    """导出数据供其他系统使用（SDMX、CSV、Excel）export figures for other systems."""
    if kind in ("structure", "structure-json"):
        with private_outputs(output):
            done = api.export_structure(workspace, output, format="sdmx-ml" if kind == "structure" else "sdmx-json")
        _console.print(f"已导出数据结构 structure written: {done.path}")
        return
    with private_outputs(output):
        result = api.export_data(workspace, output, format=kind, years=year, areas=area,
                                 approved_only=approved_only)
    years = f"{result.years[0]}–{result.years[-1]}" if result.years else "—"
    _console.print(f"已导出 exported: {result.path}（{result.observations} 行，地区 {'、'.join(result.areas)}，"
                   f"年度 {years}）")
    for line in result.skipped:
        _console.print(Text(f"未导出 skipped: {line}", style="yellow"))


@commands.command("pull")
def pull_command(
    workspace: WorkspaceArg,
    district: Annotated[list[str] | None, typer.Option(
        "--workspace", help="下级工作区文件夹或数据库 URL，可重复 district workspace (folder or URL)")] = None,
    sdmx: Annotated[list[Path] | None, typer.Option(
        "--sdmx", help="下级报来的 SDMX-CSV 文件，可重复 SDMX-CSV file from a district")] = None,
    area: AreasOpt = None,
    actor: Annotated[str, typer.Option("--actor", help="操作人 who (audit log)")] = "planwatch",
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = "table",
) -> None:
    """汇入下级已审定数据（校验同导入，全部通过才写入，保留来源）pull districts' approved figures."""
    result = api.pull_figures(workspace, workspaces=district or [], sdmx_files=sdmx or [], areas=area, actor=actor)
    if format == "json":
        print_json(result.to_dict())
        raise typer.Exit(code=0 if result.accepted else 1)
    for f in result.files:
        where = f"{f.source} {f.area_code} {f.unit or ''} {f.year}"
        if not f.accepted:
            verdict = Text("已拒绝 rejected", style="red")
        elif f.unchanged:
            verdict = Text("未变化 unchanged（已汇入同一版本）")
        elif result.stored:
            verdict = labelled("已汇入 pulled", "green", f"，第 {f.revision} 版，{f.observations} 个数值（已审定）")
        else:
            verdict = Text("校验通过，未写入 held", style="yellow")
        _console.print(Text(where + ": "), verdict)
        if f.report.problems:
            _console.print(problems_table(f.report))
    if not result.files:
        _console.print("来源中没有已审定数据 nothing to pull", style="yellow")
    elif not result.stored:
        _console.print("有数据未通过校验，未写入任何内容 nothing stored", style="red")
    raise typer.Exit(code=0 if result.accepted else 1)


@commands.command("pulled")
def pulled_command(
    workspace: WorkspaceArg,
    area: Annotated[str | None, typer.Option("--area", help="地区代码 area code")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = "table",
) -> None:
    """汇入数据的来源 where each pulled submission came from."""
    rows = api.pulled_figures(workspace, area=area)
    if format == "json":
        print_json([r.to_dict() for r in rows])
        return
    table = Table(title="汇入数据来源 provenance of pulled figures")
    for col in ("填报编号", "地区", "单位", "年度", "版本", "来源", "来源填报", "来源版本", "汇入时间", "操作人"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.submission_id), r.area_code, Text(r.unit), str(r.year), str(r.revision),
                      Text(f"{r.source_kind}: {r.source}"), str(r.source_submission_id or ""),
                      str(r.source_revision or ""), r.pulled_at.strftime("%Y-%m-%d %H:%M"), Text(r.pulled_by))
    _console.print(table)


@commands.command("citywide")
def citywide_command(
    workspace: WorkspaceArg,
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="评估年度 as-of year")],
    city: Annotated[str, typer.Option("--city", help="上级地区代码 the parent area's code")],
    district: Annotated[list[str] | None, typer.Option(
        "--district", help="组成上级的下级地区代码，可重复（默认：工作区中的下级地区）child area codes")] = None,
    method: Annotated[Method, typer.Option("--method", help="评估方法 method")] = "default",
    output_format: Annotated[api.AssessFormat, typer.Option("--format", help="输出格式")] = "table",
) -> None:
    """由下级数据按分子分母汇总并评估上级目标 roll up the districts and assess the city."""
    run = api.assess_city(workspace, year, city, children=district, method=method)
    if output_format == "json":
        print(json.dumps(run.to_dict(), ensure_ascii=False, indent=2, default=str))
    elif output_format == "csv":
        print(run.to_csv())
    else:
        print_assessment(run, assessment_console())
