"""Published readability formulas, by language, and the syllables they count.

Each formula is a line over words per sentence and syllables per word, with the
constants its author published for that language (the same constants textstat uses).
Syllables are counted from pyphen's hyphenation dictionaries (LibreOffice's), as
textstat does where it has no pronouncing dictionary. textstat itself is not used: in
English it downloads the CMU dictionary from the network on first use, and booklet runs
offline. A language without a formula here gets no score, and the report says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyphen

from booklet.vocabulary import ScoreKind


@dataclass(frozen=True)
class Formula:
    """score = constant + per_word * (words per sentence) + per_syllable * (syllables per word)."""

    name: str
    """Its usual name, for the report."""
    kind: ScoreKind
    """A grade (lower is easier) or a reading ease (higher is easier)."""
    constant: float
    """The constant term."""
    per_word: float
    """Weight of the mean sentence length in words."""
    per_syllable: float
    """Weight of the mean word length in syllables."""

    def score(self, words: int, sentences: int, syllables: int) -> float | None:
        """The score of a text with these counts, or None for a text without words."""
        if not words or not sentences:
            return None
        value = (
            self.constant
            + self.per_word * words / sentences
            + self.per_syllable * syllables / words
        )
        return round(value, 1)


FORMULAS: dict[str, tuple[Formula, ...]] = {
    "en": (
        Formula("Flesch–Kincaid grade", ScoreKind.GRADE, -15.59, 0.39, 11.8),
        Formula("Flesch reading ease", ScoreKind.EASE, 206.835, -1.015, -84.6),
    ),
    "es": (
        Formula("Fernández Huerta", ScoreKind.EASE, 206.84, -1.02, -60.0),
        Formula("Szigriszt–Pazos", ScoreKind.EASE, 206.835, -1.0, -62.3),
    ),
    "de": (Formula("Flesch–Amstad", ScoreKind.EASE, 180.0, -1.0, -58.5),),
    "fr": (Formula("Kandel–Moles", ScoreKind.EASE, 207.0, -1.015, -73.6),),
    "it": (Formula("Flesch–Vacca", ScoreKind.EASE, 217.0, -1.3, -60.0),),
    "nl": (Formula("Flesch–Douma", ScoreKind.EASE, 206.835, -0.93, -77.0),),
    "ru": (Formula("Oborneva", ScoreKind.EASE, 206.835, -1.3, -60.1),),
}
"""Formulas per primary language subtag, the first one the headline score."""


def formulas_for(language: str) -> tuple[Formula, ...]:
    """The formulas that score `language` (a BCP 47 tag); none for most languages."""
    primary = language.split("-")[0].lower()
    if primary not in FORMULAS or not pyphen.language_fallback(primary):
        return ()
    return FORMULAS[primary]


def grade_formula(language: str) -> Formula | None:
    """The formula that gives `language` a school grade, if any (`max_grade` holds it)."""
    return next((f for f in formulas_for(language) if f.kind is ScoreKind.GRADE), None)


@functools.lru_cache(maxsize=16)
def _hyphenator(primary: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(primary)
    return pyphen.Pyphen(lang=found) if found else None


def syllables(words: list[str], language: str) -> int:
    """Syllables of `words` by the hyphenation points of the language (at least one a word)."""
    hyphenator = _hyphenator(language.split("-")[0].lower())
    if hyphenator is None:
        return len(words)
    return sum(len(hyphenator.positions(word.lower())) + 1 for word in words)
