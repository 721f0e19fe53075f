"""The whole reader on small fixtures: each format quirk, odd documents, arbitrary text.

`PLAN` is a small plan written for these tests in the shape of the seeds. Every quirk
variant of it (bookmarks, Markdown marks, half-width punctuation, 〔〕 blocks, lines broken
mid-word) must read to exactly the same plan; odd documents must give what can be read plus
warnings with line numbers; and no text at all may make the reader raise.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwatch.plan.cleanup import normalize_line
from planwatch.plan.model import Catalogue, Plan
from planwatch.plan.reader import read_text

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "plans"

PLAN = """\
某某区人民政府文件
某政发〔2023〕12号

某某区人民政府关于印发某某区“十四五”妇女发展规划的通知

各街道办事处，区政府各部门：
现将《某某区“十四五”妇女发展规划》印发给你们，请认真组织实施。

某某区人民政府
2023年1月9日

某某区“十四五”妇女发展规划
按照《临沂市“十四五”妇女发展规划》的总体要求，制定本规划。
一、总体目标
妇女全面发展取得明显进展。
二、发展领域、主要目标和策略措施
（一）妇女与健康。
1.主要目标。
（1）妇女人均预期寿命延长。（牵头单位：区卫生健康局，责任单位：区医保局、区发展改革局）
（2）孕产妇死亡率控制在8/10万以下。（牵头单位：区卫生健康局）
（3）妇女常见病筛查率达到85%以上。（牵头单位：区卫生健康局，责任单位：区财政局、区妇联等区妇儿工委有关成员单位）
2.策略措施。
（1）保障孕产妇安全分娩。孕产妇系统管理率达到90%以上。
（2）提升妇女健康素养。加强健康教育。
（二）妇女与教育。
1.主要目标。
（1）义务教育巩固率保持在98%以上。（牵头单位：区教育体育局，责任单位：区妇联（区妇儿工委办公室））
（2）女性平均受教育年限不断提高。（责任单位：区教育体育局、区人力资源社会保障局）
2.策略措施。
（1）保障女童平等接受义务教育。
三、组织实施
（一）加强组织领导。各部门落实责任。
"""


def _read(text: str) -> Catalogue:
    return read_text(text, source="fixture.txt")


def _only_plan(text: str) -> Plan:
    catalogue = _read(text)
    assert catalogue.warnings == [], catalogue.warnings
    (plan,) = catalogue.plans
    return plan


def test_fixture_plan() -> None:
    plan = _only_plan(PLAN)
    assert plan.title == "某某区“十四五”妇女发展规划"
    assert plan.issuer == "某某区人民政府"
    assert plan.doc_number == "某政发〔2023〕12号"
    assert plan.date == dt.date(2023, 1, 9)
    assert plan.region == "临沂市某某区"
    assert plan.subject == "women"
    assert [(d.name, len(d.targets), len(d.measures)) for d in plan.domains] == [
        ("妇女与健康", 3, 2),
        ("妇女与教育", 2, 1),
    ]
    health, education = plan.domains
    assert health.targets[0].lead_units == ["区卫生健康局"]
    assert health.targets[0].responsible_units == ["区医保局", "区发展改革局"]
    assert health.targets[2].responsible_units == ["区财政局", "区妇联"]
    assert health.targets[2].responsible_units_note == "等区妇儿工委有关成员单位"
    assert education.targets[0].responsible_units == ["区妇联（区妇儿工委办公室）"]
    assert education.targets[1].lead_units == []
    assert health.measures[0].title == "保障孕产妇安全分娩"
    assert [t.text for t in health.targets] == [
        "妇女人均预期寿命延长。",
        "孕产妇死亡率控制在8/10万以下。",
        "妇女常见病筛查率达到85%以上。",
    ]


def _bookmarked(text: str) -> str:
    """Word export: anchors before headings and items, sometimes several in a row."""
    out: list[str] = []
    for n, line in enumerate(text.splitlines()):
        if re.match(r"^(（|[一二三]、|\d\.)", line):
            anchors = "".join(f"[bookmark: _Toc{n}{k}]" for k in range(1 + n % 3))
            line = anchors + line
        out.append(line)
    return "\n".join(out)


def _markdown(text: str) -> str:
    """PDF-to-Markdown: heading marks on mastheads, titles, chapters, sections, list heads."""
    out: list[str] = []
    for line in text.splitlines():
        if re.match(r"^(某某区人民政府文件|某某区“|[一二三]、)", line):
            line = "## " + line
        elif re.match(r"^（[一二三]）.{0,10}$", line):
            line = "### " + line
        elif re.match(r"^\d\.(主要目标|策略措施)", line):
            line = "#### " + line.replace(".", ". ", 1)
        out.append(line)
    return "\n".join(out)


def _half_width(text: str) -> str:
    """Gazette extraction mixes half-width brackets, colons and commas, with stray spaces."""
    text = re.sub(r"（(\d+)）", r"(\1) ", text)
    text = text.replace("牵头单位：", "牵头单位: ").replace("责任单位：", "责任单位:")
    text = text.replace("，责任单位", ", 责任单位")
    return text.replace("（牵头", "(牵头").replace("局）\n", "局)\n")


def _tortoise_shell(text: str) -> str:
    """市中区 writes 〔…〕 around unit blocks (mainly those holding a nested parenthesis)."""
    return re.sub(r"（((?:牵头|责任)单位：[^\n]*)）$", r"〔\1〕", text, flags=re.M)


def _broken(text: str, width: int = 9) -> str:
    """Lines cut every `width` characters, with blank lines between, like a PDF page layout
    (headings, titles and dates stay on their own lines as they do in print)."""
    out: list[str] = []
    for line in text.splitlines():
        if line.startswith("（") and len(line) > 20:
            out.extend(piece for i in range(0, len(line), width) for piece in (line[i : i + width], ""))
        else:
            out.append(line)
    return "\n".join(out)


def test_quirk_variants_are_what_they_claim() -> None:
    assert "[bookmark: _Toc" in _bookmarked(PLAN)
    assert "#### 1. 主要目标。" in _markdown(PLAN)
    assert "(牵头单位: 区卫生健康局, 责任单位:区医保局" in _half_width(PLAN)
    assert "〔牵头单位：区教育体育局，责任单位：区妇联（区妇儿工委办公室）〕" in _tortoise_shell(PLAN)
    units = ["区卫生健康局", "区医保局", "区发展改革局", "区财政局", "区教育体育局", "区人力资源社会保障局"]
    for width in (9, 6):
        broken = _broken(PLAN, width)
        cut = [u for u in units if u not in broken]
        assert len(cut) >= 2, (width, cut)  # several unit names are cut by blank lines
        assert "区教育体\n\n育局" in _broken(PLAN, 9)


def test_each_quirk_reads_to_the_same_plan() -> None:
    expected = _only_plan(PLAN)
    variants = {
        "bookmarks": _bookmarked(PLAN),
        "markdown": _markdown(PLAN),
        "half-width": _half_width(PLAN),
        "〔〕": _tortoise_shell(PLAN),
        "broken lines": _broken(PLAN),
        "broken lines, narrow": _broken(PLAN, width=6),
        "all at once": _broken(_half_width(_markdown(_bookmarked(_tortoise_shell(PLAN))))),
        "CRLF": PLAN.replace("\n", "\r\n"),
    }
    for name, text in variants.items():
        assert _only_plan(text) == expected, name


def test_full_width_digits_and_ideographic_spaces() -> None:
    text = PLAN.replace("85%", "８５％").replace("（1）妇女", "（1）\u3000妇女")
    assert _only_plan(text) == _only_plan(PLAN)


# --- warnings with line numbers -----------------------------------------------------------


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_numbering_gap_is_reported_with_its_line() -> None:
    text = PLAN.replace("（3）妇女常见病", "（4）妇女常见病")
    catalogue = _read(text)
    (warning,) = catalogue.warnings
    assert warning.file == "fixture.txt"
    assert warning.line == _line_of(text, "（4）妇女常见病")
    assert "妇女与健康" in warning.message and "编号不连续" in warning.message
    # The items are still read, with the numbers as printed.
    assert [t.number for t in catalogue.plans[0].domains[0].targets] == [1, 2, 4]


def test_numbering_gap_in_measures_is_reported_with_its_line() -> None:
    text = PLAN.replace("（2）提升妇女健康素养", "（3）提升妇女健康素养")
    (warning,) = _read(text).warnings
    assert warning.line == _line_of(text, "（3）提升妇女健康素养")
    assert "策略措施" in warning.message


def test_numbering_gap_line_counts_physical_lines_of_a_broken_file() -> None:
    text = _broken(PLAN.replace("（3）妇女常见病", "（5）妇女常见病"))
    (warning,) = _read(text).warnings
    assert warning.line == _line_of(text, "（5）妇女常见")


def test_target_without_unit_block_is_read_and_reported() -> None:
    text = PLAN.replace("（牵头单位：区卫生健康局）\n", "\n")
    catalogue = _read(text)
    (warning,) = catalogue.warnings
    assert warning.line == _line_of(text, "（2）孕产妇")
    target = catalogue.plans[0].domains[0].targets[1]
    assert target.text == "孕产妇死亡率控制在8/10万以下。"
    assert (target.lead_units, target.responsible_units) == ([], [])


def test_domain_without_targets_is_reported() -> None:
    text = PLAN.replace(
        "1.主要目标。\n（1）义务教育巩固率保持在98%以上。（牵头单位：区教育体育局，"
        "责任单位：区妇联（区妇儿工委办公室））\n（2）女性平均受教育年限不断提高。"
        "（责任单位：区教育体育局、区人力资源社会保障局）\n",
        "",
    )
    catalogue = _read(text)
    assert [d.name for d in catalogue.plans[0].domains] == ["妇女与健康", "妇女与教育"]
    assert any(w.line == _line_of(text, "（二）妇女与教育") and "妇女与教育" in w.message for w in catalogue.warnings)


def test_plan_without_the_domains_chapter_is_reported() -> None:
    text = PLAN.split("二、发展领域")[0]
    catalogue = _read(text)
    (plan,) = catalogue.plans
    assert plan.title == "某某区“十四五”妇女发展规划"
    assert plan.domains == []
    assert any(w.line == _line_of(text, "某某区“十四五”妇女发展规划") for w in catalogue.warnings)


def test_list_head_before_any_domain_is_reported() -> None:
    text = PLAN.replace("（一）妇女与健康。\n", "")
    catalogue = _read(text)
    assert any(w.line == _line_of(text, "1.主要目标") for w in catalogue.warnings)
    assert [d.name for d in catalogue.plans[0].domains] == ["妇女与教育"]


def test_truncated_document_returns_what_it_could() -> None:
    """A file cut in the middle of a target still gives its domains so far."""
    text = PLAN[: PLAN.index("（3）妇女常见病") + 20]
    catalogue = _read(text)
    (plan,) = catalogue.plans
    (health,) = plan.domains
    assert [t.number for t in health.targets] == [1, 2, 3]
    assert health.targets[1].lead_units == ["区卫生健康局"]
    assert catalogue.warnings  # the cut target has no unit block


def test_text_with_no_plan_gives_a_warning() -> None:
    for text in ["", "\n\n", "这是一段与规划无关的文字。", "# 标题\n\n正文"]:
        catalogue = _read(text)
        assert catalogue.warnings, repr(text)
        assert all(not p.domains for p in catalogue.plans)


def test_masthead_without_number_or_date() -> None:
    text = PLAN.replace("某政发〔2023〕12号\n", "").replace("2023年1月9日\n", "")
    catalogue = _read(text)
    (plan,) = catalogue.plans
    assert (plan.doc_number, plan.date) == (None, None)
    assert [len(d.targets) for d in plan.domains] == [3, 2]


# --- property tests -----------------------------------------------------------------------

_PUNCTUATION = "（）()〔〕〈〉【】《》“”、，,。：:；;！？!?%％‰/·—-～~ \t\u3000#*[]_.\n"
_CJK_COMMON = (
    "一二三四五六七八九十区局委牵头单位责任等主要目标策略措施"
    "发展领域妇女儿童健康规划文件号年月日率以上以下左右达到保持控制在提高下降"
)
_ALPHABET = st.one_of(
    st.sampled_from(_PUNCTUATION),
    st.sampled_from(_CJK_COMMON),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x30, max_codepoint=0x39),
    st.characters(codec="utf-8"),
)

_SEED_LINES = [
    line
    for name in ("jinan-shizhong-2022-7.txt", "shanting-gazette-2022-1.md")
    for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()
]


def _normalised(text: str) -> str:
    return "".join(normalize_line(line) for line in text.splitlines())


def _check(text: str) -> Catalogue:
    """Read `text`; every raw and every item text must be a substring of its normalised form."""
    catalogue = read_text(text, source="hypothesis")
    flat = _normalised(text)
    for plan in catalogue.plans:
        for domain in plan.domains:
            indicators = [i for t in domain.targets for i in t.indicators]
            indicators += [i for m in domain.measures for i in m.indicators]
            for indicator in indicators:
                assert indicator.raw, indicator
                assert indicator.raw in flat, (indicator.raw, text)
            for direction in (d for t in domain.targets for d in t.directions):
                assert direction.raw in flat, (direction.raw, text)
            # Item texts are cut from the repaired text, never rewritten.
            for item_text in [*(t.text for t in domain.targets), *(m.text for m in domain.measures)]:
                assert item_text in flat, (item_text, text)
    return catalogue


_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@_SETTINGS
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


@pytest.mark.slow
@_SETTINGS
@given(st.lists(st.sampled_from(_SEED_LINES), max_size=60))
def test_mixtures_of_seed_lines_never_raise(lines: list[str]) -> None:
    _check("\n".join(lines))


@pytest.mark.slow
@_SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(_SEED_LINES), st.integers(0, 60), st.text(_PUNCTUATION, max_size=3)),
        min_size=1,
        max_size=40,
    )
)
def test_seed_lines_cut_and_glued_never_raise(parts: list[tuple[str, int, str]]) -> None:
    """Seed lines cut at random points and glued with stray punctuation, like bad extraction."""
    _check("".join(line[:cut] + glue for line, cut, glue in parts))


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.integers(0, len(PLAN) - 1), st.integers(1, 40), st.text(_PUNCTUATION, max_size=4))
def test_damaged_fixture_plan_never_raises(at: int, length: int, junk: str) -> None:
    """Cutting a piece out of a good plan and putting junk there loses at most that piece."""
    damaged = PLAN[:at] + junk + PLAN[at + length :]
    catalogue = _check(damaged)
    assert sum(len(d.targets) for p in catalogue.plans for d in p.domains) <= 5 + 1


def test_whole_seeds_satisfy_the_raw_substring_property() -> None:
    for name in ("jinan-shizhong-2022-7.txt", "shanting-gazette-2022-1.md"):
        catalogue = _check((SEEDS / name).read_text(encoding="utf-8"))
        assert sum(len(i.indicators) for p in catalogue.plans for d in p.domains for i in d.targets)
