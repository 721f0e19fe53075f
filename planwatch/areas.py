"""The gazetteer: statistical division codes (统计用区划代码) of all China, and written names to codes.

Plans name their area the way people write it — 济南市市中区, 济南市中区, 市中区人民政府,
山亭区, 国务院 — and the database keys areas by code. The codes are the NBS's 2023 edition
down to county level, shipped in ``planwatch/data/division_codes_2023.csv`` (its README says
where they come from); above the provinces sits the national area ``000000 全国``.

The same name can exist several times (济南, 枣庄, 淄博 and 乐山 each have a 市中区), so a bare
``市中区`` is ambiguous and lookups refuse to guess: they list the candidates with their codes,
and the caller gives the city in the text (济南市市中区), a parent (``within=``) or a code.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from planwatch.errors import PlanwatchError
from planwatch.vocabulary import AreaLevel as AreaLevel

NATIONAL_CODE = "000000"
"""The national area. Six zeros are no division code (provinces start at 11) and sort first."""
NATIONAL_NAME = "全国"

DATA_FILE = "division_codes_2023.csv"
EDITION = 2023

_NATIONAL_NAMES = frozenset({"全国", "中国", "中华人民共和国", "国家", "国务院", "中共中央", "中央"})
_NATIONAL_PREFIXES = ("中共中央", "国务院", "中华人民共和国", "全国", "国家", "中国", "中央")
"""Issuers and titles that start like this are national: 国务院办公厅, 全国妇联, 中国妇女发展纲要."""

GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
"""Rows the NBS lists at prefecture level only to group counties; never written in a place name."""

_ETHNIC = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
"""The 55 minority nationalities, as autonomous areas' names carry them (黔东南苗族侗族自治州)."""
_AUTONOMOUS = re.compile("(.{2,}?)(?:(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族?)*自治[区州县旗]")
_TYPE_SUFFIXES = (
    "特别行政区", "街道办事处", "街道", "地区", "林区", "特区", "新区",
    "省", "市", "区", "县", "旗", "盟", "州", "镇", "乡", "苏木",
)  # fmt: skip
_ORGAN_SUFFIXES = (
    "人民政府办公厅", "人民政府办公室", "人民政府", "政府办公厅", "政府办公室", "政府",
    "妇女儿童工作委员会办公室", "妇女儿童工作委员会", "妇儿工委办公室", "妇儿工委",
)  # fmt: skip
_PARTY_PREFIXES = ("中国共产党", "中共")


def short_name(name: str) -> str:
    """The name as people shorten it: 济南市 → 济南, 黔东南苗族侗族自治州 → 黔东南, 山亭区 → 山亭.

    At least two characters stay (城区 stays 城区), so a short name is still a name.
    """
    match = _AUTONOMOUS.fullmatch(name)
    if match:
        return match.group(1)
    for suffix in _TYPE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


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
        return short_name(self.name)

    @property
    def is_grouping(self) -> bool:
        return self.name in GROUPING_NAMES


@dataclass(frozen=True)
class AreaRow:
    """One line of a division-code file: what the shipped table and township imports hold."""

    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    line: int = 0


class AreaLookupError(PlanwatchError, LookupError):
    """A written area name could not be turned into exactly one code."""

    code = "area.lookup"


class UnknownAreaError(AreaLookupError):
    code = "area.unknown"


class AreaConflictError(AreaLookupError):
    """The document names one area and the user gave another."""

    code = "area.conflict"


class AmbiguousAreaError(AreaLookupError):
    code = "area.ambiguous"

    def __init__(self, name: str, candidates: list[AreaInfo]) -> None:
        self.candidates = candidates
        listed = "、".join(f"{a.full_name}（{a.code}）" for a in candidates[:12])
        more = f"等 {len(candidates)} 个" if len(candidates) > 12 else ""
        super().__init__(
            f"地区名称“{name}”不唯一，可能是：{listed}{more}；请写明上级地区或给出代码 "
            "(ambiguous area name: give the parent or the code)"
        )


class Gazetteer:
    """Areas by code, with an index of their names for ``find`` (about 3,350 areas).

    Names are looked up in two tiers: full names first (市中区, 济南市市中区), then short
    ones (济南市中区, 山亭), so a short name never shadows an area written in full.
    """

    def __init__(self, rows: Iterable[AreaRow]) -> None:
        self.by_code: dict[str, AreaInfo] = {}
        self._ancestors: dict[str, frozenset[str]] = {}
        self._full: dict[str, set[str]] = {}
        self._short: dict[str, set[str]] = {}
        self.add(
            [AreaRow(NATIONAL_CODE, NATIONAL_NAME, "country", None), *rows],
        )

    def add(self, rows: Iterable[AreaRow]) -> None:
        """Add rows whose parents are known or come earlier in ``rows``."""
        for row in rows:
            parent = NATIONAL_CODE if row.parent_code is None and row.level != "country" else row.parent_code
            up = self.by_code[parent] if parent else None
            shown = "" if up is None or up.level == "country" else up.full_name
            full = shown if row.name in GROUPING_NAMES else shown + row.name
            info = AreaInfo(row.code, row.name, row.level, parent, full)
            self.by_code[row.code] = info
            self._ancestors[row.code] = (self._ancestors[parent] | {parent}) if parent else frozenset()
            if info.level == "country":
                for alias in _NATIONAL_NAMES:
                    self._full.setdefault(alias, set()).add(info.code)
            elif not info.is_grouping:
                for key in (info.name, info.full_name):
                    self._full.setdefault(key, set()).add(info.code)
                if info.short != info.name:
                    self._short.setdefault(info.short, set()).add(info.code)

    def __len__(self) -> int:
        return len(self.by_code)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def get(self, code: str) -> AreaInfo:
        try:
            return self.by_code[code]
        except KeyError:
            raise UnknownAreaError(f"未知的区划代码 unknown division code: {code}") from None

    def lineage(self, code: str) -> list[AreaInfo]:
        """The area and its ancestors, top first (全国, 山东省, 济南市, 市中区)."""
        chain: list[AreaInfo] = []
        current: str | None = code
        while current is not None:
            area = self.get(current)
            chain.append(area)
            current = area.parent_code
        return list(reversed(chain))

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        return ancestor in self._ancestors.get(code, frozenset())

    def children(self, code: str) -> list[AreaInfo]:
        return [a for a in self.by_code.values() if a.parent_code == code]

    def _match(self, text: str, indexes: tuple[dict[str, set[str]], ...]) -> set[str]:
        """Codes ``text`` names: a name itself, or a chain of names each inside the one before."""
        found: set[str] = set()
        for index in indexes:
            found |= index.get(text, set())
        for cut in range(2, len(text) - 1):
            heads = set().union(*(index.get(text[:cut], set()) for index in indexes))
            if heads:
                found |= {c for c in self._match(text[cut:], indexes) if self._ancestors[c] & heads}
        return found

    def _codes(self, text: str, within: str | None) -> set[str]:
        for indexes in ((self._full,), (self._full, self._short)):
            codes = self._match(text, indexes)
            if within is not None:
                codes = {c for c in codes if c == within or self.is_ancestor(within, c)}
            if codes:
                return codes
        return set()

    def _one(self, name: str, codes: set[str]) -> AreaInfo:
        if len(codes) > 1:
            raise AmbiguousAreaError(name, [self.by_code[c] for c in sorted(codes)])
        return self.by_code[codes.pop()]

    def find(self, name: str, *, within: str | None = None) -> AreaInfo:
        """The one area a written name means; ``within`` restricts to a parent's subtree.

        Accepts full and partial chains (山东省济南市市中区, 济南市中区, 山亭区, 山亭), a
        trailing 人民政府 or 妇女儿童工作委员会, and 全国/国务院 for the national area. Raises
        UnknownAreaError or AmbiguousAreaError rather than guessing.
        """
        text = _strip_organ("".join(name.split()))
        if within is not None:
            self.get(within)
        codes = self._codes(text, within) if text else set()
        if not codes:
            raise UnknownAreaError(f"未知的地区名称 unknown area name: “{name}”")
        return self._one(name, codes)

    def find_in_text(self, text: str) -> AreaInfo:
        """The area an issuer or a title starts with (济南市人民政府办公厅, 山东省妇女发展规划…).

        The longest leading part that names an area decides; national organs and outlines
        (国务院, 中共中央, 全国妇联, 中国妇女发展纲要) are the national area.
        """
        compact = "".join(text.split())
        for prefix in _PARTY_PREFIXES:
            if compact.startswith(prefix) and not compact.startswith("中共中央"):
                compact = compact[len(prefix) :]
                break
        if compact.startswith(_NATIONAL_PREFIXES):
            return self.by_code[NATIONAL_CODE]
        for end in range(len(compact), 1, -1):
            codes = self._codes(compact[:end], None)
            if codes:
                return self._one(compact[:end], codes)
        raise UnknownAreaError(f"“{text}”中没有可识别的地区名称 no area name in the text")

    def place(
        self,
        region: str | None,
        issuer: str | None,
        title: str | None,
        *,
        given: AreaInfo | None = None,
    ) -> AreaInfo:
        """The area a document belongs to, from its region, else its issuer, else its title.

        ``given`` (the user's ``--area``) settles an ambiguous name and places a document that
        names no area; a document that clearly names another area is a conflict, not overridden.
        """
        problems: list[str] = []
        readers = ((region, self.find), (issuer, self.find_in_text), (title, self.find_in_text))
        for text, read in readers:
            if not text:
                continue
            try:
                found = read(text)
            except AmbiguousAreaError as exc:
                if given is None:
                    problems.append(str(exc))
                    continue
                if any(c.code == given.code for c in exc.candidates):
                    return given
                raise AreaConflictError(
                    f"{exc}；--area 指定的{given.full_name}（{given.code}）不在其中 the given area is none of them"
                ) from None
            except UnknownAreaError as exc:
                problems.append(str(exc))
                continue
            if given is not None and found.code != given.code:
                raise AreaConflictError(
                    f"文件写明的地区是{found.full_name}（{found.code}），与 --area 指定的"
                    f"{given.full_name}（{given.code}）不一致 the document names another area"
                )
            return found
        if given is not None:
            return given
        detail = "；".join(problems) or "文件未写明所属地区 the document names no area"
        raise UnknownAreaError(
            f"{detail}。请用 --area 指定地区代码或名称（如 --area 370406 或 --area 枣庄市山亭区）"
            " give the area with --area CODE or NAME"
        )

    def resolve(self, value: str) -> AreaInfo:
        """A code (370406, or the NBS's twelve digits 370406000000) or a name, as users type it."""
        text = value.strip()
        if text.isdigit():
            if len(text) == 12 and text.endswith("000"):
                text = text[:6] if text[6:] == "000000" else text[:9]
            return self.get(text)
        return self.find(text)


def _strip_organ(text: str) -> str:
    for suffix in _ORGAN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def read_rows(lines: Iterable[str], source: str = "") -> list[AreaRow]:
    """Rows of a ``code,name,level,parent_code`` file; a malformed line is an error naming it."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [h.strip() for h in header[:4]] != ["code", "name", "level", "parent_code"]:
        raise AreaFileError([f"{source}:1：表头应为 code,name,level,parent_code (header)"])
    rows: list[AreaRow] = []
    problems: list[str] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 4:
            problems.append(f"{source}:{number}：应有 4 列，实有 {len(cells)} 列 (expected 4 columns)")
            continue
        code, name, level, parent = (c.strip() for c in cells)
        rows.append(AreaRow(code, name, level, parent or None, number))  # type: ignore[arg-type]
    if problems:
        raise AreaFileError(problems)
    return rows


class AreaFileError(PlanwatchError, ValueError):
    """A division-code file is malformed; ``problems`` names every bad line."""

    code = "area.file"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(self.problems[:20]) + ("…" if len(self.problems) > 20 else ""))


@cache
def national() -> Gazetteer:
    """The shipped gazetteer (built once, on first use).

    ``importlib.resources`` is imported here, not with the module: it pulls in ``tempfile``
    and ``random``, and every command that opens a workspace imports this module without
    ever reading the codes.
    """
    from importlib import resources

    text = resources.files("planwatch").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return Gazetteer(read_rows(text.splitlines(), DATA_FILE))


def get_area(code: str) -> AreaInfo:
    return national().get(code)


def lineage(code: str) -> list[AreaInfo]:
    return national().lineage(code)


def find_area(name: str, *, within: str | None = None) -> AreaInfo:
    return national().find(name, within=within)


def find_area_in_text(text: str) -> AreaInfo:
    return national().find_in_text(text)


def resolve_area(value: str) -> AreaInfo:
    return national().resolve(value)
