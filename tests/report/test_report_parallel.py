"""Reports on several processes write what one process writes, and each chart is drawn once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from functools import partial
from pathlib import Path

import docx
import pytest

from planwatch.report import charts
from planwatch.report.builders import build_annual
from planwatch.report.data import ReportData
from planwatch.report.docx_writer import write_docx
from planwatch.report.kinds import Job, plan_jobs, run_jobs
from planwatch.report.model import Chart, Document, Series
from planwatch.report.output import write_document
from planwatch.report.parallel import JobsOptionError, check_jobs, default_jobs, task_of


def _content(path: Path) -> dict[str, bytes]:
    """Zip containers compared part by part (an xlsx's entry dates are the time of saving)."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()}
    return {"": path.read_bytes()}


def _jobs(data: ReportData) -> list[Job]:
    job_list = plan_jobs(data, ["annual", "warnings", "units"])
    women = job_list[0]
    area = data.area_codes()[0]
    # One job only this process can run (a lambda cannot be sent to a worker), and one
    # that writes the same files as the first: in one process the later one is left.
    local = Job("annual", "local", lambda: build_annual(data, women.plan, area), women.plan)
    return [*job_list, local, women]


def test_processes_write_the_same_files_as_one_process(
    report_data: ReportData, tmp_path: Path
) -> None:
    data = dataclasses.replace(report_data, date=dt.date(2025, 3, 1))  # workers date as asked
    job_list = _jobs(data)
    assert task_of(0, job_list[0].build, data, ["docx"]) is not None
    assert task_of(0, job_list[-2].build, data, ["docx"]) is None
    formats = ["docx", "html"]  # xlsx: openpyxl stamps the time of saving into it
    charts.clear_cache()
    one = run_jobs(data, job_list, tmp_path / "one", formats, jobs=1)
    done: list[str] = []
    charts.clear_cache()
    many = run_jobs(data, job_list, tmp_path / "many", formats, jobs=3,
                    on_done=lambda job, paths: done.append(job.label))
    assert [p.relative_to(tmp_path / "one") for p in one] == [
        p.relative_to(tmp_path / "many") for p in many]
    assert sorted(done) == sorted(j.label for j in job_list)
    assert len(one) == len(job_list) * len(formats)
    for a, b in zip(one, many, strict=True):
        assert _content(a) == _content(b), b.name
        if b.suffix == ".docx":
            assert docx.Document(str(b)).core_properties.created.date() == data.date, b.name
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(
        p.name for p in (tmp_path / "many").iterdir())


def _chart(title: str = "孕产妇死亡率（2020—2023年）") -> Chart:
    return Chart(title, [2020, 2021, 2022, 2023],
                 [Series("市中区", [12.0, 11.0, None, 9.5])], unit="/10万", target=10.0)


def test_a_repeated_chart_is_drawn_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    drawn: list[tuple[str, str]] = []
    real = charts._draw

    def counting(chart: Chart, fmt: str) -> bytes:
        drawn.append((chart.title, fmt))
        return real(chart, fmt)  # type: ignore[arg-type]

    monkeypatch.setattr(charts, "_draw", counting)
    charts.clear_cache()
    doc = Document(kind="annual", title="测试报告")
    section = doc.section("图表")
    # Equal charts built apart (two sections of one report, or two reports) are one chart.
    section.add(_chart())
    section.add(_chart())
    section.add(_chart("另一张图"))
    write_document(doc, tmp_path, ["docx", "html"])
    write_docx(doc, tmp_path / "again.docx")
    assert sorted(drawn) == [("另一张图", "png"), ("孕产妇死亡率（2020—2023年）", "png")]


def test_workers_share_drawn_charts_through_a_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    drawn: list[str] = []
    real = charts._draw
    monkeypatch.setattr(charts, "_draw",
                        lambda chart, fmt: drawn.append(fmt) or real(chart, fmt))
    charts.use_shared_cache(tmp_path)
    try:
        charts.clear_cache()
        first = charts.png(_chart())
        charts.clear_cache()  # as a second worker, whose own cache is empty
        assert charts.png(_chart()) == first
    finally:
        charts.use_shared_cache(None)
    assert drawn == ["png"]
    assert [p.suffix for p in tmp_path.iterdir()] == [".png"]


def test_jobs_option(report_data: ReportData, tmp_path: Path) -> None:
    assert check_jobs(None) == default_jobs() >= 1
    assert check_jobs(3) == 3
    with pytest.raises(JobsOptionError):
        run_jobs(report_data, plan_jobs(report_data, ["annual"]), tmp_path, ["docx"], jobs=0)
    assert list(tmp_path.iterdir()) == []


def test_build_of_a_partial_travels_without_the_data(report_data: ReportData) -> None:
    job = plan_jobs(report_data, ["annual"])[0]
    assert isinstance(job.build, partial)
    task = task_of(7, job.build, report_data, ["docx"])
    assert task is not None
    assert task.index == 7 and report_data not in task.args
    assert task.builder(report_data, *task.args, **task.keywords).title == job.build().title
