"""Interface text per language (headings such as "Contents", labels, dates).

The theme's strings.toml gives the text for the languages it knows; a handbook's
`[strings.<tag>]` tables add languages or change any text. Nothing here knows any
particular language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from booklet.model import Handbook
from booklet.text.placeholders import fill, pattern_problem
from booklet.themes.calendars import in_calendar
from booklet.themes.cldr import cldr_text
from booklet.themes.theme import REQUIRED_LISTS, REQUIRED_STRINGS, Theme, best_match
from booklet.vocabulary import Calendar

BASE_LANGUAGE = "en"
"""The language whose phrases stand in, marked `TODO: translate`, for a language the
theme has no interface text for."""

TODO = "TODO: translate"
"""The mark of a phrase still to be translated (see `untranslated`)."""


def own_name(tag: str, theme: Theme) -> str:
    """The language's name in itself: the theme's `language_name`, else CLDR's, else
    the tag."""
    key = best_match(tag, theme.strings)
    if key is not None and isinstance(theme.strings[key].get("language_name"), str):
        return str(theme.strings[key]["language_name"])
    return str(cldr_text(tag).get("language_name", tag))


def marked(value: Any, name: str) -> Any:
    """English interface text marked as still to be translated into the language `name`."""
    if isinstance(value, list):
        return [marked(item, name) for item in value]
    return f"{TODO} into {name}: {value}"


def fallback_text(tag: str, theme: Theme) -> dict[str, Any]:
    """Interface text for a language the theme has none for: what CLDR knows (its name,
    months, date pattern) and the theme's English phrases marked `TODO: translate`."""
    english = theme.strings.get(BASE_LANGUAGE, {})
    cldr = cldr_text(tag)
    name = str(cldr.get("language_name", tag))
    text = {
        key: marked(english[key], name)
        for key in (*REQUIRED_STRINGS, *REQUIRED_LISTS)
        if key in english and key not in ("language_name", "date")
    }
    text.update(cldr)
    return text


def interface_text(handbook: Handbook, theme: Theme, language: str) -> dict[str, Any]:
    """The merged interface text for one language of a handbook: the theme's (or, for a
    language it lacks, `fallback_text`), then the handbook's `[strings.<tag>]`."""
    merged: dict[str, Any] = {}
    key = best_match(language, theme.strings)
    if key is not None:
        merged.update(theme.strings[key])
    else:
        merged.update(fallback_text(language, theme))
    override = best_match(language, handbook.strings)
    if override is not None:
        merged.update(handbook.strings[override])
    return merged


PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "law_as_at": ("date",),
    "status_reviewed": ("reviewer", "date"),
    "next_review": ("date",),
    "page_ref": ("page",),
    "edition": ("edition",),
    "revision": ("revision",),
    "publisher": ("publisher",),
    "print_sheets": ("file", "sheets", "sets", "paper"),
    "print_set": ("set", "first", "last"),
    "print_everyday": ("file",),
    "translated_edition": ("original",),
    "kit_title": ("title",),
    "kit_language_pdf": ("language",),
    "kit_language_epub": ("language",),
    "kit_pages": ("pages",),
    "date": ("year", "month", "month_name", "day", "era"),
}
"""Interface text -> the placeholders it may hold; the others may hold none."""

LIST_NAMES = (*REQUIRED_LISTS, "months")


def language_name(tag: str, reader: str, fallback: str) -> str:
    """The name of the language of `tag` in the language of `reader`, from CLDR (Babel):
    "Thai" in an English sentence, "انگلیسی" in a Persian one ("the original (ไทย)
    prevails" asked an English reader to read Thai). `fallback` (the language's own
    name, from the interface text) when CLDR knows either language too little."""
    from babel import Locale, UnknownLocaleError

    try:
        named = Locale.parse(tag.split("-")[0])
        name = named.get_display_name(Locale.parse(reader, sep="-"))
    except (UnknownLocaleError, ValueError):
        return fallback
    return name or fallback


def untranslated(text: Mapping[str, Any]) -> list[str]:
    """Names of required interface text still marked `TODO: translate`."""
    names = []
    for name in (*REQUIRED_STRINGS, *REQUIRED_LISTS):
        value = text.get(name)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v.startswith(TODO) for v in values):
            names.append(name)
    return names


def text_problem(name: str, value: object) -> str | None:
    """Why one piece of interface text cannot be used, or None."""
    if name in LIST_NAMES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f'"{name}" must be a list of texts in quotes, e.g. {name} = ["...", "..."]'
        if name == "months" and len(value) != 12:
            return f'"months" must list 12 month names, not {len(value)}'
        return None
    if not isinstance(value, str):
        return f'"{name}" must be text in quotes'
    problem = pattern_problem(value, PLACEHOLDERS.get(name, ()))
    return f'"{name}": {problem}' if problem else None


def missing_text(text: Mapping[str, Any]) -> list[str]:
    """Names of required interface text a language still lacks."""
    missing = [name for name in REQUIRED_STRINGS if not isinstance(text.get(name), str)]
    missing += [
        name
        for name in REQUIRED_LISTS
        if not (isinstance(text.get(name), list) and all(isinstance(i, str) for i in text[name]))
    ]
    months = text.get("months")
    if "{month_name}" in str(text.get("date", "")) and not (
        isinstance(months, list) and len(months) == 12
    ):
        missing.append("months")
    return missing


def format_date(
    day: date,
    text: Mapping[str, Any],
    number: Callable[[int], str] = str,
    calendar: Calendar = Calendar.GREGORIAN,
    tag: str = BASE_LANGUAGE,
) -> str:
    """A date as the language of `tag` writes it, from its `date` pattern, in
    `calendar`; `number` writes its day, month and year in the language's digits
    (Persian: ۷ دسامبر ۲۰۲۶; in the Persian calendar ۱۶ آذر ۱۴۰۵)."""
    when = in_calendar(day, tag, calendar)
    months = text.get("months") or [number(n) for n in range(1, 13)]
    return fill(
        str(text["date"]),
        year=number(when.year),
        month=number(when.month),
        day=number(when.day),
        month_name=when.month_name or months[when.month - 1],
        era=when.era,
    )
