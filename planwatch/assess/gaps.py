"""Urban–rural gaps: computed from an indicator's 城镇/农村 breakdowns, never reported.

A plan's 孕产妇死亡率控制在8/10万以下，城乡、区域差距缩小 gives the catalogue a directional
target "decrease" on 孕产妇死亡率城乡差距 (:mod:`planwatch.plan.fragments`). Its yearly value
is |城镇 − 农村| of the base indicator in the same area (breakdowns ``residence=urban`` and
``residence=rural``), in the base indicator's unit (percentage points for a percentage):
the absolute difference, because "the gap narrows" does not say which side is ahead. A
year with only one of the two has no gap value; a gap with no such year is 数据不足 and its
reason says which breakdown is missing, so the office knows to collect it rather than the
gap itself. Figures reported directly for a gap indicator are ignored: the breakdowns are
the one source.
"""

from __future__ import annotations

import polars as pl

from planwatch.assess.frames import KEYS, OBSERVATIONS_SCHEMA, TOTAL
from planwatch.assess.status import INSUFFICIENT

URBAN = "residence=urban"
RURAL = "residence=rural"
GAP_DECIMALS = 6
"""Decimals a computed gap keeps: below any printed precision, above float noise."""


def with_gaps(observations: pl.DataFrame, gaps: dict[str, str]) -> pl.DataFrame:
    """``observations`` with each gap indicator's series replaced by the computed one."""
    if not gaps:
        return observations
    mapping = pl.DataFrame(
        {"indicator_code": list(gaps.values()), "gap_code": list(gaps.keys())},
        schema={"indicator_code": pl.String(), "gap_code": pl.String()},
    )
    sides = observations.filter(pl.col("breakdown").is_in([URBAN, RURAL]))
    urban = sides.filter(pl.col("breakdown") == URBAN).select("indicator_code", "area_code", "year",
                                                              pl.col("value").alias("urban"))
    rural = sides.filter(pl.col("breakdown") == RURAL).select("indicator_code", "area_code", "year",
                                                              pl.col("value").alias("rural"))
    computed = (
        urban.join(rural, on=["indicator_code", "area_code", "year"], how="inner")
        .join(mapping, on="indicator_code", how="inner")
        .select(
            pl.col("gap_code").alias("indicator_code"),
            "area_code",
            pl.lit(TOTAL).alias("breakdown"),
            "year",
            # rounded so that 9.5 − 2.85 is 6.65, not 6.6499999999999995
            (pl.col("urban") - pl.col("rural")).abs().round(GAP_DECIMALS).alias("value"),
            pl.lit(None, dtype=pl.Float64).alias("numerator"),
            pl.lit(None, dtype=pl.Float64).alias("denominator"),
        )
        .cast(OBSERVATIONS_SCHEMA)  # type: ignore[arg-type]
    )
    kept = observations.filter(~pl.col("indicator_code").is_in(list(gaps)))
    return pl.concat([kept, computed.select(list(OBSERVATIONS_SCHEMA))]).sort([*KEYS, "year"])


def explain_missing_gaps(
    result: pl.DataFrame, observations: pl.DataFrame, gaps: dict[str, str], names: dict[str, str]
) -> pl.DataFrame:
    """Give each 数据不足 gap a reason naming the missing breakdown of its base indicator.

    ``observations`` are the raw ones (before :func:`with_gaps`); ``names`` maps indicator
    code → name.
    """
    if not gaps or result.is_empty():
        return result
    # Two queries for all gaps and areas (the sides each area has, the gaps it is judged
    # on); one filter per gap and area cost 30 queries, 2.5 ms, on the demo.
    sides = (
        observations.filter(
            pl.col("indicator_code").is_in(list(gaps.values()))
            & pl.col("breakdown").is_in([URBAN, RURAL])
        )
        .group_by("indicator_code", "area_code")
        .agg(pl.col("breakdown").unique())
    )
    have = {(c, a): set(b) for c, a, b in sides.iter_rows()}
    judged = result.filter(pl.col("indicator_code").is_in(list(gaps))).select(
        "indicator_code", "area_code"
    ).unique()
    reasons: dict[tuple[str, str], str] = {}
    for gap_code, area in judged.iter_rows():
        base_code = gaps[gap_code]
        present = have.get((base_code, area), set())
        missing = [label for key, label in ((URBAN, "城镇"), (RURAL, "农村")) if key not in present]
        base = names.get(base_code, base_code)
        if missing:
            what = "、".join(missing)
            reasons[(gap_code, area)] = (
                f"缺少{base}（{base_code}）的分城乡数据（{what}），无法计算城乡差距；"
                "请在指标目录中为该指标设置城乡分组并按城镇、农村采集"
            )
        else:
            reasons[(gap_code, area)] = (
                f"{base}（{base_code}）的城镇和农村数据不在同一年份，无法计算城乡差距"
            )
    if not reasons:
        return result
    table = pl.DataFrame(
        [(c, a, r) for (c, a), r in reasons.items()],
        schema={"indicator_code": pl.String(), "area_code": pl.String(), "gap_reason": pl.String()},
        orient="row",
    )
    return (
        result.join(table, on=["indicator_code", "area_code"], how="left")
        .with_columns(
            pl.when((pl.col("status") == INSUFFICIENT) & pl.col("gap_reason").is_not_null())
            .then(pl.col("gap_reason"))
            .otherwise(pl.col("reason"))
            .alias("reason")
        )
        .drop("gap_reason")
    )
