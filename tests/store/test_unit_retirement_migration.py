"""Migration 0012 (unit retirement) on a database that already holds units and assignments."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from planwatch.store.db import make_engine
from planwatch.store.migrate import current_revision, downgrade_to, head_revision, upgrade_to, upgrade_to_head

_ROWS = (
    "INSERT INTO area (code, name, full_name, level, parent_code)"
    " VALUES ('370103', '市中区', '济南市市中区', 'county', NULL)",
    "INSERT INTO unit (id, area_code, name, aliases) VALUES (1, '370103', '区卫生和计划生育局', '[]')",
    "INSERT INTO unit (id, area_code, name, aliases) VALUES (2, '370103', '区医保局', '[]')",
    "INSERT INTO indicator (id, code, name, unit, better, is_rate, rate_base, breakdowns, subject)"
    " VALUES (1, 'W01-01', '孕产妇死亡率', '/10万', 'lower', TRUE, 100000, '[]', 'women')",
    "INSERT INTO indicator_reporter (indicator_id, area_code, unit_id) VALUES (1, '370103', 2)",
)


def _upgraded_from_0011(engine: Engine) -> None:
    """A 0011 database holding ``_ROWS``, upgraded to this planwatch's schema."""
    upgrade_to(engine, "0011")
    with engine.begin() as conn:
        for row in _ROWS:
            conn.execute(text(row))
    upgrade_to_head(engine)


def test_an_older_workspace_upgrades_with_every_unit_in_use(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        _upgraded_from_0011(engine)
        with engine.begin() as conn:
            units = conn.execute(text("SELECT id, name, retired_from, successor_id FROM unit ORDER BY id")).all()
            assert [tuple(u) for u in units] == [(1, "区卫生和计划生育局", None, None), (2, "区医保局", None, None)]
            assert conn.execute(text("SELECT unit_id, since_year FROM indicator_reporter")).one() == (2, None)
            assert conn.execute(text("SELECT count(*) FROM former_reporter")).scalar() == 0
            # what a retirement writes, in plain SQL: the new columns, keys and checks work
            conn.execute(text("UPDATE unit SET retired_from = 2025, successor_id = 1 WHERE id = 2"))
            conn.execute(text("UPDATE indicator_reporter SET unit_id = 1, since_year = 2025"))
            conn.execute(text("INSERT INTO former_reporter (indicator_id, area_code, unit_id, since_year, until_year)"
                              " VALUES (1, '370103', 2, NULL, 2024)"))
        for refused in (
            "UPDATE unit SET successor_id = 2 WHERE id = 1",           # a successor without retirement
            "UPDATE unit SET retired_from = 2025, successor_id = 1 WHERE id = 1",  # its own successor
            "UPDATE unit SET successor_id = 99 WHERE id = 2",          # no such unit
            "INSERT INTO former_reporter (indicator_id, area_code, unit_id, since_year, until_year)"
            " VALUES (1, '370103', 2, 2025, 2024)",                    # years the wrong way round
            "INSERT INTO former_reporter (indicator_id, area_code, unit_id, until_year)"
            " VALUES (1, '370103', 7, 2024)",                          # a unit not of the area
        ):
            with engine.begin() as conn, pytest.raises(IntegrityError):
                conn.execute(text(refused))
    finally:
        engine.dispose()


def test_a_downgrade_is_refused_while_a_unit_is_retired(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        _upgraded_from_0011(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE unit SET retired_from = 2025, successor_id = 1 WHERE id = 2"))
        with pytest.raises(RuntimeError, match="已停用"):
            downgrade_to(engine, "0011")
        assert current_revision(engine) == head_revision()
        with engine.begin() as conn:
            conn.execute(text("UPDATE unit SET retired_from = NULL, successor_id = NULL"))
        downgrade_to(engine, "0011")
        assert current_revision(engine) == "0011"
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM unit")).scalar() == 2
    finally:
        engine.dispose()
