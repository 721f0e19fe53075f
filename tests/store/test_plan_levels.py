"""Plans of every level initialise: national outline, province, city, county; --area when none is named.

The texts are published ones (tests/fixtures/plans/README.md). The reader is not under test
here: whatever it finds inside, each plan must land in the right area with the right period.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from planwatch.areas import NATIONAL_CODE, get_area
from planwatch.cli.main import app
from planwatch.plan.model import Catalogue, Period, Plan
from planwatch.store import models as db
from planwatch.store.catalogue_loader import LoadError, load_catalogue, plan_period
from planwatch.store.db import make_engine, make_sessionmaker

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plans"
runner = CliRunner()


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("中国妇女发展纲要（2021—2030年）", (2021, 2030)),
        ("潮州市妇女发展规划(2021-2030年)", (2021, 2030)),
        ("鹤岗市妇女发展规划(2021－2025年)", (2021, 2025)),
        ("某县儿童发展规划（2021年—2030年）", (2021, 2030)),
        ("湖塘镇妇女发展规划2023~2025年", (2023, 2025)),
        ("丽水市妇女发展规划(2001-2005)", (2001, 2005)),
        ("济南市市中区“十四五”妇女发展规划", (2021, 2025)),
    ],
)
def test_plan_period_from_the_title(title: str, period: tuple[int, int]) -> None:
    assert plan_period(Plan(title=title, subject="women")) == period


@pytest.mark.parametrize(
    "title", ["妇女儿童工作要点", "某市妇女发展规划(2030—2021年)", "2021年工作总结", "电话 2021-2030 转"]
)
def test_plan_period_refuses_what_is_no_cycle(title: str) -> None:
    with pytest.raises(LoadError, match="没有规划期"):
        plan_period(Plan(title=title, subject="women"))


def test_period_read_by_the_reader_wins() -> None:
    plan = Plan(title="某市妇女发展规划(2021—2030年)", subject="women", period=Period(start=2022, end=2030))
    assert plan_period(plan) == (2022, 2030)


# Titles and issuers as published (sources in tests/fixtures/plans/README.md).
LEVELS = [
    ("中国妇女发展纲要（2021—2030年）", "国务院", NATIONAL_CODE, "country", (2021, 2030)),
    ("中国儿童发展纲要（2021—2030年）", "国务院", NATIONAL_CODE, "country", (2021, 2030)),
    ("青海省妇女发展规划(2021—2030年)", None, "630000", "province", (2021, 2030)),
    ("潮州市妇女发展规划(2021-2030年)", "潮州市人民政府", "445100", "city", (2021, 2030)),
    ("丽水市妇女发展规划(2001-2005)", "丽水市人民政府", "331100", "city", (2001, 2005)),
    ("长春市九台区儿童发展规划(2021-2030年)", "长春市九台区人民政府", "220113", "county", (2021, 2030)),
]


def test_every_level_loads_into_its_area(session: Session) -> None:
    plans = [
        Plan(title=title, issuer=issuer, subject="children" if "儿童" in title else "women")
        for title, issuer, *_ in LEVELS
    ]
    load_catalogue(session, Catalogue(plans=plans))
    session.commit()
    loaded = {p.title: p for p in session.scalars(select(db.Plan))}
    for title, _, code, level, period in LEVELS:
        plan = loaded[title]
        assert (plan.area_code, plan.period_start, plan.period_end) == (code, *period), title
        assert session.get(db.Area, code).level == level  # type: ignore[union-attr]
    # the two outlines share the one national area
    assert session.scalars(select(db.Area).where(db.Area.level == "country")).all()[0].code == NATIONAL_CODE


def test_load_with_given_area(session: Session) -> None:
    plan = Plan(title="中國婦女發展綱要（2021—2030年）", subject="women")
    with pytest.raises(LoadError) as info:
        load_catalogue(session, Catalogue(plans=[plan]))
    assert "--area" in str(info.value)
    session.rollback()
    load_catalogue(session, Catalogue(plans=[plan]), area=get_area(NATIONAL_CODE))
    assert session.scalars(select(db.Plan.area_code)).one() == NATIONAL_CODE


def _init(ws: Path, db_url: str, plan: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["init", str(ws), "--plan", str(plan), "--database-url", db_url, *extra])
    return result.exit_code, result.output


def _plans(db_url: str) -> list[tuple[str, str, int, int]]:
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(db.Plan.area_code, db.Area.level, db.Plan.period_start, db.Plan.period_end)
                .join(db.Area, db.Area.code == db.Plan.area_code)
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (PLANS / "national-children-2021-2030.txt", (NATIONAL_CODE, "country", 2021, 2030)),
        (PLANS / "province-beijing-women-children-14th.txt", ("110000", "province", 2021, 2025)),
        (PLANS / "county-daxing-women-14th.txt", ("110115", "county", 2021, 2025)),
        (PLANS / "county-jiutai-children-2021-2030.txt", ("220113", "county", 2021, 2030)),
        (PLANS / "county-zhuji-women-14th.txt", ("330681", "county", 2021, 2025)),
        (EXAMPLES / "jinan-shizhong-2022-7.txt", ("370103", "county", 2021, 2025)),
    ],
)
def test_init_places_published_plans(tmp_path: Path, db_url: str, fixture: Path, expected: tuple) -> None:
    code, output = _init(tmp_path / "ws", db_url, fixture)
    assert code == 0, output
    assert set(_plans(db_url)) == {expected}


NO_REGION = """妇女发展规划（2021—2030年）

一、发展领域、主要目标和策略措施
（一）妇女与健康。
主要目标：
1.孕产妇死亡率控制在10/10万以下。
2.妇女常见病筛查率达到80%以上。
"""


@pytest.mark.parametrize(("area", "expected"), [("全国", NATIONAL_CODE), ("370406", "370406")])
def test_init_asks_for_area_when_the_plan_names_none(tmp_path: Path, db_url: str, area: str, expected: str) -> None:
    # An excerpt without its title block (issuer, region) is what a user often has.
    outline = tmp_path / "excerpt.txt"
    outline.write_text(NO_REGION, encoding="utf-8")
    ws = tmp_path / "ws"
    code, output = _init(ws, db_url, outline)
    assert code == 1
    assert "请用 --area 指定地区代码或名称" in output
    assert not ws.exists()
    code, output = _init(ws, db_url, outline, "--area", area)
    assert code == 0, output
    assert {row[0] for row in _plans(db_url)} == {expected}


def test_traditional_outline_is_placed_without_area(tmp_path: Path, db_url: str) -> None:
    # The Wikisource copy is in traditional characters; the reader converts it (國務院 → 全国).
    code, output = _init(tmp_path / "ws", db_url, PLANS / "national-women-2021-2030-zh-hant.txt")
    assert code == 0, output
    assert set(_plans(db_url)) == {(NATIONAL_CODE, "country", 2021, 2030)}


def test_init_refuses_an_area_that_contradicts_the_plan(tmp_path: Path, db_url: str) -> None:
    ws = tmp_path / "ws"
    code, output = _init(ws, db_url, EXAMPLES / "jinan-shizhong-2022-7.txt", "--area", "370402")
    assert code == 1
    assert "370103" in output and "不一致" in output
    assert not ws.exists()


def test_init_refuses_an_unknown_area(tmp_path: Path, db_url: str) -> None:
    code, output = _init(tmp_path / "ws", db_url, EXAMPLES / "jinan-shizhong-2022-7.txt", "--area", "火星")
    assert code == 1 and "未知的地区名称" in output
