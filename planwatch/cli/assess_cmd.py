"""``planwatch assess``: every target judged as of a year, with the summaries."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from planwatch.assess import METHODS, ConfigError, FrameError
from planwatch.assess.run import WorkspaceAssessment, assess_workspace
from planwatch.assess.status import METHOD_LABELS
from planwatch.assess.summary import SUMMARY_LABELS
from planwatch.cli.main import app
from planwatch.store.workspace import WorkspaceError

_errors = Console(stderr=True)


class Method(StrEnum):
    default = "default"
    un = "un"
    opensdg = "opensdg"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


assert {m.value for m in Method} == set(METHODS)

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
_CMP = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈", "maintain": "保持"}


def _num(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def _target_text(row: dict[str, Any]) -> str:
    if row["kind"] == "directional":
        return {"increase": "逐步提高", "decrease": "逐步下降", "maintain": "保持稳定",
                "eliminate": "基本消除"}.get(row["direction"] or "", "")
    return f"{_CMP.get(row['comparator'], '')}{_num(row['target_value'])}{row['unit']}"


def _flat(result: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with "；" so that CSV readers get one cell per value."""
    return result.with_columns(
        pl.col("warnings").list.join("；"),
        pl.col("hold_violations").cast(pl.List(pl.String)).list.join("；"),
        pl.col("outlier_years").cast(pl.List(pl.String)).list.join("；"),
    )


def _summary_table(title: str, frame: pl.DataFrame, keys: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    cols = [*keys, "n", "achieved", "basically_achieved", "on_track", "at_risk", "regressing",
            "insufficient", "monitorable", "attainment_rate"]
    if "qual_n" in frame.columns:
        cols += ["qual_n", "qual_done", "qual_basic", "qual_not_done"]
    for c in cols:
        table.add_column(SUMMARY_LABELS.get(c, c), justify="left" if c in keys else "right")
    for row in frame.iter_rows(named=True):
        cells = []
        for c in cols:
            v = row.get(c)
            if c == "attainment_rate":
                cells.append("" if v is None else f"{v:.1%}")
            else:
                cells.append(_num(v) if not isinstance(v, str) else v)
        table.add_row(*cells)
    return table


def _print_tables(run: WorkspaceAssessment, console: Console) -> None:
    names = run.inputs.areas
    console.print(
        f"[bold]{run.year}年度目标评估[/]  方法 method: {METHOD_LABELS[run.method]}"
        f"（{run.method}）"
    )
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
            "target": _target_text(row),
            "target_year": _num(row["target_year"]),
            "gap": _num(row["gap"]),
            "projection": _num(row["projection"]),
            "status": f"[{style}]{row['status']}[/]" if style else row["status"],
            "warnings": "、".join(row["warnings"]),
            "reason": row["reason"],
        }
        table.add_row(*(cells[k] for k, _ in RESULT_HEADERS))
    console.print(table)
    console.print(_summary_table("总体 overall", run.overall, []))
    console.print(_summary_table("分规划、分领域 by plan and domain", run.by_domain, ["plan", "domain"]))
    by_area = run.by_area.with_columns(
        pl.col("area_code").replace_strict(names, default=pl.col("area_code"))
    )
    console.print(_summary_table("分地区 by area", by_area, ["area_code"]))
    console.print(_summary_table("分牵头单位 by lead unit", run.by_lead_unit, ["lead_unit"]))
    if not run.warnings.is_empty():
        w = Table(title="预警（按牵头单位）warnings by lead unit", title_justify="left")
        for h in ("牵头单位", "地区", "指标", "预警", "说明"):
            w.add_column(h, overflow="fold")
        for row in run.warnings.iter_rows(named=True):
            w.add_row(row["lead_unit"], names.get(row["area_code"], row["area_code"]),
                      row["indicator_name"], row["warning"], row["note"])
        console.print(w)
    if not run.comparison.is_empty():
        console.print(_comparison_table(run))
    for parent, r in run.rollups.items():
        t = Table(title=f"{names.get(parent, parent)} 汇总（分子、分母相加）roll-up", title_justify="left")
        for h in ("指标", "分组", "年份", "值", "分子", "分母"):
            t.add_column(h, justify="right" if h in ("值", "分子", "分母") else "left")
        for row in r.observations.iter_rows(named=True):
            t.add_row(row["indicator_code"], row["breakdown"], str(row["year"]), _num(row["value"]),
                      _num(row["numerator"]), _num(row["denominator"]))
        console.print(t)
        children = [names.get(c, c) for c, p in run.inputs.parents.items() if p == parent]
        console.print(f"[dim]汇总范围：工作区中的下级地区 {'、'.join(children)}"
                      "（不含工作区之外的下级地区）[/]")
        for row in r.problems.iter_rows(named=True):
            console.print(f"[yellow]未汇总 {row['indicator_code']} {row['breakdown']} "
                          f"{row['year']}：{row['problem']}[/]")
    if not run.inputs.conflicts.is_empty():
        console.print(
            f"[yellow]注意：{run.inputs.conflicts.height} 个数值由不同单位报送且不一致，未参与评估"
            "（用 --format json 查看 conflicts）[/]"
        )
    thresholds = "；".join(f"{name}={value}" for name, value, _ in run.config.describe())
    console.print(f"[dim]阈值 thresholds: {thresholds}[/]")


def _comparison_table(run: WorkspaceAssessment) -> Table:
    names = run.inputs.areas
    cmp = run.comparison
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


def _json_payload(run: WorkspaceAssessment) -> dict[str, Any]:
    def rows(df: pl.DataFrame) -> list[dict[str, Any]]:
        return df.to_dicts()

    return {
        "year": run.year,
        "method": run.method,
        "method_label": METHOD_LABELS[run.method],
        "thresholds": [{"name": n, "value": v, "why": w} for n, v, w in run.config.describe()],
        "results": rows(run.result),
        "summaries": {
            "overall": rows(run.overall),
            "by_plan_domain": rows(run.by_domain),
            "by_plan": rows(run.by_plan),
            "by_area": rows(run.by_area),
            "by_lead_unit": rows(run.by_lead_unit),
        },
        "warnings": rows(run.warnings),
        "comparison": rows(run.comparison),
        "conflicts": rows(run.inputs.conflicts),
        "rollups": {
            parent: {"observations": rows(r.observations), "problems": rows(r.problems)}
            for parent, r in run.rollups.items()
        },
        "areas": run.inputs.areas,
    }


@app.command("assess")
def assess_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    year: Annotated[int, typer.Option("--year", help="评估年度 as-of year")],
    area: Annotated[
        list[str] | None, typer.Option("--area", help="地区代码或名称，可重复 area code or name")
    ] = None,
    method: Annotated[Method, typer.Option("--method", help="评估方法 method")] = Method.default,
    output_format: Annotated[Format, typer.Option("--format", help="输出格式")] = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入文件 write to")] = None,
    rollup: Annotated[
        list[str] | None,
        typer.Option("--rollup", help="按分子分母汇总下级地区到该上级地区 roll up to this parent"),
    ] = None,
) -> None:
    """评估每个目标的实现情况并给出预警 assess every target as of a year."""
    try:
        run = assess_workspace(workspace, year, areas=area, method=method.value,
                               rollup_parents=rollup or ())
    except (WorkspaceError, ConfigError, FrameError, ValueError) as exc:
        _errors.print(f"[bold red]错误 error:[/] {exc}", highlight=False)
        raise typer.Exit(code=1) from None
    if output_format is Format.json:
        text = json.dumps(_json_payload(run), ensure_ascii=False, indent=2, default=str)
        _emit(text, output)
    elif output_format is Format.csv:
        text = _flat(run.result).write_csv()
        _emit(text, output)
    elif output is not None:
        with output.open("w", encoding="utf-8") as fh:
            _print_tables(run, Console(file=fh, width=200))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=200)
        _print_tables(run, console)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        print(text)
    else:
        output.write_text(text, encoding="utf-8")
