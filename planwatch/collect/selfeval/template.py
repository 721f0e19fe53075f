"""The workbook a lead unit fills: its qualitative targets, a rating list and evidence.

Only the rating and evidence cells are unlocked; the rating cell offers the three ratings
as an Excel list and refuses anything else, and every sheet is protected. Ratings already
stored for the cycle are filled in, so a unit corrects its entry rather than retyping it.
A very hidden sheet records unit, area, cycle and the target of every row with a checksum
(see :mod:`.layout`), which is how the reader tells a filled template from an edited one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.metadata_sheet import write_metadata_sheet
from planwatch.collect.selfeval import layout as L
from planwatch.collect.selfeval.cycles import cycle_label
from planwatch.collect.selfeval.targets import QualitativeTarget, qualitative_targets
from planwatch.collect.template_key import template_key
from planwatch.collect.workbook_frame import (
    BORDER,
    INPUT_FILL,
    UNLOCKED,
    CellStyles,
    column_numbers,
    protect_data_sheet,
    write_heading,
    write_instructions,
)
from planwatch.safe_output import safe_file_name, set_cell
from planwatch.store.models import Area, SelfEvaluation, Unit
from planwatch.vocabulary import RATINGS

_INDEX = column_numbers(L.COLUMNS)


@dataclass(frozen=True)
class EvaluationRow:
    target: QualitativeTarget
    rating: str | None = None
    evidence: str | None = None


@dataclass
class EvaluationSpec:
    """Everything one workbook shows, gathered from the catalogue and stored ratings."""

    area_code: str
    area_name: str
    unit_id: int
    unit_name: str
    cycle: str
    rows: list[EvaluationRow] = field(default_factory=list)
    label: str | None = None
    """a banner such as 示例数据，非真实统计 for synthetic workbooks."""
    key: bytes | None = field(default=None, repr=False)
    """the workspace's template key, which signs the hidden metadata."""


def evaluation_spec(session: Session, unit: Unit, cycle: str, key: bytes | None = None) -> EvaluationSpec:
    """``key``: the template key, when the caller has read it for several units already."""
    area = session.get(Area, unit.area_code)
    assert area is not None  # a unit's area is a foreign key
    targets = qualitative_targets(session, unit, cycle)
    stored = {
        se.target_id: se
        for se in session.scalars(
            select(SelfEvaluation).where(
                SelfEvaluation.unit_id == unit.id, SelfEvaluation.cycle == cycle
            )
        )
    }
    rows = [
        EvaluationRow(t, stored[t.id].rating, stored[t.id].evidence) if t.id in stored
        else EvaluationRow(t)
        for t in targets
    ]
    return EvaluationSpec(area.code, area.full_name, unit.id, unit.name, cycle, rows,
                          key=key if key is not None else template_key(session))


def evaluation_filename(spec: EvaluationSpec) -> str:
    """One plain file name, whatever the unit is called (see :mod:`planwatch.safe_output`)."""
    return safe_file_name(f"自评_{spec.cycle}_{spec.area_code}_{spec.unit_name}") + ".xlsx"


def metadata(spec: EvaluationSpec) -> dict[str, object]:
    meta: dict[str, object] = {
        "kind": L.TEMPLATE_KIND,
        "template_version": L.TEMPLATE_VERSION,
        "area_code": spec.area_code,
        "area_name": spec.area_name,
        "unit_id": spec.unit_id,
        "unit_name": spec.unit_name,
        "cycle": spec.cycle,
        "rows": [[r.target.id, r.target.domain, r.target.number] for r in spec.rows],
    }
    meta["digest"] = L.digest(meta, spec.key)
    return meta


def write_evaluation_template(spec: EvaluationSpec, path: str | Path) -> Path:
    """Write the workbook (the directory must exist); returns the path written."""
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = L.INSTRUCTIONS_SHEET
    _write_instructions(instructions, spec)
    _write_data_sheet(wb.create_sheet(L.DATA_SHEET), spec)
    write_metadata_sheet(wb, metadata(spec))
    wb.active = 1
    out = Path(path)
    wb.save(out)
    return out


def _title(spec: EvaluationSpec) -> str:
    return f"{spec.area_name} {spec.unit_name} 定性目标{cycle_label(spec.cycle)}自评表"


def _write_instructions(ws: Worksheet, spec: EvaluationSpec) -> None:
    lines = [
        _title(spec),
        "",
        f"牵头单位：{spec.unit_name}",
        f"地区：{spec.area_name}（{spec.area_code}）",
        f"评估周期：{cycle_label(spec.cycle)}（{spec.cycle}）",
        f"本单位牵头的定性目标：{len(spec.rows)} 项",
        "",
        "填报要求：",
        f"1. 只在“{L.DATA_SHEET}”表的浅黄色单元格中填写：自评结果、完成情况及依据；其他单元格已锁定。",
        "2. 自评结果从下拉列表中选择：完成 / 基本完成 / 未完成。",
        "3. 每项自评都必须填写完成情况及依据：开展的主要工作、取得的成效、相关数据或文件名称；"
        "基本完成、未完成的，请同时说明差距和原因。",
        "4. 暂不能评价的目标，自评结果和依据都留空，系统会提示“未填写自评”，不录入也不改动原有自评。",
        "5. 已录入过的自评已预先填入；重新导入会以新内容替换，原内容保留在操作记录中。",
        "6. 请勿增删行、调整顺序、改动工作表名称或锁定内容，否则系统将拒绝导入（模板结构被改动）。",
        "7. 填好后提交给区妇儿工委办公室（planwatch evaluation import），系统会逐项列出问题及所在单元格。",
    ]
    write_instructions(ws, lines, spec.label)


_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _write_data_sheet(ws: Worksheet, spec: EvaluationSpec) -> None:
    title = _title(spec) + (f"（{spec.label}）" if spec.label else "")
    info = (f"牵头单位：{spec.unit_name}    地区：{spec.area_name}（{spec.area_code}）    "
            f"评估周期：{spec.cycle}    模板版本：{L.TEMPLATE_VERSION}")
    widths = {"A": 6, "B": 26, "C": 16, "D": 8, "E": 50, "F": 12, "G": 60}
    styles = CellStyles()
    write_heading(ws, title, info, L.COLUMNS, widths, styles)
    ws.freeze_panes = f"F{L.FIRST_DATA_ROW}"

    ratings = DataValidation(
        type="list", formula1='"' + ",".join(RATINGS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="自评结果无效",
        error="请从列表中选择：" + " / ".join(RATINGS),
        showInputMessage=True, promptTitle="自评结果", prompt=" / ".join(RATINGS),
    )
    ws.add_data_validation(ratings)
    rated: list[str] = []
    for i, r in enumerate(spec.rows):
        n = L.FIRST_DATA_ROW + i
        t = r.target
        values: dict[str, object] = {
            "seq": i + 1, "plan": t.plan, "domain": t.domain, "number": t.number, "text": t.text,
            "rating": r.rating, "evidence": r.evidence,
        }
        for name, value in values.items():
            styles.apply(set_cell(ws.cell(n, _INDEX[name]), value), border=BORDER, alignment=_WRAP_TOP)
        for name in L.INPUT_FIELDS:
            styles.apply(ws.cell(n, _INDEX[name]), protection=UNLOCKED, fill=INPUT_FILL)
        rated.append(f"{L.col('rating')}{n}")
    # One assignment rather than an add per row, which compares each cell with all earlier
    # ones; every cell is given once, so the validation's (sorted) cells are the same.
    ratings.sqref = MultiCellRange(" ".join(rated))
    protect_data_sheet(ws, allow_row_heights=True)
