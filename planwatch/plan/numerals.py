"""Chinese and Arabic numerals as printed in plan documents.

Plans mix ASCII digits (85%), full-width digits (８５％), Chinese numerals (一个百分点,
十二岁, 两万) and fractions (一半, 三分之一, 百分之九十).  Everything here is pure string work
so the target extractors can call it on arbitrary text without ever raising.
"""

from __future__ import annotations

import re

_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"
"""Characters that may make up a Chinese numeral (used to build regexes elsewhere)."""

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_ARABIC_WITH_BIG = re.compile(r"(\d+(?:\.\d+)?)([万亿])")
_FRACTION = re.compile(r"(.+?)分之(.+)")


def to_halfwidth_digits(s: str) -> str:
    """Full-width digits, point and percent sign to ASCII; other characters unchanged."""
    return s.translate(_FULLWIDTH)


def _parse_integer_part(s: str) -> int | None:
    """Parse a Chinese integer such as 十二, 一百零五, 三千, 两万五千, 十万.

    The big units 万/亿 split the numeral into sections that are each parsed with 十/百/千.
    """
    if not s:
        return None
    total = 0
    section = 0
    digit: int | None = None
    seen_unit = False
    for ch in s:
        if ch in _DIGITS:
            if digit is not None:
                if seen_unit:
                    # 一百零五: only a 零 placeholder may stand before another digit.
                    if digit != 0:
                        return None
                else:
                    # Two digits in a row (二〇二五) read digit by digit.
                    section = section * 10 + digit
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            seen_unit = True
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            seen_unit = True
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                section = 1
            big = _BIG_UNITS[ch]
            if total and total < big:
                total = (total + section) * big  # 十万亿: the larger unit scales everything
            elif total:
                total += section * big  # 一亿两千万: a smaller unit scales its section only
            else:
                total = section * big
            section = 0
        else:
            return None
    if digit is not None:
        section = section + digit if seen_unit else section * 10 + digit
    return total + section


def _parse_plain(s: str) -> float | None:
    """A numeral without fraction words: Arabic, Chinese, or Chinese with 点 decimals."""
    s = to_halfwidth_digits(s.strip())
    if not s:
        return None
    if _ARABIC.fullmatch(s):
        return float(s)
    m = _ARABIC_WITH_BIG.fullmatch(s)
    if m:
        return float(m.group(1)) * _BIG_UNITS[m.group(2)]
    if "点" in s:
        whole, _, frac = s.partition("点")
        whole_value = _parse_integer_part(whole) if whole else 0
        if whole_value is None or not frac or any(ch not in _DIGITS for ch in frac):
            return None
        digits = "".join(str(_DIGITS[ch]) for ch in frac)
        return float(f"{whole_value}.{digits}")
    value = _parse_integer_part(s)
    return None if value is None else float(value)


def parse_chinese_number(s: str) -> float | None:
    """The value of a printed number, or None when ``s`` is not one.

    Fractions come back as plain ratios: 一半 and 半 are 0.5, 三分之一 is 1/3 and
    百分之九十 is 0.9; the quantity extractor turns ratios into percentages itself.
    """
    if not isinstance(s, str):
        return None
    s = to_halfwidth_digits(s.strip())
    if s in {"半", "一半", "半数", "过半"}:
        return 0.5
    m = _FRACTION.fullmatch(s)
    if m:
        denominator = _parse_plain(m.group(1))
        numerator = _parse_plain(m.group(2))
        if denominator is None or numerator is None or denominator == 0:
            return None
        return numerator / denominator
    return _parse_plain(s)


def fraction_as_percent(s: str) -> float | None:
    """A fraction word as a percentage, rounded to two decimals (三分之一 → 33.33).

    Two decimals is what the statistics bureaus print for rates; the exact ratio is
    not recoverable from a percentage anyway.
    """
    value = parse_chinese_number(s)
    if value is None:
        return None
    return round(value * 100, 2)
