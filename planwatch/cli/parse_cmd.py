"""`planwatch parse` and `planwatch schema`: the plan reader from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import errors as _errors
from planwatch.cli.console import plain_console
from planwatch.cli.main import commands
from planwatch.cli.private_output import private_outputs
from planwatch.errors import PlanwatchError

SUBJECT_CN = api.SUBJECT_LABELS

OutputFormat = api.CatalogueFormat


def catalogue_json(parsed: api.ParsedPlans) -> str:
    return json.dumps(parsed.to_dict(), ensure_ascii=False, indent=2)


def catalogue_table(parsed: api.ParsedPlans, console: Console) -> None:
    catalogue = parsed.catalogue
    for plan, quality in zip(catalogue.plans, parsed.qualities(), strict=True):
        period = f"{plan.period.start}—{plan.period.end}" if plan.period else "—"
        table = Table(
            title=f"{plan.title}（{plan.doc_number or '无文号'}，{plan.region or '地区未知'}，"
            f"{SUBJECT_CN[plan.subject]}，{period}）",
            title_justify="left",
        )
        for header in ("发展领域", "主要目标", "量化目标", "方向性目标", "策略措施", "措施量化目标"):
            table.add_column(header, justify="left" if header == "发展领域" else "right")
        totals = [0, 0, 0, 0, 0]
        for domain in plan.domains:
            row = [
                len(domain.targets),
                sum(len(t.indicators) for t in domain.targets),
                sum(len(t.directions) for t in domain.targets),
                len(domain.measures),
                sum(len(m.indicators) for m in domain.measures),
            ]
            totals = [a + b for a, b in zip(totals, row, strict=True)]
            table.add_row(domain.name, *map(str, row))
        table.add_row("合计", *map(str, totals), style="bold")
        console.print(table)
        if quality.notes:
            console.print("请核对 / check by hand：", style="yellow")
            for note in quality.notes:
                console.print(f"  · {note}", markup=False)
            for place in quality.quantities_not_understood[:10]:
                console.print(f"    未读懂的数值 {place}", markup=False)
    console.print(f"共 {len(catalogue.plans)} 个规划/文件，{catalogue.target_count()} 条主要目标。")
    if catalogue.warnings:
        warnings = Table(title=f"警告（{len(catalogue.warnings)}）", title_justify="left")
        warnings.add_column("文件")
        warnings.add_column("行", justify="right")
        warnings.add_column("说明")
        for w in catalogue.warnings:
            warnings.add_row(w.file, str(w.line or ""), w.message)
        console.print(warnings)


@commands.command("parse")
def parse(
    files: Annotated[list[Path], typer.Argument(help="规划文件（.txt .md .docx .pdf）")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="输出格式")
    ] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件")] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="与标准答案（gold YAML）比对并打分 / score against a gold file")
    ] = None,
) -> None:
    """读取规划文件，输出指标目录。Read plan documents and print the catalogue."""
    parsed = api.parse_plans(files)
    missing = parsed.missing
    if check is not None:
        try:
            result = api.score_plans(parsed, check)
        except PlanwatchError as exc:
            if exc.code != "plan.gold":
                raise
            _errors.print(str(exc), style="red")
            raise typer.Exit(code=2) from exc
        print_score(result, _console, title=f"与 {check.name} 比对")
        raise typer.Exit(code=1 if missing else 0)
    _write(parsed, output_format, output)
    if missing:
        raise typer.Exit(code=1)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def print_score(result: Any, console: Console, title: str) -> None:
    """The three figures of issue 13 with their counts, then what did not match."""
    table = Table(title=title, title_justify="left")
    for header in ("项目", "正确", "总数", "比例"):
        table.add_column(header, justify="left" if header == "项目" else "right")
    figures = result.figures()
    table.add_row(
        "主要目标（编号与领域）", str(result.targets_found), str(result.targets), _percent(figures["targets"])
    )
    table.add_row(
        "牵头/责任单位（原文印有）", str(result.units_exact), str(result.units), _percent(figures["units"])
    )
    table.add_row(
        "量化目标（比较符、数值、计量单位）",
        str(result.indicators_right),
        str(result.indicators),
        _percent(figures["indicators"]),
    )
    table.add_row("多读出的目标", str(result.extra_targets), "", "")
    if result.indicators_eq_for_ge:
        table.add_row("其中仅因“达到”读作 = 而不符", str(result.indicators_eq_for_ge), "", "")
    console.print(table)
    for miss in result.misses:
        console.print(f"  · {miss}", markup=False)


def _write(parsed: api.ParsedPlans, output_format: OutputFormat, output: Path | None) -> None:
    if output_format == "table":
        recorder = plain_console(record=output is not None)
        catalogue_table(parsed, recorder)
        if output is not None:
            with private_outputs(output):
                output.write_text(recorder.export_text(), encoding="utf-8")
        return
    if output_format == "json":
        text = catalogue_json(parsed)
    else:
        import yaml  # only this output needs it; every other command starts without it

        text = yaml.safe_dump(parsed.to_dict(), allow_unicode=True, sort_keys=False)
    if output is None:
        typer.echo(text)
    else:
        with private_outputs(output):
            output.write_text(text, encoding="utf-8")
        _errors.print(f"已写入 {output}")


@commands.command("schema")
def schema(
    name: Annotated[str, typer.Argument(help="catalogue")] = "catalogue",
) -> None:
    """输出 JSON Schema。Print the JSON Schema of an output format."""
    if name not in api.SCHEMAS:
        raise typer.BadParameter(f"未知的 schema：{name}（可选：{', '.join(api.SCHEMAS)}）")
    typer.echo(json.dumps(api.json_schema(name), ensure_ascii=False, indent=2))
