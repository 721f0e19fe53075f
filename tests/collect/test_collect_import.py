"""Storing: all or nothing, new revisions that keep the old, and no revision lost to a race."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from collect_support import AREA, EDUCATION, GOOD_HEALTH, HEALTH, Catalogue, filled, fresh_engine
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from planwatch.collect.fill import Figure
from planwatch.collect.importer import import_file, import_files
from planwatch.collect.submissions import list_submissions, resolve_submission, submission_detail
from planwatch.store.db import make_sessionmaker
from planwatch.store.models import AuditEvent, Base, Indicator, Observation, Submission


def snapshot(session: Session) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table, in primary-key order."""
    out = {}
    for table in Base.metadata.sorted_tables:
        order = ", ".join(c.name for c in table.primary_key.columns)
        rows = session.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}")).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        out[table.name] = (len(rows), digest)
    return out


def broken(cat: Catalogue, tmp_path: Path, name: str = "broken.xlsx") -> Path:
    figs = dict(GOOD_HEALTH)
    figs[("W01-01", "total")] = Figure(20.0, 1, 11111)  # rate-inconsistent
    figs[("W01-04", "total")] = Figure("n/a")  # non-numeric
    return filled(cat, tmp_path, figs, name=name)


def test_broken_workbook_leaves_the_database_unchanged(
    cat_any: Catalogue, tmp_path: Path
) -> None:
    cat = cat_any
    assert import_files(cat.factory, [filled(cat, tmp_path, name="good.xlsx")], "t").accepted
    with cat.factory() as s:
        before = snapshot(s)
    assert before["observation"][0] == 9
    bad = broken(cat, tmp_path)
    result = import_files(cat.factory, [bad], "t")
    assert not result.accepted
    codes = {p.code for p in result.files[0].report.errors}
    assert {"rate-inconsistent", "non-numeric"} <= codes
    with cat.factory() as s:
        assert snapshot(s) == before


def test_a_refused_file_holds_back_the_whole_batch(cat: Catalogue, tmp_path: Path) -> None:
    good = filled(cat, tmp_path, name="good.xlsx")
    bad = broken(cat, tmp_path)
    result = import_files(cat.factory, [good, bad], "t")
    assert [(f.accepted, f.held) for f in result.files] == [(False, True), (False, False)]
    assert result.to_dict()["held"] == 1 and result.to_dict()["rejected"] == 1
    assert not result.accepted
    with cat.factory() as s:
        assert list(s.scalars(select(Submission))) == []


def test_partial_stores_the_valid_files(cat: Catalogue, tmp_path: Path) -> None:
    good = filled(cat, tmp_path, name="good.xlsx")
    bad = broken(cat, tmp_path)
    result = import_files(cat.factory, [bad, good], "t", partial=True)
    assert [f.accepted for f in result.files] == [False, True]
    assert not result.accepted
    with cat.factory() as s:
        assert len(list(s.scalars(select(Submission)))) == 1


def test_reimport_creates_a_new_revision_and_keeps_the_old(
    cat_any: Catalogue, tmp_path: Path
) -> None:
    cat = cat_any
    first = import_files(cat.factory, [filled(cat, tmp_path, name="v1.xlsx")], "张三")
    figs = dict(GOOD_HEALTH)
    figs[("W01-04", "total")] = Figure(81.0)
    second = import_files(cat.factory, [filled(cat, tmp_path, figs, name="v2.xlsx")], "李四")
    r1, r2 = first.files[0], second.files[0]
    assert (r1.revision, r2.revision) == (1, 2)
    with cat.factory() as s:
        old = submission_detail(s, resolve_submission(s, submission_id=r1.submission_id))
        new = submission_detail(s, resolve_submission(s, unit=HEALTH, year=2023))
    value = {o["indicator"]: o["value"] for o in old.observations if o["breakdown"] == "total"}
    assert value["W01-04"] == 80.5
    assert not old.info.latest
    assert new.info.revision == 2 and new.info.supersedes_id == r1.submission_id
    assert {o["indicator"]: o["value"] for o in new.observations}["W01-04"] == 81.0
    assert [(e["actor"], e["action"]) for e in new.events] == [
        ("张三", "submission.import"), ("李四", "submission.import")
    ]
    with cat.factory() as s:
        assert [i.revision for i in list_submissions(s, year=2023)] == [2]
        assert [i.revision for i in list_submissions(s, year=2023, all_revisions=True)] == [1, 2]


def test_csv_import_and_its_places(cat: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "health.csv"
    path.write_text(
        "地区代码,填报单位,年度,指标代码,分组,本年数值,分子,分母,备注\n"
        f"{AREA},区卫健局,2023,W01-01,合计,9,1,11111,\n"
        f"{AREA},区卫健局,2023,W01-02,合计,80,800,1000,\n"
        f"{AREA},区卫健局,2023,W01-04,合计,80.5,,,\n"
        f"{AREA},区卫健局,2023,C01-01,合计,3.5,35,10000,\n"
        f"{AREA},区卫健局,2023,C01-01,女,3,15,5000,\n"
        f"{AREA},区卫健局,2023,C02-01,合计,95%,950,1000,\n",
        encoding="utf-8",
    )
    result = import_files(cat.factory, [path], "t")
    assert result.accepted, result.files[0].report.to_dict()
    assert result.files[0].observations == 6
    assert result.files[0].unit_name == HEALTH  # found through its alias


def test_csv_row_problems(cat: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "area_code,unit,year,indicator,breakdown,value,numerator,denominator\n"
        f"{AREA},{EDUCATION},2023,W01-03,total,10,,\n"
        f"{AREA},{EDUCATION},2023,W01-03,total,11,,\n"
        f"{AREA},{EDUCATION},2023,X99-01,total,1,,\n"
        f"{AREA},{EDUCATION},2023,W01-01,total,9,1,11111\n"
        f"{AREA},{EDUCATION},2023,C02-01,sex=female,90,,\n"
        f"{AREA},{HEALTH},2023,C02-01,total,90,90,100\n",
        encoding="utf-8",
    )
    problems = import_files(cat.factory, [path], "t").files[0].report.problems
    got = {(p.code, p.row, p.column) for p in problems}
    assert ("duplicate-row", 3, "indicator") in got
    assert ("unknown-indicator", 4, "indicator") in got
    assert ("indicator-not-assigned", 5, "indicator") in got
    assert ("unknown-breakdown", 6, "breakdown") in got
    assert ("metadata-mismatch", 7, "unit") in got
    assert all(p.file == "bad.csv" and p.sheet is None for p in problems)


def test_csv_missing_column(cat: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("unit,year,indicator,value\n区卫生健康局,2023,W01-01,9\n", encoding="utf-8")
    p = import_files(cat.factory, [path], "t").files[0].report.problems[0]
    assert (p.code, p.row) == ("missing-column", 1)
    assert "area_code" in p.message


def test_import_into_a_callers_session_uses_a_savepoint(cat: Catalogue, tmp_path: Path) -> None:
    good = filled(cat, tmp_path)
    with cat.factory() as s:
        result = import_file(s, good, "t")
        assert result.accepted
        s.rollback()  # the caller decides: nothing was committed behind its back
    with cat.factory() as s:
        assert s.scalars(select(Submission)).first() is None


def test_concurrent_imports_of_the_same_unit_and_year_keep_every_revision(
    cat_any: Catalogue, tmp_path: Path
) -> None:
    cat = cat_any
    n = 4
    paths = []
    for i in range(n):
        figs = dict(GOOD_HEALTH)
        figs[("W01-04", "total")] = Figure(80.0 + i / 10)
        paths.append(filled(cat, tmp_path, figs, name=f"c{i}.xlsx"))
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = import_file(cat.factory, paths[i], f"user{i}")
        except Exception as exc:  # surfaced by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(getattr(r, "accepted", False) for r in results), results
    # every row sent is stored, under its own revision: counted from a fresh connection
    sent = {
        f"user{i}": [(code, key, 80.0 + i / 10 if code == "W01-04" else fig.value)
                     for (code, key), fig in GOOD_HEALTH.items()]
        for i in range(n)
    }
    engine = fresh_engine(cat)
    try:
        with make_sessionmaker(engine)() as s:
            stored: dict[str, list[tuple[str, str, float]]] = {}
            for actor, code, key, value in s.execute(
                select(Submission.created_by, Indicator.code, Observation.breakdown, Observation.value)
                .join(Observation, Observation.submission_id == Submission.id)
                .join(Indicator, Indicator.id == Observation.indicator_id)
            ):
                stored.setdefault(actor, []).append((code, key, value))
    finally:
        engine.dispose()
    assert {k: sorted(v) for k, v in stored.items()} == {k: sorted(v) for k, v in sent.items()}
    assert sum(map(len, stored.values())) == n * len(GOOD_HEALTH) == 36
    with cat.factory() as s:
        subs = list(s.scalars(select(Submission).order_by(Submission.revision)))
        assert [x.revision for x in subs] == list(range(1, n + 1))
        values = sorted(
            s.scalars(select(Observation.value).where(
                Observation.indicator_id == cat.indicators["W01-04"]))
        )
        assert values == [80.0 + i / 10 for i in range(n)]
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "submission.import"))
        assert sorted(e.actor for e in events) == [f"user{i}" for i in range(n)]
        # each revision supersedes the one before it: a chain, no fork
        assert [x.supersedes_id for x in subs] == [None] + [x.id for x in subs[:-1]]
