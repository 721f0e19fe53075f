"""Plan documents in, catalogue out: the reader's one entry point.

The reader never raises on odd input. What it cannot read becomes a `ParseWarning` with the
file and line, and the rest of the file is still read: an office that loads a damaged
gazette should get the plans that are intact and a list of what to check by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from planwatch.plan.cleanup import build_paragraphs, normalize_line, strip_furniture, to_simplified
from planwatch.plan.documents import (
    STANDALONE,
    Document,
    PlanSpan,
    inner_title,
    plan_period,
    region_of,
    split_documents,
    split_plans,
)
from planwatch.plan.model import Catalogue, Domain, ParseWarning, Period, Plan, Subject
from planwatch.plan.regions import full_region
from planwatch.plan.sections import read_domains, read_policy_sections
from planwatch.plan.sources import SourceError, read_source_lines

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
    lines, converted = to_simplified(strip_furniture(lines))
    if converted:
        warn(None, "原文为繁体字，已用 OpenCC 转换为简体字后读取 / traditional characters converted")
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
                paragraphs = build_paragraphs(
                    lines[span.start : span.end], start=span.start, standalone=STANDALONE
                )
                domains = read_domains(paragraphs, warn)
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


_TITLE_HINT = re.compile(r"(?:发展|事业)?(?:规划|纲要)")


def _untitled_plan(lines: list[str], doc: Document) -> list[PlanSpan]:
    """A plan with no title line of its own (an excerpt, a web repost of one domain) is still
    a plan when its text holds development domains with numbered targets."""
    start = doc.title_end if doc.doc_number else doc.start
    paragraphs = build_paragraphs(lines[start : doc.end], start=start, standalone=STANDALONE)
    found = read_domains(paragraphs, lambda _line, _message: None)
    if not any(d.targets for d in found):
        return []
    title = inner_title(doc) if doc.doc_number else None
    if title is None:
        title = _title_line(lines[start : doc.end])
    title = title or "未命名规划"
    names = "".join(d.name for d in found)
    subject: Subject = "other"
    if names.count("妇女") and not names.count("儿童"):
        subject = "women"
    elif names.count("儿童") and not names.count("妇女"):
        subject = "children"
    return [PlanSpan(title=title, subject=subject, start=start, end=doc.end)]


_PAGE_NUMBER = re.compile(r"（\d{1,2}）$")


def _title_line(lines: list[str]) -> str | None:
    """The first short line naming a plan: 《中国儿童发展纲要》（2001━2010年）（2） → its title."""
    for raw in lines:
        text = normalize_line(raw)
        if 4 <= len(text) <= 40 and _TITLE_HINT.search(text) and not re.search("[，。：；]", text):
            return _PAGE_NUMBER.sub("", text.replace("《", "").replace("》", "")) or None
    return None


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
