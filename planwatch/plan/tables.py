"""Tables inside a plan: indicator tables (主要指标 / 重点指标目标表) and 任务分工 tables.

Word tables reach the reader as one line per row with cells separated by tabs (see
`sources`), Markdown extraction gives "| a | b |" rows. A table is an indicator table when its
header names an indicator column (指标) and a target column (目标值, or a year such as 2025年);
each row then becomes a quantitative target. A 任务分工 table (header with 牵头单位) assigns
units to targets printed elsewhere without them.

Comparators. A target cell may carry its own (≥95, 95以上, 不低于95, 保持, 控制在8以下). A bare
number is compared with the baseline column: above it → ">=", below it → "<=", equal →
"maintain"; with no baseline it stays "=" (the reader cannot know which way it is meant).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import cast

from planwatch.plan.cleanup import normalize_line
from planwatch.plan.model import Comparator, Domain, Indicator, Target
from planwatch.plan.responsibility import _split_names

_CELLS = re.compile(r"\t|\s*\|\s*")
_NAME_HEAD = re.compile(r"指标")
_TARGET_HEAD = re.compile(r"目标值|目标|预期值|(?:20|19)\d{2}\s*年")
_BASE_HEAD = re.compile(r"基期|基准|现状|(?:20|19)\d{2}\s*年")
_UNIT_HEAD = re.compile(r"^(?:计量)?单位$")
_NUMBER_HEAD = re.compile(r"^序号$|^编号$")
_LEAD_HEAD = re.compile(r"牵头单位|牵头部门")
_RESP_HEAD = re.compile(r"责任单位|配合单位|参与单位")
_TASK_HEAD = re.compile(r"目标|任务|指标|内容")
_UNIT_IN_NAME = re.compile(r"[（(]\s*(?P<unit>[^（）()]{1,8})\s*[)）]\s*$")
_UNIT_SPELLING = {
    "%": "%", "％": "%", "‰": "‰", "1/10万": "/10万", "/10万": "/10万", "人/10万": "/10万", "1/万": "/万",
    "/万": "/万", "岁": "岁", "年": "年", "个": "个", "人": "人", "名": "名", "所": "所", "张": "张", "家": "家",
    "项": "项", "小时": "小时", "天": "天", "万元": "万元", "亿元": "亿元", "元": "元", "百分点": "百分点",
    "个百分点": "百分点", "平方米": "平方米", "次": "次",
}  # fmt: skip
_TARGET_CELL = re.compile(
    r"^(?P<cmp>≥|≤|>=|<=|＞|＜|>|<|不低于|不少于|不高于|不超过|控制在|达到|保持在|保持|稳定在)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)?\s*(?P<unit>%|‰|/10万|/万|岁|年|个|人|名|所|张|小时|百分点)?\s*"
    r"(?P<qual>以上|以下|以内|左右)?$"
)
_CMP = {
    "≥": ">=", ">=": ">=", "＞": ">", ">": ">", "不低于": ">=", "不少于": ">=", "达到": ">=",
    "≤": "<=", "<=": "<=", "＜": "<", "<": "<", "不高于": "<=", "不超过": "<=", "控制在": "<=",
    "保持在": "maintain", "保持": "maintain", "稳定在": "maintain",
}  # fmt: skip
_QUAL = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}


@dataclass
class TableBlock:
    line: int  # 1-based line of the header
    rows: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (line, raw text, cells)


@dataclass
class UnitAssignment:
    key: str
    lead: list[str]
    responsible: list[str]


def _cells(raw: str) -> list[str] | None:
    if "\t" not in raw and raw.count("|") < 2:
        return None
    cells = [normalize_line(c) for c in _CELLS.split(raw.strip().strip("|"))]
    return cells if sum(1 for c in cells if c) >= 2 else None


def find_tables(lines: list[str], start: int = 0) -> list[TableBlock]:
    """Runs of consecutive table rows; Markdown separator rows (|---|) are skipped."""
    blocks: list[TableBlock] = []
    current: TableBlock | None = None
    for offset, raw in enumerate(lines):
        if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", raw) and "-" in raw:
            continue
        cells = _cells(raw)
        if cells is None:
            current = None
            continue
        if current is None:
            current = TableBlock(line=start + offset + 1)
            blocks.append(current)
        current.rows.append((start + offset + 1, raw.strip(), cells))
    return blocks


def _column(header: list[str], pattern: re.Pattern[str], skip: Collection[int] = ()) -> int | None:
    return next((i for i, c in enumerate(header) if i not in skip and pattern.search(c)), None)


def _unit(text: str) -> str:
    return _UNIT_SPELLING.get(text.replace(" ", ""), "")


def _number(text: str) -> float | None:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:%|‰|/10万|岁|年|个|人|名|所|张)?\s*", text)
    return float(m.group(1)) if m else None


def _comparator(cell: str, base: float | None) -> tuple[str, float] | None:
    m = _TARGET_CELL.match(cell.replace(" ", ""))
    if m is None:
        return None
    if m.group("num") is None:
        if m.group("cmp") in ("保持", "保持在", "稳定在") and base is not None:
            return "maintain", base
        return None
    number = float(m.group("num"))
    if m.group("qual"):
        return _QUAL[m.group("qual")], number
    if m.group("cmp"):
        return _CMP[m.group("cmp")], number
    if base is None:
        return "=", number
    if number > base:
        return ">=", number
    if number < base:
        return "<=", number
    return "maintain", number


def indicator_domain(block: TableBlock, title: str = "主要指标") -> Domain | None:
    """An indicator table as a domain of quantitative targets, or None if it is not one."""
    if len(block.rows) < 2:
        return None
    header = block.rows[0][2]
    name_col = _column(header, _NAME_HEAD)
    if name_col is None:
        return None
    target_col = next(
        (i for i in range(len(header) - 1, -1, -1) if i != name_col and _TARGET_HEAD.search(header[i])), None
    )
    if target_col is None:
        return None
    base_col = _column(header, _BASE_HEAD, {name_col, target_col})
    unit_col = _column(header, _UNIT_HEAD, {name_col, target_col})
    number_col = _column(header, _NUMBER_HEAD, {name_col, target_col})
    targets: list[Target] = []
    for _line, raw, cells in block.rows[1:]:
        if len(cells) <= max(name_col, target_col):
            continue
        name = cells[name_col]
        unit = _unit(cells[unit_col]) if unit_col is not None and unit_col < len(cells) else ""
        if m := _UNIT_IN_NAME.search(name):
            unit = unit or _unit(m.group("unit"))
            name = name[: m.start()].strip()
        cell_unit = _TARGET_CELL.match(cells[target_col].replace(" ", ""))
        if not unit and cell_unit and cell_unit.group("unit"):
            unit = _unit(cell_unit.group("unit"))
        base = _number(cells[base_col]) if base_col is not None and base_col < len(cells) else None
        read = _comparator(cells[target_col], base)
        if not name or read is None:
            continue
        comparator, value = read
        number = len(targets) + 1
        if number_col is not None and number_col < len(cells) and cells[number_col].isdigit():
            number = int(cells[number_col])
        indicator = Indicator(name=name, comparator=cast(Comparator, comparator), value=value, unit=unit, raw=raw)
        targets.append(Target(number=number, text=name, indicators=[indicator]))
    return Domain(name=title, targets=targets) if targets else None


def unit_assignments(block: TableBlock) -> list[UnitAssignment]:
    """Rows of a 任务分工 table: which units lead and share each target."""
    if len(block.rows) < 2:
        return []
    header = block.rows[0][2]
    lead_col = _column(header, _LEAD_HEAD)
    if lead_col is None:
        return []
    resp_col = _column(header, _RESP_HEAD, {lead_col})
    key_col = _column(header, _TASK_HEAD, {lead_col} | ({resp_col} if resp_col is not None else set()))
    if key_col is None:
        return []
    out = []
    for _line, _raw, cells in block.rows[1:]:
        if len(cells) <= max(lead_col, key_col):
            continue
        responsible = cells[resp_col] if resp_col is not None and resp_col < len(cells) else ""
        out.append(
            UnitAssignment(
                key=cells[key_col],
                lead=_split_names(cells[lead_col]) if cells[lead_col] else [],
                responsible=_split_names(responsible) if responsible else [],
            )
        )
    return out


def caption_line(lines: list[str], block: TableBlock, start: int = 0) -> int | None:
    """Index (into `lines`) of the caption above a table (附表1 …主要指标, 任务分工表), if any."""
    index = block.line - 1 - start
    for k in range(index - 1, max(index - 4, -1), -1):
        text = normalize_line(lines[k])
        if text:
            return k if ("表" in text or "指标" in text or "分工" in text) and len(text) <= 40 else None
    return None


def table_title(lines: list[str], block: TableBlock, start: int = 0) -> str:
    """The caption above a table (…重点指标目标表), or 主要指标 when there is none."""
    k = caption_line(lines, block, start)
    return normalize_line(lines[k]) if k is not None else "主要指标"


def _squash(text: str) -> str:
    return re.sub(r"[\s，。；、：（）]", "", text)


def assign_units(domains: list[Domain], assignments: list[UnitAssignment]) -> int:
    """Give targets printed without units the units of the 任务分工 row that names them.

    A row matches a target when one text starts with the first ten characters of the other
    (rows often abbreviate the target). Returns how many targets got units.
    """
    done = 0
    for domain in domains:
        for target in domain.targets:
            if target.lead_units or target.responsible_units:
                continue
            text = _squash(target.text)
            for row in assignments:
                key = _squash(re.sub(r"^(?:\d+[.、．]|（\d+）)", "", row.key))
                if len(key) >= 4 and (text.startswith(key[:10]) or key.startswith(text[:10])):
                    target.lead_units = list(row.lead)
                    target.responsible_units = list(row.responsible)
                    done += 1
                    break
    return done


# --- tables flattened into running text ---------------------------------------------------

_FLAT_HEADER = re.compile(
    r"序号(?P<name>[^\d]{0,12}?指标[^\d]{0,6}?)(?P<base>(?:19|20)\d{2}年(?:基期值)?|基期值)"
    r"(?P<target>(?:19|20)\d{2}年(?:目标值)?|目标值)"
)
_FLAT_NAME = re.compile(r"(?P<name>[^\d（(≥≤<>|]{2,40}?)(?:[（(](?P<unit>[^)）]{0,8})[)）])")
_FLAT_TOKEN = re.compile(
    r"保持|持续提高|逐步提高|稳步提高|提高|降低|下降|无数据|[≥≤<>]?\d+(?:\.\d+)*(?:%|‰)?(?:以上|以下|以内|左右)?"
)
_FLAT_RUN = re.compile(rf"(?:\|?(?:{_FLAT_TOKEN.pattern}))+")
_FLAT_CAPTION = re.compile(r"(?P<caption>[^，。；\d]{0,30}(?:重点指标目标表|主要指标表|指标目标表|主要指标))\s*$")


def _split_glued(token: str) -> list[str]:
    """93.794.3 → 93.7, 94.3: two decimals printed without a cell border between them.

    Of the ways to cut the run into two numbers, the one giving both the same number of
    decimals is taken (tables print a column with one precision)."""
    m = re.fullmatch(r"([≥≤<>]?)([\d.]+)(.*)", token)
    if m is None or m.group(2).count(".") < 2:
        return [token]
    sign, token, suffix = m.groups()
    best: list[str] = [sign + token + suffix]
    for k in range(token.index(".") + 2, len(token)):
        left, right = token[:k], token[k:]
        if right.count(".") != 1 or right.startswith(".") or left.count(".") != 1:
            continue
        if len(left.split(".")[1]) == len(right.split(".")[1]):
            return [sign + left, right + suffix]
        best = [sign + left, right + suffix] if len(best) == 1 else best
    return best


def flat_table_text(lines: list[str], index: int) -> tuple[str, int, int] | None:
    """A table whose header is on line `index` and whose rows follow one per line with cells
    separated by spaces (PDF text): (its text, first line, last line), the caption above it
    included; None when the line holds no table header."""
    head = "".join(normalize_line(lines[index]).split())
    if not _FLAT_HEADER.search(head):
        return None
    first = index
    if index and _FLAT_CAPTION.search("".join(normalize_line(lines[index - 1]).split())):
        first = index - 1
    last = index
    for k in range(index + 1, min(len(lines), index + 80)):
        text = normalize_line(lines[k])
        if text and not re.match(r"^\d{1,2}\s*\D", text):
            break
        last = k
    return " ".join(normalize_line(lines[k]) for k in range(first, last + 1)), first, last


def flattened_indicator_domain(text: str) -> Domain | None:
    """An indicator table whose cells ran together in extraction (no tabs, no borders):
    序号 指标 2020年 2025年 1 妇女人均预期寿命（岁） 83.65 保持 2 … . Rows are found by their
    序号 counting up from 1; a row's name ends at its unit in brackets."""
    # Spaces between two numbers separate cells (PDF text: 4.2 5以下); other spaces are noise.
    squashed = "".join(re.sub(r"(?<=\d)\s+(?=[\d≥≤<>])", "|", text).split())
    header = _FLAT_HEADER.search(squashed)
    if header is None:
        return None
    caption = _FLAT_CAPTION.search(squashed[: header.start()])
    title = caption.group("caption").lstrip("0123456789、") if caption else "主要指标"
    targets: list[Target] = []
    pos, number = header.end(), 1
    while (row := re.compile(rf"{number}(?=[^\d.])").match(squashed, pos)) is not None:
        name = _FLAT_NAME.match(squashed, row.end())
        if name is None:
            break
        following = re.compile(rf"{number + 1}(?=[\u4e00-\u9fff])").search(squashed, name.end())
        # The last row's values end where the run of value tokens ends (prose may follow).
        run = _FLAT_RUN.match(squashed, name.end())
        end = following.start() if following else name.end() + (len(run.group(0)) if run else 0)
        cells = [part for token in _FLAT_TOKEN.findall(squashed[name.end() : end]) for part in _split_glued(token)]
        raw = squashed[row.start() : end]
        base = _number(cells[0]) if cells else None
        read = _comparator(cells[1], base) if len(cells) >= 2 else None
        if read is not None:
            unit = _unit(name.group("unit") or "")
            comparator, value = read
            indicator = Indicator(
                name=name.group("name"), comparator=cast(Comparator, comparator), value=value, unit=unit, raw=raw
            )
            targets.append(Target(number=number, text=name.group("name"), indicators=[indicator]))
        if following is None:
            break
        pos, number = following.start(), number + 1
    return Domain(name=title, targets=targets) if targets else None
