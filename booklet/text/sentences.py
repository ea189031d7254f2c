"""Sentences and words of running text, in any language, by ICU's rules.

Takes plain text and its BCP 47 tag; gives its sentences (ICU sentence breaks, which
know full stops of every script: `.`, `。`, `！`, `؟`, `।`), the words of a sentence (ICU
word breaks, with dictionaries for the scripts written without spaces: Thai, Lao,
Khmer, Myanmar, Chinese, Japanese) and how many characters it has. Nothing here knows
handbooks.
"""

from __future__ import annotations

import unicodedata

from icu4py.breakers import SentenceBreaker, WordBreaker

CHARACTER_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu", "hak", "nan", "lzh"})
"""Primary subtags of languages whose sentence length is counted in characters as well
as words: Chinese and Japanese readers and guides measure it so (Korean is written with
spaces and counted in words)."""


def counts_characters(language: str) -> bool:
    """Whether a sentence of `language` is also measured in characters (CJK)."""
    return language.split("-")[0].lower() in CHARACTER_LANGUAGES


def sentences(text: str, language: str) -> list[str]:
    """The sentences of `text`, white space trimmed, empty ones left out."""
    found = (piece.strip() for piece in SentenceBreaker(text, language or "und"))
    return [sentence for sentence in found if sentence]


def words(text: str, language: str) -> list[str]:
    """The words of `text`: ICU word segments holding a letter or a digit (punctuation
    and spaces are not words)."""
    return [
        segment
        for segment in WordBreaker(text, language or "und")
        if any(char.isalnum() for char in segment)
    ]


def characters(text: str) -> int:
    """The characters of `text` a reader reads: letters, marks and digits, not spaces or
    punctuation."""
    return sum(1 for char in text if unicodedata.category(char)[0] in "LMN")
