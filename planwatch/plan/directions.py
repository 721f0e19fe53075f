"""Directional targets: a way to move and no number (妇女人均预期寿命延长, 减少非意愿妊娠).

Half of a plan's 主要目标 are of this kind, and the assessment judges them by the sign of
the change, so each one needs a name that the member units can report figures for.

Rules (pinned by tests):

* A clause is read either as ``<name><adverbs><verb>`` (城乡、区域差距缩小, 女性青壮年文盲
  基本消除) or as ``<adverbs><verb><name>`` (提高妇女健康素养水平, 基本消除女性青壮年文盲
  现象, 预防和减少孕产妇贫血); the first form is tried first.
* increase: 提高/提升/增强/增加/扩大/延长/增长; decrease: 下降/降低/减少/减缓/缩小/减轻/
  遏制/控制 and 得到(有效)控制; maintain: 保持/稳定/巩固/维持; eliminate: 消除/杜绝/消灭.
  Adverbs (逐步, 不断, 明显, 稳步, 持续, 基本, 全面 …) are dropped from the name.
* 妇女焦虑障碍、抑郁症患病率上升趋势减缓 is ``decrease`` of "…患病率上升趋势": the thing to
  be slowed is the rise, and a falling slope is what the assessment can check.
* A clause that already yielded a quantitative indicator is skipped, and so is any clause
  naming the responsible units (牵头单位/责任单位).  Lists are not split: 妇女失业保险和
  工伤保险的参保率以及待遇水平逐步提高 is one directional target.
* Sentence fragments (:mod:`planwatch.plan.fragments`) are never directions on their own:
  城乡、区域差距缩小 after 孕产妇死亡率控制在8/10万以下 in the same sentence becomes
  ``decrease`` of 孕产妇死亡率城乡差距 (one per quantitative indicator of that sentence, none
  when there is none or when only 区域/男女 gaps are named); 利用率和服务质量提高 and
  待遇水平稳步提高 are dropped, their target's text keeps them for the qualitative judgement.
* 巩固提高 X is ``increase`` of X (consolidate and raise), not ``maintain`` of "提高X".
* Conservative about names: a name must hold at least two CJK characters, no digits, and
  must not be a bare policy object (体系, 机制, 制度, 工作, 建设 …) — 提高…能力/意识 is kept,
  because the plans state such targets and the monitoring group decides how to measure them.
"""

from __future__ import annotations

import re

from planwatch.plan.fragments import fragment_reason, gap_dimensions, gap_indicator_name
from planwatch.plan.model import Direction, DirectionKind, Indicator
from planwatch.plan.quantities import clause_spans, clean_name, extract_indicators

_ADVERB = (
    "(?:逐步|逐年|不断|明显|稳步|持续|显著|进一步|有效|全面|基本|大幅|日益|更加|继续|切实|"
    "大力|努力|积极|逐渐|较快|快速|得到|有所)"
)
_VERB_KIND: dict[str, DirectionKind] = {}
for _words, _kind in (
    ("提高 提升 增强 增加 扩大 延长 增长", "increase"),
    ("下降 降低 减少 减缓 缩小 减轻 遏制 控制 缩短", "decrease"),
    ("保持 稳定 巩固 维持", "maintain"),
    ("消除 杜绝 消灭", "eliminate"),
):
    for _w in _words.split():
        _VERB_KIND[_w] = _kind  # type: ignore[assignment]
_VERB = "(?:" + "|".join(sorted(_VERB_KIND, key=len, reverse=True)) + ")"

_SUFFIX_FORM = re.compile(rf"^(?P<name>.+?)(?:{_ADVERB})*(?P<verb>{_VERB})$")
_PREFIX_FORM = re.compile(rf"^(?:[^，、和]{{1,4}}和)?(?:{_ADVERB})*(?P<verb>{_VERB})(?P<name>.+)$")
_CONSOLIDATE_AND_RAISE = re.compile(rf"^(?:{_ADVERB})*巩固(?:和|并)?提高(?P<name>.+)$")
_MAINTAIN_FORM = re.compile(rf"^(?P<subject>.+?)(?:{_ADVERB})*(?:保持|维持)(?P<object>.+)$")
_NUMBERING = re.compile(
    r"^\s*(?:[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]|[0-9０-９]+\s*[.．、]"
    r"|[一二三四五六七八九十]+\s*、)\s*"
)
_NOT_MEASURABLE = re.compile(
    r"(?:体系|机制|制度|工作|建设|力度|投入|宣传|教育|培训|管理|监管|服务供给|覆盖面|范围|"
    r"政策|措施|作用|渠道|平台|网络|队伍|条件|机会)$"
)
_LEADING_QUALITY = re.compile(r"^(?:较高水平的?|高水平的?|合理)")
_BASIS = re.compile(r"按(?:照)?(?:上级|国家|省|市|有关)(?:要求|规定|部署)?$")
_HAS_DIGIT = re.compile(r"[0-9０-９]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNITS_NOTE = re.compile(r"牵头单位|责任单位")


def _name_ok(name: str) -> bool:
    return (
        2 <= len(name) <= 40
        and len(_CJK.findall(name)) >= 2
        and not _HAS_DIGIT.search(name)
        and not _NOT_MEASURABLE.search(name)
        and not re.fullmatch(_ADVERB + "+", name)
    )


def _read_clause(clause: str) -> tuple[str, DirectionKind] | None:
    body = clean_name(clause)
    if not body:
        return None
    m = _SUFFIX_FORM.match(body)
    if m:
        # …基本生活费标准按上级要求进一步提高: the basis (按上级要求) is not part of the name
        name = _BASIS.sub("", clean_name(m.group("name")))
        if _name_ok(name):
            return name, _VERB_KIND[m.group("verb")]
    m = _CONSOLIDATE_AND_RAISE.match(body)
    if m:
        name = _LEADING_QUALITY.sub("", clean_name(m.group("name")))
        if _name_ok(name):
            return name, "increase"
    m = _PREFIX_FORM.match(body)
    if m:
        name = _LEADING_QUALITY.sub("", clean_name(m.group("name")))
        if _name_ok(name):
            return name, _VERB_KIND[m.group("verb")]
    m = _MAINTAIN_FORM.match(body)
    if m:
        # 中国共产党女党员保持合理比例 → maintain 中国共产党女党员比例
        name = clean_name(m.group("subject")) + _LEADING_QUALITY.sub("", m.group("object"))
        if _name_ok(name):
            return name, "maintain"
    return None


def extract_directions(text: str, *, exclude: list[Indicator] | None = None) -> list[Direction]:
    """Directional targets in ``text``, skipping clauses that hold a quantitative target.

    ``exclude`` are the indicators already read from the same text; when it is None they are
    read here, so a caller that only wants directions still gets no duplicates.
    """
    if not isinstance(text, str) or not text:
        return []
    if exclude is None:
        exclude = extract_indicators(text)
    taken: list[tuple[int, int]] = []
    spans = clause_spans(text)
    by_sentence: dict[int, list[str]] = {}  # sentence id → quantitative indicator names
    for indicator in exclude:
        pos = text.find(indicator.raw) if indicator.raw else -1
        if pos >= 0:
            taken.append((pos, pos + len(indicator.raw)))
            sid_of = next((sid for s, e, sid in spans if s <= pos < e), None)
            if sid_of is not None:
                by_sentence.setdefault(sid_of, []).append(indicator.name)
    result: list[Direction] = []
    pending: tuple[int, int] | None = None  # a clause ending in 中 that frames the next one
    for start, end, sid in spans:
        frame, pending = pending, None
        if any(s < end and start < e for s, e in taken):
            continue
        raw_clause = text[start:end]
        if _UNITS_NOTE.search(raw_clause):
            continue
        raw = _NUMBERING.sub("", raw_clause.strip(" 　\t\r\n")).strip()
        found = _read_clause(raw)
        if found is None:
            if raw.endswith("中"):
                pending = (start, sid)
            continue
        name, kind = found
        dims = gap_dimensions(name)
        if dims is not None:
            if "residence" in dims and kind == "decrease":
                for base in dict.fromkeys(by_sentence.get(sid, [])):
                    result.append(Direction(name=gap_indicator_name(base), direction=kind, raw=raw))
            continue
        if fragment_reason(name) is not None:
            continue
        if frame is not None and frame[1] == sid:
            # 村党组织成员、村党组织书记中，女性比例逐步提高: the frame belongs to the name.
            framed = _NUMBERING.sub("", text[frame[0] : end].strip(" 　\t\r\n")).strip()
            prefix = clean_name(text[frame[0] : start - 1])
            if framed and prefix:
                name, raw = prefix + name, framed
        result.append(Direction(name=name, direction=kind, raw=raw))
    return result
