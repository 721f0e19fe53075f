"""Approved data is locked, also against an import or a transition that races the approval.

Issue 11: on PostgreSQL an import that began while an approval was in progress waited, then
stored a draft on top of the approved revision. Each test looks at the database afterwards
from a *fresh* connection (its own engine), so nothing the test's sessions hold back or roll
back can hide a write.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from collect_support import GOOD_HEALTH, HEALTH, Catalogue, filled, fresh_engine, stored_state
from sqlalchemy import select, text

from planwatch.collect.fill import Figure
from planwatch.collect.importer import ImportResult, LockedError, check_file, import_files, store
from planwatch.collect.workflow import WorkflowError, approve, return_submission, review, submit
from planwatch.store.models import Submission

APPROVED_W01_04 = GOOD_HEALTH[("W01-04", "total")].value
"""妇女人均预期寿命 as approved."""


def reviewed_revision(cat: Catalogue, tmp_path: Path) -> int:
    result = import_files(cat.factory, [filled(cat, tmp_path, name="first.xlsx")], "卫健局")
    assert result.accepted, result.files[0].report.to_dict()
    sub_id = result.files[0].submission_id
    assert sub_id is not None
    with cat.factory() as s, s.begin():
        submit(s, sub_id, "卫健局")
        review(s, sub_id, "统计局")
    return sub_id


def correction(cat: Catalogue, tmp_path: Path) -> Path:
    figs = dict(GOOD_HEALTH)
    figs[("W01-04", "total")] = Figure(99.0)
    return filled(cat, tmp_path, figs, name="correction.xlsx")


def test_import_checked_before_the_approval_commits_is_refused_by_store(
    cat_any: Catalogue, tmp_path: Path
) -> None:
    """The file passed its checks while the data was only reviewed; the approval commits; the
    store step must still refuse. This is store()'s own LockedError, not validation's."""
    cat = cat_any
    sub_id = reviewed_revision(cat, tmp_path)
    path = correction(cat, tmp_path)
    with cat.factory() as s:
        checked = check_file(s, path)
    assert checked.report.valid and checked.context is not None
    assert checked.context.locked_revision is None  # nothing was approved when it was checked
    with cat.factory() as s, s.begin():
        approve(s, sub_id, "妇儿工委办公室")
    with pytest.raises(LockedError) as info, cat.factory() as s, s.begin():
        store(s, checked, "卫健局")
    assert info.value.revision == 1
    assert stored_state(cat) == ([(1, "approved")], {"1": APPROVED_W01_04}, 1)


_SQLITE_WAITING = 0.2
"""Seconds one statement of the worker must have lasted to be taken as waiting for the lock:
on these few rows any statement that is not waiting takes well under a millisecond."""


def _statement_running(worker: threading.Thread) -> object | None:
    """The worker's database call in progress (its frame), if it is inside one."""
    frame = sys._current_frames().get(worker.ident or -1)
    while frame is not None:
        if frame.f_code.co_name in ("do_execute", "do_execute_no_params"):
            return frame
        frame = frame.f_back
    return None


def _wait_until_blocked(cat: Catalogue, worker: threading.Thread) -> None:
    """Until the import waits for a lock: PostgreSQL says so; on SQLite, whose busy timeout
    waits inside the driver's call, one statement of the worker has been running for
    ``_SQLITE_WAITING`` seconds (watched from here rather than waited for blindly)."""
    engine = fresh_engine(cat)
    try:
        deadline = time.monotonic() + 20
        running: object | None = None
        since = 0.0
        while time.monotonic() < deadline:
            assert worker.is_alive(), "the import finished while the approval held its locks"
            if engine.dialect.name != "postgresql":
                now = time.monotonic()
                call = _statement_running(worker)
                if call is None or call is not running:
                    running, since = call, now
                elif now - since >= _SQLITE_WAITING:
                    return
                time.sleep(0.01)
                continue
            with engine.connect() as conn:
                waiting = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")).scalar()
            if waiting:
                return
            time.sleep(0.05)
        raise AssertionError("the import never waited for the approval")
    finally:
        engine.dispose()


@pytest.fixture
def approval_in_progress(cat_any: Catalogue, tmp_path: Path) -> Iterator[tuple[Catalogue, object]]:
    """An approval flushed in one connection and not yet committed."""
    sub_id = reviewed_revision(cat_any, tmp_path)
    session = cat_any.factory()
    session.begin()
    approve(session, sub_id, "妇儿工委办公室")
    try:
        yield cat_any, session
    finally:
        session.close()


def test_import_racing_an_approval_is_refused_once_it_commits(
    approval_in_progress: tuple[Catalogue, object], tmp_path: Path
) -> None:
    """Two connections: the approval holds its transaction open, an import starts and must wait;
    once the approval commits the import is refused and nothing of it is stored."""
    cat, approving = approval_in_progress
    path = correction(cat, tmp_path)
    results: list[ImportResult | BaseException] = []

    def work() -> None:
        try:
            results.append(import_files(cat.factory, [path], "卫健局"))
        except BaseException as exc:  # surfaced below
            results.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    _wait_until_blocked(cat, worker)
    approving.commit()  # type: ignore[attr-defined]
    worker.join(timeout=60)
    assert not worker.is_alive()
    (result,) = results
    assert isinstance(result, ImportResult), result
    assert not result.accepted
    codes = [p.code for p in result.files[0].report.errors]
    assert codes == ["submission-locked"], result.files[0].report.to_dict()
    assert stored_state(cat) == ([(1, "approved")], {"1": APPROVED_W01_04}, 1)


def test_return_racing_an_approval_is_refused_once_it_commits(
    approval_in_progress: tuple[Catalogue, object]
) -> None:
    """An edit of the workflow (退回) that starts during the approval sees it once committed."""
    cat, approving = approval_in_progress
    with cat.factory() as s:
        sub_id = s.scalar(select(Submission.id).where(Submission.unit_id == cat.units[HEALTH]))
    assert sub_id is not None
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with cat.factory() as s, s.begin():
                return_submission(s, sub_id, "统计局", "请核实")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    _wait_until_blocked(cat, worker)
    approving.commit()  # type: ignore[attr-defined]
    worker.join(timeout=60)
    assert len(errors) == 1 and isinstance(errors[0], WorkflowError), errors
    assert "已审定" in str(errors[0])
    assert stored_state(cat)[0] == [(1, "approved")]
