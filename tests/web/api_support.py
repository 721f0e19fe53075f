"""Helpers of the REST API tests: tokens on the web tests' site, and bearer clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import AREA_A, Site

from planwatch.collect.catalogue import all_indicators
from planwatch.collect.history import series
from planwatch.store.accounts import AuditLog
from planwatch.store.models import Submission
from planwatch.web.audit import Actor
from planwatch.web.tokens import add_token

API = "/api/v1"


def make_token(site: Site, name: str, scopes: Sequence[str], area: str = AREA_A, unit: str | None = None) -> str:
    """A new token's secret (the token is made as an administrator would, audited)."""
    with site.workspace.session() as session:
        _, secret = add_token(session, name, scopes, area, unit, dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                              Actor("cli:test"))
    return secret


def bearer(site: Site, secret: str) -> TestClient:
    client = site.client()
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def audit_calls(site: Site) -> list[AuditLog]:
    with site.workspace.session() as session:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.action == "api.call").order_by(AuditLog.id)))
        session.expunge_all()
        return rows


def submission_count(site: Site) -> int:
    with site.workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


def figures_like_last_year(site: Site, unit_id: int, year: int) -> list[dict[str, Any]]:
    """Every measurable total of the unit's form as the unit would post it: its last figure,
    rates as numerator and denominator (so neither a jump nor a rate-without-counts warning)."""
    from planwatch.store.models import Unit
    from planwatch.web.form_data import empty_form

    with site.workspace.session() as session:
        specs = all_indicators(session)
        history = series(session, AREA_A, before_year=year)
        unit = session.get(Unit, unit_id)
        assert unit is not None
        cells = [(c.code, c.breakdown) for c in empty_form(session, unit, year).cells]
    out: list[dict[str, Any]] = []
    for code, breakdown in cells:
        spec = specs[code]
        if breakdown != "total" or not spec.measurable:
            continue
        found = history.get((spec.id, "total"))
        value = found[max(found)] if found else 1.0
        if spec.is_rate and spec.rate_base:
            out.append({"indicator": code, "numerator": value, "denominator": int(spec.rate_base)})
        else:
            out.append({"indicator": code, "value": value})
    return out
