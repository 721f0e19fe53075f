"""The body of a development plan: domains, their numbered main targets and measures.

The national template has a chapter "发展领域、主要目标和策略措施" with one （一）… section
per domain, each holding "1.主要目标" and "2.策略措施" lists numbered （1）（2）…. Other house
styles put the domain at chapter level (一、儿童与健康), write the list head inline
(主要目标：1.…) or as （一）主要目标。, number items 1. 1、 ① and hang "——" bullets under
them. A list keeps the marker style of its first item, so "（1）" inside a "1、" list is a
sub-target of that item. Paragraphs without a number inside a list belong to the item before
them: PDF page breaks split items after a full stop, and responsibility blocks may stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planwatch.plan.cleanup import NUMBER_CN, Paragraph
from planwatch.plan.directions import extract_directions
from planwatch.plan.model import Domain, Measure, Target
from planwatch.plan.quantities import extract_indicators
from planwatch.plan.responsibility import parse_unit_block

Warn = Callable[[int | None, str], None]

@dataclass
class _Item:
    number: int
    line: int
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


@dataclass
class _DomainDraft:
    name: str
    line: int
    targets: list[_Item] = field(default_factory=list)
    measures: list[_Item] = field(default_factory=list)


CHAPTER = re.compile(rf"^([{NUMBER_CN}]+)、(.*)$")
PART = re.compile(rf"^第([{NUMBER_CN}]+)(?:部分|章)\s*(.*)$")
SECTION = re.compile(rf"^（([{NUMBER_CN}]+)）(.*)$")
_HEAD_WORDS = "主要目标|具体目标|策略措施|主要措施"
_MARKER = rf"(?:\d{{1,2}}[.．、]|（\d{{1,2}}）|（[{NUMBER_CN}]+）|[{NUMBER_CN}]+、)?"
LIST_HEAD = re.compile(rf"^{_MARKER}({_HEAD_WORDS})(?:[。：]|$)(.*)$")
# Item markers by style; a list keeps the style of its first item, so "（1）" inside a
# "1、" list is a sub-target of that item, not a new target.
_ITEM_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren", re.compile(r"^（(\d{1,2})）(.*)$")),
    ("dot", re.compile(r"^(\d{1,2})[.．](?!\d)(.*)$")),
    ("dun", re.compile(r"^(\d{1,2})、(.*)$")),
    ("circle", re.compile(r"^([①-⑳])(.*)$")),
)
# A digit after the marker is ambiguous (8.0-6个月婴儿…, 10.5岁以下儿童…): it is the next item
# only when the number is the one expected; OCR and spinners also print 2• for 2.
_AMBIGUOUS_ITEM = re.compile(r"^(\d{1,2})[.．•·](.*)$")
_BULLET = re.compile(r"^(?:——|━━|--|－－|—|•|·|▪|■|●)")
# A domain is named after its population and field: 妇女与健康, 儿童与安全, 妇女参与决策和管理.
_DOMAIN_NAME = re.compile(r"^(?:妇女|儿童|女性|妇儿)(?:与|参与)[^，。；：、（）]{1,12}$")
# News reposts introduce a domain's targets in a sentence: …之妇女与教育方面主要目标设置情况。
_DOMAIN_INTRO = re.compile(
    r"(?P<name>(?:妇女|儿童)(?:与|参与)[^，。；：、（）《》]{1,10}?)(?:领域|方面)?(?:的)?主要目标"
)
_TITLE_END = re.compile(r"[。；！？]")


def _domain_name(text: str) -> str:
    name = text.strip().rstrip("。：:；").strip()
    return re.sub(r"(?:领域|方面)$", "", name)


def is_domain_name(text: str) -> bool:
    """妇女与健康 / 儿童与安全领域: a heading that names a development domain."""
    return bool(_DOMAIN_NAME.match(_domain_name(text)))


def _item_of(text: str, expected: int | None) -> tuple[str, int, str] | None:
    """(style, number, rest) when the paragraph opens a numbered item."""
    for style, pattern in _ITEM_STYLES:
        if m := pattern.match(text):
            number = ord(m.group(1)) - 0x245F if style == "circle" else int(m.group(1))
            return style, number, m.group(2)
    if expected is not None and (m := _AMBIGUOUS_ITEM.match(text)) and int(m.group(1)) == expected:
        return "dot", expected, m.group(2)
    return None


@dataclass
class _State:
    domains: list[_DomainDraft] = field(default_factory=list)
    in_chapter: bool = False
    domain: _DomainDraft | None = None
    mode: str | None = None
    style: str | None = None
    current: _Item | None = None
    # The kind of list the chapter holds (三、策略措施 → measures), None before any chapter.
    chapter_kind: str | None = None

    def open_domain(self, name: str, line: int) -> None:
        # A domain already opened under the same name without content (a 发展现状 chapter
        # naming the domains before the targets chapter) is replaced, not kept empty.
        self.domains[:] = [d for d in self.domains if d.name != name or d.targets or d.measures]
        self.domain = _DomainDraft(name=name, line=line)
        self.domains.append(self.domain)
        self.mode, self.style, self.current = None, None, None

    def close(self) -> None:
        self.domain, self.mode, self.style, self.current = None, None, None, None

    def start_list(self, head: str) -> None:
        self.mode = "measures" if head in ("策略措施", "主要措施") else "targets"
        self.style, self.current = None, None

    def expected(self) -> int | None:
        if self.domain is None or self.mode is None:
            return None
        items = getattr(self.domain, self.mode)
        return items[-1].number + 1 if items and self.current is not None else 1


def _collect(paragraphs: list[Paragraph], warn: Warn) -> list[_DomainDraft]:
    state = _State()
    queue = [(p.text, p.line) for p in paragraphs]
    queue.reverse()
    while queue:
        text, line = queue.pop()
        pieces = split_flattened(text)
        if len(pieces) > 1:
            queue.extend((piece, line) for piece in reversed(pieces))
            continue
        if _opens_intro(state, text, queue):
            continue
        rest = _step(state, text, line, warn)
        if rest:
            queue.append((rest, line))
    return [d for d in state.domains if d.targets or d.measures or state.in_chapter]


def _step(state: _State, text: str, line: int, warn: Warn) -> str | None:
    """Read one paragraph; return text left over to be read as the next paragraph."""
    if (chapter := CHAPTER.match(text)) or (chapter := PART.match(text)):
        name = chapter.group(2).strip()
        if is_domain_name(name):
            state.open_domain(_domain_name(name), line)
            return None
        state.in_chapter = any(w in text for w in ("主要目标", "发展领域", "策略措施"))
        only_measures = "策略措施" in text and "主要目标" not in text
        state.chapter_kind = "measures" if only_measures else ("targets" if state.in_chapter else "other")
        state.close()
        return None
    head = LIST_HEAD.match(text)
    if head and (not head.group(2).strip() or _item_of(head.group(2).strip(), 1)):
        if state.domain is None:
            warn(line, f"“{head.group(1)}”出现在任何发展领域之前，已忽略")
        else:
            state.start_list(head.group(1))
        return head.group(2).strip() or None
    section = SECTION.match(text)
    if section and len(section.group(2)) <= 30:
        name = _domain_name(section.group(2))
        if is_domain_name(name) or (state.in_chapter and name):
            state.open_domain(name, line)
            return None
        if state.mode is None or state.style is not None:
            state.close()
            return None
    # A domain heading followed straight by "1." items, with no 主要目标 line between them
    # (outlines quoted in a 政策解读, excerpts): the items are the domain's targets, or its
    # measures inside a chapter that holds only measures.
    first = _item_of(text, 1)
    if state.domain is not None and state.mode is None and state.chapter_kind != "other" and first and first[1] == 1:
        state.start_list("策略措施" if state.chapter_kind == "measures" else "主要目标")
    if state.domain is None or state.mode is None:
        return None
    item = _item_of(text, state.expected())
    if item is not None:
        style, number, rest = item
        if state.style is None:
            state.style = style
        if style == state.style:
            state.current = _Item(number=number, line=line, parts=[rest])
            getattr(state.domain, state.mode).append(state.current)
            return None
    if state.current is not None:
        if bullet := _BULLET.match(text):
            # "——" sub-points of a numbered target: one sentence each, after the target's title.
            text = text[bullet.end() :].strip()
            if state.current.parts and not state.current.parts[-1].endswith(("。", "；", "：", "！", "？")):
                state.current.parts[-1] += "；"
        _continue(state.current.parts, text)
    else:
        warn(line, f"无法归属的段落（不在任何编号条目中）：{text[:30]}")
    return None


# A page or column break after "10%" leaves a full stop the sentence never had:
# 死亡率分别控制在10%。/ 和13%。/ 以下。 — the pieces are one clause.
_BROKEN_TAIL = re.compile(r"^(?:[和及或、]\s*[0-9０-９]|(?:以下|以上|左右|以内)[。；]?$)")


def _continue(parts: list[str], text: str) -> None:
    if parts and parts[-1].endswith("。") and _BROKEN_TAIL.match(text):
        parts[-1] = parts[-1][:-1]
    parts.append(text)


def _opens_intro(state: _State, text: str, queue: list[tuple[str, int]]) -> bool:
    """…儿童与安全领域主要目标设置情况： followed by "1." opens that domain's target list."""
    if state.mode is not None and state.domain is not None:
        return False
    intro = _DOMAIN_INTRO.search(text)
    if intro is None or len(text) > 120 or not queue or _item_of(queue[-1][0], 1) is None:
        return False
    if not (text.endswith("：") or re.search(r"(?:情况|如下)[。：]?$", text)):
        return False  # a sentence that only mentions a domain's targets does not introduce a list
    # …妇女与决策管理领域验收的主要目标: the domain's name ends where 领域/方面 begins.
    state.open_domain(re.sub(r"(?:领域|方面).*$", "", intro.group("name")), queue[-1][1])
    state.start_list("主要目标")
    return True


_CN = NUMBER_CN
# Where a flattened paragraph (a web page or PDF with the line breaks lost) holds several
# headings and items: white space before a marker, a domain heading glued to the line before
# it, a list head or a numbered item right after a full stop.
_SPLIT = re.compile(
    rf"\s+(?=(?:\d{{1,2}}[.．、](?!\d)|（\d{{1,2}}）|（[{_CN}]+）|[{_CN}]+、|——|━━|--|"
    rf"(?:{_HEAD_WORDS})[：。]))"
    rf"|(?<=\S)(?=（[{_CN}]+）(?:妇女|儿童)(?:与|参与)[^（）。，]{{1,12}}[。：]?)"
    rf"|(?<=[。；])(?=(?:{_HEAD_WORDS})[：。]|\d{{1,2}}[.．、](?!\d)|——|━━|--)"
)


def split_flattened(text: str) -> list[str]:
    """Cut a paragraph at the headings, list heads and items run together in it."""
    pieces = [p.strip() for p in _SPLIT.split(text)]
    return [p for p in pieces if p]


def numbering_gaps(numbers: list[int]) -> list[tuple[int, int]]:
    """(position, expected) for each place the numbering skips; a list may restart at 1
    (主要目标 then 具体目标 in one domain)."""
    gaps = []
    expected = 1
    for index, number in enumerate(numbers):
        if number == 1:
            expected = 1
        if number != expected:
            gaps.append((index, expected))
        expected = number + 1
    return gaps


def _check_numbers(items: list[_Item], what: str, domain: str, warn: Warn) -> None:
    for index, expected in numbering_gaps([i.number for i in items])[:1]:
        item = items[index]
        warn(item.line, f"{domain}{what}编号不连续：期望（{expected}），实际（{item.number}）")


def _target(item: _Item, warn: Warn | None, domain: str, unit_warnings: bool = True) -> Target:
    text = item.text
    block = parse_unit_block(text)
    body = text[: block.start].strip() if block.start >= 0 else text
    if block.start < 0 and warn is not None and unit_warnings:
        warn(item.line, f"{domain}主要目标（{item.number}）未注明牵头单位或责任单位")
    indicators = extract_indicators(body)
    if warn is not None:
        for ind in indicators:
            if ind.unit == "‰" and "‰" not in ind.raw:
                warn(
                    item.line,
                    f"{domain}主要目标（{item.number}）“{ind.raw}”印为 %，{ind.name}按千分率（‰）读取，请核对原文",
                )
    return Target(
        number=item.number,
        text=body,
        lead_units=block.lead,
        responsible_units=block.responsible,
        responsible_units_note=block.note,
        indicators=indicators,
        directions=extract_directions(body, exclude=indicators),
    )


def measure_title(text: str) -> str:
    """The short title is the first sentence: （4）保障孕产妇安全分娩。…"""
    match = _TITLE_END.search(text)
    return (text[: match.start()] if match else text[:40]).strip()


def _measure(item: _Item) -> Measure:
    text = item.text
    return Measure(
        number=item.number,
        title=measure_title(text),
        text=text,
        indicators=extract_indicators(text),
    )


def read_domains(paragraphs: list[Paragraph], warn: Warn) -> list[Domain]:
    """Build the domains of one plan from its paragraphs."""
    drafts = _collect(paragraphs, warn)
    # National and provincial outlines name no units at all (a separate 任务分工 table or
    # nothing assigns them): one warning for the plan, not one per target.
    items = [t for d in drafts for t in d.targets]
    annotated = any(parse_unit_block(t.text).start >= 0 for t in items)
    if items and not annotated:
        warn(items[0].line, f"本规划的{len(items)}条主要目标均未注明牵头单位或责任单位，请对照任务分工表补充")
    domains: list[Domain] = []
    for draft in drafts:
        if not draft.targets:
            warn(draft.line, f"发展领域“{draft.name}”没有读到主要目标")
        _check_numbers(draft.targets, "主要目标", draft.name, warn)
        _check_numbers(draft.measures, "策略措施", draft.name, warn)
        domains.append(
            Domain(
                name=draft.name,
                targets=[_target(t, warn, draft.name, unit_warnings=annotated) for t in draft.targets],
                measures=[_measure(m) for m in draft.measures],
            )
        )
    return domains


# Caps on subsidies and eligibility conditions in 扶持办法 are rules for applicants, not
# targets the government sets itself: "单个项目补助最高不超过1000万元".
_RULE_WORDS = ("补助", "奖励", "补贴", "资金", "承诺", "每家企业")


def _is_rule(name: str) -> bool:
    return any(word in name for word in _RULE_WORDS)


def read_policy_sections(paragraphs: list[Paragraph]) -> list[Domain]:
    """Quantitative content of a document that is not a development plan.

    Such documents (扶持办法, 意见, 工作要点) have no 主要目标 lists; every paragraph that states
    a quantitative target becomes a target of the chapter (一、…) it stands in.
    """
    domains: list[Domain] = []
    name = "总体要求"
    targets: list[Target] = []

    def close() -> None:
        if targets:
            domains.append(Domain(name=name, targets=list(targets)))
        targets.clear()

    for para in paragraphs:
        chapter = CHAPTER.match(para.text)
        if chapter and len(para.text) <= 40:
            close()
            name = chapter.group(2).strip().rstrip("。")
            continue
        indicators = [i for i in extract_indicators(para.text) if not _is_rule(i.name)]
        if not indicators:
            continue
        block = parse_unit_block(para.text)
        body = para.text[: block.start].strip() if block.start >= 0 else para.text
        targets.append(
            Target(
                number=len(targets) + 1,
                text=body,
                lead_units=block.lead,
                responsible_units=block.responsible,
                responsible_units_note=block.note,
                indicators=[i for i in indicators if i.raw in body] or indicators,
                directions=[],
            )
        )
    close()
    return domains

