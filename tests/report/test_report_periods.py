"""Mid-term and final evaluations are written only for plans that span several years."""

from __future__ import annotations

import polars as pl

from planwatch.report.data import OBSERVATIONS_REQUIRED, PLANS_COLUMNS, RESULT_REQUIRED, ReportData


def _data(rows: list[tuple[object, ...]]) -> ReportData:
    plans = pl.DataFrame(rows, schema=PLANS_COLUMNS, orient="row")
    result = pl.DataFrame(
        schema={c: pl.List(pl.String) if c == "warnings" else pl.String for c in RESULT_REQUIRED}
    )
    observations = pl.DataFrame({c: [] for c in OBSERVATIONS_REQUIRED})
    return ReportData(year=2023, result=result, observations=observations, plans=plans)


def test_five_year_plan_is_multi_year() -> None:
    data = _data([("妇女发展规划", "370103", "women", "区政府", "x", 2021, 2025)])
    assert data.is_multi_year("妇女发展规划")


def test_one_year_work_plan_is_not() -> None:
    data = _data([("2022年政务公开工作要点", "370406", "other", "区政府办公室", "y", 2022, 2022)])
    assert not data.is_multi_year("2022年政务公开工作要点")


def test_unknown_plan_is_not_hidden() -> None:
    assert _data([]).is_multi_year("手工数据中的规划")
