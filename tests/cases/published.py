"""Published verdicts of the statistics offices on the 纲要 targets, and planwatch's on the same figures.

The cases live in ``cases.yaml`` beside this module (sources in ``README.md``). A case is one
indicator judged in one published report: the outline's target text as printed, the figures
the reports give up to that year, and the verdict words the office printed. This module
reads them, turns the published words into a verdict class with one documented table
(``WORD_CLASSES``), runs planwatch on the same figures and compares.

Two paths reach a planwatch status:

* ``engine_statuses`` — the target text goes through the plan reader's target extraction
  (``planwatch.plan.quantities`` / ``.directions``), the figures through
  ``planwatch.assess.assess``. It skips init, templates and approval, so it measures the
  reading of the target phrase and the verdict rules alone.
* ``tests/cases/whole_path.py`` — the outline's text through ``init`` … ``assess``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fast_yaml
import polars as pl

from planwatch.assess import assess
from planwatch.plan.directions import extract_directions
from planwatch.plan.quantities import extract_indicators

HERE = Path(__file__).resolve().parent
CASES_FILE = HERE / "cases.yaml"

NATIONAL = "000000"
"""The national area's code in planwatch's areas (全国; the division codes have none)."""

MET, NEARLY, NOT_MET = "met", "nearly", "not_met"
CLASSES = (MET, NEARLY, NOT_MET)

ACCEPTED: dict[str, frozenset[str]] = {
    MET: frozenset({"已实现"}),
    NEARLY: frozenset({"基本实现"}),
    NOT_MET: frozenset({"预计可实现", "预计达标困难", "逆向变化"}),
}
"""Which planwatch statuses agree with each published class.

A target the office calls met must be 已实现; 基本实现 (missed by a hair) must be 基本实现;
a target it says is still short (差距, 尚未实现) may be any status that does not claim the
target is met — whether the gap will close by the target year is planwatch's projection,
which the office's sentence does not state."""

WORD_CLASSES: tuple[tuple[str, str], ...] = (
    # Negative words first: "尚未实现" contains "实现", "未达标" contains "达标".
    ("差距", NOT_MET),
    ("越来越接近", NOT_MET),  # moving toward the target, counted among the unmet
    ("尚未", NOT_MET),
    ("未实现", NOT_MET),
    ("未达", NOT_MET),  # 未达到, 未达标, 仍未达…目标
    ("基本实现", NEARLY),
    ("接近", NEARLY),
    ("实现", MET),
    ("达标", MET),
    ("达到目标", MET),
    ("达到规划目标", MET),
    ("已达", MET),
    ("超过", MET),
    ("高于", MET),
    ("低于", MET),
    ("优于", MET),
    ("之内", MET),
    ("以内", MET),
    ("一致", MET),
)
"""Published verdict words → class, first match wins (README: 判定词映射)."""


class CaseError(ValueError):
    """A case that cannot be read or run; the message names the case."""


def class_of_words(words: str) -> str:
    """The class of a published verdict phrase (提前实现 → met, 仍有差距 → not_met)."""
    for word, cls in WORD_CLASSES:
        if word in words:
            return cls
    raise CaseError(f"判定词无法归类 verdict words not in WORD_CLASSES: {words!r}")


@dataclass(frozen=True)
class Outline:
    key: str
    title: str
    issuer: str
    doc_number: str
    start: int
    end: int
    baseline_year: int
    plan_file: str | None


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    publisher: str
    published: str
    read_at: str
    note: str


@dataclass(frozen=True)
class Case:
    id: str
    outline: Outline
    report: Report
    area_code: str
    area: str
    domain: str
    indicator: str
    unit: str
    target_text: str
    target_source: str
    series: dict[int, float]
    as_of: int
    verdict: str
    sentence: str
    expected: str
    holdout: bool
    baseline_year: int | None = None
    baseline_value: float | None = None
    derived: tuple[int, ...] = field(default_factory=tuple)

    def figures(self) -> dict[int, float]:
        """The figures a statistician had when the report was written (years ≤ as_of)."""
        return {y: v for y, v in sorted(self.series.items()) if y <= self.as_of}


def _need(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] is None:
        raise CaseError(f"{where}: 缺少字段 missing field {key!r}")
    return entry[key]


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """Read and check ``cases.yaml``; a malformed entry stops with its id and field."""
    # libyaml: the same data (compared on 2026-11-30) in a tenth of the 50 ms the pure-Python
    # reader took, paid by every pytest-xdist worker when the file is collected.
    data = fast_yaml.safe_load(path.read_text(encoding="utf-8"))
    outlines = {
        key: Outline(
            key=key,
            title=_need(o, "title", f"outlines.{key}"),
            issuer=_need(o, "issuer", f"outlines.{key}"),
            doc_number=o.get("doc_number") or "",
            start=int(_need(o, "period", f"outlines.{key}")[0]),
            end=int(o["period"][1]),
            baseline_year=int(_need(o, "baseline_year", f"outlines.{key}")),
            plan_file=o.get("plan_file"),
        )
        for key, o in data["outlines"].items()
    }
    reports = {
        key: Report(
            key=key,
            title=_need(r, "title", f"reports.{key}"),
            publisher=_need(r, "publisher", f"reports.{key}"),
            published=str(_need(r, "published", f"reports.{key}")),
            read_at=_need(r, "read_at", f"reports.{key}"),
            note=r.get("note") or "",
        )
        for key, r in data["reports"].items()
    }
    cases: list[Case] = []
    seen: set[str] = set()
    for i, entry in enumerate(data["cases"]):
        where = f"cases[{i}] {entry.get('id', '?')}"
        cid = str(_need(entry, "id", where))
        if cid in seen:
            raise CaseError(f"{where}: id 重复 duplicate id")
        seen.add(cid)
        outline_key = _need(entry, "outline", where)
        report_key = _need(entry, "report", where)
        if outline_key not in outlines:
            raise CaseError(f"{where}: 未知纲要 unknown outline {outline_key!r}")
        if report_key not in reports:
            raise CaseError(f"{where}: 未知报告 unknown report {report_key!r}")
        expected = _need(entry, "expected", where)
        if expected not in CLASSES:
            raise CaseError(f"{where}: expected 应为 {CLASSES}，实为 {expected!r}")
        series = {int(y): float(v) for y, v in _need(entry, "series", where).items()}
        as_of = int(_need(entry, "as_of", where))
        if as_of not in series:
            raise CaseError(f"{where}: 报告年份 {as_of} 没有数值 no figure for as_of")
        baseline = entry.get("baseline") or {}
        cases.append(
            Case(
                id=cid,
                outline=outlines[outline_key],
                report=reports[report_key],
                area_code=str(entry.get("area_code", NATIONAL)),
                area=str(entry.get("area", "全国")),
                domain=_need(entry, "domain", where),
                indicator=_need(entry, "indicator", where),
                unit=str(_need(entry, "unit", where)),
                target_text=_need(entry, "target_text", where),
                target_source=_need(entry, "target_source", where),
                series=series,
                as_of=as_of,
                verdict=_need(entry, "verdict", where),
                sentence=_need(entry, "sentence", where),
                expected=expected,
                holdout=bool(_need(entry, "holdout", where)),
                baseline_year=int(baseline["year"]) if "year" in baseline else None,
                baseline_value=float(baseline["value"]) if "value" in baseline else None,
                derived=tuple(int(y) for y in entry.get("derived") or ()),
            )
        )
    return cases


def same_name(a: str, b: str) -> bool:
    """Names as a statistician would match them: 的 and spaces ignored, one name inside the
    other (the reader's 低体重率 for 5岁以下儿童低体重率; its 疫苗接种率以乡（镇）为单位 for
    疫苗接种率)."""
    a, b = a.replace("的", "").replace(" ", ""), b.replace("的", "").replace(" ", "")
    return a in b or b in a


def target_row(case: Case) -> dict[str, Any]:
    """The case's target as the plan reader reads its text, as one row of the targets frame."""
    common: dict[str, Any] = {
        "target_id": case.id,
        "indicator_code": case.id,
        "area_code": case.area_code,
        "target_year": case.outline.end,
        "baseline_year": case.baseline_year or case.outline.baseline_year,
        "unit": case.unit,
        "plan": case.outline.title,
        "domain": case.domain,
        "indicator_name": case.indicator,
    }
    for ind in extract_indicators(case.target_text):
        if not same_name(ind.name, case.indicator):
            continue
        value, unit = ind.value, ind.unit or case.unit
        relative = getattr(ind, "relative", None)
        if relative is not None:
            # Resolved against the base-year figure by the semantics module's own rule, as the
            # loader does; without that figure the target cannot be judged.
            from planwatch.plan.semantics import resolve_relative

            base_year = ind.base_year or case.outline.baseline_year
            if base_year not in case.series:
                raise CaseError(f"{case.id}: 相对目标缺少{base_year}年基数 no base-year figure")
            value = resolve_relative(relative, ind.value, case.series[base_year],
                                     case.outline.end - base_year)
            unit = case.unit
            common["baseline_year"] = base_year
        return {**common, "kind": "quantitative", "comparator": ind.comparator,
                "target_value": value, "unit": unit}
    for d in extract_directions(case.target_text):
        if same_name(d.name, case.indicator):
            return {**common, "kind": "directional", "direction": d.direction}
    raise CaseError(
        f"{case.id}: 规划读取器没有从目标文字中读出“{case.indicator}” "
        f"the reader finds no target for this indicator in {case.target_text!r}"
    )


def series_key(case: Case) -> str:
    """One series per outline, area and indicator, whichever report gave the figure."""
    return f"{case.outline.key}|{case.area_code}|{case.indicator}"


def merged_series(cases: Sequence[Case]) -> dict[str, dict[int, float]]:
    """Every figure the reports published, merged per series; a year two reports give
    differently is refused rather than silently chosen."""
    merged: dict[str, dict[int, float]] = {}
    for case in cases:
        series = merged.setdefault(series_key(case), {})
        for year, value in case.series.items():
            if series.get(year, value) != value:
                raise CaseError(f"{case.id}: {case.indicator} {year}年两份报告数值不同 "
                                f"{series[year]} ≠ {value}")
            series[year] = value
    return merged


def engine_statuses(cases: Sequence[Case], method: str = "default") -> dict[str, dict[str, Any]]:
    """planwatch's verdict on each case, through the reader's target reading and ``assess``.

    Each case is judged on its own (its id is the indicator code) as of the report's year,
    with every figure of its series published for that year or earlier (by any report).
    Cases whose target the reader cannot read are returned with status ``None`` and the
    reader's message as reason.
    """
    out: dict[str, dict[str, Any]] = {}
    published = merged_series(cases)
    by_year: dict[int, list[Case]] = {}
    for case in cases:
        by_year.setdefault(case.as_of, []).append(case)
    for year, group in sorted(by_year.items()):
        rows, obs = [], []
        for case in group:
            try:
                rows.append(target_row(case))
            except CaseError as exc:
                out[case.id] = {"status": None, "reason": str(exc), "target": None}
                continue
            obs += [
                {"indicator_code": case.id, "area_code": case.area_code, "breakdown": "total",
                 "year": y, "value": v}
                for y, v in sorted(published[series_key(case)].items()) if y <= year
            ]
        if not rows:
            continue
        result = assess(pl.DataFrame(obs), pl.DataFrame(rows), year, method)
        for r in result.iter_rows(named=True):
            target = (
                f"{r['comparator']} {r['target_value']:g}{r['unit']}"
                if r["kind"] == "quantitative"
                else f"方向 {r['direction']}"
            )
            out[r["indicator_code"]] = {"status": r["status"], "reason": r["reason"], "target": target}
    return out


@dataclass(frozen=True)
class Comparison:
    case: Case
    status: str | None
    target: str | None
    reason: str

    @property
    def agrees(self) -> bool:
        if self.status in ACCEPTED[self.case.expected]:
            return True
        # One figure and no trend: planwatch cannot project (数据不足) but its reason says the
        # target is not reached — the same statement as the office's 仍未达到, no claim of more.
        return self.case.expected == NOT_MET and self.status == "数据不足" and "尚未达到" in self.reason

    @property
    def calls_unmet_achieved(self) -> bool:
        """The failure a statistics office cannot sign: 已实现 where it said 未达标."""
        return self.case.expected == NOT_MET and self.status == "已实现"


def compare(cases: Iterable[Case], statuses: dict[str, dict[str, Any]]) -> list[Comparison]:
    return [
        Comparison(
            case=c,
            status=statuses.get(c.id, {}).get("status"),
            target=statuses.get(c.id, {}).get("target"),
            reason=statuses.get(c.id, {}).get("reason") or "（未评估 not assessed）",
        )
        for c in cases
    ]


def agreement(rows: Sequence[Comparison]) -> float:
    return sum(r.agrees for r in rows) / len(rows) if rows else 0.0


def agreement_table(rows: Sequence[Comparison], title: str) -> str:
    """The table a reviewer reads: case, year, figure, target, published words, planwatch."""
    lines = [title, f"{'':2}{'case':24}{'年':>5} {'数值':>8}  {'planwatch目标':16} {'公布判定':14} {'类':8} planwatch"]
    for r in rows:
        c = r.case
        mark = "  " if r.agrees else "✗ "
        lines.append(
            f"{mark}{c.id:24}{c.as_of:>5} {c.series[c.as_of]:>8g}  {r.target!s:16} "
            f"{c.verdict:14} {c.expected:8} {r.status}{'  [held out]' if c.holdout else ''}"
        )
    n = len(rows)
    ok = sum(r.agrees for r in rows)
    lines.append(f"一致 agreement: {ok}/{n} = {agreement(rows):.1%}")
    return "\n".join(lines)
