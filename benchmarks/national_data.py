"""A national-scale workspace, generated deterministically in memory.

2,844 county-level areas × 300 indicators × 3 breakdowns (total, female, male) × 5 years
(2019–2023) ≈ 12.8 million approved observations, plus one target per indicator × area
(853,200 targets). Everything is drawn with one seeded NumPy generator and assembled
with vectorised NumPy/Polars operations, so the same seed always gives the same data.

The series are built to exercise every branch of the assessment: rates bounded by 0 and
100, rates per 100,000, counts, trends towards and away from the targets, targets met at
baseline, must-hold targets, directional targets, noisy series, single spikes, and about
0.5 % of the observations missing (gaps in the years).
"""

from __future__ import annotations

import numpy as np
import polars as pl

YEARS = np.arange(2019, 2024, dtype=np.int32)
BREAKDOWNS = ["total", "sex=female", "sex=male"]
UNITS = np.array(["%", "%", "%", "%", "/10万", "‰", "人", "岁"])
RATE_BASE = {"%": 100.0, "‰": 1000.0, "/10万": 1e5}


def generate(
    n_areas: int = 2844, n_indicators: int = 300, seed: int = 20230101
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(observations, targets) in the schemas of ``planwatch.assess.frames``."""
    rng = np.random.default_rng(seed)
    n_b, n_y = len(BREAKDOWNS), len(YEARS)

    # Indicator properties.
    ind_codes = pl.Series([f"I{i:04d}" for i in range(n_indicators)])
    ind_unit = UNITS[rng.integers(0, len(UNITS), n_indicators)]
    ind_level = np.where(
        ind_unit == "%",
        rng.uniform(20, 97, n_indicators),
        np.where(
            ind_unit == "/10万",
            rng.uniform(5, 60, n_indicators),
            np.where(ind_unit == "‰", rng.uniform(2, 12, n_indicators),
                     np.where(ind_unit == "岁", rng.uniform(70, 82, n_indicators),
                              rng.uniform(50, 5000, n_indicators))),
        ),
    )
    higher_better = rng.random(n_indicators) < 0.6
    upper = np.where(ind_unit == "%", 100.0, np.where(ind_unit == "‰", 1000.0, np.inf))

    # Series: area-major, then indicator, then breakdown.
    n_series = n_areas * n_indicators * n_b
    s_ind = (np.arange(n_series) // n_b) % n_indicators
    s_area = np.arange(n_series) // (n_indicators * n_b)
    level = ind_level[s_ind] * rng.lognormal(0.0, 0.08, n_series)
    level = np.minimum(level, upper[s_ind] * 0.995)
    slope = level * rng.normal(0.01, 0.02, n_series)
    noise_sd = level * np.where(rng.random(n_series) < 0.1, 0.06, 0.004)

    # Observations: series-major, then year.
    n_obs = n_series * n_y
    o_series = np.repeat(np.arange(n_series), n_y)
    o_t = np.tile(np.arange(n_y), n_series).astype(np.float64) - 1.0  # 2020 is t = 0
    value = level[o_series] + slope[o_series] * o_t + rng.normal(0, 1, n_obs) * noise_sd[o_series]
    spike = rng.random(n_obs) < 0.002
    value = np.where(spike, value * 1.5, value)
    value = np.clip(value, 0.0, upper[s_ind][o_series])
    keep = rng.random(n_obs) >= 0.005

    unit_o = ind_unit[s_ind][o_series]
    base = np.select([unit_o == u for u in RATE_BASE], list(RATE_BASE.values()), default=np.nan)
    denominator = np.where(np.isnan(base), np.nan, np.round(rng.uniform(500, 20000, n_obs)))
    numerator = value * denominator / base

    area_codes = pl.Series([f"{110000 + i * 7:06d}" for i in range(n_areas)])
    idx = pl.Series(o_series[keep])
    obs = pl.DataFrame(
        {
            "indicator_code": ind_codes.gather(pl.Series(s_ind)[idx]),
            "area_code": area_codes.gather(pl.Series(s_area)[idx]),
            "breakdown": pl.Series(BREAKDOWNS).gather(idx % n_b),
            "year": YEARS[np.tile(np.arange(n_y), n_series)][keep],
            "value": value[keep],
            "numerator": numerator[keep],
            "denominator": denominator[keep],
        }
    ).with_columns(pl.col("numerator").fill_nan(None), pl.col("denominator").fill_nan(None))

    # Targets: one per indicator × area, from the total series' baseline level.
    n_t = n_areas * n_indicators
    t_ind = np.arange(n_t) % n_indicators
    t_area = np.arange(n_t) // n_indicators
    t_level = level[np.arange(n_t) * n_b]
    hb = higher_better[t_ind]
    ambition = rng.uniform(-0.03, 0.12, n_t)
    target_value = np.where(hb, t_level * (1 + ambition), t_level * (1 - ambition))
    target_value = np.round(np.minimum(target_value, upper[t_ind]), 1)
    kind_draw = rng.random(n_t)
    directional = kind_draw < 0.15
    must_hold = (kind_draw >= 0.15) & (kind_draw < 0.3)
    comparator = np.where(hb, ">=", "<=")
    direction = np.where(hb, "increase", "decrease")
    targets = pl.DataFrame(
        {
            "target_id": pl.int_range(n_t, eager=True).cast(pl.String),
            "indicator_code": ind_codes.gather(pl.Series(t_ind)),
            "area_code": area_codes.gather(pl.Series(t_area)),
            "kind": np.where(directional, "directional", "quantitative"),
            "comparator": comparator,
            "target_value": np.where(directional, np.nan, target_value),
            "target_year": np.full(n_t, 2025, dtype=np.int32),
            "baseline_year": np.full(n_t, 2020, dtype=np.int32),
            "direction": direction,
            "unit": ind_unit[t_ind],
            "better": np.where(hb, "higher", "lower"),
            "must_hold": must_hold,
            "lead_unit": pl.Series([f"单位{i % 37:02d}" for i in range(n_indicators)]).gather(
                pl.Series(t_ind)
            ),
            "plan": np.where(t_ind % 2 == 0, "妇女发展规划", "儿童发展规划"),
            "domain": pl.Series([f"领域{i % 8}" for i in range(n_indicators)]).gather(
                pl.Series(t_ind)
            ),
            "indicator_name": ind_codes.gather(pl.Series(t_ind)),
        }
    ).with_columns(
        pl.col("target_value").fill_nan(None),
        pl.when(pl.col("kind") == "quantitative").then(pl.col("comparator")).alias("comparator"),
        pl.when(pl.col("kind") == "directional").then(pl.col("direction")).alias("direction"),
    )
    return obs, targets
