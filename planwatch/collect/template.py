"""Each unit's Excel workbook: what to fill in, with the reference figures beside it.

The data sheet lists exactly the indicators the unit reports (one row per indicator ×
breakdown), with the unit of measure, last year's approved value and the plan's target.
Only the input cells are unlocked and each is validated by Excel as a decimal in range;
the sheet is protected. A very hidden sheet records unit, area, year, template version
and the row layout with a checksum, so that :mod:`planwatch.collect.workbook` can tell
a filled template from an edited one and say where it was changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect import breakdowns as bd
from planwatch.collect import layout as L
from planwatch.collect.catalogue import assigned_indicators, target_texts
from planwatch.collect.context import IndicatorSpec
from planwatch.collect.fill import Figure
from planwatch.collect.history import series
from planwatch.collect.metadata_sheet import write_metadata_sheet
from planwatch.collect.template_key import template_key
from planwatch.collect.workbook_frame import (
    BORDER,
    INPUT_FILL,
    NA_FILL,
    UNLOCKED,
    CellStyles,
    column_numbers,
    protect_data_sheet,
    write_heading,
    write_instructions,
)
from planwatch.safe_output import safe_file_name, set_cell
from planwatch.store.models import Area, Unit
from planwatch.store.reporters import reporters_in


@dataclass(frozen=True)
class TemplateRow:
    indicator: IndicatorSpec
    breakdown: str
    last_year: float | None = None
    target: str = ""


@dataclass
class TemplateSpec:
    """Everything a template shows, gathered from the catalogue and the approved history."""

    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    year: int
    rows: list[TemplateRow] = field(default_factory=list)
    deadline: str | None = None
    label: str | None = None
    """a banner such as 示例数据，非真实统计 for synthetic workbooks."""
    key: bytes | None = field(default=None, repr=False)
    """the workspace's template key, which signs the hidden metadata."""


@dataclass(frozen=True)
class UnitTemplate:
    """What a unit's template shows whatever the year: its indicators, the plans' targets
    and the workspace's key. A caller writing one unit's templates for several years (the
    demo) reads these once and only the approved history per year."""

    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    indicators: tuple[IndicatorSpec, ...]
    targets: Mapping[int, str]
    key: bytes


def unit_template(session: Session, unit: Unit, year: int | None = None) -> UnitTemplate:
    """``year``: the indicators assigned for that data year (a unit retired since keeps those
    of the years it was responsible for; see :mod:`planwatch.store.reporters`); None: now."""
    area = session.get(Area, unit.area_code)
    assert area is not None  # a unit's area is a foreign key
    indicators = assigned_indicators(session, unit.area_code, unit.id, year)
    return UnitTemplate(
        area_code=area.code,
        area_name=area.full_name,
        unit_id=unit.id,
        unit_name=unit.name,
        indicators=tuple(indicators),
        targets=target_texts(session, unit.area_code, [i.id for i in indicators]),
        key=template_key(session),
    )


def template_spec(
    session: Session, unit: Unit | UnitTemplate, year: int, *, deadline: str | None = None,
    last: Mapping[tuple[int, str], Mapping[int, float]] | None = None,
) -> TemplateSpec:
    """``last`` is the area's approved :func:`series` of ``year - 1`` when the caller already
    has it (the demo writes every unit's template of a year from one read)."""
    base = unit if isinstance(unit, UnitTemplate) else unit_template(session, unit, year)
    if last is None:
        last = series(session, base.area_code, years=[year - 1])
    rows = [
        TemplateRow(
            indicator=ind,
            breakdown=key,
            last_year=last.get((ind.id, key), {}).get(year - 1),
            target=base.targets.get(ind.id, "") if key == bd.TOTAL else "",
        )
        for ind in base.indicators
        for key in ind.breakdown_keys
    ]
    return TemplateSpec(
        area_code=base.area_code,
        area_name=base.area_name,
        unit_id=base.unit_id,
        unit_name=base.unit_name,
        year=year,
        rows=rows,
        deadline=deadline,
        key=base.key,
    )


def reporting_units(session: Session, area_code: str | None = None, year: int | None = None) -> list[Unit]:
    """Units that report at least one indicator (for data of ``year`` when given), by area then id.

    A unit retired before ``year`` has no assignment that holds then, so it is not among them."""
    held = reporters_in(year)
    q = (
        select(Unit)
        .where(Unit.id.in_(select(held.c.unit_id)))
        .order_by(Unit.area_code, Unit.id)
    )
    if area_code is not None:
        q = q.where(Unit.area_code == area_code)
    return list(session.scalars(q))


def template_filename(spec: TemplateSpec) -> str:
    """One plain file name, whatever the unit is called (see :mod:`planwatch.safe_output`)."""
    return safe_file_name(f"{spec.year}_{spec.area_code}_{spec.unit_name}") + ".xlsx"


def metadata(spec: TemplateSpec) -> dict[str, object]:
    meta: dict[str, object] = {
        "template_version": L.TEMPLATE_VERSION,
        "area_code": spec.area_code,
        "area_name": spec.area_name,
        "unit_id": spec.unit_id,
        "unit_name": spec.unit_name,
        "year": spec.year,
        "rows": [[r.indicator.code, r.breakdown] for r in spec.rows],
    }
    meta["digest"] = L.layout_digest(meta, spec.key)
    return meta


def write_template(
    spec: TemplateSpec,
    path: str | Path,
    figures: Mapping[tuple[str, str], Figure] | None = None,
) -> Path:
    """Write the workbook; the directory must exist. Returns the path written.

    ``figures`` pre-fills input cells, exactly as :func:`planwatch.collect.fill.fill_template`
    would afterwards, in one write (the demo uses it to fill a hundred workbooks quickly).
    """
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = L.INSTRUCTIONS_SHEET
    _write_instructions(instructions, spec)
    data = wb.create_sheet(L.DATA_SHEET)
    _write_data_sheet(data, spec, figures or {})
    write_metadata_sheet(wb, metadata(spec))
    wb.active = 1
    out = Path(path)
    wb.save(out)
    return out


def _write_instructions(ws: Worksheet, spec: TemplateSpec) -> None:
    lines = [
        f"{spec.area_name} {spec.unit_name} {spec.year}年度妇女儿童发展规划监测数据填报表",
        "",
        f"填报单位：{spec.unit_name}",
        f"地区：{spec.area_name}（{spec.area_code}）",
        f"数据年度：{spec.year}年",
        f"报送截止：{spec.deadline}" if spec.deadline else "报送截止：以区统计局通知为准",
        "",
        "填报要求：",
        "1. 只在“数据填报”表的浅黄色单元格中填写：本年数值、分子、分母、备注；其他单元格已锁定。",
        "2. 数值按“计量单位”列填写，不要另加单位符号；例如单位为“%”时 92.5% 填 92.5，"
        "单位为“/10万”时填每10万的数值。",
        "3. 比率类指标请同时填写分子和分母（如孕产妇死亡数和活产数），系统据此核对比率并用于"
        "地区汇总；只填分子分母时本年数值可不填，由系统计算。",
        "4. 分组（女/男、城镇/农村、年龄组）各行之和应与合计一致；比率的合计应介于各分组之间。",
        "5. 合计行必须填报；确实无法提供的，本年数值留空并在“备注”中说明原因。"
        "“计量单位”为空的是方向性指标（规划未给出数值目标），有数据的请填报，无数据可不填。",
        "6. “上年审定值”“规划目标”供参考，与上年相比变化较大时请在备注中说明原因。",
        "7. 请勿增删行列、改动工作表名称或锁定内容，否则系统将拒绝导入（模板结构被改动）。",
        "8. 填好后提交给区统计局（planwatch import），系统会逐项给出问题清单及所在单元格。",
        "9. “规划目标”列列出多个指标代码的，是妇女、儿童等规划共用的同一指标：只填一次，"
        "该数值同时用于各规划目标的监测评估。",
    ]
    write_instructions(ws, lines, spec.label)


_NAME_TOTAL = Alignment(wrap_text=True, indent=0)
_NAME_BREAKDOWN = Alignment(wrap_text=True, indent=2)
_INDEX = column_numbers(L.COLUMNS)
_VALUE_FORMAT = "0.00##"
_COUNT_FORMAT = "0.##"


def _write_data_sheet(
    ws: Worksheet, spec: TemplateSpec, figures: Mapping[tuple[str, str], Figure]
) -> None:
    title = f"{spec.area_name} {spec.unit_name} {spec.year}年度监测数据填报表"
    if spec.label:
        title += f"（{spec.label}）"
    info = (f"填报单位：{spec.unit_name}    地区：{spec.area_name}（{spec.area_code}）    "
            f"年度：{spec.year}    模板版本：{L.TEMPLATE_VERSION}")
    widths = {"A": 6, "B": 12, "C": 40, "D": 10, "E": 10, "F": 10, "G": 12, "H": 22,
              "I": 14, "J": 14, "K": 14, "L": 36}  # fmt: skip
    styles = CellStyles()
    write_heading(ws, title, info, L.COLUMNS, widths, styles)
    ws.freeze_panes = f"C{L.FIRST_DATA_ROW}"

    validations: dict[tuple[str, str, str], DataValidation] = {}
    # Each validation's cells, given to it at the end in one go: ``DataValidation.add``
    # compares every new cell with each one already there (a quarter of the sheet's cost).
    # Every cell is added once, so the set of cells, and the sorted list written, is the same.
    cells: dict[tuple[str, str, str], list[str]] = {}

    def validate(cell: str, low: float | None, high: float | None, what: str) -> None:
        lo = "-1E+300" if low is None else repr(float(low))
        hi = "1E+300" if high is None else repr(float(high))
        key = (lo, hi, what)
        dv = validations.get(key)
        if dv is None:
            dv = DataValidation(
                type="decimal", operator="between", formula1=lo, formula2=hi, allow_blank=True,
                showErrorMessage=True, errorTitle="数值无效",
                error=f"{what}必须是数字" + ("" if low is None and high is None else
                                           f"，范围 {low if low is not None else ''}–"
                                           f"{high if high is not None else ''}"),
            )
            validations[key] = dv
            cells[key] = []
            ws.add_data_validation(dv)
        cells[key].append(cell)

    for i, r in enumerate(spec.rows):
        n = L.FIRST_DATA_ROW + i
        ind = r.indicator
        values: dict[str, object] = {
            "seq": i + 1,
            "indicator": ind.code,
            "name": ind.name,
            "unit": ind.unit_label,
            "dimension": bd.dimension_label(r.breakdown),
            "breakdown": bd.label(r.breakdown),
            "last_year": r.last_year,
            "target": r.target,
        }
        for field_name, value in values.items():
            styles.apply(set_cell(ws.cell(n, _INDEX[field_name]), value), border=BORDER)
        styles.apply(ws.cell(n, _INDEX["name"]),
                     alignment=_NAME_TOTAL if r.breakdown == bd.TOTAL else _NAME_BREAKDOWN)
        low, high = ind.lower_limit, ind.upper_limit
        if ind.is_rate and ind.rate_base:
            low = 0.0 if low is None else max(low, 0.0)
            high = ind.rate_base if high is None else min(high, ind.rate_base)
        elif low is None:
            low = 0.0
        figure = figures.get((ind.code, r.breakdown))
        for field_name in L.INPUT_FIELDS:
            c = ws.cell(n, _INDEX[field_name])
            if figure is not None and getattr(figure, field_name) is not None:
                set_cell(c, getattr(figure, field_name))
            applicable = field_name in ("value", "note") or ind.is_rate
            if not applicable:
                styles.apply(c, border=BORDER, fill=NA_FILL)
                continue
            if field_name == "value":
                styles.apply(c, border=BORDER, protection=UNLOCKED, fill=INPUT_FILL, number_format=_VALUE_FORMAT)
                validate(c.coordinate, low, high, "本年数值")
            elif field_name in ("numerator", "denominator"):
                styles.apply(c, border=BORDER, protection=UNLOCKED, fill=INPUT_FILL, number_format=_COUNT_FORMAT)
                validate(c.coordinate, 0.0, None, "分子、分母")
            else:
                styles.apply(c, border=BORDER, protection=UNLOCKED, fill=INPUT_FILL)
    for key, dv in validations.items():
        dv.sqref = MultiCellRange(" ".join(cells[key]))
    protect_data_sheet(ws)
