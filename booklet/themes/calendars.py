"""Dates in the calendar a language's readers count in: Gregorian, Buddhist or Solar Hijri.

Takes a date, a BCP 47 tag and a `Calendar`; gives the date's year, month, day, month
name and era in that calendar, through ICU (icu4py), which computes every calendar of
CLDR and names its months and eras in every language CLDR knows (Babel knows only the
Gregorian). The digits are not ICU's: the caller writes the numbers in the book's
digits (booklet.law.numerals), so a date and a page number never differ in digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from booklet.themes.cldr import locale
from booklet.themes.theme import best_match
from booklet.vocabulary import Calendar

ERA_ONLY = (Calendar.BUDDHIST,)
"""Calendars that count years from another era but keep the Gregorian months and days:
a date in one reads as the same day as the English column beside it."""

_PROBE = date(2026, 12, 1)
"""A day to ask ICU which calendar a locale counts in (any day tells them apart)."""


@dataclass(frozen=True)
class CalendarDate:
    """A day as a calendar writes it."""

    year: int
    month: int
    """1 to 12."""
    day: int
    month_name: str
    """The month's name in the language; "" where the months are the Gregorian ones
    (their names are the interface text's `months`)."""
    era: str
    """The era's abbreviation in the language (th: พ.ศ. in the Buddhist calendar, ค.ศ. in
    the Gregorian)."""


def _icu_id(tag: str) -> str:
    """ICU's locale id for a BCP 47 tag (`zh-Hant-HK` is zh_Hant_HK), through CLDR."""
    found = locale(tag)
    return str(found) if found is not None else "und"


@cache
def _format(pattern: str, icu_locale: str, day: date) -> str:
    from icu4py.messageformat import MessageFormat

    return MessageFormat(f"{{day, date,{pattern}}}", icu_locale).format({"day": day})


def in_calendar(day: date, tag: str, calendar: Calendar) -> CalendarDate:
    """`day` in `calendar`, its month and era named in the language of `tag`:
    2026-12-01 is 10 آذر 1405 in the Persian calendar (fa), 1 ธันวาคม 2569 พ.ศ. in the
    Buddhist (th)."""
    named = f"{_icu_id(tag)}@calendar={calendar}"
    era = _format("G", named, day)
    if calendar == Calendar.GREGORIAN:
        return CalendarDate(day.year, day.month, day.day, "", era)
    # Western digits to read the numbers back: the book writes them in its own.
    numbers = _format("y-M-d", f"en@calendar={calendar};numbers=latn", day)
    year, month, number = (int(part) for part in numbers.split("-"))
    month_name = "" if calendar in ERA_ONLY else _format("MMMM", named, day)
    return CalendarDate(year, month, number, month_name, era)


def calendar_of(tag: str, chosen: Mapping[str, str]) -> Calendar:
    """The calendar `tag`'s dates are printed in: handbook.toml's `[calendar]`
    (`chosen`, matched as BCP 47 tags are), else `default_calendar`."""
    key = best_match(tag, chosen)
    return Calendar(chosen[key]) if key is not None else default_calendar(tag)


@cache
def default_calendar(tag: str) -> Calendar:
    """The calendar a language's dates are printed in unless handbook.toml says: CLDR's
    preferred calendar for the language (its likely region's) where that calendar only
    counts years differently (th: buddhist), else the Gregorian. A calendar with months
    of its own (fa: CLDR prefers the Persian) is chosen in handbook.toml: beside an
    English column it would print another day and month for the same date, and the laws
    a handbook explains are dated in the Gregorian calendar where it is used."""
    icu = _icu_id(tag)
    preferred = _format("y-M-d", f"{icu}@numbers=latn", _PROBE)
    for calendar in ERA_ONLY:
        if preferred == _format("y-M-d", f"{icu}@calendar={calendar};numbers=latn", _PROBE):
            return calendar
    return Calendar.GREGORIAN
