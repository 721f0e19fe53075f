"""Quantitative targets: comparators, units, names, splitting, exclusions, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.plan.model import UNITS
from planwatch.plan.quantities import clause_spans, extract_indicators

Row = tuple[str, str, float, str]


def _read(text: str) -> list[Row]:
    return [(i.name, i.comparator, i.value, i.unit) for i in extract_indicators(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # comparators
        ("孕产妇死亡率控制在8/10万以下", [("孕产妇死亡率", "<=", 8, "/10万")]),
        ("12岁儿童龋患率控制在30%以内", [("12岁儿童龋患率", "<=", 30, "%")]),
        ("担保费率不超过1.5%", [("担保费率", "<=", 1.5, "%")]),
        ("流失率低于2%", [("流失率", "<", 2, "%")]),
        ("空置率少于5%", [("空置率", "<", 5, "%")]),
        ("妇女常见病筛查率达到85%以上", [("妇女常见病筛查率", ">=", 85, "%")]),
        ("开放数据集不低于15项", [("开放数据集", ">=", 15, "项")]),
        ("每天校内体育活动时间不少于1小时", [("每天校内体育活动时间", ">=", 1, "小时")]),
        ("治疗的比例超过90%", [("治疗的比例", ">", 90, "%")]),
        ("覆盖率高于80%", [("覆盖率", ">", 80, "%")]),
        ("高中阶段毛入学率达到98%", [("高中阶段毛入学率", ">=", 98, "%")]),
        ("参保率为95%", [("参保率", ">=", 95, "%")]),
        ("女性比例达到40%左右", [("女性比例", "~", 40, "%")]),
        ("女性比例约为40%", [("女性比例", "~", 40, "%")]),
        ("巩固率保持在100%", [("巩固率", "maintain", 100, "%")]),
        ("参保率稳定在95%", [("参保率", "maintain", 95, "%")]),
        ("女性比例保持在45%左右", [("女性比例", "maintain", 45, "%")]),
        ("接种率保持在98%以上", [("接种率", ">=", 98, "%")]),
        ("参保率稳定在95%以上", [("参保率", ">=", 95, "%")]),
        ("艾滋病母婴传播率下降到3%以下", [("艾滋病母婴传播率", "<=", 3, "%")]),
        ("受理时间压缩到3个工作日", [("受理时间", "<=", 3, "工作日")]),
        ("专任教师比例提升到85%", [("专任教师比例", ">=", 85, "%")]),
        # units and numerals
        ("新生儿死亡率控制在3‰以下", [("新生儿死亡率", "<=", 3, "‰")]),
        ("孕产妇死亡率控制在十万分之八以下", []),
        ("女性厕位与男性厕位的比例至少为3：2", [("女性厕位与男性厕位的比例", ">=", 1.5, "比")]),
        ("每年提高1个百分点", []),  # a change of nothing named
        ("参保率每年提高1个百分点", [("参保率", ">=", 1, "百分点/年")]),
        (
            "儿童总体近视率平均每年降低一个百分点以上",
            [("儿童总体近视率", "<=", -1, "百分点/年")],
        ),
        ("应保证一半以上的领导班子配备女干部", [("领导班子配备女干部的比例", ">=", 50, "%")]),
        ("三分之一以上的村配备女干部", [("村配备女干部的比例", ">=", 33.33, "%")]),
        ("百分之九十的社区建立儿童之家", [("社区建立儿童之家的比例", ">=", 90, "%")]),
        ("平均受教育年限达到11.3年", [("平均受教育年限", ">=", 11.3, "年")]),
        ("人均预期寿命达到八十岁", [("人均预期寿命", ">=", 80, "岁")]),
        ("力争全区社会融资规模达到150亿元", [("全区社会融资规模", ">=", 150, "亿元")]),
        ("单个项目补助最高不超过50万元", [("单个项目补助", "<=", 50, "万元")]),
        ("人均住房面积达到40平方米", [("人均住房面积", ">=", 40, "平方米")]),
        (
            "每千人口拥有3岁以下婴幼儿托位数达到4.5个",
            [("每千人口拥有3岁以下婴幼儿托位数", ">=", 4.5, "/千")],
        ),
        (
            "每千名儿童拥有儿科执业（助理）医生达到0.85名、床位增至2.2张",
            [
                ("每千名儿童拥有儿科执业（助理）医生数", ">=", 0.85, "/千"),
                ("每千名儿童拥有床位数", ">=", 2.2, "/千"),
            ],
        ),
        ("每万人口全科医生数达到3名", [("每万人口全科医生数", ">=", 3, "/万")]),
        ("儿童每天接触户外自然光不少于１小时", [("儿童每天接触户外自然光", ">=", 1, "小时")]),
        ("接种率达到９５％以上", [("接种率", ">=", 95, "%")]),
        # names: connectors, verbs, modifiers
        ("且分值不低于4%", [("分值", ">=", 4, "%")]),
        ("其中担任正职的一般不少于3人", [("担任正职", ">=", 3, "人")]),
        ("并使覆盖率达到90%", [("覆盖率", ">=", 90, "%")]),
        (
            "确保我区2025年每千人口3岁以下婴幼儿托位数达到5个",
            [("每千人口3岁以下婴幼儿托位数", ">=", 5, "/千")],
        ),
        ("（3）妇女常见病筛查率达到85%以上。", [("妇女常见病筛查率", ">=", 85, "%")]),
        (
            "水质达到或优于Ⅲ类标准的比例总体达到95%以上",
            [("水质达到或优于Ⅲ类标准的比例", ">=", 95, "%")],
        ),
        # lists
        (
            "新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、3.3‰和4‰以下",
            [
                ("新生儿死亡率", "<=", 3, "‰"),
                ("婴儿死亡率", "<=", 3.3, "‰"),
                ("5岁以下儿童死亡率", "<=", 4, "‰"),
            ],
        ),
        (
            "孕产妇艾滋病、梅毒和乙肝检测率达到98%以上",
            [
                ("孕产妇艾滋病检测率", ">=", 98, "%"),
                ("孕产妇梅毒检测率", ">=", 98, "%"),
                ("孕产妇乙肝检测率", ">=", 98, "%"),
            ],
        ),
        (
            "农村适龄妇女和城镇低保适龄妇女宫颈癌、乳腺癌人群检查率分别达到85%以上",
            [
                ("农村适龄妇女宫颈癌人群检查率", ">=", 85, "%"),
                ("农村适龄妇女乳腺癌人群检查率", ">=", 85, "%"),
                ("城镇低保适龄妇女宫颈癌人群检查率", ">=", 85, "%"),
                ("城镇低保适龄妇女乳腺癌人群检查率", ">=", 85, "%"),
            ],
        ),
        (
            "5岁以下儿童贫血率和生长迟缓率分别控制在4%和1.8%以下",
            [("5岁以下儿童贫血率", "<=", 4, "%"), ("5岁以下儿童生长迟缓率", "<=", 1.8, "%")],
        ),
        (
            "公办幼儿园和普惠性民办幼儿园在园幼儿占比达到85%以上",
            [("公办幼儿园和普惠性民办幼儿园在园幼儿占比", ">=", 85, "%")],
        ),
        ("宫颈癌及癌前病变规范治疗率达到90%以上", [("宫颈癌及癌前病变规范治疗率", ">=", 90, "%")]),
        (
            "中小学每学期至少组织1次家庭教育指导和1次家庭教育实践活动",
            [
                ("中小学每学期组织家庭教育指导", ">=", 1, "次"),
                ("中小学每学期组织家庭教育实践活动", ">=", 1, "次"),
            ],
        ),
        (
            "95%的城市社区和85%的农村社区（村）建立家长学校",
            [
                ("城市社区建立家长学校的比例", ">=", 95, "%"),
                ("农村社区（村）建立家长学校的比例", ">=", 85, "%"),
            ],
        ),
        # not targets
        ("女童平等接受九年义务教育", []),
        ("35-45岁妇女", []),
        ("促进3岁以下婴幼儿照护服务", []),
        ("到2025年，基本实现农村自来水供应全覆盖", []),
        ("区级设1所政府举办的标准化妇幼保健机构", []),
        ("区级建立危重孕产妇救治中心和1所政府举办的标准化妇幼保健机构", []),
        ("指导培育或孵化2-3家具有专业水平的儿童类社会组织", []),
        ("党中央把培养好少年儿童作为一项战略任务", []),
        ("固定资产投资1亿元（含）以上的工业项目", []),
        ("担保金额1000万元及以下、担保费率1.5%以下的融资担保机构", []),
        ("实缴资本2亿元以上不足5亿元的", []),
        ("区财政一次性奖励200万元", []),
        ("按照女职工生育医疗费标准的50%享受生育医疗费待遇", []),
        ("山政发〔2022〕2号", []),
        ("“十四五”时期", []),
    ],
)
def test_cases(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_raw_of_a_compound_is_the_whole_statement() -> None:
    text = "（3）新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、3.3‰和4‰以下，城乡差距缩小。"
    raws = {i.raw for i in extract_indicators(text)}
    assert raws == {"新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰、3.3‰和4‰以下"}


def test_raw_of_a_simple_target() -> None:
    [ind] = extract_indicators("孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小。")
    assert ind.raw == "孕产妇死亡率控制在8/10万以下"


def test_comma_typo_inside_a_list_keeps_the_list() -> None:
    rows = _read("新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰，3‰和3.5‰以下，城乡差距缩小")
    assert [r[2] for r in rows] == [3, 3, 3.5]


def test_clause_spans_respect_brackets_and_ratios() -> None:
    text = "甲（乙，丙）丁，比例为3：2。戊"
    assert [text[s:e] for s, e, _ in clause_spans(text)] == ["甲（乙，丙）丁", "比例为3：2", "戊"]


_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(
        list(
            "0123456789.%‰/:：、，,。；;（）()—-～~以上下内左右达到控制在保持不低少于超过分别和及"
            "万千百十一二两三半之率比例每人名个所家项次岁年元张含的 \n"
        )
    ),
    st.characters(),
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_never_raises_and_raw_is_substring(text: str) -> None:
    for ind in extract_indicators(text):
        assert ind.raw and ind.raw in text
        assert ind.unit in UNITS
        assert ind.name


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    for ind in extract_indicators(text):
        assert ind.raw in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The 2011–2020 national outline: 以2010年为基数下降1/6 is a relative target, −16.67 %.
        ("孕产妇死亡率以2010年为基数下降1/6。", [("孕产妇死亡率", "<=", -16.67, "%", "percent", 2010)]),
        ("婴儿死亡率以2010年为基数下降1/4。", [("婴儿死亡率", "<=", -25.0, "%", "percent", 2010)]),
        # Digits around a slash that are not a fraction stay what they were.
        ("孕产妇死亡率控制在8/10万以下。", [("孕产妇死亡率", "<=", 8.0, "/10万", None, None)]),
        ("出生缺陷发生率控制在1/千以下。", [("出生缺陷发生率", "<=", 1.0, "/千", None, None)]),
        ("比例达到3/2以上。", []),
    ],
)
def test_fractions_written_with_digits(text: str, expected: list[tuple[object, ...]]) -> None:
    got = [(i.name, i.comparator, i.value, i.unit, i.relative, i.base_year) for i in extract_indicators(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A clause with only a milestone year states the previous indicator's next value.
        (
            "全省出生缺陷发生率到2005年要降至72/万;到2010年要降至70/万。",
            [("全省出生缺陷发生率", "<=", 72.0, "/万"), ("全省出生缺陷发生率", "<=", 70.0, "/万")],
        ),
        (
            "全省农村住院分娩率到2005年要达到75%;到2010年要达到80%。",
            [("全省农村住院分娩率", ">=", 75.0, "%"), ("全省农村住院分娩率", ">=", 80.0, "%")],
        ),
        # Nothing to inherit: a nameless first clause stays unread.
        ("到2010年要降至70/万。", []),
        # A name of its own is kept, even right after another indicator.
        (
            "孕产妇死亡率控制在10/10万以下;到2025年新生儿死亡率降至2‰以下。",
            [("孕产妇死亡率", "<=", 10.0, "/10万"), ("新生儿死亡率", "<=", 2.0, "‰")],
        ),
        # A relative change is not carried over to a later milestone clause.
        ("婴儿死亡率以2000年为基础下降1/5;到2010年要降至10‰。", [("婴儿死亡率", "<=", -20.0, "%")]),
    ],
)
def test_milestone_clauses_inherit_the_previous_name(
    text: str, expected: list[tuple[str, str, float, str]]
) -> None:
    got = [(i.name, i.comparator, i.value, i.unit) for i in extract_indicators(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Reposts lose the ‰ sign; these rates are per mille by definition.
        ("婴儿和5岁以下儿童死亡率分别控制在10%和13%以下。", [("<=", 10.0, "‰"), ("<=", 13.0, "‰")]),
        ("新生儿破伤风发病率以县为单位降低到1%以下。", [("<=", 1.0, "‰")]),
        ("婴儿死亡率控制在6‰以下。", [("<=", 6.0, "‰")]),
        # Other rates keep their per cent, and a relative change stays in per cent.
        ("孕产妇住院分娩率达到98%以上。", [(">=", 98.0, "%")]),
        ("5岁以下儿童贫血患病率控制在12%以下。", [("<=", 12.0, "%")]),
        ("婴儿死亡率以2010年为基数下降20%。", [("<=", -20.0, "%")]),
    ],
)
def test_per_mille_rates_printed_with_a_per_cent_sign(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(i.comparator, i.value, i.unit) for i in extract_indicators(text)] == expected


def test_base_year_with_a_stray_comparative_is_read() -> None:
    """以比2010年为基数 (a drafting slip for 以2010年为基数) still names the base year."""
    [ind] = extract_indicators("高危出生缺陷发生率以比2010年为基数下降1/2。")
    got = (ind.name, ind.comparator, ind.value, ind.unit, ind.base_year)
    assert got == ("高危出生缺陷发生率", "<=", -50.0, "%", 2010)
