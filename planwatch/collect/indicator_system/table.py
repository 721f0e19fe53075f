"""Reading a 监测指标体系 table (.xlsx / .csv): headers found and named, rows read.

See :mod:`planwatch.collect.indicator_system` for the rules.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planwatch.errors import PlanwatchError

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

MODES = {
    "定量": "quantitative", "量化": "quantitative", "量化监测": "quantitative", "定量指标": "quantitative",
    "定性": "qualitative", "定性评价": "qualitative", "定性指标": "qualitative",
    "不纳入": "excluded", "不纳入监测": "excluded", "不监测": "excluded", "暂不监测": "excluded",
}  # fmt: skip


class IndicatorSystemError(PlanwatchError, ValueError):
    """The table cannot be read as a 监测指标体系; nothing was changed."""

    code = "collect.indicator_system"


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
