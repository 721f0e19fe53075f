"""Catalogue YAML: a breakdown may name its own categories (age groups), as collection reads them."""

from __future__ import annotations

import fast_yaml
import pytest
from fresh_look import fresh_export, refused
from sqlalchemy import select
from sqlalchemy.orm import Session

from planwatch.collect.catalogue import indicator_spec
from planwatch.store import models as db
from planwatch.store.catalogue_export import export_catalogue
from planwatch.store.catalogue_import import import_catalogue


def _edit(session: Session, breakdowns: list[object]) -> None:
    data = fast_yaml.safe_load(export_catalogue(session))
    next(i for i in data["indicators"] if i["code"] == "W01-02")["breakdowns"] = breakdowns
    try:
        import_catalogue(session, fast_yaml.safe_dump(data, allow_unicode=True), actor="统计局")
    except BaseException:
        session.rollback()
        raise
    session.commit()


def test_categories_as_text_or_mapping_reach_the_template_keys(loaded: Session) -> None:
    _edit(loaded, [{"dimension": "age_group", "categories": ["20-34", "35-64"]}, "sex"])
    ind = loaded.scalars(select(db.Indicator).where(db.Indicator.code == "W01-02")).one()
    assert ind.breakdowns == ["sex", "age_group:20-34,35-64"]
    assert indicator_spec(ind).breakdown_keys == [
        "total", "sex=female", "sex=male", "age_group=20-34", "age_group=35-64"]
    text = export_catalogue(loaded)
    _edit(loaded, ["age_group: 20-34, 35-64", "sex"])  # the same, written as text
    assert export_catalogue(loaded) == text


@pytest.mark.parametrize(
    "breakdowns",
    [["age:0-5"], ["age_group:0-5,0-5"], ["sex", "sex:女,男"], [{"dimension": "sex"}], [3]],
)
def test_bad_categories_are_refused_whole(loaded: Session, breakdowns: list[object]) -> None:
    before = fresh_export(loaded)
    data = fast_yaml.safe_load(export_catalogue(loaded))
    next(i for i in data["indicators"] if i["code"] == "W01-02")["breakdowns"] = breakdowns
    data["indicators"][0]["definition"] = "a valid edit that must not be applied either"
    refused(loaded, fast_yaml.safe_dump(data, allow_unicode=True), match="breakdowns")
    assert fresh_export(loaded) == before
    ind = loaded.scalars(select(db.Indicator).where(db.Indicator.code == "W01-02")).one()
    assert ind.breakdowns == []
