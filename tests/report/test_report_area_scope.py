"""A one-area document is built from its area's rows only (``ReportData.for_area``): it must
be the document the whole province's data gives."""

from __future__ import annotations

import pytest

from planwatch.demo import DemoSummary
from planwatch.report.data import ReportData
from planwatch.report.kinds import jobs
from planwatch.report.workspace_data import load_report_data
from planwatch.store.workspace import open_workspace

ONE_AREA_KINDS = ("annual", "midterm", "final", "compendium", "units")


@pytest.fixture(scope="module")
def demo_data(demo: DemoSummary) -> ReportData:
    with open_workspace(demo.path) as ws:
        return load_report_data(ws, 2024)


def test_scoped_data_holds_only_the_areas_rows(demo_data: ReportData) -> None:
    codes = demo_data.area_codes()
    assert len(codes) == 2
    for code in codes:
        scoped = demo_data.for_area(code)
        assert scoped is demo_data.for_area(code)  # made once per area
        for frame in (scoped.result, scoped.observations, scoped.self_evaluations, scoped.late,
                      scoped.pending, scoped.reporters):
            assert set(frame.get_column("area_code").to_list()) <= {code}
        assert scoped.result.height == demo_data.result.filter(
            demo_data.result["area_code"] == code).height > 0
        own = set(scoped.result.get_column("target_id").to_list())
        assert set(scoped.target_units.get_column("target_id").to_list()) <= own
        assert scoped.areas == demo_data.areas


@pytest.mark.parametrize("kind", ONE_AREA_KINDS)
def test_documents_from_scoped_data_equal_those_from_all_areas(
        demo_data: ReportData, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scoped = [job.build() for job in jobs(demo_data, kind, preview=True)]
    assert len(scoped) >= 2
    monkeypatch.setattr(ReportData, "for_area", lambda self, area_code: self)
    whole = [job.build() for job in jobs(demo_data, kind, preview=True)]
    assert scoped == whole
