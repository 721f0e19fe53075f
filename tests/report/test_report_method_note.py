"""The method note of the reports: each status's one definition, the method's departures
from its source, and the thresholds under Chinese names."""

from __future__ import annotations

import polars as pl
from report_support import make_report_data

from planwatch.assess import METHOD_NOTES, STATUS_DEFINITIONS, STATUSES
from planwatch.report.builders.parts import method_section
from planwatch.report.data import ReportData
from planwatch.report.model import Paragraph, Section, Table


def _note(data: ReportData) -> Section:
    section = Section("评估方法说明")
    method_section(section, data)
    return section


def test_method_note_shows_the_status_definitions_and_chinese_thresholds() -> None:
    section = _note(make_report_data())
    tables = {b.caption: b for b in section.blocks if isinstance(b, Table)}
    assert tables["评估状态定义"].rows == [[s, STATUS_DEFINITIONS[s]] for s in STATUSES]
    names = [row[0] for row in tables["评估阈值及依据"].rows]
    assert "基本实现容差（占目标值）" in names
    assert not [n for n in names if isinstance(n, str) and n.isascii()]
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert METHOD_NOTES["default"][0] in texts
    assert not set(METHOD_NOTES["opensdg"]) & set(texts)


def test_method_note_names_the_open_sdg_departures_when_that_method_was_used() -> None:
    data = make_report_data()
    data = ReportData(year=data.year, result=data.result.with_columns(method=pl.lit("opensdg")),
                      observations=data.observations)
    texts = [b.text for b in _note(data).blocks if isinstance(b, Paragraph)]
    for note in METHOD_NOTES["opensdg"]:
        assert note in texts
