"""What CLDR knows about a language, through Babel: its own name, month names, how it
writes a date, the digits it counts in, its script and direction.

Takes a BCP 47 tag; gives interface text and settings no person has to write. The
phrases of a book ("Contents", "Where to get help") are not here: only a person writes
them (booklet.themes.interface_text falls back to English marked `TODO: translate`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

NUMBERING_SYSTEMS = {
    "latn": "arabic",
    "arab": "arabic-indic",
    "arabext": "persian",
    "deva": "devanagari",
    "beng": "bengali",
    "thai": "thai",
    "khmr": "khmer",
    "mymr": "myanmar",
}
"""CLDR numbering system -> booklet's name for the same ten digits (vocabulary.DIGITS)."""

_DATE_FIELDS = re.compile(r"'[^']*'|d+|M+|L+|y+|G+|E+|[A-Za-z]+|[^A-Za-z']+")


@cache
def locale(tag: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag (`ar-MA` is ar_MA, `zh-Hant-HK` zh_Hant_HK), or
    the locale of its language alone; None when CLDR does not know the language."""
    from babel import Locale, UnknownLocaleError

    parts = tag.split("-")
    for end in range(len(parts), 0, -1):
        try:
            return Locale.parse("_".join(parts[:end]))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def default_digits(tag: str) -> str:
    """The digits CLDR says the language writes numbers in (fa: persian; ar: arabic, but
    ar-EG arabic-indic), as a key of vocabulary.DIGITS; "arabic" (Western) when CLDR
    does not know the language or names digits booklet has no name for."""
    found = locale(tag)
    if found is None:
        return "arabic"
    return NUMBERING_SYSTEMS.get(found.default_numbering_system, "arabic")


def decimal_sign(tag: str, digits: str) -> str:
    """The decimal sign CLDR gives the language for numbers written in `digits` (a key
    of vocabulary.DIGITS): fa in Persian digits `٫`, in Western `.`; `.` when CLDR has
    none for those digits (then the language's default digits' sign)."""
    found = locale(tag)
    if found is None:
        return "."
    systems = {name: cldr for cldr, name in NUMBERING_SYSTEMS.items()}
    symbols = found.number_symbols
    for system in (systems.get(digits, "latn"), found.default_numbering_system, "latn"):
        if system in symbols and "decimal" in symbols[system]:
            return str(symbols[system]["decimal"])
    return "."


def _date_pattern(pattern: str) -> str:
    """A CLDR date pattern ("d MMMM y", "y MMMM d") as booklet's `date` text
    ("{day} {month_name} {year}"); an era (G) is `{era}` (th: "d MMMM G y" is "1 ธันวาคม
    พ.ศ. 2569", booklet.themes.calendars), a weekday (E) is left out."""
    out = []
    for token in _DATE_FIELDS.findall(pattern):
        if token.startswith("'"):
            out.append(token[1:-1] or "'")
        elif token[0] == "d":
            out.append("{day}")
        elif token[0] in "ML":
            out.append("{month_name}" if len(token) >= 3 else "{month}")
        elif token[0] == "y":
            out.append("{year}")
        elif token[0] == "G":
            out.append("{era}")
        elif token[0].isascii() and token[0].isalpha():
            continue
        else:
            out.append(token)
    return re.sub(r"\s{2,}", " ", "".join(out)).strip(" ,")


def cldr_text(tag: str) -> dict[str, Any]:
    """The interface text CLDR gives a language: its own name, its month names and its
    date pattern; empty when CLDR does not know it."""
    found = locale(tag)
    if found is None:
        return {}
    text: dict[str, Any] = {}
    name = found.get_display_name(found)
    own = locale(tag.split("-")[0])
    if own is not None:
        name = own.get_display_name(own) or name
    if name:
        text["language_name"] = name
    months = found.months["format"]["wide"]
    if len(months) == 12:
        text["months"] = [str(months[n]) for n in range(1, 13)]
    text["date"] = _date_pattern(found.date_formats["long"].pattern)
    return text


def english_name(tag: str) -> str:
    """The language's name in English ("Persian"), or the tag when CLDR does not know it."""
    from babel import Locale

    found = locale(tag.split("-")[0])
    if found is None:
        return tag
    return found.get_display_name(Locale("en")) or tag


def script_sample(tag: str) -> str:
    """Characters the language is written in (its name and month names), to ask whether
    a font covers its script."""
    text = cldr_text(tag)
    return "".join([str(text.get("language_name", "")), *text.get("months", [])])
