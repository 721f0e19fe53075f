"""Helpers of the web tests: a demo workspace with one account per role (and one office of the other area), an app on it
with a clock the tests move, and logged-in clients.

Areas: A = 370103 济南市市中区, B = 370406 枣庄市山亭区. Units: U1 = 区卫生健康局 of A,
U2 = 区医保局 of A, U3 = 区卫生健康局 of B. The draft of U2 for 2025 exists only here, so
that "unsubmitted figures are the unit's own" can be tried.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from planwatch.store.accounts import User
from planwatch.store.workspace import Workspace
from planwatch.web.accounts import add_user
from planwatch.web.audit import Actor
from planwatch.web.permissions import Grant

PASSWORD = "Planwatch#2024"
AREA_A = "370103"
AREA_B = "370406"
ROLES = ("filler", "unit_reviewer", "office_admin", "leader", "sysadmin", "secadmin", "auditor", "office_b")
"""Every role, plus the office administrator of the other area."""


class Clock:
    """The application's clock, moved by the tests."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 20, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@dataclass
class Site:
    workspace: Workspace
    clock: Clock
    client_factory: object
    units: dict[str, int]
    subs: dict[str, int]

    def client(self) -> TestClient:
        return self.client_factory()  # type: ignore[operator, no-any-return]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> object:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrftoken": token},
                       follow_redirects=False)


def post(client: TestClient, url: str, data: dict[str, str] | None = None) -> object:
    """A POST as the browser sends it: with the token of a page it was given."""
    token = client.cookies.get("csrftoken") or csrf_of(client.get("/login").text)
    return client.post(url, data={**(data or {}), "csrftoken": token}, follow_redirects=False)


def grant_for(role: str, units: dict[str, int]) -> Grant:
    if role in ("filler", "unit_reviewer"):
        return Grant(role, AREA_A, units["U1"])
    if role in ("office_admin", "leader"):
        return Grant(role, AREA_A)
    if role == "office_b":
        return Grant("office_admin", AREA_B)
    return Grant(role)


def add_account(ws: Workspace, username: str, grant: Grant, *, must_change: bool = False) -> None:
    with ws.session() as session:
        user, _ = add_user(session, username, username, [grant], dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                           Actor("test"), password=PASSWORD)
        user.must_change_password = must_change



def user_row(ws: Workspace, username: str) -> User:
    with ws.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def threads_calling(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    """Where ``module.name`` is called from, call by call: "event loop" or "thread pool".

    The function is wrapped for the test (``monkeypatch`` undoes it): a route that does its work
    on the event loop has a running loop in the calling thread; the thread pool has none."""
    import asyncio

    calls: list[str] = []
    real = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            calls.append("event loop")
        except RuntimeError:
            calls.append("thread pool")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


@dataclass
class DemoSite:
    """A copy of the demo workspace served by the application, with an account for each role:
    for the page tests that need the demo's catalogue (its plans, targets and units)."""

    workspace: Workspace
    app: object

    def client(self, role: str) -> TestClient:
        """A browser logged in as ``role``, redirects left for the test to read."""
        client = TestClient(self.app, follow_redirects=False)  # type: ignore[arg-type]
        assert login(client, role).status_code == 303  # type: ignore[attr-defined]
        return client


S = TypeVar("S", bound=DemoSite)


@contextlib.contextmanager
def demo_site(site: type[S], demo_path: Path, folder: Path, roles: tuple[str, ...]) -> Iterator[S]:
    """The demo copied into ``folder``, opened, an account per role (a unit role in 区卫生健康局 of
    area A, ``U1``; of area B, ``U3``), and the application serving it, as a ``site``; the
    workspace is closed when the block ends."""
    from planwatch.store import models as db
    from planwatch.store.workspace import open_workspace
    from planwatch.web.app import create_app

    path = folder / "ws"
    shutil.copytree(demo_path, path)
    ws = open_workspace(path)
    try:
        with ws.session() as session:
            health = select(db.Unit.id).where(db.Unit.name == "区卫生健康局")
            units = {key: session.scalar(health.where(db.Unit.area_code == area))
                     for key, area in (("U1", AREA_A), ("U3", AREA_B))}
        for role in roles:
            add_account(ws, role, grant_for(role, units))  # type: ignore[arg-type]
        yield site(ws, create_app(ws, clock=Clock(), secret="test-secret-" + "x" * 40))
    finally:
        ws.close()
