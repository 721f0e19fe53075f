"""The member units page: every monitoring role of the area reads the units as ``planwatch unit
list`` lists them; the area's office adds one through the library's own check, audited, and the
catalogue pages then accept it as a 牵头单位. A refused unit shows the library's message by its
field and stores nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from web_support import AREA_A, AREA_B, DemoSite, demo_site, post

from planwatch.demo import DemoSummary
from planwatch.store import models as db
from planwatch.store.accounts import AuditLog
from planwatch.store.unit_registry import list_units
from planwatch.store.workspace import Workspace

ROLES = ("office_admin", "leader", "filler", "unit_reviewer", "office_b", "auditor")
URL = f"/areas/{AREA_A}/units"


class UnitSite(DemoSite):
    def units(self, area: str = AREA_A) -> dict[str, tuple[str, ...]]:
        """The area's units as the library lists them: name → aliases."""
        with self.workspace.session() as session:
            return {row.name: row.aliases for row in list_units(session, area)}

    def unit_events(self) -> int:
        with self.workspace.session() as session:
            return session.scalar(select(func.count()).select_from(AuditLog)
                                  .where(AuditLog.action == "unit.add")) or 0


@pytest.fixture(scope="module")
def usite(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UnitSite]:
    with demo_site(UnitSite, demo.path, tmp_path_factory.mktemp("web-units"), ROLES) as site:
        yield site


def _qualitative_target(ws: Workspace) -> tuple[int, str, list[str]]:
    """(id, text, responsible units) of a target of area A with no numeric value: its edit form
    is text and units alone, so one POST of those is the whole form."""
    with ws.session() as session:
        numeric = select(db.TargetValue.target_id).where(db.TargetValue.comparator.is_not(None),
                                                         db.TargetValue.target_id.is_not(None))
        target = session.scalars(select(db.Target).join(db.Domain).join(db.Plan)
                                 .where(db.Plan.area_code == AREA_A, db.Target.id.not_in(numeric))
                                 .order_by(db.Target.id)).first()
        assert target is not None
        responsible = [tu.unit.name for tu in sorted(target.units, key=lambda u: u.seq) if tu.role == "responsible"]
        return target.id, target.text, responsible


def test_the_page_lists_the_units_as_unit_list_does(usite: UnitSite) -> None:
    html = usite.client("office_admin").get(URL).text
    with usite.workspace.session() as session:
        rows = list_units(session, AREA_A)
    assert rows and f"共 {len(rows)} 个单位" in html
    for row in rows:
        cells = re.search(rf"<tr><td>{re.escape(row.name)}</td><td>([^<]*)</td><td class=\"num\">(\d+)</td>"
                          rf"<td class=\"num\">(\d+)</td><td>{row.state}</td></tr>", html)
        assert cells is not None, row.name
        assert (int(cells.group(2)), int(cells.group(3))) == (row.targets, row.indicators)
        assert cells.group(1) == ("、".join(row.aliases) or "—")
    assert "枣庄" not in html.split("<main>")[1], "another area's units are not listed"
    assert 'name="csrftoken"' in html.split('action="/areas/370103/units"')[1].split("</form>")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html


@pytest.mark.parametrize("role", ["office_admin", "leader", "filler", "unit_reviewer"])
def test_every_role_of_the_area_finds_the_page_in_the_navigation(usite: UnitSite, role: str) -> None:
    client = usite.client(role)
    home = client.get(f"/areas/{AREA_A}/catalogue").text
    assert f'<a href="{URL}">成员单位</a>' in home
    page = client.get(URL)
    assert page.status_code == 200 and "区卫生健康局" in page.text
    assert ("添加成员单位" in page.text) is (role == "office_admin")


def test_the_office_adds_a_unit_which_the_catalogue_then_accepts_as_lead(usite: UnitSite) -> None:
    client = usite.client("office_admin")
    response = post(client, URL, {"name": "区数据局", "aliases": "区大数据局、数据局，区数据中心"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.startswith(URL + "?added=")
    assert "已添加成员单位“区数据局”" in client.get(location).text
    assert usite.units()["区数据局"] == ("区大数据局", "数据局", "区数据中心")
    with usite.workspace.session() as session:
        unit = session.scalar(select(db.Unit).where(db.Unit.area_code == AREA_A, db.Unit.name == "区数据局"))
        assert unit is not None
        row = session.scalars(select(AuditLog).where(AuditLog.action == "unit.add",
                                                  AuditLog.resource_id == str(unit.id))).one()
        library = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "unit.add",
                                                              db.AuditEvent.entity_id == str(unit.id))).one()
    assert (row.actor, row.outcome, row.area_code, row.resource_id) == ("office_admin", "success", AREA_A,
                                                                        str(unit.id))
    assert row.before is None and row.after == {"name": "区数据局", "aliases": ["区大数据局", "数据局", "区数据中心"]}
    assert library.actor == "office_admin"

    target_id, text, responsible = _qualitative_target(usite.workspace)
    edit = post(client, f"/areas/{AREA_A}/catalogue/targets/{target_id}",
                {"text": text, "lead_units": "区数据局", "responsible_units": "、".join(responsible)})
    assert edit.status_code == 303  # type: ignore[attr-defined]
    with usite.workspace.session() as session:
        target = session.get(db.Target, target_id)
        assert target is not None
        assert [tu.unit.name for tu in target.units if tu.role == "lead"] == ["区数据局"]


@pytest.mark.parametrize(("name", "aliases", "field"), [
    ("区卫生健康局", "", "name"),                 # a unit's own name
    ("区妇儿中心", "区卫生健康局", "aliases"),     # an alias that is another unit's name
    ("   ", "", "name"),                          # nothing typed
])
def test_a_refused_unit_shows_the_library_message_by_its_field_and_stores_nothing(
        usite: UnitSite, name: str, aliases: str, field: str) -> None:
    client = usite.client("office_admin")
    before, events = usite.units(), usite.unit_events()
    response = post(client, URL, {"name": name, "aliases": aliases})
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    message = "单位名称为空" if not name.strip() else "已有单位“区卫生健康局”使用名称“区卫生健康局”，未添加"
    block = html.split(f'name="{field}"')[1].split("</label>")[0]
    assert message in block and 'class="invalid"' in block and "未添加：请按提示更正" in html
    assert usite.units() == before and usite.unit_events() == events


def test_an_alias_of_an_added_unit_is_refused_too(usite: UnitSite) -> None:
    client = usite.client("office_admin")
    assert post(client, URL, {"name": "区退役军人事务局", "aliases": "区退役军人局"}).status_code == 303  # type: ignore[attr-defined]
    before, events = usite.units(), usite.unit_events()
    response = post(client, URL, {"name": "区退役军人局", "aliases": ""})
    assert response.status_code == 422  # type: ignore[attr-defined]
    block = response.text.split('name="name"')[1].split("</label>")[0]  # type: ignore[attr-defined]
    assert "已有单位“区退役军人事务局”使用名称“区退役军人局”" in block
    assert 'value="区退役军人局"' in block, "the form keeps what was typed"
    assert usite.units() == before and usite.unit_events() == events


@pytest.mark.parametrize("role", ["leader", "filler", "unit_reviewer", "office_b", "auditor"])
def test_only_the_office_of_the_area_adds(usite: UnitSite, role: str) -> None:
    client = usite.client(role)
    before = usite.units()
    response = post(client, URL, {"name": f"区新单位{role}"})
    assert response.status_code == 403 and "无权修改指标目录" in response.text  # type: ignore[attr-defined]
    assert usite.units() == before
    if role in ("office_b", "auditor"):
        page = client.get(URL)
        assert page.status_code == 403 and "无权查看指标目录" in page.text


def test_an_unknown_area_is_not_found(usite: UnitSite) -> None:
    client = usite.client("office_admin")
    page = client.get("/areas/999999/units")
    added = post(client, "/areas/999999/units", {"name": "区数据局"})
    assert page.status_code == 404 and "没有这个地区" in page.text
    assert added.status_code == 404 and "没有这个地区" in added.text  # type: ignore[attr-defined]


def test_the_other_area_office_adds_only_in_its_own_area(usite: UnitSite) -> None:
    client = usite.client("office_b")
    response = post(client, f"/areas/{AREA_B}/units", {"name": "区数据局"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "区数据局" in usite.units(AREA_B)


def test_an_added_name_in_the_link_is_shown_only_if_the_area_has_it(usite: UnitSite) -> None:
    page = usite.client("leader").get(URL, params={"added": "假冒的单位"})
    assert page.status_code == 200 and "成员单位" in page.text and "已添加" not in page.text


def test_aliases_are_split_at_the_chinese_separators_not_at_spaces() -> None:
    from planwatch.web.routes_units import split_aliases

    assert split_aliases("区卫健委、卫健局，区 卫生局,,") == ["区卫健委", "卫健局", "区 卫生局"]
    assert split_aliases("  ") == []
