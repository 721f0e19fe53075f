"""The whole yearly round in a real browser: Debian's Chromium driven by Playwright against the
application served by uvicorn on 127.0.0.1, on a copy of the demo workspace.

A 填报员 logs in with its one-time password, is made to change it, finds its tasks, types a
figure the import refuses and sees the message beside the cell, fixes it, explains a warning and
saves; the 单位审核员 报送; the office returns it with a reason; the 填报员 sees the reason and
corrects; the 单位审核员 报送 again; the office approves; the target board loads; the office has a
report generated in the background, watches its progress and downloads it. Each step's page is
photographed when PLANWATCH_SHOTS names a folder (browser_support.shots_folder). What the office
approved is then read from a fresh session and compared with what was typed.

Skipped when Chromium or Playwright is missing, unless PLANWATCH_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import serve, shots_folder, skip_without_browser
from sqlalchemy import select

from planwatch.collect.catalogue import all_indicators
from planwatch.collect.history import series
from planwatch.demo import DemoSummary
from planwatch.store.models import Indicator, Observation, Submission, Unit
from planwatch.store.workspace import Workspace, open_workspace
from planwatch.web.app import create_app
from planwatch.web.demo_accounts import DEMO_UNIT, create_demo_accounts

AREA = "370103"
YEAR = 2025
"""Not yet reported by the demo's 区卫生健康局 (the form tests count on that too)."""
WRONG = "C01-04|total"
"""新生儿死亡率 (‰): typed with a decimal comma, which the import refuses."""
JUMP = "C01-27|total"
"""3岁以下儿童系统管理率 (%): first typed 30 points below its history, a warning to explain."""
NEW_PASSWORD = "Browser#Test2025"
STEP_MS = 8000


skip_without_browser()

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@dataclass
class Served:
    workspace: Workspace
    url: str
    passwords: dict[str, str]
    unit_id: int


@pytest.fixture(scope="module")
def served(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real application under uvicorn, in a thread, on a copy of the demo with its accounts."""
    path = tmp_path_factory.mktemp("browser") / "ws"
    shutil.copytree(demo.path, path)
    ws = open_workspace(path)
    passwords = {a.username: a.password for a in create_demo_accounts(ws, AREA)}
    with ws.session() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.area_code == AREA, Unit.name == DEMO_UNIT))
        assert unit_id is not None
    try:
        with serve(create_app(ws, secret="browser-test-" + "s" * 40), lifespan=True) as url:  # report worker
            yield Served(ws, url, passwords, unit_id)
    finally:
        ws.close()


class Camera:
    """The steps' screenshots, numbered in the order they were taken, in ``where`` (none when
    ``where`` is None: the steps are still counted). What a 1366×768 screen shows (the form and
    the boards are metres long as full pages); the tests scroll to the cell in question first."""

    def __init__(self, where: Path | None) -> None:
        self.where, self.count = where, 0

    def __call__(self, page: Page, name: str) -> None:
        self.count += 1
        if self.where is not None:
            page.screenshot(path=str(self.where / f"{self.count:02d}-{name}.png"))


def _typed(ws: Workspace, html_names: list[str]) -> dict[str, str]:
    """Every measurable total of the form, as a unit would type it: its last approved figure, rates
    as numerator and denominator (so no rate-without-counts warning)."""
    with ws.session() as session:
        specs = all_indicators(session)
        history = series(session, AREA, before_year=YEAR)
    out: dict[str, str] = {}
    for name in html_names:
        key = name[2:]
        if not key.endswith("|total"):
            continue
        spec = specs[key.split("|")[0]]
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


def _cell(page: Page, name: str) -> Any:
    """The form's table row holding the input ``name``."""
    return page.locator("tr", has=page.locator(f'input[name="{name}"]'))


def _fill(page: Page, values: dict[str, str]) -> None:
    for name, text in values.items():
        page.locator(f'input[name="{name}"]').fill(text)


_FILL_ALL = """values => {
    const problems = [];
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    for (const [name, text] of Object.entries(values)) {
        const found = document.querySelectorAll(`input[name="${CSS.escape(name)}"]`);
        const input = found[0];
        if (found.length !== 1) { problems.push(`${name}: ${found.length} inputs`); continue; }
        const style = getComputedStyle(input);
        if (!input.getClientRects().length || style.visibility !== "visible") { problems.push(`${name}: hidden`); }
        if (input.disabled || input.readOnly) { problems.push(`${name}: not editable`); }
        setter.call(input, text);
        input.dispatchEvent(new Event("input", {bubbles: true}));
        input.dispatchEvent(new Event("change", {bubbles: true}));
    }
    return problems;
}"""


def _fill_all(page: Page, values: dict[str, str]) -> None:
    """The whole form at once, as ``_fill`` would type it but in one call into the page: Playwright's
    ``fill`` costs a round trip and its checks per input (about 25 ms of Chromium CPU each, 1.7 s
    for the form), so the same checks (one input of that name, visible, enabled, not read-only)
    are made here for every input before its value is set and the input and change events fired.
    The figures the test is about are still typed one by one with ``_fill``."""
    problems = page.evaluate(_FILL_ALL, values)
    assert not problems, problems
    typed = page.locator('input[name^="v:"]').evaluate_all(
        "(els, names) => els.filter(e => names.includes(e.name)).map(e => [e.name, e.value])", list(values))
    assert dict(typed) == values


def _click_and_wait(page: Page, button: str) -> None:
    """Press a form's button and wait for the answer to be on screen. The pages are boosted by
    htmx (the POST goes by XHR and the body is swapped), so this waits for the POST's answer and
    then for the page to settle, not for a full navigation."""
    with page.expect_response(lambda r: r.request.method == "POST", timeout=STEP_MS) as answer:
        page.get_by_role("button", name=button, exact=True).click()
    answer.value.finished()
    page.wait_for_load_state("load", timeout=STEP_MS)


def _log_in(page: Page, served: Served, username: str) -> None:
    """Log in; on the first login the application insists on a new password first."""
    page.goto(f"{served.url}/login")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(served.passwords[username])
    _click_and_wait(page, "登录")
    if page.url.endswith("/password"):
        expect(page.get_by_text("首次登录或密码已被重置")).to_be_visible()
        page.locator('input[name="old_password"]').fill(served.passwords[username])
        page.locator('input[name="new_password"]').fill(NEW_PASSWORD)
        page.locator('input[name="confirm_password"]').fill(NEW_PASSWORD)
        _click_and_wait(page, "保存新密码")
        served.passwords[username] = NEW_PASSWORD


def _latest(ws: Workspace, unit_id: int) -> Submission:
    with ws.session() as session:
        sub = session.scalars(select(Submission).where(Submission.unit_id == unit_id, Submission.year == YEAR)
                              .order_by(Submission.revision.desc())).first()
        assert sub is not None
        session.expunge(sub)
        return sub


def test_a_year_round_in_chromium(served: Served, browser: Browser, tmp_path: Path) -> None:
    shot = Camera(shots_folder("browser"))
    ws, unit = served.workspace, served.unit_id
    form_url = f"{served.url}/units/{unit}/form?year={YEAR}"

    def new_page() -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        context.set_default_timeout(STEP_MS)
        return context.new_page()

    filler, reviewer, office = new_page(), new_page(), new_page()

    # 1. The 填报员: first login, forced password change, then its tasks.
    filler.goto(f"{served.url}/login")
    shot(filler, "login")
    filler.locator('input[name="username"]').fill("tianbao")
    filler.locator('input[name="password"]').fill(served.passwords["tianbao"])
    _click_and_wait(filler, "登录")
    assert filler.url.endswith("/password")
    expect(filler.get_by_role("heading", name="修改密码")).to_be_visible()
    shot(filler, "password")
    filler.locator('input[name="old_password"]').fill(served.passwords["tianbao"])
    filler.locator('input[name="new_password"]').fill(NEW_PASSWORD)
    filler.locator('input[name="confirm_password"]').fill(NEW_PASSWORD)
    _click_and_wait(filler, "保存新密码")
    served.passwords["tianbao"] = NEW_PASSWORD
    filler.goto(f"{served.url}/units/{unit}/tasks?year={YEAR}")
    expect(filler.get_by_role("heading", name=f"{DEMO_UNIT} · {YEAR} 年度监测数据填报任务")).to_be_visible()
    shot(filler, "tasks")

    # 2. The online form: a decimal comma is refused, the importer's message beside its cell.
    with filler.expect_navigation():
        filler.locator(f'a[href="/units/{unit}/form?year={YEAR}"]').first.click()
    expect(filler.get_by_role("heading", name=f"{DEMO_UNIT} · {YEAR} 年度在线填报")).to_be_visible()
    names = filler.locator('input[name^="v:"]').evaluate_all("els => els.map(e => e.name)")
    typed = _typed(ws, names)
    assert len(typed) > 10 and f"v:{WRONG}|numerator" in typed
    _fill_all(filler, typed)
    filler.locator(f'input[name="v:{WRONG}"]').fill("12,5")
    _click_and_wait(filler, "检查并保存草稿")
    expect(filler.locator("#message")).to_contain_text("处错误，请改正后再保存")
    wrong_row = _cell(filler, f"v:{WRONG}")
    expect(wrong_row.locator('[data-code="ambiguous-separator"]')).to_contain_text("逗号只能作千位分隔符")
    wrong_row.evaluate("row => row.scrollIntoView({block: 'center'})")
    shot(filler, "form-error")
    with ws.session() as session:
        assert session.scalar(select(Submission).where(Submission.unit_id == unit, Submission.year == YEAR)) is None

    # 3. Fixed, with one figure far from its history: saved; the warning asks for a 说明, given.
    jump = round(float(typed[f"v:{JUMP}|numerator"]) - 30, 2)
    filler.locator(f'input[name="v:{WRONG}"]').fill("")
    _fill(filler, {f"v:{JUMP}|numerator": str(jump), f"v:{JUMP}": str(jump)})
    _click_and_wait(filler, "检查并保存草稿")
    expect(filler.locator("#message")).to_have_text("已保存草稿")
    jump_row = _cell(filler, f"v:{JUMP}")
    expect(jump_row.locator('[data-code="year-on-year-jump"]')).to_contain_text("请核实")
    jump_row.evaluate("row => row.scrollIntoView({block: 'center'})")
    shot(filler, "form-warning")
    for note in filler.locator("input.needs-note").all():
        note.fill("托育机构统计口径调整，已核实")
    _click_and_wait(filler, "检查并保存草稿")
    expect(filler.locator("#message")).to_have_text("已保存草稿")
    expect(filler.locator(".summary")).to_contain_text("待说明的警告0")

    # 4. The 单位审核员 报送.
    _log_in(reviewer, served, "shenhe")
    reviewer.goto(form_url)
    _click_and_wait(reviewer, "报送")
    expect(reviewer.locator("#message")).to_have_text("已报送")
    expect(reviewer.locator(".summary .state")).to_have_text("已报送")
    shot(reviewer, "submitted")
    first = _latest(ws, unit)
    assert first.state == "submitted"

    # 5. The office opens it from its review list, sees the 说明, returns it with a reason.
    _log_in(office, served, "gongweiban")
    office.goto(f"{served.url}/areas/{AREA}/review?state=submitted")
    expect(office.get_by_role("heading", name="填报审核")).to_be_visible()
    with office.expect_navigation():
        office.locator(f'a[href="/review/{first.id}"]').first.click()
    expect(office.get_by_text("托育机构统计口径调整，已核实").first).to_be_visible()
    shot(office, "office-review")
    reason = "3岁以下儿童系统管理率下降过多，请核实后重报"
    office.locator('textarea[name="reason"]').fill(reason)
    _click_and_wait(office, "退回")
    expect(office).to_have_url(re.compile(rf"/areas/{AREA}/review\?state=returned&done={first.id}$"))
    expect(office.get_by_role("heading", name="填报审核")).to_be_visible()
    expect(office.locator("#message")).to_contain_text(f"已退回：区卫生健康局 {YEAR} 年")
    expect(office.locator("#message")).to_contain_text(f"（原因：{reason}）")
    assert _latest(ws, unit).state == "returned"

    # 6. The 填报员 sees the reason on its tasks and its form; corrects; saves.
    filler.goto(f"{served.url}/units/{unit}/tasks?year={YEAR}")
    expect(filler.get_by_text(f"退回原因：{reason}")).to_be_visible()
    shot(filler, "tasks-returned")
    filler.goto(form_url)
    expect(filler.get_by_text(f"退回原因：{reason}")).to_be_visible()
    fixed = round(jump + 29.5, 2)
    corrected = {f"v:{JUMP}|numerator": str(fixed), f"v:{JUMP}": str(fixed)}
    _fill(filler, corrected)
    _click_and_wait(filler, "检查并保存草稿")
    expect(filler.locator("#message")).to_have_text("已保存草稿")
    expect(_cell(filler, f"v:{JUMP}").locator('[data-code="year-on-year-jump"]')).to_have_count(0)
    shot(filler, "form-corrected")

    # 7. 报送 again; the office approves; the form is locked; the target board loads.
    reviewer.goto(form_url)
    _click_and_wait(reviewer, "报送")
    expect(reviewer.locator("#message")).to_have_text("已报送")
    latest = _latest(ws, unit)
    assert latest.state == "submitted" and latest.id != first.id
    office.goto(f"{served.url}/review/{latest.id}")
    _click_and_wait(office, "审定通过")
    expect(office).to_have_url(re.compile(rf"/areas/{AREA}/review\?done={latest.id}$"))
    expect(office.get_by_role("heading", name="填报审核")).to_be_visible()
    expect(office.locator("#message")).to_contain_text("已审定：区卫生健康局")
    shot(office, "approved")
    filler.goto(form_url)
    expect(filler.locator(".summary .state")).to_have_text("已审定")
    expect(filler.locator("#readonly")).to_contain_text("只能查看，不能修改")
    expect(filler.get_by_role("button", name="检查并保存草稿")).to_have_count(0)
    office.goto(f"{served.url}/boards/targets")
    expect(office.get_by_role("heading", name="目标监测看板")).to_be_visible()
    shot(office, "targets")

    # 8. The office has the year's compendium generated in the background, watches it, downloads it.
    office.goto(f"{served.url}/areas/{AREA}/reports")
    expect(office.get_by_role("heading", name="监测报告")).to_be_visible()
    office.select_option('select[name="kind"]', "compendium")
    office.locator('input[name="year"]').fill(str(YEAR))
    for fmt in ("docx", "pdf"):
        office.uncheck(f'input[name="formats"][value="{fmt}"]')
    office.check('input[name="formats"][value="xlsx"]')
    _click_and_wait(office, "生成")
    expect(office).to_have_url(re.compile(r"/reports/jobs/\d+$"))
    expect(office.locator("#job-state")).to_have_text("已完成", timeout=120_000)  # htmx polls the progress
    shot(office, "report-done")
    link = office.locator("ul.files a").first
    with office.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx" and "统计资料" in saved.name
    from openpyxl import load_workbook

    workbook = load_workbook(saved, read_only=True)
    assert workbook.sheetnames and any(ws.max_row and ws.max_row > 1 for ws in workbook.worksheets)
    workbook.close()

    # 9. A fresh session: the approved revision holds exactly what was typed.
    final = {**typed, **corrected}
    with ws.session() as session:
        stored = session.get(Submission, latest.id)
        assert stored is not None and stored.state == "approved" and stored.approved_by == "gongweiban"
        rows = {(code, breakdown): (value, num, den) for code, breakdown, value, num, den in session.execute(
            select(Indicator.code, Observation.breakdown, Observation.value, Observation.numerator,
                   Observation.denominator).join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Observation.submission_id == latest.id))}
    expected: set[tuple[str, str]] = set()
    for name, text in final.items():
        code, breakdown, *part = name[2:].split("|")
        value, num, den = rows[(code, breakdown)]
        expected.add((code, breakdown))
        if part == ["numerator"]:
            assert num == float(text), name
        elif part == ["denominator"]:
            assert den == float(text), name
        else:
            assert value == float(text), name
    assert set(rows) == expected
    assert shot.count >= 10
