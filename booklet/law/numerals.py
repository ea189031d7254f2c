"""Numbers written in the numeral systems that statute citations use.

A statute file names a system per language (`numerals = "chinese"`); the names here are
the whole vocabulary, so a new language needs at most a new entry, never a new branch
in the citation code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from booklet.vocabulary import DIGITS

_CHINESE_DIGITS = "零一二三四五六七八九"
_CHINESE_UNITS = ("", "十", "百", "千")
_CHINESE_GROUPS = ("", "万", "亿")


def _chinese_below_10000(n: int) -> str:
    """0 < n < 10000, with 零 for inner gaps (1032 -> 一千零三十二)."""
    digits = [int(d) for d in f"{n:04d}"]
    out: list[str] = []
    pending_zero = False
    started = False
    for position, digit in enumerate(digits):
        unit = _CHINESE_UNITS[3 - position]
        if digit == 0:
            pending_zero = started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_CHINESE_DIGITS[digit] + unit)
        started = True
    return "".join(out)


def _chinese(n: int) -> str:
    if n == 0:
        return _CHINESE_DIGITS[0]
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_CHINESE_GROUPS):
        raise ValueError("number too large for Chinese numerals")
    out: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        # A group below 1000 after a higher group needs a 零 (10500 -> 一万零五百).
        if out and group < 1000:
            out.append("零")
        out.append(_chinese_below_10000(group) + _CHINESE_GROUPS[index])
    text = "".join(out)
    # 10-19 at the start are read 十, 十一 ... not 一十, 一十一.
    if text.startswith("一十"):
        text = text[1:]
    return text


_CHINESE_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def parse_chinese(text: str) -> int:
    """A number in Chinese numerals (六百八十 -> 680, 一千零三十二 -> 1032, 十一 -> 11);
    a ValueError for any other character."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CHINESE_DIGITS or char == "〇":
            digit = _CHINESE_DIGITS.find(char) if char != "〇" else 0
        elif char in _CHINESE_UNIT_VALUES:
            section += (digit or 1) * _CHINESE_UNIT_VALUES[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            raise ValueError(f"not a Chinese numeral: {char}")
    return total + section + digit


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        raise ValueError("roman numerals need 1-3999")
    table = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, letters in table:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _digits(zero: str) -> Callable[[int], str]:
    base = ord(zero)
    return lambda n: "".join(chr(base + int(d)) for d in str(n))


SYSTEMS: dict[str, Callable[[int], str]] = {
    "arabic": str,
    "chinese": _chinese,
    "roman": _roman,
    "arabic-indic": _digits("\u0660"),
    "persian": _digits("\u06f0"),
    "devanagari": _digits("\u0966"),
    "bengali": _digits("\u09e6"),
    "thai": _digits("\u0e50"),
    "khmer": _digits("\u17e0"),
    "myanmar": _digits("\u1040"),
}
"""Numeral system name -> formatter for non-negative integers."""


def fold_digits(text: str) -> str:
    """`text` with every decimal digit of any script written as an ASCII digit: an
    article typed `۱۲` (Persian), `١٢` (Arabic-Indic) or `๑๒` (Thai) is the key `12`."""
    return "".join(
        str(unicodedata.decimal(char)) if not char.isascii() and char.isdecimal() else char
        for char in text
    )


def in_digits(system: str, digits: str) -> str:
    """The system an article number is written in where the book writes numbers in
    `digits`: a statute's own way of naming articles (chinese, roman) is kept; a digit
    system gives way to the book's digits, so a citation's article and page match."""
    return digits if system in DIGITS else system


def format_number(n: int, system: str) -> str:
    """`n` written in the named numeral system (a KeyError names an unknown system)."""
    return SYSTEMS[system](n)
