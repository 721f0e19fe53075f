"""The units page after a reorganisation: the office renames and retires units.

One demo copy for the module, changed in the order of the tests: 区卫生健康局 (the filler's unit,
with figures for 2020–2024) is renamed, refused changes store nothing, then it is retired from
2025 with 区妇联 taking its work over. Its filler then finds no task and no form for 2025 while
2024 is still there to read; a new account for it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from web_support import AREA_A, DemoSite, demo_site, post

from planwatch.demo import DemoSummary
from planwatch.store import models as db
from planwatch.store.accounts import AuditLog
from planwatch.store.unit_registry import UnitRow, list_units

ROLES = ("office_admin", "leader", "filler", "unit_reviewer", "office_b", "sysadmin")
URL = f"/areas/{AREA_A}/units"
OLD, NEW, HEIR = "区卫生健康局", "区卫生健康委", "区妇联"


class ChangeSite(DemoSite):
    def rows(self) -> dict[str, UnitRow]:
        with self.workspace.session() as session:
            return {row.name: row for row in list_units(session, AREA_A)}

    def events(self, action: str) -> tuple[int, int]:
        """(web audit rows, library audit rows) of ``action``."""
        with self.workspace.session() as session:
            web = session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))
            library = session.scalar(select(func.count()).select_from(db.AuditEvent)
                                     .where(db.AuditEvent.action == action))
            return web or 0, library or 0

    def unit_id(self) -> int:
        with self.workspace.session() as session:
            unit = session.scalar(select(db.Unit.id).where(db.Unit.area_code == AREA_A, db.Unit.name.in_((OLD, NEW))))
            assert unit is not None
            return unit


@pytest.fixture(scope="module")
def site(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChangeSite]:
    with demo_site(ChangeSite, demo.path, tmp_path_factory.mktemp("web-unit-changes"), ROLES) as made:
        yield made


def _by_field(html: str, field: str) -> str:
    """The label around the named input of the refused form (the one marked invalid)."""
    blocks = [b.split("</label>")[0] for b in html.split(f'name="{field}"')[1:]]
    marked = [b for b in blocks if 'class="invalid"' in b]
    assert len(marked) == 1, blocks
    return marked[0]


def test_the_office_sees_the_rename_and_retire_forms_and_others_do_not(site: ChangeSite) -> None:
    html = site.client("office_admin").get(URL).text
    for action in ("rename", "retire"):
        assert 'name="csrftoken"' in html.split(f'action="{URL}/{action}"')[1].split("</form>")[0]
    assert "单位改名" in html and "停用单位" in html and "承接单位" in html and 'value="2025"' in html
    assert "<th>状态</th>" in html and "<td>在用</td>" in html
    leader = site.client("leader").get(URL).text
    assert "单位改名" not in leader and "停用单位" not in leader and "<td>在用</td>" in leader


def test_the_office_renames_a_unit_and_its_filler_keeps_its_work(site: ChangeSite) -> None:
    unit_id = site.unit_id()
    client = site.client("office_admin")
    response = post(client, f"{URL}/rename", {"unit": OLD, "new_name": NEW})
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert f"已改名为“{NEW}”，原名称已留作别名" in page
    rows = site.rows()
    assert OLD not in rows and OLD in rows[NEW].aliases and rows[NEW].indicators > 0
    assert site.unit_id() == unit_id and site.events("unit.rename") == (1, 1)
    with site.workspace.session() as session:
        row = session.scalars(select(AuditLog).where(AuditLog.action == "unit.rename")).one()
    assert row.actor == "office_admin" and row.before is not None and row.before["name"] == OLD
    assert row.after is not None and row.after["name"] == NEW and OLD in row.after["aliases"]
    tasks = site.client("filler").get(f"/units/{unit_id}/tasks", params={"year": 2024})
    assert tasks.status_code == 200 and f"{NEW} · 2024 年度监测数据填报任务" in tasks.text


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"unit": NEW, "new_name": HEIR}, "new_name", f"单位“{HEIR}”已使用名称“{HEIR}”，未改名"),
    ({"unit": "区火星局", "new_name": "区金星局"}, "unit", "没有名为“区火星局”的成员单位"),
    ({"unit": NEW, "new_name": " "}, "new_name", "单位名称为空"),
])
def test_a_refused_rename_is_explained_by_its_field_and_stores_nothing(
        site: ChangeSite, data: dict[str, str], field: str, message: str) -> None:
    before, events = site.rows(), site.events("unit.rename")
    response = post(site.client("office_admin"), f"{URL}/rename", data)
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert "未改名：请按提示更正标红的项目" in html and message in _by_field(html, field)
    assert site.rows() == before and site.events("unit.rename") == events


def test_retiring_a_unit_with_work_needs_a_successor(site: ChangeSite) -> None:
    before, events = site.rows(), site.events("unit.retire")
    response = post(site.client("office_admin"), f"{URL}/retire", {"unit": NEW, "successor": "", "year": "2025"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    block = _by_field(html, "successor")
    assert f"单位“{NEW}”仍有工作，未停用。填报指标" in block and "网页“承接单位”" in block
    assert re.search(r"填报指标\d+项：[CW]\d\d-\d\d ", block)
    # The page reads in Chinese: the command line's English clause is left out.
    assert "（catalogue export / import）</" in block and "name its successor" not in block
    assert "未停用：请按提示更正标红的项目" in html and f'<option value="{NEW}" selected>' in html
    assert site.rows() == before and site.events("unit.retire") == events


@pytest.mark.parametrize(("year", "message"), [
    ("2024", "已有2024年度的填报，停用年度应不早于2025年"),
    ("明年", "停用年度“明年”不是年份"),
])
def test_a_retirement_year_before_its_last_report_or_not_a_year_is_refused(
        site: ChangeSite, year: str, message: str) -> None:
    before = site.rows()
    response = post(site.client("office_admin"), f"{URL}/retire", {"unit": NEW, "successor": HEIR, "year": year})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in _by_field(response.text, "year")  # type: ignore[attr-defined]
    assert site.rows() == before


@pytest.mark.parametrize("role", ["leader", "filler", "unit_reviewer", "office_b", "sysadmin"])
def test_only_the_office_of_the_area_renames_or_retires(site: ChangeSite, role: str) -> None:
    client = site.client(role)
    before = site.rows()
    for action, data in (("rename", {"unit": NEW, "new_name": "区卫健委"}),
                         ("retire", {"unit": NEW, "successor": HEIR, "year": "2025"})):
        response = post(client, f"{URL}/{action}", data)
        assert response.status_code == 403 and "无权修改指标目录" in response.text  # type: ignore[attr-defined]
    assert site.rows() == before


def test_the_office_retires_the_unit_and_its_pages_close_for_later_years(site: ChangeSite) -> None:
    unit_id = site.unit_id()
    office = site.client("office_admin")
    response = post(office, f"{URL}/retire", {"unit": NEW, "successor": HEIR, "year": "2025"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = office.get(response.headers["location"]).text  # type: ignore[attr-defined]
    state = f"2025年度起停用，由{HEIR}承接"
    assert f"已停用“{NEW}”：{state}" in page and f'<tr class="retired"><td>{NEW}</td>' in page
    assert f"<td>{state}</td>" in page
    rows = site.rows()
    assert rows[NEW].retired_from == 2025 and (rows[NEW].targets, rows[NEW].indicators) == (0, 0)
    assert f'<option value="{NEW}"' not in page.split("停用单位")[1].split("</form>")[0], "not offered again"
    assert site.events("unit.retire") == (1, 1)

    filler = site.client("filler")
    later = filler.get(f"/units/{unit_id}/tasks", params={"year": 2025}).text
    assert f"本单位已于2025年度起停用，2025年度起的填报由“{HEIR}”承担" in later
    assert "在线填报 / 上传 Excel 模板" not in later and "已逾期" not in later
    form = filler.get(f"/units/{unit_id}/form", params={"year": 2025}).text
    assert 'id="retired"' in form and "检查并保存草稿" not in form and "下载本单位" not in form
    saved = post(filler, f"/units/{unit_id}/form", {"year": "2025"})
    assert saved.status_code == 409 and "本单位已于2025年度起停用" in saved.text  # type: ignore[attr-defined]
    assert filler.get(f"/units/{unit_id}/template", params={"year": 2025}).status_code == 400
    past = filler.get(f"/units/{unit_id}/tasks", params={"year": 2024}).text
    assert 'id="retired"' not in past and "查看数据" in past, "its 2024 report is still its own"
    with site.workspace.session() as session:
        assert session.scalar(select(func.count()).select_from(db.Submission)
                              .where(db.Submission.unit_id == unit_id, db.Submission.year >= 2025)) == 0


def test_no_new_account_for_a_retired_unit(site: ChangeSite) -> None:
    from planwatch.web.accounts import GrantRequest, RoleScopeError, resolve_grant

    with site.workspace.session() as session, pytest.raises(RoleScopeError, match="已于2025年度起停用"):
        resolve_grant(session, GrantRequest("filler", AREA_A, NEW))
