"""The body of a development plan: domains, their numbered main targets and measures.

Both seed plans follow the national template: a chapter "发展领域、主要目标和策略措施" with
one （一）… section per domain, each holding "1.主要目标" and "2.策略措施" lists numbered
（1）（2）…. Paragraphs without a number inside a list belong to the item before them:
PDF page breaks split items after a full stop, and responsibility blocks may stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planwatch.plan.cleanup import NUMBER_CN, Paragraph
from planwatch.plan.directions import extract_directions
from planwatch.plan.model import Domain, Measure, Target
from planwatch.plan.quantities import extract_indicators
from planwatch.plan.units import parse_unit_block

CHAPTER = re.compile(rf"^([{NUMBER_CN}]+)、(.*)$")
SECTION = re.compile(rf"^（([{NUMBER_CN}]+)）(.*)$")
LIST_HEAD = re.compile(r"^\d+[.、．]?(主要目标|策略措施)[。：]?$")
ITEM = re.compile(r"^（(\d+)）(.*)$")
_TITLE_END = re.compile(r"[。；！？]")

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


def _cn_number(text: str) -> int:
    digits = {c: i + 1 for i, c in enumerate(NUMBER_CN[:9])}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return digits.get(tens, 0) * 10 + digits.get(ones, 0)
    return digits.get(text, 0)


def _collect(paragraphs: list[Paragraph], warn: Warn) -> list[_DomainDraft]:
    domains: list[_DomainDraft] = []
    in_chapter = False
    mode: str | None = None
    current: _Item | None = None
    for para in paragraphs:
        text = para.text
        chapter = CHAPTER.match(text)
        if chapter:
            in_chapter = "主要目标" in text or "发展领域" in text
            mode, current = None, None
            continue
        if not in_chapter:
            continue
        section = SECTION.match(text)
        if section and len(section.group(2)) <= 30:
            name = section.group(2).strip().rstrip("。：").strip()
            domains.append(_DomainDraft(name=name, line=para.line))
            mode, current = None, None
            continue
        head = LIST_HEAD.match(text)
        if head:
            mode = "targets" if head.group(1) == "主要目标" else "measures"
            current = None
            if not domains:
                warn(para.line, f"“{head.group(1)}”出现在任何发展领域之前，已忽略")
            continue
        item = ITEM.match(text)
        if item and mode and domains:
            current = _Item(number=int(item.group(1)), line=para.line, parts=[item.group(2)])
            getattr(domains[-1], mode).append(current)
            continue
        if current is not None:
            current.parts.append(text)
        elif domains and mode:
            warn(para.line, f"无法归属的段落（不在任何编号条目中）：{text[:30]}")
    return domains


def _check_numbers(items: list[_Item], what: str, domain: str, warn: Warn) -> None:
    for expected, item in enumerate(items, start=1):
        if item.number != expected:
            warn(item.line, f"{domain}{what}编号不连续：期望（{expected}），实际（{item.number}）")
            break


def _target(item: _Item, warn: Warn, domain: str) -> Target:
    text = item.text
    block = parse_unit_block(text)
    body = text[: block.start].strip() if block.start >= 0 else text
    if block.start < 0:
        warn(item.line, f"{domain}主要目标（{item.number}）未注明牵头单位或责任单位")
    indicators = extract_indicators(body)
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
    domains: list[Domain] = []
    for draft in drafts:
        if not draft.targets:
            warn(draft.line, f"发展领域“{draft.name}”没有读到主要目标")
        _check_numbers(draft.targets, "主要目标", draft.name, warn)
        _check_numbers(draft.measures, "策略措施", draft.name, warn)
        domains.append(
            Domain(
                name=draft.name,
                targets=[_target(t, warn, draft.name) for t in draft.targets],
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

