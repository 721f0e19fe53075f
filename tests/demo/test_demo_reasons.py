"""Every reason of the demo's 2024 assessment agrees with the numbers in its own row.

The checks are written independently of the engine: values are rounded here with
``decimal`` (half up, at the row's printed precision) and compared with the target by the
comparator's plain meaning. A sentence that says 已达到 or 可达到 beside a value that
misses, 低于目标 beside one that is not below, or a status its numbers do not support, is a
contradiction; the demo must have none.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from planwatch.assess.run import assess_workspace
from planwatch.demo import DemoSummary


def _r(x: float, decimals: int) -> Decimal:
    """Half up at ``decimals``, after wiping binary noise at nine decimals: a projection
    that is 3.015 by hand and 3.0149999999999992 in floating point is printed 3.02."""
    clean = Decimal(repr(x)).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    return clean.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _printed(x: float, decimals: int) -> str:
    return f"{_r(x, decimals).normalize():f}"


def _sense(row: dict[str, Any]) -> int:
    c = row["comparator"]
    if c in (">=", ">"):
        return 1
    if c in ("<=", "<"):
        return -1
    if c == "~":
        return 0
    return {"higher": 1, "lower": -1}.get(row["better"], 0)


def _meets(x: float, row: dict[str, Any], band_rel: float = 0.05) -> bool:
    d = row["decimals"]
    v, t = _r(x, d), _r(row["target_value"], d)
    s = _sense(row)
    if s == 0:
        return abs(v - t) <= Decimal(repr(band_rel)) * abs(t)
    if row["comparator"] in (">", "<"):
        return (v - t) * s > 0
    return (v - t) * s >= 0


def _contradictions(row: dict[str, Any]) -> list[str]:
    """What in this row's reason or status its own numbers contradict."""
    out: list[str] = []
    reason, status, d = row["reason"] or "", row["status"], row["decimals"]
    if row["kind"] != "quantitative" or row["latest_value"] is None:
        return out
    latest_met = _meets(row["latest_value"], row)
    m = re.search(r"(\d{4})年为(-?[0-9.]+)", reason)
    if m and m.group(1) == str(row["latest_year"]) and m.group(2) != _printed(row["latest_value"], d):
        out.append(f"latest printed {m.group(2)}, row {row['latest_value']}")
    un_near = "按联合国方法视为已实现" in reason  # the UN's 1-point rule, said as such
    if status == "已实现" and not latest_met and not un_near:
        out.append("已实现 but the rounded latest value misses the target")
    if status != "已实现" and latest_met:
        out.append(f"{status} but the rounded latest value meets the target")
    if "已达到" in reason and not latest_met:
        out.append("已达到 beside a value that misses")
    if status == "基本实现":
        gap = re.search(r"差(-?[0-9.]+)", reason)
        if gap is None or "基本实现" not in reason:
            out.append("基本实现 without saying by how much")
    proj = row["projection"]
    if proj is None:
        if any(w in reason for w in ("可达到", "接近目标", "约为")):
            out.append("projection words without a projection")
        return out
    proj_met = _meets(proj, row)
    pm = re.search(r"年约为(-?[0-9.]+)", reason)
    if pm and pm.group(1) != _printed(proj, d):
        out.append(f"projection printed {pm.group(1)}, row {proj}")
    t_r, p_r = _r(row["target_value"], d), _r(proj, d)
    if "可达到" in reason and not proj_met:
        out.append("可达到 but the rounded projection misses")
    if "低于目标" in reason and not p_r < t_r:
        out.append("低于目标 but the rounded projection is not below")
    if "高于目标" in reason and not p_r > t_r:
        out.append("高于目标 but the rounded projection is not above")
    if "接近" in reason and (proj_met or status != "预计可实现"):
        out.append("接近目标 on a projection that meets, or off track")
    if status == "预计可实现" and "约为" in reason and not ("可达到" in reason or "接近" in reason):
        out.append("预计可实现 without 可达到 or 接近目标")
    if status == "预计达标困难" and "可达到" in reason:
        out.append("预计达标困难 beside 可达到")
    if "不足3个年份" in reason and row["n_window"] >= 3:
        out.append("labelled as two years but has more")
    if "不足3个年份" not in reason and "约为" in reason and row["n_window"] < 3:
        out.append("projection from two years not labelled")
    return out


@pytest.mark.parametrize("method, year", [
    ("default", 2024), ("default", 2023), ("default", 2022), ("un", 2024), ("opensdg", 2024),
])
def test_no_reason_contradicts_its_numbers(demo: DemoSummary, method: str, year: int) -> None:
    wa = assess_workspace(demo.path, year, method=method)
    better = wa.inputs.targets.select("target_id", "better").unique("target_id")
    rows = wa.result.join(better, on="target_id", how="left").to_dicts()
    quant = [r for r in rows if r["kind"] == "quantitative" and r["latest_value"] is not None]
    problems = {
        f"{r['indicator_name']} {r['area_code']} {r['breakdown']}: {r['reason']}": p
        for r in quant
        if (p := _contradictions(r))
    }
    assert problems == {}
    if (method, year) != ("default", 2024):
        return
    # The walk is not vacuous: the demo has every kind of sentence it checks.
    assert {r["status"] for r in quant} >= {"已实现", "基本实现", "预计可实现", "预计达标困难", "逆向变化"}
    reasons = " ".join(r["reason"] for r in quant)
    for word in ("已达到", "可达到", "接近目标", "低于目标", "高于目标", "不足3个年份", "差"):
        assert word in reasons
    assert len(quant) > 100
