"""Whole-document tests on the two seeds: structure, metadata and responsible units.

Every expected value here was read off the seed text by hand (and cross-checked with an
independent line scanner written for this test suite), not copied from the reader's output:
domain names and the count of numbered items in each 主要目标 / 策略措施 list, the plans'
mastheads, and the unit blocks exactly as printed once line-break damage is repaired.
Quantities (indicators) are tested elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planwatch.plan.model import Catalogue, Domain, Period, Plan, Target
from planwatch.plan.reader import read_files, read_text

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "plans"
JINAN = SEEDS / "jinan-shizhong-2022-7.txt"
GAZETTE = SEEDS / "shanting-gazette-2022-1.md"

SZ_W, SZ_C, ST_W, ST_C = "市中区妇女", "市中区儿童", "山亭区妇女", "山亭区儿童"
PLAN_INDEX = {SZ_W: 0, SZ_C: 1, ST_W: 2, ST_C: 3}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return read_files([JINAN, GAZETTE])


def _plan(catalogue: Catalogue, key: str) -> Plan:
    return catalogue.plans[PLAN_INDEX[key]]


def _domain(catalogue: Catalogue, key: str, name: str) -> Domain:
    (domain,) = [d for d in _plan(catalogue, key).domains if d.name == name]
    return domain


def _target(catalogue: Catalogue, key: str, domain: str, number: int) -> Target:
    (target,) = [t for t in _domain(catalogue, key, domain).targets if t.number == number]
    return target


# --- documents and plan metadata ---------------------------------------------------------


def test_files_hold_four_plans_and_four_other_documents(catalogue: Catalogue) -> None:
    assert [(p.title, p.subject) for p in catalogue.plans] == [
        ("济南市市中区“十四五”妇女发展规划", "women"),
        ("济南市市中区“十四五”儿童发展规划", "children"),
        ("山亭区“十四五”妇女发展规划", "women"),
        ("山亭区“十四五”儿童发展规划", "children"),
        ("山亭区产业扶持办法（试行）", "other"),
        ("山亭区招商引资项目全生命周期服务实施方案", "other"),
        ("关于加快山亭区金融业高质量发展的意见", "other"),
        ("2022年山亭区政务公开工作要点", "other"),
    ]


@pytest.mark.parametrize(
    ("key", "issuer", "doc_number", "date", "region"),
    [
        (SZ_W, "济南市市中区人民政府", "市中政发〔2022〕7号", dt.date(2022, 11, 8), "济南市市中区"),
        (SZ_C, "济南市市中区人民政府", "市中政发〔2022〕7号", dt.date(2022, 11, 8), "济南市市中区"),
        (ST_W, "山亭区人民政府", "山政发〔2022〕2号", dt.date(2022, 3, 31), "枣庄市山亭区"),
        (ST_C, "山亭区人民政府", "山政发〔2022〕2号", dt.date(2022, 3, 31), "枣庄市山亭区"),
    ],
)
def test_plan_metadata(
    catalogue: Catalogue, key: str, issuer: str, doc_number: str, date: dt.date, region: str
) -> None:
    plan = _plan(catalogue, key)
    assert plan.issuer == issuer
    assert plan.doc_number == doc_number
    assert plan.date == date
    assert plan.region == region
    assert plan.period == Period(start=2021, end=2025)


def test_gazette_other_documents(catalogue: Catalogue) -> None:
    others = catalogue.plans[4:]
    assert [(p.doc_number, p.issuer, p.date) for p in others] == [
        ("山政发〔2022〕3号", "山亭区人民政府", dt.date(2022, 4, 16)),
        ("山政发〔2022〕4号", "山亭区人民政府", dt.date(2022, 4, 16)),
        ("山政发〔2022〕5号", "山亭区人民政府", dt.date(2022, 6, 3)),
        ("山政办发〔2022〕2号", "山亭区人民政府办公室", dt.date(2022, 6, 1)),
    ]
    # Same issuing territory as the plans in the same gazette, so the same full region.
    assert {p.region for p in others} == {"枣庄市山亭区"}
    assert others[3].period == Period(start=2022, end=2022)
    # A policy document has no numbered main targets of the plan template.
    assert all(not d.measures for p in others for d in p.domains)


# --- structure: domains, targets and measures --------------------------------------------

# (domain, number of 主要目标, number of 策略措施), counted in the seed text.
DOMAINS: dict[str, list[tuple[str, int, int]]] = {
    SZ_W: [
        ("妇女与健康", 11, 13),
        ("妇女与教育", 10, 11),
        ("妇女与经济", 10, 12),
        ("妇女参与决策和管理", 12, 10),
        ("妇女与社会保障", 8, 11),
        ("妇女与法律", 10, 13),
        ("妇女与家庭建设", 9, 10),
        ("妇女与环境", 9, 10),
    ],
    SZ_C: [
        ("儿童与健康", 12, 13),
        ("儿童与安全", 8, 10),
        ("儿童与教育", 6, 11),
        ("儿童与福利", 8, 11),
        ("儿童与法律保护", 11, 13),
        ("儿童与家庭", 8, 8),
        ("儿童与环境", 7, 8),
    ],
    ST_W: [
        ("妇女与健康", 9, 13),
        ("妇女与教育", 12, 13),
        ("妇女与经济", 10, 13),
        ("妇女参与决策和管理", 12, 10),
        ("妇女与社会保障", 8, 11),
        ("妇女与法律", 10, 13),
        ("妇女与家庭建设", 9, 10),
        ("妇女与环境", 9, 10),
    ],
    ST_C: [
        ("儿童与健康", 12, 14),
        ("儿童与安全", 8, 11),
        ("儿童与教育", 7, 12),
        ("儿童与福利", 8, 11),
        ("儿童与法律保护", 11, 14),
        ("儿童与家庭", 8, 8),
        ("儿童与环境", 7, 9),
    ],
}


@pytest.mark.parametrize("key", [SZ_W, SZ_C, ST_W, ST_C])
def test_domains_with_target_and_measure_counts(catalogue: Catalogue, key: str) -> None:
    plan = _plan(catalogue, key)
    assert [(d.name, len(d.targets), len(d.measures)) for d in plan.domains] == DOMAINS[key]


def test_279_main_targets(catalogue: Catalogue) -> None:
    per_plan = [sum(len(d.targets) for d in p.domains) for p in catalogue.plans[:4]]
    assert per_plan == [79, 60, 79, 61]
    assert sum(per_plan) == 279
    per_plan_measures = [sum(len(d.measures) for d in p.domains) for p in catalogue.plans[:4]]
    assert per_plan_measures == [90, 74, 93, 79]


def test_targets_are_numbered_from_one_without_gaps(catalogue: Catalogue) -> None:
    for plan in catalogue.plans[:4]:
        for domain in plan.domains:
            numbers = [t.number for t in domain.targets]
            assert numbers == list(range(1, len(numbers) + 1)), (plan.title, domain.name)


def test_measures_keep_printed_numbers_and_the_jinan_gap_is_reported(
    catalogue: Catalogue,
) -> None:
    """市中区 儿童与教育 策略措施 is printed （1）…（9）（11）（12）: no （10）."""
    gap = _domain(catalogue, SZ_C, "儿童与教育")
    assert [m.number for m in gap.measures] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]
    for plan in catalogue.plans[:4]:
        for domain in plan.domains:
            if domain is gap:
                continue
            numbers = [m.number for m in domain.measures]
            assert numbers == list(range(1, len(numbers) + 1)), (plan.title, domain.name)
    # The only thing in either seed the reader cannot vouch for is that gap, at its line.
    assert [(w.file, w.line) for w in catalogue.warnings] == [(str(JINAN), 333)]
    assert "编号不连续" in catalogue.warnings[0].message
    assert JINAN.read_text(encoding="utf-8").splitlines()[332].startswith("（11）")


def test_target_text_excludes_the_unit_block(catalogue: Catalogue) -> None:
    for plan in catalogue.plans[:4]:
        for domain in plan.domains:
            for target in domain.targets:
                assert "单位：" not in target.text, target.text
                assert target.text.endswith("。"), target.text
                assert target.lead_units or target.responsible_units, target.text


@pytest.mark.parametrize(
    ("key", "domain", "number", "text"),
    [
        (
            SZ_W,
            "妇女与健康",
            2,
            "孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小。",
        ),
        (
            SZ_W,
            "妇女与健康",
            4,
            "妇女宫颈癌、乳腺癌防治意识明显提高。宫颈癌、乳腺癌综合防治能力不断增强。"
            "农村适龄妇女和城镇低保适龄妇女宫颈癌、乳腺癌人群检查率分别达到85%以上。"
            "35-45岁妇女宫颈癌规范筛查覆盖率达到70%以上。"
            "15岁之前适龄女孩HPV（人乳头瘤病毒）疫苗接种率达到90%以上。"
            "宫颈癌及癌前病变规范治疗率达到90%以上。",
        ),
        # "(3) 大中小学性别平等教育" continues after a blank line in the gazette.
        (
            ST_W,
            "妇女与教育",
            3,
            "大中小学性别平等教育全面推进，教师和学生的男女平等意识明显增强。",
        ),
        # "…科学素质水平差" / "距显著缩小。" broken mid-word.
        (
            ST_W,
            "妇女与教育",
            9,
            "女性科技人才培养力度加大，男女两性科学素质水平差距显著缩小。",
        ),
        (
            ST_W,
            "妇女与环境",
            5,
            "妇女的媒介素养全面提升，妇女利用信息技术参与新时代经济社会高质量发展的能力提高。",
        ),
        (ST_C, "儿童与安全", 7, "将灾害事故对儿童的伤害降到最低程度。"),
        (ST_C, "儿童与法律保护", 8, "禁止对未成年人实施家庭暴力。"),
    ],
)
def test_target_text(catalogue: Catalogue, key: str, domain: str, number: int, text: str) -> None:
    assert _target(catalogue, key, domain, number).text == text


@pytest.mark.parametrize(
    ("key", "domain", "titles"),
    [
        (
            SZ_W,
            "妇女与健康",
            [
                "完善保障妇女健康的制度机制",
                "加强妇幼健康服务体系建设",
                "建立完善妇女全生命周期的健康管理模式",
                "保障孕产妇安全分娩",
            ],
        ),
        # "(1) 健全妇女健康保障机" / "制。…" is broken mid-word in the gazette.
        (
            ST_W,
            "妇女与健康",
            [
                "健全妇女健康保障机制",
                "加强妇幼健康服务体系建设",
                "建立完善妇女全生命周期的健康管理模式",
                "保障母婴安全",
            ],
        ),
        (
            SZ_C,
            "儿童与教育",
            ["全面贯彻党的教育方针", "全面落实教育优先发展战略"],
        ),
    ],
)
def test_measure_titles(catalogue: Catalogue, key: str, domain: str, titles: list[str]) -> None:
    measures = _domain(catalogue, key, domain).measures
    assert [m.title for m in measures[: len(titles)]] == titles
    assert all(m.text.startswith(m.title) for m in measures)


def test_last_measure_does_not_swallow_the_next_chapter(catalogue: Catalogue) -> None:
    """After the last domain come 保障措施 / 组织实施 / 监测评估: none of it is a measure."""
    for plan in catalogue.plans[:4]:
        for domain in plan.domains:
            for measure in domain.measures:
                for foreign in ("规划实施", "组织实施", "本规划由", "主要目标", "策略措施"):
                    assert foreign not in measure.text, (plan.title, domain.name, measure.number)
    last = _domain(catalogue, ST_C, "儿童与环境").measures[-1]
    assert last.number == 9
    assert last.text.endswith("。")


# --- responsible units --------------------------------------------------------------------

UNITS: list[tuple[str, str, int, list[str], list[str], str | None]] = [
    (SZ_W, "妇女与健康", 1, ["区卫生健康局"], ["区医保局"], None),
    (SZ_W, "妇女与健康", 2, ["区卫生健康局"], [], None),
    (SZ_W, "妇女与健康", 5, ["区卫生健康局"], ["区妇联", "公安市中分局"], None),
    # "牵头单位: 区妇联" has a half-width colon in the Word export.
    (SZ_W, "妇女与教育", 1, ["区妇联"], ["区委宣传部", "区总工会", "团区委", "区教育体育局", "区文化和旅游局"], None),
    # 〔〕 blocks around names that carry their own parenthesis.
    (SZ_W, "妇女与教育", 2, ["区教育体育局"], ["区妇联（区妇儿工委办公室）"], None),
    (
        SZ_W,
        "妇女与教育",
        10,
        ["区教育体育局", "区人力资源社会保障局"],
        ["区总工会", "区妇联", "区科协", "区农业农村局"],
        None,
    ),
    (
        SZ_W,
        "妇女与经济",
        10,
        ["区农业农村局（区乡村振兴局）"],
        ["区妇联", "区科协", "区民政局", "区文化和旅游局"],
        None,
    ),
    (SZ_W, "妇女参与决策和管理", 3, ["区人大常委会办公室", "区政协办公室", "区委组织部", "区委统战部"], [], None),
    (SZ_W, "妇女参与决策和管理", 11, ["区妇联"], ["区民政局", "各区管社会组织业务主管单位"], None),
    (
        SZ_W,
        "妇女与社会保障",
        8,
        ["区民政局"],
        [
            "区妇联",
            "区残联",
            "区教育体育局",
            "区司法局",
            "区财政局",
            "区人力资源社会保障局",
            "区农业农村局（区乡村振兴局）",
            "区文化和旅游局",
            "区卫生健康局",
            "公安市中分局",
        ],
        None,
    ),
    (SZ_W, "妇女与法律", 1, [], ["区妇儿工委各成员单位"], None),
    (SZ_W, "妇女与环境", 4, ["区委宣传部"], ["区妇联（区妇儿工委办公室）", "区教育体育局", "区文化和旅游局"], None),
    (SZ_C, "儿童与健康", 8, ["区教育体育局"], ["团区委", "区教育体育局", "区卫生健康局"], None),
    (
        SZ_C,
        "儿童与安全",
        8,
        ["区卫生健康局"],
        [
            "区政府办公室（大数据局）",
            "区委政法委",
            "团区委",
            "区妇联",
            "区教育体育局",
            "区民政局",
            "区司法局",
            "区法院",
            "区检察院",
            "公安市中分局",
        ],
        None,
    ),
    (
        SZ_C,
        "儿童与法律保护",
        11,
        ["区委宣传部（区网信办）"],
        ["团区委", "区教育体育局", "区司法局", "区文化和旅游局", "区法院", "区检察院", "公安市中分局"],
        None,
    ),
    # Printed "区民政" (without 局): kept as printed, not corrected.
    (SZ_C, "儿童与环境", 4, ["区妇儿工委办公室"], ["团区委", "区妇联", "区教育体育局", "区民政"], None),
    # Gazette: "…区妇联、" / "区总工会)" split over two lines.
    (ST_W, "妇女与健康", 3, ["区卫生健康局"], ["区发展改革局", "区财政局", "区妇联", "区总工会"], None),
    (
        ST_W,
        "妇女与教育",
        1,
        ["区妇联"],
        ["区委宣传部", "区教育体育局", "区文化和旅游局", "区总工会", "团区委"],
        "等区妇儿工委成员单位、特邀单位",
    ),
    (ST_W, "妇女与教育", 3, ["区教育体育局"], ["区妇女儿童事业发展中心", "区妇联"], None),
    (ST_W, "妇女与教育", 9, [], ["区科技局", "区教育体育局", "区人力资源社会保障局", "区科协"], None),
    # "区财" / "政局" broken across a blank line.
    (
        ST_W,
        "妇女与经济",
        4,
        ["区人力资源社会保障局"],
        ["区财政局", "区总工会", "区农业农村局", "区商务和投资促进局", "团区委", "区妇联"],
        None,
    ),
    (ST_W, "妇女与经济", 5, ["区人力资源社会保障局", "区妇联"], ["相关行业主管部门"], None),
    # "…区科协、区" / "残联)".
    (
        ST_W,
        "妇女与经济",
        9,
        ["区农业农村局", "区人力资源社会保障局", "区民政局"],
        ["区财政局", "区妇联", "区科协", "区残联"],
        None,
    ),
    # "（牵" / "头单位：…": the role label itself is broken.
    (
        ST_W,
        "妇女参与决策和管理",
        7,
        ["区委组织部", "区国有资产事务服务中心", "区总工会"],
        ["区人力资源社会保障局"],
        None,
    ),
    (ST_W, "妇女与社会保障", 3, ["区医保局"], ["区卫生健康局", "区财政局", "区总工会", "区税务局"], None),
    # "区住房城乡建设" / "局)".
    (
        ST_W,
        "妇女与社会保障",
        7,
        ["区民政局", "区医保局"],
        ["区卫生健康局", "区人力资源社会保障局", "区财政局", "区住房城乡建设局"],
        None,
    ),
    # "平等" inside a name is not the 等 of a trailing note.
    (ST_W, "妇女与法律", 2, [], ["区法规政策性别平等评估机制联席会议各成员单位"], None),
    (
        ST_W,
        "妇女与法律",
        4,
        ["区委政法委"],
        ["区公安分局", "区司法局", "区民政局", "区卫生健康局"],
        "等区妇儿工委有关成员单位、特邀单位",
    ),
    (ST_W, "妇女与法律", 5, ["区公安分局"], ["区司法局", "区卫生健康局", "区妇联"], "等区妇儿工委有关成员单位"),
    # "牵头单位:区司法局、区公安分局,责任单位:…" half-width without spaces.
    (
        ST_W,
        "妇女与法律",
        6,
        ["区司法局", "区公安分局"],
        ["区教育体育局", "区总工会", "区妇联"],
        "等区妇儿工委有关成员单位",
    ),
    # "…区委宣传部、区" / "委政法委…".
    (
        ST_W,
        "妇女与家庭建设",
        5,
        ["区妇联"],
        ["区委宣传部", "区委政法委", "区教育体育局", "区卫生健康局", "区生态环境分局", "区文化和旅游局"],
        "等区妇儿工委有关成员单位、特邀单位",
    ),
    # "区交通运" / "输局".
    (
        ST_C,
        "儿童与安全",
        1,
        ["区卫生健康局", "团区委"],
        ["区教育体育局", "区市场监管局", "区公安分局", "区交通运输局", "区妇联", "区关工委", "区文化和旅游局"],
        None,
    ),
    (
        ST_C,
        "儿童与安全",
        8,
        ["区卫生健康局"],
        [
            "区民政局",
            "区公安分局",
            "区委政法委",
            "区教育体育局",
            "区司法局",
            "区政府办公室〈区大数据中心〉",
            "团区委",
            "区妇联",
        ],
        "等区妇儿工委有关成员单位、特邀单位",
    ),
    # "区住房城乡建设" / "建设局": the word repeated across the page break is printed once.
    (
        ST_C,
        "儿童与教育",
        3,
        ["区教育体育局"],
        ["区发展改革局", "区自然资源局", "区住房城乡建设局", "区财政局", "区残联"],
        None,
    ),
    (
        ST_C,
        "儿童与福利",
        8,
        ["区民政局"],
        ["区公安分局", "区教育体育局", "区司法局", "区卫生健康局", "区财政局", "团区委", "区妇联", "区关工委"],
        "等区妇儿工委有关成员单位",
    ),
    (ST_C, "儿童与法律保护", 2, [], ["区司法局", "区民政局", "区公安分局", "区教育体育局"], "等区妇儿工委有关成员单位"),
    # "区委宣传" / "部、区教育体育局)".
    (ST_C, "儿童与家庭", 3, ["区妇联"], ["区委宣传部", "区教育体育局"], None),
    # "区发" / "展改革局".
    (
        ST_C,
        "儿童与环境",
        6,
        ["区教育体育局", "区财政局"],
        [
            "区发展改革局",
            "区自然资源局",
            "区住房城乡建设局",
            "区民政局",
            "区科协",
            "区文化和旅游局",
            "团区委",
            "区妇联",
            "区残联",
            "区关工委",
        ],
        None,
    ),
]


@pytest.mark.parametrize(
    ("key", "domain", "number", "lead", "responsible", "note"),
    UNITS,
    ids=[f"{k}-{d}-{n}" for k, d, n, *_ in UNITS],
)
def test_units_as_printed(
    catalogue: Catalogue,
    key: str,
    domain: str,
    number: int,
    lead: list[str],
    responsible: list[str],
    note: str | None,
) -> None:
    target = _target(catalogue, key, domain, number)
    assert target.lead_units == lead
    assert target.responsible_units == responsible
    assert target.responsible_units_note == note


# Targets whose block names only 责任单位 (no 牵头单位), by plan.
RESPONSIBLE_ONLY = {
    SZ_W: [("妇女与法律", 1)],
    SZ_C: [],
    ST_W: [
        ("妇女与教育", 9),
        ("妇女与法律", 1),
        ("妇女与法律", 2),
        ("妇女与法律", 3),
        ("妇女与法律", 8),
        ("妇女与家庭建设", 8),
        ("妇女与环境", 5),
    ],
    ST_C: [("儿童与法律保护", 2), ("儿童与法律保护", 3), ("儿童与法律保护", 5)],
}


@pytest.mark.parametrize("key", [SZ_W, SZ_C, ST_W, ST_C])
def test_targets_with_only_responsible_units(catalogue: Catalogue, key: str) -> None:
    plan = _plan(catalogue, key)
    found = [(d.name, t.number) for d in plan.domains for t in d.targets if not t.lead_units]
    assert found == RESPONSIBLE_ONLY[key]


def test_notes_are_kept_apart(catalogue: Catalogue) -> None:
    """市中区 prints no 等… phrase; 山亭区 ends 14 women's and 13 children's blocks with one."""
    counts = [sum(1 for d in p.domains for t in d.targets if t.responsible_units_note) for p in catalogue.plans[:4]]
    assert counts == [0, 0, 14, 13]
    notes = {
        t.responsible_units_note
        for p in catalogue.plans[:4]
        for d in p.domains
        for t in d.targets
        if t.responsible_units_note
    }
    assert notes == {
        "等区妇儿工委有关成员单位、特邀单位",
        "等区妇儿工委有关成员单位",
        "等区妇儿工委成员单位、特邀单位",
    }


JINAN_UNITS = {
    "公安市中分局", "区人力资源社会保障局", "区人大常委会办公室", "区住房城乡建设局",
    "区农业农村局", "区农业农村局（区乡村振兴局）", "区医保局", "区卫生健康局", "区发展改革局",
    "区司法局", "区商务局", "区城管局", "区妇儿工委办公室", "区妇儿工委各成员单位", "区妇联",
    "区妇联（区妇儿工委办公室）", "区委办公室", "区委区直机关工委", "区委宣传部",
    "区委宣传部（区网信办）", "区委政法委", "区委组织部", "区委统战部", "区工业和信息化局",
    "区市场监管局", "区应急局", "区总工会", "区政协办公室", "区政府办公室（大数据局）",
    "区教育体育局", "区文化和旅游局", "区检察院", "区残联", "区民政", "区民政局", "区水务局",
    "区法院", "区科协", "区科技局", "区税务局", "区自然资源局", "区财政局",
    "各区管社会组织业务主管单位", "团区委", "有关行业主管部门", "生态环境市中分局",
}  # fmt: skip

SHANTING_UNITS = {
    "区交通运输局", "区人力资源社会保障局", "区住房城乡建设局", "区体育事业发展中心",
    "区公安分局", "区关工委", "区农业农村局", "区医保局", "区卫生健康局", "区发展改革委",
    "区发展改革局", "区司法局", "区商务和投资促进局", "区国有资产事务服务中心",
    "区国资事务服务中心", "区城乡水务局", "区妇儿工委各成员单位", "区妇女儿童事业发展中心",
    "区妇联", "区委办公室", "区委区直机关工委", "区委宣传部", "区委政法委", "区委组织部",
    "区委统战部", "区委网信办", "区工业和信息化局", "区市场监管局", "区应急局", "区总工会",
    "区政府办公室〈区大数据中心〉", "区教育体育局", "区文化和旅游局", "区残联", "区民政局",
    "区法规政策性别平等评估机制联席会议各成员单位", "区法院", "区生态环境分局", "区科协",
    "区科技局", "区税务局", "区管社会组织业务主管单位", "区自然资源局", "区财政局", "团区委",
    "特邀单位", "相关行业主管部门",
}  # fmt: skip


@pytest.mark.parametrize(("plans", "expected"), [((0, 2), JINAN_UNITS), ((2, 4), SHANTING_UNITS)])
def test_every_unit_name_is_a_printed_name(catalogue: Catalogue, plans: tuple[int, int], expected: set[str]) -> None:
    """No name is glued to its neighbour, cut in two, or left with a space or a role label."""
    names = {
        name
        for plan in catalogue.plans[plans[0] : plans[1]]
        for domain in plan.domains
        for target in domain.targets
        for name in [*target.lead_units, *target.responsible_units]
    }
    assert names == expected


# --- entry points agree -------------------------------------------------------------------


def test_read_text_matches_read_files() -> None:
    text = JINAN.read_text(encoding="utf-8")
    from_text = read_text(text, source=str(JINAN))
    from_file = read_files([JINAN])
    assert from_text == from_file


def test_files_read_together_equal_files_read_apart(catalogue: Catalogue) -> None:
    apart = [read_files([path]) for path in (JINAN, GAZETTE)]
    assert catalogue.plans == [p for c in apart for p in c.plans]
    assert catalogue.warnings == [w for c in apart for w in c.warnings]


def test_missing_file_is_a_warning_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "不存在.txt"
    result = read_files([missing, JINAN])
    assert len(result.plans) == 2
    assert result.warnings[0].file == str(missing)
    assert "不存在" in result.warnings[0].message
