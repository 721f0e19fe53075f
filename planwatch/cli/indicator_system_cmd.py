"""``planwatch catalogue match``: the bureau's 监测指标体系 against the plan's catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from planwatch import api
from planwatch.cli.console import console, fail, labelled
from planwatch.cli.store_cmd import catalogue_app

MONITORING_LABELS = api.MONITORING_LABELS


@catalogue_app.command("match")
def match_command(
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    table: Annotated[Path, typer.Argument(help="监测指标体系表 indicator system table (.xlsx / .csv)")],
    sheet: Annotated[str | None, typer.Option(help="工作表名称（默认：第一个含表头的工作表）sheet")] = None,
    area: Annotated[str | None, typer.Option(help="地区代码或名称（工作区有多个地区时必填）area")] = None,
    plan: Annotated[
        str | None, typer.Option(help="规划：women/children（妇女/儿童）或标题的一部分；默认该地区全部规划")
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="按表设置监测方式、口径和计量单位（全部生效或全部不生效，记入审计日志）")
    ] = False,
    output_format: Annotated[str, typer.Option("--format", help="table 或 json")] = "table",
    actor: Annotated[str, typer.Option(help="操作人 who is doing this (audit log)")] = "planwatch",
) -> None:
    """将统计部门的监测指标体系与规划目录对照（可应用）match the official indicator system to the plan."""
    if output_format not in ("table", "json"):
        raise fail(f"--format 应为 table 或 json，实为 {output_format!r}")
    matched = api.match_indicator_system(workspace, table, sheet=sheet, area=area, plan=plan, apply=apply,
                                         actor=actor)
    if output_format == "json":
        console.print_json(json.dumps(matched.to_dict(), ensure_ascii=False))
    else:
        _print(matched.report, apply)


def _line(where: str) -> str:
    """第 12 行 of a row's place: the file and sheet are printed once above the tables."""
    found = re.search(r"第 \d+ 行$", where)
    return found.group() if found else where


def _print(report: Any, applied: bool) -> None:
    t = report.table
    console.print(f"监测指标体系 {t.source}" + (f" 工作表“{t.sheet}”" if t.sheet else "")
                  + f"，表头在第 {t.header_row} 行，{len(t.rows)} 个指标行")  # fmt: skip
    matched = Table(title=f"对应 matched（{len(report.matched)}）", title_justify="left")
    for col in ("行 row", "表中指标 table", "规划中 plan", "依据 rule", "监测方式 mode"):
        matched.add_column(col)
    for m in report.matched:
        mode = MONITORING_LABELS.get(m.row.mode or "", "（空）")
        matched.add_row(_line(m.row.where), m.row.name, m.item.label, m.rule, mode)
    console.print(matched)
    only_table = Table(title=f"仅在指标体系中 only in the table（{len(report.only_in_table)}）", title_justify="left")
    for col in ("行 row", "领域 domain", "指标 indicator", "监测方式 mode"):
        only_table.add_column(col)
    for r in report.only_in_table:
        only_table.add_row(_line(r.where), r.domain, r.name, MONITORING_LABELS.get(r.mode or "", "（空）"))
    console.print(only_table)
    console.print(f"仅在规划中 only in the plan（{len(report.only_in_plan)}）：")
    for item in report.only_in_plan:
        console.print(f"  {item.label}")
    for row, candidates in report.ambiguous:
        console.print(labelled("无法确定 ambiguous:", "yellow",
                               f" {row.where}“{row.name}”可能是：" + "、".join(candidates)))
    for row, note in report.duplicates:
        console.print(labelled("重复 duplicate:", "yellow", f" {row.where}“{row.name}”{note}"))
    for note in report.notes:
        console.print(labelled("说明 note:", "yellow", f" {note}"))
    if applied:
        done = f"已应用 {len(report.changes)} 处修改 changes applied:"
        console.print(done if report.changes else "没有变化 no changes.")
        for c in report.changes:
            console.print(f"  {c.what}：{c.old!r} → {c.new!r}")
    else:
        console.print("（未修改；加 --apply 按表设置监测方式、口径和计量单位）(nothing changed; add --apply)")
