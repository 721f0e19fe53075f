"""The catalogue: what the plan reader produces from plan documents.

These models are the single in-memory shape that every reader writes and every later
stage (database load, YAML review, reports) reads. They are pydantic models so that the
JSON output and its published JSON Schema come from one definition and cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from planwatch.vocabulary import Comparator as Comparator
from planwatch.vocabulary import DirectionKind as DirectionKind
from planwatch.vocabulary import RelativeKind as RelativeKind
from planwatch.vocabulary import Subject as Subject

UNITS: dict[str, str] = {
    "%": "百分比",
    "‰": "千分比",
    "/10万": "每10万",
    "/万": "每万",
    "/千": "每千（每千名、每千人口）",
    "人": "人数",
    "名": "人数（名）",
    "个": "个数",
    "所": "所数",
    "家": "家数",
    "项": "项数",
    "次": "次数",
    "岁": "岁",
    "年": "年数",
    "小时": "小时数",
    "天": "天数",
    "工作日": "工作日数",
    "张": "张数（如床位）",
    "比": "比例（如 3:2，值为前项除以后项）",
    "百分点/年": "每年百分点",
    "百分点": "百分点",
    "亿元": "亿元",
    "万元": "万元",
    "元": "元",
    "平方米": "平方米",
    "倍": "倍数（相对目标：翻一番为2倍）",
    "": "无量纲",
}
"""Canonical unit spellings. Readers map every printed spelling onto one of these keys."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Indicator(_Model):
    """A quantitative target: an indicator, how it compares, and to what."""

    name: str = Field(description="指标名称, e.g. 孕产妇死亡率")
    comparator: Comparator
    value: float = Field(description="目标值 in `unit`; 3:2 is 1.5, 一半 is 50 %")
    unit: str = Field(description="canonical unit, one of the keys of planwatch.plan.model.UNITS")
    raw: str = Field(description="the exact source substring the target was read from")
    relative: RelativeKind | None = Field(
        default=None,
        description=(
            "set for a target relative to a base-year figure (以2020年为基数下降20%): then "
            "`value` is the signed change (-20) in `unit` (% / 百分点 / 倍 / 百分点/年) and "
            "`comparator` the bound it becomes (<= for a fall, >= for a rise)"
        ),
    )
    base_year: int | None = Field(
        default=None,
        description="基数年份 of a relative target; null: the plan's baseline year (2020 for 十四五)",
    )


class Direction(_Model):
    """A directional target: no number, only the way the indicator should move."""

    name: str = Field(description="指标或现象, e.g. 妇女人均预期寿命")
    direction: DirectionKind
    raw: str = Field(description="the exact source substring")


class Target(_Model):
    """A numbered 主要目标 with the units answerable for it."""

    number: int
    text: str
    lead_units: list[str] = Field(default_factory=list, description="牵头单位")
    responsible_units: list[str] = Field(default_factory=list, description="责任单位")
    responsible_units_note: str | None = Field(
        default=None, description="trailing phrase such as 等区妇儿工委有关成员单位"
    )
    indicators: list[Indicator] = Field(default_factory=list)
    directions: list[Direction] = Field(default_factory=list)


class Measure(_Model):
    """A numbered 策略措施; its short title is the first sentence (保障孕产妇安全分娩)."""

    number: int
    title: str
    text: str
    indicators: list[Indicator] = Field(default_factory=list)


class Domain(_Model):
    """A 发展领域 such as 妇女与健康."""

    name: str
    targets: list[Target] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class Period(_Model):
    start: int
    end: int


class Plan(_Model):
    """One plan: a 发展规划, or the quantitative content of another policy document."""

    title: str
    issuer: str | None = Field(default=None, description="发文机关, e.g. 济南市市中区人民政府")
    doc_number: str | None = Field(default=None, description="文号, e.g. 山政发〔2022〕2号")
    date: dt.date | None = Field(default=None, description="成文日期")
    region: str | None = Field(default=None, description="e.g. 济南市市中区")
    subject: Subject
    period: Period | None = None
    domains: list[Domain] = Field(default_factory=list)


class ParseWarning(_Model):
    """Something the reader could not read; it still returns what it could."""

    file: str
    line: int | None = None
    message: str


class Catalogue(_Model):
    """Everything read from one or more plan files."""

    plans: list[Plan] = Field(default_factory=list)
    warnings: list[ParseWarning] = Field(default_factory=list)

    def target_count(self) -> int:
        """Main targets (主要目标) of the development plans; other documents have none."""
        return sum(len(d.targets) for p in self.plans if p.subject != "other" for d in p.domains)
