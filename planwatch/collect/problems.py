"""Validation as data: every problem is an object with a stable id, a message and a place.

Checks never print or raise for bad input; they yield :class:`Problem` objects and a
:class:`Report` collects them. The CLI (and the web layer) decide how to show a report and
use :attr:`Report.valid` for the exit code, so the same result serves a terminal, JSON and tests.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem: its stable id, default severity and Chinese message template."""

    code: str
    severity: Severity
    template: str
    title: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    t.code: t
    for t in [
        # --- file and layout -------------------------------------------------------------
        ProblemType("unreadable-file", "error", "无法读取文件：{reason}", "file cannot be read"),
        ProblemType(
            "unsupported-format", "error",
            "不支持的文件格式“{suffix}”，请使用填报模板（.xlsx）或 CSV 文件", "unsupported format",
        ),
        ProblemType(
            "wrong-sheet", "error",
            "找不到工作表“{expected}”（文件中的工作表：{found}），请使用系统生成的填报模板",
            "wrong or missing sheet",
        ),
        ProblemType(
            "tampered-layout", "error",
            "模板结构被改动：{detail}。请勿增删行列或修改锁定单元格，请重新下载模板填报",
            "template layout was changed",
        ),
        ProblemType(
            "missing-column", "error", "缺少必需的列“{name}”", "required column missing"
        ),
        ProblemType(
            "metadata-mismatch", "error",
            "{field}不一致：本行为“{found}”，文件其他行为“{expected}”",
            "metadata differs between rows",
        ),
        ProblemType(
            "file-too-large", "error", "{what}超过上限（{size} > {limit}），未读取", "file over the size limit"
        ),
        ProblemType(
            "too-many-rows", "error", "数据行超过上限 {limit} 行，未继续读取", "more rows than the limit"
        ),
        ProblemType(
            "unknown-column", "error", "无法识别的列“{name}”（可用的列：{known}）", "unknown column"
        ),
        ProblemType(
            "duplicate-column", "error", "列“{name}”重复（第一次出现在“{first}”列）", "column given twice"
        ),
        ProblemType("unknown-area", "error", "未知地区“{area}”", "unknown area"),
        ProblemType("unknown-unit", "error", "地区“{area}”下没有填报单位“{unit}”", "unknown unit"),
        ProblemType("invalid-year", "error", "年份“{year}”无效", "invalid year"),
        ProblemType(
            "unit-retired", "error",
            "填报单位“{unit}”已于{since}年度起停用，不能报送{year}年度数据{successor}",
            "the unit was retired before this year",
        ),
        # --- rows -----------------------------------------------------------------------
        ProblemType("unknown-indicator", "error", "未知指标代码“{indicator}”", "unknown indicator"),
        ProblemType(
            "indicator-not-assigned", "error",
            "指标“{indicator}”（{name}）不由{unit}填报", "indicator not reported by this unit",
        ),
        ProblemType(
            "indicator-in-series", "warning",
            "指标“{indicator}”与“{series}”（{name}）共用一个数据序列，本行数据按“{series}”保存",
            "indicator shares the series of another; stored under the series",
        ),
        ProblemType(
            "unknown-breakdown", "error",
            "指标“{indicator}”没有分组“{breakdown}”", "breakdown not defined for indicator",
        ),
        ProblemType("duplicate-row", "error",
                    "指标“{indicator}”分组“{breakdown}”重复填报（首次出现在第 {first_row} 行）",
                    "duplicate row"),
        ProblemType("non-numeric", "error", "“{field}”应为数字，实际为“{text}”", "not a number"),
        ProblemType(
            "ambiguous-separator", "error",
            "“{field}”为“{text}”：逗号只能作千位分隔符（每三位一组，如 1,234.5），小数请用小数点（如 12.5）",
            "comma that is not a thousands separator (decimal comma?)",
        ),
        ProblemType(
            "number-too-large", "error", "“{field}”为“{text}”，超出可接受的数值范围（绝对值不超过 {limit}）",
            "number beyond any real statistic",
        ),
        ProblemType(
            "cell-too-long", "error", "“{field}”过长（{length} 字，上限 {limit} 字）", "cell text too long"
        ),
        ProblemType(
            "negative-value", "error", "“{field}”不能为负数：{value}", "negative value"
        ),
        ProblemType(
            "missing-required", "error",
            "指标“{indicator}”（{name}）{breakdown}未填报数值；如确实无法提供，请在“备注”中说明原因",
            "required value missing",
        ),
        ProblemType(
            "value-not-reported", "warning",
            "指标“{indicator}”（{name}）未填报数值，说明：{note}", "value not reported (explained)",
        ),
        ProblemType(
            "rate-out-of-range", "error",
            "比率 {value}{unit} 超出 0–{base}{unit} 的范围", "rate outside 0–100 % (or its base)",
        ),
        ProblemType(
            "value-out-of-range", "error",
            "数值 {value}{unit} 超出该指标允许范围 {lower}–{upper}",
            "value outside indicator's range",
        ),
        ProblemType(
            "computed-value-out-of-range", "error",
            "由分子 {numerator}、分母 {denominator} 算得 {value}{unit}，超出该指标允许范围 {lower}–{upper}",
            "rate from numerator and denominator outside indicator's range",
        ),
        ProblemType(
            "numerator-exceeds-denominator", "error",
            "分子 {numerator} 大于分母 {denominator}", "numerator > denominator",
        ),
        ProblemType("zero-denominator", "error", "分母为 0，无法计算比率", "denominator is zero"),
        ProblemType(
            "rate-incomplete", "error",
            "比率类指标应同时填写分子和分母（已填：{given}）", "numerator or denominator missing",
        ),
        ProblemType(
            "rate-without-counts", "warning",
            "比率类指标未填写分子和分母，今后无法与其他地区正确汇总", "rate given without counts",
        ),
        ProblemType(
            "rate-inconsistent", "error",
            "填报值 {value}{unit} 与分子/分母计算值 {computed}{unit} 不一致",
            "value inconsistent with numerator/denominator",
        ),
        ProblemType(
            "suspect-unit-scale", "error",
            "填报值 {value} 约为历年数值（约 {typical}）的 {factor} 倍，"
            "疑似计量单位错误（应为“{unit}”）",
            "value looks like the wrong unit",
        ),
        ProblemType(
            "breakdown-sum-mismatch", "error",
            "“{dimension}”各分组之和 {parts} 与合计 {total} 不符", "breakdowns do not add up",
        ),
        ProblemType(
            "breakdown-outside-total", "error",
            "合计比率 {total} 不在“{dimension}”各分组比率（{low}–{high}）之间",
            "total rate not between its breakdown rates",
        ),
        ProblemType(
            "year-on-year-jump", "warning",
            "较上年（{previous_year} 年 {previous}）变化 {change}，"
            "远超历年波动（通常不超过 {usual}），请核实",
            "year-on-year change far outside history",
        ),
        # --- submission level -----------------------------------------------------------
        ProblemType(
            "submission-locked", "error",
            "{unit} {year} 年数据已审定（第 {revision} 版），已锁定，不能再导入",
            "approved data is locked",
        ),
        ProblemType(
            "conflicting-report", "warning",
            "{other_unit} 报送的同一指标“{indicator}”{breakdown}为 {other_value}，"
            "与本单位 {value} 不一致",
            "another unit reported a different value",
        ),
        ProblemType("empty-file", "error", "文件中没有任何数据行", "no data rows"),
        # --- exchange formats (planwatch.exchange.sdmx) ---------------------------------------
        ProblemType("sdmx-structure", "error",
                    "SDMX 数据结构“{found}”不是本系统的数据结构“{expected}”，无法按指标目录读取",
                    "SDMX structure not planwatch's"),
        ProblemType("sdmx-action", "error",
                    "SDMX 操作“{action}”（删除）不能导入：导入只能新增一版数据，删除请在本系统中退回或重新填报",
                    "SDMX delete action"),
        ProblemType("unknown-code", "error",
                    "{label}（{dimension}）的代码“{found}”不在数据结构的代码表中", "code not in the codelist"),
        # --- self-evaluations of qualitative targets (planwatch.collect.selfeval) ------------
        ProblemType("invalid-cycle", "error",
                    "评估周期“{cycle}”无效：应为年份（如 2023）、midterm（中期）或 final（终期）{detail}",
                    "invalid evaluation cycle"),
        ProblemType("unknown-target", "error",
                    "目标“{target}”在目录中不存在（规划目录已重新载入？请重新下载模板）",
                    "unknown target"),
        ProblemType("target-not-qualitative", "error",
                    "目标“{target}”的监测方式不是定性评价，不填自评（量化监测的由指标数据评估，不纳入监测的不评价）",
                    "target is not qualitative"),
        ProblemType("target-not-led", "error",
                    "目标“{target}”的牵头单位不是{unit}（牵头单位：{leads}）",
                    "target not led by this unit"),
        ProblemType("invalid-rating", "error",
                    "自评结果“{text}”无效，只能是：完成 / 基本完成 / 未完成", "invalid rating"),
        ProblemType("missing-rating", "error",
                    "目标“{target}”填写了依据但未选择自评结果", "evidence without rating"),
        ProblemType("missing-evidence", "error",
                    "目标“{target}”自评为“{rating}”，必须填写完成情况及依据（主要工作、数据或文件）",
                    "rating without evidence"),
        ProblemType("not-evaluated", "warning",
                    "目标“{target}”未填写自评，本次不录入（原有自评保持不变）",
                    "target left unrated"),
    ]
}


PROBLEM_LABELS: dict[str, str] = {
    "unreadable-file": "文件无法读取",
    "unsupported-format": "文件格式不支持",
    "wrong-sheet": "工作表不符",
    "tampered-layout": "模板格式被改动",
    "missing-column": "缺少必需的列",
    "metadata-mismatch": "表头信息不一致",
    "file-too-large": "文件超过大小限制",
    "too-many-rows": "行数超过限制",
    "unknown-column": "未知的列",
    "duplicate-column": "列重复",
    "unknown-area": "未知地区",
    "unknown-unit": "未知单位",
    "invalid-year": "年份无效",
    "unit-retired": "单位已停用",
    "unknown-indicator": "未知指标",
    "indicator-not-assigned": "非本单位填报的指标",
    "indicator-in-series": "指标并入同一数据序列",
    "unknown-breakdown": "未定义的分组",
    "duplicate-row": "重复行",
    "non-numeric": "不是数值",
    "ambiguous-separator": "逗号用法不明（疑为小数逗号）",
    "number-too-large": "数值大得不合常理",
    "cell-too-long": "单元格文字过长",
    "negative-value": "负值",
    "missing-required": "必填数值缺失",
    "value-not-reported": "数值未报（已说明）",
    "rate-out-of-range": "比率超出范围",
    "value-out-of-range": "数值超出指标范围",
    "computed-value-out-of-range": "分子分母算得的数值超出指标范围",
    "numerator-exceeds-denominator": "分子大于分母",
    "zero-denominator": "分母为零",
    "rate-incomplete": "分子或分母缺失",
    "rate-without-counts": "比率未附分子分母",
    "rate-inconsistent": "数值与分子分母不符",
    "suspect-unit-scale": "疑似计量单位错误",
    "breakdown-sum-mismatch": "分组数之和与合计不符",
    "breakdown-outside-total": "合计比率不在各分组之间",
    "year-on-year-jump": "较上年变化异常",
    "submission-locked": "数据已审定锁定",
    "conflicting-report": "与其他单位报送的数值冲突",
    "empty-file": "没有数据行",
    "sdmx-structure": "SDMX 数据结构不符",
    "sdmx-action": "SDMX 删除操作",
    "unknown-code": "代码不在代码表中",
    "invalid-cycle": "评估周期无效",
    "unknown-target": "未知目标",
    "target-not-qualitative": "不是定性目标",
    "target-not-led": "非本单位牵头的目标",
    "invalid-rating": "自评等级无效",
    "missing-rating": "有佐证无自评等级",
    "missing-evidence": "有自评等级无佐证",
    "not-evaluated": "目标未自评",
}
"""The Chinese name of each kind of problem, for pages and tables that show the kind beside
its message (the id stays the stable key; a test keeps the two tables in step)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in an input file, and exactly where."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def place(self) -> str:
        """Human-readable place, e.g. ``a.xlsx!数据填报!G7``."""
        parts = [p for p in (self.file, self.sheet) if p]
        cell = ""
        if self.column and self.row:
            cell = f"{self.column}{self.row}" if len(self.column) <= 3 else (
                f"第{self.row}行 {self.column}列"
            )
        elif self.row:
            cell = f"第{self.row}行"
        elif self.column:
            cell = f"{self.column}列"
        if cell:
            parts.append(cell)
        return "!".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
        }


def problem(
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Problem:
    """Build a problem from its registered template, so messages stay uniform per id."""
    kind = PROBLEM_TYPES[code]
    message = kind.template.format(**{k: _fmt(v) for k, v in params.items()})
    return Problem(
        code=code,
        severity=severity or kind.severity,
        message=message,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        params=params,
    )


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
    return value


@dataclass
class Report:
    """All problems found in one input file plus counts a reviewer wants to see.

    Every problem is kept and counted (``stats`` and :attr:`valid` see them all), but at
    most ``listed`` are shown — in the JSON lists and the table — followed by “另有 M 个问题”:
    a file of 200,000 duplicate rows is refused with its count, not with 200,000 lines.
    """

    file: str
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    listed: int | None = None
    """How many problems are shown at most (None: all); see :mod:`planwatch.limits`."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def counts(self) -> dict[str, int]:
        return dict(Counter(p.code for p in self.problems))

    def shown(self) -> list[Problem]:
        """The problems listed: errors first, then by sheet and row, at most ``listed``."""
        ordered = sorted(
            self.problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0)
        )
        return ordered if self.listed is None else ordered[: self.listed]

    @property
    def omitted(self) -> int:
        """Problems counted but not listed."""
        return 0 if self.listed is None else max(0, len(self.problems) - self.listed)

    def omitted_note(self) -> str | None:
        if not self.omitted:
            return None
        return (f"另有 {self.omitted} 个问题未列出（共 {len(self.problems)} 个：错误 {len(self.errors)} 个，"
                f"警告 {len(self.warnings)} 个）")

    def to_dict(self) -> dict[str, Any]:
        shown = self.shown()
        return {
            "file": self.file,
            "valid": self.valid,
            "stats": {**self.stats, "errors": len(self.errors), "warnings": len(self.warnings)},
            "errors": [p.to_dict() for p in shown if p.severity == "error"],
            "warnings": [p.to_dict() for p in shown if p.severity == "warning"],
            "omitted": self.omitted,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        """(severity, code, place, message) rows, errors first, for any table renderer.

        When problems were left out, a last row says how many (``omitted_note``).
        """
        rows = [
            ("错误" if p.severity == "error" else "警告", p.code, p.place, p.message)
            for p in self.shown()
        ]
        note = self.omitted_note()
        if note:
            rows.append(("…", "", "", note))
        return rows
