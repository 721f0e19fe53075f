"""Unit spellings to one canonical name (area names: test_area_lookup.py)."""

from __future__ import annotations

import pytest

from planwatch.store.unit_names import normalise_unit_name


@pytest.mark.parametrize(
    ("raw", "area", "canonical"),
    [
        ("区发展改革委", "山亭", "区发展改革局"),
        ("区发改局", "山亭", "区发展改革局"),
        ("公安市中分局", "市中", "区公安分局"),
        ("区公安分局", "市中", "区公安分局"),
        ("生态环境市中分局", "市中", "区生态环境分局"),
        ("区农业农村局（区乡村振兴局）", "市中", "区农业农村局"),
        ("区农业农村局（区乡村振兴局", "市中", "区农业农村局"),
        ("责任单位：区妇联", "市中", "区妇联"),
        ("区 卫健局", "山亭", "区卫生健康局"),
        # never merged: different units that merely look alike
        ("区卫生健康服务中心", "山亭", "区卫生健康服务中心"),
        ("区妇儿工委办公室", "市中", "区妇儿工委办公室"),
        # 公安山亭分局 is not 市中's police
        ("公安山亭分局", "市中", "公安山亭分局"),
    ],
)
def test_unit_canonical(raw: str, area: str, canonical: str) -> None:
    name = normalise_unit_name(raw, area)
    assert (name.kind, name.canonical) == ("unit", canonical)


def test_unit_groups_and_fragments() -> None:
    assert normalise_unit_name("区妇儿工委有关成员单位", "山亭").kind == "group"
    assert normalise_unit_name("各镇人民政府", "山亭").kind == "group"
    assert normalise_unit_name("政策文件制订部门", "山亭").kind == "group"
    assert normalise_unit_name("区发", "山亭").kind == "fragment"
    trailing = normalise_unit_name("区关工委等区妇儿工委有关成员单位", "山亭")
    assert (trailing.kind, trailing.canonical, trailing.note) == (
        "unit",
        "区关工委",
        "等区妇儿工委有关成员单位",
    )
