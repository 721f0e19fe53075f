"""`planwatch evaluation template / import / list`, end to end into the midterm report.

A unit's workbook is written by the CLI, filled as the unit would, imported by the CLI
(exit code and report), listed, and then `planwatch report midterm` must print those
self-evaluations in the Word document, read back with python-docx.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook
from seed_workspaces import SeedWorkspaces
from typer.testing import CliRunner

from planwatch.cli.main import app
from planwatch.collect.selfeval import layout as L

SEEDS = sorted((Path(__file__).resolve().parents[2] / "examples" / "plans").iterdir())
WIDE = {"COLUMNS": "250"}
JINAN_WOMEN = "济南市市中区“十四五”妇女发展规划"


def _invoke(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args], env=WIDE)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def workspace(db_url: str, tmp_path: Path, seed_workspaces: SeedWorkspaces) -> Path:
    url = None if db_url.startswith("sqlite") else db_url
    return seed_workspaces.make(tmp_path / "ws", SEEDS, url)


def _fill(path: Path, out: Path, ratings: list[tuple[str | None, str | None]]) -> Path:
    wb = load_workbook(path)
    ws = wb[L.DATA_SHEET]
    for i, (rating, evidence) in enumerate(ratings):
        ws[f"F{L.FIRST_DATA_ROW + i}"] = rating
        ws[f"G{L.FIRST_DATA_ROW + i}"] = evidence
    wb.save(out)
    return out


def test_template_import_list_and_midterm_report(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "tpl"
    r = _invoke("evaluation", "template", workspace, "--cycle", "midterm", "--unit", "区妇联",
                "--area", "370103", "-o", out)
    assert r.exit_code == 0, r.output
    (tpl,) = out.iterdir()
    rows = load_workbook(tpl)[L.DATA_SHEET]
    n = rows.max_row - L.HEADER_ROW
    assert n == 11  # 区妇联 leads 11 qualitative targets in 市中区's two plans
    assert rows["E4"].value.startswith("加强思想政治教育")

    bad = _fill(tpl, tmp_path / "bad.xlsx", [("完成", "已落实。")] * (n - 1) + [("完成", None)])
    r = _invoke("evaluation", "import", workspace, bad, "--format", "json")
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["ok"] is False
    (error,) = report["files"][0]["errors"]
    assert (error["code"], error["sheet"], error["row"], error["column"]) == (
        "missing-evidence", L.DATA_SHEET, L.FIRST_DATA_ROW + n - 1, "G")

    ratings = [("完成", f"第{i}项：已印发专项工作方案。") for i in range(n)]
    ratings[0] = ("基本完成", "宣讲覆盖九成社区，余下社区下半年完成。")
    ratings[1] = ("未完成", "妇女经济参与评估机制尚在起草。")
    good = _fill(tpl, tmp_path / "good.xlsx", ratings)
    r = _invoke("evaluation", "import", workspace, good)
    assert r.exit_code == 0, r.output
    assert "新录入 11 项" in r.stdout

    r = _invoke("evaluation", "list", workspace, "--cycle", "midterm", "--unit", "区妇联",
                "--format", "json")
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)
    assert len(listed) == 11 and sorted({x["rating"] for x in listed}) == ["基本完成", "完成", "未完成"]
    r = _invoke("evaluation", "list", workspace, "--area", "370103")
    assert r.exit_code == 0 and "宣讲覆盖九成社区" in r.stdout

    reports = tmp_path / "reports"
    r = _invoke("report", "midterm", workspace, "--year", "2023", "--plan", JINAN_WOMEN,
                "--area", "370103", "--format", "docx", "-o", reports)
    assert r.exit_code == 0, r.output
    (doc_path,) = reports.glob("*妇女发展规划中期评估报告.docx")
    doc = docx.Document(str(doc_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    # 区妇联's targets in the women's plan: 妇女与教育(1), 妇女与经济(1), 参与决策(11), 家庭建设(1)(5)(8).
    assert "定性目标共有6项自评结果，其中完成4项、基本完成1项、未完成1项" in text
    (table,) = [t for t in doc.tables
                if [c.text for c in t.rows[0].cells] == ["领域", "目标", "牵头单位", "自评", "自评时间", "依据"]]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == 6
    assert ["妇女与经济", "鼓励支持妇女为推动经济高质量发展贡献力量，妇女平等参与经济发展的权利和机会得到保障。",
            "区妇联", "未完成", "中期评估", "妇女经济参与评估机制尚在起草。"] in body


def test_cli_errors_are_clear(workspace: Path, tmp_path: Path) -> None:
    r = _invoke("evaluation", "template", workspace, "--cycle", "mid", "--all-units")
    assert r.exit_code == 1 and "评估周期“mid”无效" in r.output
    r = _invoke("evaluation", "template", workspace, "--cycle", "final")
    assert r.exit_code == 1 and "--unit 或 --all-units" in r.output
    r = _invoke("evaluation", "template", workspace, "--cycle", "final", "--unit", "区妇联")
    assert r.exit_code == 1 and "多个地区" in r.output
    r = _invoke("evaluation", "template", workspace, "--cycle", "final", "--all-units",
                "--area", "370406", "-o", tmp_path / "all")
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert "自评_final_370406_区妇联.xlsx" in files and all("370406" in f for f in files)
    assert "无牵头单位" in r.output  # 山亭区 has qualitative targets with no lead unit
