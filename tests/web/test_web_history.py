"""Every value shows its history: each cell's revisions (value, who, when, state, 说明) in a
<details> panel on the unit's form, the office's review and the submission page.

The panel is plain HTML (it opens without JavaScript). The unit sees all its revisions; the
office sees only those that left the unit — a draft is the unit's own until it is submitted.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import AREA_A, Site, login, post

from planwatch.collect.catalogue import all_indicators
from planwatch.collect.history import cell_history, series
from planwatch.store.models import Submission

YEAR = 2025
CELL = "C01-04|total"
"""新生儿死亡率 (‰): 3.29 last year in the demo; typed as deaths per 1000 births."""
FIRST, SECOND, THIRD = "3.21", "3.17", "3.13"


def _client(site: Site, role: str) -> TestClient:
    client = site.client()
    assert login(client, role).status_code == 303  # type: ignore[attr-defined]
    return client


def _typed(site: Site, html: str) -> dict[str, str]:
    """Every measurable total of the form as its last approved figure (rates as counts)."""
    with site.workspace.session() as session:
        specs = all_indicators(session)
        history = series(session, AREA_A, before_year=YEAR)
    out: dict[str, str] = {}
    for key in re.findall(r'name="v:([^"|]+\|total)"', html):
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


def _panel(html: str, marker: str) -> str:
    """The history panel in the table row that holds ``marker`` (an input's name or a row's cells)."""
    at = html.index(marker)
    start = html.find('<details class="history">', at)
    if start < 0 or start > html.index("</tr>", at):
        return ""
    return html[start: html.index("</details>", start) + len("</details>")]


ROW = "<td>C01-04</td><td>新生儿死亡率</td><td>合计</td>"
"""The cells that open the row of the figure on the review and submission pages."""


def _latest_id(site: Site) -> int:
    with site.workspace.session() as session:
        sub = session.scalars(select(Submission).where(Submission.unit_id == site.units["U1"], Submission.year == YEAR)
                              .order_by(Submission.revision.desc())).first()
        assert sub is not None
        return sub.id


@pytest.fixture(scope="module")
def rounds(site: Site) -> dict[str, int]:
    """Two drafts; 报送; returned; a third figure; 报送 again: revisions 1 (draft, never sent),
    2 (returned) and 3 (submitted)."""
    unit = site.units["U1"]
    url = f"/units/{unit}/form"
    filler, reviewer, office = _client(site, "filler"), _client(site, "unit_reviewer"), _client(site, "office_admin")
    typed = _typed(site, filler.get(f"{url}?year={YEAR}").text)
    for value, note in ((FIRST, "初次填报"), (SECOND, "按医院年报更正")):
        site.clock.advance(seconds=30)
        data = {**typed, f"v:{CELL}|numerator": value, f"n:{CELL}": note, "year": str(YEAR)}
        assert post(filler, url, data).status_code == 303  # type: ignore[attr-defined]
    assert post(reviewer, f"{url}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
    second = _latest_id(site)
    assert post(office, f"/review/{second}/return", {"reason": "请再核实"}).status_code == 303  # type: ignore[attr-defined]
    site.clock.advance(seconds=30)
    data = {**typed, f"v:{CELL}|numerator": THIRD, f"n:{CELL}": "与卫健统计年报一致", "year": str(YEAR)}
    assert post(filler, url, data).status_code == 303  # type: ignore[attr-defined]
    assert post(reviewer, f"{url}/submit", {"year": str(YEAR)}).status_code == 303  # type: ignore[attr-defined]
    return {"second": second, "third": _latest_id(site)}


def test_the_library_lists_a_cells_revisions_newest_first(site: Site, rounds: dict[str, int]) -> None:
    with site.workspace.session() as session:
        every = cell_history(session, AREA_A, site.units["U1"], YEAR)[("C01-04", "total")]
        sent = cell_history(session, AREA_A, site.units["U1"], YEAR, drafts=False)[("C01-04", "total")]
    assert [(h.revision, h.state, h.note, h.by, h.numerator, h.denominator) for h in every] == [
        (3, "submitted", "与卫健统计年报一致", "filler", float(THIRD), 1000),
        (2, "returned", "按医院年报更正", "filler", float(SECOND), 1000),
        (1, "draft", "初次填报", "filler", float(FIRST), 1000),
    ]
    assert [h.value for h in every] == pytest.approx([float(THIRD), float(SECOND), float(FIRST)])
    assert [h.revision for h in sent] == [3, 2]
    assert every[0].at > every[1].at > every[2].at


def test_the_unit_sees_every_revision_of_each_cell_on_its_form(site: Site, rounds: dict[str, int]) -> None:
    html = _client(site, "filler").get(f"/units/{site.units['U1']}/form?year={YEAR}").text
    panel = _panel(html, f'name="v:{CELL}"')
    assert "历史（3 版）" in panel
    for text in (FIRST, SECOND, THIRD, "初次填报", "按医院年报更正", "与卫健统计年报一致", "草稿", "已退回", "已报送",
                 "第 3 版（本版）", "filler"):
        assert text in panel, text
    assert panel.index(THIRD) < panel.index(SECOND) < panel.index(FIRST)  # newest first
    # Every other typed cell has its panel too (the same figure three times over).
    assert html.count('<details class="history">') >= len(re.findall(r'name="v:[^"|]+\|total"', html)) - 5


def test_the_office_sees_what_left_the_unit(site: Site, rounds: dict[str, int]) -> None:
    office = _client(site, "office_admin")
    review = office.get(f"/review/{rounds['third']}").text
    panel = _panel(review, ROW)
    assert "历史（2 版）" in panel and THIRD in panel and SECOND in panel and "已退回" in panel
    assert FIRST not in panel and "初次填报" not in panel and "草稿" not in panel
    shown = office.get(f"/submissions/{rounds['third']}").text
    panel = _panel(shown, ROW)
    assert "历史（2 版）" in panel and FIRST not in panel
    # The unit's own view of the same page includes its draft.
    own = _client(site, "filler").get(f"/submissions/{rounds['third']}").text
    assert FIRST in _panel(own, ROW)
