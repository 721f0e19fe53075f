"""The statistics bureau's 监测指标体系: read it, match it to the plan, apply it.

A bureau issues, next to the plan, the official list of what it monitors: a table with
序号, 领域, 指标名称, 计量单位, 目标值, 牵头/数据来源单位, 定量/定性 and 口径. planwatch reads
such a table (.xlsx or .csv), matches each row to an indicator or target of the plan, and
lists what matched, what is only in the table and what is only in the plan. Applying it
(``apply_indicator_system``) sets, from the table, each matched target's monitoring mode
(定量 → 量化监测, 定性 → 定性评价, 不纳入 → 不纳入监测), the indicator's definition (口径) and
unit, in the caller's transaction with one audit event; on any conflict nothing changes.

Headers (``HEADERS``): spaces, full/half width and a bracketed qualifier are ignored
(``目标值（2025年）`` is 目标值); every canonical column has its usual alternative spellings.
The header row is the first of the first ``HEADER_SCAN_ROWS`` rows holding 指标名称 and at
least two other known headers, so a title row above the table is fine. An empty 领域 cell
repeats the one above (merged cells), and a row with only a 领域 or 序号 (一、妇女与健康) sets
the 领域 of the rows below.

Matching rule (documented, and pinned by tests):

1. **Same normalised name.** ``normalise_name``: NFKC (full-width to half-width), no spaces
   or quotes, dashes unified, 的 dropped, Latin letters lower-cased, a Chinese numeral before
   年/岁/个月 written in digits (学前三年毛入园率 = 学前3年毛入园率).
2. **Similar name.** Else the Dice coefficient of the character bigrams of the normalised
   names with bracketed parts removed; the best candidate matches when its score is at least
   ``SIMILARITY_THRESHOLD`` (0.8) and beats the runner-up by ``SIMILARITY_MARGIN`` (0.05);
   two candidates within the margin are *ambiguous* and nothing is matched.
3. A 定性 row also matches a qualitative target whose text contains its normalised name.

Each plan indicator or qualitative target is matched at most once: a second row naming the
same one is reported as a duplicate.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planwatch.plan.model import UNITS
from planwatch.store import models as db
from planwatch.store.catalogue_yaml import monitoring_problem
from planwatch.store.load import RATE_BASES, natural_limits

HEADERS: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "编号", "序", "no", "no."),
    "领域": ("领域", "发展领域", "所属领域", "指标领域", "类别"),
    "指标名称": ("指标名称", "指标", "指标名", "监测指标", "监测指标名称"),
    "计量单位": ("计量单位", "单位", "指标单位"),
    "目标值": ("目标值", "目标", "规划目标值", "目标要求", "2025年目标值", "2025年目标"),
    "牵头/数据来源单位": (
        "牵头/数据来源单位", "牵头单位/数据来源单位", "牵头(数据来源)单位", "牵头单位", "数据来源单位",
        "数据来源", "牵头部门", "责任单位",
    ),
    "定量/定性": ("定量/定性", "定量或定性", "指标属性", "指标类型", "属性", "类型", "性质"),
    "口径": ("口径", "统计口径", "指标口径", "指标解释", "指标定义", "定义", "计算方法"),
}  # fmt: skip
"""Canonical column → the spellings accepted (compared after ``_header_key``)."""

REQUIRED = ("指标名称", "计量单位", "目标值", "定量/定性", "口径")
"""Columns without which the table cannot be applied; the others are shown when present."""

HEADER_SCAN_ROWS = 10
SIMILARITY_THRESHOLD = 0.8
SIMILARITY_MARGIN = 0.05

MODES = {
    "定量": "quantitative", "量化": "quantitative", "量化监测": "quantitative", "定量指标": "quantitative",
    "定性": "qualitative", "定性评价": "qualitative", "定性指标": "qualitative",
    "不纳入": "excluded", "不纳入监测": "excluded", "不监测": "excluded", "暂不监测": "excluded",
}  # fmt: skip

_UNIT_SPELLINGS = {
    "％": "%", "%": "%", "百分比": "%", "‰": "‰", "千分比": "‰", "1/10万": "/10万", "/10万": "/10万",
    "每10万": "/10万", "1/100000": "/10万", "/100000": "/10万", "1/万": "/万", "/万": "/万",
    "/千": "/千", "每千人": "/千", "每千名": "/千", "个/千人": "/千", "张/千人": "/千",
    "人": "人", "名": "名", "个": "个", "所": "所", "家": "家", "项": "项", "次": "次", "岁": "岁",
    "年": "年", "小时": "小时", "天": "天", "工作日": "工作日", "张": "张", "比": "比", "比值": "比",
    "百分点": "百分点", "个百分点": "百分点", "亿元": "亿元", "万元": "万元", "元": "元",
    "平方米": "平方米", "无": "", "-": "", "—": "", "/": "",
}  # fmt: skip


class IndicatorSystemError(ValueError):
    """The table cannot be read as a 监测指标体系; nothing was changed."""


@dataclass(frozen=True)
class TableRow:
    """One indicator row of the bureau's table; ``where`` names its place for messages."""

    where: str
    seq: str
    domain: str
    name: str
    unit: str
    target: str
    lead: str
    mode: str | None
    """quantitative / qualitative / excluded, None when the 定量/定性 cell is empty."""
    definition: str


@dataclass(frozen=True)
class IndicatorTable:
    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    """canonical column → header as printed."""
    rows: list[TableRow]


@dataclass(frozen=True)
class PlanItem:
    """Something of the plan a table row can name: an indicator, or a qualitative target."""

    label: str
    indicator_id: int | None
    target_ids: tuple[int, ...]
    text: str = ""
    """A qualitative target's text (for rule 3)."""


@dataclass(frozen=True)
class Match:
    row: TableRow
    item: PlanItem
    rule: str
    """"名称一致", "名称相似 0.86" or "目标文字包含"."""


@dataclass(frozen=True)
class Change:
    what: str
    old: Any
    new: Any


@dataclass
class MatchReport:
    table: IndicatorTable
    matched: list[Match] = field(default_factory=list)
    only_in_table: list[TableRow] = field(default_factory=list)
    only_in_plan: list[PlanItem] = field(default_factory=list)
    ambiguous: list[tuple[TableRow, list[str]]] = field(default_factory=list)
    duplicates: list[tuple[TableRow, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why a match cannot be applied as the table says (found by ``apply``)."""
    notes: list[str] = field(default_factory=list)
    """What ``apply`` could not follow to the letter and why (it still applied the rest)."""
    changes: list[Change] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def _header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"\s+", "", key)


def _strip_qualifier(key: str) -> str:
    """目标值(2025年) → 目标值: a bracketed qualifier does not change what the column is."""
    return re.sub(r"\([^)]*\)$", "", key)


_ALIASES = {_header_key(a): canonical for canonical, spellings in HEADERS.items() for a in spellings}


def _canonical_header(cell: Any) -> str | None:
    if cell is None:
        return None
    key = _header_key(str(cell))
    if key in _ALIASES:
        return _ALIASES[key]
    return _ALIASES.get(_strip_qualifier(key))


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _grids(path: Path, sheet: str | None) -> list[tuple[str | None, list[list[Any]]]]:
    """(sheet name, rows) of the sheets to look at: the one asked for, or all of them."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise IndicatorSystemError(f"{path}：CSV 文件没有工作表，不能指定 --sheet {sheet} (CSV has no sheets)")
        return [(None, _csv_rows(path))]
    if suffix not in (".xlsx", ".xlsm"):
        raise IndicatorSystemError(f"{path}：应为 .xlsx 或 .csv 文件 (expected .xlsx or .csv)")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise IndicatorSystemError(f"{path}：无法作为 Excel 工作簿打开 cannot open workbook: {exc}") from exc
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise IndicatorSystemError(
                f"{path}：没有工作表“{sheet}”；工作簿中的工作表：{'、'.join(names)} (no such sheet)"
            )
        chosen = [sheet] if sheet is not None else names
        return [(name, [list(r) for r in wb[name].iter_rows(values_only=True)]) for name in chosen]
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IndicatorSystemError(f"{path}：无法识别文件编码（应为 UTF-8 或 GB18030）unknown encoding")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[int, str] = {}
        for j, cell in enumerate(row):
            canonical = _canonical_header(cell)
            if canonical is not None and canonical not in found.values():
                found[j] = canonical
        if "指标名称" in found.values() and len(found) >= 3:
            return i, found
    return None


def read_indicator_table(path: Path | str, sheet: str | None = None) -> IndicatorTable:
    """Read a 监测指标体系 table; :class:`IndicatorSystemError` names what is wrong and where."""
    path = Path(path)
    if not path.is_file():
        raise IndicatorSystemError(f"找不到文件 file not found: {path}")
    tried: list[str] = []
    for name, rows in _grids(path, sheet):
        place = f"{path.name}" + (f" 工作表“{name}”" if name else "")
        if not any(any(_text(c) for c in r) for r in rows):
            tried.append(f"{place}：空表 empty")
            continue
        header = _find_header(rows)
        if header is None:
            tried.append(f"{place}：前 {HEADER_SCAN_ROWS} 行中没有含“指标名称”的表头行 no header row")
            continue
        index, columns = header
        printed = {canonical: _text(rows[index][j]) for j, canonical in columns.items()}
        missing = [c for c in REQUIRED if c not in columns.values()]
        if missing:
            raise IndicatorSystemError(
                f"{place} 第 {index + 1} 行表头缺少列：{'、'.join(missing)}"
                f"（表头为：{'、'.join(_text(c) for c in rows[index] if _text(c))}）"
                f" missing column(s): {', '.join(missing)}"
            )
        table_rows = _table_rows(place, rows, index, columns)
        if not table_rows:
            raise IndicatorSystemError(f"{place}：表头下没有指标行 no indicator rows under the header")
        return IndicatorTable(str(path), name, index + 1, printed, table_rows)
    raise IndicatorSystemError("未找到监测指标体系表 no indicator table found:\n  " + "\n  ".join(tried))


def _table_rows(place: str, rows: list[list[Any]], header: int, columns: dict[int, str]) -> list[TableRow]:
    out: list[TableRow] = []
    domain = ""
    for i in range(header + 1, len(rows)):
        raw = rows[i]
        cells = {c: _text(raw[j]) if j < len(raw) else "" for j, c in columns.items()}
        if not any(cells.values()):
            continue
        if cells.get("领域"):
            domain = cells["领域"]
        name = cells.get("指标名称", "")
        where = f"{place} 第 {i + 1} 行"
        if not name:
            # 一、妇女与健康 as a section row (序号 or 领域 only) sets the domain below it.
            section = cells.get("序号", "")
            if section and not cells.get("领域") and not re.fullmatch(r"\d+", section):
                domain = re.sub(r"^[一二三四五六七八九十]+[、.]", "", section)
            continue
        mode_text = _header_key(cells.get("定量/定性", ""))
        mode = MODES.get(mode_text) if mode_text else None
        if mode_text and mode is None:
            raise IndicatorSystemError(
                f"{where}“定量/定性”列为“{cells['定量/定性']}”，应为 定量 / 定性 / 不纳入监测 "
                "(expected 定量, 定性 or 不纳入监测)"
            )
        out.append(
            TableRow(
                where=where, seq=cells.get("序号", ""), domain=domain, name=name,
                unit=cells.get("计量单位", ""), target=cells.get("目标值", ""),
                lead=cells.get("牵头/数据来源单位", ""), mode=mode, definition=cells.get("口径", ""),
            )
        )  # fmt: skip
    return out


# --------------------------------------------------------------------------- matching


def normalise_name(name: str) -> str:
    """The form names are compared in (rule 1)."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[\s\"'“”‘’《》〈〉「」]", "", text)
    text = re.sub(r"[—–~～至]", "-", text)
    text = re.sub(r"[一二三四五六七八九十](?=年|岁|周岁|个月)", lambda m: _DIGIT[m.group()], text)
    return text.replace("的", "")


_DIGIT = {c: str(i) for i, c in enumerate("一二三四五六七八九十", start=1)}


def _core(name: str) -> str:
    return re.sub(r"\([^)]*\)", "", normalise_name(name))


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or [text]


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of the names' cores (rule 2), 0–1."""
    x, y = _bigrams(_core(a)), _bigrams(_core(b))
    pool = list(y)
    common = 0
    for gram in x:
        if gram in pool:
            pool.remove(gram)
            common += 1
    return 2 * common / (len(x) + len(y))


def plan_items(session: Session, area_code: str, plan_ids: Sequence[int]) -> list[PlanItem]:
    """The plan's indicators (with the targets naming them) and qualitative targets."""
    indicators: dict[int, tuple[str, list[int]]] = {}
    q = (
        select(db.TargetValue.indicator_id, db.Indicator.name, db.TargetValue.target_id)
        .join(db.Indicator, db.Indicator.id == db.TargetValue.indicator_id)
        .where(db.TargetValue.area_code == area_code, db.TargetValue.plan_id.in_(list(plan_ids)))
        .order_by(db.Indicator.code, db.TargetValue.id)
    )
    for ind_id, name, target_id in session.execute(q):
        entry = indicators.setdefault(ind_id, (name, []))
        if target_id is not None and target_id not in entry[1]:
            entry[1].append(target_id)
    items = [PlanItem(name, ind_id, tuple(tids)) for ind_id, (name, tids) in indicators.items()]
    q2 = (
        select(db.Target, db.Domain)
        .join(db.Domain, db.Domain.id == db.Target.domain_id)
        .where(db.Domain.plan_id.in_(list(plan_ids)), db.Target.kind == "qualitative")
        .order_by(db.Domain.plan_id, db.Domain.seq, db.Target.number)
    )
    for target, domain in session.execute(q2):
        label = f"{domain.name} 主要目标({target.number})：{target.text}"
        items.append(PlanItem(label, None, (target.id,), text=target.text))
    return items


def match_rows(rows: Iterable[TableRow], items: list[PlanItem], report: MatchReport) -> None:
    """Fill ``report`` with matches, table-only rows, ambiguities and duplicates."""
    by_name: dict[str, list[PlanItem]] = {}
    for item in items:
        if item.indicator_id is not None:
            by_name.setdefault(normalise_name(item.label), []).append(item)
    named = [i for i in items if i.indicator_id is not None]
    taken: dict[PlanItem, TableRow] = {}

    def take(row: TableRow, item: PlanItem, rule: str) -> None:
        if item in taken:
            report.duplicates.append((row, f"与{taken[item].where}对应同一项：{item.label}"))
            return
        taken[item] = row
        report.matched.append(Match(row, item, rule))

    for row in rows:
        exact = by_name.get(normalise_name(row.name))
        if exact:
            take(row, exact[0], "名称一致")
            continue
        scored = sorted(((similarity(row.name, i.label), i) for i in named), key=lambda p: -p[0])
        if scored and scored[0][0] >= SIMILARITY_THRESHOLD:
            best, item = scored[0]
            close = [i.label for s, i in scored[1:] if best - s < SIMILARITY_MARGIN]
            if close:
                report.ambiguous.append((row, [item.label, *close]))
            else:
                take(row, item, f"名称相似 {best:.2f}")
            continue
        key = normalise_name(row.name)
        texts = [i for i in items if i.indicator_id is None and key and key in normalise_name(i.text)]
        if row.mode == "qualitative" and len(texts) == 1:
            take(row, texts[0], "目标文字包含")
            continue
        report.only_in_table.append(row)
    report.only_in_plan = [i for i in items if i not in taken]


def match_indicator_system(
    session: Session, table: IndicatorTable, *, area_code: str, plan_ids: Sequence[int]
) -> MatchReport:
    """Match a read table against the plans ``plan_ids`` of one area (nothing is changed)."""
    report = MatchReport(table)
    match_rows(table.rows, plan_items(session, area_code, plan_ids), report)
    return report


# --------------------------------------------------------------------------- applying


def canonical_unit(text: str) -> str | None:
    """The catalogue's spelling of a table's unit (％ → %, 1/10万 → /10万), None if unknown."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if key in UNITS:
        return key
    return _UNIT_SPELLINGS.get(key)


def _target_modes(report: MatchReport) -> dict[int, tuple[str, str]]:
    """target id → (mode, where): a target is 量化监测 if any of its matched rows is 定量."""
    rank = {"quantitative": 0, "qualitative": 1, "excluded": 2}
    modes: dict[int, tuple[str, str]] = {}
    for match in report.matched:
        if match.row.mode is None:
            continue
        if not match.item.target_ids:
            report.notes.append(
                f"{match.row.where}“{match.row.name}”只见于策略措施，没有对应的主要目标，"
                "监测方式不变（按量化监测）(only in a measure: mode not stored)"
            )
        for tid in match.item.target_ids:
            old = modes.get(tid)
            if old is not None and old[0] != match.row.mode:
                report.notes.append(
                    f"{match.row.where}与{old[1]}属同一主要目标而监测方式不同，按"
                    f"{db.MONITORING_LABELS[min(old[0], match.row.mode, key=rank.__getitem__)]}"
                    " (one target, two modes: the stronger kept)"
                )
            if old is None or rank[match.row.mode] < rank[old[0]]:
                modes[tid] = (match.row.mode, match.row.where)
    return modes


def apply_indicator_system(session: Session, report: MatchReport, *, actor: str) -> list[Change]:
    """Set monitoring modes, definitions and units from the matched rows, all or nothing.

    Raises :class:`IndicatorSystemError` listing every conflict (a 定量 row for a target
    without figures, an unknown unit, a unit change for an indicator that already has
    figures) before anything is written. Records one AuditEvent; returns the changes.
    """
    problems: list[str] = []
    setters: list[tuple[Change, Any]] = []
    for tid, (mode, where) in sorted(_target_modes(report).items()):
        target = session.get(db.Target, tid)
        assert target is not None
        problem = monitoring_problem(target, mode)
        if problem:
            problems.append(f"{where}：目标“{target.text[:30]}”{problem}")
        elif target.monitoring != mode:
            change = Change(f"目标 {target.domain.name} 主要目标({target.number}) 监测方式",
                            db.MONITORING_LABELS[target.monitoring], db.MONITORING_LABELS[mode])
            setters.append((change, lambda t=target, m=mode: setattr(t, "monitoring", m)))
    for match in report.matched:
        if match.item.indicator_id is None:
            continue
        ind = session.get(db.Indicator, match.item.indicator_id)
        assert ind is not None
        row = match.row
        if row.definition and row.definition != (ind.definition or ""):
            setters.append((Change(f"指标 {ind.code} {ind.name} 口径", ind.definition, row.definition),
                            lambda i=ind, d=row.definition: setattr(i, "definition", d)))
        if row.unit:
            unit = canonical_unit(row.unit)
            if unit is None:
                problems.append(f"{row.where}：无法识别计量单位“{row.unit}” unknown unit")
            elif unit != (ind.unit or ""):
                has_figures = session.scalar(
                    select(func.count()).select_from(db.Observation).where(db.Observation.indicator_id == ind.id)
                )
                if has_figures:
                    problems.append(
                        f"{row.where}：指标“{ind.name}”已有数据，单位不能由“{ind.unit}”改为“{unit}”"
                        " (indicator has figures; unit not changed)"
                    )
                else:
                    setters.append((Change(f"指标 {ind.code} {ind.name} 计量单位", ind.unit, unit),
                                    lambda i=ind, u=unit: _set_unit(i, u)))
    if problems:
        report.problems = problems
        raise IndicatorSystemError(
            f"监测指标体系有 {len(problems)} 处不能应用，未做任何修改 (nothing changed):\n  " + "\n  ".join(problems)
        )
    for _change, apply in setters:
        apply()
    report.changes = [c for c, _ in setters]
    if report.changes:
        session.add(
            db.AuditEvent(
                actor=actor,
                action="catalogue.indicator_system",
                entity="catalogue",
                entity_id=report.table.source,
                detail={
                    "sheet": report.table.sheet,
                    "changes": [{"what": c.what, "old": c.old, "new": c.new} for c in report.changes],
                },
            )
        )
    session.flush()
    return report.changes


def _set_unit(ind: db.Indicator, unit: str) -> None:
    ind.unit = unit or None
    ind.is_rate = unit in RATE_BASES
    ind.rate_base = RATE_BASES.get(unit)
    ind.lower_limit, ind.upper_limit = natural_limits(unit)


# --------------------------------------------------------------------------- scope


_SUBJECT_WORDS = {"women": "women", "妇女": "women", "children": "children", "儿童": "children"}


def resolve_scope(session: Session, area: str | None, plan: str | None) -> tuple[str, list[int]]:
    """The area and plans a table is matched against.

    ``area`` is a code or name, needed only when the workspace holds plans of several areas;
    ``plan`` is ``women``/``children`` (妇女/儿童) or part of a title; without it every plan
    of the area is used (a bureau's table often covers both plans).
    """
    plans = list(session.scalars(select(db.Plan).order_by(db.Plan.area_code, db.Plan.id)))
    areas = {p.area_code: p.area.name for p in plans}
    if area is None:
        if len(areas) != 1:
            shown = "、".join(f"{c} {n}" for c, n in sorted(areas.items())) or "无"
            raise IndicatorSystemError(f"工作区有多个地区，请用 --area 指定：{shown} (give --area)")
        code = next(iter(areas))
    else:
        hits = [c for c, n in areas.items() if area in (c, n)]
        if not hits:
            shown = "、".join(f"{c} {n}" for c, n in sorted(areas.items()))
            raise IndicatorSystemError(f"工作区中没有地区“{area}”；可用：{shown} (unknown area)")
        code = hits[0]
    chosen = [p for p in plans if p.area_code == code]
    if plan is not None:
        subject = _SUBJECT_WORDS.get(plan.strip())
        chosen = [p for p in chosen if (p.subject == subject if subject else plan in p.title)]
        if not chosen:
            titles = "、".join(f"《{p.title}》" for p in plans if p.area_code == code)
            raise IndicatorSystemError(f"地区 {code} 没有与“{plan}”相符的规划；已有：{titles} (no such plan)")
    return code, [p.id for p in chosen]
