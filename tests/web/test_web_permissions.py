"""The permission rule on its own: scope by unit and area, drafts kept to the unit, administrators apart."""

from __future__ import annotations

import pytest

from planwatch.web.permissions import ACTIONS, Grant, Principal, Resource, allowed

FILLER = Principal(1, "f", (Grant("filler", "A", 10),))
OFFICE = Principal(2, "o", (Grant("office_admin", "A"),))
LEADER = Principal(3, "l", (Grant("leader", "A"),))
SYSADMIN = Principal(4, "s", (Grant("sysadmin"),))
AUDITOR = Principal(5, "a", (Grant("auditor"),))
NOBODY = Principal(6, "n", ())


def test_a_unit_user_sees_its_unit_in_every_state_and_nothing_else() -> None:
    for state in ("draft", "submitted", "approved", "returned"):
        assert allowed(FILLER, "submission.view", Resource("A", 10, state))
        assert not allowed(FILLER, "submission.view", Resource("A", 11, state))
    assert not allowed(FILLER, "submission.view", Resource("B", 10, "approved"))  # same id, other area
    assert not allowed(FILLER, "progress.view", Resource("A"))


def test_the_office_sees_what_left_the_unit_in_its_own_area() -> None:
    for who in (OFFICE, LEADER):
        assert not allowed(who, "submission.view", Resource("A", 10, "draft"))
        assert allowed(who, "submission.view", Resource("A", 10, "submitted"))
        assert not allowed(who, "submission.view", Resource("B", 20, "submitted"))
        assert not allowed(who, "submission.view", Resource("A", 10, None))  # unknown state: refused
        assert allowed(who, "tasks.view", Resource("A", 10)) and allowed(who, "progress.view", Resource("A"))
        assert not allowed(who, "audit.view", Resource())


def test_account_administration() -> None:
    assert allowed(OFFICE, "users.manage", Resource("A", 10, role="filler", owner_id=9))
    assert not allowed(OFFICE, "users.manage", Resource("A", role="leader", owner_id=9))
    assert not allowed(OFFICE, "users.manage", Resource("B", 20, role="filler", owner_id=9))
    assert allowed(SYSADMIN, "users.manage", Resource("B", role="office_admin", owner_id=9))
    assert not allowed(SYSADMIN, "users.manage", Resource(role="auditor", owner_id=5))
    assert not allowed(SYSADMIN, "users.manage", Resource(role="filler", owner_id=4))  # not oneself
    assert not allowed(SYSADMIN, "users.manage", Resource("A", 10))  # the role left out: refused
    assert not allowed(LEADER, "users.view", Resource("A"))


def test_only_the_auditor_reads_the_audit_log_and_it_sees_no_data() -> None:
    assert allowed(AUDITOR, "audit.view", Resource())
    for who in (FILLER, OFFICE, LEADER, SYSADMIN):
        assert not allowed(who, "audit.view", Resource())
    assert not allowed(AUDITOR, "submission.view", Resource("A", 10, "approved"))


def test_only_the_system_administrator_manages_api_tokens() -> None:
    assert allowed(SYSADMIN, "tokens.manage", Resource()) and allowed(SYSADMIN, "tokens.manage", Resource("B", 20))
    for who in (FILLER, OFFICE, LEADER, AUDITOR, Principal(7, "sec", (Grant("secadmin"),))):
        assert not allowed(who, "tokens.manage", Resource("A")), who.username
        assert not allowed(who, "tokens.manage", Resource("A", 10))


@pytest.mark.parametrize("action", [*ACTIONS, "no.such.action"])
def test_a_user_without_roles_may_do_nothing(action: str) -> None:
    assert not allowed(NOBODY, action, Resource("A", 10, "approved", role="filler", owner_id=1))
