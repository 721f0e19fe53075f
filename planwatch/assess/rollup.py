"""City (or any parent area) figures rolled up from its districts' figures.

A rate for the city is Σ numerators ÷ Σ denominators × rate base — never the average of
the districts' rates, which would weigh a district of 50,000 births like one of 5,000.
Counts (人, 个, 所 …) are summed. Anything else (ages, ratios, amounts per person) cannot
be aggregated without weights the figures do not carry, so it is reported as a problem
rather than guessed. A figure is only produced when every child area reported it that
year: a partial sum would silently understate the city.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from planwatch.assess.frames import OBSERVATIONS_SCHEMA, RATE_BASE, FrameLike, observations_frame

ADDITIVE_UNITS = frozenset({"人", "名", "个", "所", "家", "项", "次", "万元", "亿元", "元"})
"""Units whose values add up across areas (totals, not per-person averages)."""


@dataclass(frozen=True)
class RollUp:
    """The parent's observations (observations schema) and what could not be rolled up."""

    observations: pl.DataFrame
    problems: pl.DataFrame
    """indicator_code, breakdown, year, problem (Chinese sentence)."""


def roll_up(
    observations: FrameLike,
    parent_code: str,
    children: Sequence[str],
    units: Mapping[str, str],
) -> RollUp:
    """Aggregate ``children``'s observations into ``parent_code``.

    ``units`` maps indicator_code → unit (from the catalogue). Indicators missing from it
    are reported, not assumed.
    """
    obs = observations_frame(observations).filter(pl.col("area_code").is_in(list(children)))
    n_children = len(set(children))
    unit_frame = pl.DataFrame(
        {"indicator_code": list(units), "unit": list(units.values())},
        schema={"indicator_code": pl.String, "unit": pl.String},
    )
    base = pl.col("unit").replace_strict(RATE_BASE, default=None, return_dtype=pl.Float64)
    grouped = (
        obs.join(unit_frame, on="indicator_code", how="left")
        .group_by(["indicator_code", "breakdown", "year"])
        .agg(
            pl.col("unit").first(),
            pl.col("area_code").n_unique().alias("_areas"),
            pl.col("numerator").sum().alias("numerator"),
            pl.col("denominator").sum().alias("denominator"),
            pl.col("numerator").null_count().alias("_num_missing"),
            pl.col("denominator").null_count().alias("_den_missing"),
            pl.col("value").sum().alias("_value_sum"),
            pl.col("area_code").sort().alias("_reported"),
        )
        .with_columns(_base=base)
    )
    is_rate = pl.col("_base").is_not_null()
    is_count = pl.col("unit").is_in(list(ADDITIVE_UNITS))
    problem = (
        pl.when(pl.col("unit").is_null())
        .then(pl.lit("目录中没有该指标的计量单位，无法判断如何汇总"))
        .when(pl.col("_areas") < n_children)
        .then(
            pl.format(
                "只有{}/{}个下级地区报送（{}），不汇总以免低估",
                pl.col("_areas"),
                pl.lit(n_children),
                pl.col("_reported").list.join("、"),
            )
        )
        .when(is_rate & ((pl.col("_num_missing") > 0) | (pl.col("_den_missing") > 0)))
        .then(pl.lit("有下级地区缺少分子或分母，率不能由各地区的率平均得到"))
        .when(is_rate & (pl.col("denominator") <= 0))
        .then(pl.lit("分母合计为0"))
        .when(~is_rate & ~is_count)
        .then(pl.format("单位“{}”不可相加（需要权重），不汇总", pl.col("unit")))
    )
    grouped = grouped.with_columns(problem=problem)
    good = grouped.filter(pl.col("problem").is_null())
    out = good.select(
        "indicator_code",
        pl.lit(parent_code).alias("area_code"),
        "breakdown",
        "year",
        pl.when(is_rate)
        .then(pl.col("numerator") / pl.col("denominator") * pl.col("_base"))
        .otherwise(pl.col("_value_sum"))
        .alias("value"),
        pl.when(is_rate).then(pl.col("numerator")).alias("numerator"),
        pl.when(is_rate).then(pl.col("denominator")).alias("denominator"),
    ).sort(["indicator_code", "breakdown", "year"])
    problems = (
        grouped.filter(pl.col("problem").is_not_null())
        .select("indicator_code", "breakdown", "year", "problem")
        .sort(["indicator_code", "breakdown", "year"])
    )
    return RollUp(observations=out.select(list(OBSERVATIONS_SCHEMA)), problems=problems)
