"""Townships (乡级) imported into a workspace from a division-code file.

planwatch ships the country down to county level; a workspace that collects figures from
streets and towns imports those it needs, in the shipped file's format
(``code,name,level,parent_code``). Everything is checked before anything is written: a file
with any bad line changes nothing and every bad line is named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.areas import AreaFileError, AreaInfo, AreaRow, Gazetteer, national, read_rows
from planwatch.store import models as db

_TOWNSHIP_CODE = re.compile(r"\d{9}")


@dataclass
class AreaImportSummary:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_area_file(path: Path) -> list[AreaRow]:
    """The rows of a township file (UTF-8, with or without the BOM Excel writes)."""
    if not path.is_file():
        raise AreaFileError([f"找不到文件 file not found: {path}"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AreaFileError([f"{path}：文件不是 UTF-8 编码 not UTF-8 (byte {exc.start})"]) from None
    return read_rows(text.splitlines(), str(path))


def _parent_ok(gazetteer: Gazetteer, parent: AreaInfo) -> bool:
    """Townships hang under a county, or under a city that has no counties (东莞, 中山, 儋州)."""
    if parent.level == "county":
        return True
    return parent.level == "city" and not gazetteer.children(parent.code)


def check_townships(rows: list[AreaRow], existing: dict[str, db.Area], source: str) -> list[str]:
    """Every problem of the file, each naming its line; empty when the file can be imported."""
    gazetteer = national()
    problems: list[str] = []
    first_line: dict[str, int] = {}
    names = Counter((r.parent_code, r.name) for r in rows)
    for row in rows:
        where = f"{source}:{row.line}"
        if row.level != "street":
            problems.append(f"{where}：层级应为 street（乡级），实为“{row.level}” level must be street")
        if not row.name:
            problems.append(f"{where}：缺少名称 name missing")
        elif len(row.name) > 100:
            problems.append(f"{where}：名称过长 name longer than 100 characters")
        if not _TOWNSHIP_CODE.fullmatch(row.code):
            problems.append(f"{where}：代码“{row.code}”应为 9 位数字（乡级）code must have 9 digits")
        if row.code in first_line:
            problems.append(f"{where}：代码 {row.code} 与第 {first_line[row.code]} 行重复 duplicate code")
        else:
            first_line[row.code] = row.line
        if row.parent_code is None:
            problems.append(f"{where}：缺少上级代码 parent_code missing")
            continue
        if row.parent_code not in gazetteer:
            problems.append(f"{where}：上级代码 {row.parent_code} 不存在 parent does not exist")
            continue
        parent = gazetteer.get(row.parent_code)
        if not _parent_ok(gazetteer, parent):
            problems.append(
                f"{where}：上级 {parent.full_name}（{parent.code}）不是县级地区 parent must be county-level"
            )
        elif _TOWNSHIP_CODE.fullmatch(row.code) and row.code[:6] != parent.code:
            problems.append(
                f"{where}：代码 {row.code} 的前 6 位应为上级代码 {parent.code} code must start with its parent's"
            )
        if row.name and names[(row.parent_code, row.name)] > 1:
            problems.append(f"{where}：{parent.full_name}下有两个“{row.name}” duplicate name under one parent")
        old = existing.get(row.code)
        if old is not None and (old.name, old.parent_code) != (row.name, row.parent_code):
            problems.append(
                f"{where}：代码 {row.code} 已是“{old.full_name}”，与此行不同 code already used for another area"
            )
    return problems


def import_townships(session: Session, rows: list[AreaRow], *, source: str, actor: str) -> AreaImportSummary:
    """Add the file's townships (and their ancestors) to the workspace, all or nothing."""
    codes = [r.code for r in rows]
    existing = {a.code: a for a in session.scalars(select(db.Area).where(db.Area.code.in_(codes)))}
    problems = check_townships(rows, existing, source)
    if not rows:
        problems.append(f"{source}：文件中没有地区 no rows")
    if problems:
        raise AreaFileError(problems)
    gazetteer = national()
    summary = AreaImportSummary()
    for row in rows:
        if row.code in existing:
            summary.unchanged.append(row.code)
            continue
        assert row.parent_code is not None
        for info in gazetteer.lineage(row.parent_code):
            if session.get(db.Area, info.code) is None:
                session.add(db.Area(code=info.code, name=info.name, full_name=info.full_name,
                                    level=info.level, parent_code=info.parent_code))
                session.flush()
        parent = gazetteer.get(row.parent_code)
        session.add(db.Area(code=row.code, name=row.name, full_name=parent.full_name + row.name,
                            level="street", parent_code=parent.code))
        summary.added.append(row.code)
    session.flush()
    session.add(
        db.AuditEvent(
            actor=actor, action="area.import", entity="area", entity_id=None,
            detail={"source": source, "added": summary.added, "unchanged": len(summary.unchanged)},
        )
    )
    session.flush()
    return summary
