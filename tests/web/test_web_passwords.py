"""The password rule, argon2 hashes and one-time passwords."""

from __future__ import annotations

import pytest

from planwatch.web.passwords import (
    PasswordPolicyError,
    check_policy,
    hash_password,
    needs_rehash,
    one_time_password,
    verify_password,
)


@pytest.mark.parametrize(("password", "why"), [
    ("Ab1#xyz", "至少需要 8"),
    ("abcdefgh", "至少三类"),
    ("abcd1234", "至少三类"),
    ("ABCDefgh", "至少三类"),
    ("zhang.SAN2024", "用户名"),
])
def test_weak_passwords_are_refused_with_the_reason(password: str, why: str) -> None:
    with pytest.raises(PasswordPolicyError, match=why):
        check_policy(password, "zhang.san")


@pytest.mark.parametrize("password", ["abcd1234X", "abcd#efgh1", "ABCD#1234", "密码Abc12345"])
def test_three_kinds_of_eight_characters_are_enough(password: str) -> None:
    check_policy(password, "zhang.san")


def test_hashes_are_argon2id_salted_and_verify() -> None:
    first, second = hash_password("Secret#123"), hash_password("Secret#123")
    assert first.startswith("$argon2id$") and first != second and "Secret" not in first
    assert verify_password(first, "Secret#123") and not verify_password(first, "Secret#124")
    assert not verify_password("not-a-hash", "Secret#123")
    assert not needs_rehash(first)


def test_one_time_passwords_meet_the_rule_and_differ() -> None:
    seen = {one_time_password() for _ in range(50)}
    assert len(seen) == 50
    for password in seen:
        check_policy(password, "someone")
        assert not set(password) & set("lIO0o1")
