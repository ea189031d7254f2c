"""Rare words: how often a word is met, from wordfreq's lists (many sources per language).

A word is rare when it is met less than once in a million words (a Zipf frequency under
3; "creditor" is 3.1, "garnishment" 2.2). Words are looked up as ICU found them, lower
case, in wordfreq's own list, not through its tokenizer (which needs jieba or MeCab for
Chinese, Japanese and Korean). Not looked up, so the report says "not measured":
Chinese in traditional characters (the list is in simplified ones) and Korean (its list
holds morphemes, while ICU gives words with their particles attached, `채권자가`): nearly
every word would count as rare. In Arabic and Hebrew a word is looked up with the
prefixes written on it (`للمؤجر`, `והמשכיר`), so their shares run higher than English's;
the translation-harder flag compares each language with its own baseline.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

RARE_BELOW = 1e-6
"""A word met less often than this (once in a million words; Zipf 3) is rare."""

_NOT_LOOKED_UP = ("zh-hant", "zh-tw", "zh-hk", "zh-mo", "ko")
"""Tags (lower case) whose words do not match their list (see above), and their subtags."""


def _list_name(language: str) -> str | None:
    tag = language.lower()
    if any(tag == name or tag.startswith(name + "-") for name in _NOT_LOOKED_UP):
        return None
    primary = tag.split("-")[0]
    return primary if primary in _available() else None


@functools.cache
def _available() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages(wordlist="best"))


def has_frequencies(language: str) -> bool:
    """Whether rare words of `language` (a BCP 47 tag) can be counted."""
    return _list_name(language) is not None


@functools.cache
def frequencies(language: str) -> Mapping[str, float] | None:
    """Word -> its frequency (share of all words) in `language`, or None without a list."""
    name = _list_name(language)
    if name is None:
        return None
    import wordfreq

    table: Mapping[str, float] = wordfreq.get_frequency_dict(name, wordlist="best")
    return table


def is_rare(word: str, table: Mapping[str, float]) -> bool:
    """A word met less than once in a million words; numbers are never rare. A typographic
    apostrophe (`don’t`) is looked up as the list writes it (`don't`)."""
    if not any(char.isalpha() for char in word):
        return False
    return table.get(word.lower().replace("’", "'"), 0.0) < RARE_BELOW
