"""CSRF tokens on every form, security headers on every answer, flags on every cookie."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from web_support import AREA_A, Site, csrf_of, login

from planwatch.store.accounts import AuditLog
from planwatch.web.security_headers import CSP


@pytest.mark.parametrize("url", ["/logout", "/password", "/admin/users", "/admin/users/filler/disable"])
def test_a_post_without_the_token_is_refused(site: Site, url: str) -> None:
    client = site.client()
    login(client, "sysadmin")
    refused = client.post(url, data={"username": "x"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    forged = client.post(url, data={"username": "x", "csrftoken": "forged-token"})
    assert forged.status_code == 403
    with site.workspace.session() as session:
        denials = session.scalars(select(AuditLog).where(AuditLog.resource == "csrf", AuditLog.resource_id == url))
        assert len(list(denials)) >= 2
    assert client.get("/admin/users").status_code == 200  # still logged in: nothing happened


def test_a_forged_login_without_cookies_is_refused(site: Site) -> None:
    client = site.client()
    response = client.post("/login", data={"username": "filler", "password": "whatever"})
    assert response.status_code == 403


def test_the_token_also_comes_as_the_header_htmx_sends(site: Site) -> None:
    client = site.client()
    login(client, "leader")
    token = client.cookies.get("csrftoken")
    assert token
    response = client.post("/logout", headers={"x-csrftoken": token})
    assert response.status_code == 303


def test_every_form_carries_the_token(site: Site) -> None:
    client = site.client()
    login(client, "sysadmin")
    for url in ("/admin/users", "/password"):
        html = client.get(url).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms, url
        assert all('name="csrftoken"' in form for form in forms), url


@pytest.mark.parametrize("url", ["/login", "/static/style.css", "/static/vendor/htmx.min.js", "/no-such-page"])
def test_security_headers_on_every_answer(site: Site, url: str) -> None:
    response = site.client().get(url)
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["permissions-policy"] == "camera=(), microphone=(), geolocation=()"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers


def test_pages_have_no_inline_script_or_style(site: Site) -> None:
    client = site.client()
    login(client, "office_admin")
    for url in ("/login", f"/areas/{AREA_A}/progress", "/admin/users", f"/units/{site.units['U1']}/tasks",
                f"/areas/{AREA_A}/units"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and " style=" not in html and "onclick" not in html, url
        assert "http://" not in html.replace("http://testserver", "") and "https://" not in html, url


def test_pages_are_not_cached_and_cookies_are_httponly(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    assert page.headers["cache-control"] == "no-store"
    for cookie in page.headers.get_list("set-cookie"):
        assert "HttpOnly" in cookie
    response = login(client, "leader")
    for cookie in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        assert "HttpOnly" in cookie


def test_behind_https_cookies_are_secure_and_hsts_is_sent(site: Site) -> None:
    from fastapi.testclient import TestClient

    from planwatch.web.app import create_app
    from planwatch.web.settings import WebSettings

    app = create_app(site.workspace, settings=WebSettings(secure_cookies=True), clock=site.clock, secret="s" * 40)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/login")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    token = csrf_of(page.text)
    response = client.post("/login", data={"username": "leader", "password": "Planwatch#2024", "csrftoken": token})
    cookies = response.headers.get_list("set-cookie") + page.headers.get_list("set-cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies)



def test_htmx_is_served_from_the_site_with_its_licence(site: Site) -> None:
    client = site.client()
    script = client.get("/static/vendor/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text[:2000]
    assert "Zero-Clause BSD" in client.get("/static/vendor/htmx.LICENSE").text
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in client.get("/login").text


def test_an_htmx_request_after_expiry_is_sent_to_login_as_a_whole_page(site: Site) -> None:
    response = site.client().get(f"/areas/{AREA_A}/progress", headers={"hx-request": "true"})
    assert response.status_code == 200 and response.headers["hx-redirect"] == "/login"
