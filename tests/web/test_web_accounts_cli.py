"""`planwatch user add/list/disable/reset`, and the demo's account per role."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_support import csrf_of, user_row

from planwatch.cli.main import app
from planwatch.demo import DemoSummary
from planwatch.store.accounts import ROLES, AuditLog
from planwatch.store.workspace import open_workspace
from planwatch.web.app import create_app
from planwatch.web.demo_accounts import create_demo_accounts
from planwatch.web.passwords import verify_password

runner = CliRunner()


@pytest.fixture
def ws_path(demo: DemoSummary, tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    shutil.copytree(demo.path, path)
    return path


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_add_list_disable_reset(ws_path: Path) -> None:
    code, out = _run("user", "add", str(ws_path), "zhang.san", "--role", "填报员", "--area", "370103",
                     "--unit", "区卫生健康局", "--name", "张三")
    assert code == 0, out
    password = re.search(r"一次性密码.*：(\S+)", out)
    assert password
    with open_workspace(ws_path) as ws:
        row = user_row(ws, "zhang.san")
        assert verify_password(row.password_hash, password.group(1)) and row.must_change_password
        assert password.group(1) not in row.password_hash
    code, out = _run("user", "list", str(ws_path))
    assert code == 0 and "zhang.san" in out and "填报员（区卫生健康局）" in out and "待改初始密码" in out
    assert _run("user", "disable", str(ws_path), "zhang.san")[0] == 0
    assert "已停用" in _run("user", "list", str(ws_path))[1]
    assert _run("user", "disable", str(ws_path), "zhang.san", "--enable")[0] == 0
    code, out = _run("user", "reset", str(ws_path), "zhang.san", "--password-prompt",
                     stdin="Typed#Pass123\nTyped#Pass123\n")
    assert code == 0 and "一次性密码" not in out
    with open_workspace(ws_path) as ws:
        assert verify_password(user_row(ws, "zhang.san").password_hash, "Typed#Pass123")
        with ws.session() as session:
            actions = [r.action for r in session.query(AuditLog).filter(AuditLog.resource_id == "zhang.san")]
            assert actions == ["user.add", "user.disable", "user.enable", "user.reset"]
            assert {r.actor for r in session.query(AuditLog)} == {"cli:planwatch"}


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "系统管理员", "--area", "370103"], "不限定地区"),
    (["--role", "填报员", "--area", "370103"], "须指定所属单位"),
    (["--role", "领导"], "须指定所属地区"),
    (["--role", "校长"], "未知角色"),
    (["--role", "填报员", "--area", "370103", "--unit", "区不存在局"], "没有名为"),
])
def test_wrong_scopes_are_refused(ws_path: Path, args: list[str], message: str) -> None:
    code, out = _run("user", "add", str(ws_path), "someone", *args)
    assert code == 1 and message in out


def test_weak_typed_password_is_refused(ws_path: Path) -> None:
    code, out = _run("user", "add", str(ws_path), "li.si", "--role", "领导", "--area", "370103",
                     "--password-prompt", stdin="password\npassword\n")
    assert code == 1 and "至少三类" in out


def test_demo_accounts_one_per_role_log_in_with_their_printed_password(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        accounts = create_demo_accounts(ws, "370103")
        assert sorted(a.role for a in accounts) == sorted(ROLES)
        client = TestClient(create_app(ws, secret="d" * 40), follow_redirects=False)
        for account in accounts:
            client.cookies.clear()
            token = csrf_of(client.get("/login").text)
            response = client.post("/login", data={"username": account.username, "password": account.password,
                                                   "csrftoken": token})
            assert response.headers["location"] == "/password", account.username
