"""Responsibility tables (目标责任分解书) flattened one cell a line.

Provinces publish a plan's targets a second time as a table 领域 | 主要目标 | 主要责任单位 |
责任单位. A web page or a text extraction of that table keeps one cell a line: the numbered
target, its "——" sub-targets, then its units one a line (a target whose sub-targets have
other units repeats a unit block after each); the 领域 column is a merged cell that is usually
lost. This module rewrites such a run of lines into the house style the section reader knows
(a domain heading, 主要目标：, numbered items with a （牵头单位：…；责任单位：…） note), keeping
every line at its place so warnings still name the right line.

Two things cannot be read from the flattened text and are stated as warnings: the split
between the two unit columns (the first unit under a target is taken as the 主要责任单位, one
cell a row in these tables, and the others as 责任单位), and the domain names when the 领域
cells are lost (the domains are then named in the order of the national outline of the
plan's cycle, which provincial and local plans follow, and the user is asked to check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.plan.cleanup import NUMBER_CN

_TARGETS_HEAD = re.compile(r"^主\s*要\s*目\s*标[：:]?$")
_LEAD_HEAD = re.compile(r"^(?:主\s*要\s*责\s*任\s*单\s*位|牵\s*头\s*单\s*位)[：:]?$")
_OTHER_HEAD = re.compile(r"^(?:责\s*任\s*单\s*位|配\s*合\s*单\s*位|协\s*办\s*单\s*位|参\s*与\s*单\s*位)[：:]?$")
_FIELD_HEAD = re.compile(r"^领\s*域$")
_ITEM = re.compile(r"^(\d{1,2})[.．、](?!\d)\S")
_BULLET = re.compile(r"^(?:——|━━|--|－－)")
_DOMAIN_LINE = re.compile(r"^(?:妇女|儿童)(?:与|参与)[^，。；：、（）]{1,12}(?:领域)?$")
_CHAPTER = re.compile(rf"^[{NUMBER_CN}]+、")
# A unit cell: a short name with no sentence punctuation and no digits (省卫生厅, 广东出入境检验检疫局).
_UNIT = re.compile(r"^[^\d０-９，。；：、（）()《》“”—\-\s,.;:]{2,16}$")
_PLAN = re.compile(r"(妇女|儿童)发展(?:规划|纲要)[^0-9]{0,4}(\d{4})")

# The national outlines' domains in their order, by cycle; provincial and local plans of a
# cycle follow them (a province may add a domain at the end).
NATIONAL_DOMAINS: dict[tuple[str, int], tuple[str, ...]] = {
    ("women", 2001): ("妇女与经济", "妇女参与决策和管理", "妇女与教育", "妇女与健康", "妇女与法律", "妇女与环境"),
    ("children", 2001): ("儿童与健康", "儿童与教育", "儿童与法律保护", "儿童与环境"),
    ("women", 2011): (
        "妇女与健康",
        "妇女与教育",
        "妇女与经济",
        "妇女参与决策和管理",
        "妇女与社会保障",
        "妇女与环境",
        "妇女与法律",
    ),
    ("children", 2011): ("儿童与健康", "儿童与教育", "儿童与福利", "儿童与社会环境", "儿童与法律保护"),
    ("women", 2021): (
        "妇女与健康",
        "妇女与教育",
        "妇女与经济",
        "妇女参与决策和管理",
        "妇女与社会保障",
        "妇女与家庭建设",
        "妇女与环境",
        "妇女与法律",
    ),
    ("children", 2021): (
        "儿童与健康",
        "儿童与安全",
        "儿童与教育",
        "儿童与福利",
        "儿童与家庭",
        "儿童与环境",
        "儿童与法律保护",
    ),
}


def _cycle(year: int) -> int | None:
    for start in (2021, 2011, 2001):
        if start <= year < start + 10:
            return start
    return None


@dataclass
class _Target:
    line: int
    units: list[str] = field(default_factory=list)
    unit_lines: list[int] = field(default_factory=list)


def _header_end(lines: list[str], start: int) -> int | None:
    """Index of the last header cell when a 主要目标 | 主要责任单位 | 责任单位 header starts here."""
    cells: list[tuple[int, str]] = []
    i = start
    while i < len(lines) and len(cells) < 4:
        text = lines[i].strip()
        if text:
            cells.append((i, text))
        i += 1
    kinds = []
    for _, text in cells:
        if _FIELD_HEAD.match(text):
            kinds.append("field")
        elif _TARGETS_HEAD.match(text):
            kinds.append("targets")
        elif _LEAD_HEAD.match(text):
            kinds.append("lead")
        elif _OTHER_HEAD.match(text):
            kinds.append("other")
        else:
            break
    if "targets" not in kinds or "lead" not in kinds:
        return None
    return cells[len(kinds) - 1][0]


def rewrite_duty_tables(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines with every flattened responsibility table rewritten; (line index, note) warnings."""
    out = list(lines)
    notes: list[tuple[int, str]] = []
    i = 0
    while i < len(out):
        text = out[i].strip()
        if not (_FIELD_HEAD.match(text) or _TARGETS_HEAD.match(text)):
            i += 1
            continue
        end = _header_end(out, i)
        if end is None:
            i += 1
            continue
        i = _rewrite_table(out, i, end, notes)
    return out, notes


def _plan_of(lines: list[str], upto: int) -> tuple[str, int] | None:
    for raw in reversed(lines[max(0, upto - 40) : upto]):
        if m := _PLAN.search(raw):
            cycle = _cycle(int(m.group(2)))
            if cycle is not None:
                return ("women" if m.group(1) == "妇女" else "children", cycle)
    return None


def _rewrite_table(out: list[str], head: int, head_end: int, notes: list[tuple[int, str]]) -> int:
    """Rewrite one table whose header spans lines head..head_end; return the index after it."""
    groups: list[tuple[str | None, int, list[_Target]]] = []  # (printed domain, line, targets)
    printed: str | None = None
    current: _Target | None = None
    i = head_end + 1
    while i < len(out):
        text = out[i].strip()
        if not text:
            i += 1
            continue
        if _CHAPTER.match(text) and not _ITEM.match(text):
            break
        if _DOMAIN_LINE.match(text):
            printed = re.sub(r"领域$", "", text)
            out[i] = ""
        elif m := _ITEM.match(text):
            number = int(m.group(1))
            if number == 1 or not groups or printed is not None:
                groups.append((printed, i, []))
                printed = None
            current = _Target(line=i)
            groups[-1][2].append(current)
        elif _BULLET.match(text):
            pass
        elif current is not None and _UNIT.match(text):
            current.units.append(text)
            current.unit_lines.append(i)
        i += 1
    if not groups:
        return head_end + 1
    plan = _plan_of(out, head)
    order = NATIONAL_DOMAINS.get(plan, ()) if plan else ()
    for k in range(head, head_end + 1):
        out[k] = ""
    guessed = unknown = False
    for g, (name, line, targets) in enumerate(groups):
        if name is None and g < len(order):
            guessed, name = True, order[g]
        if name is None:
            unknown = True  # no domain heading is invented: the section reader then skips it
        else:
            chapter = NUMBER_CN[g] if g < len(NUMBER_CN) else str(g + 1)
            out[line] = f"{chapter}、{name}。主要目标：" + out[line].strip()
        for target in targets:
            _note_units(out, target)
    units_seen = any(t.units for _, _, ts in groups for t in ts)
    if guessed:
        notes.append(
            (
                head,
                "目标责任分解表未印出领域名称，已按国家纲要该周期的领域顺序推定，请核对 / "
                "domain names not printed in the responsibility table: inferred from the national outline's order",
            )
        )
    if unknown:
        notes.append(
            (
                head,
                "目标责任分解表未印出领域名称，也无法从规划名称和周期推定，其中的目标未能读取 / "
                "domain names neither printed nor inferable: the table's targets were not read",
            )
        )
    if units_seen:
        notes.append(
            (
                head,
                "目标责任分解表的两列单位在原文中已连成一列：每条目标下第一个单位记为主要责任单位，其余记为责任单位，"
                "请核对 / unit columns merged: first unit taken as lead, the rest as responsible",
            )
        )
    return i


def _note_units(out: list[str], target: _Target) -> None:
    """Replace a target's unit cells by one （牵头单位：…；责任单位：…） note at the last of them."""
    if not target.units:
        return
    lead = target.units[0]
    others: list[str] = []
    for unit in target.units[1:]:
        if unit != lead and unit not in others:
            others.append(unit)
    for k in target.unit_lines:
        out[k] = ""
    note = f"（牵头单位：{lead}" + (f"；责任单位：{'、'.join(others)}）" if others else "）")
    out[target.unit_lines[-1]] = note
