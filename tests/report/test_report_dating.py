"""The day a report is dated: the one chosen, else today, in every kind and every file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pytest

from planwatch import api
from planwatch.report import dating
from planwatch.report.data import ReportData
from planwatch.report.kinds import KINDS, plan_jobs, run_jobs

DAY = dt.date(2025, 3, 1)


def _move_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Make ``day`` today, for the report's date and for the clock zip entries are dated by."""
    moment = time.mktime(dt.datetime.combine(day, dt.time(15, 42, 7)).timetuple())
    monkeypatch.setattr(dating, "today", lambda: day)
    monkeypatch.setattr(zipfile, "time", SimpleNamespace(time=lambda: moment,
                                                         localtime=time.localtime))


def test_every_kind_is_dated_by_the_one_function(
    report_data: ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    dated = dataclasses.replace(report_data, date=DAY)
    kinds = list(KINDS)
    assert {job.build().date for job in plan_jobs(dated, kinds, preview=True)} == {DAY}
    # Without a date each kind is dated today, as ``dating.today`` says it is.
    other = dt.date(2031, 7, 9)
    monkeypatch.setattr(dating, "today", lambda: other)
    jobs = plan_jobs(report_data, kinds, preview=True)
    assert {j.kind for j in jobs} == set(kinds)
    assert {job.build().date for job in jobs} == {other}


@pytest.mark.parametrize("kind, fmt", [("annual", "docx"), ("compendium", "xlsx")])
def test_a_dated_report_is_the_same_file_on_any_day(
    report_data: ReportData, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str, fmt: str
) -> None:
    dated = dataclasses.replace(report_data, date=DAY)
    written = []
    for n, day in enumerate((dt.date(2025, 2, 10), dt.date(2025, 2, 11))):
        _move_clock(monkeypatch, day)
        written += run_jobs(dated, plan_jobs(dated, [kind])[:1], tmp_path / str(n), [fmt])
    first, second = written
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 3, 1, 9, 0, 0)}
    if fmt == "docx":
        assert docx.Document(str(first)).core_properties.created.date() == DAY
    else:
        properties = openpyxl.load_workbook(first).properties
        assert properties.created == properties.modified == dt.datetime(2025, 3, 1, 9, 0)


@pytest.mark.parametrize("text", ["2025-02-30", "明天", "20250301", "2025-13-01"])
def test_a_day_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(dating.ReportDateError) as raised:
        api.check_report_date(text)
    assert "--date" in str(raised.value) and text in str(raised.value)


def test_a_real_day_is_read() -> None:
    assert api.check_report_date("2025-03-01") == api.check_report_date("2025-3-1") == DAY
    assert api.check_report_date(None) is None
