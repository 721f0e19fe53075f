"""`planwatch parse` and `planwatch schema` through Typer's test runner.

The JSON output is checked against the JSON Schema the command itself publishes, so the
documented format, the schema and the real output cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from typer.testing import CliRunner

from planwatch.cli.main import app

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "plans"
JINAN = SEEDS / "jinan-shizhong-2022-7.txt"
GAZETTE = SEEDS / "shanting-gazette-2022-1.md"
WIDE = {"COLUMNS": "200"}  # Rich would otherwise wrap at 80 columns in the runner


def _invoke(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args], env=WIDE)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = _invoke("schema", "catalogue")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture(scope="module")
def seeds_json() -> dict[str, Any]:
    result = _invoke("parse", JINAN, GAZETTE, "--format", "json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture(scope="module")
def jinan_json() -> dict[str, Any]:
    result = _invoke("parse", JINAN, "--format", "json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# --- schema -------------------------------------------------------------------------------


def test_schema_is_a_valid_json_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert set(schema["properties"]) == {"plans", "warnings", "quality"}
    defs = schema["$defs"]
    assert {"Plan", "Domain", "Target", "Measure", "Indicator", "Direction"} <= set(defs)
    assert set(defs["Indicator"]["properties"]["comparator"]["enum"]) == {
        "<=", "<", ">=", ">", "=", "~", "maintain"
    }  # fmt: skip
    assert set(defs["Direction"]["properties"]["direction"]["enum"]) == {
        "increase", "decrease", "maintain", "eliminate"
    }  # fmt: skip


def test_schema_default_name_is_catalogue(schema: dict[str, Any]) -> None:
    result = _invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema


def test_unknown_schema_is_refused() -> None:
    result = _invoke("schema", "nope")
    assert result.exit_code != 0
    assert "未知的 schema" in result.output
    assert "catalogue" in result.output


def test_schema_rejects_what_the_format_does_not_allow(schema: dict[str, Any], seeds_json: dict[str, Any]) -> None:
    """The schema is strict enough to catch a wrong comparator or an unknown field."""
    validator = Draft202012Validator(schema)
    target = seeds_json["plans"][0]["domains"][0]["targets"][1]
    indicator = target["indicators"][0]
    bad_comparator = json.loads(json.dumps(seeds_json))
    bad_comparator["plans"][0]["domains"][0]["targets"][1]["indicators"][0]["comparator"] = "≈"
    extra_field = json.loads(json.dumps(seeds_json))
    extra_field["plans"][0]["domains"][0]["targets"][1]["owner"] = "x"
    bad_subject = json.loads(json.dumps(seeds_json))
    bad_subject["plans"][0]["subject"] = "elderly"
    for broken in (bad_comparator, extra_field, bad_subject):
        with pytest.raises(ValidationError):
            validator.validate(broken)
    assert indicator["comparator"] == "<="


# --- json -------------------------------------------------------------------------------


def test_json_validates_against_the_published_schema(schema: dict[str, Any], seeds_json: dict[str, Any]) -> None:
    Draft202012Validator(schema).validate(seeds_json)


def test_json_has_the_documented_shape(seeds_json: dict[str, Any]) -> None:
    assert set(seeds_json) == {"plans", "warnings", "quality"}
    assert [q["title"] for q in seeds_json["quality"]] == [p["title"] for p in seeds_json["plans"]]
    plan = seeds_json["plans"][0]
    assert set(plan) == {
        "title", "issuer", "doc_number", "date", "region", "subject", "period", "domains"
    }  # fmt: skip
    assert plan["date"] == "2022-11-08"
    assert plan["period"] == {"start": 2021, "end": 2025}
    domain = plan["domains"][0]
    assert set(domain) == {"name", "targets", "measures"}
    target = domain["targets"][1]
    assert set(target) == {
        "number", "text", "lead_units", "responsible_units", "responsible_units_note",
        "indicators", "directions",
    }  # fmt: skip
    assert set(domain["measures"][0]) == {"number", "title", "text", "indicators"}
    assert set(target["indicators"][0]) == {"name", "comparator", "value", "unit", "raw"}
    directions = [d for t in domain["targets"] for d in t["directions"]]
    assert directions and set(directions[0]) == {"name", "direction", "raw"}
    (warning,) = seeds_json["warnings"]
    assert set(warning) == {"file", "line", "message"}
    assert warning["line"] == 333


def test_json_content_of_the_seeds(seeds_json: dict[str, Any]) -> None:
    plans = seeds_json["plans"]
    assert [p["doc_number"] for p in plans] == [
        "市中政发〔2022〕7号", "市中政发〔2022〕7号", "山政发〔2022〕2号", "山政发〔2022〕2号",
        "山政发〔2022〕3号", "山政发〔2022〕4号", "山政发〔2022〕5号", "山政办发〔2022〕2号",
    ]  # fmt: skip
    assert [p["subject"] for p in plans] == ["women", "children"] * 2 + ["other"] * 4
    targets = [sum(len(d["targets"]) for d in p["domains"]) for p in plans[:4]]
    assert targets == [79, 60, 79, 61]
    health = plans[2]["domains"][0]
    assert health["name"] == "妇女与健康"
    assert health["targets"][0]["lead_units"] == ["区卫生健康局"]
    assert health["targets"][0]["responsible_units"] == ["区医保局", "区发展改革局"]


def test_json_writes_chinese_as_such(jinan_json: dict[str, Any]) -> None:
    result = _invoke("parse", JINAN, "--format", "json")
    assert "妇女与健康" in result.stdout  # not \\u escapes
    assert json.loads(result.stdout) == jinan_json
    short = _invoke("parse", JINAN, "-f", "json")  # the short option works the same
    assert json.loads(short.stdout) == jinan_json


# --- yaml -------------------------------------------------------------------------------


def test_yaml_carries_the_same_data_as_json(jinan_json: dict[str, Any]) -> None:
    result = _invoke("parse", JINAN, "--format", "yaml")
    assert result.exit_code == 0
    assert "妇女与健康" in result.stdout  # readable for review, not escaped
    assert _yaml(result.stdout) == jinan_json


# --- -o -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_output_file(tmp_path: Path, fmt: str, jinan_json: dict[str, Any]) -> None:
    out = tmp_path / f"目录.{fmt}"
    result = _invoke("parse", JINAN, "--format", fmt, "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert str(out) in result.stderr
    text = out.read_text(encoding="utf-8")
    data = json.loads(text) if fmt == "json" else _yaml(text)
    assert data == jinan_json


def test_output_file_table(tmp_path: Path) -> None:
    out = tmp_path / "summary.txt"
    result = _invoke("parse", JINAN, "-o", out)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "济南市市中区“十四五”妇女发展规划" in text
    assert "妇女与健康" in text
    assert "\x1b[" not in text  # plain text, no terminal colour codes


# --- table --------------------------------------------------------------------------------


def _row(output: str, name: str) -> list[int]:
    """The numbers in the first table row that starts with `name`."""
    for line in output.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]
        if cells and cells[0] == name:
            return [int(c) for c in cells[1:]]
    raise AssertionError(f"no row {name!r} in:\n{output}")


def test_table_summary_per_plan_and_domain() -> None:
    result = _invoke("parse", JINAN)
    assert result.exit_code == 0
    out = result.stdout
    # Rich wraps a long title at the table's width: compare without the line breaks.
    flat = re.sub(r"\s+", "", out)
    assert "济南市市中区“十四五”妇女发展规划（市中政发〔2022〕7号，济南市市中区，妇女，2021—2025）" in flat
    assert "济南市市中区“十四五”儿童发展规划" in out
    for header in ("发展领域", "主要目标", "量化目标", "方向性目标", "策略措施"):
        assert header in out
    # domain: targets, quantitative, directional, measures, quantitative in measures
    health = _row(out, "妇女与健康")
    assert (health[0], health[3]) == (11, 13)
    assert health[1] > 0 and health[2] > 0
    decision = _row(out, "妇女参与决策和管理")
    assert (decision[0], decision[3]) == (12, 10)
    assert (_row(out, "儿童与教育")[0], _row(out, "儿童与教育")[3]) == (6, 11)
    assert "139 条主要目标" in out
    # the numbering gap is listed with its line
    assert "333" in out and "编号不连续" in out


def test_table_totals_match_json(jinan_json: dict[str, Any]) -> None:
    result = _invoke("parse", JINAN)
    total = _row(result.stdout, "合计")
    women = jinan_json["plans"][0]
    assert total == [
        sum(len(d["targets"]) for d in women["domains"]),
        sum(len(t["indicators"]) for d in women["domains"] for t in d["targets"]),
        sum(len(t["directions"]) for d in women["domains"] for t in d["targets"]),
        sum(len(d["measures"]) for d in women["domains"]),
        sum(len(m["indicators"]) for d in women["domains"] for m in d["measures"]),
    ]
    assert total[0] == 79 and total[3] == 90


def test_table_total_counts_only_main_targets_of_plans() -> None:
    result = _invoke("parse", JINAN, GAZETTE)
    assert "279 条主要目标" in result.stdout


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件.txt"
    result = _invoke("parse", missing)
    assert "文件不存在" in result.stdout
    assert "没有这个文件.txt" in result.stdout


def test_unknown_format_is_refused() -> None:
    result = _invoke("parse", JINAN, "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.output


def test_help_lists_the_commands() -> None:
    result = _invoke("--help")
    assert result.exit_code == 0
    assert "parse" in result.stdout and "schema" in result.stdout
