"""Logging in and out, the first-login password change, lock-out, idle expiry, disabled accounts."""

from __future__ import annotations

from sqlalchemy import select
from web_support import AREA_A, PASSWORD, Site, add_account, csrf_of, login, post, user_row

from planwatch.store.accounts import AuditLog, UserSession
from planwatch.web.permissions import Grant


def _audit(site: Site, actor: str) -> list[tuple[str, str]]:
    with site.workspace.session() as session:
        return [(r.action, r.outcome) for r in session.scalars(
            select(AuditLog).where(AuditLog.actor == actor).order_by(AuditLog.id))]


def test_login_lands_on_the_role_home_and_logout_ends_the_session(site: Site) -> None:
    client = site.client()
    response = login(client, "filler")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Secure" not in cookie
    home = client.get("/")
    assert home.status_code == 303 and home.headers["location"] == f"/units/{site.units['U1']}/tasks"
    page = client.get(home.headers["location"])
    assert page.status_code == 200 and "区卫生健康局" in page.text and "填报任务" in page.text
    token = client.cookies.get("pw_session")
    assert post(client, "/logout").status_code == 303
    client.cookies.set("pw_session", token)  # a copied cookie is worthless after logout
    assert client.get(home.headers["location"]).headers["location"] == "/login"
    assert ("login", "success") in _audit(site, "filler") and ("logout", "success") in _audit(site, "filler")


def test_wrong_password_is_refused_and_logged(site: Site) -> None:
    client = site.client()
    response = login(client, "leader", "Wrong#Password1")
    assert response.status_code == 401 and "用户名或密码错误" in response.text
    assert "pw_session" not in client.cookies
    assert ("login", "failure") in _audit(site, "leader")
    assert login(client, "nobody-here", "Wrong#Password1").status_code == 401


def test_first_login_must_change_the_password_before_anything_else(site: Site) -> None:
    add_account(site.workspace, "newcomer", Grant("leader", AREA_A), must_change=True)
    elsewhere = site.client()  # someone else who knows the one-time password
    login(elsewhere, "newcomer")
    client = site.client()
    assert login(client, "newcomer").headers["location"] == "/password"
    for url in ("/", f"/areas/{AREA_A}/progress", "/admin/users"):
        assert client.get(url).headers["location"] == "/password"
    token = csrf_of(client.get("/password").text)
    weak = client.post("/password", data={"old_password": PASSWORD, "new_password": "abcdefgh",
                                          "confirm_password": "abcdefgh", "csrftoken": token})
    assert weak.status_code == 400 and "至少三类" in weak.text
    same = client.post("/password", data={"old_password": PASSWORD, "new_password": PASSWORD,
                                          "confirm_password": PASSWORD, "csrftoken": token})
    assert same.status_code == 400 and "不能与原密码相同" in same.text
    wrong = client.post("/password", data={"old_password": "Nope#12345", "new_password": "Better#Pass9",
                                           "confirm_password": "Better#Pass9", "csrftoken": token})
    assert wrong.status_code == 400 and "原密码不正确" in wrong.text
    done = client.post("/password", data={"old_password": PASSWORD, "new_password": "Better#Pass9",
                                          "confirm_password": "Better#Pass9", "csrftoken": token},
                       follow_redirects=False)
    assert done.status_code == 303
    assert client.get(f"/areas/{AREA_A}/progress").status_code == 200
    assert elsewhere.get("/password").headers["location"] == "/login"  # the other session ended
    row = user_row(site.workspace, "newcomer")
    assert not row.must_change_password and row.password_changed_at == site.clock.now
    assert PASSWORD not in row.password_hash and row.password_hash.startswith("$argon2id$")
    assert _audit(site, "newcomer")[-2:] == [("password.change", "failure"), ("password.change", "success")]
    assert login(site.client(), "newcomer", "Better#Pass9").headers["location"] == "/"


def test_five_failures_lock_the_account_for_thirty_minutes(site: Site) -> None:
    add_account(site.workspace, "guessed", Grant("leader", AREA_A))
    client = site.client()
    codes = [login(client, "guessed", f"Wrong#{i}abc").status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    locked = login(client, "guessed")  # the right password does not open a locked account
    assert locked.status_code == 423 and "已锁定" in locked.text
    site.clock.advance(minutes=29)
    assert login(client, "guessed").status_code == 423
    site.clock.advance(minutes=2)
    assert login(client, "guessed").status_code == 303
    assert user_row(site.workspace, "guessed").failed_logins == 0
    trail = _audit(site, "guessed")
    assert trail.count(("login", "failure")) == 7 and ("account.locked", "success") in trail


def test_security_admin_unlocks_a_locked_account(site: Site) -> None:
    add_account(site.workspace, "locked-out", Grant("leader", AREA_A))
    for i in range(5):
        login(site.client(), "locked-out", f"Wrong#{i}abc")
    admin = site.client()
    login(admin, "secadmin")
    assert "已锁定" in admin.get("/admin/users").text
    assert post(admin, "/admin/users/locked-out/unlock").status_code == 303
    assert login(site.client(), "locked-out").status_code == 303


def test_thirty_idle_minutes_end_the_session_and_activity_keeps_it(site: Site) -> None:
    client = site.client()
    login(client, "leader")
    page = f"/areas/{AREA_A}/progress"
    for _ in range(3):  # 87 minutes in all, never 30 idle
        site.clock.advance(minutes=29)
        assert client.get(page).status_code == 200
    site.clock.advance(minutes=30, seconds=1)
    assert client.get(page).headers["location"] == "/login"
    assert client.get(page).headers["location"] == "/login"  # gone for good, not only for one request
    forgotten = site.client()
    login(forgotten, "auditor")
    site.clock.advance(minutes=31)
    login(site.client(), "secadmin")  # a login clears sessions nobody came back to
    with site.workspace.session() as session:
        assert session.scalar(select(UserSession).where(UserSession.last_seen_at < site.clock.now)) is None
    assert ("session.expired", "success") in _audit(site, "leader")


def test_disabling_an_account_ends_its_sessions_at_once(site: Site) -> None:
    add_account(site.workspace, "leaving", Grant("leader", AREA_A))
    victim = site.client()
    login(victim, "leaving")
    assert victim.get(f"/areas/{AREA_A}/progress").status_code == 200
    admin = site.client()
    login(admin, "sysadmin")
    assert post(admin, "/admin/users/leaving/disable").status_code == 303
    assert victim.get(f"/areas/{AREA_A}/progress").headers["location"] == "/login"
    assert login(site.client(), "leaving").status_code == 401
    with site.workspace.session() as session:
        rows = session.scalars(select(UserSession).where(UserSession.user_id == user_row(site.workspace, "leaving").id))
        assert list(rows) == []
        change = session.scalar(select(AuditLog).where(AuditLog.action == "user.disable",
                                                       AuditLog.resource_id == "leaving"))
        assert change is not None and change.actor == "sysadmin"
        assert change.before is not None and change.before["disabled"] is False
        assert change.after is not None and change.after["disabled"] is True
