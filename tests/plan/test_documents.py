"""Finding the official documents in a file, and the plans inside a document.

The seed gazette holds five documents; each is recognised by its masthead with its issuer,
number, title and date. The metadata expected here was read from the seed text by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from planwatch.plan.documents import (
    inner_title,
    plan_period,
    region_of,
    split_documents,
    split_plans,
)
from planwatch.plan.model import Period
from planwatch.plan.reader import read_text
from planwatch.plan.regions import full_region

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "plans"


def _lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def gazette() -> list[str]:
    return _lines("shanting-gazette-2022-1.md")


@pytest.fixture(scope="module")
def jinan() -> list[str]:
    return _lines("jinan-shizhong-2022-7.txt")


def test_gazette_holds_five_documents(gazette: list[str]) -> None:
    docs = split_documents(gazette)
    assert [(d.issuer, d.doc_number, d.date) for d in docs] == [
        ("山亭区人民政府", "山政发〔2022〕2号", dt.date(2022, 3, 31)),
        ("山亭区人民政府", "山政发〔2022〕3号", dt.date(2022, 4, 16)),
        ("山亭区人民政府", "山政发〔2022〕4号", dt.date(2022, 4, 16)),
        ("山亭区人民政府", "山政发〔2022〕5号", dt.date(2022, 6, 3)),
        ("山亭区人民政府办公室", "山政办发〔2022〕2号", dt.date(2022, 6, 1)),
    ]
    assert [inner_title(d) for d in docs] == [
        "山亭区“十四五”妇女发展规划和山亭区“十四五”儿童发展规划",
        "山亭区产业扶持办法（试行）",
        "山亭区招商引资项目全生命周期服务实施方案",
        "关于加快山亭区金融业高质量发展的意见",
        "2022年山亭区政务公开工作要点",
    ]


def test_cover_and_contents_are_not_a_document(gazette: list[str]) -> None:
    """The table of contents lists all five numbers; none of it becomes a document."""
    first = split_documents(gazette)[0]
    assert gazette[first.start].strip() == "# 山亭区人民政府文件"
    assert first.start > max(i for i, line in enumerate(gazette) if "..... 86" in line)


def test_documents_cover_the_file_after_the_first_masthead(gazette: list[str]) -> None:
    docs = split_documents(gazette)
    assert docs[-1].end == len(gazette)
    assert all(a.end == b.start for a, b in itertools.pairwise(docs))


def test_jinan_notice(jinan: list[str]) -> None:
    (doc,) = split_documents(jinan)
    assert doc.issuer == "济南市市中区人民政府"
    assert doc.doc_number == "市中政发〔2022〕7号"
    assert doc.date == dt.date(2022, 11, 8)
    # The Word export wraps the title over two lines; they are joined again.
    assert doc.title == ("关于印发济南市市中区“十四五”妇女发展规划和济南市市中区“十四五”儿童发展规划的通知")


def test_plans_inside_a_notice(jinan: list[str], gazette: list[str]) -> None:
    (doc,) = split_documents(jinan)
    spans = split_plans(jinan, doc)
    assert [(s.title, s.subject) for s in spans] == [
        ("济南市市中区“十四五”妇女发展规划", "women"),
        ("济南市市中区“十四五”儿童发展规划", "children"),
    ]
    # The notice's own sentence citing both plans (in 《》) is not a plan start.
    assert spans[0].start > doc.title_end
    assert spans[0].end == spans[1].start
    assert spans[1].end == doc.end

    docs = split_documents(gazette)
    assert [s.title for s in split_plans(gazette, docs[0])] == [
        "山亭区“十四五”妇女发展规划",
        "山亭区“十四五”儿童发展规划",
    ]
    assert all(split_plans(gazette, d) == [] for d in docs[1:])


def test_text_without_masthead_is_one_document_without_metadata() -> None:
    lines = ["山亭区“十四五”妇女发展规划", "", "正文。"]
    (doc,) = split_documents(lines)
    assert (doc.start, doc.end, doc.issuer, doc.doc_number, doc.date) == (0, 3, None, None, None)
    assert [s.title for s in split_plans(lines, doc)] == ["山亭区“十四五”妇女发展规划"]


def test_half_width_and_heading_marks_do_not_hide_a_masthead() -> None:
    lines = [
        "# 某某县人民政府文件",
        "",
        "某政发〔2023〕12号",
        "",
        "## 某某县人民政府 关于印发某某县“十四五”儿童发展规划的通知",
        "",
        "某某县人民政府",
        "2023年1月9日",
        "",
        "## 某某县“十四五”儿童发展规划",
        "正文。",
    ]
    (doc,) = split_documents(lines)
    assert doc.issuer == "某某县人民政府"
    assert doc.doc_number == "某政发〔2023〕12号"
    assert doc.title == "关于印发某某县“十四五”儿童发展规划的通知"
    assert doc.date == dt.date(2023, 1, 9)
    assert [(s.title, s.subject) for s in split_plans(lines, doc)] == [("某某县“十四五”儿童发展规划", "children")]


def test_impossible_date_is_left_empty() -> None:
    lines = ["某某县人民政府文件", "某政发〔2023〕1号", "", "关于某事的通知", "", "2023年2月30日"]
    (doc,) = split_documents(lines)
    assert doc.doc_number == "某政发〔2023〕1号"
    assert doc.date is None


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("山亭区“十四五”妇女发展规划", Period(start=2021, end=2025)),
        ("济南市市中区“十四五”儿童发展规划", Period(start=2021, end=2025)),
        ("某县“十三五”妇女发展规划", Period(start=2016, end=2020)),
        ("某县“十五五”儿童发展规划", Period(start=2026, end=2030)),
        ("中国妇女发展纲要（2021—2030年）", Period(start=2021, end=2030)),
        ("2022年山亭区政务公开工作要点", Period(start=2022, end=2022)),
        ("山亭区产业扶持办法（试行）", None),
    ],
)
def test_plan_period(title: str, period: Period | None) -> None:
    assert plan_period(title) == period


@pytest.mark.parametrize(
    ("issuer", "region"),
    [
        ("济南市市中区人民政府", "济南市市中区"),
        ("山亭区人民政府", "山亭区"),
        ("山亭区人民政府办公室", "山亭区"),
        ("国务院", "全国"),
        ("国务院办公厅", "全国"),
        (None, None),
    ],
)
def test_region_of_issuer(issuer: str | None, region: str | None) -> None:
    assert region_of(issuer) == region


def test_full_region_reads_the_city_from_cited_plans(gazette: list[str]) -> None:
    doc = split_documents(gazette)[0]
    assert full_region("山亭区", gazette[doc.start : doc.end]) == "枣庄市山亭区"
    # A name that already carries its city is kept; with no citation the short name stays.
    assert full_region("济南市市中区", ["按照《枣庄市“十四五”妇女发展规划》"]) == "济南市市中区"
    assert full_region("山亭区", ["没有引用任何上级规划。"]) == "山亭区"
    assert full_region(None, gazette) is None


def test_a_five_year_plan_of_another_subject_is_a_plan_of_its_own() -> None:
    """A notice that carries a women's plan and an education plan: the second title starts a
    plan of its own (subject "other"), instead of running on inside the women's plan."""
    text = """某区人民政府文件
某政发〔2022〕3号
某区人民政府
关于印发某区“十四五”妇女发展规划和某区“十四五”教育事业发展规划的通知
各街道办事处：
现将规划印发给你们。
2022年1月5日
某区“十四五”妇女发展规划
一、发展领域、主要目标和策略措施
（一）妇女与健康
主要目标：
1.孕产妇死亡率控制在10/10万以下。（牵头单位：区卫生健康局）
某区“十四五”教育事业发展规划
一、主要目标
到2025年，学前教育毛入园率达到95%以上。
"""
    plans = read_text(text).plans
    assert [(p.title, p.subject) for p in plans] == [
        ("某区“十四五”妇女发展规划", "women"),
        ("某区“十四五”教育事业发展规划", "other"),
    ]
    assert [len(d.targets) for d in plans[0].domains] == [1]
    indicators = [i for d in plans[1].domains for t in d.targets for i in t.indicators]
    assert [(i.comparator, i.value, i.unit) for i in indicators] == [(">=", 95.0, "%")]
