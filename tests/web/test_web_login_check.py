"""The login's password check runs before its write transaction; a reset in between wins."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from planwatch.demo import DemoSummary
from planwatch.store.workspace import open_workspace
from planwatch.web.accounts import (
    GrantRequest,
    add_user,
    authenticate,
    check_password,
    get_user,
    reset_password,
    resolve_grant,
    stored_hash,
)
from planwatch.web.audit import Actor

NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
ADMIN = Actor("admin", None, "127.0.0.1")


def test_checked_password_is_used_unless_the_hash_changed(demo: DemoSummary, tmp_path: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(demo.path, path)
    with open_workspace(path) as ws:
        with ws.session() as s:
            grant = resolve_grant(s, GrantRequest("填报员", "370103", "区卫生健康局"))
            add_user(s, "wang.wu", "王五", [grant], NOW, ADMIN, password="Aa1-first-pass")
        with ws.session() as s:
            checked = check_password(stored_hash(s, "wang.wu"), "Aa1-first-pass")
        assert checked[1] is True
        with ws.session(immediate=True) as s:
            assert authenticate(s, "wang.wu", "Aa1-first-pass", NOW, None, checked=checked)[0] == "ok"
        # A reset between the check and the transaction: the old check no longer counts.
        with ws.session() as s:
            checked = check_password(stored_hash(s, "wang.wu"), "Aa1-first-pass")
        with ws.session() as s:
            user = get_user(s, "wang.wu")
            reset_password(s, user, NOW, ADMIN)
        with ws.session(immediate=True) as s:
            verdict, _ = authenticate(s, "wang.wu", "Aa1-first-pass", NOW, None, checked=checked)
            assert verdict == "bad"
            user = get_user(s, "wang.wu")
            assert user.failed_logins == 1
        # An unknown name: the check ran against the dummy hash and fails.
        unknown = check_password(None, "whatever")
        assert unknown == (None, False)
        with ws.session(immediate=True) as s:
            assert authenticate(s, "nobody", "whatever", NOW, None, checked=unknown)[0] == "bad"
