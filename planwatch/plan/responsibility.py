"""The responsibility block that ends a main target: （牵头单位：…，责任单位：…）.

Lead units answer for the target; responsible units share the work. Plans end the list
with phrases like "等区妇儿工委有关成员单位"; that phrase is a note about who else helps,
not a unit, so it is kept apart instead of being glued to the last name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The block is the last parenthesis of the item that names a role. Parentheses may nest
# (e.g. 区人力资源社会保障局（区医保局）) so the scan walks back over balanced brackets.
_ROLE = re.compile(r"(牵头单位|责任单位|配合单位|协办单位)\s*：")
_REPEATED = re.compile(r"(.{2,4})\1")
_NOTE = re.compile(r"(?P<name>.*?[局委部会联院办处队室所站团心司行区])?(?P<note>等.*)$")


@dataclass
class UnitBlock:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    note: str | None = None
    start: int = -1  # where the block begins in the item text; -1 when there is none


def _last_role_block(text: str) -> tuple[int, int] | None:
    """Find (start, end) of the last balanced （…） group that contains a role label."""
    end = len(text)
    while end > 0:
        close = text.rfind("）", 0, end)
        if close < 0:
            return None
        depth = 0
        i = close
        while i >= 0:
            if text[i] == "）":
                depth += 1
            elif text[i] == "（":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i < 0:
            return None
        inner = text[i + 1 : close]
        if _ROLE.match(inner.strip()):
            return i, close + 1
        end = i
    return None


def _split_names(value: str) -> list[str]:
    """Split on 、 and ， at bracket depth 0: 区妇联（区妇儿工委办公室、…） is one name."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(value):
        if char in "（〈":
            depth += 1
        elif char in "）〉":
            depth = max(depth - 1, 0)
        elif char in "、，" and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    names = []
    for part in parts:
        name = re.sub(r"\s+", "", part).strip("。；")
        # PDF extraction repeats a word across a page break: 区住房城乡建设|建设局.
        name = _REPEATED.sub(r"\1", name)
        if name:
            names.append(name)
    return names


def _split_note(names: list[str]) -> tuple[list[str], str | None]:
    """Cut the list at the first "…等…单位" phrase; it and what follows form the note."""
    for index, name in enumerate(names):
        note = _NOTE.match(name)
        if note and note.group("note"):
            kept = names[:index] + ([note.group("name")] if note.group("name") else [])
            return kept, "、".join([note.group("note"), *names[index + 1 :]])
    return names, None


def parse_unit_block(text: str) -> UnitBlock:
    """Read the lead and responsible units from an item's text.

    The roles may share one parenthesis or stand in adjacent ones:
    （牵头单位：…）（责任单位：…）; all role blocks at the end of the item are read.
    """
    # 〔〕 is used for unit blocks too (市中区); same length, so offsets stay valid.
    scan = text.replace("〔", "（").replace("〕", "）")
    last = _last_role_block(scan)
    if last is None:
        return UnitBlock()
    spans = [last]
    end = len(scan[: last[0]].rstrip("。； "))
    while (span := _last_role_block(scan[:end])) is not None and span[1] == end:
        spans.insert(0, span)
        end = len(scan[: span[0]].rstrip("。； "))
    block = UnitBlock(start=spans[0][0])
    for start, stop in spans:
        _read_roles(scan[start + 1 : stop - 1], block)
    return block


def _read_roles(inner: str, block: UnitBlock) -> None:
    matches = list(_ROLE.finditer(inner))
    for index, match in enumerate(matches):
        stop = matches[index + 1].start() if index + 1 < len(matches) else len(inner)
        value = inner[match.end() : stop].strip().rstrip("，；。")
        names, note = _split_note(_split_names(value))
        if note:
            block.note = note if block.note is None else f"{block.note}；{note}"
        if match.group(1) == "牵头单位":
            block.lead.extend(names)
        else:
            block.responsible.extend(names)
