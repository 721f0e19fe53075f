"""The observation feed's query (latest revision, change time from the audit trail, id paging)
runs as written on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from planwatch.collect.observation_feed import ObservationFilter, observation_page


def test_feed_query_runs_on_each_database(engine: Engine) -> None:
    where = ObservationFilter("370103", unit_id=1, indicator="W01-01", year=2024, breakdown="total",
                              states=["approved"], updated_since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with Session(engine) as session:
        page = observation_page(session, where, after_id=5, limit=10)
    assert page.rows == [] and page.next_after_id is None
