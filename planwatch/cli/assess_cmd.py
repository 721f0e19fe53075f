"""``planwatch assess``: every target judged as of a year, with the summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from planwatch import api
from planwatch.cli.console import fail, labelled, plain_console
from planwatch.cli.main import commands
from planwatch.cli.private_output import private_outputs

Method = Literal["default", "un", "opensdg"]
assert set(get_args(Method)) == set(api.METHODS)

RESULT_HEADERS: list[tuple[str, str]] = [
    ("area_code", "地区"),
    ("indicator_name", "指标"),
    ("breakdown", "分组"),
    ("latest_year", "最新年份"),
    ("latest_value", "最新值"),
    ("baseline_value", "基期值"),
    ("target", "目标"),
    ("target_year", "目标年"),
    ("gap", "差距"),
    ("projection", "预测值"),
    ("status", "状态"),
    ("warnings", "预警"),
    ("reason", "说明"),
]

_STATUS_STYLE = {
    "已实现": "green",
    "基本实现": "green",
    "预计可实现": "cyan",
    "预计达标困难": "yellow",
    "逆向变化": "red",
    "数据不足": "dim",
}


def assessment_console() -> Console:
    """Where the assessment's tables go: the terminal, or 200 columns when piped, so that a
    file or a pager gets whole rows rather than Rich's 80-column guess."""
    console = plain_console()
    return console if console.is_terminal else plain_console(width=200)


def _num(x: Any) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return ""
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def _summary_table(
    title: str, frame: Any, keys: list[str], labels: dict[str, str], names: dict[str, str] | None = None
) -> Table:
    """One summary frame as a table; ``names`` prints area codes as area names."""
    table = Table(title=title, title_justify="left")
    cols = [*keys, "n", "achieved", "basically_achieved", "on_track", "at_risk", "regressing",
            "insufficient", "monitorable", "attainment_rate"]
    if "qual_n" in frame.columns:
        cols += ["qual_n", "qual_done", "qual_basic", "qual_not_done"]
    for c in cols:
        table.add_column(labels.get(c, c), justify="left" if c in keys else "right")
    for row in frame.iter_rows(named=True):
        cells = []
        for c in cols:
            v = row.get(c)
            if names is not None and c == "area_code":
                v = names.get(v, v)
            if c == "attainment_rate":
                cells.append("" if v is None else f"{v:.1%}")
            else:
                cells.append(_num(v) if not isinstance(v, str) else v)
        table.add_row(*cells)
    return table


def _print_tables(assessment: api.Assessment, console: Console) -> None:
    run = assessment.run
    names = assessment.area_names
    labels = assessment.summary_labels
    console.print(labelled(f"{run.year}年度目标评估", "bold",
                           f"  方法 method: {assessment.method_label}（{run.method}）"))
    table = Table(show_lines=False)
    widths = {"indicator_name": 14, "reason": 40, "warnings": 8, "area_code": 6}
    for key, header in RESULT_HEADERS:
        table.add_column(header, overflow="fold", min_width=widths.get(key),
                         no_wrap=key in ("status", "latest_year", "target_year"))
    for row in run.result.iter_rows(named=True):
        style = _STATUS_STYLE.get(row["status"], "")
        cells = {
            "area_code": names.get(row["area_code"], row["area_code"]),
            "indicator_name": row["indicator_name"],
            "breakdown": "" if row["breakdown"] == "total" else row["breakdown"],
            "latest_year": _num(row["latest_year"]),
            "latest_value": _num(row["latest_value"]),
            "baseline_value": _num(row["baseline_value"]),
            "target": api.Assessment.target_text(row),
            "target_year": _num(row["target_year"]),
            "gap": _num(row["gap"]),
            "projection": _num(row["projection"]),
            "status": Text(row["status"], style=style),
            "warnings": "、".join(row["warnings"]),
            "reason": row["reason"],
        }
        table.add_row(*(cells[k] for k, _ in RESULT_HEADERS))
    console.print(table)
    console.print(_summary_table("总体 overall", run.overall, [], labels))
    console.print(_summary_table("分规划、分领域 by plan and domain", run.by_domain, ["plan", "domain"], labels))
    console.print(_summary_table("分地区 by area", run.by_area, ["area_code"], labels, names))
    console.print(_summary_table("分牵头单位 by lead unit", run.by_lead_unit, ["lead_unit"], labels))
    if not run.warnings.is_empty():
        w = Table(title="预警（按牵头单位）warnings by lead unit", title_justify="left")
        for h in ("牵头单位", "地区", "指标", "预警", "说明"):
            w.add_column(h, overflow="fold")
        for row in run.warnings.iter_rows(named=True):
            w.add_row(row["lead_unit"], names.get(row["area_code"], row["area_code"]),
                      row["indicator_name"], row["warning"], row["note"])
        console.print(w)
    if not run.comparison.is_empty():
        console.print(_comparison_table(assessment))
    for parent, r in run.rollups.items():
        t = Table(title=f"{names.get(parent, parent)} 汇总（分子、分母相加）roll-up", title_justify="left")
        for h in ("指标", "分组", "年份", "值", "分子", "分母"):
            t.add_column(h, justify="right" if h in ("值", "分子", "分母") else "left")
        for row in r.observations.iter_rows(named=True):
            t.add_row(row["indicator_code"], row["breakdown"], str(row["year"]), _num(row["value"]),
                      _num(row["numerator"]), _num(row["denominator"]))
        console.print(t)
        children = [names.get(c, c) for c, p in run.inputs.parents.items() if p == parent]
        console.print(f"汇总范围：工作区中的下级地区 {'、'.join(children)}（不含工作区之外的下级地区）",
                      style="dim")
        for row in r.problems.iter_rows(named=True):
            console.print(f"未汇总 {row['indicator_code']} {row['breakdown']} {row['year']}：{row['problem']}",
                          style="yellow")
    if not run.inputs.conflicts.is_empty():
        console.print(
            f"注意：{run.inputs.conflicts.height} 个数值由不同单位报送且不一致，未参与评估"
            "（用 --format json 查看 conflicts）", style="yellow"
        )
    thresholds = "；".join(f"{name}={value}" for name, value, _ in assessment.thresholds())
    console.print(f"阈值 thresholds: {thresholds}", style="dim")


def _comparison_table(assessment: api.Assessment) -> Table:
    names = assessment.area_names
    cmp = assessment.run.comparison
    areas = [c.split(":")[0] for c in cmp.columns if c.endswith(":status")]
    t = Table(title="地区比较（共有指标）comparison across areas", title_justify="left")
    t.add_column("指标", overflow="fold")
    for a in areas:
        t.add_column(f"{names.get(a, a)} 最新值", justify="right")
        t.add_column(f"{names.get(a, a)} 状态")
    for row in cmp.iter_rows(named=True):
        cells = [row["indicator_name"]]
        for a in areas:
            cells += [_num(row[f"{a}:latest"]), row[f"{a}:status"] or ""]
        t.add_row(*cells)
    return t


@commands.command("assess")
def assess_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="评估年度 as-of year")],
    area: Annotated[
        list[str] | None, typer.Option("--area", help="地区代码或名称，可重复 area code or name")
    ] = None,
    method: Annotated[Method, typer.Option("--method", help="评估方法 method")] = "default",
    output_format: Annotated[api.AssessFormat, typer.Option("--format", help="输出格式")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件 write to")] = None,
    rollup: Annotated[
        list[str] | None,
        typer.Option("--rollup", help="按分子分母汇总下级地区到该上级地区 roll up to this parent"),
    ] = None,
) -> None:
    """评估每个目标的实现情况并给出预警 assess every target as of a year."""
    try:
        run = api.assess_workspace(workspace, year, areas=area, method=method, rollup=rollup or ())
    except ValueError as exc:  # a planwatch error is caught by the root command, this is the rest
        raise fail(str(exc)) from None
    if output_format == "json":
        text = json.dumps(run.to_dict(), ensure_ascii=False, indent=2, default=str)
        _emit(text, output)
    elif output_format == "csv":
        _emit(run.to_csv(), output)
    elif output is not None:
        with private_outputs(output), output.open("w", encoding="utf-8") as fh:
            _print_tables(run, plain_console(file=fh, width=200))
    else:
        _print_tables(run, assessment_console())


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        print(text)
    else:
        with private_outputs(output):
            output.write_text(text, encoding="utf-8")
