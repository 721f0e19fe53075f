"""Repairing the damage that Word export and PDF extraction do to plan text.

Word exports leave ``[bookmark: _Toc…]`` anchors; PDF extraction breaks lines in the middle
of words (even inside unit names: "区财\\n\\n政局"), inserts Markdown heading marks, and mixes
half- and full-width brackets, colons and commas. Everything after this module sees one
spelling: full-width Chinese punctuation, ASCII digits, no artefacts, one paragraph per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

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
# A heading such as "一、儿童与健康" followed by a whole sentence ("改善儿童卫生保健服务，提高…。")
# is not continued by it; a heading cut at a line break ("（一）妇女与" / "健康") still is.
_SHORT_HEADING = re.compile(rf"^(?:[{NUMBER_CN}]+、|（[{NUMBER_CN}]+）)[^，。；：]{{2,20}}$")
_IS_SENTENCE = re.compile(r"[，。；！？]")
# A list head on a line of its own (主要目标 / 具体目标：/ 策略措施。) is never part of an item.
_LIST_HEAD_LINE = re.compile(r"^(?:主要目标|具体目标|策略措施|主要措施)[。：]?$")


@lru_cache(maxsize=16384)
def normalize_line(raw: str) -> str:
    """One spelling for punctuation and digits; artefacts removed; no outer white space.

    Cached: the document splitter, the plan splitter and the paragraph builder each read
    every line, and a line's normal form never changes."""
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
        heading = (
            is_markdown_heading(raw)
            or bool(standalone and standalone.match(text))
            or bool(_LIST_HEAD_LINE.match(text))
        )
        can_join = (
            current is not None
            and not current.heading
            and not heading
            and not starts_item(text)
            and not current.text.endswith(_SENTENCE_END)
            and not (_SHORT_HEADING.match(current.text) and _IS_SENTENCE.search(text))
        )
        if can_join and current is not None:
            current.text += text
        else:
            current = Paragraph(text=text, line=number, heading=heading)
            paragraphs.append(current)
    return paragraphs


# --- page furniture and traditional characters --------------------------------------------

# Lines a web page or a document site puts around a plan: breadcrumbs, dates of posting,
# share and print buttons, editor credits, pagination. Only whole short lines are dropped.
_FURNITURE = re.compile(
    r"^(?:(?:当前位置|您现在的位置|您的位置|您当前的位置|当前所在位置)[：:].*|"
    r"(?:首页|主页)\s*(?:[>»＞/]|>>).*|"
    r"(?:发布时间|发布日期|更新时间|来源|作者|编辑|责编|责任编辑|初审|复审|二审|三审|监审|终审|审核|校对|浏览量|浏览次数|"
    r"访问次数|阅读|点击|字体|字号|分享到|投稿邮箱|索引号|主题分类|公开方式|文章来源)\s*[：:|].{0,60}|"
    r"【?(?:字体|字号)[：:].{0,20}】?|【?(?:打印|关闭|返回顶部|收藏)】?|分享到[：:]?|"
    r"(?:上一篇|下一篇|相关文章|相关新闻|推荐文章|最近更新|热门搜索)[：:]?.{0,40}|"
    r"第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}\s*/\s*\d{1,3}|"
    r"合集下载|\|+|.{0,40}由会员(?:分享|上传).*|.{0,20}下载文档前请.*)$"
)
_CONTINUED = re.compile(r"^\s*[\[【［]\s*(?:接上页|续上页|上接第\d+页)\s*[\]】］]\s*")


def strip_furniture(lines: list[str]) -> list[str]:
    """Blank out page furniture, keeping the line count so warnings keep their line numbers."""
    out: list[str] = []
    for raw in lines:
        text = normalize_line(raw) if len(raw) <= 120 else ""
        if text and len(text) <= 80 and _FURNITURE.match(text):
            out.append("")
        else:
            out.append(_CONTINUED.sub("", raw))
    return out


_CJK_CHAR = re.compile(rf"[{_CJK}]")
# Frequent characters whose traditional form differs from the simplified one; a plan in
# traditional characters has them on every line, a simplified plan none.
_TRADITIONAL_ONLY = re.compile(
    "[國們這發與會來說時對還個過學樣體進後長開關點現實當從動經務變應標兒婦綱規劃區縣財數據項準責]"
)


def to_simplified(lines: list[str]) -> tuple[list[str], bool]:
    """Convert a text in traditional characters (a repost from a Hong Kong or Taiwan mirror)
    to simplified ones with OpenCC; simplified text is left alone.

    The decision is taken for the whole text: converted only when more than one CJK
    character in fifty changes, so a simplified plan with a stray traditional character keeps
    its exact wording (raw substrings of indicators must stay substrings of the source).
    """
    text = "\n".join(lines)
    total = len(_CJK_CHAR.findall(text))
    # Cheap test first: loading OpenCC's dictionaries costs more than reading a plan.
    if total == 0 or len(_TRADITIONAL_ONLY.findall(text)) * 200 < total:
        return lines, False
    import opencc  # imported lazily: most plans are simplified

    converter = opencc.OpenCC("t2s")
    converted = [converter.convert(line) for line in lines]
    changed = sum(
        sum(1 for a, b in zip(old, new, strict=False) if a != b)
        for old, new in zip(lines, converted, strict=True)
    )
    if changed < 5 or changed * 50 < total:
        return lines, False
    return converted, True


# Spam mirrors gloss characters with their pinyin in brackets ("發(fā)展", "孕產(chǎn)婦"); a
# syllable carries a tone mark, which no plan writes in Latin letters of its own.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_GLOSS = re.compile(rf"(?<=[{_CJK}])[(（][a-zü{_TONED}]{{0,5}}[{_TONED}][a-zü{_TONED}]{{0,5}}[)）]")


# Some mirrors write the syllables without tone marks ("托(tuo)育服务(wu)"): taken as glosses
# only on a line that has several, since a lone "(a)" after a word may be the plan's own.
_BARE_GLOSS = re.compile(rf"(?<=[{_CJK}])[(（][a-zü]{{1,6}}[)）]")


def strip_glosses(lines: list[str]) -> list[str]:
    """Remove pinyin glosses put after characters by a mirror site, so that words are whole."""
    out = []
    for raw in lines:
        if "(" in raw or "（" in raw:
            raw = _GLOSS.sub("", raw)
            if len(_BARE_GLOSS.findall(raw)) >= 3:
                raw = _BARE_GLOSS.sub("", raw)
        out.append(raw)
    return out


_CHUNK = re.compile(r"^\s*(\d{1,3})、")


def join_site_chunks(lines: list[str]) -> list[str]:
    """Undo the numbered chunks of document-sharing sites (文库): "…主要目\\n2、标和策略措施".

    Such sites cut a document every few hundred characters, mid-word, and number the pieces
    1、2、3、…. The numbers run from 1 without a gap and most pieces start where the piece before
    them ended mid-sentence, which a plan's own "1、" items rarely do (they follow a full
    stop, or are short titles). The markers are removed and each piece is joined to the one before it; the line
    count is kept.
    """
    starts = [(i, int(m.group(1))) for i, raw in enumerate(lines) if (m := _CHUNK.match(raw))]
    run: list[int] = []
    expected = 1
    for i, number in starts:
        if number == expected:
            run.append(i)
            expected += 1
    if len(run) < 3:
        return lines
    # Pieces are a few hundred characters; a list of short item titles (1、提高出生人口素质)
    # also counts up without full stops, but its pieces are short.
    pieces = [sum(len(lines[k].strip()) for k in range(a, b)) for a, b in pairwise(run)]
    if min(pieces) < 80:
        return lines
    cut = 0
    for i in run[1:]:
        before = next((normalize_line(lines[k]) for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        if before and not before.endswith(("。", "！", "？", "；", "：")):
            cut += 1
    if cut * 2 < len(run) - 1:
        return lines
    out = list(lines)
    for i in run:
        content = _CHUNK.sub("", out[i], count=1)
        previous = next((k for k in range(i - 1, -1, -1) if out[k].strip()), None)
        if previous is None or i == run[0]:
            out[i] = content
        else:
            out[previous] = out[previous].rstrip() + content.lstrip()
            out[i] = ""
    return out
