"""达标率 the published way and the appendix 监测指标完成情况.

The bureaus write attainment as "110项指标中104项达标，达标率94.55%": N the targets that
can be judged (可监测: every target but 数据不足), M the 已实现 ones, the rate to two
decimals; the targets not met and those without figures are named apart. The appendix
table lists every target with its target, base-year, last-year and this-year figures and
是否达标, so each count in the text can be checked line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.parts import indicator_label, value_cell
from planwatch.report.data import ReportData, attainment, finite
from planwatch.report.formatting import row_decimals, with_unit
from planwatch.report.model import CellValue, Column, Table
from planwatch.report.sentences import list_phrase, published_attainment, target_text

MET = "是"
NOT_MET = "否"
NOT_REPORTED = "未填报"
PENDING = "待审定"
TOO_FEW = "数据不足"
NOT_MET_ORDER = (st.BASICALLY_ACHIEVED, st.ON_TRACK, st.AT_RISK, st.REGRESSING)
MAX_NAMED = 20
"""Up to this many targets that cannot be judged are named in the text; more are counted
by domain and named in the appendix table."""


def verdict(data: ReportData, row: dict[str, Any]) -> str:
    """是否达标 of one target: 是 for 已实现, 否 for the other judged statuses; a target
    that cannot be judged is 未填报 (no figure), 待审定 (figures awaiting approval) or
    数据不足 (figures, but too few years to judge)."""
    status = str(row["status"])
    if status == st.ACHIEVED:
        return MET
    if status != st.INSUFFICIENT:
        return NOT_MET
    if finite(row.get("latest_value")) is not None:
        return TOO_FEW
    if data.pending_years(str(row["indicator_code"]), str(row["area_code"])):
        return PENDING
    return NOT_REPORTED


@dataclass(frozen=True)
class Completion:
    """The counts and names behind the published attainment sentence."""

    total: int
    monitorable: int
    met: int
    not_met: dict[str, list[str]]
    """status → names of the targets judged but not met, in ``NOT_MET_ORDER``."""
    unjudged: dict[str, list[str]]
    """未填报 / 待审定 / 数据不足 → names."""
    unjudged_domains: dict[str, dict[str, int]]
    """未填报 / 待审定 / 数据不足 → domain → count, in the plan's domain order."""

    def sentence(self, subject: str) -> str:
        """全规划纳入监测的94项指标中，可监测39项。39项指标中10项达标，达标率25.64%；…"""
        text = f"{subject}纳入监测的指标共{self.total}项，可监测{self.monitorable}项。"
        text += published_attainment(self.monitorable, self.met)
        missed = sum(len(v) for v in self.not_met.values())
        if missed:
            text += f"；未达标{missed}项，其中" + "、".join(
                f"{s}{len(v)}项" for s, v in self.not_met.items() if v)
        unjudged = sum(len(v) for v in self.unjudged.values())
        if unjudged:
            kinds = [(k, len(v)) for k, v in self.unjudged.items() if v]
            text += f"。另有{unjudged}项指标暂无法评估，未计入达标率，" + (
                f"均为{kinds[0][0]}" if len(kinds) == 1 else
                "其中" + "、".join(f"{k}{n}项" for k, n in kinds))
        return text + "。"

    def lists(self, appendix: str) -> list[str]:
        """The names, 未达标 and 未填报 apart, one sentence each. A long list of targets
        that cannot be judged is given by domain, its names left to ``appendix`` (the
        completion table, where each is marked): the text stays about the findings."""
        out = []
        for status, names in self.not_met.items():
            if names:
                out.append(f"{status}的指标（{len(names)}项）：{list_phrase(names, 100)}。")
        for kind, names in self.unjudged.items():
            if not names:
                continue
            if len(names) <= MAX_NAMED:
                out.append(f"{kind}的指标（{len(names)}项）：{list_phrase(names, 100)}。")
                continue
            per = self.unjudged_domains[kind]
            out.append(f"{kind}的指标{len(names)}项，其中" + "、".join(
                f"{d}{n}项" for d, n in per.items()) + f"，逐项见{appendix}。")
        return out


def completion(data: ReportData, rows: pl.DataFrame) -> Completion:
    att = attainment(rows)
    not_met: dict[str, list[str]] = {s: [] for s in NOT_MET_ORDER}
    unjudged: dict[str, list[str]] = {NOT_REPORTED: [], PENDING: [], TOO_FEW: []}
    domains: dict[str, dict[str, int]] = {k: {} for k in unjudged}
    for r in rows.iter_rows(named=True):
        v = verdict(data, r)
        if v == NOT_MET:
            not_met.setdefault(str(r["status"]), []).append(indicator_label(r))
        elif v != MET:
            unjudged[v].append(indicator_label(r))
            per = domains[v]
            per[str(r["domain"])] = per.get(str(r["domain"]), 0) + 1
    met = att.met
    assert met + sum(len(v) for v in not_met.values()) == att.monitorable, "counts disagree"
    return Completion(att.total, att.monitorable, met, not_met, unjudged, domains)


def _base(data: ReportData, row: dict[str, Any], plan_base: int | None) -> CellValue:
    """The base-year figure; a base year other than the plan's is shown with its year."""
    year = row.get("baseline_year")
    if year is None:
        return None
    series = data.series(str(row["indicator_code"]), str(row["area_code"]), str(row["breakdown"]))
    value = series.get(int(year))
    if value is None:
        value = finite(row.get("baseline_value"))
    if value is None:
        return None
    if plan_base is not None and int(year) != plan_base:
        return f"{with_unit(value, None, row_decimals(row))}（{int(year)}年）"
    return value


def completion_table(data: ReportData, rows: pl.DataFrame, caption: str,
                     plan_base: int | None) -> Table:
    """监测指标完成情况: 领域, 指标, 单位, 目标, 基期值, 上年, 本年, 是否达标."""
    year = data.year
    body: list[list[CellValue]] = []
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        body.append([
            str(r["domain"]),
            indicator_label(r),
            r["unit"] or "",
            target_text(r["comparator"], r["target_value"], r["unit"], r["direction"]),
            _base(data, r, plan_base),
            series.get(year - 1),
            value_cell(data, r, year),
            verdict(data, r),
        ])
    base = f"基期为{plan_base}年，" if plan_base is not None else ""
    return Table(caption, [
        Column("领域", width=12), Column("指标", width=22), Column("单位", width=5),
        Column("目标", width=11), Column("基期值", "number", 2, width=10),
        Column("上年", "number", 2, width=10), Column("本年", "number", 2, width=11),
        Column("是否达标", width=8),
    ], body, notes=[
        f"注：{base}上年为{year - 1}年，本年为{year}年；基期年份不同的，数值后注明年份。"
        "“是”为已实现目标；“否”为可监测但尚未实现（含基本实现、预计可实现、预计达标困难、"
        "逆向变化）；“未填报”为没有报送数据，“待审定”为数据已报送尚未审核确认，“数据不足”为"
        "已有数据但年份不够、暂无法判断，这三类不计入达标率。",
    ])


__all__ = [
    "MET",
    "NOT_MET",
    "NOT_REPORTED",
    "Completion",
    "completion",
    "completion_table",
    "verdict",
]
