"""Hostile command lines and files given to the ``planwatch`` command: a message, no traceback."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from forked_commands import ForkedInterpreter
from in_support import HEALTH, Catalogue, cat_any
from seed_workspaces import SeedWorkspaces

from planwatch.collect.documents import DocumentError, attach_document

__all__ = ["cat_any"]

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "plans" / "jinan-shizhong-2022-7.txt"


_INTERPRETER: list[ForkedInterpreter] = []


@pytest.fixture(scope="module", autouse=True)
def _interpreter() -> Iterator[None]:
    """Each command runs in its own process, forked from one interpreter that has imported the
    command line and the workspace layer once (tests/forked_commands.py): the start-up that every
    command shares is paid once, the command itself runs as it would from a shell."""
    env = {**os.environ, "COLUMNS": "200"}
    preload = ("planwatch.cli.main", "planwatch.cli.console", "planwatch.store.workspace", "planwatch.store.models")
    with ForkedInterpreter(env, preload) as forked:
        _INTERPRETER.append(forked)
        try:
            yield
        finally:
            _INTERPRETER.remove(forked)


def planwatch(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    code = "from planwatch.cli.main import run; run()"
    return _INTERPRETER[0].run(code, map(str, args), cwd=cwd, timeout=300)


def clean(done: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """Exit ``code``, no traceback, and every word in the output."""
    out = done.stdout + done.stderr
    assert done.returncode == code, out[-2000:]
    assert "Traceback" not in out and "File \"" not in out, out[-2000:]
    for word in words:
        assert word in out, out[-2000:]
    return out


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, seed_workspaces: SeedWorkspaces) -> Path:
    """What ``planwatch init WS --plan SEED`` leaves (copied from the run's seed workspace):
    the commands under test are the hostile ones, each run as a real command."""
    return seed_workspaces.make(tmp_path_factory.mktemp("cli") / "ws", [SEED])


def test_status_with_an_impossible_date(workspace: Path) -> None:
    clean(planwatch("status", workspace, "--year", "2023", "--as-of", "2023-13-45"), 1, "--as-of", "2023-13-45")


@pytest.mark.parametrize("year", ["99999999999", "-5", "0"])
def test_template_for_an_impossible_year(workspace: Path, tmp_path: Path, year: str) -> None:
    clean(planwatch("template", workspace, "--year", year, "--all-units", "-o", tmp_path), 2, "--year")
    assert list(tmp_path.iterdir()) == []


def test_assess_and_report_for_an_impossible_year(workspace: Path, tmp_path: Path) -> None:
    clean(planwatch("assess", workspace, "--year", "99999999999"), 2, "--year")
    clean(planwatch("report", "annual", workspace, "--year", "99999999999", "-o", tmp_path), 2, "--year")


def test_random_bytes_as_a_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(os.urandom(1_000_000))
    clean(planwatch("init", tmp_path / "ws", "--plan", plan), 1, "没有读到规划")
    assert not (tmp_path / "ws").exists()
    clean(planwatch("parse", plan), 1, "不是文本文件")


def test_parse_of_unreadable_pdf_and_docx(tmp_path: Path) -> None:
    pdf, docx = tmp_path / "bad.pdf", tmp_path / "bad.docx"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    docx.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    clean(planwatch("parse", pdf, docx), 1, "bad.pdf", "bad.docx")
    clean(planwatch("parse", SEED), 0)


def test_postgresql_unreachable_names_host_and_port_not_the_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://planner:Secr3tPassw0rd@127.0.0.1:1/planwatch"
    out = clean(planwatch("init", tmp_path / "ws", "--plan", SEED, "--database-url", url), 1,
                "无法连接 PostgreSQL", "127.0.0.1:1")
    assert "Secr3tPassw0rd" not in out


def test_catalogue_yaml_bomb_and_gbk(workspace: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb.write_text("\n".join([*lines, "indicators: []"]), encoding="utf-8")
    clean(planwatch("catalogue", "import", workspace, bomb), 1, "锚点")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("planwatch_catalogue: 1\nindicators: []\n# 注释：区卫生健康局\n".encode("gbk"))
    clean(planwatch("catalogue", "import", workspace, gbk), 0, "没有变化")


def test_import_of_hostile_files_names_each(workspace: Path, tmp_path: Path) -> None:
    bad_xml = tmp_path / "a.xlsx"
    bad_xml.write_bytes(b"PK\x03\x04garbage")
    inf_year = tmp_path / "b.csv"
    inf_year.write_text("地区代码,填报单位,年度,指标代码,分组,本年数值\n370103,区卫生健康局,inf,W01-01,合计,1\n",
                        encoding="utf-8")
    cr_only = tmp_path / "c.csv"
    cr_only.write_bytes("地区代码,填报单位,年度,指标代码,分组,本年数值\r370103,区卫生健康局,2023.9,X,合计,1\r"
                        .encode("gbk"))
    out = clean(planwatch("import", workspace, bad_xml, inf_year, cr_only, "--format", "json"), 1)
    assert '"unreadable-file"' in out and out.count('"invalid-year"') == 2


@pytest.mark.parametrize("content", [b"\xff\xfe" + "work report 2023".encode("utf-16-le"), b"report\x00with NUL"])
def test_document_with_nul_is_refused_on_every_backend(cat_any: Catalogue, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "总结.txt"
    path.write_bytes(content)
    with cat_any.factory() as s, s.begin(), pytest.raises(DocumentError, match="NUL"):
        attach_document(s, cat_any.unit(HEALTH), 2023, path, "hostile")
