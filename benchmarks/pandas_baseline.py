"""The default method written the straightforward way: pandas, one series at a time.

This is the baseline the vectorised engine is measured against, and a second, independent
implementation of the same rules: the benchmark checks that both give the same statuses.
It covers what ``planwatch.assess.assess(method="default")`` computes per series —
latest value, trend, projection, status, must-hold violations, directional targets,
volatility, outliers, warnings and the reason sentence.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from planwatch.assess.config import AssessConfig

EPS = 1e-9
CMP_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到", "maintain": "保持在"}


def _num(x: float) -> str:
    r = round(x, 2)
    return str(int(r)) if r == int(r) else str(r)


def _sense(t: dict[str, Any]) -> int:
    c = t["comparator"]
    if c in (">=", ">"):
        return 1
    if c in ("<=", "<"):
        return -1
    if c == "~":
        return 0
    return {"higher": 1, "lower": -1}.get(t["better"], 0)


def _units(x: float, decimals: int) -> float:
    """x in units of the last printed digit, rounded half away from zero."""
    y = x * 10.0**decimals
    return math.copysign(math.floor(abs(y) + 0.5 + 1e-7), y)


def _meets(v: float, t: dict[str, Any], cfg: AssessConfig) -> bool:
    d = int(t["decimals"])
    v_u, t_u, s = _units(v, d), _units(t["target_value"], d), _sense(t)
    if s == 0:
        return round(abs(v_u - t_u) - cfg.approx_tolerance_rel * abs(t_u), 6) <= 0
    diff = (v_u - t_u) * s
    return diff > 0 if t["comparator"] in (">", "<") else diff >= 0


def _shortfall(v: float, t: dict[str, Any], cfg: AssessConfig) -> float:
    d = int(t["decimals"])
    v_u, t_u, s = _units(v, d), _units(t["target_value"], d), _sense(t)
    if s == 0:
        return abs(v_u - t_u) - cfg.approx_tolerance_rel * abs(t_u)
    return (t_u - v_u) * s + (1.0 if t["comparator"] in (">", "<") else 0.0)


def _clamp(x: float, t: dict[str, Any]) -> float:
    lo, hi = t["lower_limit"], t["upper_limit"]
    if lo is not None and not pd.isna(lo) and x < lo:
        x = lo
    if hi is not None and not pd.isna(hi) and x > hi:
        x = hi
    return x


def assess_one(g: pd.DataFrame, t: dict[str, Any], as_of: int, cfg: AssessConfig) -> dict[str, Any]:
    g = g[g["year"] <= as_of].sort_values("year")
    out: dict[str, Any] = {"status": "数据不足", "warnings": [], "reason": ""}
    if g.empty:
        out["warnings"] = ["数据缺失"]
        return out
    years = g["year"].to_numpy()
    values = g["value"].to_numpy(dtype=float)
    ly, lv = int(years[-1]), float(values[-1])
    in_win = years >= ly - cfg.trend_window_years
    wy, wv = years[in_win], values[in_win]
    # the least-squares slope over every year of the window (two years: the end points)
    a = (float(np.polyfit(wy - ly, wv, 1)[0]) if len(wy) >= max(cfg.min_trend_points, 2)
         else None)

    # volatility and outliers from a least-squares line over the window
    volatile, outliers = False, []
    if len(wy) >= 3:
        slope, intercept = np.polyfit(wy - ly, wv, 1)
        resid = wv - (intercept + slope * (wy - ly))
        if len(wy) >= cfg.min_volatility_points:
            sd = math.sqrt(float(np.sum(resid**2)) / (len(wy) - 2))
            scale = max(abs(slope), cfg.volatility_level_floor_rel * abs(float(np.mean(wv))))
            volatile = scale > 0 and sd / scale >= cfg.volatility_threshold
        if len(wy) >= cfg.min_outlier_points:
            med = float(np.median(resid))
            mad = float(np.median(np.abs(resid - med)))
            floor = EPS * max(abs(float(np.mean(wv))), 1.0)
            spread: float | None
            if mad > floor:
                spread = mad / 0.6745
            else:
                mean_ad = float(np.mean(np.abs(resid - med)))
                spread = mean_ad * 1.253314 if mean_ad > floor else None
            if spread:
                outliers = [int(y) for y, e in zip(wy, resid, strict=True)
                            if abs(e - med) / spread >= cfg.outlier_z]

    if t["kind"] == "directional":
        status = _directional(t, wv, a, lv, cfg)
        out.update(status=status, reason=f"{wy[0]}—{ly}年方向性判断：{status}")
    else:
        status, reason, threatened = _quantitative(t, g, ly, lv, a, wy, as_of, cfg)
        out.update(status=status, reason=reason)
        if threatened:
            out["warnings"].append("预计达标困难")
    warnings: list[str] = out["warnings"]
    if out["status"] == "预计达标困难" and "预计达标困难" not in warnings:
        warnings.append("预计达标困难")
    if out["status"] == "逆向变化":
        warnings.append("逆向变化")
    if volatile:
        warnings.append("波动较大")
    if ly < as_of:
        warnings.append("数据缺失")
    if outliers:
        warnings.append("异常值")
    if t["kind"] == "quantitative" and t["must_hold"]:
        broken = [int(y) for y, v in zip(years, values, strict=True)
                  if t["baseline_year"] < y <= as_of and not _meets(float(v), t, cfg)]
        if broken:
            warnings.append("未能保持")
    return out


def _directional(t: dict[str, Any], wv: np.ndarray, a: float | None, lv: float,
                 cfg: AssessConfig) -> str:
    d = t["direction"]
    if d == "eliminate" and lv <= cfg.eliminate_max:
        return "已实现"
    if a is None:
        return "数据不足"
    m = a / abs(wv[0]) if abs(wv[0]) > 1e-12 else float(np.sign(a))
    s = {"increase": 1, "decrease": -1, "eliminate": -1}.get(d, _sense(t))
    sig = cfg.directional_significant_rel
    ms = m * s
    up, down = round(ms - sig, 6) >= 0, round(ms + sig, 6) <= 0
    if d == "maintain" and s == 0:
        return "已实现" if round(abs(m) - sig, 6) < 0 else "预计达标困难"
    if d == "maintain":
        return "逆向变化" if down else "已实现"
    if d == "eliminate":
        return "预计可实现" if up else ("逆向变化" if down else "预计达标困难")
    if up:
        return "已实现"
    if round(ms, 6) > 0:
        return "基本实现"
    return "逆向变化" if down else "预计达标困难"


def _quantitative(t: dict[str, Any], g: pd.DataFrame, ly: int, lv: float, a: float | None,
                  wy: np.ndarray, as_of: int, cfg: AssessConfig) -> tuple[str, str, bool]:
    tv = t["target_value"]
    unit = t["unit"]
    target_text = f"{CMP_WORDS.get(t['comparator'], '')}{_num(tv)}{unit}"
    s = _sense(t)
    if _meets(lv, t, cfg):
        threatened = False
        if a is not None and ly < t["target_year"]:
            proj = _clamp(lv + a * (t["target_year"] - ly), t)
            threatened = not _meets(proj, t, cfg)
        return "已实现", f"{ly}年为{_num(lv)}{unit}，已达到目标（{target_text}）", threatened
    short = _shortfall(lv, t, cfg)
    if round(short - cfg.basic_tolerance_rel * abs(_units(tv, int(t["decimals"]))), 6) <= 0:
        return "基本实现", f"{ly}年为{_num(lv)}{unit}，基本实现", False
    if a is None:
        return "数据不足", f"截至{as_of}年数据不足", False
    s_eff = int(np.sign(tv - lv)) if abs(tv - lv) > EPS else s
    years_left = max(t["target_year"] - ly, 0)
    proj = _clamp(lv + a * years_left, t)
    if round((a * s_eff + cfg.reverse_deadband_rel * abs(lv)) / max(abs(lv), 1.0), 9) < 0:
        return "逆向变化", f"{wy[0]}—{ly}年变化方向与目标相反", False
    ratio = (proj - lv) / (tv - lv) if abs(tv - lv) > 1e-12 else None
    verb = "提高" if a > 0 else "下降"
    reason = (f"按{wy[0]}—{ly}年平均每年{verb}{_num(abs(a))}推算，{t['target_year']}年约为"
              f"{_num(proj)}{unit}")
    if (ratio is not None and round(ratio - cfg.default_on_track_ratio, 6) >= 0) or _meets(
        proj, t, cfg
    ):
        return "预计可实现", reason, False
    return "预计达标困难", reason, False


def assess_pandas(observations: pd.DataFrame, targets: pd.DataFrame, as_of: int,
                  cfg: AssessConfig | None = None) -> pd.DataFrame:
    """Loop over the series, one pandas group at a time."""
    cfg = cfg or AssessConfig()
    tmap = {(r["indicator_code"], r["area_code"]): r for r in targets.to_dict("records")}
    rows = []
    for (ind, area, br), g in observations.groupby(["indicator_code", "area_code", "breakdown"]):
        t = tmap.get((ind, area))
        if t is None:
            continue
        r = assess_one(g, t, as_of, cfg)
        r.update(indicator_code=ind, area_code=area, breakdown=br)
        rows.append(r)
    return pd.DataFrame(rows)
