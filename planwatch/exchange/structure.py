"""A workspace's catalogue as an SDMX data structure: the DSD, its concepts and codelists.

One data structure, ``PLANWATCH:DSD_PLANWATCH(1.0)``, describes every figure planwatch
holds, so a city receiving files from its districts reads them all the same way:

* dimensions ``INDICATOR`` (the catalogue's indicator codes), ``REF_AREA`` (the national
  division codes of the workspace's areas, 统计用区划代码), ``SEX``, ``AGE``,
  ``URBANISATION`` (城乡) and ``TIME_PERIOD`` (the year);
* the measure ``OBS_VALUE``;
* observation attributes ``UNIT_MEASURE`` (计量单位 as the catalogue spells it),
  ``NUMERATOR`` and ``DENOMINATOR`` (so a receiver can sum areas properly, never averaging
  rates), ``REPORTING_UNIT`` (填报单位, which the importer needs: a submission is one unit's),
  ``OBS_COMMENT`` (备注), and the provenance ``DATA_SOURCE`` (the sending workspace),
  ``SUBMISSION`` and ``REVISION`` (the sender's submission and its revision).

A breakdown key (``sex=female;residence=urban``) becomes one code per dimension, ``_T`` for
"not broken down by this" — the SDMX convention for totals. Age groups are coded the way
SDMX's cross-domain codelists do (``Y0T5`` for 0–5岁, ``Y_GE60`` for 60岁以上); a category of
another shape (a catalogue may define its own) gets ``A_`` followed by the hexadecimal of
its UTF-8 text, which is a valid SDMX id and decodes back exactly. Every code decodes
without the codelist, so a file from a district with an extra age group is still read and
its category is then refused by the importer as an ``unknown-breakdown``, at its row.

Names are Chinese. pysdmx writes every name with the language tag ``en`` (it has one
name per item, not a name per language); a receiver that keys on the tag sees Chinese text
under ``en``. This is a limit of the library, not of the structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planwatch.errors import PlanwatchError
from planwatch.vocabulary import (
    AGE_GROUPS_ADULTS,
    AGE_GROUPS_CHILDREN,
    DIMENSION_LABELS,
    TOTAL,
    breakdown_key,
    breakdown_label,
)

if TYPE_CHECKING:
    from pysdmx.model import Codelist, ConceptScheme, DataStructureDefinition, Schema

AGENCY = "PLANWATCH"
DSD_ID = "DSD_PLANWATCH"
VERSION = "1.0"
CONCEPTS_ID = "CS_PLANWATCH"
STRUCTURE_ID = f"{AGENCY}:{DSD_ID}({VERSION})"
"""How SDMX-CSV 2.0 names the structure in its ``STRUCTURE_ID`` column."""

TOTAL_CODE = "_T"

DIMENSIONS = ("INDICATOR", "REF_AREA", "SEX", "AGE", "URBANISATION", "TIME_PERIOD")
BREAKDOWN_DIMENSIONS = {"SEX": "sex", "AGE": "age_group", "URBANISATION": "residence"}
"""SDMX dimension → planwatch breakdown dimension (vocabulary.BREAKDOWN_DIMENSIONS)."""
MEASURE = "OBS_VALUE"
ATTRIBUTES = ("UNIT_MEASURE", "NUMERATOR", "DENOMINATOR", "REPORTING_UNIT", "OBS_COMMENT",
              "DATA_SOURCE", "SUBMISSION", "REVISION")
NUMERIC = ("OBS_VALUE", "NUMERATOR", "DENOMINATOR")

CONCEPT_NAMES = {
    "INDICATOR": "指标", "REF_AREA": "地区（统计用区划代码）", "SEX": "性别", "AGE": "年龄组",
    "URBANISATION": "城乡", "TIME_PERIOD": "年度", "OBS_VALUE": "数值", "UNIT_MEASURE": "计量单位",
    "NUMERATOR": "分子", "DENOMINATOR": "分母", "REPORTING_UNIT": "填报单位", "OBS_COMMENT": "备注",
    "DATA_SOURCE": "数据来源（报送工作区）", "SUBMISSION": "来源填报编号", "REVISION": "来源填报版本",
}  # fmt: skip

SEX_CODES = {"female": "F", "male": "M"}
URBANISATION_CODES = {"urban": "U", "rural": "R"}

_RANGE = re.compile(r"(\d+)-(\d+)")
_FROM = re.compile(r"(\d+)\+")
_RANGE_CODE = re.compile(r"Y(\d+)T(\d+)")
_FROM_CODE = re.compile(r"Y_GE(\d+)")
_HEX_CODE = re.compile(r"A_((?:[0-9A-F]{2})+)")


class StructureError(PlanwatchError, ValueError):
    """A breakdown the data structure cannot express; the exporter lists the figure as skipped."""

    code = "exchange.structure"


def age_code(category: str) -> str:
    """``0-5`` → ``Y0T5``, ``60+`` → ``Y_GE60``, anything else → ``A_`` + UTF-8 hex."""
    if m := _RANGE.fullmatch(category):
        return f"Y{m[1]}T{m[2]}"
    if m := _FROM.fullmatch(category):
        return f"Y_GE{m[1]}"
    return "A_" + category.encode("utf-8").hex().upper()


def age_category(code: str) -> str | None:
    """The inverse of :func:`age_code`; None for a code of none of its shapes."""
    if m := _RANGE_CODE.fullmatch(code):
        return f"{m[1]}-{m[2]}"
    if m := _FROM_CODE.fullmatch(code):
        return f"{m[1]}+"
    if m := _HEX_CODE.fullmatch(code):
        try:
            return bytes.fromhex(m[1]).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def breakdown_codes(breakdown: str) -> dict[str, str]:
    """A breakdown key as one code per SDMX dimension (``_T`` where it is not broken down).

    Raises :class:`StructureError` for a dimension or category the DSD cannot express.
    """
    codes = dict.fromkeys(BREAKDOWN_DIMENSIONS, TOTAL_CODE)
    if breakdown == TOTAL:
        return codes
    by_name = {v: k for k, v in BREAKDOWN_DIMENSIONS.items()}
    for pair in breakdown.split(";"):
        dim, _, cat = pair.partition("=")
        sdmx_dim = by_name.get(dim)
        if sdmx_dim is None:
            raise StructureError(f"分组维度“{dim}”不在 SDMX 数据结构中（只有性别、年龄组、城乡）")
        if sdmx_dim == "SEX":
            code = SEX_CODES.get(cat)
        elif sdmx_dim == "URBANISATION":
            code = URBANISATION_CODES.get(cat)
        else:
            code = age_code(cat)
        if code is None:
            raise StructureError(f"{DIMENSION_LABELS[dim]}分类“{cat}”没有 SDMX 代码")
        codes[sdmx_dim] = code
    return codes


def breakdown_from_codes(codes: dict[str, str]) -> tuple[str | None, str | None]:
    """(breakdown key, None) from the three dimension codes, or (None, the bad dimension).

    Keys are joined in the canonical order sex, age_group, residence (models.Observation).
    """
    parts: list[str] = []
    for sdmx_dim in ("SEX", "AGE", "URBANISATION"):
        code = codes.get(sdmx_dim, TOTAL_CODE) or TOTAL_CODE
        if code == TOTAL_CODE:
            continue
        if sdmx_dim == "SEX":
            cat = {v: k for k, v in SEX_CODES.items()}.get(code)
        elif sdmx_dim == "URBANISATION":
            cat = {v: k for k, v in URBANISATION_CODES.items()}.get(code)
        else:
            cat = age_category(code)
        if cat is None:
            return None, sdmx_dim
        parts.append(breakdown_key(BREAKDOWN_DIMENSIONS[sdmx_dim], cat))
    return (";".join(parts) or TOTAL), None


@dataclass(frozen=True)
class CatalogueCodes:
    """What the codelists are made of: read from a workspace, free of the database."""

    indicators: list[tuple[str, str, str | None]]
    """(code, name, unit) of every indicator, in code order."""
    areas: list[tuple[str, str]]
    """(division code, full name) of every area of the workspace."""
    age_groups: list[str]
    """Every age category the catalogue uses, and the defaults, in first-seen order."""


@dataclass(frozen=True)
class Structure:
    """The DSD with the codelists and concepts it refers to, as pysdmx objects."""

    dsd: DataStructureDefinition
    schema: Schema
    concepts: ConceptScheme
    codelists: list[Codelist]

    @property
    def artefacts(self) -> list[object]:
        """Everything a structure message carries, concepts and codelists first."""
        return [self.concepts, *self.codelists, self.dsd]


def _concept_urn(concept_id: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={AGENCY}:{CONCEPTS_ID}({VERSION}).{concept_id}"


def build_structure(codes: CatalogueCodes) -> Structure:
    """The DSD of a catalogue, with its codelists (pysdmx is imported here: it is heavy)."""
    from pysdmx.model import (
        Code,
        Codelist,
        Component,
        Components,
        Concept,
        ConceptScheme,
        DataStructureDefinition,
        DataType,
        Role,
        Schema,
    )

    def codelist(cl_id: str, name: str, items: list[tuple[str, str]]) -> Codelist:
        return Codelist(id=cl_id, agency=AGENCY, version=VERSION, name=name,
                        items=[Code(id=i, name=n) for i, n in items])

    age_items = [(TOTAL_CODE, "合计")] + [
        (age_code(c), breakdown_label(breakdown_key("age_group", c))) for c in codes.age_groups
    ]
    lists = {
        "INDICATOR": codelist("CL_INDICATOR", "指标", [
            (code, f"{name}（{unit}）" if unit else name) for code, name, unit in codes.indicators]),
        "REF_AREA": codelist("CL_AREA", "地区（统计用区划代码）", codes.areas),
        "SEX": codelist("CL_SEX", "性别", [(TOTAL_CODE, "合计"), ("F", "女"), ("M", "男")]),
        "AGE": codelist("CL_AGE", "年龄组", age_items),
        "URBANISATION": codelist("CL_URBANISATION", "城乡", [(TOTAL_CODE, "合计"), ("U", "城镇"), ("R", "农村")]),
    }
    dtypes = {"TIME_PERIOD": DataType.PERIOD, "OBS_VALUE": DataType.DOUBLE, "NUMERATOR": DataType.DOUBLE,
              "DENOMINATOR": DataType.DOUBLE, "SUBMISSION": DataType.INTEGER, "REVISION": DataType.INTEGER}
    concepts = {
        cid: Concept(id=cid, name=name, urn=_concept_urn(cid), dtype=dtypes.get(cid, DataType.STRING))
        for cid, name in CONCEPT_NAMES.items()
    }
    components = []
    for cid in DIMENSIONS:
        components.append(Component(id=cid, required=True, role=Role.DIMENSION, concept=concepts[cid],
                                     local_codes=lists.get(cid), local_dtype=dtypes.get(cid)))
    components.append(Component(id=MEASURE, required=True, role=Role.MEASURE, concept=concepts[MEASURE],
                                local_dtype=DataType.DOUBLE))
    for cid in ATTRIBUTES:
        components.append(Component(id=cid, required=cid == "REPORTING_UNIT", role=Role.ATTRIBUTE,
                                    concept=concepts[cid], attachment_level="O",
                                    local_dtype=dtypes.get(cid, DataType.STRING)))
    comps = Components(components)
    name = "规划监测数据（planwatch）"
    dsd = DataStructureDefinition(id=DSD_ID, agency=AGENCY, version=VERSION, name=name, components=comps)
    schema = Schema(context="datastructure", agency=AGENCY, id=DSD_ID, version=VERSION, components=comps,
                    name=name)
    scheme = ConceptScheme(id=CONCEPTS_ID, agency=AGENCY, version=VERSION, name="规划监测概念",
                           items=list(concepts.values()))
    return Structure(dsd=dsd, schema=schema, concepts=scheme, codelists=list(lists.values()))


def default_age_groups() -> list[str]:
    return [*AGE_GROUPS_CHILDREN, *AGE_GROUPS_ADULTS]
