"""Hostile and careless catalogue and workspace YAML: refused with the place, never run away."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from in_support import Catalogue, cat
from sqlalchemy import func, select

from planwatch.store.catalogue_export import catalogue_data
from planwatch.store.catalogue_import import CatalogueYamlError, import_catalogue
from planwatch.store.models import AuditEvent, Indicator
from planwatch.store.workspace import WorkspaceError, read_config
from planwatch.store.yaml_input import YamlInputError, load_yaml

__all__ = ["cat"]

TARGET = "  - code: W01-01\n    targets:\n      - area: '370103'\n        ref: {ref}\n        {field}: {value}\n"


def refused(cat: Catalogue, text: str | bytes) -> list[tuple[str, str]]:
    """The errors of importing ``text``; the database must be unchanged afterwards."""
    with cat.factory() as s, s.begin():
        before = catalogue_data(s)
        with pytest.raises(CatalogueYamlError) as caught:
            import_catalogue(s, text, actor="hostile", source="in.yaml")
    with cat.factory() as s:  # a fresh connection: nothing was written
        assert catalogue_data(s) == before
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0
    return caught.value.errors


def ref_of(cat: Catalogue) -> str:
    with cat.factory() as s:
        data = catalogue_data(s)
    entry = next(i for i in data["indicators"] if i["code"] == "W01-01")
    return str(entry["targets"][0]["ref"])


def test_billion_laughs(cat: Catalogue) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines += ["indicators: []"]
    start = time.perf_counter()
    errors = refused(cat, "\n".join(lines))
    assert time.perf_counter() - start < 5
    assert errors[0][0] == "第 1 行第 5 列" and "锚点" in errors[0][1]


def test_alias_without_anchor_syntax_error(cat: Catalogue) -> None:
    errors = refused(cat, "indicators:\n  - *nowhere\n")
    assert errors[0][0].startswith("第 2 行")


def test_fifty_thousand_brackets(cat: Catalogue) -> None:
    errors = refused(cat, "indicators: " + "[" * 50_000)
    assert errors[0][0].startswith("第 1 行") and "嵌套" in errors[0][1]


def test_duplicate_keys(cat: Catalogue) -> None:
    errors = refused(cat, "indicators:\n  - code: W01-01\n    definition: a\n    definition: b\n")
    assert errors == [("第 4 行第 5 列", errors[0][1])] and "重复" in errors[0][1]


def test_misspelt_field(cat: Catalogue) -> None:
    errors = refused(cat, "indicators:\n  - code: W01-01\n    defintion: 活产婴儿中…\n")
    assert errors[0][0] == "indicators[0].defintion" and "definition" in errors[0][1]


def test_misspelt_top_level_and_target_fields(cat: Catalogue) -> None:
    text = "indicator:\n  - code: W01-01\nindicators:\n" + TARGET.format(
        ref=ref_of(cat), field="baseline_yaer", value=2020)
    paths = [p for p, _ in refused(cat, text)]
    assert paths == ["indicator", "indicators[0].targets[0].baseline_yaer"]


@pytest.mark.parametrize(("field", "value"), [("baseline_year", -5), ("baseline_year", 0),
                                              ("base_year", -5), ("baseline", "1e300"), ("baseline", 1e13)])
def test_absurd_years_and_magnitudes(cat: Catalogue, field: str, value: object) -> None:
    text = "indicators:\n" + TARGET.format(ref=ref_of(cat), field=field, value=value)
    if field == "base_year":
        text += "        relative: percent\n"
    errors = refused(cat, text)
    assert any(p.endswith(f"targets[0].{field}") for p, _ in errors), errors


def test_gbk_yaml_is_read(cat: Catalogue) -> None:
    text = "indicators:\n  - code: W01-01\n    definition: 孕产妇死亡数÷活产数×10万\n"
    with cat.factory() as s, s.begin():
        changes = import_catalogue(s, text.encode("gbk"), actor="t", source="gbk.yaml")
    assert [c.path for c in changes] == ["indicators[0].definition"]
    with cat.factory() as s:
        assert s.scalar(select(Indicator.definition).where(Indicator.code == "W01-01")) == "孕产妇死亡数÷活产数×10万"


def test_bytes_that_are_no_text(cat: Catalogue) -> None:
    errors = refused(cat, b"indicators: [\x81\x30\xff\xfe]\n")
    assert "编码" in errors[0][1]


def test_python_object_tag(cat: Catalogue) -> None:
    errors = refused(cat, "indicators: !!python/object/apply:os.system ['echo hi']\n")
    assert errors[0][0].startswith("第 1 行")


def test_oversized_file() -> None:
    with pytest.raises(YamlInputError, match="过大"):
        load_yaml(b"a: " + b"x" * 10_000_001)


def test_workspace_yaml_with_aliases(tmp_path: Path) -> None:
    (tmp_path / "workspace.yaml").write_text("name: &n ws\nother: *n\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="锚点"):
        read_config(tmp_path)


def test_workspace_yaml_in_gbk(tmp_path: Path) -> None:
    (tmp_path / "workspace.yaml").write_bytes("name: 市中区监测\n".encode("gbk"))
    assert read_config(tmp_path).name == "市中区监测"


def test_unknown_limit_in_workspace_yaml(tmp_path: Path) -> None:
    from planwatch.limits import LimitsConfigError, workspace_limits

    (tmp_path / "workspace.yaml").write_text("name: ws\nlimits:\n  rowz: 5\n", encoding="utf-8")
    with pytest.raises(LimitsConfigError, match="rowz"):
        workspace_limits(read_config(tmp_path))
    (tmp_path / "workspace.yaml").write_text("name: ws\nlimits:\n  rows: 50000\n", encoding="utf-8")
    assert workspace_limits(read_config(tmp_path)).rows == 50_000
