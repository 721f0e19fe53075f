"""Every route against every role, including other units' and other areas' data by URL.

Expectations are written out by hand here, not derived from the permission module, so a
change of policy has to change this table too. A role with no entry is refused (403); a
refusal is logged as a denial in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import AREA_A, AREA_B, ROLES, Site, login, post

from planwatch.store.accounts import AuditLog

UNIT_A = {"filler", "unit_reviewer"}
OFFICE_A = {"office_admin", "leader"}

# (name, method, url template, form, roles that succeed)
ROUTES: list[tuple[str, str, str, dict[str, str], set[str]]] = [
    ("own unit tasks", "GET", "/units/{U1}/tasks", {}, UNIT_A | OFFICE_A),
    ("other unit tasks", "GET", "/units/{U2}/tasks", {}, OFFICE_A),
    ("other area unit tasks", "GET", "/units/{U3}/tasks", {}, {"office_b"}),
    ("own unit tasks, another year", "GET", "/units/{U1}/tasks?year=2021", {}, UNIT_A | OFFICE_A),
    ("area progress", "GET", f"/areas/{AREA_A}/progress", {}, OFFICE_A),
    ("other area progress", "GET", f"/areas/{AREA_B}/progress", {}, {"office_b"}),
    ("own submission", "GET", "/submissions/{sub_U1}", {}, UNIT_A | OFFICE_A),
    ("other unit submission", "GET", "/submissions/{sub_U2}", {}, OFFICE_A),
    ("other unit draft", "GET", "/submissions/{sub_U2draft}", {}, set()),
    ("other area submission", "GET", "/submissions/{sub_U3}", {}, {"office_b"}),
    ("progress board", "GET", f"/boards/progress?area={AREA_A}", {}, OFFICE_A),
    ("progress board of the other area", "GET", f"/boards/progress?area={AREA_B}", {}, {"office_b"}),
    ("reminder list export", "GET", f"/boards/progress/reminders.csv?area={AREA_A}", {}, OFFICE_A),
    ("reminder list export of the other area", "GET", f"/boards/progress/reminders.csv?area={AREA_B}", {},
     {"office_b"}),
    ("target board", "GET", f"/boards/targets?area={AREA_A}", {}, OFFICE_A),
    ("target board filtered", "GET", f"/boards/targets?area={AREA_A}&breakdown=sex&year=2023", {}, OFFICE_A),
    ("target board of the other area", "GET", f"/boards/targets?area={AREA_B}", {}, {"office_b"}),
    ("own unit targets", "GET", "/units/{U1}/targets", {}, UNIT_A | OFFICE_A),
    ("other unit targets", "GET", "/units/{U2}/targets?breakdown=all", {}, OFFICE_A),
    ("other area unit targets", "GET", "/units/{U3}/targets", {}, {"office_b"}),
    ("account list", "GET", "/admin/users", {}, {"sysadmin", "secadmin", "office_admin", "office_b"}),
    ("account list of the other area", "GET", f"/admin/users?area={AREA_B}", {},
     {"sysadmin", "secadmin", "office_admin", "office_b"}),  # an office administrator sees its own area instead
    ("add a unit account in A", "POST", "/admin/users",
     {"role": "filler", "unit": "{U1}", "username": "new-a-{role}", "display_name": "新人"},
     {"sysadmin", "office_admin"}),
    ("add a unit account in B", "POST", "/admin/users",
     {"role": "filler", "unit": "{U3}", "username": "new-b-{role}", "display_name": "新人"}, {"sysadmin", "office_b"}),
    ("add an office account", "POST", "/admin/users",
     {"role": "office_admin", "area": AREA_A, "username": "new-o-{role}", "display_name": "新人"}, {"sysadmin"}),
    ("add an auditor", "POST", "/admin/users",
     {"role": "auditor", "username": "new-x-{role}", "display_name": "新人"}, set()),  # only on the server
    ("disable a unit account of A", "POST", "/admin/users/victim-a-{role}/disable", {}, {"sysadmin", "office_admin"}),
    ("reset a unit account of A", "POST", "/admin/users/victim-a-{role}/reset", {}, {"sysadmin", "office_admin"}),
    ("disable a unit account of B", "POST", "/admin/users/victim-b-{role}/disable", {}, {"sysadmin", "office_b"}),
    ("unlock a unit account of A", "POST", "/admin/users/victim-a-{role}/unlock", {}, {"sysadmin", "secadmin"}),
    # The administrators' accounts are left to `planwatch user` on the server.
    ("disable the auditor", "POST", "/admin/users/auditor/disable", {}, set()),
    ("reset the system administrator", "POST", "/admin/users/sysadmin/reset", {}, set()),
    ("API tokens", "GET", "/admin/tokens", {}, {"sysadmin"}),
    ("add an API token (no scope: refused by the library)", "POST", "/admin/tokens",
     {"name": "matrix-{role}", "area": AREA_A}, {"sysadmin"}),
    ("revoke an API token (already revoked: refused)", "POST", "/admin/tokens/{token_revoked}/revoke", {},
     {"sysadmin"}),
    ("audit log", "GET", "/audit", {}, {"auditor"}),
    ("audit log filtered", "GET", "/audit?outcome=denied&page=1", {}, {"auditor"}),
    ("data change log", "GET", "/audit?source=data", {}, {"auditor"}),
    ("own unit online form", "GET", "/units/{U1}/form?year=2031", {}, UNIT_A),
    ("other unit online form", "GET", "/units/{U2}/form?year=2031", {}, set()),
    ("other area online form", "GET", "/units/{U3}/form?year=2031", {}, set()),
    ("save own unit form (empty: refused by validation)", "POST", "/units/{U1}/form", {"year": "2031"}, UNIT_A),
    ("save other unit form", "POST", "/units/{U2}/form", {"year": "2031"}, set()),
    ("报送 own unit (nothing saved yet)", "POST", "/units/{U1}/form/submit", {"year": "2031"}, {"unit_reviewer"}),
    ("报送 another area's unit", "POST", "/units/{U3}/form/submit", {"year": "2031"}, set()),
    ("own unit template download", "GET", "/units/{U1}/template?year=2031", {}, UNIT_A),
    ("other unit template download", "GET", "/units/{U2}/template?year=2031", {}, set()),
    ("confirm an upload of the own unit (none pending)", "POST", "/units/{U1}/upload/confirm", {"token": "x"},
     UNIT_A),
    ("confirm an upload of another unit", "POST", "/units/{U2}/upload/confirm", {"token": "x"}, set()),
    ("review list", "GET", f"/areas/{AREA_A}/review", {}, {"office_admin"}),
    ("review list of the other area", "GET", f"/areas/{AREA_B}/review?state=approved", {}, {"office_b"}),
    ("review a submission", "GET", "/review/{sub_U1}", {}, {"office_admin"}),
    ("review another area's submission", "GET", "/review/{sub_U3}", {}, {"office_b"}),
    ("review a unit's draft", "GET", "/review/{sub_U2draft}", {}, set()),
    ("approve a draft", "POST", "/review/{sub_U2draft}/approve", {}, set()),
    ("return an approved submission (refused: locked)", "POST", "/review/{sub_U1}/return", {"reason": "请核实"},
     {"office_admin"}),
    ("approve another area's submission", "POST", "/review/{sub_U3}/approve", {}, {"office_b"}),
    ("area reports", "GET", f"/areas/{AREA_A}/reports", {}, OFFICE_A),
    ("reports of the other area", "GET", f"/areas/{AREA_B}/reports", {}, {"office_b"}),
    ("ask for a report", "POST", f"/areas/{AREA_A}/reports", {"kind": "compendium", "year": "2024", "formats": "xlsx"},
     {"office_admin"}),
    ("ask for a report of the other area", "POST", f"/areas/{AREA_B}/reports",
     {"kind": "compendium", "year": "2024", "formats": "xlsx"}, {"office_b"}),
    ("report job", "GET", "/reports/jobs/{job_A}", {}, OFFICE_A),
    ("report job progress", "GET", "/reports/jobs/{job_A}/status", {}, OFFICE_A),
    ("report job of the other area", "GET", "/reports/jobs/{job_B}", {}, {"office_b"}),
    ("report download", "GET", "/reports/jobs/{job_A}/files/report.xlsx", {}, OFFICE_A),
    ("report download of the other area", "GET", "/reports/jobs/{job_B}/files/report.xlsx", {}, {"office_b"}),
    ("catalogue", "GET", f"/areas/{AREA_A}/catalogue", {}, UNIT_A | OFFICE_A),
    ("catalogue of the other area", "GET", f"/areas/{AREA_B}/catalogue", {}, {"office_b"}),
    ("catalogue target", "GET", f"/areas/{AREA_A}/catalogue/targets/{{target_A}}", {}, UNIT_A | OFFICE_A),
    ("catalogue target of the other area", "GET", f"/areas/{AREA_B}/catalogue/targets/{{target_B}}", {},
     {"office_b"}),
    ("catalogue indicator", "GET", f"/areas/{AREA_A}/catalogue/indicators/{{indicator_A}}", {}, UNIT_A | OFFICE_A),
    ("edit a target (empty text: refused by validation)", "POST", f"/areas/{AREA_A}/catalogue/targets/{{target_A}}",
     {"text": ""}, {"office_admin"}),
    ("edit a target of the other area", "POST", f"/areas/{AREA_B}/catalogue/targets/{{target_B}}", {"text": ""},
     {"office_b"}),
    ("edit an indicator (empty age groups: refused)", "POST", f"/areas/{AREA_A}/catalogue/indicators/{{indicator_A}}",
     {"breakdowns": "age_group", "categories_age_group": ",,"}, {"office_admin"}),
    ("member units", "GET", f"/areas/{AREA_A}/units", {}, UNIT_A | OFFICE_A),
    ("member units of the other area", "GET", f"/areas/{AREA_B}/units", {}, {"office_b"}),
    ("add a member unit (empty name: refused by the library)", "POST", f"/areas/{AREA_A}/units", {"name": ""},
     {"office_admin"}),
    ("add a member unit to the other area (empty name: refused)", "POST", f"/areas/{AREA_B}/units", {"name": ""},
     {"office_b"}),
    ("rename a member unit (no unit chosen: refused by the library)", "POST", f"/areas/{AREA_A}/units/rename",
     {"unit": "", "new_name": ""}, {"office_admin"}),
    ("rename a member unit of the other area (refused)", "POST", f"/areas/{AREA_B}/units/rename",
     {"unit": "", "new_name": ""}, {"office_b"}),
    ("retire a member unit (no unit chosen: refused by the library)", "POST", f"/areas/{AREA_A}/units/retire",
     {"unit": "", "year": "2031"}, {"office_admin"}),
    ("retire a member unit of the other area (refused)", "POST", f"/areas/{AREA_B}/units/retire",
     {"unit": "", "year": "2031"}, {"office_b"}),
    # Unlocks are tried without a reason, so that the one let in is refused by the workflow and
    # the approved data stays as the other rows expect it.
    ("unlock an approved submission (no reason: refused)", "POST", "/review/{sub_U1}/unlock", {"reason": ""},
     {"office_admin"}),
    ("unlock another area's approved submission", "POST", "/review/{sub_U3}/unlock", {"reason": ""}, {"office_b"}),
    ("unlock a unit's draft", "POST", "/review/{sub_U2draft}/unlock", {"reason": "请更正"}, set()),
]
BUSINESS_REFUSALS = (400, 409, 422)
"""Answers of a request the permission layer let through but the data refused (nothing to
报送, locked, invalid figures): never 403, so the matrix still tells who was let in."""


JOBS: dict[str, int | str] = {}
"""A finished report job of each area (made by the clients fixture), for the report routes."""


def _finished_report_job(site: Site, area: str) -> int:
    from planwatch.store.report_jobs import ReportJob
    from planwatch.web.report_jobs import folder_of

    with site.workspace.session() as session:
        job = ReportJob(kind="compendium", area_code=area, year=2024, formats=["xlsx"], state="done",
                        files=["report.xlsx"], done_count=1, total_count=1, requested_by="test", attempts=1)
        session.add(job)
        session.flush()
        job_id = job.id
    folder = folder_of(site.workspace, job_id)
    folder.mkdir(parents=True)
    (folder / "report.xlsx").write_bytes(b"PK\x03\x04")
    return job_id


def _revoked_token(site: Site) -> int:
    """A token revoked already, so that revoking it again is refused whoever is let in."""
    from planwatch.web.audit import Actor
    from planwatch.web.tokens import add_token, revoke_token

    with site.workspace.session() as session:
        token, _ = add_token(session, "matrix-revoked", ["read"], AREA_A, None, site.clock(), Actor("test"))
        revoke_token(session, token.name, site.clock(), Actor("test"))
        return token.id


def _catalogue_entries(site: Site) -> dict[str, int | str]:
    """A target of each area, and an indicator area A alone uses (so that its office may edit it)."""
    from planwatch.store.models import Domain, Indicator, Plan, Target
    from planwatch.web.catalogue_data import indicator_areas

    found: dict[str, int | str] = {}
    with site.workspace.session() as session:
        for key, area in (("target_A", AREA_A), ("target_B", AREA_B)):
            found[key] = session.scalars(select(Target.id).join(Domain).join(Plan).where(Plan.area_code == area)
                                         .order_by(Target.id)).first() or 0
        found["indicator_A"] = next(i.code for i in session.scalars(
            select(Indicator).where(Indicator.series_id.is_(None)).order_by(Indicator.code))
            if indicator_areas(session, i) == {AREA_A})
    return found


@pytest.fixture(scope="module")
def clients(site: Site) -> Iterator[dict[str, TestClient]]:
    from web_support import add_account

    from planwatch.web.permissions import Grant

    JOBS.update(job_A=_finished_report_job(site, AREA_A), job_B=_finished_report_job(site, AREA_B),
                token_revoked=_revoked_token(site), **_catalogue_entries(site))
    for role in ROLES:
        add_account(site.workspace, f"victim-a-{role}", Grant("filler", AREA_A, site.units["U2"]))
        add_account(site.workspace, f"victim-b-{role}", Grant("filler", AREA_B, site.units["U3"]))
    logged: dict[str, TestClient] = {}
    for role in ROLES:
        client = site.client()
        assert login(client, role).status_code == 303  # type: ignore[attr-defined]
        logged[role] = client
    yield logged


def _fill(text: str, site: Site, role: str) -> str:
    values = {**site.units, **{f"sub_{k}": v for k, v in site.subs.items()}, **JOBS, "role": role}
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


_DENIALS = select(func.count()).select_from(AuditLog).where(AuditLog.outcome == "denied")


@pytest.fixture(scope="module")
def denials(site: Site) -> Iterator[Callable[[], int]]:
    """The number of denials in the audit log, counted on one driver connection kept for the module.

    Counted twice for each of some 500 refusals: a pooled connection per count (checkout,
    BEGIN, rollback, checkin) cost more than the count. The driver connection reads outside
    any transaction (the engine's connections are in autocommit; SQLAlchemy issues BEGIN
    itself), so each count sees every row the application has committed."""
    engine = site.workspace.engine
    sql = str(_DENIALS.compile(engine, compile_kwargs={"literal_binds": True}))
    connection = engine.raw_connection()

    def count() -> int:
        cursor = connection.cursor()
        try:
            cursor.execute(sql)
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    try:
        yield count
    finally:
        connection.close()


CASES = [(route, role) for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_route_by_role(site: Site, clients: dict[str, TestClient], denials: Callable[[], int],
                       route: tuple[str, str, str, dict[str, str], set[str]], role: str) -> None:
    name, method, template, form, allowed = route
    site.clock.advance(seconds=1)
    client = clients[role]
    url = _fill(template, site, role)
    before = denials()
    if method == "GET":
        response = client.get(url)
    else:
        response = post(client, url, {k: _fill(v, site, role) for k, v in form.items()})
    status = response.status_code  # type: ignore[attr-defined]
    if role in allowed:
        assert status in (200, 303, *BUSINESS_REFUSALS), f"{name} as {role}: {status}"
    else:
        assert status == 403, f"{name} as {role}: {status}"
        assert "无权" in response.text  # type: ignore[attr-defined]
        assert denials() == before + 1


def test_an_office_administrator_sees_only_its_area_accounts(site: Site, clients: dict[str, TestClient]) -> None:
    html = clients["office_admin"].get(f"/admin/users?area={AREA_B}").text
    assert ">victim-a-filler<" in html and ">victim-b-filler<" not in html and ">sysadmin<" not in html
    everyone = clients["sysadmin"].get("/admin/users").text
    assert "victim-a-filler" in everyone and "victim-b-filler" in everyone


def test_unit_pages_show_only_their_unit(site: Site, clients: dict[str, TestClient]) -> None:
    page = clients["filler"].get(f"/units/{site.units['U1']}/tasks").text
    assert "区卫生健康局" in page and "济南市市中区" in page and "区医保局" not in page
    progress = clients["office_admin"].get(f"/areas/{AREA_A}/progress").text
    assert "区卫生健康局" in progress and "区医保局" in progress and "枣庄" not in progress


@pytest.mark.parametrize("url", ["/", "/units/1/tasks", f"/areas/{AREA_A}/progress", "/submissions/1",
                                 "/boards/progress", "/boards/targets", "/units/1/targets",
                                 "/boards/progress/reminders.csv",
                                 "/admin/users", "/audit", "/password", "/units/1/form",
                                 f"/areas/{AREA_A}/review", "/review/1", f"/areas/{AREA_A}/reports",
                                 "/reports/jobs/1", "/reports/jobs/1/files/a.xlsx", f"/areas/{AREA_A}/units"])
def test_without_login_every_page_sends_to_login(site: Site, url: str) -> None:
    response = site.client().get(url)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_unknown_ids_are_not_found(site: Site, clients: dict[str, TestClient]) -> None:
    assert clients["office_admin"].get("/units/999999/tasks").status_code == 404
    assert clients["office_admin"].get("/submissions/999999").status_code == 404
    assert clients["office_admin"].get("/areas/999999/progress").status_code == 404
    assert post(clients["sysadmin"], "/admin/users/no-such-user/disable").status_code == 404  # type: ignore[attr-defined]


def test_who_administers_nothing_learns_nothing_about_accounts(site: Site, clients: dict[str, TestClient]) -> None:
    for role in ("filler", "leader", "auditor"):
        for url in ("/admin/users/no-such-user/disable", "/admin/users/sysadmin/disable"):
            assert post(clients[role], url).status_code == 403  # type: ignore[attr-defined]
        assert post(clients[role], "/admin/users", {"role": "bogus"}).status_code == 403  # type: ignore[attr-defined]
    assert post(clients["sysadmin"], "/admin/users", {"role": "bogus"}).status_code == 400  # type: ignore[attr-defined]
