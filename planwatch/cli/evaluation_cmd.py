"""`planwatch evaluation …`: lead units' self-evaluations of the qualitative targets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planwatch.cli.console import console as _console
from planwatch.cli.console import errors as _errors
from planwatch.cli.console import fail as _fail
from planwatch.cli.main import app
from planwatch.cli.output_format import Format, finish_import, print_json
from planwatch.cli.workspace_arg import WorkspaceArg
from planwatch.cli.workspace_arg import open_or_fail as _open
from planwatch.collect.selfeval.cycles import CycleError, check_cycle
from planwatch.collect.selfeval.importer import import_evaluations
from planwatch.collect.selfeval.listing import list_self_evaluations
from planwatch.collect.selfeval.targets import (
    lead_units,
    unled_qualitative_targets,
)
from planwatch.collect.selfeval.template import (
    evaluation_filename,
    evaluation_spec,
    write_evaluation_template,
)
from planwatch.collect.units import UnitLookupError, find_unit, resolve_area

evaluation_app = typer.Typer(
    name="evaluation", no_args_is_help=True,
    help="定性目标自评：模板、导入、查看 self-evaluations of qualitative targets.",
)
app.add_typer(evaluation_app, name="evaluation")


CycleHelp = "评估周期：年份（2023）、midterm（中期）、final（终期）"


def _cycle(value: str) -> str:
    try:
        return check_cycle(value)
    except CycleError as exc:
        raise _fail(str(exc)) from None


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
    if (unit is None) == (not all_units):
        raise _fail("请给出 --unit 或 --all-units 之一 give --unit or --all-units")
    chosen = _cycle(cycle)
    output.mkdir(parents=True, exist_ok=True)
    with _open(workspace) as ws, ws.sessions() as s:
        try:
            area_obj = resolve_area(s, area)
            units = [find_unit(s, unit, area)] if unit else lead_units(
                s, area_obj.code if area_obj else None)
        except UnitLookupError as exc:
            raise _fail(str(exc)) from None
        written = 0
        for u in units:
            spec = evaluation_spec(s, u, chosen)
            if not spec.rows:
                _errors.print(f"[yellow]{u.name}（{u.area_code}）在该周期没有牵头的定性目标，未生成[/]",
                              highlight=False)
                continue
            path = write_evaluation_template(spec, output / evaluation_filename(spec))
            written += 1
            _console.print(f"{path}  （{len(spec.rows)} 项定性目标）", highlight=False)
        unled = unled_qualitative_targets(s, area_obj.code if area_obj else None)
    for t in unled:
        _errors.print(f"[yellow]无牵头单位，无法自评 no lead unit:[/] {t.area_code} 《{t.plan}》"
                      f"{t.label} {t.text[:30]}", highlight=False)
    if not written:
        raise _fail("没有生成任何自评表 no workbook written")


@evaluation_app.command("import")
def import_command(
    workspace: WorkspaceArg,
    files: Annotated[list[Path], typer.Argument(help="填好的自评表（.xlsx）")],
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.table,
    actor: Annotated[str, typer.Option("--actor", help="操作人 who (audit log)")] = "planwatch",
) -> None:
    """导入自评表并校验；全部接收时退出码为 0 exit 0 when every file is accepted."""
    with _open(workspace) as ws:
        result = import_evaluations(ws, files, actor)
    finish_import(
        result, format, lambda f: f"：新录入 {f.entered} 项，替换 {f.replaced} 项，未变 {f.unchanged} 项"
    )


@evaluation_app.command("list")
def list_command(
    workspace: WorkspaceArg,
    cycle: Annotated[str | None, typer.Option("--cycle", help=CycleHelp)] = None,
    area: Annotated[str | None, typer.Option("--area", help="地区代码或名称")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="牵头单位")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.table,
) -> None:
    """列出已录入的定性目标自评 list stored self-evaluations."""
    chosen = _cycle(cycle) if cycle is not None else None
    with _open(workspace) as ws, ws.sessions() as s:
        try:
            infos = list_self_evaluations(s, cycle=chosen, area=area, unit=unit)
        except UnitLookupError as exc:
            raise _fail(str(exc)) from None
    if format is Format.json:
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
