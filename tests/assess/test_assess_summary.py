"""Summaries, roll-up, frames and configuration of the assessment."""

from __future__ import annotations

import random
from typing import Any

import polars as pl
import pytest

from planwatch.assess import AssessConfig, ConfigError, FrameError, assess, targets_frame
from planwatch.assess import status as st
from planwatch.assess.frames import TOTAL, observations_frame
from planwatch.assess.rollup import roll_up
from planwatch.assess.summary import (
    STATUS_KEYS,
    attainment,
    compare_areas,
    status_attainment,
    warnings_by_lead_unit,
)


def _target(code: str, area: str, value: float, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "indicator_code": code, "area_code": area, "kind": "quantitative", "comparator": ">=",
        "target_value": value, "target_year": 2025, "unit": "%", "lead_unit": "区卫生健康局",
        "plan": "妇女发展规划", "domain": "妇女与健康", "indicator_name": f"指标{code}",
    }
    row.update(kw)
    return row


def _obs(code: str, area: str, series: dict[int, float], breakdown: str = "total",
         **kw: Any) -> list[dict[str, Any]]:
    return [
        {"indicator_code": code, "area_code": area, "breakdown": breakdown, "year": y,
         "value": v, **kw}
        for y, v in series.items()
    ]


@pytest.fixture
def result() -> pl.DataFrame:
    rows = (
        _obs("A", "370103", {2020: 80.0, 2023: 90.0})  # 已实现
        + _obs("A", "370103", {2020: 60.0, 2023: 61.0}, breakdown="sex=female")  # not counted
        + _obs("B", "370103", {2020: 80.0, 2023: 86.0})  # 已实现
        + _obs("C", "370103", {2020: 50.0, 2023: 51.0})  # 预计达标困难
        + _obs("A", "370406", {2020: 70.0, 2023: 72.0})  # 预计达标困难
    )
    targets = [
        _target("A", "370103", 85.0),
        _target("B", "370103", 85.0),
        _target("C", "370103", 85.0, lead_unit="区教育和体育局", domain="妇女与教育"),
        _target("D", "370103", 85.0),  # no data → 数据不足
        _target("A", "370406", 85.0),
    ]
    return assess(pl.DataFrame(rows), pl.DataFrame(targets), 2023)


def test_attainment_rate_excludes_insufficient_and_breakdowns(result: pl.DataFrame) -> None:
    overall = attainment(result, by=[])
    row = overall.row(0, named=True)
    # 5 targets on "total": 已实现 A, B; 预计达标困难 C, A@370406; 数据不足 D
    assert row["n"] == 5
    assert row["achieved"] == 2 and row["at_risk"] == 2 and row["insufficient"] == 1
    assert row["monitorable"] == 4
    assert row["attainment_rate"] == pytest.approx(2 / 4)
    by_area = attainment(result, by=["area_code"])
    assert by_area.select("area_code", "n", "achieved", "attainment_rate").rows() == [
        ("370103", 4, 2, pytest.approx(2 / 3)),
        ("370406", 1, 0, 0.0),
    ]
    by_domain = attainment(result, by=["domain"])
    assert by_domain["domain"].to_list() == ["妇女与健康", "妇女与教育"]


def test_self_evaluations_are_counted_separately(result: pl.DataFrame) -> None:
    se = pl.DataFrame(
        {
            "area_code": ["370103", "370103", "370406"],
            "target_text": ["建立健全妇女健康服务体系", "完善机制", "建立机制"],
            "lead_unit": ["区卫生健康局"] * 3,
            "domain": ["妇女与健康"] * 3,
            "year": [2023] * 3,
            "rating": ["完成", "未完成", "基本完成"],
            "evidence": ["文件", "", "记录"],
        }
    )
    by_area = attainment(result, by=["area_code"], self_evaluations=se)
    rows = {r["area_code"]: r for r in by_area.iter_rows(named=True)}
    assert rows["370103"]["qual_n"] == 2 and rows["370103"]["qual_done"] == 1
    assert rows["370103"]["qual_not_done"] == 1
    assert rows["370103"]["attainment_rate"] == pytest.approx(2 / 3)  # unchanged by them
    assert rows["370406"]["qual_basic"] == 1
    bad = se.with_columns(rating=pl.lit("差不多"))
    with pytest.raises(FrameError, match="rating"):
        attainment(result, self_evaluations=bad)


def test_warnings_by_lead_unit_have_notes(result: pl.DataFrame) -> None:
    w = warnings_by_lead_unit(result, 2023)
    assert set(w["lead_unit"]) == {"区卫生健康局", "区教育和体育局"}
    c = w.filter(pl.col("indicator_code") == "C").row(0, named=True)
    assert c["warning"] == "预计达标困难"
    assert c["note"].startswith("仅有2020、2023年两个年份的数据，按其平均每年提高0.33个百分点推算")
    d = w.filter(pl.col("indicator_code") == "D").row(0, named=True)
    assert (d["warning"], d["note"]) == ("数据缺失", "截至2023年没有数据")


def test_compare_areas_on_shared_indicators(result: pl.DataFrame) -> None:
    cmp = compare_areas(result, ["370103", "370406"])
    assert cmp["indicator_code"].to_list() == ["A"]
    row = cmp.row(0, named=True)
    assert row["370103:latest"] == 90.0 and row["370406:latest"] == 72.0
    assert row["370103:status"] == "已实现" and row["370406:status"] == "预计达标困难"


def test_roll_up_uses_numerators_and_denominators() -> None:
    rows = (
        _obs("R", "d1", {2023: 90.0}, numerator=45.0, denominator=50.0)
        + _obs("R", "d2", {2023: 50.0}, numerator=10.0, denominator=20.0)
        + _obs("N", "d1", {2023: 3.0})
        + _obs("N", "d2", {2023: 4.0})
        + _obs("AGE", "d1", {2023: 80.0})
        + _obs("AGE", "d2", {2023: 78.0})
        + _obs("R", "d1", {2022: 88.0}, numerator=44.0, denominator=50.0)  # d2 missing 2022
    )
    out = roll_up(pl.DataFrame(rows), "city", ["d1", "d2"], {"R": "%", "N": "人", "AGE": "岁"})
    got = {(r["indicator_code"], r["year"]): r for r in out.observations.iter_rows(named=True)}
    # (45 + 10) / (50 + 20) × 100 = 78.571 %, not the mean of rates (90 + 50) / 2 = 70 %
    assert got[("R", 2023)]["value"] == pytest.approx(55 / 70 * 100)
    assert got[("R", 2023)]["numerator"] == 55.0
    assert got[("N", 2023)]["value"] == 7.0
    assert ("AGE", 2023) not in got and ("R", 2022) not in got
    problems = {(r["indicator_code"], r["year"]): r["problem"] for r in out.problems.iter_rows(named=True)}
    assert "不可相加" in problems[("AGE", 2023)]
    assert problems[("R", 2022)].startswith("只有1/2个下级地区报送（d1）")
    # A rate without numerators is refused, not averaged
    no_num = _obs("R", "d1", {2023: 90.0}) + _obs("R", "d2", {2023: 50.0})
    out = roll_up(pl.DataFrame(no_num), "city", ["d1", "d2"], {"R": "%"})
    assert out.observations.is_empty()
    assert "分子或分母" in out.problems["problem"][0]
    # The rolled-up figures are assessable like any other
    city = roll_up(pl.DataFrame(rows), "city", ["d1", "d2"], {"R": "%", "N": "人", "AGE": "岁"})
    res = assess(city.observations, pl.DataFrame([_target("R", "city", 75.0)]), 2023)
    assert res["status"].to_list() == ["已实现"]


def test_frames_report_where_the_problem_is() -> None:
    with pytest.raises(FrameError, match=r"缺少列.*value"):
        observations_frame(pl.DataFrame({"indicator_code": ["A"], "area_code": ["x"],
                                         "breakdown": ["total"], "year": [2023]}))
    rows = _obs("A", "x", {2022: 1.0, 2023: 2.0}) + _obs("A", "x", {2023: 3.0})
    with pytest.raises(FrameError, match=r"第1行、第2行.*重复"):
        observations_frame(pl.DataFrame(rows))
    with pytest.raises(FrameError, match=r"第1行.*comparator.*'≥'"):
        targets_frame(pl.DataFrame([_target("A", "x", 1.0), _target("B", "x", 1.0, comparator="≥")]))
    with pytest.raises(FrameError, match="方向性目标，但 direction 为空"):
        targets_frame(pl.DataFrame([_target("A", "x", 1.0, kind="directional", direction=None)]))
    with pytest.raises(FrameError, match="列 year 的类型"):
        observations_frame(pl.DataFrame({"indicator_code": ["A"], "area_code": ["x"],
                                         "breakdown": ["total"], "year": ["二〇二三"],
                                         "value": [1.0]}))


def test_targets_frame_fills_derivable_columns() -> None:
    tg = targets_frame(pl.DataFrame([
        _target("A", "x", 1.0, unit="%"),
        _target("B", "x", 1.0, unit="/10万", comparator="<="),
        _target("C", "x", 1.0, unit="人", comparator="maintain"),
    ]))
    rows = tg.select("better", "must_hold", "lower_limit", "upper_limit", "baseline_year").rows()
    assert rows == [
        ("higher", False, 0.0, 100.0, 2020),
        ("lower", False, 0.0, None, 2020),
        ("hold", True, None, None, 2020),
    ]


def test_config_from_dict() -> None:
    cfg = AssessConfig.from_dict({"basic_tolerance_rel": 0.01, "trend_window_years": 3})
    assert cfg.basic_tolerance_rel == 0.01 and cfg.trend_window_years == 3
    with pytest.raises(ConfigError, match="basic_tolerence"):
        AssessConfig.from_dict({"basic_tolerence": 0.01})
    with pytest.raises(ConfigError, match="整数"):
        AssessConfig.from_dict({"trend_window_years": 2.5})
    with pytest.raises(ConfigError, match="opensdg_low"):
        AssessConfig.from_dict({"opensdg_med": 0.99})
    assert all(why for _, _, why in AssessConfig().describe())


def test_status_attainment_is_the_frame_rule_on_one_group() -> None:
    """The report's quick count and the frame summary give the same counts, monitorable
    and rate, for empty, all-insufficient and mixed groups."""
    rng = random.Random(7)
    groups = [[], [st.INSUFFICIENT] * 3, [st.ACHIEVED], [st.AT_RISK, st.INSUFFICIENT]]
    groups += [[rng.choice(st.STATUSES) for _ in range(rng.randint(1, 40))] for _ in range(30)]
    for statuses in groups:
        frame = pl.DataFrame({"status": statuses, "breakdown": [TOTAL] * len(statuses)},
                             schema={"status": pl.String, "breakdown": pl.String})
        counts, monitorable, rate = status_attainment(statuses)
        row = attainment(frame, by=[], breakdown=None).row(0, named=True)
        assert counts == {s: row[STATUS_KEYS[s]] for s in st.STATUSES}
        assert monitorable == row["monitorable"]
        assert rate == row["attainment_rate"]
