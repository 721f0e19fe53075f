"""Synthetic figures (示例数据，非真实统计) shaped to exercise every assessment verdict.

Each indicator of each area gets one scenario, chosen by a hash of (area, code) so the
demo is the same on every run and machine: already met, on track, hard to reach,
fluctuating, regressing, or missing (reported for two years, then "no data" with a reason).
The path runs from a baseline near the target towards (or away from) it; a relative target
(以2020年为基数下降20%) runs from a typical 2020 level to the bound it implies for that level
(planwatch.plan.semantics), so the assessment, which resolves it against the 2020 figure,
sees the scenario intended; rates come with
a numerator and denominator that reproduce the value, as a real report would.

Breakdowns (女/男, 城镇/农村, age groups) are split from the total the way a register
would give them: the denominators (or counts) are shared out by population shares, and the
"bad side" of a rate (the rate itself when lower is better, else its shortfall from 100 %)
is spread with a realistic gap — boys' mortality above girls', rural coverage below urban —
weighted so that the parts' numerators and denominators add up to the total's exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from planwatch.collect import breakdowns as bd
from planwatch.collect.context import IndicatorSpec
from planwatch.collect.fill import Figure
from planwatch.plan.semantics import resolve_relative

LABEL = "示例数据，非真实统计"
SCENARIOS = ("met", "on-track", "hard", "fluctuating", "regressing", "missing")
SCENARIO_LABELS = {
    "met": "已实现",
    "on-track": "预计可实现",
    "hard": "预计达标困难",
    "fluctuating": "波动较大",
    "regressing": "逆向变化",
    "missing": "数据缺失",
}
START_GAP = {
    "met": 0.04, "on-track": 0.10, "hard": 0.15, "fluctuating": 0.08, "regressing": 0.06,
    "missing": 0.10,
}  # fmt: skip
FIRST_YEAR = 2020
TARGET_YEAR = 2025
MISSING_NOTE = "该指标暂无统计渠道，本年无法提供数据（示例）"
COUNT_UNITS = {"人", "名", "个", "所", "家", "项", "次"}
TYPICAL_LEVEL = {"%": 60.0, "‰": 5.0, "/10万": 10.0, "/万": 10.0, "/千": 3.0, "岁": 78.0,
                 "小时": 1.5, "比": 1.2}  # fmt: skip
DENOMINATORS = {100.0: 5_000, 1000.0: 40_000, 10_000.0: 200_000, 100_000.0: 150_000}


@dataclass(frozen=True)
class Target:
    comparator: str | None
    value: float | None
    relative: str | None = None
    """The kind of a relative target (``value`` is then the signed amount)."""


def _hash(*parts: str) -> int:
    return int(hashlib.sha256(":".join(parts).encode()).hexdigest()[:12], 16)


def scenario_of(area_code: str, code: str) -> str:
    return SCENARIOS[_hash(area_code, code) % len(SCENARIOS)]


def _direction(spec: IndicatorSpec, target: Target) -> int:
    if target.comparator in ("<=", "<"):
        return -1
    if target.comparator in (">=", ">"):
        return 1
    return -1 if spec.better == "lower" else 1


def series(
    area_code: str, spec: IndicatorSpec, target: Target, years: range
) -> tuple[str, dict[int, float | None]]:
    """(scenario, {year: value or None}) for one indicator of one area."""
    scenario = scenario_of(area_code, spec.code)
    sign = _direction(spec, target)
    goal = target.value
    if target.relative is not None and goal is not None:
        start = TYPICAL_LEVEL.get(spec.unit or "", 20.0)
        goal = resolve_relative(target.relative, goal, start, TARGET_YEAR - FIRST_YEAR)
    else:
        if goal is None:
            level = TYPICAL_LEVEL.get(spec.unit or "", 20.0)
            goal = level * (1 + 0.1 * sign)
        gap = START_GAP[scenario]
        distance = abs(goal) * gap if goal else 2.0 * gap * 10
        start = goal - sign * distance
    out: dict[int, float | None] = {}
    for year in years:
        t = year - FIRST_YEAR
        if scenario == "met":
            v = start + (goal - start) * t / 2.5
        elif scenario == "on-track":
            v = start + (goal - start) * t / (TARGET_YEAR - FIRST_YEAR)
        elif scenario == "hard":
            v = start + (goal - start) * 0.3 * t / (TARGET_YEAR - FIRST_YEAR)
        elif scenario == "fluctuating":
            v = start + (goal - start) * 0.5 * t / 5 + (goal - start) * 0.8 * (-1) ** t
        elif scenario == "regressing":
            v = start - (goal - start) * 0.8 * t / (TARGET_YEAR - FIRST_YEAR)
        else:
            v = start + (goal - start) * t / (TARGET_YEAR - FIRST_YEAR)
            if t >= 2:
                out[year] = None
                continue
        out[year] = _clamp(spec, v)
    return scenario, out


def _clamp(spec: IndicatorSpec, v: float) -> float:
    low = spec.lower_limit if spec.lower_limit is not None else 0.0
    high = spec.upper_limit
    if spec.is_rate and spec.rate_base:
        high = spec.rate_base if high is None else min(high, spec.rate_base)
    v = max(v, low)
    if high is not None:
        v = min(v, high)
    return v


def figure(area_code: str, spec: IndicatorSpec, value: float | None, year: int) -> Figure:
    """The cells a clerk would fill for ``value``: counts for rates, rounding as printed."""
    if value is None:
        return Figure(note=MISSING_NOTE)
    if spec.is_rate and spec.rate_base:
        base = spec.rate_base
        scale = DENOMINATORS.get(base, 10_000)
        den = scale + _hash(area_code, spec.code, str(year)) % (scale // 5)
        num = round(value * den / base)
        return Figure(round(num / den * base, 2), num, den)
    if (spec.unit or "") in COUNT_UNITS:
        return Figure(float(round(value)))
    return Figure(round(value, 2))


SHARES: dict[str, dict[str, float]] = {
    "sex": {"female": 0.48, "male": 0.52},
    "age_group": {"0-2": 0.42, "3-6": 0.58, "20-34": 0.31, "35-49": 0.37, "50-64": 0.32},
}
"""Population shares of each category (denominators of rates, parts of counts)."""
URBAN_SHARE = {"370103": 0.92, "370406": 0.38}
"""市中区 is almost all 街道; 山亭区 is mostly 镇 and villages."""
BAD_SIDE = {
    "sex=female": 0.88, "sex=male": 1.12,
    "residence=urban": 0.75, "residence=rural": 1.35,
    "age_group=0-2": 0.80, "age_group=3-6": 1.15,
    "age_group=20-34": 1.25, "age_group=35-49": 0.80, "age_group=50-64": 1.10,
}  # fmt: skip
"""Relative size of each category's mortality, or shortfall from full coverage."""


def _shares(area_code: str, dim: bd.Dimension, code: str, year: int) -> list[float]:
    if dim.name == "residence":
        urban = URBAN_SHARE.get(area_code, 0.6)
        base = {"urban": urban, "rural": 1 - urban}
    else:
        base = SHARES.get(dim.name, {})
    raw = []
    for cat in dim.categories:
        jitter = 1 + ((_hash(area_code, code, str(year), cat) % 21) - 10) / 1000
        raw.append(base.get(cat, 1 / len(dim.categories)) * jitter)
    total = sum(raw)
    return [r / total for r in raw]


def _split(whole: int, shares: list[float]) -> list[int] | None:
    """Integers in proportion to ``shares`` that add up to ``whole`` (the last takes the rest)."""
    parts = [round(whole * s) for s in shares[:-1]]
    last = whole - sum(parts)
    return None if last < 0 else [*parts, last]


def breakdown_figures(
    area_code: str, spec: IndicatorSpec, total: Figure, year: int
) -> dict[str, Figure]:
    """breakdown key → Figure for each category of each dimension, consistent with ``total``.

    Rates split the total's numerator and denominator, counts split the total; other
    units (hours, ratios) have no sum to honour and get no breakdowns. A total not
    reported (a note instead) leaves the breakdown rows empty too.
    """
    out: dict[str, Figure] = {}
    if total.value is None or not spec.dims:
        return out
    for dim in spec.dims:
        keys = [bd.key(dim.name, c) for c in dim.categories]
        shares = _shares(area_code, dim, spec.code, year)
        if spec.is_rate and spec.rate_base and isinstance(total.numerator, int | float) \
                and isinstance(total.denominator, int | float):
            parts = _rate_parts(spec, keys, shares, int(total.numerator), int(total.denominator))
        elif (spec.unit or "") in COUNT_UNITS and isinstance(total.value, int | float):
            counts = _split(int(total.value), shares)
            parts = [Figure(float(n)) for n in counts] if counts else []
        else:
            parts = []
        out.update(zip(keys, parts, strict=False))
    return out


def _rate_parts(
    spec: IndicatorSpec, keys: list[str], shares: list[float], num: int, den: int
) -> list[Figure]:
    base = spec.rate_base or 100.0
    dens = _split(den, shares)
    if dens is None or min(dens) <= 0:
        return []
    lower_better = spec.better == "lower"
    rate = num / den * base
    bad = rate if lower_better else base - rate
    factors = [BAD_SIDE.get(k, 1.0) for k in keys]
    norm = sum(d / den * f for d, f in zip(dens, factors, strict=True))
    rates = [bad * f / norm if lower_better else base - bad * f / norm for f in factors]
    nums = [round(r * d / base) for r, d in zip(rates[:-1], dens[:-1], strict=True)]
    nums.append(num - sum(nums))
    if not all(0 <= n <= d for n, d in zip(nums, dens, strict=True)):
        proportional = _split(num, [d / den for d in dens])
        if proportional is None or not all(0 <= n <= d for n, d in zip(proportional, dens, strict=True)):
            return []
        nums = proportional
    return [Figure(round(n / d * base, 2), n, d) for n, d in zip(nums, dens, strict=True)]
