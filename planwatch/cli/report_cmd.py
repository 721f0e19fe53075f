"""`planwatch report KIND WORKSPACE --year …`: write the monitoring reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planwatch.assess.config import ConfigError
from planwatch.cli.console import console as _console
from planwatch.cli.console import errors as _errors
from planwatch.cli.console import fail as _fail
from planwatch.cli.main import app
from planwatch.report.data import ReportData, ReportDataError
from planwatch.report.fonts import MissingFontError
from planwatch.report.kinds import (
    KINDS,
    Job,
    ReportKindError,
    check_kind,
    final_due,
    plan_jobs,
    run_jobs,
)
from planwatch.report.load import load_report_data
from planwatch.report.output import FormatError, parse_formats
from planwatch.report.pdf_writer import PdfUnavailableError
from planwatch.store.workspace import WorkspaceError, open_workspace

JOBS_HELP = "并行进程数（默认：本机可用的CPU核数；1 为单进程）worker processes (default: all cores)"


def run_with_progress(
    data: ReportData, job_list: list[Job], output: Path, formats: list[str] | None,
    jobs: int | None = None,
) -> list[Path]:
    """Write the jobs with a progress bar on ``jobs`` processes (None: every core);
    Ctrl-C stops cleanly between files. Returns the files in job order."""
    written: list[Path] = []
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=_errors,
    )
    task = progress.add_task("生成报告 writing reports", total=len(job_list), current="")

    def done(job: Job, paths: list[Path]) -> None:
        written.extend(paths)
        progress.update(task, advance=1, current=job.label)

    try:
        with progress:
            result = run_jobs(data, job_list, output, formats, on_done=done, jobs=jobs)
    except KeyboardInterrupt:
        _errors.print(
            f"[yellow]已中断 interrupted[/]：已写完的 {len(written)} 个文件保留，"
            "正在写的文件未留下半成品 (no partial file left)."
        )
        raise typer.Exit(code=130) from None
    except (ReportKindError, MissingFontError, PdfUnavailableError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    return result


@app.command("report")
def report(
    kind: Annotated[str, typer.Argument(
        help="报告类型 kind: " + ", ".join(f"{k}（{v}）" for k, v in KINDS.items()) + ", all")],
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    year: Annotated[int, typer.Option("--year", help="监测年度 report year")],
    plan: Annotated[list[str] | None, typer.Option(
        "--plan", help="只生成标题含此文字的规划（可重复）plan title contains")] = None,
    area: Annotated[list[str] | None, typer.Option(
        "--area", help="地区代码或名称（可重复）area code or name")] = None,
    formats: Annotated[str | None, typer.Option(
        "--format", help="docx,pdf,html,xlsx（默认按报告类型 default per kind）")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹 output folder")] = Path(
        "reports"),
    method: Annotated[str, typer.Option("--method", help="评估方法 default / un / opensdg")] = (
        "default"),
    preview: Annotated[bool, typer.Option(
        "--preview", help="终期评估预览稿（目标年份前试算）final evaluation before the target year")
    ] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help=JOBS_HELP)] = None,
) -> None:
    """生成报告。Write annual / midterm / final reports, warnings, compendium, unit matrix."""
    try:
        kinds = list(KINDS) if kind == "all" else [check_kind(k.strip()) for k in kind.split(",")]
        chosen = parse_formats(formats) if formats else None
    except (ReportKindError, FormatError) as exc:
        raise _fail(str(exc)) from exc
    try:
        with open_workspace(workspace) as ws:
            data = load_report_data(ws, year, method=method, areas=area)
        if kind == "all" and not preview and not final_due(data):
            kinds.remove("final")  # before the target year `all` writes no final evaluation
        job_list = plan_jobs(data, kinds, plan, area, preview)
    except (WorkspaceError, ConfigError, ReportDataError, ValueError) as exc:
        raise _fail(str(exc)) from exc

    written = run_with_progress(data, job_list, output, chosen, jobs)
    _console.print(f"已生成 {len(written)} 个文件 written to [bold]{output}[/]:", highlight=False)
    for path in written:
        _console.print(f"  {path}", highlight=False)
