"""`[readability]` in handbook.toml -> the limits `check` holds each language to.

`[readability]` sets them for every language; `[readability.<lang>]` overrides them for
one. Every limit is a positive number; a wrong one is an error at its line, and the
default stands.
"""

from __future__ import annotations

from dataclasses import replace

from booklet.model import ReadabilityLimits
from booklet.sources.toml_fields import TomlFields

_LIMITS = ("max_sentence_words", "max_sentence_characters", "max_grade")


def parse_readability(top: TomlFields, languages: list[str]) -> dict[str, ReadabilityLimits]:
    """Language -> its limits; empty when the handbook has no `[readability]` table."""
    if "readability" not in top.data:
        return {}
    table = top.sub("readability")
    if not isinstance(top.data["readability"], dict):
        top.error("readability", "readability must be a [readability] table")
        return {}
    table.unknown_keys((*_LIMITS, *languages))
    shared = _limits(table, ReadabilityLimits(location=table.at()))
    out: dict[str, ReadabilityLimits] = {}
    for language in languages:
        if isinstance(table.data.get(language), dict):
            own = table.sub(language)
            own.unknown_keys(_LIMITS)
            out[language] = _limits(own, replace(shared, location=own.at()))
        else:
            out[language] = shared
    return out


def _limits(fields: TomlFields, base: ReadabilityLimits) -> ReadabilityLimits:
    words = _number(fields, "max_sentence_words", whole=True)
    chars = _number(fields, "max_sentence_characters", whole=True)
    grade = _number(fields, "max_grade", whole=False)
    return replace(
        base,
        max_sentence_words=int(words) if words is not None else base.max_sentence_words,
        max_sentence_characters=int(chars) if chars is not None else base.max_sentence_characters,
        max_grade=grade if grade is not None else base.max_grade,
    )


def _number(fields: TomlFields, key: str, *, whole: bool) -> float | None:
    value = fields.data.get(key)
    if value is None:
        return None
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value <= 0:
        example = "35" if whole else "8"
        what = "a whole number above 0" if whole else "a number above 0"
        fields.error(key, f'"{fields.name(key)}" must be {what}, e.g. {key} = {example}')
        return None
    return float(value)
