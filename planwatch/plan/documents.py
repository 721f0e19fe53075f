"""Splitting a file into official documents, and a document into its plans.

A gazette (公报) holds several documents, each opening with its issuer's masthead
("山亭区人民政府文件"), a document number (山政发〔2022〕2号), the notice title and a date.
A notice may carry several plans, each starting at a stand-alone title line
("济南市市中区“十四五”妇女发展规划"). Anything before the first masthead (cover, table of
contents) is not a document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise

from planwatch.plan.cleanup import normalize_line
from planwatch.plan.model import Period, Subject

MASTHEAD = re.compile(r"^(?P<issuer>[^\s，。：；（）《》“”]{2,30}?(?:人民政府|办公室|委员会|人民政府办公室))文件$")
DOC_NUMBER = re.compile(r"^[^\s，。]{1,12}〔\d{4}〕\d+号$")
DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# The title of a five-year plan on a line of its own: 某区“十四五”妇女发展规划, and the same
# for any other subject a notice may carry alongside (某区“十四五”教育事业发展规划).
PLAN_TITLE = re.compile(
    r"^(?![一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"  # not a chapter heading (一、“十四五”规划)
    r"[^\s，。：；《》]{0,20}“?十[一二三四五六七八九]五”?[^\s，。：；《》“”]{0,12}?(?:发展|事业发展)?规划$"
)
# Other spellings of a development plan's title: 中国妇女发展纲要（2011—2020年）,
# 廊坊市儿童发展规划（2021—2030年）, 普陀区妇女发展“十四五”规划, 某县“十四五”妇女儿童发展规划,
# and plans of other subjects (某区“十四五”教育发展规划).
_PERIOD = r"（\d{4}[—–\-~～－]\d{4}年?）"
GENERAL_TITLE = re.compile(
    rf"^(?P<title>[^\s，。：；《》“”]{{0,24}}(?:“?十[一二三四五六七八九]五”?)?"
    rf"[^\s，。：；《》“”]{{0,12}}(?:发展|事业发展)?(?:“十[一二三四五六七八九]五”)?(?:规划|纲要))"
    rf"(?P<period>{_PERIOD})?(?:（?全文）?)?$"  # web reposts head the text "…纲要（2021—2030年）全文"
)
PERIOD_LINE = re.compile(rf"^{_PERIOD}$")
NUMBERED_FYP = re.compile(r"十([一二三四五六七八九])五")
STANDALONE = re.compile(
    r"^(?:[^\s，。：；]{2,30}文件|[^\s，。]{1,12}〔\d{4}〕\d+号|\d{4}年\d{1,2}月\d{1,2}日|"
    r"[^\s，。：；《》]{0,20}“?十[一二三四五六七八九]五”?[^\s，。：；《》“”]{0,12}?(?:发展|事业发展)?规划|（此件公开发布）|"
    r"[^\s，。：；《》“”]{2,30}(?:发展规划|发展纲要)(?:（\d{4}[—–\-]\d{4}年?）)?|"
    r"（\d{4}[—–\-]\d{4}年?）)$"
)
_SIGNATURE = re.compile(r"^(?:国务院(?:办公厅)?|[^\s，。：；]{2,20}(?:人民政府(?:办公室|办公厅)?|委员会))$")
_ISSUER_SUFFIX = re.compile(r"(人民政府办公室|人民政府|办公室|委员会)$")
_TITLE_END = re.compile(r"(通知|意见|决定|办法|方案|要点|规划|批复|报告|通报)(（试行）)?$")
_INNER_TITLE = re.compile(r"关于印发《?(?P<title>.+?)》?的通知$")
_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}


@dataclass
class Document:
    """One official document inside a file; `start`/`end` index the file's lines."""

    start: int
    end: int
    issuer: str | None = None
    doc_number: str | None = None
    title: str | None = None
    date: dt.date | None = None
    title_end: int = 0


@dataclass
class PlanSpan:
    title: str
    subject: Subject
    start: int
    end: int


def split_documents(lines: list[str]) -> list[Document]:
    starts = [i for i, raw in enumerate(lines) if MASTHEAD.match(normalize_line(raw))]
    if not starts:
        return [_describe(lines, Document(start=0, end=len(lines)))]
    bounds = [*starts, len(lines)]
    return [
        _describe(lines, Document(start=a, end=b)) for a, b in pairwise(bounds)
    ]


def _describe(lines: list[str], doc: Document) -> Document:
    """Read masthead, number, title and date from the first lines of a document."""
    head = [(i, normalize_line(lines[i])) for i in range(doc.start, min(doc.end, doc.start + 60))]
    cursor = 0
    if head and (m := MASTHEAD.match(head[0][1])):
        doc.issuer = m.group("issuer")
        cursor = 1
    for k in range(cursor, min(len(head), cursor + 6)):
        if DOC_NUMBER.match(head[k][1]):
            doc.doc_number = head[k][1]
            cursor = k + 1
            break
    if doc.doc_number is None:
        return doc
    # The title: the next non-empty lines up to a blank line (Word export wraps it).
    while cursor < len(head) and not head[cursor][1]:
        cursor += 1
    title_parts: list[str] = []
    while cursor < len(head) and head[cursor][1] and len(title_parts) < 4:
        text = head[cursor][1]
        # PDF text has no blank line after the title: the addressee line ("各镇人民政府…：")
        # or the first sentence of the notice must not be read as part of it.
        if title_parts and ("，" in text or text.endswith("：") or DATE.match(text)):
            break
        title_parts.append(text)
        cursor += 1
        if _TITLE_END.search(text):
            break
    title = "".join(title_parts).replace(" ", "")
    if doc.issuer and title.startswith(doc.issuer):
        title = title[len(doc.issuer) :]
    doc.title = title or None
    doc.title_end = head[cursor - 1][0] + 1 if cursor else doc.start
    # The date follows the title in a notice; an 意见 issued directly is dated at its end.
    after_title = [text for _, text in head[cursor:]]
    for k, text in enumerate(after_title):
        if m := DATE.match(text):
            doc.date = _date(m)
            # A notice copied from a web page has no masthead; its issuer signs above the date.
            if doc.issuer is None and k and (signer := _SIGNATURE.match(after_title[k - 1])):
                doc.issuer = signer.group(0)
            return doc
    at_end = (normalize_line(lines[i]) for i in range(doc.end - 1, doc.title_end - 1, -1))
    for text in at_end:
        if m := DATE.match(text):
            doc.date = _date(m)
            return doc
    return doc


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def split_plans(lines: list[str], doc: Document) -> list[PlanSpan]:
    """Development plans announced by the document, each up to the next plan's title.

    The seeds' titles (某区“十四五”妇女发展规划) are found first; other spellings
    (…发展规划（2021—2030年）, …发展纲要, 妇女发展“十四五”规划) only when the document has none
    of those, so that a plan citing another plan's title on a line of its own stays one plan.
    """
    found: list[tuple[int, str]] = []
    for i in range(doc.title_end, doc.end):
        text = normalize_line(lines[i])
        if PLAN_TITLE.match(text):
            found.append((i, text))
    if not found:
        found = _general_titles(lines, doc)
    spans = []
    for n, (i, title) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else doc.end
        spans.append(PlanSpan(title=title, subject=plan_subject(title), start=i, end=end))
    return spans


def plan_subject(title: str) -> Subject:
    """妇女 → women, 儿童 → children; a plan on both or on another subject is "other"
    until its domains say more (the reader splits a 妇女儿童发展规划 by its domains)."""
    women, children = "妇女" in title, "儿童" in title
    if women and not children:
        return "women"
    if children and not women:
        return "children"
    return "other"


def _general_titles(lines: list[str], doc: Document) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    i = doc.title_end
    while i < doc.end:
        text = normalize_line(lines[i])
        m = GENERAL_TITLE.match(text)
        if m and len(text) >= 6 and "关于" not in text and not found_same(found, text):
            title = m.group("title") + (m.group("period") or "")
            # The period often stands on the next line: 长春市九台区儿童发展规划 / （2021-2030年）.
            j = i + 1
            while j < doc.end and not normalize_line(lines[j]):
                j += 1
            if m.group("period") is None and j < doc.end and PERIOD_LINE.match(normalize_line(lines[j])):
                title += normalize_line(lines[j])
            elif m.group("period") is None:
                title += _period_nearby(lines, i + 1, min(doc.end, i + 12), title)
            found.append((i, title))
        i += 1
    return found


def _period_nearby(lines: list[str], start: int, end: int, title: str) -> str:
    """A web copy repeats a bare title above the text and gives the period once, where the
    title recurs glued to the first heading: 中国儿童发展纲要（2011-2020）（一）儿童与健康。"""
    glued = re.compile(re.escape(title) + rf"(?P<period>{_PERIOD})")
    for k in range(start, end):
        if m := glued.match(normalize_line(lines[k])):
            return m.group("period")
    return ""


def found_same(found: list[tuple[int, str]], text: str) -> bool:
    """A title repeated (a web page's heading and the document's own title) counts once."""
    return any(title.startswith(text) for _, title in found)


def inner_title(doc: Document) -> str | None:
    """The title of the policy a notice transmits, or the document's own title."""
    if doc.title and (m := _INNER_TITLE.search(doc.title)):
        return m.group("title")
    return doc.title


def region_of(issuer: str | None) -> str | None:
    """济南市市中区人民政府 → 济南市市中区 (the issuing government's territory)."""
    if not issuer:
        return None
    if issuer.startswith("国务院"):
        return "全国"
    return _ISSUER_SUFFIX.sub("", issuer) or None


def plan_period(title: str) -> Period | None:
    """十四五 → 2021–2025; a yearly work plan (2022年…要点) → that year."""
    if m := NUMBERED_FYP.search(title):
        n = 10 + _DIGITS[m.group(1)]
        start = 1966 + 5 * (n - 3)  # the 3rd plan began in 1966 after the 1963–65 adjustment
        return Period(start=start, end=start + 4)
    if m := re.search(r"(\d{4})\s*[—–\-━~～－至]\s*(\d{4})\s*年?", title):
        return Period(start=int(m.group(1)), end=int(m.group(2)))
    if m := re.search(r"(\d{4})年", title):
        return Period(start=int(m.group(1)), end=int(m.group(1)))
    return None
