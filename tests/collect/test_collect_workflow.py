"""Workflow, documents, status and the template's protections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from collect_support import EDUCATION, HEALTH, STATS, Catalogue, filled, make_template
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from planwatch.collect import layout as L
from planwatch.collect.documents import DocumentError, attach_document, search_documents
from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_files
from planwatch.collect.status import CHINA_TZ, collection_status, timeliness
from planwatch.collect.workflow import (
    WorkflowError,
    approve,
    return_submission,
    review,
    submit,
)
from planwatch.store.models import AuditEvent, Submission


def imported(cat: Catalogue, tmp_path: Path, name: str = "f.xlsx") -> int:
    result = import_files(cat.factory, [filled(cat, tmp_path, name=name)], "卫健局")
    sub_id = result.files[0].submission_id
    assert sub_id is not None
    return sub_id


def test_full_workflow_is_audited(cat_any: Catalogue, tmp_path: Path) -> None:
    cat = cat_any
    sub_id = imported(cat, tmp_path)
    with cat.factory() as s, s.begin():
        submit(s, sub_id, "卫健局")
        return_submission(s, sub_id, "统计局", "孕产妇死亡率请核实")
        submit(s, sub_id, "卫健局")
        review(s, sub_id, "统计局")
        approve(s, sub_id, "妇儿工委办公室")
    with cat.factory() as s:
        sub = s.get(Submission, sub_id)
        assert sub is not None
        assert (sub.state, sub.reviewed_by, sub.approved_by) == ("approved", "统计局",
                                                                 "妇儿工委办公室")
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.entity == "submission")
                                .order_by(AuditEvent.id)))
    assert [(e.actor, e.action) for e in events] == [
        ("卫健局", "submission.import"), ("卫健局", "submission.submit"),
        ("统计局", "submission.return"), ("卫健局", "submission.submit"),
        ("统计局", "submission.review"), ("妇儿工委办公室", "submission.approve"),
    ]
    assert events[2].detail["comment"] == "孕产妇死亡率请核实"


def test_workflow_refusals(cat: Catalogue, tmp_path: Path) -> None:
    sub_id = imported(cat, tmp_path)
    with cat.factory() as s, s.begin():
        with pytest.raises(WorkflowError, match="只有"):
            approve(s, sub_id, "x")  # draft cannot be approved
        submit(s, sub_id, "卫健局")
        with pytest.raises(WorkflowError, match="意见"):
            return_submission(s, sub_id, "统计局", "  ")
        review(s, sub_id, "统计局")
        approve(s, sub_id, "办公室")
        with pytest.raises(WorkflowError, match="锁定"):
            return_submission(s, sub_id, "统计局", "再看看")


def test_only_the_latest_revision_moves(cat: Catalogue, tmp_path: Path) -> None:
    first = imported(cat, tmp_path, "a.xlsx")
    imported(cat, tmp_path, "b.xlsx")
    with cat.factory() as s, s.begin(), pytest.raises(WorkflowError, match="取代"):
        submit(s, first, "卫健局")


def test_documents_are_stored_searchable_and_linked(cat: Catalogue, tmp_path: Path) -> None:
    sub_id = imported(cat, tmp_path)
    docx_path = tmp_path / "报告.docx"
    d = Document()
    d.add_paragraph("2023年规划落实情况：孕产妇死亡率持续下降。")
    d.add_paragraph("2024年工作安排：加强妇幼健康服务。")
    d.save(str(docx_path))
    pdf_path = tmp_path / "edu.pdf"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(pdf_path))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 720, "学前教育毛入园率保持稳定")
    c.save()
    with cat.factory() as s, s.begin():
        doc = attach_document(s, cat.unit(HEALTH), 2023, docx_path, "卫健局")
        assert doc.submission_id == sub_id
        pdf = attach_document(s, cat.unit(EDUCATION), 2023, pdf_path, "教体局")
        assert pdf.submission_id is None  # no submission yet: kept, listed by unit and year
    with cat.factory() as s:
        hits = search_documents(s, "孕产妇死亡率")
        assert [(h.unit, h.filename) for h in hits] == [(HEALTH, "报告.docx")]
        assert "持续下降" in hits[0].snippet
        assert [h.unit for h in search_documents(s, "毛入园率")] == [EDUCATION]
        assert search_documents(s, "100%") == []  # LIKE wildcards are escaped
    bad = tmp_path / "x.odt"
    bad.write_bytes(b"x")
    with cat.factory() as s, pytest.raises(DocumentError, match="不支持"):
        attach_document(s, cat.unit(HEALTH), 2023, bad, "x")


def test_timeliness_is_a_pure_function() -> None:
    deadline = dt.date(2024, 3, 31)
    on_day = dt.datetime(2024, 3, 31, 23, 0, tzinfo=CHINA_TZ)
    assert timeliness(on_day, deadline, dt.date(2024, 5, 1), CHINA_TZ) == ("on-time", 0)
    later = dt.datetime(2024, 4, 3, 1, 0, tzinfo=CHINA_TZ)
    assert timeliness(later, deadline, dt.date(2024, 5, 1), CHINA_TZ) == ("late", 3)
    assert timeliness(None, deadline, dt.date(2024, 4, 10), CHINA_TZ) == ("overdue", 10)
    assert timeliness(None, deadline, dt.date(2024, 3, 1), CHINA_TZ) == ("pending", 0)


def test_status_completeness_and_timeliness(cat: Catalogue, tmp_path: Path) -> None:
    figs = {("W01-03", "total"): Figure(note="暂无"), ("C02-01", "total"): Figure(95.0, 950, 1000)}
    edu = import_files(cat.factory, [filled(cat, tmp_path, figs, unit=EDUCATION, name="e.xlsx")],
                       "t").files[0].submission_id
    assert edu is not None
    with cat.factory() as s, s.begin():
        submit(s, edu, "教体局", at=dt.datetime(2024, 4, 2, 10, tzinfo=CHINA_TZ))
    with cat.factory() as s:
        rows = collection_status(s, 2023, dt.date(2024, 3, 31), dt.date(2024, 4, 20))
    by_unit = {r.unit: r for r in rows}
    assert STATS not in by_unit  # reports nothing, so is not expected to
    assert by_unit[EDUCATION].missing == ["W01-03"]
    assert (by_unit[EDUCATION].timeliness, by_unit[EDUCATION].days_late) == ("late", 2)
    assert by_unit[HEALTH].timeliness == "overdue" and by_unit[HEALTH].completeness == 0


def test_template_is_protected_typed_and_carries_reference_values(
    cat: Catalogue, tmp_path: Path
) -> None:
    path = make_template(cat, HEALTH, 2023, tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames == [L.INSTRUCTIONS_SHEET, L.DATA_SHEET, L.META_SHEET]
    assert wb[L.META_SHEET].sheet_state == "veryHidden"
    ws = wb[L.DATA_SHEET]
    assert ws.protection.sheet
    codes = {ws[f"B{n}"].value for n in range(L.FIRST_DATA_ROW, ws.max_row + 1)}
    assert codes == {"W01-01", "W01-02", "W01-04", "C01-01", "C02-01"}  # not W01-03
    assert ws["I8"].protection.locked is False and ws["C8"].protection.locked is True
    assert ws["J12"].protection.locked is True  # life expectancy has no numerator
    assert ws["H8"].value == "≤8/10万（2025年）"
    ranges = {(dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert ("0.0", "100000.0") in ranges and ("40.0", "110.0") in ranges
    assert all(dv.type == "decimal" for dv in ws.data_validations.dataValidation)


def test_template_shows_last_years_approved_value(cat: Catalogue, tmp_path: Path) -> None:
    sub_id = import_files(cat.factory, [filled(cat, tmp_path, year=2022, name="y.xlsx")],
                          "t").files[0].submission_id
    assert sub_id is not None
    blank = make_template(cat, HEALTH, 2023, tmp_path)
    assert load_workbook(blank)[L.DATA_SHEET]["G12"].value is None  # not approved yet
    with cat.factory() as s, s.begin():
        submit(s, sub_id, "a")
        review(s, sub_id, "b")
        approve(s, sub_id, "c")
    path = make_template(cat, HEALTH, 2023, tmp_path)
    assert load_workbook(path)[L.DATA_SHEET]["G12"].value == 80.5
