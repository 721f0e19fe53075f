"""The audit log: written for logins, denials and changes, readable by the auditor only, and
refused to UPDATE, DELETE (and TRUNCATE on PostgreSQL) by the database itself."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DBAPIError
from web_support import Site, login, post

from planwatch.store.accounts import AuditLog
from planwatch.store.db import make_sessionmaker
from planwatch.web.audit import Actor, read_log, record


def test_the_auditor_reads_logins_denials_and_changes_with_before_and_after(site: Site) -> None:
    intruder = site.client()
    login(intruder, "filler", "Wrong#Pass99")
    login(intruder, "filler")
    assert intruder.get(f"/units/{site.units['U2']}/tasks").status_code == 403
    admin = site.client()
    login(admin, "sysadmin")
    post(admin, "/admin/users", {"role": "leader", "area": "370103", "username": "audited", "display_name": "王五"})
    auditor = site.client()
    login(auditor, "auditor")
    page = auditor.get("/audit").text
    for words in ("登录", "失败", "越权访问被拒绝", "新增账号", "王五", "tasks.view"):
        assert words in page, words
    assert "password_hash" not in page and "$argon2" not in page
    denied = auditor.get("/audit?outcome=denied").text
    assert ">越权访问被拒绝</td>" in denied and ">新增账号</td>" not in denied
    with site.workspace.session() as session:
        added = read_log(session, action="user.add", actor="sysadmin").rows[0]
        assert added.before is None and added.after is not None
        assert added.after["roles"] == [{"role": "leader", "area_code": "370103", "unit_id": None}]
        assert added.at == site.clock.now and added.client == "testclient"
        refused = read_log(session, action="permission.denied", actor="filler").rows[0]
        assert refused.unit_id == site.units["U2"] and refused.resource == "tasks.view"


def test_the_auditor_also_reads_the_library_data_changes(site: Site) -> None:
    from sqlalchemy import select

    from planwatch.store.models import AuditEvent

    with site.workspace.session() as session:
        newest = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert newest is not None
        total = session.query(AuditEvent).count()
        expected = (newest.actor, newest.action)
    auditor = site.client()
    login(auditor, "auditor")
    page = auditor.get("/audit?source=data").text
    assert f"共 {total} 条" in page and expected[0] in page and expected[1] in page
    assert "workspace.init" in auditor.get(f"/audit?source=data&page={-(-total // 100)}").text
    assert auditor.get("/audit?source=other").status_code == 422


def test_the_application_cannot_change_or_remove_a_row(site: Site) -> None:
    with site.workspace.session() as session:
        record(session, site.clock.now, Actor("someone"), "login", "failure")
    for statement in (update(AuditLog).values(actor="nobody"), delete(AuditLog)):
        with pytest.raises(DBAPIError, match="append-only"), site.workspace.session() as session:
            session.execute(statement)
    with site.workspace.session() as session:
        assert read_log(session, actor="someone").total == 1


def test_the_database_refuses_changes_on_both_backends(engine: Engine) -> None:
    """Runs on SQLite and on PostgreSQL (skipped with the reason when no server answers)."""
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        record(session, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), Actor("a"), "login", "success")
    statements = ["UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["a"]
