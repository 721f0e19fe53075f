"""Migration 0005: the 'country' area level, on a database that already holds data."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from planwatch.store.db import make_engine
from planwatch.store.migrate import upgrade_to, upgrade_to_head

_AREAS = "INSERT INTO area (code, name, full_name, level, parent_code) VALUES "


def test_upgrade_keeps_data_and_admits_country(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade_to(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text(_AREAS + "('370000', '山东省', '山东省', 'province', NULL)"))
            conn.execute(text(_AREAS + "('370400', '枣庄市', '山东省枣庄市', 'city', '370000')"))
            conn.execute(
                text(
                    "INSERT INTO unit (id, area_code, name, aliases) "
                    "VALUES (1, '370400', '市卫生健康委', '[]')"
                )
            )
            with pytest.raises(IntegrityError), conn.begin_nested():
                conn.execute(text(_AREAS + "('000000', '全国', '全国', 'country', NULL)"))
        upgrade_to_head(engine)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM area")).scalar() == 2
            assert conn.execute(text("SELECT area_code FROM unit")).scalar() == "370400"
            conn.execute(text(_AREAS + "('000000', '全国', '全国', 'country', NULL)"))
            conn.execute(text("UPDATE area SET parent_code = '000000' WHERE code = '370000'"))
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(text(_AREAS + "('999999', '火星', '火星', 'planet', NULL)"))
        # foreign keys are enforced again after the upgrade
        with engine.begin() as conn, pytest.raises(IntegrityError):
            conn.execute(text(_AREAS + "('370406', '山亭区', '山亭区', 'county', '379999')"))
    finally:
        engine.dispose()
