"""`planwatch init` and `planwatch catalogue export/import` end to end."""

from __future__ import annotations

from pathlib import Path

import fast_yaml
from typer.testing import CliRunner

from planwatch.cli.main import app

JINAN = Path(__file__).resolve().parents[2] / "examples" / "plans" / "jinan-shizhong-2022-7.txt"
runner = CliRunner()


def test_init_export_edit_import(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = runner.invoke(app, ["init", str(ws), "--plan", str(JINAN)])
    assert result.exit_code == 0, result.output
    assert "主要目标 targets" in result.output and "139" in result.output

    again = runner.invoke(app, ["init", str(ws), "--plan", str(JINAN)])
    assert again.exit_code == 1
    assert "工作区已存在" in again.output

    out = tmp_path / "catalogue.yaml"
    result = runner.invoke(app, ["catalogue", "export", str(ws), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = fast_yaml.safe_load(out.read_text(encoding="utf-8"))
    code = next(i["code"] for i in data["indicators"] if i["name"] == "孕产妇死亡率")

    result = runner.invoke(app, ["catalogue", "import", str(ws), str(out)])
    assert result.exit_code == 0 and "没有变化" in result.output

    for ind in data["indicators"]:
        if ind["code"] == code:
            ind["definition"] = "每10万活产孕产妇死亡数"
    out.write_text(fast_yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["catalogue", "import", str(ws), str(out), "--actor", "张三"])
    assert result.exit_code == 0, result.output
    assert "已应用 1 处修改" in result.output

    for ind in data["indicators"]:
        if ind["code"] == code:
            ind["better"] = "sideways"
    out.write_text(fast_yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["catalogue", "import", str(ws), str(out)])
    assert result.exit_code == 1
    assert ".better" in result.output and "未做任何修改" in result.output


def test_init_rejects_unsupported_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "ws"), "--plan", str(JINAN), "--database-url", "mysql://x/y"])
    assert result.exit_code == 1
    assert "不支持的数据库" in result.output
    assert not (tmp_path / "ws").exists()
