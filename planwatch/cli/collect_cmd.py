"""Collection commands: template, import, submission …, document …, status, demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import fail as _fail
from planwatch.cli.console import labelled
from planwatch.cli.main import commands
from planwatch.cli.output_format import Format, finish_import
from planwatch.cli.output_format import print_json as _json
from planwatch.cli.private_output import make_private, private_outputs
from planwatch.cli.workspace_arg import WorkspaceArg

submission_app = typer.Typer(name="submission", help="填报的查看与审核流程 submissions.",
                             no_args_is_help=True)
document_app = typer.Typer(name="document", help="规划落实情况和下一年工作安排 documents.",
                           no_args_is_help=True)
commands.add_typer(submission_app, name="submission")
commands.add_typer(document_app, name="document")


ActorOpt = Annotated[str, typer.Option("--actor", help="操作人 who (audit log)")]
AreaOpt = Annotated[str | None, typer.Option("--area", help="地区代码或名称 area code or name")]


@commands.command("template")
def template_command(
    workspace: WorkspaceArg,
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="数据年度 year")],
    unit: Annotated[str | None, typer.Option("--unit", help="填报单位 unit")] = None,
    area: AreaOpt = None,
    all_units: Annotated[bool, typer.Option("--all-units", help="所有填报单位")] = False,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹")] = Path("."),
) -> None:
    """生成填报模板（Excel）write each unit's workbook."""

    def written(w: api.WrittenWorkbook) -> None:
        make_private(w.path)
        _console.print(f"{w.path}  （{w.rows} 行）")

    with private_outputs():
        api.write_templates(workspace, year, output, unit=unit, area=area, all_units=all_units,
                            on_written=written)


@commands.command("import")
def import_command(
    workspace: WorkspaceArg,
    files: Annotated[list[Path], typer.Argument(help="填好的模板（.xlsx）、CSV 或 SDMX-CSV（按表头识别）")],
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = "table",
    actor: ActorOpt = "planwatch",
    partial: Annotated[bool, typer.Option(
        "--partial", help="有文件被拒绝时仍写入通过校验的文件（默认整批不写入）store the valid files anyway")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="只校验并报告，不写入任何内容 check and report, store nothing")] = False,
) -> None:
    """导入填报数据并校验：先检查全部文件，有文件被拒绝时整批不写入（除非 --partial）；全部接收时退出码为 0."""
    result = api.import_data(workspace, files, actor=actor, dry_run=dry_run, partial=partial)
    finish_import(result, format, lambda f: f"，第 {f.revision} 版，{f.observations} 个数值")


@submission_app.command("list")
def submission_list(
    workspace: WorkspaceArg,
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2200)] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    area: AreaOpt = None,
    all_revisions: Annotated[bool, typer.Option("--all-revisions", help="显示所有版本")] = False,
    format: Annotated[Format, typer.Option("--format", "-f")] = "table",
) -> None:
    """列出填报（默认每个单位每年的最新版本）."""
    infos = api.list_submissions(workspace, year=year, unit=unit, area=area, all_revisions=all_revisions)
    if format == "json":
        _json([i.to_dict() for i in infos])
        return
    table = Table(title="填报 submissions")
    for col in ("编号", "地区", "单位", "年度", "版本", "状态", "导入人", "报送时间"):
        table.add_column(col)
    for i in infos:
        table.add_row(str(i.id), i.area_code, i.unit, str(i.year), str(i.revision),
                      i.state_label, i.created_by,
                      i.submitted_at.strftime("%Y-%m-%d %H:%M") if i.submitted_at else "")
    _console.print(table)


@submission_app.command("show")
def submission_show(
    workspace: WorkspaceArg,
    submission_id: Annotated[int | None, typer.Argument(help="填报编号")] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2200)] = None,
    area: AreaOpt = None,
    revision: Annotated[int | None, typer.Option("--revision")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = "table",
) -> None:
    """查看一次填报：数值、问题、文档、各版本与操作记录."""
    detail = api.show_submission(workspace, submission_id, unit=unit, year=year, area=area,
                                 revision=revision)
    if format == "json":
        _json(detail.to_dict())
        return
    i = detail.info
    _console.print(Text.assemble((i.unit, "bold"), f" {i.area_code} {i.year} 年 第 {i.revision} 版 · "
                   f"{i.state_label}{'' if i.latest else '（已被新版本取代）'}"))
    if i.comment:
        _console.print(f"意见：{i.comment}")
    table = Table(title="数值 observations")
    for col in ("指标", "名称", "分组", "数值", "分子", "分母", "标记"):
        table.add_column(col)
    for o in detail.observations:
        table.add_row(o["indicator"], o["name"], o["breakdown_label"], f"{o['value']:g}",
                      "" if o["numerator"] is None else f"{o['numerator']:g}",
                      "" if o["denominator"] is None else f"{o['denominator']:g}",
                      "，".join(o["flags"]))
    _console.print(table)
    for p in detail.problems:
        _console.print(labelled(p["code"], "yellow", f" 第{p['row']}行 {p['message']}"))
    for d in detail.documents:
        _console.print(f"文档 #{d['id']} {d['filename']}（{d['characters']} 字）")
    for e in detail.events:
        _console.print(f"{e['at']} {e['actor']} {e['action']} #{e['submission_id']}")


def _move(workspace: Path, submission_id: int, action: str, actor: str,
          comment: str | None) -> None:
    moved = api.move_submission(workspace, submission_id, action, actor=actor, comment=comment)
    _console.print(f"填报 #{submission_id} → {moved.state_label}")


@submission_app.command("submit")
def submission_submit(workspace: WorkspaceArg, submission_id: int, actor: ActorOpt = "planwatch",
                      comment: Annotated[str | None, typer.Option("--comment")] = None) -> None:
    """报送 submit (draft/returned → submitted)."""
    _move(workspace, submission_id, "submit", actor, comment)


@submission_app.command("review")
def submission_review(workspace: WorkspaceArg, submission_id: int, actor: ActorOpt = "区统计局",
                      comment: Annotated[str | None, typer.Option("--comment")] = None) -> None:
    """审核（统计局）review (submitted → reviewed)."""
    _move(workspace, submission_id, "review", actor, comment)


@submission_app.command("approve")
def submission_approve(workspace: WorkspaceArg, submission_id: int,
                       actor: ActorOpt = "区妇儿工委办公室",
                       comment: Annotated[str | None, typer.Option("--comment")] = None) -> None:
    """审定（妇儿工委办公室）approve (reviewed → approved, then locked)."""
    _move(workspace, submission_id, "approve", actor, comment)


@submission_app.command("return")
def submission_return(workspace: WorkspaceArg, submission_id: int,
                      comment: Annotated[str, typer.Option("--comment", help="退回意见（必填）")],
                      actor: ActorOpt = "区统计局") -> None:
    """退回并说明意见 return with a comment."""
    _move(workspace, submission_id, "return", actor, comment)


@submission_app.command("unlock")
def submission_unlock(workspace: WorkspaceArg, submission_id: int,
                      reason: Annotated[str, typer.Option("--reason", help="解锁原因（必填）")],
                      actor: ActorOpt = "区妇儿工委办公室") -> None:
    """解锁已审定的数据以便更正 unlock approved data (approved → returned, logged with the reason)."""
    _move(workspace, submission_id, "unlock", actor, reason)


@document_app.command("add")
def document_add(
    workspace: WorkspaceArg,
    file: Annotated[Path, typer.Argument(help="docx / pdf / txt")],
    unit: Annotated[str, typer.Option("--unit")],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200)],
    area: AreaOpt = None,
    actor: ActorOpt = "planwatch",
) -> None:
    """提交规划落实情况和下一年工作安排 attach a unit's yearly report."""
    doc = api.add_document(workspace, file, unit=unit, year=year, area=area, actor=actor)
    linked = f"，关联填报 #{doc.submission_id}" if doc.submission_id else "（该年度尚无填报）"
    _console.print(f"文档 #{doc.id} 已保存，提取 {doc.characters} 字{linked}")


@document_app.command("search")
def document_search(
    workspace: WorkspaceArg,
    query: Annotated[str, typer.Argument(help="检索词")],
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2200)] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = "table",
) -> None:
    """在各单位报告全文中检索 search the reports' text."""
    hits = api.search_documents(workspace, query, year=year)
    if format == "json":
        _json([h.to_dict() for h in hits])
        return
    table = Table(title=f"检索“{query}”：{len(hits)} 篇")
    for col in ("编号", "地区", "单位", "年度", "文件", "摘录"):
        table.add_column(col)
    for h in hits:
        table.add_row(str(h.id), h.area_code, h.unit, str(h.year), h.filename, h.snippet)
    _console.print(table)


@commands.command("status")
def status_command(
    workspace: WorkspaceArg,
    year: Annotated[int, typer.Option("--year", min=1900, max=2200)],
    area: AreaOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断日期 YYYY-MM-DD（默认今天）")]
    = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = "table",
) -> None:
    """各单位报送完整性与及时性 completeness and timeliness."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise _fail(f"--as-of 应为有效日期 YYYY-MM-DD，实为“{as_of}” (not a date)") from None
    status = api.collection_status(workspace, year, area=area, as_of=day)
    rows = status.rows
    if format == "json":
        _json(status.to_dict())
        return
    table = Table(title=f"{year} 年报送情况（截止 {status.deadline}，按 {day} 判断）")
    for col in ("地区", "单位", "应报", "已报", "完整率", "状态", "及时性", "文档"):
        table.add_column(col)
    for r in rows:
        late = f"（{r.days_late} 天）" if r.days_late else ""
        table.add_row(r.area_code, r.unit, str(len(r.expected)),
                      str(len(r.expected) - len(r.missing)), f"{r.completeness:.0%}",
                      api.STATE_LABELS.get(r.state or "", "未报"),
                      api.TIMELINESS_LABELS[r.timeliness] + late, str(r.documents))
    _console.print(table)
