"""House styles other than the seeds': outlines, old cycles, reposts, combined plans.

Each fixture is written in the layout of a real plan type (the national outlines of
2001–2010, 2011–2020 and 2021–2030, provincial 1、/（1） plans, news reposts of one domain);
the expected targets were counted by hand from the fixture.
"""

from __future__ import annotations

import opencc
import pytest

from planwatch.plan.cleanup import build_paragraphs
from planwatch.plan.documents import STANDALONE
from planwatch.plan.model import Catalogue, Plan
from planwatch.plan.reader import read_text
from planwatch.plan.sections import read_domains, split_flattened

OUTLINE_2021 = """中国妇女发展纲要
（2021—2030年）
三、发展领域、主要目标和策略措施
（一）妇女与健康。
主要目标：
1．妇女全生命周期享有良好的卫生健康服务，妇女人均预期寿命延长，人均健康预期寿命提高。
2．孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小。
3．妇女的宫颈癌和乳腺癌防治意识明显提高。宫颈癌和乳腺癌综合防治能力不断增强。适龄妇女宫颈癌人群筛查率达到70%以上。
策略措施：
1．完善保障妇女健康的制度机制。全面推进健康中国建设。
2．加强妇幼健康服务体系建设。
（二）妇女与教育。
主要目标：
1．教育工作全面贯彻男女平等基本国策。
2．女童平等接受义务教育，九年义务教育巩固率提高到96%以上。
策略措施：
1．加强教育系统男女平等基本国策宣传教育。
四、组织实施
1．坚持党的全面领导。
"""


def _read(text: str) -> Catalogue:
    return read_text(text, source="fixture.txt")


def _plan(text: str) -> Plan:
    catalogue = _read(text)
    (plan,) = catalogue.plans
    return plan


def test_national_outline_2021_layout() -> None:
    plan = _plan(OUTLINE_2021)
    assert (plan.title, plan.subject) == ("中国妇女发展纲要（2021—2030年）", "women")
    assert plan.period is not None and (plan.period.start, plan.period.end) == (2021, 2030)
    assert [(d.name, len(d.targets), len(d.measures)) for d in plan.domains] == [
        ("妇女与健康", 3, 2),
        ("妇女与教育", 2, 1),
    ]
    health = plan.domains[0]
    assert [(i.comparator, i.value, i.unit) for i in health.targets[1].indicators] == [("<=", 12.0, "/10万")]
    assert health.targets[2].indicators[0].value == 70.0
    # 四、组织实施 ends the domains: its "1．" is not a measure of 妇女与教育
    assert plan.domains[1].measures[0].title == "加强教育系统男女平等基本国策宣传教育"


def test_outline_without_units_gives_one_warning_not_one_per_target() -> None:
    catalogue = _read(OUTLINE_2021)
    unit_warnings = [w for w in catalogue.warnings if "牵头单位" in w.message]
    assert len(unit_warnings) == 1
    assert "5条主要目标均未注明" in unit_warnings[0].message


OUTLINE_2001 = """中国儿童发展纲要（2001—2010年）
主要目标与策略措施
一、儿童与健康
改善儿童卫生保健服务，提高儿童健康水平。
（一）主要目标。
1.提高出生人口素质。
━━婚前医学检查率城市达到80%，农村达到50%。
━━减少出生缺陷的发生。
2.保障孕产妇安全分娩。
━━孕产妇死亡率以2000年为基数下降1/4。
（二）策略措施。
1.加强对儿童卫生保健工作的领导。
二、儿童与教育
（一）主要目标。
1.基本普及学前教育。
"""


def test_outline_2001_domains_at_chapter_level_with_bullets() -> None:
    plan = _plan(OUTLINE_2001)
    assert [(d.name, len(d.targets), len(d.measures)) for d in plan.domains] == [
        ("儿童与健康", 2, 1),
        ("儿童与教育", 1, 0),
    ]
    first = plan.domains[0].targets[0]
    # the bullets belong to the numbered title, without their markers
    assert first.text == "提高出生人口素质。婚前医学检查率城市达到80%，农村达到50%。减少出生缺陷的发生。"
    assert [i.value for i in first.indicators] == [80.0, 50.0]


NESTED = """某某市儿童发展规划（2021—2030年）
（一）儿童与健康
主要目标
1、儿童健康水平不断提高。
（1）婴儿死亡率控制在5‰以下。
（2）5岁以下儿童死亡率控制在6‰以下。
2、儿童营养状况持续改善。
（1）5岁以下儿童贫血患病率控制在10%以下。
策略措施
1、加强儿童健康服务。
"""


def test_nested_sub_targets_stay_inside_their_number() -> None:
    plan = _plan(NESTED)
    (health,) = plan.domains
    assert [t.number for t in health.targets] == [1, 2]
    assert [(i.value, i.unit) for i in health.targets[0].indicators] == [(5.0, "‰"), (6.0, "‰")]
    assert "（2）5岁以下儿童死亡率" in health.targets[0].text
    assert len(health.measures) == 1


FLATTENED = (
    "[接上页] 三、发展领域、主要目标和策略措施 (一)妇女与健康。 主要目标: 1.延长妇女健康寿命 "
    "--妇女人均预期寿命延长。 2.提高孕产妇保健水平 --孕产妇系统管理率达到90%。 --孕产妇死亡率控制在"
    "20.5/10万以下。 策略措施: 1.加大妇幼卫生工作力度。加强妇幼保健机构建设。"
)


def test_flattened_web_page_is_cut_at_its_markers() -> None:
    plan = _plan(FLATTENED)
    (health,) = plan.domains
    assert [(t.number, t.text[:8]) for t in health.targets] == [(1, "延长妇女健康寿命"), (2, "提高孕产妇保健水")]
    assert [i.value for i in health.targets[1].indicators] == [90.0, 20.5]
    assert [m.title for m in health.measures] == ["加大妇幼卫生工作力度"]


def test_split_flattened_keeps_decimals_and_ordinary_sentences_whole() -> None:
    assert split_flattened("孕产妇死亡率控制在 20.5/10万以下。") == ["孕产妇死亡率控制在 20.5/10万以下。"]
    assert split_flattened("主要目标：1.甲。2.乙。") == ["主要目标：1.甲。", "2.乙。"]


NEWS = """当前位置：首页 > 妇儿工委办 > 纲要规划 > 正文
发布时间：2023-07-05 09:58:49
分享到：
本期推出《某某市儿童发展规划（2021—2030年）》儿童与安全领域主要目标设置情况：
1.降低儿童伤害所致死亡和残疾。儿童伤害死亡率以2020年数据为基数下降20%。
2.消除溺水隐患，儿童溺水死亡率逐步下降。
编辑：某某
"""


def test_news_repost_of_one_domain() -> None:
    catalogue = _read(NEWS)
    (plan,) = catalogue.plans
    assert (plan.title, plan.subject) == ("某某市儿童发展规划（2021—2030年）", "children")
    assert [(d.name, [t.number for t in d.targets]) for d in plan.domains] == [("儿童与安全", [1, 2])]
    # the editor's credit is page furniture, not part of target 2
    assert plan.domains[0].targets[1].text == "消除溺水隐患，儿童溺水死亡率逐步下降。"


def test_traditional_characters_read_as_the_simplified_plan() -> None:
    traditional = opencc.OpenCC("s2t").convert(OUTLINE_2021)
    assert "婦女與健康" in traditional
    plan = _plan(traditional)
    simplified = _plan(OUTLINE_2021)
    assert [(d.name, len(d.targets)) for d in plan.domains] == [(d.name, len(d.targets)) for d in simplified.domains]
    assert plan.domains[0].targets[1].indicators == simplified.domains[0].targets[1].indicators
    assert any("繁体" in w.message for w in _read(traditional).warnings)


def test_simplified_text_is_never_converted() -> None:
    assert not any("繁体" in w.message for w in _read(OUTLINE_2021).warnings)


COMBINED = """某某县“十四五”妇女儿童发展规划
三、发展领域、主要目标和策略措施
（一）妇女与健康
1.主要目标
（1）孕产妇死亡率控制在10/10万以下。（牵头单位：县卫生健康局）
（二）儿童与健康
1.主要目标
（1）婴儿死亡率控制在5‰以下。（牵头单位：县卫生健康局）
（2）5岁以下儿童死亡率控制在6‰以下。（牵头单位：县卫生健康局）
"""


def test_women_and_children_plans_in_one_document_become_two_plans() -> None:
    catalogue = _read(COMBINED)
    assert [(p.subject, [d.name for d in p.domains]) for p in catalogue.plans] == [
        ("women", ["妇女与健康"]),
        ("children", ["儿童与健康"]),
    ]
    assert all(p.title == "某某县“十四五”妇女儿童发展规划" for p in catalogue.plans)


SECTOR = """某某区“十四五”教育发展规划
一、发展基础
二、主要目标
到2025年，学前教育毛入园率达到95%以上。
"""


def test_plan_of_another_sector_is_a_plan_with_its_quantitative_paragraphs() -> None:
    plan = _plan(SECTOR)
    assert (plan.title, plan.subject) == ("某某区“十四五”教育发展规划", "other")
    assert plan.period is not None and plan.period.start == 2021
    assert [i.value for d in plan.domains for t in d.targets for i in t.indicators] == [95.0]


AMBIGUOUS = """（一）儿童与健康。
主要目标：
7.低出生体重发生率控制在4%以下。
8.0-6个月婴儿纯母乳喂养率达到50%以上。
9.5岁以下儿童贫血患病率控制在10%以下。
"""


def test_item_number_followed_by_a_digit_is_read_when_it_is_the_next_one() -> None:
    plan = _plan("某省儿童发展规划（2011—2020年）\n" + AMBIGUOUS)
    targets = plan.domains[0].targets
    assert [t.number for t in targets] == [7, 8, 9]
    assert targets[1].text.startswith("0-6个月婴儿")
    assert targets[2].text.startswith("5岁以下儿童贫血")


@pytest.mark.parametrize(
    "furniture",
    ["- 3 -", "第2页 共9页", "【字体：大 中 小】", "责任编辑：张三", "分享到：", "上一篇：某某通知"],
)
def test_page_furniture_inside_an_item_is_dropped(furniture: str) -> None:
    text = OUTLINE_2021.replace(
        "3．妇女的宫颈癌和乳腺癌防治意识明显提高。", f"3．妇女的宫颈癌和乳腺癌防治意识\n{furniture}\n明显提高。"
    )
    plan = _plan(text)
    assert plan.domains[0].targets[2].text.startswith("妇女的宫颈癌和乳腺癌防治意识明显提高。")


def test_bare_title_takes_the_period_printed_with_the_first_heading() -> None:
    text = "中国儿童发展纲要\n\n中国儿童发展纲要（2011-2020）（一）儿童与健康。\n主要目标：1.婴儿死亡率控制在10‰以下。"
    plan = _plan(text)
    assert plan.title == "中国儿童发展纲要（2011-2020）"
    assert plan.period is not None and (plan.period.start, plan.period.end) == (2011, 2020)
    assert [(d.name, len(d.targets)) for d in plan.domains] == [("儿童与健康", 1)]


def test_a_sentence_that_mentions_a_domains_targets_does_not_open_a_list() -> None:
    text = OUTLINE_2021.replace(
        "四、组织实施\n", "四、组织实施\n各部门要对照妇女与健康领域主要目标逐项落实责任。\n"
    )
    plan = _plan(text)
    assert [(d.name, len(d.targets)) for d in plan.domains] == [("妇女与健康", 3), ("妇女与教育", 2)]


# The State Council's notice as published on the web: no masthead, the notice title above the
# number, the two outlines one after the other, each titled on two lines.
NATIONAL_NOTICE = """国务院关于印发中国妇女发展纲要和中国儿童发展纲要的通知
国发〔2021〕16号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《中国妇女发展纲要（2021—2030年）》和《中国儿童发展纲要（2021—2030年）》印发给你们，请认真贯彻执行。
国务院
2021年9月8日
（此件公开发布）
中国妇女发展纲要
（2021—2030年）
前  言
追求男女平等的事业是伟大的。
一、指导思想、基本原则和总体目标
（一）指导思想。
坚持以习近平新时代中国特色社会主义思想为指导。
（二）基本原则。
1．坚持党的全面领导。坚持妇女事业发展的正确政治方向。
二、发展领域、主要目标和策略措施
（一）妇女与健康。
主要目标：
1．妇女全生命周期享有良好的卫生健康服务，妇女人均预期寿命延长，人均健康预期寿命提高。
2．孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小。
策略措施：
1．完善保障妇女健康的制度机制。
（二）妇女与教育。
主要目标：
1．教育工作全面贯彻男女平等基本国策。
策略措施：
1．加强教育系统男女平等基本国策宣传教育。
三、组织实施
1．坚持党的全面领导。
中国儿童发展纲要
（2021—2030年）
前  言
儿童是国家的未来、民族的希望。
二、发展领域、主要目标和策略措施
（一）儿童与健康。
主要目标：
1．覆盖城乡的儿童健康服务体系更加完善，儿童医疗保健服务能力明显增强，儿童健康水平不断提高。
2．新生儿、婴儿和5岁以下儿童死亡率分别降至3.0‰、5.0‰和6.0‰以下，地区和城乡差距逐步缩小。
策略措施：
1．优先保障儿童健康。
（二）儿童与安全。
主要目标：
1．减少儿童伤害所致死亡和残疾。儿童伤害死亡率以2020年为基数下降20%。
"""


def test_state_council_notice_holds_the_two_outlines() -> None:
    catalogue = _read(NATIONAL_NOTICE)
    plans = [(p.title, p.subject, p.doc_number, p.issuer, p.region, str(p.date)) for p in catalogue.plans]
    assert plans == [
        ("中国妇女发展纲要（2021—2030年）", "women", "国发〔2021〕16号", "国务院", "全国", "2021-09-08"),
        ("中国儿童发展纲要（2021—2030年）", "children", "国发〔2021〕16号", "国务院", "全国", "2021-09-08"),
    ]
    women, children = catalogue.plans
    assert [(d.name, len(d.targets), len(d.measures)) for d in women.domains] == [
        ("妇女与健康", 2, 1),
        ("妇女与教育", 1, 1),
    ]
    # 基本原则's "1．坚持党的全面领导。" and 组织实施's are not targets or measures
    assert [(d.name, len(d.targets), len(d.measures)) for d in children.domains] == [
        ("儿童与健康", 2, 1),
        ("儿童与安全", 1, 0),
    ]
    values = [(i.name, i.value) for i in children.domains[0].targets[1].indicators]
    assert values == [("新生儿死亡率", 3.0), ("婴儿死亡率", 5.0), ("5岁以下儿童死亡率", 6.0)]


def test_full_stops_left_by_page_breaks_inside_a_target_are_joined() -> None:
    from planwatch.plan.reader import read_text

    text = (
        "（一）儿童与健康。\n主要目标：\n1.婴儿和5岁以下儿童死亡率分别控制在10‰。\n\n和13‰。\n\n以下。\n\n"
        "2.低出生体重发生率控制在4%以下。\n"
    )
    catalogue = read_text(text)
    targets = catalogue.plans[0].domains[0].targets
    assert [(i.comparator, i.value, i.unit) for i in targets[0].indicators] == [("<=", 10.0, "‰"), ("<=", 13.0, "‰")]
    assert [(i.comparator, i.value) for i in targets[1].indicators] == [("<=", 4.0)]


def test_a_per_mille_rate_printed_with_per_cent_is_warned() -> None:
    from planwatch.plan.reader import read_text

    text = "（一）儿童与健康。\n主要目标：\n1.新生儿破伤风发病率以县为单位降低到1%以下。\n"
    catalogue = read_text(text)
    assert [(i.value, i.unit) for i in catalogue.plans[0].domains[0].targets[0].indicators] == [(1.0, "‰")]
    assert any("按千分率（‰）读取" in w.message for w in catalogue.warnings)


# A 政策解读 page quoting one plan's domains: "(一)X与Y" then "1." items, no 主要目标 line,
# after an introduction that cites both the women's and the children's plan.
INTERPRETATION = """《某市妇女发展规划（2021—2030年）》《某市儿童发展规划（2021—2030年）》政策解读
两个《规划》均由四个部分组成。
某市妇女发展规划（2021—2030年）》发展领域及主要目标
(一)妇女与健康
1.孕产妇系统管理率保持在90%以上。
2.加大妇女常见病防治力度。
(二)妇女与教育
1.女童平等接受义务教育，九年义务教育巩固率提高到96%以上。
"""


def test_domain_heading_followed_by_items_reads_them_as_targets() -> None:
    catalogue = _read(INTERPRETATION)
    [plan] = catalogue.plans
    assert plan.subject == "women"
    assert plan.title == "某市妇女发展规划（2021—2030年）"
    assert [(d.name, [t.number for t in d.targets]) for d in plan.domains] == [
        ("妇女与健康", [1, 2]),
        ("妇女与教育", [1]),
    ]
    assert [(i.comparator, i.value) for i in plan.domains[1].targets[0].indicators] == [(">=", 96.0)]


def test_items_under_a_measures_chapter_stay_measures() -> None:
    text = """三、策略措施
（一）妇女与健康
1．加强妇幼健康服务体系建设。
2．完善保障妇女健康的制度机制。
"""
    paragraphs = build_paragraphs(text.splitlines(), start=0, standalone=STANDALONE)
    [domain] = read_domains(paragraphs, lambda _line, _message: None)
    assert (domain.name, len(domain.targets), len(domain.measures)) == ("妇女与健康", 0, 2)


def test_pinyin_glosses_of_a_mirror_site_are_removed() -> None:
    text = INTERPRETATION.replace("孕产妇系统", "孕產(chǎn)婦系統(tǒng)").replace("常见病", "常見(jiàn)病")
    [plan] = _read(text).plans
    # Too few traditional characters here for OpenCC to run: only the glosses go.
    assert plan.domains[0].targets[0].text == "孕產婦系統管理率保持在90%以上。"
    assert plan.domains[0].targets[1].text == "加大妇女常見病防治力度。"


def test_toneless_glosses_go_only_where_a_line_has_several() -> None:
    text = INTERPRETATION.replace("加大妇女常见病防治力度", "加(jia)大妇(fu)女常见(jian)病防治力度")
    text = text.replace("保持在90%以上。", "保持在90%以上（a）。")
    [plan] = _read(text).plans
    assert plan.domains[0].targets[1].text == "加大妇女常见病防治力度。"
    assert plan.domains[0].targets[0].text == "孕产妇系统管理率保持在90%以上（a）。"
