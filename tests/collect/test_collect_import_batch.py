"""One ``import_files`` call over many files: the shared catalogue must not freeze the data.

The import reads the catalogue once per call, but each file is still checked against
what the files before it stored, and each is still its own revision and transaction.
"""

from __future__ import annotations

from pathlib import Path

from collect_support import EDUCATION, HEALTH, Catalogue, filled
from sqlalchemy import select

from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_files
from planwatch.store.models import AuditEvent, Submission


def test_later_file_sees_earlier_file_of_the_same_call(cat: Catalogue, tmp_path: Path) -> None:
    health = filled(cat, tmp_path, name="health.xlsx")
    figs = {("W01-03", "total"): Figure(100), ("C02-01", "total"): Figure(93.0, 930, 1000)}
    edu = filled(cat, tmp_path, figs, unit=EDUCATION, name="edu.xlsx")
    result = import_files(cat.factory, [health, edu], "t")
    assert [f.accepted for f in result.files] == [True, True]
    assert [p.code for p in result.files[0].report.problems] == []
    conflict = [p for p in result.files[1].report.problems if p.code == "conflicting-report"]
    assert len(conflict) == 1 and HEALTH in conflict[0].message


def test_same_unit_twice_in_one_call_gives_two_revisions(cat: Catalogue, tmp_path: Path) -> None:
    first = filled(cat, tmp_path, name="v1.xlsx")
    second = filled(cat, tmp_path, name="v2.xlsx")
    result = import_files(cat.factory, [first, second], "t")
    assert [(f.revision, f.observations) for f in result.files] == [(1, 9), (2, 9)]
    with cat.factory() as s:
        subs = list(s.scalars(select(Submission).order_by(Submission.revision)))
        assert [(x.revision, x.source_file) for x in subs] == [(1, "v1.xlsx"), (2, "v2.xlsx")]
        assert subs[1].supersedes_id == subs[0].id
        assert all(x.created_at.tzinfo is not None for x in subs)
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "submission.import")
                                .order_by(AuditEvent.id)))
        assert [e.entity_id for e in events] == [str(x.id) for x in subs]
        assert [e.detail["revision"] for e in events] == [1, 2]
        assert events[1].detail["supersedes_id"] == subs[0].id


def test_session_target_stores_nothing_until_the_caller_commits(
    cat: Catalogue, tmp_path: Path
) -> None:
    paths = [filled(cat, tmp_path, name="a.xlsx"), filled(cat, tmp_path, name="b.xlsx")]
    with cat.factory() as s:
        result = import_files(s, paths, "t")
        assert [f.revision for f in result.files] == [1, 2]
        s.rollback()
    with cat.factory() as s:
        assert s.scalars(select(Submission)).all() == []
