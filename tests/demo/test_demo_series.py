"""The demo collects each shared series once: one figure per indicator name and area, everywhere."""

from __future__ import annotations

import polars as pl
from sqlalchemy import func, select

from planwatch.assess.run import assess_workspace
from planwatch.collect import breakdowns as bd
from planwatch.demo import DemoSummary
from planwatch.store import models as m
from planwatch.store.series import list_links
from planwatch.store.workspace import open_workspace


def test_one_latest_value_per_indicator_name_and_area(demo: DemoSummary) -> None:
    result = assess_workspace(demo.path, 2024).result.filter(pl.col("breakdown") == bd.TOTAL)
    per = result.filter(pl.col("latest_value").is_not_null()).group_by("indicator_name", "area_code").agg(
        pl.col("latest_value").unique().alias("values"),
        pl.col("latest_year").unique().alias("years"),
        pl.col("indicator_code").unique().sort().alias("codes"),
    )
    split = per.filter((pl.col("values").list.len() > 1) | (pl.col("years").list.len() > 1))
    assert split.is_empty(), split.to_dicts()
    shared = {(r["indicator_name"], r["area_code"]): r["codes"]
              for r in per.filter(pl.col("codes").list.len() > 1).iter_rows(named=True)}
    # the two plans' 九年义务教育巩固率 of 山亭区 (the issue's 99.57 against 96.03) are one figure now
    assert shared == {("九年义务教育巩固率", "370406"): ["C03-04", "W02-12"],
                      ("普惠性幼儿园覆盖率", "370103"): ["C03-02", "W02-11"]}


def test_linked_indicators_share_every_year_and_nothing_is_stored_under_them(demo: DemoSummary) -> None:
    with open_workspace(demo.path) as ws, ws.sessions() as s:
        links = list_links(s)
        members = [mb.code for link in links for mb in link.members]
        stored = s.scalar(select(func.count()).select_from(m.Observation).join(m.Indicator)
                          .where(m.Indicator.code.in_(members)))
    assert [(link.series.code, [mb.code for mb in link.members]) for link in links] == [
        ("C03-01", ["W02-02"]), ("C03-04", ["W02-03", "W02-12"]), ("W02-11", ["C03-02"]),
    ]
    assert stored == 0
    obs = assess_workspace(demo.path, 2024).inputs.observations
    for link in links:
        series = obs.filter(pl.col("indicator_code") == link.series.code).drop("indicator_code")
        assert series["year"].n_unique() >= 4  # 2020–2023 approved at least
        for member in link.members:
            same = obs.filter(pl.col("indicator_code") == member.code).drop("indicator_code")
            assert same.sort(same.columns).equals(series.sort(series.columns))
