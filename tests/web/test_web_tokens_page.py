"""The API token page (/admin/tokens): the 系统管理员 lists, adds and revokes the REST API's
tokens; a secret is shown once; refusals are the command's messages; everyone else is refused.

The site (web_support) has areas A and B, units U1 and U2 of A and U3 of B, and an account per role.
"""

from __future__ import annotations

import json
import re

import pytest
from api_support import API, bearer, make_token
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import AREA_A, AREA_B, Site, login, post

from planwatch.collect.status import CHINA_TZ
from planwatch.store.accounts import AuditLog
from planwatch.store.api_tokens import ApiToken
from planwatch.web.tokens import NAME_CHARS

SECRET = re.compile(r"pw_[A-Za-z0-9_\-]{40,}")
OTHERS = ("filler", "unit_reviewer", "office_admin", "office_b", "leader", "secadmin", "auditor")
"""Every role but the 系统管理员."""


def _as(site: Site, role: str) -> TestClient:
    client = site.client()
    assert login(client, role).status_code == 303  # type: ignore[attr-defined]
    return client


def _token(site: Site, name: str) -> ApiToken | None:
    with site.workspace.session() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.name == name))
        if token is not None:
            session.expunge(token)
        return token


def _existing(site: Site, name: str) -> ApiToken:
    """A read token of area A named ``name``, made unless an earlier test made it."""
    if _token(site, name) is None:
        make_token(site, name, ["read"])
    token = _token(site, name)
    assert token is not None
    return token


def _count(site: Site, what: object) -> int:
    with site.workspace.session() as session:
        return int(session.scalar(what) or 0)  # type: ignore[call-overload]


def _audit(site: Site, action: str, name: str) -> list[AuditLog]:
    with site.workspace.session() as session:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.action == action, AuditLog.resource_id == name)
                                    .order_by(AuditLog.id)))
        session.expunge_all()
        return rows


def _row_of(page: str, name: str) -> str:
    """The table row of one token (the page's text between its <tr> and </tr>)."""
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if f"<td>{name}</td>" in r]
    assert len(rows) == 1, name
    return rows[0]


TOKENS = select(func.count()).select_from(ApiToken)


def test_the_page_lists_tokens_without_their_secrets(site: Site) -> None:
    area = make_token(site, "列表-地区只读", ["read"])
    unit = make_token(site, "列表-单位报送", ["read", "submit"], unit="区卫生健康局")
    page = _as(site, "sysadmin").get("/admin/tokens")
    assert page.status_code == 200 and "<h1>API 令牌</h1>" in page.text
    for name, secret in (("列表-地区只读", area), ("列表-单位报送", unit)):
        token = _token(site, name)
        assert token is not None
        row = _row_of(page.text, name)
        assert f"<code>{token.prefix}…</code>" in row and "有效" in row and "cli:test" in row
        assert secret not in page.text and token.token_hash not in page.text
    assert "济南市市中区" in _row_of(page.text, "列表-地区只读") and "读取" in _row_of(page.text, "列表-地区只读")
    unit_row = _row_of(page.text, "列表-单位报送")
    assert "读取、报送单位数据" in unit_row and "区卫生健康局" in unit_row
    assert not SECRET.search(page.text)
    assert 'href="/admin/tokens"' in page.text  # the menu's link, beside 账号管理


def test_the_last_call_of_a_token_is_shown(site: Site) -> None:
    secret = make_token(site, "最近调用", ["read"])
    admin = _as(site, "sysadmin")
    assert "<td>—</td>" in _row_of(admin.get("/admin/tokens").text, "最近调用")  # never used
    site.clock.advance(minutes=7)
    assert bearer(site, secret).get(f"{API}/units").status_code == 200
    called = site.clock.now.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")
    site.clock.advance(minutes=1)
    assert f"<td>{called}</td>" in _row_of(admin.get("/admin/tokens").text, "最近调用")


def test_adding_shows_the_secret_once_and_never_again(site: Site) -> None:
    admin = _as(site, "sysadmin")
    answer = post(admin, "/admin/tokens", {"name": "卫健局业务系统", "scopes": "read", "unit": str(site.units["U1"])})
    assert answer.status_code == 200, answer.text  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    secrets = SECRET.findall(page)
    assert len(secrets) == 1 and "只显示这一次" in page and "已新增 API 令牌" in page
    secret = secrets[0]
    token = _token(site, "卫健局业务系统")
    assert token is not None and token.token_hash not in page and secret.startswith(token.prefix)
    assert (token.area_code, token.unit_id, token.scopes, token.created_by) == (
        AREA_A, site.units["U1"], "read", "sysadmin")
    listing = admin.get("/admin/tokens").text
    assert secret not in listing and f"{token.prefix}…" in listing and not SECRET.search(listing)
    assert bearer(site, secret).get(f"{API}/units").status_code == 200  # the secret shown is the one that works
    added = _audit(site, "token.add", "卫健局业务系统")
    assert len(added) == 1 and added[0].actor == "sysadmin" and added[0].client == "testclient"
    assert added[0].after is not None and added[0].after["unit_id"] == site.units["U1"]
    with site.workspace.session() as session:  # the secret and its hash are nowhere in the log
        logged = " ".join(json.dumps([r.before, r.after, r.detail], ensure_ascii=False)
                          for r in session.scalars(select(AuditLog)))
    assert secret not in logged and token.token_hash not in logged


def test_several_scopes_come_from_the_checkboxes(site: Site) -> None:
    admin = _as(site, "sysadmin")
    csrf = admin.cookies.get("csrftoken")
    assert csrf
    answer = admin.post("/admin/tokens", data={"name": "工委办平台", "scopes": ["read", "review"], "area": AREA_B,
                                               "unit": "", "csrftoken": csrf})
    assert answer.status_code == 200 and len(SECRET.findall(answer.text)) == 1
    token = _token(site, "工委办平台")
    assert token is not None and (token.scopes, token.area_code, token.unit_id) == ("read review", AREA_B, None)
    assert "读取、审核与审定" in _row_of(admin.get("/admin/tokens").text, "工委办平台")


@pytest.mark.parametrize(("form", "says"), [
    ({"name": "报送无单位", "scopes": "submit", "area": AREA_A}, "只能授予限定到一个单位的令牌"),
    ({"name": "审核有单位", "scopes": "review", "unit": "{U1}"}, "review（审核与审定）只能授予按地区的令牌"),
    ({"name": "没有权限范围", "area": AREA_A}, "缺少权限范围"),
    ({"name": "  ", "scopes": "read", "area": AREA_A}, f"令牌名称须为 1–{NAME_CHARS} 个字符"),
    ({"name": "名" * (NAME_CHARS + 1), "scopes": "read", "area": AREA_A}, f"令牌名称须为 1–{NAME_CHARS} 个字符"),
    ({"name": "没有地区", "scopes": "read"}, "请选择地区"),
    ({"name": "未知地区", "scopes": "read", "area": "999999"}, "未知地区“999999”"),
    ({"name": "地区不符", "scopes": "read", "area": AREA_B, "unit": "{U1}"}, "与所选地区 370406 不符"),
    ({"name": "重名", "scopes": "read", "area": AREA_A}, "令牌“重名”已存在"),
])
def test_a_refused_add_changes_nothing_and_says_why(site: Site, form: dict[str, str], says: str) -> None:
    if form["name"] == "重名":
        make_token(site, "重名", ["read"])
    admin = _as(site, "sysadmin")
    tokens, added = _count(site, TOKENS), len(_audit(site, "token.add", form["name"].strip()))
    answer = post(admin, "/admin/tokens", {k: v.replace("{U1}", str(site.units["U1"])) for k, v in form.items()})
    assert answer.status_code == 400  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert says in page and 'role="alert"' in page and not SECRET.search(page)
    assert f'value="{form["name"]}"' in page  # the form comes back as it was sent
    assert _count(site, TOKENS) == tokens and len(_audit(site, "token.add", form["name"].strip())) == added


def test_an_unknown_unit_is_a_bad_request(site: Site) -> None:
    admin = _as(site, "sysadmin")
    tokens = _count(site, TOKENS)
    for unit in ("999999", "abc"):
        answer = post(admin, "/admin/tokens", {"name": "无此单位", "scopes": "read", "unit": unit})
        assert answer.status_code == 400 and "请选择单位" in answer.text  # type: ignore[attr-defined]
    assert _count(site, TOKENS) == tokens


def test_revoking_takes_effect_at_once_and_is_audited(site: Site) -> None:
    secret = make_token(site, "将被吊销", ["read"])
    system = bearer(site, secret)
    assert system.get(f"{API}/units").status_code == 200
    token = _token(site, "将被吊销")
    assert token is not None
    admin = _as(site, "sysadmin")
    assert f'action="/admin/tokens/{token.id}/revoke"' in admin.get("/admin/tokens").text
    site.clock.advance(seconds=5)
    answer = post(admin, f"/admin/tokens/{token.id}/revoke")
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/tokens"  # type: ignore[attr-defined]
    refused = system.get(f"{API}/units")  # the very next call
    assert refused.status_code == 401 and refused.json()["code"] == "api.unauthorized"
    assert "吊销" in refused.json()["message"]
    page = admin.get("/admin/tokens").text
    assert "已吊销" in _row_of(page, "将被吊销") and f"/admin/tokens/{token.id}/revoke" not in page
    revoked = _token(site, "将被吊销")
    assert revoked is not None and revoked.revoked_at == site.clock.now and revoked.revoked_by == "sysadmin"
    [entry] = _audit(site, "token.revoke", "将被吊销")
    assert entry.actor == "sysadmin" and entry.at == site.clock.now
    assert entry.before is not None and entry.before["revoked"] is False
    assert entry.after is not None and entry.after["revoked"] is True
    again = post(admin, f"/admin/tokens/{token.id}/revoke")
    assert again.status_code == 400 and "已于" in again.text  # type: ignore[attr-defined]
    assert len(_audit(site, "token.revoke", "将被吊销")) == 1
    assert post(admin, "/admin/tokens/999999/revoke").status_code == 404  # type: ignore[attr-defined]


def _denials(site: Site, role: str) -> int:
    return _count(site, select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "permission.denied", AuditLog.actor == role, AuditLog.resource == "tokens.manage"))


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_is_refused_and_logged(site: Site, role: str) -> None:
    victim = _existing(site, f"他人-{role}")
    client = _as(site, role)
    before, tokens = _denials(site, role), _count(site, TOKENS)
    page = client.get("/admin/tokens")
    assert page.status_code == 403 and "无权管理 API 令牌" in page.text
    add = post(client, "/admin/tokens", {"name": f"越权-{role}", "scopes": "read", "area": AREA_A})
    assert add.status_code == 403  # type: ignore[attr-defined]
    for token_id in (victim.id, 999999):  # an unknown id answers the same: nothing learnt about ids
        assert post(client, f"/admin/tokens/{token_id}/revoke").status_code == 403  # type: ignore[attr-defined]
    assert _denials(site, role) == before + 4 and _count(site, TOKENS) == tokens
    still = _token(site, f"他人-{role}")
    assert still is not None and still.revoked_at is None
    assert 'href="/admin/tokens"' not in client.get("/password").text  # no menu link either


def test_without_login_the_page_sends_to_login(site: Site) -> None:
    client = site.client()
    assert client.get("/admin/tokens").headers["location"] == "/login"
    tokens = _count(site, TOKENS)
    answer = post(client, "/admin/tokens", {"name": "匿名", "scopes": "read", "area": AREA_A})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"  # type: ignore[attr-defined]
    assert _count(site, TOKENS) == tokens


@pytest.mark.parametrize("url", ["/admin/tokens", "/admin/tokens/{id}/revoke"])
def test_a_post_without_the_csrf_token_is_refused(site: Site, url: str) -> None:
    url = url.replace("{id}", str(_existing(site, "csrf-目标").id))
    admin = _as(site, "sysadmin")
    tokens = _count(site, TOKENS)
    form = {"name": "csrf-新增", "scopes": "read", "area": AREA_A}
    for data in (form, {**form, "csrftoken": "forged-token"}):
        refused = admin.post(url, data=data)
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert _count(site, TOKENS) == tokens and _token(site, "csrf-新增") is None
    assert _existing(site, "csrf-目标").revoked_at is None
    assert admin.get("/admin/tokens").status_code == 200  # still logged in: nothing happened


def test_every_form_carries_the_csrf_token_and_nothing_inline(site: Site) -> None:
    _existing(site, "表单")
    html = _as(site, "sysadmin").get("/admin/tokens").text
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
    assert len(forms) >= 2 and all('name="csrftoken"' in form for form in forms)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html and "onclick" not in html


def test_the_auditor_reads_the_token_changes(site: Site) -> None:
    admin = _as(site, "sysadmin")
    added = post(admin, "/admin/tokens", {"name": "审计可见", "scopes": "read", "area": AREA_A})
    assert added.status_code == 200  # type: ignore[attr-defined]
    token = _token(site, "审计可见")
    assert token is not None
    assert post(admin, f"/admin/tokens/{token.id}/revoke").status_code == 303  # type: ignore[attr-defined]
    page = _as(site, "auditor").get("/audit?actor=sysadmin").text
    assert "新增 API 令牌" in page and "吊销 API 令牌" in page and "审计可见" in page
    assert token.token_hash not in page
