"""API tokens: hashed at rest, scoped, revocable, rate-limited, and every call audited.

The site (web_support) has areas A and B, units U1 and U2 of A and U3 of B, a submitted
revision of each, and a 2025 draft of U2 that only U2 may see.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from api_support import API, audit_calls, bearer, make_token, submission_count
from sqlalchemy import select
from typer.testing import CliRunner
from web_support import AREA_B, Site, login, post

from planwatch.cli.main import app as cli_app
from planwatch.demo import DemoSummary
from planwatch.store.accounts import ACTOR_CHARS, AuditLog
from planwatch.store.api_tokens import ApiToken
from planwatch.store.workspace import open_workspace
from planwatch.web.tokens import NAME_CHARS, RateLimiter, TokenError


def test_only_the_hash_is_stored_and_the_secret_works(site: Site) -> None:
    secret = make_token(site, "hash-check", ["read"])
    with site.workspace.session() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.name == "hash-check"))
        assert token is not None
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (token.token_hash, token.prefix) and secret.startswith(token.prefix)
        assert len(secret) > 40
    assert bearer(site, secret).get(f"{API}/units").status_code == 200


@pytest.mark.parametrize(("scopes", "unit", "says"), [
    (["submit"], None, "--unit"),
    (["read", "review"], "区卫生健康局", "请勿指定 --unit"),
    (["write"], None, "未知"),
    ([], None, "缺少"),
])
def test_scopes_must_fit_the_token(site: Site, scopes: list[str], unit: str | None, says: str) -> None:
    with pytest.raises(TokenError, match=says):
        make_token(site, f"bad-{'-'.join(scopes)}-{unit}", scopes, unit=unit)


def test_no_or_unknown_token_is_refused_as_json(site: Site) -> None:
    client = site.client()
    answer = client.get(f"{API}/units")
    assert answer.status_code == 401
    assert answer.json()["code"] == "api.unauthorized" and "令牌" in answer.json()["message"]
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert client.get(f"{API}/units", headers={"Authorization": "Bearer pw_not-a-token"}).status_code == 401


def test_a_read_token_cannot_write(site: Site) -> None:
    reader = bearer(site, make_token(site, "reader-unit", ["read"], unit="区卫生健康局"))
    area_reader = bearer(site, make_token(site, "reader-area", ["read"]))
    before = submission_count(site)
    answer = reader.post(f"{API}/submissions", json={"year": 2025, "figures": []})
    assert answer.status_code == 403 and answer.json()["code"] == "api.scope"
    sub = site.subs["U1"]
    for client in (reader, area_reader):
        for action in ("submit", "review", "approve", "return"):
            answer = client.post(f"{API}/submissions/{sub}/{action}", json={"comment": "x"})
            assert answer.status_code == 403, (action, answer.text)
    assert submission_count(site) == before
    # reading still works
    assert reader.get(f"{API}/submissions/{sub}").status_code == 200


def test_a_unit_token_reads_its_own_unit_only(site: Site) -> None:
    u1 = bearer(site, make_token(site, "unit-u1", ["read", "submit"], unit="区卫生健康局"))
    own = u1.get(f"{API}/submissions/{site.subs['U1']}")
    assert own.status_code == 200
    # another unit's unsubmitted figures, another unit's submitted ones, another area's
    for key in ("U2draft", "U2", "U3"):
        answer = u1.get(f"{API}/submissions/{site.subs[key]}")
        assert answer.status_code == 403, key
        assert answer.json()["code"] == "api.forbidden"
    units = {row["unit"] for row in u1.get(f"{API}/submissions").json()["items"]}
    assert units == {"区卫生健康局"}
    observations = u1.get(f"{API}/observations", params={"limit": 1000}).json()["items"]
    assert observations and {o["reporting_unit_id"] for o in observations} == {site.units["U1"]}
    assert {o["area_code"] for o in observations} == {"370103"}


def test_an_area_token_sees_what_left_the_units_of_its_area(site: Site) -> None:
    office = bearer(site, make_token(site, "area-a", ["read"]))
    assert office.get(f"{API}/submissions/{site.subs['U2']}").status_code == 200
    assert office.get(f"{API}/submissions/{site.subs['U2draft']}").status_code == 403
    assert office.get(f"{API}/submissions/{site.subs['U3']}").status_code == 403
    listed = office.get(f"{API}/submissions", params={"year": 2025}).json()["items"]
    assert all(row["state"] != "draft" for row in listed)
    observations = office.get(f"{API}/observations", params={"limit": 1000}).json()["items"]
    assert observations and all(o["state"] != "draft" and o["area_code"] == "370103" for o in observations)
    other = bearer(site, make_token(site, "area-b", ["read"], area=AREA_B))
    assert all(o["area_code"] == AREA_B for o in other.get(f"{API}/observations").json()["items"])


def test_a_revoked_token_is_refused(site: Site) -> None:
    from planwatch.web.audit import Actor
    from planwatch.web.tokens import revoke_token

    secret = make_token(site, "to-revoke", ["read"])
    client = bearer(site, secret)
    assert client.get(f"{API}/areas").status_code == 200
    with site.workspace.session() as session:
        revoke_token(session, "to-revoke", site.clock(), Actor("cli:test"))
    answer = client.get(f"{API}/areas")
    assert answer.status_code == 401 and "吊销" in answer.json()["message"]
    last = audit_calls(site)[-1]
    assert (last.actor, last.outcome, last.detail["status"]) == ("token:to-revoke", "denied", 401)


def test_every_call_is_in_the_audit_log(site: Site) -> None:
    client = bearer(site, make_token(site, "audited", ["read"], unit="区医保局"))
    before = len(audit_calls(site))
    calls = [
        ("GET", f"{API}/plans", 200),
        ("GET", f"{API}/submissions/{site.subs['U1']}", 403),
        ("GET", f"{API}/submissions/999999", 404),
        ("POST", f"{API}/submissions", 403),
        ("GET", f"{API}/observations?year=abc", 422),
    ]
    for method, url, status in calls:
        assert client.request(method, url, json={"year": 2025, "figures": []}).status_code == status, url
    site.client().get(f"{API}/plans")  # no token at all: kept too
    rows = audit_calls(site)[before:]
    assert [(r.detail["method"], r.detail["status"]) for r in rows] == [
        *[(m, s) for m, _, s in calls], ("GET", 401)]
    assert [r.actor for r in rows] == ["token:audited"] * len(calls) + [None]
    assert [r.outcome for r in rows] == ["success", "denied", "failure", "denied", "failure", "denied"]
    assert rows[0].resource_id == f"{API}/plans" and rows[0].unit_id is not None


def test_a_browser_session_cannot_call_the_api(site: Site) -> None:
    """The API takes no cookie: a logged-in 单位审核员's browser, CSRF token and all, is refused."""
    browser = site.client()
    assert login(browser, "unit_reviewer").status_code == 303  # type: ignore[attr-defined]
    before = submission_count(site)
    answer = post(browser, f"{API}/submissions")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    answer = browser.post(f"{API}/submissions/{site.subs['U1']}/submit",
                          headers={"x-csrftoken": browser.cookies.get("csrftoken") or ""})
    assert answer.status_code == 401
    assert submission_count(site) == before


def test_rate_limit_per_token(site: Site) -> None:
    now = [0.0]
    api_app = site.client().app.state.api_v1  # type: ignore[attr-defined]
    saved = api_app.state.api_limiter
    api_app.state.api_limiter = RateLimiter(per_minute=6, burst=2, monotonic=lambda: now[0])
    try:
        first = bearer(site, make_token(site, "limited-1", ["read"]))
        second = bearer(site, make_token(site, "limited-2", ["read"]))
        assert [first.get(f"{API}/areas").status_code for _ in range(2)] == [200, 200]
        refused = first.get(f"{API}/areas")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "10"
        assert refused.json()["code"] == "api.rate_limited"
        assert second.get(f"{API}/areas").status_code == 200  # each token has its own bucket
        now[0] += 10
        assert first.get(f"{API}/areas").status_code == 200
        assert audit_calls(site)[-3].outcome == "denied"
    finally:
        api_app.state.api_limiter = saved


def test_token_commands(demo: DemoSummary, tmp_path: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(demo.path, path)
    runner = CliRunner(env={"COLUMNS": "200"})
    added = runner.invoke(cli_app, ["token", "add", str(path), "市统计局平台", "--area", "370103",
                                    "--scope", "read", "--scope", "submit", "--unit", "区卫生健康局"])
    assert added.exit_code == 0, added.output
    secret = next(line for line in added.output.splitlines() if line.startswith("pw_"))
    listed = runner.invoke(cli_app, ["token", "list", str(path)])
    assert "市统计局平台" in listed.output and "有效" in listed.output and secret not in listed.output
    bad = runner.invoke(cli_app, ["token", "add", str(path), "x", "--area", "370103", "--scope", "submit"])
    assert bad.exit_code == 1 and "--unit" in bad.output
    revoked = runner.invoke(cli_app, ["token", "revoke", str(path), "市统计局平台"])
    assert revoked.exit_code == 0, revoked.output
    assert "已吊销" in runner.invoke(cli_app, ["token", "list", str(path)]).output
    again = runner.invoke(cli_app, ["token", "revoke", str(path), "市统计局平台"])
    assert again.exit_code == 1
    with open_workspace(path) as ws, ws.session() as session:
        actions = list(session.scalars(select(AuditLog.action).where(AuditLog.resource == "api_token")))
        token = session.scalar(select(ApiToken))
        assert token is not None and token.revoked_at is not None and token.token_hash != secret
    assert actions == ["token.add", "token.revoke"]


def test_rate_comes_from_the_workspace_settings(site: Site) -> None:
    from planwatch.web.app import create_app
    from planwatch.web.settings import WebSettings

    settings = WebSettings.from_workspace_extra({"web": {"api_calls_per_minute": 30, "api_burst": 3}})
    limiter = create_app(site.workspace, settings=settings, secret="s" * 48).state.api_v1.state.api_limiter
    assert (limiter.burst, limiter.rate) == (3, 0.5)


def test_the_longest_name_fits_the_audit_log(site: Site) -> None:
    """Calls are audited as token:NAME in a 60-character column, which PostgreSQL enforces:
    a name that would not fit is refused when the token is made, not on every call."""
    width = ACTOR_CHARS
    longest = "数" * NAME_CHARS
    assert len(f"token:{longest}") == width
    with pytest.raises(TokenError, match=f"1–{NAME_CHARS}"):
        make_token(site, longest + "据", ["read"])
    secret = make_token(site, longest, ["read"])
    assert bearer(site, secret).get(f"{API}/units").status_code == 200
    with site.workspace.session() as session:
        assert session.scalar(select(AuditLog.actor).where(AuditLog.actor == f"token:{longest}"))
