"""Catalogue pages: plans → domains → targets → indicators for every role of the area; the
office's edits go through the catalogue YAML import, are audited, and a refused edit shows
its message by the field and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, DemoSite, demo_site, threads_calling

from planwatch.demo import DemoSummary
from planwatch.store import models as db
from planwatch.store.accounts import AuditLog
from planwatch.store.workspace import Workspace
from planwatch.web.catalogue_data import indicator_areas

ROLES = ("office_admin", "leader", "filler", "office_b", "auditor")


CatalogueSite = DemoSite


@pytest.fixture(scope="module")
def csite(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogueSite]:
    with demo_site(CatalogueSite, demo.path, tmp_path_factory.mktemp("web-catalogue"), ROLES) as site:
        yield site


def _numeric_target(ws: Workspace) -> tuple[int, int, str]:
    """(target id, target value id, indicator code) of a numeric target of area A."""
    with ws.session() as session:
        tv = session.scalars(select(db.TargetValue).join(db.Target, db.Target.id == db.TargetValue.target_id)
                             .where(db.TargetValue.area_code == AREA_A, db.TargetValue.comparator == "<=",
                                    db.TargetValue.relative.is_(None))
                             .order_by(db.TargetValue.id)).first()
        assert tv is not None and tv.target_id is not None
        return tv.target_id, tv.id, tv.indicator.code


def _own_indicator(ws: Workspace) -> str:
    """An indicator only area A uses, not linked to another's series."""
    with ws.session() as session:
        for ind in session.scalars(select(db.Indicator).where(db.Indicator.series_id.is_(None))
                                   .order_by(db.Indicator.code)):
            if indicator_areas(session, ind) == {AREA_A}:
                return ind.code
    raise AssertionError("the demo has no indicator of area A alone")


def _target_form(client: TestClient, url: str) -> dict[str, str]:
    """The edit form's current values as the browser would post them back."""
    import re

    html = client.get(url).text
    form: dict[str, str] = {"csrftoken": client.cookies.get("csrftoken") or ""}
    form["text"] = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', html, re.S).group(1)  # type: ignore[union-attr]
    for name in re.findall(r'<input type="text" name="([a-z_0-9]+)"', html):
        form[name] = re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]
    for name in re.findall(r'<select name="(comparator_\d+)"', html):
        block = html.split(f'name="{name}"')[1].split("</select>")[0]
        form[name] = re.search(r'<option value="([^"]+)" selected', block).group(1)  # type: ignore[union-attr]
    return {k: v.replace("&amp;", "&").replace("&#34;", '"') for k, v in form.items()}


@pytest.mark.parametrize("role", ["office_admin", "leader", "filler"])
def test_every_role_of_the_area_reads_plans_domains_targets_and_indicators(csite: CatalogueSite, role: str) -> None:
    client = csite.client(role)
    page = client.get(f"/areas/{AREA_A}/catalogue")
    assert page.status_code == 200
    assert "妇女发展规划" in page.text and "牵头单位" in page.text and "区卫生健康局" in page.text
    target_id, _, code = _numeric_target(csite.workspace)
    target = client.get(f"/areas/{AREA_A}/catalogue/targets/{target_id}").text
    indicator = client.get(f"/areas/{AREA_A}/catalogue/indicators/{code}").text
    assert "规划原文" in target and "指标定义" in indicator and "分组" in indicator
    editable = role == "office_admin"
    assert ('name="text"' in target) is editable and ("保存修改" in target) is editable


@pytest.mark.parametrize("role", ["office_b", "auditor"])
def test_other_areas_and_administrators_see_no_catalogue(csite: CatalogueSite, role: str) -> None:
    client = csite.client(role)
    target_id, _, code = _numeric_target(csite.workspace)
    for url in (f"/areas/{AREA_A}/catalogue", f"/areas/{AREA_A}/catalogue/targets/{target_id}",
                f"/areas/{AREA_A}/catalogue/indicators/{code}"):
        response = client.get(url)
        assert response.status_code == 403 and "无权查看指标目录" in response.text, url


def test_a_target_edit_is_applied_through_the_catalogue_import_and_audited(csite: CatalogueSite) -> None:
    client = csite.client("office_admin")
    target_id, tv_id, _ = _numeric_target(csite.workspace)
    url = f"/areas/{AREA_A}/catalogue/targets/{target_id}"
    form = _target_form(client, url)
    form.update({"text": form["text"] + "（已核对）", f"value_{tv_id}": "7.5", f"comparator_{tv_id}": "<",
                 "lead_units": "区卫生健康局、区妇联"})
    response = client.post(url, data=form)
    assert response.status_code == 303 and response.headers["location"].endswith("?saved=1")
    assert "已保存修改" in client.get(response.headers["location"]).text
    with csite.workspace.session() as session:
        target = session.get(db.Target, target_id)
        tv = session.get(db.TargetValue, tv_id)
        assert target is not None and tv is not None
        assert target.text.endswith("（已核对）") and (tv.comparator, tv.value) == ("<", 7.5)
        assert [tu.unit.name for tu in sorted(target.units, key=lambda u: u.seq) if tu.role == "lead"] == [
            "区卫生健康局", "区妇联"]
        web_row = session.scalars(select(AuditLog).where(AuditLog.action == "catalogue.edit",
                                                         AuditLog.resource_id == str(target_id))).one()
        library_row = session.scalars(select(db.AuditEvent).where(db.AuditEvent.action == "catalogue.import")
                                      .order_by(db.AuditEvent.id.desc())).first()
    assert web_row.actor == "office_admin" and web_row.before is not None and web_row.after is not None
    assert web_row.after["values"][str(tv_id)] == ["<", 7.5] and web_row.before["values"][str(tv_id)][0] == "<="
    assert library_row is not None and library_row.actor == "office_admin"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("value", "七", "应为数值或留空"),
    ("lead_units", "区不存在局", "该地区没有此单位"),
    ("text", "   ", "目标内容不能为空"),
])
def test_an_invalid_target_edit_shows_the_message_by_the_field_and_changes_nothing(
        csite: CatalogueSite, field: str, value: str, message: str) -> None:
    client = csite.client("office_admin")
    target_id, tv_id, _ = _numeric_target(csite.workspace)
    url = f"/areas/{AREA_A}/catalogue/targets/{target_id}"
    form = _target_form(client, url)
    name = f"value_{tv_id}" if field == "value" else field
    form.update({name: value, "responsible_units": "区教育局"})  # a valid change beside the invalid one
    with csite.workspace.session() as session:
        before = session.get(db.Target, target_id)
        assert before is not None
        units_before = sorted((tu.role, tu.unit_id) for tu in before.units)
        text_before = before.text
    response = client.post(url, data=form)
    assert response.status_code == 422
    html = response.text
    assert "修改未保存" in html and message in html
    field_block = html.split(f'name="{name}"')[1].split("</label>" if field != "value" else "</td>")[0]
    assert message in field_block, "the message stands by its field"
    with csite.workspace.session() as session:
        after = session.get(db.Target, target_id)
        assert after is not None
        assert sorted((tu.role, tu.unit_id) for tu in after.units) == units_before and after.text == text_before


def test_an_edit_does_its_database_work_off_the_event_loop(csite: CatalogueSite,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit's form is read on the event loop, its checks and writes run in the thread pool:
    run on the loop, the catalogue import would hold up every other request being served."""
    from planwatch.web import routes_catalogue

    threads = threads_calling(monkeypatch, routes_catalogue, "edit_target")
    client = csite.client("office_admin")
    target_id, _, _ = _numeric_target(csite.workspace)
    url = f"/areas/{AREA_A}/catalogue/targets/{target_id}"
    form = {**_target_form(client, url), "text": "   "}  # refused: nothing is written
    response = client.post(url, data=form)
    assert response.status_code == 422 and "目标内容不能为空" in response.text
    assert threads == ["thread pool"]


def test_an_indicator_edit_and_a_refused_one(csite: CatalogueSite) -> None:
    client = csite.client("office_admin")
    code = _own_indicator(csite.workspace)
    url = f"/areas/{AREA_A}/catalogue/indicators/{code}"
    token = client.cookies.get("csrftoken") or ""
    ok = client.post(url, data={"csrftoken": token, "definition": "统计口径：全区常住人口。", "breakdowns": ["sex"]})
    assert ok.status_code == 303
    with csite.workspace.session() as session:
        ind = session.scalar(select(db.Indicator).where(db.Indicator.code == code))
        assert ind is not None and ind.definition == "统计口径：全区常住人口。" and ind.breakdowns == ["sex"]
        assert session.scalars(select(AuditLog).where(AuditLog.action == "catalogue.edit",
                                                      AuditLog.resource_id == code)).one().after == {
            "definition": "统计口径：全区常住人口。", "breakdowns": ["sex"]}
    bad = client.post(url, data={"csrftoken": token, "definition": "改了也不该保存", "breakdowns": ["age_group"],
                                 "categories_age_group": "0-2,0-2"})
    assert bad.status_code == 422 and "分组名称为空、重复" in bad.text
    with csite.workspace.session() as session:
        ind = session.scalar(select(db.Indicator).where(db.Indicator.code == code))
        assert ind is not None and ind.definition == "统计口径：全区常住人口。" and ind.breakdowns == ["sex"]


def test_the_leader_and_units_cannot_edit(csite: CatalogueSite) -> None:
    target_id, _, code = _numeric_target(csite.workspace)
    for role in ("leader", "filler", "office_b"):
        client = csite.client(role)
        token = client.cookies.get("csrftoken") or ""
        for url, data in ((f"/areas/{AREA_A}/catalogue/targets/{target_id}", {"text": "改写"}),
                          (f"/areas/{AREA_A}/catalogue/indicators/{code}", {"definition": "改写"})):
            response = client.post(url, data={**data, "csrftoken": token})
            assert response.status_code == 403 and "无权修改指标目录" in response.text, (role, url)
