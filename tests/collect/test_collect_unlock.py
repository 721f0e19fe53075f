"""Unlocking approved data: the office's own logged action, with a reason, on every layer.

An unlock moves the approved revision to ``returned`` (the reason as its comment), so the
unit corrects and re-submits it by the rules that hold for any returned revision; until then
the figures are locked against imports, transitions and the unit's written report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from collect_support import HEALTH, Catalogue, filled
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch import api
from planwatch.cli.main import app
from planwatch.collect.documents import DocumentLocked, attach_document
from planwatch.collect.importer import import_files
from planwatch.collect.workflow import (
    WorkflowError,
    approve,
    return_submission,
    review,
    submit,
    unlock,
    unlocked,
)
from planwatch.demo import DemoSummary
from planwatch.store.models import AuditEvent, Submission, SubmissionDocument


def approved_revision(cat: Catalogue, tmp_path: Path) -> int:
    result = import_files(cat.factory, [filled(cat, tmp_path, name="first.xlsx")], "卫健局")
    sub_id = result.files[0].submission_id
    assert sub_id is not None
    with cat.factory() as s, s.begin():
        submit(s, sub_id, "卫健局")
        review(s, sub_id, "统计局")
        approve(s, sub_id, "妇儿工委办公室")
    return sub_id


def test_unlock_needs_a_reason_and_is_audited_with_before_and_after(cat_any: Catalogue, tmp_path: Path) -> None:
    cat = cat_any
    sub_id = approved_revision(cat, tmp_path)
    with cat.factory() as s, s.begin(), pytest.raises(WorkflowError, match="必须填写原因"):
        unlock(s, sub_id, "妇儿工委办公室", "   ")
    with cat.factory() as s, s.begin():
        assert unlocked(s, sub_id) is None
        unlock(s, sub_id, "工委办管理员", "  卫健局申请更正孕产妇死亡率  ")
    with cat.factory() as s:
        sub = s.get(Submission, sub_id)
        assert sub is not None
        assert (sub.state, sub.comment, sub.approved_by, sub.approved_at) == (
            "returned", "卫健局申请更正孕产妇死亡率", None, None)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "submission.unlock")).one()
        assert event.actor == "工委办管理员" and event.entity_id == str(sub_id)
        assert event.detail["from"] == "approved" and event.detail["to"] == "returned"
        assert event.detail["approved_by"] == "妇儿工委办公室" and event.detail["approved_at"]
        found = unlocked(s, sub_id)
        assert found is not None and found.reason == "卫健局申请更正孕产妇死亡率"
        assert found.actor == "工委办管理员"


def test_only_approved_data_is_unlocked(cat: Catalogue, tmp_path: Path) -> None:
    result = import_files(cat.factory, [filled(cat, tmp_path)], "卫健局")
    sub_id = result.files[0].submission_id
    assert sub_id is not None
    with cat.factory() as s, s.begin():
        with pytest.raises(WorkflowError, match="只有“已审定”的填报才能解锁"):
            unlock(s, sub_id, "办公室", "无")
        submit(s, sub_id, "卫健局")
        with pytest.raises(WorkflowError, match="只有“已审定”"):
            unlock(s, sub_id, "办公室", "无")


def test_after_an_unlock_the_unit_corrects_and_the_office_approves_again(cat: Catalogue, tmp_path: Path) -> None:
    sub_id = approved_revision(cat, tmp_path)
    refused = import_files(cat.factory, [filled(cat, tmp_path, name="again.xlsx")], "卫健局")
    assert not refused.accepted  # locked
    with cat.factory() as s, s.begin():
        unlock(s, sub_id, "办公室", "请更正")
    # The returned revision can be submitted again as it is, or replaced by an import.
    again = import_files(cat.factory, [filled(cat, tmp_path, name="again2.xlsx")], "卫健局")
    assert again.accepted
    new_id = again.files[0].submission_id
    assert new_id is not None
    with cat.factory() as s, s.begin():
        assert unlocked(s, new_id) is None  # the new revision has its own history
        submit(s, new_id, "卫健局")
        review(s, new_id, "统计局")
        approve(s, new_id, "办公室")
        with pytest.raises(WorkflowError, match="锁定"):
            return_submission(s, new_id, "统计局", "再看看")


def test_the_written_report_is_locked_with_the_figures(cat_any: Catalogue, tmp_path: Path) -> None:
    cat = cat_any
    sub_id = approved_revision(cat, tmp_path)
    report = tmp_path / "report.txt"
    report.write_text("2023年规划落实情况：孕产妇死亡率持续下降。", encoding="utf-8")
    with cat.factory() as s, s.begin(), pytest.raises(DocumentLocked, match=r"已审定.*已锁定.*联系工委办解锁"):
        attach_document(s, cat.unit(HEALTH), 2023, report, "卫健局")
    with cat.factory() as s:
        assert s.scalars(select(SubmissionDocument)).first() is None
    with cat.factory() as s, s.begin():
        unlock(s, sub_id, "办公室", "补交报告")
        doc = attach_document(s, cat.unit(HEALTH), 2023, report, "卫健局")
        assert doc.submission_id == sub_id


@pytest.fixture
def demo_copy(demo: DemoSummary, tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    shutil.copytree(demo.path, path)
    return path


def _an_approved(path: Path) -> int:
    listed = api.list_submissions(path, year=2024)
    return next(x.id for x in listed if x.state == "approved")


def test_api_and_cli_unlock(demo_copy: Path) -> None:
    first = _an_approved(demo_copy)
    with pytest.raises(WorkflowError, match="必须填写原因"):
        api.move_submission(demo_copy, first, "unlock", actor="区妇儿工委办公室")
    moved = api.move_submission(demo_copy, first, "unlock", actor="区妇儿工委办公室", comment="数据更正")
    assert (moved.state, moved.state_label) == ("returned", "已退回")
    assert "unlock" in api.WORKFLOW_ACTIONS

    second = _an_approved(demo_copy)
    runner = CliRunner()
    r = runner.invoke(app, ["submission", "unlock", str(demo_copy), str(second)])
    assert r.exit_code != 0  # --reason is required
    r = runner.invoke(app, ["submission", "unlock", str(demo_copy), str(second), "--reason", "口径调整"])
    assert r.exit_code == 0, r.output
    assert "已退回" in r.output
    r = runner.invoke(app, ["submission", "unlock", str(demo_copy), str(second), "--reason", "再次"])
    assert r.exit_code == 1 and "只有“已审定”" in r.output
    r = runner.invoke(app, ["submission", "show", str(demo_copy), str(second)])
    assert r.exit_code == 0 and "submission.unlock" in r.output
