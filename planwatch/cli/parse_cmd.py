"""`planwatch parse` and `planwatch schema`: the plan reader from the command line."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from planwatch.cli.main import app
from planwatch.plan.gold import GoldError, Score, load_gold, score
from planwatch.plan.model import Catalogue
from planwatch.plan.quality import ParseOutput, plan_quality
from planwatch.plan.reader import read_files

SUBJECT_CN = {"women": "妇女", "children": "儿童", "other": "其他"}


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


def catalogue_document(catalogue: Catalogue) -> dict[str, object]:
    """The catalogue with, beside it, the quality summary of each plan (same order)."""
    document: dict[str, object] = ParseOutput.of(catalogue).model_dump(mode="json")
    return document


def catalogue_json(catalogue: Catalogue) -> str:
    return json.dumps(catalogue_document(catalogue), ensure_ascii=False, indent=2)


def catalogue_table(catalogue: Catalogue, console: Console) -> None:
    for plan in catalogue.plans:
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
        quality = plan_quality(plan)
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


@app.command("parse")
def parse(
    files: Annotated[list[Path], typer.Argument(help="规划文件（.txt .md .docx .pdf）")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="输出格式")
    ] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件")] = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="与标准答案（gold YAML）比对并打分 / score against a gold file")
    ] = None,
) -> None:
    """读取规划文件，输出指标目录。Read plan documents and print the catalogue."""
    catalogue = read_files(files)
    # A file the reader could not open at all is the one warning without a line number.
    unread = {w.file for w in catalogue.warnings if w.line is None}
    missing = [f for f in files if not f.is_file() or str(f) in unread]
    if check is not None:
        try:
            gold = load_gold(check)
        except GoldError as exc:
            Console(stderr=True).print(f"[red]{exc}[/red]")
            raise typer.Exit(code=2) from exc
        print_score(score(catalogue, gold), Console(), title=f"与 {check.name} 比对")
        raise typer.Exit(code=1 if missing else 0)
    _write(catalogue, output_format, output)
    if missing:
        raise typer.Exit(code=1)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def print_score(result: Score, console: Console, title: str) -> None:
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


def _write(catalogue: Catalogue, output_format: OutputFormat, output: Path | None) -> None:
    if output_format is OutputFormat.table:
        console = Console(record=output is not None)
        catalogue_table(catalogue, console)
        if output is not None:
            output.write_text(console.export_text(), encoding="utf-8")
        return
    if output_format is OutputFormat.json:
        text = catalogue_json(catalogue)
    else:
        text = yaml.safe_dump(catalogue_document(catalogue), allow_unicode=True, sort_keys=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        Console(stderr=True).print(f"已写入 {output}")


@app.command("schema")
def schema(
    name: Annotated[str, typer.Argument(help="catalogue")] = "catalogue",
) -> None:
    """输出 JSON Schema。Print the JSON Schema of an output format."""
    schemas = {"catalogue": ParseOutput}
    if name not in schemas:
        raise typer.BadParameter(f"未知的 schema：{name}（可选：{', '.join(schemas)}）")
    typer.echo(
        json.dumps(schemas[name].model_json_schema(), ensure_ascii=False, indent=2)
    )
