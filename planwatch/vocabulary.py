"""The words every layer shares, defined once: comparators, subjects, breakdowns, verdicts.

The plan reader's models, the database's CHECK constraints, the assessment's frame checks,
the reports and the command line all speak of the same few closed sets. Each set is a
``Literal`` type here, and its tuple is derived from that type (``typing.get_args``), so
the static type, the runtime check and the database constraint cannot drift apart.

This module sits at the bottom of the layers: it imports nothing from planwatch and no
third-party package, so any module — the plan reader, the store, the web pages — may use it
without pulling in a database or a report stack. (Polars schemas of the assessment's
frames live in :mod:`planwatch.assess.frames`, which may import Polars.)

Migrations keep their own frozen copies of these sets on purpose: a migration states the
schema as it was at that revision.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

# --------------------------------------------------------------------------- plans

Comparator = Literal["<=", "<", ">=", ">", "=", "~", "maintain"]
"""How a value is compared with its target (the plan phrases: planwatch.plan.semantics).

``>=`` is 达到/不低于/X以上 (a floor), ``<=`` 控制在/降至/X以下 (a ceiling), ``~`` is 左右
(a band), ``maintain`` is 保持/稳定在 without 以上/以下: the value must hold at that level
every year, on the side of the indicator's better direction.  ``=`` is never produced by
the reader; it stays accepted for hand-made catalogues (same meaning as ``maintain``,
judged in the target year only).
"""
COMPARATORS: Final[tuple[str, ...]] = get_args(Comparator)

COMPARATOR_SIGNS: Final[dict[str, str]] = {
    ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈", "maintain": "保持",
}
"""How a comparator is printed for people."""

RelativeKind = Literal["percent", "points", "multiple", "annual_growth", "annual_points"]
"""How a relative target is measured from its base-year figure b (n years to the target):
percent b×(1+v/100), points b+v, multiple b×v, annual_growth b×(1+v/100)ⁿ, annual_points
b+v×n."""
RELATIVE_KINDS: Final[tuple[str, ...]] = get_args(RelativeKind)

DirectionKind = Literal["increase", "decrease", "maintain", "eliminate"]
DIRECTIONS: Final[tuple[str, ...]] = get_args(DirectionKind)

DIRECTION_WORDS: Final[dict[str, str]] = {
    "increase": "逐步提高", "decrease": "逐步下降", "maintain": "保持稳定", "eliminate": "基本消除",
}
"""A directional target as the plans word it."""

Better = Literal["higher", "lower", "hold"]
"""Which way an indicator improves; ``hold`` for a ratio that should stay in a band."""
BETTER: Final[tuple[str, ...]] = get_args(Better)

Subject = Literal["women", "children", "other"]
SUBJECTS: Final[tuple[str, ...]] = get_args(Subject)
SUBJECT_LABELS: Final[dict[str, str]] = {"women": "妇女", "children": "儿童", "other": "其他"}

TargetKind = Literal["quantitative", "directional", "qualitative"]
TARGET_KINDS: Final[tuple[str, ...]] = get_args(TargetKind)

UnitRole = Literal["lead", "responsible"]
UNIT_ROLES: Final[tuple[str, ...]] = get_args(UnitRole)

MonitoringMode = Literal["quantitative", "qualitative", "excluded"]
MONITORING_MODES: Final[tuple[str, ...]] = get_args(MonitoringMode)
MONITORING_LABELS: Final[dict[str, str]] = {
    "quantitative": "量化监测", "qualitative": "定性评价", "excluded": "不纳入监测",
}
"""How a target is followed: by figures, by its lead units' self-evaluation, or not at all."""

AreaLevel = Literal["country", "province", "city", "county", "street"]
AREA_LEVELS: Final[tuple[str, ...]] = get_args(AreaLevel)

# --------------------------------------------------------------------------- breakdowns

BreakdownDimension = Literal["sex", "age_group", "residence"]
BREAKDOWN_DIMENSIONS: Final[tuple[str, ...]] = get_args(BreakdownDimension)

TOTAL: Final = "total"
"""The breakdown key of the undisaggregated figure."""

SEX: Final[tuple[str, ...]] = ("female", "male")
RESIDENCE: Final[tuple[str, ...]] = ("urban", "rural")
AGE_GROUPS_CHILDREN: Final[tuple[str, ...]] = ("0-5", "6-11", "12-17")
AGE_GROUPS_ADULTS: Final[tuple[str, ...]] = ("18-34", "35-59", "60+")

DIMENSION_LABELS: Final[dict[str, str]] = {"sex": "性别", "age_group": "年龄组", "residence": "城乡"}
CATEGORY_LABELS: Final[dict[str, str]] = {"female": "女", "male": "男", "urban": "城镇", "rural": "农村"}


def breakdown_key(dimension: str, category: str) -> str:
    """``("sex", "female")`` → ``sex=female``: how a breakdown is keyed everywhere."""
    return f"{dimension}={category}"


def breakdown_label(breakdown: str) -> str:
    """``sex=female`` → ``女``; ``age_group=0-5`` → ``0-5岁``; ``total`` → ``合计``."""
    if breakdown == TOTAL:
        return "合计"
    parts = []
    for pair in breakdown.split(";"):
        dim, _, cat = pair.partition("=")
        if dim == "age_group":
            parts.append(cat if cat.endswith("岁") else f"{cat}岁")
        else:
            parts.append(CATEGORY_LABELS.get(cat, cat))
    return "·".join(parts)


# --------------------------------------------------------------------------- collection

SubmissionState = Literal["draft", "submitted", "reviewed", "approved", "returned"]
SUBMISSION_STATES: Final[tuple[str, ...]] = get_args(SubmissionState)
STATE_LABELS: Final[dict[str, str]] = {
    "draft": "草稿",
    "submitted": "已报送",
    "reviewed": "已审核",
    "approved": "已审定",
    "returned": "已退回",
}

Timeliness = Literal["on-time", "late", "overdue", "pending"]
TIMELINESS: Final[tuple[str, ...]] = get_args(Timeliness)
TIMELINESS_LABELS: Final[dict[str, str]] = {
    "on-time": "按时",
    "late": "逾期报送",
    "overdue": "逾期未报",
    "pending": "未到截止日",
}
"""A unit's reporting for a year against its deadline (planwatch.collect.status)."""

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[str, ...]] = get_args(Severity)

Rating = Literal["完成", "基本完成", "未完成"]
"""A lead unit's self-evaluation of a qualitative target."""
RATINGS: Final[tuple[str, ...]] = get_args(Rating)

# --------------------------------------------------------------------------- assessment

ACHIEVED: Final = "已实现"
BASICALLY_ACHIEVED: Final = "基本实现"
ON_TRACK: Final = "预计可实现"
AT_RISK: Final = "预计达标困难"
REGRESSING: Final = "逆向变化"
INSUFFICIENT: Final = "数据不足"

Status = Literal["已实现", "基本实现", "预计可实现", "预计达标困难", "逆向变化", "数据不足"]
STATUSES: Final[tuple[str, ...]] = get_args(Status)
"""In report order, best first."""

W_AT_RISK: Final = AT_RISK
W_REGRESSING: Final = REGRESSING
W_VOLATILE: Final = "波动较大"
W_MISSING: Final = "数据缺失"
W_OUTLIER: Final = "异常值"
W_NOT_HELD: Final = "未能保持"
W_LATE: Final = "迟报"

WARNINGS: Final[tuple[str, ...]] = (W_AT_RISK, W_REGRESSING, W_VOLATILE, W_MISSING, W_OUTLIER, W_NOT_HELD, W_LATE)
"""迟报 needs submission deadlines, so only the input reader can raise it; the others come
from the engine."""

Method = Literal["default", "un", "opensdg"]
METHODS: Final[tuple[str, ...]] = get_args(Method)

METHOD_LABELS: Final[dict[str, str]] = {
    "default": "近5年年均变化线性外推（德国可持续发展战略方法）",
    "un": "年均复合增长率外推，预计进展/所需进展（联合国2023年进展图方法）",
    "opensdg": "观测/所需年均复合增长率之比（Open SDG 进展测度）",
}

# --------------------------------------------------------------------------- reports

REPORT_KINDS: Final[dict[str, str]] = {
    "annual": "年度监测报告",
    "midterm": "中期评估报告",
    "final": "终期评估报告",
    "warnings": "预警清单",
    "compendium": "统计资料",
    "units": "任务分工表",
}
"""Every report planwatch writes, in the order ``report all`` writes them."""

# --------------------------------------------------------------------------- output


OutputFormat = Literal["table", "json", "csv", "yaml"]
"""Every way a command or an API answer can be printed; each command offers a subset below."""
OUTPUT_FORMATS: Final[tuple[str, ...]] = get_args(OutputFormat)

DataFormat = Literal["table", "json"]
"""Listings and imports: a table for people, JSON for scripts."""
AssessFormat = Literal["table", "json", "csv"]
"""The assessment also as CSV, one row per judged target."""
CatalogueFormat = Literal["table", "json", "yaml"]
"""A parsed catalogue also as YAML, for reading by hand."""
