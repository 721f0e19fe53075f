"""Passwords: argon2 hashing, the complexity rule and one-time passwords.

The rule is 等保 2.0 level 2's: at least 8 characters of at least three kinds (lower case,
upper case, digits, other characters), and not the user name. Hashing is argon2id with the
library's defaults (argon2-cffi follows RFC 9106's recommendations), so a stored hash never
holds anything a password can be recovered from.
"""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from planwatch.errors import PlanwatchError

MIN_LENGTH = 8
MIN_KINDS = 3
_HASHER = PasswordHasher()


class PasswordPolicyError(PlanwatchError, ValueError):
    """A new password does not meet the complexity rule; the message says what is missing."""

    code = "web.password_policy"


def _kinds(password: str) -> int:
    return sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))


def check_policy(password: str, username: str | None = None) -> None:
    """Raise :class:`PasswordPolicyError` unless the password may be used."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"密码至少需要 {MIN_LENGTH} 个字符")
    if _kinds(password) < MIN_KINDS:
        raise PasswordPolicyError("密码须包含小写字母、大写字母、数字、其他符号中的至少三类")
    if username and username.lower() in password.lower():
        raise PasswordPolicyError("密码不能包含用户名")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches; a malformed stored hash never matches."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return _HASHER.check_needs_rehash(stored_hash)


_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "lIO0o1")


def one_time_password(length: int = 12) -> str:
    """A random password that meets the rule, shown once and changed at first login.

    Look-alike characters are left out so it can be read off a screen or a printout.
    """
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length - 1)) + secrets.choice("#%+=@")
        if _kinds(candidate) == 4:
            return candidate
