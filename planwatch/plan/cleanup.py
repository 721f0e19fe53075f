"""Repairing the damage that Word export and PDF extraction do to plan text.

Word exports leave ``[bookmark: _Toc…]`` anchors; PDF extraction breaks lines in the middle
of words (even inside unit names: "区财\\n\\n政局"), inserts Markdown heading marks, and mixes
half- and full-width brackets, colons and commas. Everything after this module sees one
spelling: full-width Chinese punctuation, ASCII digits, no artefacts, one paragraph per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_ESCAPE = re.compile(r"\\([*_#\[\]()`>|-])")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_FULLWIDTH_ALNUM = str.maketrans(
    "０１２３４５６７８９％．／＋－＝＜＞ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789%./+-=<>ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A space between two CJK characters (or CJK and full-width punctuation) is extraction noise.
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}（）《》“”、，。：；/])[ \t\u3000\xa0]+(?=[{_CJK}（）《》“”、，。：；/])")
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_COMMA = re.compile(r"(?<!\d),|,(?!\d{3})")
_SEMICOLON = re.compile(r";")

NUMBER_CN = "一二三四五六七八九十"
# Lines that begin a new item even when the text before them did not end a sentence.
_ITEM_START = re.compile(
    rf"^(?:（\d+）|（[{NUMBER_CN}]+）|[{NUMBER_CN}]+、|\d+[.、．](?!\d)|第[{NUMBER_CN}]+[章节条])"
)
_MARKER_SPACE = re.compile(rf"^((?:（\d+）|（[{NUMBER_CN}]+）|[{NUMBER_CN}]+、|\d+[.、．](?!\d)))\s+")
_SENTENCE_END = ("。", "！", "？", "；")


def normalize_line(raw: str) -> str:
    """One spelling for punctuation and digits; artefacts removed; no outer white space."""
    text = _BOOKMARK.sub("", raw)
    text = _MD_HEADING.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _MD_EMPHASIS.sub("", text)
    text = text.translate(_FULLWIDTH_ALNUM)
    text = text.replace("(", "（").replace(")", "）")
    text = _COLON.sub("：", text)
    text = _COMMA.sub("，", text)
    text = _SEMICOLON.sub("；", text)
    text = text.replace("\u3000", " ").replace("\xa0", " ").strip()
    text = _MARKER_SPACE.sub(r"\1", text)
    return _INNER_SPACE.sub("", text)


def is_markdown_heading(raw: str) -> bool:
    return bool(_MD_HEADING.match(raw)) and raw.lstrip().startswith("#")


@dataclass
class Paragraph:
    """A logical paragraph rebuilt from one or more physical lines."""

    text: str
    line: int  # 1-based number of its first physical line
    heading: bool = False


def starts_item(text: str) -> bool:
    return bool(_ITEM_START.match(text))


def build_paragraphs(
    lines: list[str], start: int = 0, standalone: re.Pattern[str] | None = None
) -> list[Paragraph]:
    """Join physical lines into paragraphs.

    A line continues the paragraph before it unless that paragraph ended a sentence, the line
    starts a numbered item, or either is a heading/stand-alone line (titles, dates). Blank
    lines are ignored because PDF extraction puts them inside sentences at page breaks.
    """
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    for offset, raw in enumerate(lines):
        text = normalize_line(raw)
        if not text:
            continue
        number = start + offset + 1
        heading = is_markdown_heading(raw) or bool(standalone and standalone.match(text))
        can_join = (
            current is not None
            and not current.heading
            and not heading
            and not starts_item(text)
            and not current.text.endswith(_SENTENCE_END)
        )
        if can_join and current is not None:
            current.text += text
        else:
            current = Paragraph(text=text, line=number, heading=heading)
            paragraphs.append(current)
    return paragraphs
