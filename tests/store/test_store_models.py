"""Constraints a statistician relies on hold on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from planwatch.store import models as db


def _catalogue(session: Session) -> tuple[db.Unit, db.Indicator, db.Plan, db.Target]:
    session.add(db.Area(code="370000", name="山东省", full_name="山东省", level="province"))
    session.add(db.Area(code="370406", name="山亭区", full_name="山东省山亭区", level="county", parent_code="370000"))
    unit = db.Unit(area_code="370406", name="区卫生健康局", aliases=["区卫健局"])
    ind = db.Indicator(
        code="W01-01",
        name="孕产妇死亡率",
        unit="/10万",
        better="lower",
        is_rate=True,
        rate_base=100000,
        subject="women",
        breakdowns=[],
    )
    plan = db.Plan(area_code="370406", title="规划", subject="women", period_start=2021, period_end=2025)
    domain = db.Domain(plan=plan, seq=1, name="妇女与健康")
    target = db.Target(domain=domain, number=1, text="…", kind="quantitative")
    session.add_all([unit, ind, plan, domain, target])
    session.commit()
    return unit, ind, plan, target


def _submission(unit: db.Unit, revision: int = 1, **kw: object) -> db.Submission:
    return db.Submission(area_code=unit.area_code, unit_id=unit.id, year=2023, revision=revision, created_by="t", **kw)


def _fails(session: Session, make: Callable[[], object]) -> None:
    with pytest.raises((IntegrityError, StatementError)):
        session.add(make())
        session.flush()
    session.rollback()


def test_enum_checks(session: Session) -> None:
    unit, _ind, _plan, target = _catalogue(session)
    _fails(session, lambda: db.Area(code="1", name="x", full_name="x", level="town"))
    _fails(session, lambda: _submission(unit, state="done"))
    _fails(session, lambda: db.Indicator(code="X", name="x", better="up", subject="women", breakdowns=[]))
    _fails(
        session,
        lambda: db.SelfEvaluation(
            target_id=target.id, area_code="370406", cycle="2023", rating="很好", unit_id=unit.id, entered_by="t"
        ),
    )


def test_rate_base_only_for_rates(session: Session) -> None:
    _catalogue(session)
    _fails(
        session,
        lambda: db.Indicator(
            code="X", name="x", better="higher", subject="women", is_rate=False, rate_base=100, breakdowns=[]
        ),
    )
    _fails(
        session,
        lambda: db.Indicator(
            code="X", name="x", better="higher", subject="women", is_rate=True, rate_base=None, breakdowns=[]
        ),
    )


def test_target_value_is_number_or_direction(session: Session) -> None:
    _unit, ind, plan, target = _catalogue(session)
    base = dict(
        indicator_id=ind.id,
        area_code="370406",
        plan_id=plan.id,
        target_id=target.id,
        target_year=2025,
        baseline_year=2020,
        raw="r",
    )
    _fails(session, lambda: db.TargetValue(**base))
    _fails(session, lambda: db.TargetValue(**base, comparator="<=", value=1, direction="increase"))
    _fails(session, lambda: db.TargetValue(**{**base, "target_id": None}, direction="increase"))
    session.add(db.TargetValue(**base, direction="increase"))
    session.add(db.TargetValue(**base, comparator="<=", value=8, unit="/10万"))
    session.commit()


def test_submission_revision_unique_and_unit_of_area(session: Session) -> None:
    unit, *_ = _catalogue(session)
    session.add(_submission(unit))
    session.commit()
    _fails(session, lambda: _submission(unit))
    # a unit of another area cannot report here (composite foreign key)
    _fails(session, lambda: db.Submission(area_code="370000", unit_id=unit.id, year=2023, revision=1, created_by="t"))
    session.add(_submission(unit, revision=2))
    session.commit()


def test_observation_unique_per_breakdown(session: Session) -> None:
    unit, ind, *_ = _catalogue(session)
    sub = _submission(unit)
    session.add(sub)
    session.commit()

    def obs(breakdown: str = "total", **kw: object) -> db.Observation:
        return db.Observation(
            submission_id=sub.id,
            indicator_id=ind.id,
            area_code="370406",
            year=2023,
            breakdown=breakdown,
            value=kw.pop("value", 8.0),
            **kw,
        )

    session.add(obs(numerator=2, denominator=25000))
    session.add(obs("residence=urban"))
    session.commit()
    _fails(session, lambda: obs())
    _fails(session, lambda: obs("sex=female", denominator=0))
    _fails(session, lambda: obs("sex=female", numerator=-1))


def test_timestamps_are_aware_and_naive_refused(session: Session) -> None:
    _catalogue(session)
    when = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    session.add(db.AuditEvent(at=when, actor="t", action="a", entity="e", detail={"k": [1, "二"]}))
    session.commit()
    session.expire_all()
    event = session.scalars(select(db.AuditEvent)).one()
    assert event.at == when
    assert event.at.utcoffset() == dt.timedelta(0)
    assert event.detail == {"k": [1, "二"]}
    _fails(session, lambda: db.AuditEvent(at=dt.datetime(2024, 1, 1), actor="t", action="a", entity="e"))


def test_foreign_keys_enforced(session: Session) -> None:
    _fails(session, lambda: db.Unit(area_code="999999", name="区某局", aliases=[]))
