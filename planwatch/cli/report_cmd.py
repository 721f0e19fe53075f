"""`planwatch report KIND WORKSPACE --year …`: write the monitoring reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from planwatch import api
from planwatch.cli.console import console as _console
from planwatch.cli.console import errors as _errors
from planwatch.cli.console import fail as _fail
from planwatch.cli.console import labelled
from planwatch.cli.main import commands
from planwatch.cli.private_output import make_private, private_outputs

KINDS = api.REPORT_KINDS

DATE_HELP = "落款日期 YYYY-MM-DD（默认今天）report date (default: today)"
JOBS_HELP = "并行进程数（默认：本机可用的CPU核数；1 为单进程）worker processes (default: all cores)"


def run_with_progress(
    plan: api.ReportPlan, output: Path, formats: list[str] | None, jobs: int | None = None
) -> list[Path]:
    """Write the jobs with a progress bar on ``jobs`` processes (None: every core);
    Ctrl-C stops cleanly between files. Returns the files in job order."""
    # Imported here: only a command that writes reports shows a progress bar.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    written: list[Path] = []
    progress = Progress(
        TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("{task.fields[current]}", markup=False), console=_errors,
    )
    task = progress.add_task("生成报告 writing reports", total=len(plan.jobs), current="")

    def done(job: Any, paths: list[Path]) -> None:
        for path in paths:
            make_private(path)
        written.extend(paths)
        progress.update(task, advance=1, current=job.label)

    try:
        with progress, private_outputs():
            result = api.write_reports(plan, output, formats=formats, on_done=done, jobs=jobs)
    except KeyboardInterrupt:
        _errors.print(labelled("已中断 interrupted", "yellow",
                               f"：已写完的 {len(written)} 个文件保留，"
                               "正在写的文件未留下半成品 (no partial file left)."))
        raise typer.Exit(code=130) from None
    except ValueError as exc:  # a planwatch error is caught by the root command, this is the rest
        raise _fail(str(exc)) from exc
    return result.paths


@commands.command("report")
def report(
    kind: Annotated[str, typer.Argument(
        help="报告类型 kind: " + ", ".join(f"{k}（{v}）" for k, v in KINDS.items()) + ", all")],
    workspace: Annotated[Path, typer.Argument(help="工作区文件夹 workspace folder")],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, help="监测年度 report year")],
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
    date: Annotated[str | None, typer.Option("--date", help=DATE_HELP)] = None,
) -> None:
    """生成报告。Write annual / midterm / final reports, warnings, compendium, unit matrix."""
    kinds = api.check_report_kinds(kind)
    chosen = api.check_report_formats(formats)
    dated = api.check_report_date(date)
    try:
        planned = api.plan_reports(workspace, year, kinds, plans=plan, areas=area, method=method,
                                   preview=preview, all_kinds=kind == "all", date=dated)
    except ValueError as exc:  # a planwatch error is caught by the root command, this is the rest
        raise _fail(str(exc)) from exc

    written = run_with_progress(planned, output, chosen, jobs)
    _console.print(Text.assemble(f"已生成 {len(written)} 个文件 written to ", (str(output), "bold"), ":"))
    for path in written:
        _console.print(f"  {path}")
