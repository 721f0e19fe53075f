"""Plan documents in, catalogue out: the reader's one entry point.

The reader never raises on odd input. What it cannot read becomes a `ParseWarning` with the
file and line, and the rest of the file is still read: an office that loads a damaged
gazette should get the plans that are intact and a list of what to check by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from planwatch.plan.cleanup import (
    build_paragraphs,
    join_site_chunks,
    normalize_line,
    strip_furniture,
    strip_glosses,
    to_simplified,
)
from planwatch.plan.documents import (
    STANDALONE,
    Document,
    PlanSpan,
    inner_title,
    plan_period,
    plan_subject,
    region_of,
    split_documents,
    split_plans,
)
from planwatch.plan.duty_tables import rewrite_duty_tables
from planwatch.plan.model import Catalogue, Domain, ParseWarning, Period, Plan, Subject
from planwatch.plan.regions import full_region
from planwatch.plan.sections import read_domains, read_policy_sections, split_flattened
from planwatch.plan.sources import SourceError, read_source_lines
from planwatch.plan.tables import (
    UnitAssignment,
    assign_units,
    caption_line,
    find_tables,
    flat_table_text,
    flattened_indicator_domain,
    indicator_domain,
    table_title,
    unit_assignments,
)

_HORIZON = re.compile(r"到(\d{4})年")
_FYP_END = re.compile(r"到“?十[一二三四五六七八九]五”?末")


def read_files(paths: Iterable[Path | str]) -> Catalogue:
    """Read every file into one catalogue; unreadable files become warnings."""
    catalogue = Catalogue()
    for item in paths:
        path = Path(item)
        try:
            lines = read_source_lines(path)
        except (SourceError, OSError) as exc:
            catalogue.warnings.append(ParseWarning(file=str(path), line=None, message=str(exc)))
            continue
        part = read_lines(lines, source=str(path))
        catalogue.plans.extend(part.plans)
        catalogue.warnings.extend(part.warnings)
    return catalogue


def read_text(text: str, source: str = "<text>") -> Catalogue:
    return read_lines(text.splitlines(), source=source)


def read_lines(lines: list[str], source: str) -> Catalogue:
    catalogue = Catalogue()

    def warn(line: int | None, message: str) -> None:
        catalogue.warnings.append(ParseWarning(file=source, line=line, message=message))

    for number, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            warn(number, "此行含有无法解码的字符（文件编码损坏？），请核对原文")
    lines, converted = to_simplified(join_site_chunks(strip_furniture(strip_glosses(lines))))
    if converted:
        warn(None, "原文为繁体字，已用 OpenCC 转换为简体字后读取 / traditional characters converted")
    lines, notes = rewrite_duty_tables(lines)
    for index, note in notes:
        warn(index + 1, note)
    documents = split_documents(lines)
    known: dict[str, str] = {}  # short name → full name, shared by a gazette's documents
    for doc in documents:
        spans = split_plans(lines, doc)
        short = region_of(doc.issuer)
        region = full_region(short, lines[doc.start : doc.end])
        if short and region:
            region = known.setdefault(short, region) if region == short else region
            known[short] = region
        if not spans:
            spans = _untitled_plan(lines, doc)
        if spans:
            for span in spans:
                body, tables = _without_tables(lines, span.start, span.end)
                paragraphs = build_paragraphs(body, start=span.start, standalone=STANDALONE)
                domains = read_domains(paragraphs, warn)
                domains.extend(tables)
                if not domains and span.subject == "other":
                    # A plan of another sector (…“十四五”教育发展规划) has no 妇女与…/儿童与…
                    # domains: its quantitative paragraphs are read chapter by chapter.
                    domains = read_policy_sections(paragraphs)
                assigned = assign_units(domains, _assignments(lines, span.start, span.end))
                if assigned:
                    warn(span.start + 1, f"已按任务分工表为 {assigned} 条主要目标补充牵头/责任单位")
                if not domains:
                    warn(span.start + 1, f"《{span.title}》中没有找到“发展领域、主要目标和策略措施”")
                for subject, part in _by_subject(span.subject, domains):
                    catalogue.plans.append(
                        Plan(
                            title=span.title,
                            issuer=doc.issuer,
                            doc_number=doc.doc_number,
                            date=doc.date,
                            region=region,
                            subject=subject,
                            period=plan_period(span.title),
                            domains=part,
                        )
                    )
        else:
            catalogue.plans.append(_policy_plan(lines, doc, region))
    if not catalogue.plans or not any(p.domains for p in catalogue.plans):
        warn(None, "没有读到任何规划或量化目标")
    return catalogue


def _without_tables(lines: list[str], start: int, end: int) -> tuple[list[str], list[Domain]]:
    """The span's lines with table rows blanked (line numbers kept), and its indicator tables."""
    body = list(lines[start:end])
    domains: list[Domain] = []
    for block in find_tables(body, start):
        if len(block.rows) < 2:
            continue
        domain = indicator_domain(block, table_title(body, block, start))
        if domain is not None:
            domains.append(domain)
        caption = caption_line(body, block, start)
        if caption is not None and (domain is not None or unit_assignments(block)):
            body[caption] = ""
        for line, _raw, _cells in block.rows:
            body[line - 1 - start] = ""
    for index, raw in enumerate(body):
        if "序号" in raw and "\t" not in raw and (found := flat_table_text(body, index)) is not None:
            text, first, last = found
            flat = flattened_indicator_domain(text)
            if flat is not None:
                domains.append(flat)
                if last > index:  # rows on lines of their own: the lines are the table
                    body[first : last + 1] = [""] * (last + 1 - first)
    return body, domains


def _assignments(lines: list[str], start: int, end: int) -> list[UnitAssignment]:
    out: list[UnitAssignment] = []
    for block in find_tables(lines[start:end], start):
        out.extend(unit_assignments(block))
    return out


_PLAN_HINT = re.compile(r"(?:妇女|儿童|婦女|兒童)(?:与|與|参与|參與)|指\s*标|指\s*標")
_TITLE_HINT = re.compile(r"(?:发展|事业)?(?:规划|纲要)")


def _untitled_plan(lines: list[str], doc: Document) -> list[PlanSpan]:
    """A plan with no title line of its own (an excerpt, a web repost of one domain) is still
    a plan when its text holds development domains with numbered targets."""
    start = doc.title_end if doc.doc_number else doc.start
    text = "".join(lines[start : doc.end])
    if not _PLAN_HINT.search(text):
        return []  # no 妇女与…/儿童与… domain and no indicator table: a policy document
    paragraphs = build_paragraphs(lines[start : doc.end], start=start, standalone=STANDALONE)
    found = read_domains(paragraphs, lambda _line, _message: None)
    if not any(d.targets for d in found):
        found = _without_tables(lines, start, doc.end)[1]
    if not any(d.targets for d in found):
        return []
    names = "".join(d.name for d in found)
    subject: Subject = "other"
    if names.count("妇女") and not names.count("儿童"):
        subject = "women"
    elif names.count("儿童") and not names.count("妇女"):
        subject = "children"
    title = inner_title(doc) if doc.doc_number else None
    if title is None:
        title = _title_line(lines[start : doc.end], subject)
    title = title or "未命名规划"
    return [PlanSpan(title=title, subject=subject, start=start, end=doc.end)]


_PAGE_NUMBER = re.compile(r"（\d{1,2}）$")



_STRICT_TITLE = re.compile(
    r"^[^【】\[\]\s]{2,30}(?:规划|纲要)(?:（\d{4}[—–\-━~～－至]\d{4}年?）)?(?:（(?:节选|试行|草案)）)?$"
)
_CITED = re.compile(r"(?:《|^)(?P<title>[^《》]{2,40}?(?:规划|纲要)(?:（[^《》（）]{0,14}）?)?)(?:\.docx?|\.pdf)?》")
_FIRST_ITEM = re.compile(r"^(?:1[.．、]|（1）)")


def _title_line(lines: list[str], subject: Subject = "other") -> str | None:
    """The plan's title, for a text that has no title line the document splitter knows.

    A short line that is a title (《中国儿童发展纲要》（2001━2010年）（2） → 中国儿童发展纲要（2001━2010年）)
    is preferred when it carries the period; a news post has none, but names its plan in the
    sentence that introduces the list (本期推出《某市儿童发展规划（2021—2030年）》儿童与安全领域…):
    then the last plan cited before the first numbered item is the title.
    """
    bare: str | None = None
    cited: str | None = None
    for raw in lines:
        line = normalize_line(raw)
        if _FIRST_ITEM.match(line) and cited:
            break
        for m in _CITED.finditer(line):
            title = m.group("title")
            if subject != "other" and plan_subject(title) not in (subject, "other"):
                continue  # a 政策解读 cites both plans: the one whose domains these are
            cited = title + "）" if title.count("（") > title.count("）") else title
        for text in split_flattened(line):
            text = _PAGE_NUMBER.sub("", text.replace("《", "").replace("》", ""))
            if 4 <= len(text) <= 40 and _STRICT_TITLE.match(text):
                if plan_period(text) is not None:
                    return text
                bare = bare or text
    return bare or cited


def _by_subject(subject: Subject, domains: list[Domain]) -> list[tuple[Subject, list[Domain]]]:
    """A 妇女儿童发展规划 holds both plans: its 妇女与… and 儿童与… domains become two plans."""
    if subject != "other":
        return [(subject, domains)]
    women = [d for d in domains if d.name.startswith(("妇女", "女性"))]
    children = [d for d in domains if d.name.startswith("儿童")]
    if women and children and len(women) + len(children) == len(domains):
        return [("women", women), ("children", children)]
    if domains and len(women) == len(domains):
        return [("women", domains)]
    if domains and len(children) == len(domains):
        return [("children", domains)]
    return [(subject, domains)]


def _policy_plan(lines: list[str], doc: Document, region: str | None) -> Plan:
    """A document that is not a development plan still counts, with its quantitative targets."""
    body = lines[doc.title_end : doc.end]
    paragraphs = build_paragraphs(body, start=doc.title_end, standalone=STANDALONE)
    title = inner_title(doc) or (paragraphs[0].text[:40] if paragraphs else "未命名文件")
    period = plan_period(title)
    if period is None:
        period = plan_period(next((p.text for p in paragraphs if _FYP_END.search(p.text)), ""))
    if period is None and doc.date is not None:
        horizon = [int(y) for y in _HORIZON.findall("".join(p.text for p in paragraphs))]
        later = [y for y in horizon if y >= doc.date.year]
        if later:
            period = Period(start=doc.date.year, end=max(later))
    return Plan(
        title=title,
        issuer=doc.issuer,
        doc_number=doc.doc_number,
        date=doc.date,
        region=region,
        subject="other",
        period=period,
        domains=read_policy_sections(paragraphs),
    )
