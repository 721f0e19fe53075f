"""What the figures say, in the words of a heading: per domain and for the whole plan.

The published monitoring reports head each domain with its finding ("妇女健康水平持续提高")
and open with an overall verdict ("实施总体进展顺利"). A program cannot know that a level
"持续" rose unless the figures show it, so both are derived here by a fixed rule from two
things the report also prints: the statuses of the domain's targets and how its indicators
moved since last year (judged on the figures as printed, ``change_sign``). The rule:

Heading of a domain (``domain_heading``), "<领域>：<进展>，<但/且><警示>":

* no monitorable target: 监测数据尚未报送，暂无法评估 (no figure at all) or
  可比数据不足，暂无法评估 (figures, but too few years);
* 进展, from the year-on-year changes of the targets with figures in both years:
  all improved → 可比指标均较上年改善; none worse → 可比指标较上年改善或持平;
  more improved than worse → 多数可比指标较上年改善; as many → 指标改善与退步并存;
  more worse → 多数可比指标较上年退步; none improved and none worse → 可比指标与上年持平;
  no pair of years → the attainment instead (可监测指标全部达标 / N项指标已达标 / 尚无指标达标);
* 警示, the most serious status present: N项指标出现逆向变化, else N项指标预计达标困难,
  else (when 进展 was about changes) 可监测指标全部达标 or N项指标已达标; joined with
  但 when 进展 is favourable and 警示 is not, otherwise with a comma.

Overall verdict (``overall_verdict``): 实施总体进展顺利 only when at least half the
monitorable targets are met, at most a quarter are 逆向变化 or 预计达标困难, and no more
indicators worsened than improved since last year; otherwise the sentence states what the
figures show (the counts), and says the data are incomplete when more than a third of the
targets have no usable figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from planwatch.assess import status as st
from planwatch.report.builders.parts import indicator_label
from planwatch.report.data import ReportData, attainment, better_of
from planwatch.report.formatting import row_decimals
from planwatch.report.sentences import change_sign, value_change_phrase


@dataclass
class Changes:
    """Year-on-year movement of some targets, towards or away from their targets."""

    better: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    worse: list[str] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return len(self.better) + len(self.level) + len(self.worse)


def year_changes(data: ReportData, rows: pl.DataFrame) -> Changes:
    """Indicators that moved towards, stayed level with, or moved away from their targets
    since last year, judged on the figures as printed; each with its change phrase.
    Targets without a better direction (出生人口性别比 held in a band) are left out."""
    year = data.year
    found = Changes()
    for r in rows.iter_rows(named=True):
        series = data.series(str(r["indicator_code"]), str(r["area_code"]), str(r["breakdown"]))
        before, now = series.get(year - 1), series.get(year)
        if before is None or now is None:
            continue
        sense = better_of(r["comparator"], r["direction"])
        if sense == "hold":
            continue
        decimals = row_decimals(r)
        sign = change_sign(before, now, decimals)
        phrase = value_change_phrase(indicator_label(r), before, now, r["unit"], year - 1, year,
                                     decimals)
        if sign == 0:
            found.level.append(phrase)
        elif (sign > 0) == (sense == "higher"):
            found.better.append(phrase)
        else:
            found.worse.append(phrase)
    return found


def _progress(changes: Changes) -> tuple[str, bool | None]:
    """The 进展 clause and whether it is favourable (None: neutral or no comparison)."""
    b, lv, w = len(changes.better), len(changes.level), len(changes.worse)
    if changes.compared == 0:
        return "", None
    if w == 0 and b == 0:
        return "可比指标与上年持平", None
    if w == 0 and lv == 0:
        return "可比指标均较上年改善", True
    if w == 0:
        return "可比指标较上年改善或持平", True
    if b > w:
        return "多数可比指标较上年改善", True
    if b == w:
        return "指标改善与退步并存", None
    return "多数可比指标较上年退步", False


def _attained(met: int, monitorable: int) -> str:
    if met == monitorable:
        return "可监测指标全部达标"
    return f"{met}项指标已达标" if met else "尚无指标达标"


def heading_finding(rows: pl.DataFrame, changes: Changes, has_figures: bool) -> str:
    """The finding of a domain's heading, by the rule in the module docstring."""
    att = attainment(rows)
    if att.monitorable == 0:
        return "可比数据不足，暂无法评估" if has_figures else "监测数据尚未报送，暂无法评估"
    progress, favourable = _progress(changes)
    regressing = att.counts.get(st.REGRESSING, 0)
    at_risk = att.counts.get(st.AT_RISK, 0)
    if regressing:
        warning, bad = f"{regressing}项指标出现逆向变化", True
    elif at_risk:
        warning, bad = f"{at_risk}项指标预计达标困难", True
    else:
        warning, bad = _attained(att.met, att.monitorable), False
    if not progress:
        first = _attained(att.met, att.monitorable)
        return first if not bad else f"{first}，{warning}"
    joiner = "，但" if favourable and bad else "，"
    return progress + joiner + warning


def domain_heading(domain: str, rows: pl.DataFrame, changes: Changes, has_figures: bool) -> str:
    return f"{domain}：{heading_finding(rows, changes, has_figures)}"


def smooth_progress(rows: pl.DataFrame, changes: Changes) -> bool:
    """The condition for 实施总体进展顺利 (module docstring)."""
    att = attainment(rows)
    if att.monitorable == 0:
        return False
    warned = att.counts.get(st.REGRESSING, 0) + att.counts.get(st.AT_RISK, 0)
    return (2 * att.met >= att.monitorable and 4 * warned <= att.monitorable
            and len(changes.worse) <= len(changes.better))


def overall_verdict(rows: pl.DataFrame, changes: Changes) -> str:
    """The opening's verdict, without the subject: "实施总体进展顺利，…" or the counts."""
    att = attainment(rows)
    if att.monitorable == 0:
        return "监测数据尚不足以评估规划实施进展"
    insufficient = att.counts.get(st.INSUFFICIENT, 0)
    incomplete = 3 * insufficient > att.total
    regressing = att.counts.get(st.REGRESSING, 0)
    at_risk = att.counts.get(st.AT_RISK, 0)
    if smooth_progress(rows, changes):
        text = f"实施总体进展顺利，可监测的{att.monitorable}项指标中{att.met}项已达标"
    else:
        text = f"可监测的{att.monitorable}项指标中{att.met}项已达标"
        alarms = [f"{n}项{w}" for w, n in (("出现逆向变化", regressing),
                                             ("预计达标困难", at_risk)) if n]
        if alarms:
            text += "，" + "、".join(alarms)
        if 2 * att.met < att.monitorable:
            text += "，实现规划目标仍有较大差距"
    if changes.compared:
        moved = [f"{len(items)}项{word}" for word, items in (
            ("改善", changes.better), ("持平", changes.level), ("退步", changes.worse)) if items]
        text += "；与上年相比，" + "、".join(moved)
    if incomplete:
        text += f"；另有{insufficient}项指标数据不足，监测数据尚不完整"
    return text


__all__ = [
    "Changes",
    "domain_heading",
    "heading_finding",
    "overall_verdict",
    "smooth_progress",
    "year_changes",
]
