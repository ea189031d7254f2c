"""A statute file's text with the differences `laws update` found written in -> new text.

Takes the file's TOML text, the official language and the Differences; gives the new text,
where only changed articles' text in that language, `repealed = true` on repealed articles
and `effective` differ: comments, order and formatting of every other line are kept
(tomlkit). Article text is written as TOML basic strings made here, so no text can end a
string early (three quotes), start what reads as a table (`[` at a line's start), or hold a
control character (refused). Nothing here reads or writes files.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from datetime import date

import tomlkit
from tomlkit.exceptions import TOMLKitError

from booklet.law.compare import Difference
from booklet.vocabulary import ArticleChange

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_TABLE_START = re.compile(r"^([ \t]*)\[", re.MULTILINE)


_WRITTEN = (ArticleChange.CHANGED, ArticleChange.REPEALED)
"""What --write writes; an added or renumbered article is the author's to place."""


class UnwritableText(ValueError):
    """Article text a registry file cannot hold; the message names the character."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key
        """The article whose text it is."""


def toml_text(paragraphs: Sequence[str]) -> str:
    """The paragraphs as the registry writes them: one line each, a blank line between,
    as a `\"\"\"` string when there are several, else a `"` string."""
    text = "\n\n".join(paragraphs)
    found = _CONTROL.search(text)
    if found:
        raise UnwritableText(f"control character U+{ord(found.group(0)):04X}")
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = _TABLE_START.sub(lambda m: m.group(1) + "\\u005B", body)
    return f'"""\n{body}"""' if "\n" in body else f'"{body}"'


def updated_registry(
    toml: str, language: str, differences: Sequence[Difference], effective: date | None
) -> str:
    """The statute file with `differences` written in (CHANGED and REPEALED; ADDED and
    RENUMBERED are the author's to decide, so they are only reported)."""
    try:
        document = tomlkit.parse(toml)
        articles = document["articles"]
        for difference in differences:
            if difference.change not in _WRITTEN:
                continue
            table = articles[difference.key]
            if difference.change is ArticleChange.CHANGED:
                try:
                    literal = toml_text(difference.new)
                except UnwritableText as error:
                    raise UnwritableText(str(error), difference.key) from None
                table[language] = tomlkit.value(literal)
            elif difference.change is ArticleChange.REPEALED:
                table["repealed"] = True
        if effective is not None:
            document["effective"] = effective
        out = tomlkit.dumps(document)
    except (TOMLKitError, KeyError) as error:
        raise UnwritableText(f"the statute file cannot be edited ({error})") from None
    _verify(out, language, differences)
    return out


def _verify(out: str, language: str, differences: Sequence[Difference]) -> None:
    """Read back what is about to be written: each changed text must read as given."""
    articles = tomllib.loads(out)["articles"]
    for difference in differences:
        if difference.change is ArticleChange.CHANGED:
            written = articles[difference.key][language]
            if written.strip() != "\n\n".join(difference.new):
                raise UnwritableText("the text would not read back as written", difference.key)
