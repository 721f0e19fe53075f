"""The online form and the office's review, end to end through the browser's requests.

A 填报员 types a figure the import would refuse and sees the import's own message beside the
cell; fixes it; explains a warning; saves. The 单位审核员 报送; the office returns it with a
reason, which the unit sees; the unit corrects; the office approves. What is stored then is
read from a fresh session and compared with what was typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from seed_workspaces import SeedWorkspaces
from sqlalchemy import select
from web_support import AREA_A, Site, login, post, threads_calling

from planwatch.collect import layout as L
from planwatch.collect.catalogue import all_indicators
from planwatch.collect.fill import Figure, fill_template
from planwatch.collect.history import series
from planwatch.store.models import Indicator, Observation, StoredProblem, Submission
from planwatch.web.form_data import FORM_FILE

YEAR = 2025
WRONG = "C01-04|total"
"""新生儿死亡率 (‰), typed with a decimal comma."""
JUMP = "C01-27|total"
"""3岁以下儿童系统管理率 (%), typed 30 points below its history."""


def _client(site: Site, role: str) -> TestClient:
    client = site.client()
    assert login(client, role).status_code == 303  # type: ignore[attr-defined]
    return client


def _cell(html: str, name: str) -> str:
    """The table row of the form that holds the input ``name``."""
    at = html.index(f'name="{name}"')
    return html[html.rindex("<tr", 0, at): html.index("</tr>", at)]


def _typed(site: Site) -> dict[str, str]:
    """Every measurable total, as a unit would type it: its last approved figure, rates as
    numerator and denominator (so no rate-without-counts warning)."""
    specs = all_indicators_of(site)
    with site.workspace.session() as session:
        history = series(session, AREA_A, before_year=YEAR)
        html = _client(site, "filler").get(f"/units/{site.units['U1']}/form?year={YEAR}").text
    out: dict[str, str] = {}
    for key in re.findall(r'name="v:([^"|]+\|total)"', html):
        code = key.split("|")[0]
        spec = specs[code]
        if not spec.measurable:
            continue
        found = history.get((spec.id, "total"))
        value = found[max(found)] if found else 1.0
        if spec.is_rate and spec.rate_base:
            out[f"v:{key}|numerator"] = str(value)
            out[f"v:{key}|denominator"] = str(int(spec.rate_base))
        else:
            out[f"v:{key}"] = str(value)
    return out


def all_indicators_of(site: Site) -> dict:  # type: ignore[type-arg]
    with site.workspace.session() as session:
        return all_indicators(session)


@pytest.fixture(scope="module")
def typed(site: Site) -> dict[str, str]:
    return _typed(site)


def test_fill_submit_return_correct_approve(site: Site, typed: dict[str, str]) -> None:
    unit = site.units["U1"]
    url = f"/units/{unit}/form"
    filler, reviewer, office = _client(site, "filler"), _client(site, "unit_reviewer"), _client(site, "office_admin")
    assert f'href="{url}?year={YEAR}"' in filler.get(f"/units/{unit}/tasks?year={YEAR}").text
    page = filler.get(f"{url}?year={YEAR}")
    assert page.status_code == 200 and "新生儿死亡率" in page.text and "上年数值" in page.text
    assert ">3.29<" in _cell(page.text, f"v:{WRONG}")  # last year's figure beside the cell
    # Last year's figures as typed: the demo's 1 doctor per centre is 1, not 1.0.
    last_years = re.findall(r'<td class="num">([^<]*)</td>\s*<td class="value">', page.text)
    assert "1" in last_years and not [f for f in last_years if re.fullmatch(r"-?\d+\.0", f)], " ".join(last_years)

    # 1. A value the import refuses: the importer's message, beside its cell; nothing stored.
    data = {**typed, "year": str(YEAR), f"v:{WRONG}": "12,5"}
    refused = post(filler, url, data)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    row = _cell(refused.text, f"v:{WRONG}")  # type: ignore[attr-defined]
    assert 'data-code="ambiguous-separator"' in row and "逗号只能作千位分隔符" in row
    with site.workspace.session() as session:
        assert session.scalar(select(Submission).where(Submission.unit_id == unit, Submission.year == YEAR)) is None

    # 2. Fixed, with one figure far from its history: saved, the warning waits for a 说明.
    numerator = float(typed[f"v:{JUMP}|numerator"]) - 30
    data = {**typed, "year": str(YEAR), f"v:{JUMP}|numerator": str(numerator), f"v:{JUMP}": str(numerator)}
    assert post(filler, url, data).status_code == 303  # type: ignore[attr-defined]
    page = filler.get(f"{url}?year={YEAR}").text
    row = _cell(page, f"v:{JUMP}")
    assert 'data-code="year-on-year-jump"' in row and "请核实" in row and "needs-note" in row
    early = post(reviewer, f"{url}/submit", {"year": str(YEAR)})
    assert early.status_code == 422 and "尚未填写说明" in early.text  # type: ignore[attr-defined]

    # 3. Every warned cell explained; saved again; the filler may not 报送, the reviewer does.
    warned = re.findall(r'name="n:([^"]+)" value=""[^>]*class="needs-note"', page)
    assert f"{JUMP}" in warned
    notes = {f"n:{key}": "托育机构统计口径调整，已核实" for key in warned}
    assert post(filler, url, {**data, **notes}).status_code == 303  # type: ignore[attr-defined]
    assert post(filler, f"{url}/submit", {"year": str(YEAR)}).status_code == 403  # type: ignore[attr-defined]
    assert post(reviewer, f"{url}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
    with site.workspace.session() as session:
        sub = session.scalars(select(Submission).where(Submission.unit_id == unit, Submission.year == YEAR)
                              .order_by(Submission.revision.desc())).first()
        assert sub is not None and sub.state == "submitted" and sub.source_file == FORM_FILE
        sub_id = sub.id

    # 4. The office sees it, with the warning and its 说明, and returns it with a reason.
    assert f'href="/areas/{AREA_A}/review?year=' in office.get(f"/areas/{AREA_A}/progress").text
    listing = office.get(f"/areas/{AREA_A}/review?state=submitted").text
    assert f'href="/review/{sub_id}"' in listing
    detail = office.get(f"/review/{sub_id}").text
    assert "较上年变化异常" in detail and "year-on-year-jump" in detail  # the kind in Chinese, then its id
    assert "托育机构统计口径调整，已核实" in detail and "与上年比较" in detail
    compared = detail.split("与上年比较", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>'
                      r'<td class="num">([^<]*)</td>', compared)
    assert rows
    for this_year, last_year, shown in rows:
        # Figures as typed (never 1.0), and the change in points for a rate, per cent otherwise.
        assert not re.fullmatch(r"-?\d+\.0", this_year) and not re.fullmatch(r"-?\d+\.0", last_year)
        assert re.fullmatch(r"持平|无上年数|上年为 0|[+-]<0\.1%|[+-]\d+\.\d%|[+-][\d.]+个[百千]分点", shown), shown
    assert post(office, f"/review/{sub_id}/return", {"reason": "  "}).status_code == 400  # type: ignore[attr-defined]
    reason = "3岁以下儿童系统管理率下降过多，请核实后重报"
    assert post(office, f"/review/{sub_id}/return", {"reason": reason}).status_code == 303  # type: ignore[attr-defined]
    assert f"退回原因：{reason}" in filler.get(f"/units/{unit}/tasks?year={YEAR}").text
    assert f"退回原因：{reason}" in filler.get(f"{url}?year={YEAR}").text

    # 5. Corrected (the figure now fits its history, no 说明 needed), 报送 again, approved.
    corrected = {**typed, "year": str(YEAR), f"v:{JUMP}|numerator": str(numerator + 29.5),
                 f"v:{JUMP}": str(numerator + 29.5)}
    assert post(filler, url, corrected).status_code == 303  # type: ignore[attr-defined]
    assert post(reviewer, f"{url}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
    with site.workspace.session() as session:
        latest = session.scalars(select(Submission).where(Submission.unit_id == unit, Submission.year == YEAR)
                                 .order_by(Submission.revision.desc())).first()
        assert latest is not None and latest.state == "submitted" and latest.id != sub_id
        latest_id = latest.id
    assert post(office, f"/review/{latest_id}/approve").status_code == 303  # type: ignore[attr-defined]
    locked = post(filler, url, corrected)
    assert locked.status_code == 409 and "不能修改" in locked.text  # type: ignore[attr-defined]
    shown = filler.get(f"{url}?year={YEAR}")  # type: ignore[attr-defined]
    # The approved form is shown read-only: no error count, no save button, a notice instead.
    assert shown.status_code == 200 and 'id="readonly"' in shown.text and "联系工委办解锁" in shown.text
    assert "检查并保存草稿" not in shown.text and '<span class="label">错误</span>' not in shown.text

    # 6. A fresh session: the approved revision holds exactly what was typed.
    specs = all_indicators_of(site)
    with site.workspace.session() as session:
        stored = session.get(Submission, latest_id)
        assert stored is not None and stored.state == "approved" and stored.approved_by == "office_admin"
        rows = {(code, breakdown): (value, num, den) for code, breakdown, value, num, den in session.execute(
            select(Indicator.code, Observation.breakdown, Observation.value, Observation.numerator,
                   Observation.denominator).join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Observation.submission_id == latest_id))}
        assert not session.scalars(select(StoredProblem).where(StoredProblem.submission_id == latest_id,
                                                               StoredProblem.severity == "error")).first()
    expected: set[tuple[str, str]] = set()
    for name, text in corrected.items():
        if not name.startswith("v:"):
            continue
        code, breakdown, *part = name[2:].split("|")
        value, num, den = rows[(code, breakdown)]
        if part == ["numerator"]:
            assert num == float(text)
            expected.add((code, breakdown))
        elif part == ["denominator"]:
            assert den == float(text)
            assert value == pytest.approx(rows[(code, breakdown)][1] / den * specs[code].rate_base)
        else:
            assert value == float(text)
            expected.add((code, breakdown))
    assert set(rows) == expected


def test_the_form_counts_as_one_more_source_of_the_same_problems(site: Site, typed: dict[str, str]) -> None:
    """A negative figure and an empty required total: the import's ids, at their cells."""
    filler = _client(site, "filler")
    url = f"/units/{site.units['U2']}/form"
    page = filler.get(f"{url}?year={YEAR}")
    assert page.status_code == 403  # another unit's form
    url = f"/units/{site.units['U1']}/form"
    data = {**typed, "year": str(YEAR + 1), f"v:{JUMP}|numerator": "-3", f"v:{WRONG}|numerator": "",
            f"v:{WRONG}|denominator": ""}
    refused = post(filler, url, data)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'data-code="missing-required"' in _cell(refused.text, f"v:{WRONG}")  # type: ignore[attr-defined]
    assert 'data-code="negative-value"' in _cell(refused.text, f"v:{JUMP}")  # type: ignore[attr-defined]


def _figures(typed: dict[str, str]) -> dict[tuple[str, str], Figure]:
    parts: dict[tuple[str, str], dict[str, str]] = {}
    for name, text in typed.items():
        if name.startswith("v:"):
            code, breakdown, *field = name[2:].split("|")
            parts.setdefault((code, breakdown), {})[field[0] if field else "value"] = text
    return {key: Figure(**{k: float(v) for k, v in fields.items()}) for key, fields in parts.items()}


def _upload(client: TestClient, unit: int, year: int, path: Path) -> Any:
    token = client.cookies.get("csrftoken")
    # asgi-csrf reads the multipart body up to the file: the token must come first (httpx sends data first).
    return client.post(f"/units/{unit}/upload", data={"csrftoken": token, "year": str(year)},
                       files={"file": (path.name, path.read_bytes(), "application/octet-stream")})


def test_excel_upload_previews_then_stores_only_on_confirmation(site: Site, typed: dict[str, str],
                                                                 tmp_path: Path) -> None:
    unit, year = site.units["U1"], YEAR + 2
    filler = _client(site, "filler")
    filler.get(f"/units/{unit}/form?year={year}")  # a page first: the browser then holds its CSRF cookie
    download = filler.get(f"/units/{unit}/template?year={year}")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    template = tmp_path / "template.xlsx"
    template.write_bytes(download.content)

    def stored() -> int:
        with site.workspace.session() as session:
            return len(session.scalars(select(Submission).where(Submission.unit_id == unit,
                                                                Submission.year == year)).all())

    figures = _figures(typed)
    wrong = fill_template(template, {**figures, (WRONG.split("|")[0], "total"): Figure(value="12,5")},
                          tmp_path / "wrong.xlsx")
    refused = _upload(filler, unit, year, wrong)
    assert refused.status_code == 422 and "ambiguous-separator" in refused.text and "未保存" in refused.text
    place = re.search(
        r"ambiguous-separator</small></td><td>[^<]*</td>\s*<td>([^<]*)</td><td>(\d+)</td><td>([A-Z]+)</td>",
        refused.text)
    assert place is not None and place.group(1) == L.DATA_SHEET  # sheet, row and column of the cell
    assert 'name="token"' not in refused.text and stored() == 0
    assert not any((site.workspace.path / "web_uploads").glob("*/*"))

    good = fill_template(template, figures, tmp_path / "good.xlsx")
    shown = _upload(filler, unit, year, good)
    assert shown.status_code == 200 and "校验通过，尚未保存" in shown.text and "新增" in shown.text
    assert "将保存为第 1 版草稿" in shown.text
    previewed = re.findall(r'<td class="num">([^<]*)</td>', shown.text)  # as typed: 1000, never 1000.0
    assert previewed and not [f for f in previewed if re.fullmatch(r"-?\d+\.0", f)], " ".join(previewed)
    token = re.search(r'name="token" value="([^"]+)"', shown.text)
    assert token is not None and stored() == 0
    assert post(site.client(), f"/units/{unit}/upload/confirm", {"token": token.group(1)}).status_code == 303  # type: ignore[attr-defined]
    assert stored() == 0  # a client without login is sent away before anything happens
    other = _client(site, "unit_reviewer")
    other.get("/login")
    assert post(other, f"/units/{unit}/upload/confirm", {"token": token.group(1)}).status_code == 409  # type: ignore[attr-defined]
    assert post(filler, f"/units/{unit}/upload/confirm", {"token": token.group(1)}).status_code == 303  # type: ignore[attr-defined]
    assert stored() == 1
    assert post(filler, f"/units/{unit}/upload/confirm", {"token": token.group(1)}).status_code == 409  # type: ignore[attr-defined]
    with site.workspace.session() as session:
        sub = session.scalars(select(Submission).where(Submission.unit_id == unit, Submission.year == year)).one()
        assert sub.state == "draft" and sub.created_by == "filler"
        values = dict(session.execute(select(Indicator.code, Observation.numerator)
                                      .join(Indicator, Indicator.id == Observation.indicator_id)
                                      .where(Observation.submission_id == sub.id, Observation.breakdown == "total")
                                      ).all())
    assert values[JUMP.split("|")[0]] == float(typed[f"v:{JUMP}|numerator"])


def test_saving_and_uploading_do_their_database_work_off_the_event_loop(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The posted form or file is read on the event loop, the checks and writes run in the thread
    pool: run on the loop, one unit's save or upload would hold up every other request."""
    from planwatch.web import routes_form

    threads = threads_calling(monkeypatch, routes_form, "empty_form")
    unit, year = site.units["U1"], YEAR + 3
    filler = _client(site, "filler")
    filler.get(f"/units/{unit}/form?year={year}")
    threads.clear()
    saved = post(filler, f"/units/{unit}/form", {"year": str(year), f"v:{WRONG}": "12,5"})  # type: ignore[attr-defined]
    assert saved.status_code == 422  # an error: nothing stored
    not_a_workbook = tmp_path / "not-a-workbook.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 not a workbook")
    assert _upload(filler, unit, year, not_a_workbook).status_code == 422
    assert threads and set(threads) == {"thread pool"}, threads


def test_a_file_before_the_csrf_token_is_refused(site: Site, tmp_path: Path) -> None:
    """The rule asgi-csrf keeps for multipart bodies still holds with the parser shim."""
    filler = _client(site, "filler")
    filler.get(f"/units/{site.units['U1']}/form?year={YEAR}")
    token = filler.cookies.get("csrftoken")
    boundary = "pwboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrftoken\"\r\n\r\n{token}\r\n"
            f"--{boundary}--\r\n").encode()
    refused = filler.post(f"/units/{site.units['U1']}/upload", content=body,
                          headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert refused.status_code == 403 and "CSRF" in refused.text


def _row_of(html: str, row_id: str) -> str:
    start = html.index(f'<tr id="{row_id}"')
    return html[start: html.index("</tr>", start)]


def test_a_saved_rate_shows_its_value_and_directional_rows_are_text(site: Site, typed: dict[str, str]) -> None:
    """A rate typed as 分子/分母 shows the value computed from them once saved; an indicator with no
    number to enter (a directional target) is a line of text, not inputs."""
    unit, year = site.units["U1"], YEAR + 3
    filler = _client(site, "filler")
    assert post(filler, f"/units/{unit}/form", {**typed, "year": str(year)}).status_code == 303  # type: ignore[attr-defined]
    html = filler.get(f"/units/{unit}/form?year={year}").text
    specs = all_indicators_of(site)
    expected = float(typed[f"v:{JUMP}|numerator"]) / float(typed[f"v:{JUMP}|denominator"]) \
        * specs[JUMP.split("|")[0]].rate_base
    row = _cell(html, f"v:{JUMP}")
    shown = re.search(r'data-derived="([^"]+)"', row)
    assert shown is not None and float(shown.group(1)) == pytest.approx(expected, rel=1e-5)
    assert f"已保存：{shown.group(1)}" in row
    assert f'name="v:{JUMP}|numerator" value="{typed[f"v:{JUMP}|numerator"]}"' in row
    directional = re.findall(r'<tr id="(cell-\d+)" class="directional">', html)
    assert directional, "the demo catalogue assigns the unit directional indicators"
    for row_id in directional:
        text = _row_of(html, row_id)
        assert "方向性指标，无需填报数值" in text
        assert not re.search(r'<input (?![^>]*type="hidden")', text)  # nothing to type in


def test_form_and_review_on_each_database(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> None:
    """A fresh workspace on SQLite and PostgreSQL: fill, save, 报送, return, correct, approve, unlock."""
    from web_support import Clock, add_account

    from planwatch.store.models import Unit
    from planwatch.store.workspace import open_workspace
    from planwatch.web.app import create_app
    from planwatch.web.permissions import Grant

    plans = Path(__file__).resolve().parents[2] / "examples" / "plans"
    url = None if db_url.startswith("sqlite") else db_url
    ws = open_workspace(seed_workspaces.make(tmp_path / "ws", [plans / "jinan-shizhong-2022-7.txt"], url))
    try:
        with ws.session() as session:
            unit = session.scalar(select(Unit).where(Unit.name == "区卫生健康局"))
            assert unit is not None
            unit_id, area = unit.id, unit.area_code
        add_account(ws, "filler", Grant("filler", area, unit_id))
        add_account(ws, "checker", Grant("unit_reviewer", area, unit_id))
        add_account(ws, "office", Grant("office_admin", area))
        app = create_app(ws, clock=Clock(), secret="d" * 40)

        def client(username: str) -> TestClient:
            c = TestClient(app, follow_redirects=False)
            assert login(c, username).status_code == 303  # type: ignore[attr-defined]
            return c

        filler, checker, office = client("filler"), client("checker"), client("office")
        form = f"/units/{unit_id}/form"
        html = filler.get(f"{form}?year={YEAR}").text
        with ws.session() as session:
            specs = all_indicators(session)
        data: dict[str, str] = {"year": str(YEAR)}
        for key in re.findall(r'name="v:([^"|]+\|total)"', html):
            spec = specs[key.split("|")[0]]
            if spec.is_rate and spec.rate_base:
                data[f"v:{key}|numerator"] = "45"
                data[f"v:{key}|denominator"] = "100" if spec.rate_base == 100 else "1000"
            else:
                data[f"v:{key}"] = "12"

        def save(extra: dict[str, str]) -> None:
            answer = post(filler, form, {**data, **extra})
            assert answer.status_code == 303, re.findall(r'data-code="([^"]+)"', answer.text)  # type: ignore[attr-defined]
            page = filler.get(f"{form}?year={YEAR}").text
            warned = re.findall(r'name="(n:[^"]+)" value=""[^>]*class="needs-note"', page)
            if warned:
                data.update({name: "已核实" for name in warned})
                assert post(filler, form, {**data, **extra}).status_code == 303  # type: ignore[attr-defined]

        def latest() -> Submission:
            with ws.session() as session:
                sub = session.scalars(select(Submission).where(Submission.unit_id == unit_id, Submission.year == YEAR)
                                      .order_by(Submission.revision.desc())).first()
                assert sub is not None
                session.expunge(sub)
                return sub

        save({})
        assert post(checker, f"{form}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
        first = latest()
        assert first.state == "submitted"
        assert "与上年比较" in office.get(f"/review/{first.id}").text
        returned = post(office, f"/review/{first.id}/return", {"reason": "请核实"})
        assert returned.status_code == 303  # type: ignore[attr-defined]
        assert "已退回" in office.get(returned.headers["location"]).text  # type: ignore[attr-defined]
        assert "退回原因：请核实" in filler.get(f"{form}?year={YEAR}").text
        code = next(k for k in data if k.startswith("v:") and "|numerator" not in k and "|denominator" not in k)
        save({code: "13"})
        assert post(checker, f"{form}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
        second = latest()
        approved = post(office, f"/review/{second.id}/approve")
        assert "已审定" in office.get(approved.headers["location"]).text  # type: ignore[attr-defined]
        assert latest().state == "approved"
        assert post(filler, form, data).status_code == 409  # type: ignore[attr-defined]
        assert post(office, f"/review/{second.id}/unlock", {"reason": "更正"}).status_code == 303  # type: ignore[attr-defined]
        assert latest().state == "returned"
        page = filler.get(f"{form}?year={YEAR}").text
        assert 'id="unlocked"' in page and "解锁原因：更正" in page
        # The corrected cell's history: 13 (this revision) and 12 (the one returned first).
        at = page.index(f'name="{code}"')
        panel = page[page.index('<details class="history">', at):]
        panel = panel[: panel.index("</details>")]
        assert re.search(r"历史（\d+ 版）", panel) and ">13<" in panel and ">12<" in panel and "已退回" in panel
    finally:
        ws.close()


def _unit_state(board: str, unit_name: str) -> str:
    """The 状态 cell of a unit's row in the progress board's 各单位报送率 table."""
    table = board[board.index('<table class="by-unit">'):]
    row = re.search(rf"<td>{re.escape(unit_name)}</td><td><span class=\"state[^\"]*\">([^<]+)</span>", table)
    assert row, f"no row for {unit_name}"
    return row.group(1)


def test_the_boards_follow_every_save_submit_and_approval(site: Site, typed: dict[str, str]) -> None:
    """The boards an office keeps open during the deadline are never stale: each save, 报送 and
    审定通过 made through the pages shows on the next view, on the same application (whose
    assessments and board parts are kept between requests)."""
    year = YEAR + 1
    unit = site.units["U1"]
    url = f"/units/{unit}/form"
    filler, reviewer, office = _client(site, "filler"), _client(site, "unit_reviewer"), _client(site, "office_admin")
    progress = f"/boards/progress?area={AREA_A}&year={year}"
    targets = f"/boards/targets?area={AREA_A}"
    assert _unit_state(office.get(progress).text, "区卫生健康局") == "未填报"
    before = office.get(targets).text  # fills the kept assessment and board parts
    as_of = re.search(r"截至 (\d+) 年", before)
    assert as_of is not None and int(as_of.group(1)) < year and f"{year} 待审定" not in before
    assert "本单位牵头的目标" in filler.get(f"/units/{unit}/tasks?year={year}").text  # the unit's part too

    data = {**typed, "year": str(year)}
    assert post(filler, url, data).status_code == 303  # type: ignore[attr-defined]
    warned = re.findall(r'name="n:([^"]+)" value=""[^>]*class="needs-note"', filler.get(f"{url}?year={year}").text)
    if warned:
        data.update({f"n:{key}": "已核实" for key in warned})
        assert post(filler, url, data).status_code == 303  # type: ignore[attr-defined]
    assert _unit_state(office.get(progress).text, "区卫生健康局") == "填报中"

    assert post(reviewer, f"{url}/submit", {"year": str(year)}).status_code == 303  # type: ignore[attr-defined]
    assert _unit_state(office.get(progress).text, "区卫生健康局") == "已报送"
    pending = office.get(targets).text
    assert f"{year} 待审定" in pending and as_of.group(0) in pending  # submitted: marked, not counted
    assert f"{year} 待审定" in filler.get(f"/units/{unit}/targets").text

    with site.workspace.session() as session:
        sub_id = session.scalars(select(Submission.id).where(Submission.unit_id == unit, Submission.year == year)
                                 .order_by(Submission.revision.desc())).first()
    assert post(office, f"/review/{sub_id}/approve").status_code == 303  # type: ignore[attr-defined]
    assert _unit_state(office.get(progress).text, "区卫生健康局") == "已审定"
    approved = office.get(targets).text
    assert f"截至 {year} 年" in approved and f"{year} 待审定" not in approved
    led = filler.get(f"/units/{unit}/tasks?year={year}").text
    assert f"本单位牵头的目标（截至 {year} 年" in led
