"""Area names to division codes, and unit spellings to one canonical name."""

from __future__ import annotations

import pytest

from planwatch.areas import AmbiguousAreaError, UnknownAreaError, find_area, lineage
from planwatch.store.unit_names import normalise_unit_name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("济南市市中区", "370103"),
        ("济南市中区", "370103"),
        ("山东省济南市市中区人民政府", "370103"),
        ("枣庄市市中区", "370402"),
        ("山亭区", "370406"),
        ("山亭区人民政府", "370406"),
        ("枣庄市山亭区", "370406"),
        ("山亭", "370406"),
        ("济南市", "370100"),
        ("山东省", "370000"),
        ("滕州市", "370481"),
    ],
)
def test_find_area(name: str, code: str) -> None:
    assert find_area(name).code == code


def test_bare_shizhong_is_ambiguous() -> None:
    with pytest.raises(AmbiguousAreaError) as info:
        find_area("市中区")
    assert [a.code for a in info.value.candidates] == ["370103", "370402"]
    assert find_area("市中区", within="370100").code == "370103"
    assert find_area("市中区", within="370400").code == "370402"


def test_unknown_area() -> None:
    with pytest.raises(UnknownAreaError):
        find_area("北京市朝阳区")
    with pytest.raises(UnknownAreaError):
        find_area("山亭区", within="370100")


def test_lineage() -> None:
    assert [(a.code, a.level) for a in lineage("370406")] == [
        ("370000", "province"),
        ("370400", "city"),
        ("370406", "county"),
    ]
    assert find_area("市中区", within="370100").full_name == "山东省济南市市中区"


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
