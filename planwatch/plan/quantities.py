"""Quantitative targets (孕产妇死亡率控制在8/10万以下) read from a target's or measure's text.

The reader works clause by clause (a clause ends at 。；， outside brackets).  Inside a
clause it finds *value expressions* — a number, its unit and an optional qualifier such as
以上/以下/左右 — and reads the comparator from the verb right before the number and from the
qualifier.  The indicator name is the text between the start of the statement and that verb,
trimmed of connectors (且, 并, 其中, 力争, 确保 …) and modifiers (分别, 均, 总体, 逐步 …).

Decisions a statistician should know about (each one is pinned by a test):

* Comparators come from the table in ``planwatch.plan.semantics``.  The qualifier wins:
  以上 → ``>=``, 以下/以内 → ``<=``, 左右/约 → ``~``.  Without one the verb decides:
  达到/达/为/实现/不低于/提高到 → ``>=`` (达到70% is at least 70 %); 不超过/控制在/降至 → ``<=``;
  低于/少于 → ``<``; 超过/高于 → ``>``; 保持(在)/稳定在/维持在 → ``maintain`` (also with 左右:
  保持在45%左右 is a level to hold, on the side of the indicator's better direction).  Bare
  numbers read as targets (力争…新增股改企业20家) and shares (95%的城市社区…) are floors.
* A change rather than a level (以2020年为基数下降20%, 平均每年降低一个百分点以上, 翻一番,
  年均增长3%) is a *relative* target of the real indicator (儿童意外伤害死亡率): ``relative``
  gives its kind, ``base_year`` the year named (or None), ``value`` the signed amount and the
  comparator the bound it becomes (``<=`` for a fall).  A range X–Y after 保持在/控制在/在, or
  of a 性别比, is two targets: ``>=`` X and ``<=`` Y.
* Values: 8/10万 → 8 "/10万"; a count per thousand people or children (每千人口…4.5个,
  每千名儿童…0.85名) → "/千" and the name gets 数 appended when it lacks it; 3:2 → 1.5 "比";
  一半 → 50 "%"; 三分之一 and 1/3 → 33.33 "%" (two decimals, as the bureaus print rates);
  百分之九十 → 90 "%"; 个工作日 → "工作日"; 周岁 → "岁".
* Not targets: numbers with neither a comparator verb nor a qualifier (九年义务教育,
  学前3年毛入园率, 区级设1所政府举办的… — the 1所 there is an article: the measure is to
  build the centre, which the plan reader keeps as text); ages and age ranges (5岁以下儿童,
  0—6岁, 35-45岁); years (2025年); other ranges (2-3家); values followed by 的 (1亿元（含）以上的
  工业项目 — an eligibility condition, not a target) together with the 、-list they close.
* Lists.  With 分别 (or several values) the name is split into its items and values are
  paired in order.  Items are parsed as [population][disease][head]; when only the last item
  carries the head (新生儿、婴儿和5岁以下儿童死亡率) the head is distributed, and when the
  items list populations and diseases (农村适龄妇女和城镇低保适龄妇女宫颈癌、乳腺癌人群检查率)
  the result is their cross product, populations first.  Without 分别 a name is split only
  when it has a 、-list of such items or every item is a complete indicator; 公办幼儿园和普惠性
  民办幼儿园在园幼儿占比 stays one indicator (it is a combined share).
* Shares (95%的城市社区…建立家长学校, 一半以上的领导班子配备女干部) become
  "<noun><predicate>的比例" in "%".
* ``raw`` is always an exact substring of the input: the statement from its first name
  character to the end of its value expression(s); for a split compound the whole statement.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from planwatch.plan.model import Indicator
from planwatch.plan.numerals import fraction_as_percent, parse_chinese_number, to_halfwidth_digits
from planwatch.plan.semantics import (
    CHANGE_VERBS,
    LEVEL_WORDS,
    RELATIVE_AMOUNT_UNITS,
    qualifier_comparators,
    relative_comparator,
    verb_comparators,
)

# --- value expressions -------------------------------------------------------------------

_CN_NUM = "[零〇一二两三四五六七八九十百千]{1,6}(?:点[零〇一二三四五六七八九]{1,4})?"
_AR_NUM = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_FRACTION = (
    "(?:[一二两三四五六七八九十百千]{1,3}分之[一二两三四五六七八九十]{1,3}"
    "(?:点[零〇一二三四五六七八九]{1,4})?|一半|半数|过半)"
)
# 1/6, 1/4 written with digits (以2010年为基数下降1/6); never the start of 8/10万 or 1/千.
_AR_FRACTION = r"(?<![0-9０-９.．/])[0-9]{1,2}\s*/\s*[1-9][0-9]?(?![0-9０-９.．万千])"
_RANGE_SEP = r"\s*[-—–~～至]\s*"

# Units, longest spelling first; the lookaheads stop 个月, 次性, 项目, 家庭, 人口 … being units.
_UNIT = (
    r"/\s*10\s*万|/\s*十万|/\s*万|/\s*千|‰|%|％|个百分点|百分点|亿元|万元|元(?![素宵])"
    r"|平方米|个小时|小时|个工作日|工作日|天(?!然)|年(?![龄级度底末初前内份轻])|周岁|岁(?!月)"
    r"|人(?![口员群才数均民次工为们格])|名(?![单额称义誉])|个(?![月人体别性])|所(?![有属在以谓])"
    r"|家(?![庭长具属乡])|项(?![目])|次(?![性数])|张(?![贴])"
)
_QUAL = r"(?:\s*[（(]含[)）])?(?:及以上|以上|及以下|以下|以内|之内|左右|上下)?"

_VALUE = re.compile(
    rf"(?P<range>(?:{_AR_NUM}|{_CN_NUM}){_RANGE_SEP})?"
    rf"(?:(?P<ratio_a>{_AR_NUM})\s*[:：]\s*(?P<ratio_b>{_AR_NUM})"
    rf"|(?P<frac>{_FRACTION})"
    rf"|(?P<afrac>{_AR_FRACTION})"
    rf"|(?P<num>(?<![第每0-9０-９.．]){_AR_NUM}|(?<![第每零〇一二两三四五六七八九十百千]){_CN_NUM})"
    rf"\s*(?P<unit>{_UNIT}))"
    rf"(?P<qual>{_QUAL})"
)

_QUAL_COMPARATOR = qualifier_comparators()

# Verbs right before the number (planwatch.plan.semantics.PHRASES); checked longest first,
# so 控制在 wins over 在.
_VERBS: dict[str, str] = verb_comparators()
_VERBS_BY_LENGTH = sorted(_VERBS, key=len, reverse=True)
_NEEDS_QUALIFIER = {"在", "是"}  # 费率在0.1%以下 is a bound; 在2025年 is not.

# 至少各配备1名女干部, 至少组织1次…: a short action verb between the comparator and the number.
_ACTION_AFTER_BOUND = re.compile(
    r"(?P<bound>至少|不少于|最少)(?P<action>各?(?:配备|配齐|有|组织|开展|设立|建立|安排|培育|孵化|举办)?)\s*$"
)

# --- names --------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]|[0-9０-９]+\s*[.．、]"
    r"|[一二三四五六七八九十]+\s*、)\s*"
)
_LEADING = re.compile(
    r"^(?:且|并且|并|使|其中|同时|另外|以及|而且|此外|确保|力争|争取|保证|保障|倡导实现|倡导|"
    r"实现|推动|促进|要求|应保证|应|要|我区|本区|"
    r"到?\s*[0-9０-９]{4}\s*年(?:底|末)?(?:前|时)?|到“十四五”末|“十四五”期间|“十四五”末)\s*"
)
_TRAILING = re.compile(
    r"(?:分别|均|各|总体|一般|逐步|逐年|应|要|需|将|力争|要求|需要|确保|"
    r"能够|可|已|的|(?:到|至|在)\s*[0-9０-９]{4}\s*年(?:底|末)?(?:前|时)?)\s*$"
)
_PER_YEAR = re.compile(r"(?:平均每年|每年|年均)\s*$")
# Rates defined per thousand in every plan and in the statistical system (新生儿/婴儿/5岁以下
# 儿童死亡率 per 1 000 live births, 新生儿破伤风发病率 per 1 000): printed with "%" they are
# reposts and extractions that lost the ‰ sign (10‰ → 10%), never a rate in per cent.
_PER_MILLE_RATE = re.compile(
    r"(?:新生儿|婴儿|围产儿|[5五]岁以下儿童)死亡率$|新生儿破伤风发病率(?:以[县乡镇区]为单位)?$"
)
_MILESTONE = re.compile(r"^[；;，,]?\s*(?:到|至|在)\s*[0-9０-９]{4}\s*年(?:底|末)?(?:前|时)?\s*(?:要|将|应|力争)?$")
_PER_CAPITA = re.compile(r"每\s*(?P<base>千|万|十万|10万|百)\s*(?:名|人|个|户)?")
_PER_CAPITA_PREFIX = re.compile(r"^每\s*(?:千|万|十万|10万|百)[^，、]*?(?:拥有|有)")
_HEAD_END = re.compile(r"(?:率|比例|比重|占比|数|年限|寿命|规模|时间|人次|指数|密度)$")
_COUNT_UNITS = {"名", "人", "个", "张", "所", "家", "项", "次"}

_AGE = (
    r"[0-9０-９]+(?:\.[0-9]+)?(?:\s*[-—–~～至]\s*[0-9０-９]+)?\s*(?:周岁|岁|个月|月龄)"
    r"(?:以下|以上|之前|及以下|及以上)?"
)
_POP_MOD = "(?:农村|城镇|城市|城区|城乡|低保|适龄|困难|留守|流动|残疾|困境|低收入|家庭)"
_POP_WORD = (
    "(?:新生儿|婴幼儿|婴儿|儿童|孕产妇|产妇|孕妇|妇女|女性|男性|女童|男童|女孩|男孩|中小学生|"
    "小学生|初中生|高中生|学生|青少年|老年人|女职工|职工)"
)
_DISEASE = "(?:艾滋病|梅毒|乙肝|丙肝|宫颈癌|乳腺癌|结核病|HIV|HPV)"
_ITEM = re.compile(
    rf"^(?P<pop>(?:{_AGE})?{_POP_MOD}*{_POP_WORD})?(?P<dis>{_DISEASE})?(?P<rest>.*)$", re.S
)
_ITEM_SEP = re.compile(r"、|以及|和(?!谐)|(?<![普涉])及(?!以上|以下|其|时)")

# Share statements: 95%的城市社区…建立…, 一半以上的领导班子配备女干部.
_SHARE_PREDICATE = re.compile(
    r"(?:建立|设立|设置|配备|开展|实现|达到|具备|拥有|建成|开设|接受|参加|纳入|有)"
)

# --- clauses ------------------------------------------------------------------------------

_SENTENCE_END = set("。；;！？!?\n")
_CLAUSE_END = set("，,：:")
_OPEN = set("（(")
_CLOSE = set("）)")
_LIST_VALUE_AHEAD = re.compile(rf"\s*(?:{_AR_NUM})\s*(?:‰|%|％)")
_BARE_MARKERS = re.compile(r"力争|确保")


def _last_visible(text: str, start: int, end: int) -> str:
    """The last non-space character of ``text[start:end]``, or ""."""
    j = end - 1
    while j >= start and text[j].isspace():
        j -= 1
    return text[j] if j >= start else ""


def clause_spans(text: str) -> list[tuple[int, int, int]]:
    """Clause spans (start, end, sentence id) in ``text``.

    Commas inside brackets do not end a clause, nor does a comma between two percentages
    (新生儿、婴儿和5岁以下儿童死亡率分别控制在3‰，3‰和3.5‰以下 has one such typo).
    """
    spans: list[tuple[int, int, int]] = []
    start = 0
    depth = 0
    sentence = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END:
            spans.append((start, i, sentence))
            start = i + 1
            depth = 0
            sentence += 1
        elif ch in _CLAUSE_END and depth == 0:
            last = _last_visible(text, start, i)  # not text[start:i].rstrip(): linear time
            if ch in "：:" and last.isdigit() and text[i + 1 : i + 2].isdigit():
                continue  # a ratio such as 3：2
            if last in ("%", "‰", "％") and _LIST_VALUE_AHEAD.match(text, i + 1):
                continue
            spans.append((start, i, sentence))
            start = i + 1
    spans.append((start, len(text), sentence))
    return [s for s in spans if s[1] > s[0]]


# --- the statement model ------------------------------------------------------------------


@dataclass
class _Value:
    start: int
    end: int  # after the qualifier
    value: float
    unit: str
    qualifier: str
    is_range: bool
    is_fraction: bool
    article: bool = False  # a lone 一 (作为一项战略任务) is an article, not a count
    post: str = ""  # noun right after the value (至少配备1名女干部 → 女干部)
    post_end: int = 0


@dataclass
class _Statement:
    start: int  # where the name begins (before trimming)
    verb_start: int
    verb: str
    action: str
    values: list[_Value] = field(default_factory=list)
    implied: bool = False  # no verb of its own; a following 、-sibling's verb covers it


def _read_value(m: re.Match[str]) -> tuple[float, str, bool] | None:
    """(value, canonical unit, is_fraction) of a value-expression match."""
    if m.group("ratio_a"):
        a = float(to_halfwidth_digits(m.group("ratio_a")))
        b = float(to_halfwidth_digits(m.group("ratio_b")))
        if b == 0:
            return None
        return round(a / b, 4), "比", False
    if m.group("frac"):
        frac = m.group("frac")
        if frac.startswith("千分之"):
            value = parse_chinese_number(frac)
            return None if value is None else (round(value * 1000, 2), "‰", True)
        pct = fraction_as_percent(frac)
        return None if pct is None else (pct, "%", True)
    if m.group("afrac"):
        num, den = (float(part) for part in m.group("afrac").replace(" ", "").split("/"))
        if num >= den:
            return None  # 3/2 is not a share; a ratio is written 3:2
        return round(num / den * 100, 2), "%", True
    value = parse_chinese_number(m.group("num"))
    if value is None:
        return None
    unit = re.sub(r"\s+", "", m.group("unit"))
    unit = {
        "％": "%",
        "/十万": "/10万",
        "个百分点": "百分点",
        "个小时": "小时",
        "个工作日": "工作日",
        "周岁": "岁",
    }.get(unit, unit)
    return value, unit, False


def _verb_before(text: str, lo: int, pos: int) -> tuple[str, int, str]:
    """The comparator verb ending at ``pos`` (or ""), where it starts, and any action verb."""
    before = text[lo:pos].rstrip()
    m = _ACTION_AFTER_BOUND.search(before)
    if m and m.group("action"):
        return m.group("bound"), lo + m.start(), m.group("action")
    for verb in _VERBS_BY_LENGTH:
        if before.endswith(verb):
            return verb, lo + len(before) - len(verb), ""
    return "", pos, ""


def clean_name(name: str) -> str:
    """Trim numbering, leading connectors (且, 其中, 力争 …) and trailing modifiers (分别 …)."""
    name = _NUMBERING.sub("", name).strip()
    for _ in range(6):
        new = _LEADING.sub("", name).strip()
        new = _TRAILING.sub("", new).strip()
        if new == name:
            break
        name = new
    return name.strip(" 　，,、：:")


def _split_items(name: str, fenbie: bool, n_values: int) -> list[str]:
    """Split a compound indicator name into single indicators (see the module docstring)."""
    if not _ITEM_SEP.search(name):
        return [name]
    has_list = "、" in name
    items = [s for s in _ITEM_SEP.split(name) if s]
    if len(items) < 2:
        return [name]
    parsed = [_ITEM.match(item) for item in items]
    pops = [m.group("pop") or "" if m else "" for m in parsed]
    diss = [m.group("dis") or "" if m else "" for m in parsed]
    rests = [m.group("rest") if m else item for m, item in zip(parsed, items, strict=True)]

    if all(_HEAD_END.search(item) for item in items):
        # Every item is a complete indicator; borrow the first item's population.
        if not (fenbie or has_list or n_values > 1 or all(pops)):
            return [name]
        first_pop = pops[0]
        return [
            item if (pop or not first_pop) else first_pop + item
            for item, pop in zip(items, pops, strict=True)
        ]

    if not (fenbie or has_list or n_values > 1):
        return [name]
    head = rests[-1]
    if not head or not (pops[-1] or diss[-1]) or not _HEAD_END.search(head):
        return [name]
    if any(
        rest or not (pop or dis)
        for rest, pop, dis in zip(rests[:-1], pops[:-1], diss[:-1], strict=True)
    ):
        return [name]
    pop_list = list(dict.fromkeys(p for p in pops if p)) or [""]
    dis_list = list(dict.fromkeys(d for d in diss if d)) or [""]
    return [p + d + head for p in pop_list for d in dis_list]


def _comparator(verb_cmp: str, qualifier: str) -> str | None:
    qual = qualifier.replace("（含）", "").replace("(含)", "").strip()
    if verb_cmp == "maintain" and qual in ("左右", "上下", ""):
        return "maintain"
    if qual:
        q = _QUAL_COMPARATOR[qual]
        if verb_cmp in ("<", ">") and q != "~":
            return verb_cmp if (verb_cmp == "<") == (q == "<=") else q
        return q
    return verb_cmp or None


class _ClauseReader:
    """Reads the statements of one clause; kept as a class so helpers share the clause."""

    def __init__(self, text: str, start: int, end: int, sentence_marked: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.sentence_marked = sentence_marked
        """whether the clause's sentence says 力争/确保 (a bare number there is a target)."""

    def values(self) -> list[_Value]:
        found: list[_Value] = []
        for m in _VALUE.finditer(self.text, self.start, self.end):
            read = _read_value(m)
            if read is None:
                continue
            value, unit, is_fraction = read
            found.append(
                _Value(
                    start=m.start(),
                    end=m.end(),
                    value=value,
                    unit=unit,
                    qualifier=(m.group("qual") or "").strip(),
                    is_range=bool(m.group("range")),
                    is_fraction=is_fraction,
                    article=m.group("num") == "一",
                )
            )
        # 20%—30%: both ends of a range printed with units (read by ``_ranges``).
        for a, b in itertools.pairwise(found):
            if re.fullmatch(_RANGE_SEP, self.text[a.end : b.start]) and not a.qualifier:
                a.is_range = b.is_range = True
        return found

    def statements(self) -> list[tuple[_Statement, bool]]:
        """Statements and whether each is attributive (closed by 的)."""
        text = self.text
        out: list[tuple[_Statement, bool]] = []
        current: _Statement | None = None
        stmt_start = self.start
        prev_end = self.start
        for v in self.values():
            if v.is_range or (v.unit == "年" and v.value >= 1900 and not v.qualifier):
                continue
            verb, verb_start, action = _verb_before(text, max(stmt_start, v.start - 12), v.start)
            if verb in _NEEDS_QUALIFIER and not v.qualifier:
                verb, verb_start = "", v.start
            if v.unit in ("岁", "个月") and not verb:
                continue  # an age qualifying a population: part of the name
            bound = _VERBS.get(verb) in ("<=", "<", ">=", ">") and verb not in LEVEL_WORDS
            if v.article and v.unit != "百分点" and not bound:
                continue
            between = text[prev_end : v.start]
            link = re.fullmatch(r"(?P<post>[^，,。；;]*?)\s*(?:、|以及|和|及|与|，|,)\s*", between)
            if current is not None and not verb and link is not None:
                current.values[-1].post = link.group("post")
                current.values.append(v)
                prev_end = v.end
                continue
            if current is not None:
                weak = not current.verb and not any(x.qualifier for x in current.values)
                if weak and (verb or v.qualifier):
                    if text[prev_end:verb_start].lstrip().startswith("、"):
                        # 医生0.85名、床位增至2.2张: the sibling's verb covers it.
                        current.implied = True
                        out.append((current, False))
                        stmt_start = prev_end
                    # Otherwise the weak number belongs to the name (学前3年毛入园率).
                else:
                    out.append((current, False))
                    stmt_start = prev_end
            current = _Statement(start=stmt_start, verb_start=verb_start, verb=verb, action=action)
            current.values.append(v)
            prev_end = v.end
        if current is not None:
            out.append((current, False))
        # Trailing nouns of the last value, and attributive (…的) statements.
        result: list[tuple[_Statement, bool]] = []
        for idx, (stmt, _) in enumerate(out):
            last = stmt.values[-1]
            limit = out[idx + 1][0].start if idx + 1 < len(out) else self.end
            tail = text[last.end : limit]
            m = re.match(r"[^、，,。；;]*", tail)
            last.post = m.group(0) if m else ""
            attributive = last.post.startswith("的")
            result.append((stmt, attributive))
        # 1.5%以下的…: the 、-list closed by 的 is a condition as a whole.
        for idx in range(len(result) - 1, 0, -1):
            stmt, attributive = result[idx]
            if attributive:
                prev, _ = result[idx - 1]
                gap = text[prev.values[-1].end : stmt.verb_start].strip()
                if not gap or gap.startswith("、"):
                    result[idx - 1] = (prev, True)
        return result


def _marked_sentences(text: str, clauses: list[tuple[int, int, int]]) -> set[int]:
    """Ids of the sentences whose clauses, joined, contain a marker (力争, 确保).

    One pass over the clauses, so the reader stays linear in the text however long a
    sentence is (joining each clause's whole sentence anew was quadratic: 0.7 MB on one
    line took 77 s). The markers are two characters, so a marker split by a clause
    delimiter is found at the junction of two clauses, as in the joined text.
    """
    marked: set[int] = set()
    previous: tuple[int, str] = (-1, "")
    for start, end, sid in clauses:
        if sid in marked:
            continue
        last_sid, last_char = previous
        junction = (last_char if last_sid == sid else "") + text[start : start + 1]
        if _BARE_MARKERS.search(text, start, end) or _BARE_MARKERS.search(junction):
            marked.add(sid)
        previous = (sid, text[end - 1 : end])
    return marked


def _post_noun(post: str) -> str:
    post = post.strip()
    return "" if post.startswith(("的", "（", "(")) else post


def extract_indicators(text: str) -> list[Indicator]:
    """Every quantitative target stated in ``text``, in reading order (see module docstring)."""
    if not isinstance(text, str) or not text:
        return []
    result: list[Indicator] = []
    clauses = clause_spans(text)
    marked = _marked_sentences(text, clauses)
    previous: Indicator | None = None
    previous_sentence = -1
    for c_start, c_end, sid in clauses:
        reader = _ClauseReader(text, c_start, c_end, sid in marked)
        if sid != previous_sentence:
            previous = None
            previous_sentence = sid
        previous_prefix = ""
        for stmt, attributive in reader.statements():
            made = _indicators_of(
                text, reader, stmt, attributive, previous, previous_prefix, result[-1] if result else None
            )
            if made:
                result.extend(made)
                previous = made[-1]
                m = _PER_CAPITA_PREFIX.match(previous.name)
                previous_prefix = m.group(0) if m else ""
        result.extend(_doublings(text, c_start, c_end))
        result.extend(_ranges(text, c_start, c_end))
    return result


def _raw_span(text: str, start: int, end: int) -> str:
    raw = text[start:end]
    m = _NUMBERING.match(raw)
    if m:
        raw = raw[m.end() :]
    return raw.strip(" 　\t\r\n、，,和及")


def _indicators_of(
    text: str,
    reader: _ClauseReader,
    stmt: _Statement,
    attributive: bool,
    previous: Indicator | None,
    previous_prefix: str,
    last: Indicator | None = None,
) -> list[Indicator]:
    verb_cmp = _VERBS.get(stmt.verb, "")
    values = stmt.values
    pre_raw = text[stmt.start : stmt.verb_start]
    pre = clean_name(pre_raw)
    first = values[0]
    share = (
        not stmt.verb
        and first.unit == "%"
        and not pre
        and bool(values[-1].post.strip())
        and not values[-1].post.startswith(("（", "("))
    )
    has_qualifier = any(v.qualifier for v in values)
    if not share and attributive:
        return []
    if any("含" in v.qualifier for v in values) or values[-1].post.startswith(("不足", "至")):
        return []  # 1亿元（含）以上, 2亿元以上不足5亿元: eligibility brackets, not targets
    if stmt.implied:
        verb_cmp = ">="
    elif not stmt.verb and not has_qualifier and not share:
        bare_ok = (
            bool(pre)
            and not any(_post_noun(v.post) for v in values)
            and (reader.sentence_marked or pre.startswith("新增"))
            and first.unit not in ("岁", "年", "%", "‰")
        )
        if not bare_ok:
            return []
        verb_cmp = ">="  # 力争…达到150亿元 / 新增股改企业20家: at least that many
    if share:
        return _share_indicators(text, stmt)

    # Qualifiers: a list's last qualifier applies to the values printed without one.
    last_qual = next((v.qualifier for v in reversed(values) if v.qualifier), "")
    raw_end = max(v.end for v in values)
    posts = [_post_noun(v.post) for v in values]
    if any(posts):
        raw_end = max(
            raw_end, max(v.end + len(v.post.rstrip()) for v in values if _post_noun(v.post))
        )
    raw = _raw_span(text, stmt.start, raw_end)
    if not raw:
        return []

    fenbie = "分别" in text[stmt.start : stmt.verb_start + len(stmt.verb)]
    if any(posts):
        names = [(pre + stmt.action.lstrip("各") + p) if p else pre for p in posts]
    else:
        if not pre:
            # 出生缺陷发生率到2005年要降至72/万；到2010年要降至70/万: a clause with no name of
            # its own states the next milestone of the previous clause's indicator.
            if last is None or last.relative is not None or not _MILESTONE.match(pre_raw.strip()):
                return []
            pre = last.name
        names = _split_items(pre, fenbie, len(values))
        if len(names) != len(values) and len(values) > 1 and len(names) > 1:
            names = [pre] * len(values)
    if not any(names):
        return []

    per_year = bool(_PER_YEAR.search(_NUMBERING.sub("", pre_raw).rstrip()))
    out: list[Indicator] = []
    pairs = (
        list(zip(names, values, strict=True))
        if len(names) == len(values)
        else (
            [(n, values[0]) for n in names] if len(values) == 1 else [(names[0], v) for v in values]
        )
    )
    for name, v in pairs:
        if verb_cmp == "change":
            relative = _relative(name, stmt.verb, v, per_year, raw)
            if relative is not None:
                out.append(relative)
            continue
        comparator = _comparator(verb_cmp, v.qualifier or last_qual)
        if comparator is None:
            continue
        unit = v.unit
        if unit == "百分点" and per_year:
            unit = "百分点/年"
        if previous_prefix and not name.startswith("每"):
            name = previous_prefix + name
        per = _PER_CAPITA.search(name)
        if per and unit in _COUNT_UNITS:
            unit = {"千": "/千", "万": "/万", "十万": "/10万", "10万": "/10万", "百": "%"}[
                per.group("base")
            ]
            if not name.endswith("数"):
                name += "数"
        if (
            previous is not None
            and previous.unit == unit
            and not _HEAD_END.search(name)
            and _HEAD_END.search(previous.name)
            and unit == "比"
        ):
            name = name + previous.name
        if not name:
            continue
        if unit == "%" and _PER_MILLE_RATE.search(name):
            unit = "‰"  # see _PER_MILLE_RATE: the page lost the ‰ sign, the figure is per mille
        out.append(Indicator(name=name, comparator=comparator, value=v.value, unit=unit, raw=raw))
    return out


_BASE_YEAR = re.compile(
    r"(?:(?:以|与|同)(?:比|较)?\s*(?P<y1>[0-9]{4})\s*年(?:底|末)?(?:为基数|为基期|为基础|相比|比)?"
    r"|(?:比|较)\s*(?P<y2>[0-9]{4})\s*年(?:底|末)?(?:基础上)?)\s*$"
)
_PER_YEAR_TAIL = re.compile(r"(?:平均每年|每年|年均)\s*$")


def _relative(name: str, verb: str, v: _Value, per_year: bool, raw: str) -> Indicator | None:
    """A target stated as a change (以2020年为基数下降20%), kept relative (see semantics).

    The name is the real indicator's (儿童意外伤害死亡率), the base year comes from the
    words before the verb; a change without a base year is measured from the plan's
    baseline year.  Changes in other units (下降2岁) are not read as targets.
    """
    base_year: int | None = None
    for _ in range(2):
        name = _PER_YEAR_TAIL.sub("", name).strip()
        if per_year:  # 年均 lost its 均 to clean_name's trailing modifiers
            name = re.sub(r"(?:平均每|每)?年$", "", name).strip()
        m = _BASE_YEAR.search(name)
        if m:
            base_year = int(m.group("y1") or m.group("y2"))
            name = name[: m.start()].strip()
    name = clean_name(name)
    if not name:
        return None
    if v.unit == "%":
        kind = "annual_growth" if per_year else "percent"
    elif v.unit == "百分点":
        kind = "annual_points" if per_year else "points"
    else:
        return None
    amount = CHANGE_VERBS[verb] * v.value
    return Indicator(
        name=name,
        comparator=relative_comparator(amount),
        value=amount,
        unit=RELATIVE_AMOUNT_UNITS[kind],
        raw=raw,
        relative=kind,
        base_year=base_year,
    )


_DOUBLING = re.compile(
    r"(?P<name>[^，。；;、]{2,40}?)\s*(?:(?:比|较)\s*(?P<year>[0-9]{4})\s*年(?:底|末)?)?"
    r"(?:实现)?翻(?P<n>一|两|二|三)番"
)
_TIMES = {"一": 2.0, "两": 4.0, "二": 4.0, "三": 8.0}


def _doublings(text: str, start: int, end: int) -> list[Indicator]:
    """翻一番 / 翻两番: a multiple of the base figure (2×, 4×); no number to read otherwise."""
    out: list[Indicator] = []
    if text.find("翻", start, end) < 0:  # what every match needs; most clauses have none
        return out
    for m in _DOUBLING.finditer(text, start, end):
        name = clean_name(m.group("name"))
        if not name:
            continue
        year = m.group("year")
        out.append(
            Indicator(
                name=name,
                comparator=">=",
                value=_TIMES[m.group("n")],
                unit=RELATIVE_AMOUNT_UNITS["multiple"],
                raw=_raw_span(text, m.start(), m.end()),
                relative="multiple",
                base_year=int(year) if year else None,
            )
        )
    return out


_RANGE_CORE = re.compile(r"[0-9]\s*(?:%|％|‰)?\s*[-—–~～至]\s*[0-9]")
"""The part of a _RANGE_TARGET match without which there is none: looked for first, as the
lazy name group would otherwise be tried at every character of every clause."""

_RANGE_TARGET = re.compile(
    r"(?P<name>[^，。；;、]{2,40}?)(?P<verb>保持在|稳定在|维持在|控制在|在)?"
    r"(?P<lo>[0-9]+(?:\.[0-9]+)?)\s*(?P<u1>%|％|‰)?\s*[-—–~～至]\s*"
    r"(?P<hi>[0-9]+(?:\.[0-9]+)?)\s*(?P<u2>%|％|‰)?(?![0-9.岁年月个名家所周天小人次项])"
    r"(?:之间|的正常范围内?|范围内)?"
)


def _ranges(text: str, start: int, end: int) -> list[Indicator]:
    """A range X–Y (出生人口性别比103—107) as two targets of one statement: ≥ X and ≤ Y.

    Only after 保持在/稳定在/控制在/在, or for a 性别比 (whose plans print the normal range
    bare): elsewhere a range is an age band (0—6岁) or a count (2-3家), never a target.
    """
    out: list[Indicator] = []
    if _RANGE_CORE.search(text, start, end) is None:
        return out
    for m in _RANGE_TARGET.finditer(text, start, end):
        name = clean_name(m.group("name"))
        if not name or not (m.group("verb") or name.endswith("性别比")):
            continue
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if lo >= hi:
            continue
        unit = {"％": "%"}.get(m.group("u2") or m.group("u1") or "", m.group("u2") or m.group("u1") or "")
        raw = _raw_span(text, m.start(), m.end())
        out.append(Indicator(name=name, comparator=">=", value=lo, unit=unit, raw=raw))
        out.append(Indicator(name=name, comparator="<=", value=hi, unit=unit, raw=raw))
    return out


def _share_indicators(text: str, stmt: _Statement) -> list[Indicator]:
    values = stmt.values
    last_post = values[-1].post.strip()
    last_post = last_post[1:] if last_post.startswith("的") else last_post
    m = _SHARE_PREDICATE.search(last_post, 1)
    if not m:
        return []
    predicate = last_post[m.start() :]
    nouns = [
        (v.post.strip()[1:] if v.post.strip().startswith("的") else v.post.strip())
        for v in values[:-1]
    ]
    nouns.append(last_post[: m.start()])
    last_qual = next((v.qualifier for v in reversed(values) if v.qualifier), "")
    end = values[-1].end + len(values[-1].post.rstrip())
    raw = _raw_span(text, stmt.start, end)
    out: list[Indicator] = []
    for noun, v in zip(nouns, values, strict=True):
        noun = noun.strip()
        if not noun or not raw:
            continue
        comparator = _comparator(">=", v.qualifier or last_qual) or ">="
        out.append(
            Indicator(
                name=f"{noun}{predicate}的比例",
                comparator=comparator,
                value=v.value,
                unit="%",
                raw=raw,
            )
        )
    return out
