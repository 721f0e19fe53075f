"""A small gazetteer of national administrative division codes (行政区划代码).

Plans name their area the way people write it — 济南市市中区, 济南市中区, 市中区人民政府,
山亭区 — and the database keys areas by code. This module turns the written forms into
codes. It holds only the areas planwatch has met so far (Shandong, Jinan and Zaozhuang
with all their county-level divisions); add rows to ``_ROWS`` to support another area.

The same short name can exist twice (济南 and 枣庄 both have a 市中区), so a bare
``市中区`` is ambiguous and lookups refuse to guess: give the city in the text
(济南市市中区) or pass ``within=`` a parent code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AreaLevel = Literal["province", "city", "county", "street"]


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    full_name: str

    @property
    def short(self) -> str:
        """The name without its type suffix (济南市 → 济南, 山亭区 → 山亭), as people write it."""
        for suffix in ("街道办事处", "街道", "自治县", "省", "市", "区", "县", "镇", "乡"):
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name


_ROWS: list[tuple[str, str, AreaLevel, str | None]] = [
    ("370000", "山东省", "province", None),
    ("370100", "济南市", "city", "370000"),
    ("370102", "历下区", "county", "370100"),
    ("370103", "市中区", "county", "370100"),
    ("370104", "槐荫区", "county", "370100"),
    ("370105", "天桥区", "county", "370100"),
    ("370112", "历城区", "county", "370100"),
    ("370113", "长清区", "county", "370100"),
    ("370114", "章丘区", "county", "370100"),
    ("370115", "济阳区", "county", "370100"),
    ("370116", "莱芜区", "county", "370100"),
    ("370117", "钢城区", "county", "370100"),
    ("370124", "平阴县", "county", "370100"),
    ("370126", "商河县", "county", "370100"),
    ("370400", "枣庄市", "city", "370000"),
    ("370402", "市中区", "county", "370400"),
    ("370403", "薛城区", "county", "370400"),
    ("370404", "峄城区", "county", "370400"),
    ("370405", "台儿庄区", "county", "370400"),
    ("370406", "山亭区", "county", "370400"),
    ("370481", "滕州市", "county", "370400"),
]

_GOVERNMENT_SUFFIXES = ("人民政府办公室", "人民政府", "政府办公室", "政府")


class AreaLookupError(LookupError):
    """A written area name could not be turned into exactly one code."""


class UnknownAreaError(AreaLookupError):
    pass


class AmbiguousAreaError(AreaLookupError):
    def __init__(self, name: str, candidates: list[AreaInfo]) -> None:
        self.candidates = candidates
        listed = "、".join(f"{a.full_name}（{a.code}）" for a in candidates)
        super().__init__(
            f"地区名称“{name}”不唯一，可能是：{listed}；请写明上级地区 (ambiguous area name, give the parent)"
        )


def _build() -> dict[str, AreaInfo]:
    by_code: dict[str, AreaInfo] = {}
    for code, name, level, parent in _ROWS:
        full = (by_code[parent].full_name if parent else "") + name
        by_code[code] = AreaInfo(code, name, level, parent, full)
    return by_code


AREAS: dict[str, AreaInfo] = _build()


def get_area(code: str) -> AreaInfo:
    try:
        return AREAS[code]
    except KeyError:
        raise UnknownAreaError(f"未知的行政区划代码 unknown division code: {code}") from None


def lineage(code: str) -> list[AreaInfo]:
    """The area and its ancestors, top first (山东省, 济南市, 市中区)."""
    chain: list[AreaInfo] = []
    current: str | None = code
    while current is not None:
        area = get_area(current)
        chain.append(area)
        current = area.parent_code
    return list(reversed(chain))


def _is_ancestor(ancestor: str, code: str) -> bool:
    return any(a.code == ancestor for a in lineage(code)[:-1])


def _candidates(text: str) -> set[str]:
    found = {a.code for a in AREAS.values() if text in (a.name, a.short, a.full_name)}
    for parent in AREAS.values():
        for prefix in {parent.name, parent.short}:
            rest = text[len(prefix) :]
            if text.startswith(prefix) and rest:
                found |= {c for c in _candidates(rest) if _is_ancestor(parent.code, c)}
    return found


def _clean(name: str) -> str:
    text = "".join(name.split())
    for suffix in _GOVERNMENT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def find_area(name: str, *, within: str | None = None) -> AreaInfo:
    """The one area a written name means; ``within`` restricts to a parent's subtree.

    Accepts full and partial chains (山东省济南市市中区, 济南市中区, 山亭区, 山亭) and a
    trailing 人民政府. Raises UnknownAreaError or AmbiguousAreaError rather than guessing.
    """
    text = _clean(name)
    codes = _candidates(text) if text else set()
    if within is not None:
        get_area(within)
        codes = {c for c in codes if c == within or _is_ancestor(within, c)}
    if not codes:
        raise UnknownAreaError(f"未知的地区名称 unknown area name: “{name}”")
    if len(codes) > 1:
        raise AmbiguousAreaError(name, [AREAS[c] for c in sorted(codes)])
    return AREAS[codes.pop()]
