"""The demo's catalogue edits: breakdowns and definitions, as a statistics bureau would add them.

A plan text says 九年义务教育巩固率 保持100%; it does not say that the figure is reported by
sex and by 城镇/农村. An office adds that through the catalogue YAML (export, edit, import),
the documented path for metadata a reader cannot know. The demo does the same, through
:func:`planwatch.store.catalogue_import.import_catalogue`, before any figure is generated, so
that templates carry breakdown rows and validation checks that they add up.

The choice follows what the plans ask for (监测数据分性别、分年龄、分城乡) and what such
figures are usually published by: child mortality by sex, school enrolment by sex and
residence, women's health and insurance coverage by residence, screening by age group, and
one count (镇街 female cadres: 街道 counted as 城镇, 镇 as 农村) whose parts must add up.
Indicators linked to another's series (``same_as``) take the series' breakdowns and are
not edited themselves; two links the name matching of the loader cannot see (学前3年毛入园率
is 学前教育毛入园率, 义务教育巩固率 is 九年义务教育巩固率) are made here, as an office would.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from sqlalchemy.orm import Session

from planwatch.store.catalogue_export import catalogue_data
from planwatch.store.catalogue_import import Change, import_catalogue

ACTOR = "区统计局（示例）"
SOURCE = "示例目录补充 demo-catalogue.yaml"


@dataclass(frozen=True)
class Edit:
    breakdowns: tuple[str, ...]
    definition: str | None = None
    same_as: tuple[str, str] | None = None
    """(subject, name) of the indicator whose series this one shares (its breakdowns then
    are that one's)."""


EDITS: dict[tuple[str, str], Edit] = {
    # keyed by (subject, indicator name): codes depend on the reading order of the plans
    # 儿童与健康
    ("children", "新生儿死亡率"): Edit(("sex",), "每千名活产数中出生后28天内死亡的新生儿数"),
    ("children", "婴儿死亡率"): Edit(("sex",), "每千名活产数中未满1周岁死亡的婴儿数"),
    ("children", "5岁以下儿童死亡率"): Edit(("sex", "residence"), "每千名活产数中未满5周岁死亡的儿童数"),
    ("children", "适龄儿童国家免疫规划疫苗接种率"): Edit(("residence",),
        "应接种国家免疫规划疫苗的适龄儿童中实际接种的比例"),
    ("children", "5岁以下儿童生长迟缓率"): Edit(("sex",), "5岁以下儿童中年龄别身高低于标准中位数2个标准差的比例"),
    ("children", "7岁以下儿童健康管理率"): Edit(("age_group:0-2,3-6",), "7岁以下儿童中当年接受1次及以上体格检查的比例"),
    # 儿童与教育
    ("children", "学前教育毛入园率"): Edit(("sex", "residence"), "学前三年在园幼儿数占3—5岁适龄儿童数的比例"),
    ("children", "九年义务教育巩固率"): Edit(("sex", "residence"),
        "初中毕业班学生数占该年级入小学一年级时学生数的比例"),
    ("children", "高中阶段毛入学率"): Edit(("sex",), "高中阶段在校生数占15—17岁年龄组人口数的比例"),
    # 学前3年毛入园率 (women's plans) is 学前教育毛入园率 (children's plans) by another name, and
    # 市中区's women's plan says 义务教育巩固率 for 九年义务教育巩固率: the office links them by
    # hand, as name matching alone cannot. (山亭区's women's plan spells 九年义务教育巩固率
    # exactly, so init links that one by itself.)
    ("women", "学前3年毛入园率"): Edit((), same_as=("children", "学前教育毛入园率")),
    ("women", "义务教育巩固率"): Edit((), same_as=("children", "九年义务教育巩固率")),
    # 妇女与健康、教育、社会保障、参与决策
    ("women", "孕产妇死亡率"): Edit(("residence",), "每10万活产数中孕产妇死亡数"),
    ("women", "妇女常见病筛查率"): Edit(("age_group:20-34,35-49,50-64", "residence"),
                   "20—64岁妇女中当年接受妇女常见病筛查的比例"),
    ("women", "孕产妇系统管理率"): Edit(("residence",),
        "活产数中按规定接受早孕建册、产前检查、住院分娩和产后访视的比例"),
    ("women", "全区镇街党政正职中女干部总数"): Edit(("residence",),
        "镇、街道党政正职中的女干部人数（街道计入城镇，镇计入农村）"),
    ("women", "妇女基本医疗保险参保率"): Edit(("residence",),
        "参加基本医疗保险（职工医保、城乡居民医保）的妇女占应参保妇女的比例"),
    ("women", "妇女基本养老保险参保率"): Edit(("residence",),
        "参加基本养老保险（职工养老、城乡居民养老）的妇女占应参保妇女的比例"),
}


def catalogue_edits_yaml(session: Session) -> str:
    """The edited catalogue file: only the indicators the demo changes, as an office would send.

    Indicators left out of the file stay unchanged on import, so the file holds just the
    edits (plus the read-only name, which import checks, so a wrong code cannot slip by).
    """
    current = {(i["subject"], i["name"]): i for i in catalogue_data(session)["indicators"]}
    missing = sorted(set(EDITS) - set(current))
    if missing:
        raise KeyError(f"示例目录中没有这些指标 indicators not in the catalogue: {missing}")
    entries = []
    for key, edit in EDITS.items():
        entry: dict[str, object] = {"code": current[key]["code"], "name": current[key]["name"]}
        if edit.breakdowns:
            entry["breakdowns"] = list(edit.breakdowns)
        if edit.definition:
            entry["definition"] = edit.definition
        if edit.same_as:
            entry["same_as"] = current[edit.same_as]["code"]
        entries.append(entry)
    body = yaml.safe_dump({"planwatch_catalogue": 1, "indicators": entries},
                          allow_unicode=True, sort_keys=False, width=1000)
    return "# 示例数据，非真实统计：区统计局补充的指标分组与定义 (demo catalogue edits)\n" + body


def apply_catalogue_edits(session: Session) -> list[Change]:
    """Import the demo's edits within the caller's transaction; returns what changed."""
    return import_catalogue(session, catalogue_edits_yaml(session), actor=ACTOR, source=SOURCE)
