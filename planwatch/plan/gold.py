"""Scoring the reader against a hand-checked gold file.

A gold file (YAML) lists, for each plan in a document, every numbered main target with its
domain, its number, the first characters of its text, the lead and responsible units where
the plan prints them, and its quantitative targets (comparator, value, unit). Three figures
come out, the ones issue 13 asks for:

* targets found with the right number and domain (and a text that starts as in the gold);
* printed units exact (lead and responsible lists equal, for gold targets that print units);
* quantitative targets with the right comparator, value and unit (matched one to one
  inside their target; a gold comparator may be a list of acceptable readings where the
  wording leaves it open, e.g. relative targets 以2020年为基数下降20%).

Targets the reader found that the gold does not list are counted as extra, so a reader that
invents targets cannot score well by volume.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planwatch.errors import PlanwatchError
from planwatch.plan.model import Catalogue, Indicator, Target


class GoldError(PlanwatchError):
    """The gold file cannot be read; the message names the file and the place."""

    code = "plan.gold"


@dataclass
class GoldIndicator:
    comparators: tuple[str, ...]
    value: float
    unit: str


@dataclass
class GoldTarget:
    domain: str
    number: int
    text: str
    lead: list[str] | None
    responsible: list[str] | None
    indicators: list[GoldIndicator]


@dataclass
class GoldPlan:
    subject: str | None
    targets: list[GoldTarget]


@dataclass
class Gold:
    path: Path
    text: Path | None
    held_back: bool
    meta: dict[str, Any]
    plans: list[GoldPlan]


@dataclass
class Score:
    """Counts behind the three figures; `misses` says what to look at by hand."""

    targets: int = 0
    targets_found: int = 0
    extra_targets: int = 0
    units: int = 0
    units_exact: int = 0
    indicators: int = 0
    indicators_right: int = 0
    indicators_eq_for_ge: int = 0
    """Misses only because 达到X was read as "=" where the gold says ">=" (being changed)."""
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.targets += other.targets
        self.targets_found += other.targets_found
        self.extra_targets += other.extra_targets
        self.units += other.units
        self.units_exact += other.units_exact
        self.indicators += other.indicators
        self.indicators_right += other.indicators_right
        self.indicators_eq_for_ge += other.indicators_eq_for_ge
        self.misses.extend(other.misses)

    @staticmethod
    def rate(hit: int, total: int) -> float | None:
        return hit / total if total else None

    def figures(self) -> dict[str, float | None]:
        return {
            "targets": self.rate(self.targets_found, self.targets),
            "units": self.rate(self.units_exact, self.units),
            "indicators": self.rate(self.indicators_right, self.indicators),
        }


def _where(path: Path, place: str) -> str:
    return f"{path}：{place}"


def load_gold(path: Path) -> Gold:
    """Read and check a gold file; every error names the file and the YAML path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldError(f"无法读取标准答案文件 {path}：{exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("plans"), list):
        raise GoldError(_where(path, "缺少 plans 列表 / missing 'plans' list"))
    plans: list[GoldPlan] = []
    for p, raw_plan in enumerate(data["plans"]):
        if not isinstance(raw_plan, dict) or not isinstance(raw_plan.get("targets", []), list):
            raise GoldError(_where(path, f"plans[{p}] 不是映射或 targets 不是列表"))
        targets = [
            _gold_target(path, f"plans[{p}].targets[{t}]", raw) for t, raw in enumerate(raw_plan.get("targets", []))
        ]
        plans.append(GoldPlan(subject=raw_plan.get("subject"), targets=targets))
    text = data.get("text")
    meta = {k: v for k, v in data.items() if k not in ("plans", "text", "held_back")}
    return Gold(
        path=path,
        text=(path.parent / text).resolve() if isinstance(text, str) else None,
        held_back=bool(data.get("held_back", False)),
        meta=meta,
        plans=plans,
    )


def _units(raw: Any, where: str, path: Path) -> list[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(u, str) for u in raw):
        raise GoldError(_where(path, f"{where} 应为单位名称列表"))
    return list(raw)


def _gold_target(path: Path, where: str, raw: Any) -> GoldTarget:
    if not isinstance(raw, dict):
        raise GoldError(_where(path, f"{where} 不是映射"))
    try:
        domain, number, text = str(raw["domain"]), int(raw["number"]), str(raw.get("text", ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldError(_where(path, f"{where} 需要 domain 和整数 number（{exc}）")) from exc
    indicators = []
    for i, ind in enumerate(raw.get("indicators") or []):
        try:
            comparator = ind["comparator"]
            comparators = tuple(comparator) if isinstance(comparator, list) else (str(comparator),)
            indicators.append(GoldIndicator(comparators, float(ind["value"]), str(ind.get("unit", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldError(_where(path, f"{where}.indicators[{i}] 需要 comparator、value、unit（{exc}）")) from exc
    return GoldTarget(
        domain=domain,
        number=number,
        text=text,
        lead=_units(raw.get("lead"), f"{where}.lead", path),
        responsible=_units(raw.get("responsible"), f"{where}.responsible", path),
        indicators=indicators,
    )


def _squash(text: str) -> str:
    return "".join(text.split())


def _indicator_matches(gold: GoldIndicator, found: Indicator) -> bool:
    return (
        found.comparator in gold.comparators
        and math.isclose(found.value, gold.value, rel_tol=1e-4, abs_tol=1e-6)
        and found.unit == gold.unit
    )


def score(catalogue: Catalogue, gold: Gold) -> Score:
    """Compare what the reader found in a document with its gold file."""
    result = Score()
    found: list[tuple[str, Target]] = [
        (d.name, t) for plan in catalogue.plans if plan.subject != "other" for d in plan.domains for t in d.targets
    ]
    used: set[int] = set()
    for plan in gold.plans:
        for g in plan.targets:
            result.targets += 1
            match = next(
                (
                    k
                    for k, (domain, t) in enumerate(found)
                    if k not in used
                    and domain == g.domain
                    and t.number == g.number
                    and _squash(t.text).startswith(_squash(g.text))
                ),
                None,
            )
            label = f"{gold.path.stem}：{g.domain}（{g.number}）{g.text}"
            has_units = bool(g.lead or g.responsible)
            result.units += has_units
            result.indicators += len(g.indicators)
            if match is None:
                result.misses.append(f"未找到目标 {label}")
                continue
            used.add(match)
            result.targets_found += 1
            target = found[match][1]
            if has_units:
                if target.lead_units == (g.lead or []) and target.responsible_units == (g.responsible or []):
                    result.units_exact += 1
                else:
                    result.misses.append(f"单位不符 {label}：{target.lead_units} / {target.responsible_units}")
            free = list(target.indicators)
            for gi in g.indicators:
                hit = next((f for f in free if _indicator_matches(gi, f)), None)
                if hit is None:
                    relaxed = GoldIndicator((*gi.comparators, "="), gi.value, gi.unit)
                    if ">=" in gi.comparators and any(_indicator_matches(relaxed, f) for f in free):
                        result.indicators_eq_for_ge += 1
                    result.misses.append(
                        f"量化目标不符 {label}：应为 {'|'.join(gi.comparators)} {gi.value:g} {gi.unit}，"
                        f"读到 {[(f.comparator, f.value, f.unit) for f in free]}"
                    )
                else:
                    free.remove(hit)
                    result.indicators_right += 1
    result.extra_targets = len(found) - len(used)
    return result
