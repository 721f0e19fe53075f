"""Written names, issuers and titles to division codes: unique, ambiguous (refused), national."""

from __future__ import annotations

import contextlib
import time

import pytest

from planwatch.areas import (
    NATIONAL_CODE,
    AmbiguousAreaError,
    AreaConflictError,
    AreaRow,
    Gazetteer,
    UnknownAreaError,
    find_area,
    find_area_in_text,
    get_area,
    lineage,
    national,
    read_rows,
    resolve_area,
    short_name,
)


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
        ("山东省山亭区", "370406"),
        ("山亭", "370406"),
        ("济南市", "370100"),
        ("山东省", "370000"),
        ("滕州市", "370481"),
        ("东城区", "110101"),
        ("北京市朝阳区", "110105"),
        ("深圳市南山区", "440305"),
        ("上海市浦东新区", "310115"),
        ("重庆市城口县", "500229"),
        ("湖北省仙桃市", "429004"),
        ("广东省东莞市", "441900"),
        ("黔东南", "522600"),
        ("内蒙古", "150000"),
        ("新疆", "650000"),
        ("全国", NATIONAL_CODE),
        ("中华人民共和国", NATIONAL_CODE),
        ("国务院", NATIONAL_CODE),
        (" 济南市 市中区 ", "370103"),
    ],
)
def test_find_area(name: str, code: str) -> None:
    assert find_area(name).code == code


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("市中区", ["370103", "370402", "511002", "511102"]),
        ("新华区", ["130105", "130902", "410402"]),
        ("南山区", ["230404", "440305"]),
        ("朝阳区", ["110105", "220104"]),
        ("吉林", ["220000", "220200"]),
        ("海南", ["150303", "460000", "632500"]),
    ],
)
def test_ambiguous_names_are_refused_with_candidates(name: str, codes: list[str]) -> None:
    with pytest.raises(AmbiguousAreaError) as info:
        find_area(name)
    assert [a.code for a in info.value.candidates] == codes
    message = str(info.value)
    assert "不唯一" in message and all(c in message for c in codes)


def test_within_settles_an_ambiguous_name() -> None:
    assert find_area("市中区", within="370100").code == "370103"
    assert find_area("市中区", within="370400").code == "370402"
    assert find_area("市中区", within="370100").full_name == "山东省济南市市中区"
    with pytest.raises(UnknownAreaError):
        find_area("山亭区", within="370100")


def test_full_names_beat_short_ones() -> None:
    # 吉林市 is written in full: the short 吉林 (province and city) does not make it ambiguous.
    assert find_area("吉林市").code == "220200"
    assert find_area("吉林省").code == "220000"
    assert find_area("朝阳市").code == "211300"


@pytest.mark.parametrize("name", ["火星", "", "济南市历", "城区区", "市辖区"])
def test_unknown(name: str) -> None:
    with pytest.raises(UnknownAreaError):
        find_area(name)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("济南市", "济南"), ("山亭区", "山亭"), ("城区", "城区"), ("黔东南苗族侗族自治州", "黔东南"),
        ("内蒙古自治区", "内蒙古"), ("新疆维吾尔自治区", "新疆"), ("鄂伦春自治旗", "鄂伦春"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"), ("浦东新区", "浦东"), ("大兴安岭地区", "大兴安岭"),
        ("山城街道", "山城"), ("店子镇", "店子"), ("城关镇", "城关"),
    ],
)  # fmt: skip
def test_short_names(name: str, short: str) -> None:
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("国务院", NATIONAL_CODE),
        ("国务院办公厅", NATIONAL_CODE),
        ("中共中央 国务院", NATIONAL_CODE),
        ("国务院妇女儿童工作委员会", NATIONAL_CODE),
        ("中国妇女发展纲要（2021—2030年）", NATIONAL_CODE),
        ("中国儿童发展纲要(2021—2030年)", NATIONAL_CODE),
        ("山东省人民政府", "370000"),
        ("青海省妇女发展规划(2021—2030年)", "630000"),
        ("济南市人民政府办公厅", "370100"),
        ("潮州市妇女发展规划(2021-2030年)", "445100"),
        ("枣庄市妇女儿童工作委员会", "370400"),
        ("中共济南市委", "370100"),
        ("济南市市中区“十四五”妇女发展规划", "370103"),
        ("山亭区人民政府办公室", "370406"),
        ("长春市九台区儿童发展规划(2021-2030年)", "220113"),
        ("诸暨市妇女发展“十四五”规划", "330681"),
    ],
)
def test_issuer_and_title_forms(text: str, code: str) -> None:
    assert find_area_in_text(text).code == code


def test_issuer_forms_of_ambiguous_names_still_refuse() -> None:
    with pytest.raises(AmbiguousAreaError):
        find_area_in_text("市中区人民政府")
    with pytest.raises(UnknownAreaError):
        find_area_in_text("各街道办事处，区政府各部门")


def test_place_uses_region_then_issuer_then_title() -> None:
    g = national()
    assert g.place("济南市市中区", "市中区人民政府", None).code == "370103"
    assert g.place(None, "国务院", "中国妇女发展纲要（2021—2030年）").code == NATIONAL_CODE
    assert g.place("市中区", None, "枣庄市市中区“十四五”儿童发展规划").code == "370402"


def test_place_asks_for_the_area_when_none_is_named() -> None:
    g = national()
    with pytest.raises(UnknownAreaError) as info:
        g.place(None, None, "中國婦女發展綱要（2021—2030年）")
    assert "--area" in str(info.value) and "请用" in str(info.value)
    assert g.place(None, None, "中國婦女發展綱要", given=get_area(NATIONAL_CODE)).code == NATIONAL_CODE


def test_given_area_settles_ambiguity_but_never_overrides() -> None:
    g = national()
    assert g.place("市中区", None, None, given=get_area("370402")).code == "370402"
    with pytest.raises(AreaConflictError) as ambiguous:
        g.place("市中区", None, None, given=get_area("370406"))
    assert "不在其中" in str(ambiguous.value)
    with pytest.raises(AreaConflictError) as info:
        g.place("济南市市中区", None, None, given=get_area("370402"))
    assert "370103" in str(info.value) and "370402" in str(info.value) and "不一致" in str(info.value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("370406", "370406"), ("370406000000", "370406"), ("000000", NATIONAL_CODE), ("枣庄市山亭区", "370406"),
     ("全国", NATIONAL_CODE)],
)  # fmt: skip
def test_resolve_codes_and_names(value: str, code: str) -> None:
    assert resolve_area(value).code == code


def test_resolve_unknown_code() -> None:
    with pytest.raises(UnknownAreaError):
        resolve_area("379999")


def test_lineage_starts_at_the_nation() -> None:
    assert [(a.code, a.level) for a in lineage("370406")] == [
        (NATIONAL_CODE, "country"),
        ("370000", "province"),
        ("370400", "city"),
        ("370406", "county"),
    ]
    assert [a.code for a in lineage("110101")] == [NATIONAL_CODE, "110000", "110100", "110101"]


def test_townships_with_the_same_name_are_ambiguous() -> None:
    """城关镇 exists in 88 counties; added to a gazetteer, a bare 城关镇 must not be guessed."""
    g = Gazetteer(read_rows(_shipped_lines(), "shipped"))
    g.add(
        [
            AreaRow("120114110", "城关镇", "street", "120114"),
            AreaRow("150123100", "城关镇", "street", "150123"),
        ]
    )
    with pytest.raises(AmbiguousAreaError) as info:
        g.find("城关镇")
    assert [a.code for a in info.value.candidates] == ["120114110", "150123100"]
    assert g.find("和林格尔县城关镇").code == "150123100"


def _shipped_lines() -> list[str]:
    from importlib import resources

    return resources.files("planwatch").joinpath("data", "division_codes_2023.csv").read_text("utf-8").splitlines()


def test_lookups_stay_fast() -> None:
    g = national()
    names = ["济南市市中区", "山亭区", "市中区", "黔东南", "广东省深圳市南山区", "火星"] * 100
    start = time.perf_counter()
    for name in names:
        with contextlib.suppress(AmbiguousAreaError, UnknownAreaError):
            g.find(name)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{len(names)} lookups took {elapsed:.2f}s"
