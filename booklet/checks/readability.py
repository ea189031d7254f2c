"""Readability limits: a sentence or a block harder than `[readability]` allows is a warning.

Takes the parsed handbook with its limits per language; gives a located warning for each
sentence longer than `max_sentence_words` (in words; for Chinese and Japanese in
characters, `max_sentence_characters`) and for each block above `max_grade` in a
language with a grade formula. No frequency list is loaded here: `check` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import ListItem, Paragraph, ReadabilityLimits
from booklet.readability.formulas import grade_formula
from booklet.readability.measures import BlockMeasure, Sentence, measure_block
from booklet.text.sentences import counts_characters
from booklet.translations.pairing import pieces

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck

EXCERPT = 30
"""Characters of a sentence quoted in a message."""
GRADED_WORDS = 20
"""A block shorter than this many words gets no grade: formulas need running text."""


def check_readability(under: UnderCheck) -> list[Problem]:
    problems: list[Problem] = []
    handbook = under.handbook
    for chapter in handbook.chapters:
        for language, text in chapter.versions.items():
            limits = handbook.limits(language)
            graded = limits.max_grade is not None and grade_formula(language) is not None
            for piece in pieces(text):
                if isinstance(piece.node, Paragraph | ListItem):
                    measure = measure_block(piece.node, text.path, language, scored=graded)
                    problems += _sentence_problems(measure, limits)
                    problems += _grade_problems(measure, limits)
    return problems


def excerpt(sentence: Sentence) -> str:
    """The start of a sentence, for a message."""
    text = sentence.text
    return text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "…"


def _sentence_problems(measure: BlockMeasure, limits: ReadabilityLimits) -> list[Problem]:
    problems = []
    characters = counts_characters(measure.language)
    for sentence in measure.sentences:
        if characters and sentence.characters > limits.max_sentence_characters:
            size = f"{sentence.characters} characters"
            setting = f"max_sentence_characters = {limits.max_sentence_characters}"
        elif not characters and sentence.words > limits.max_sentence_words:
            size = f"{sentence.words} words"
            setting = f"max_sentence_words = {limits.max_sentence_words}"
        else:
            continue
        problems.append(
            Problem(
                SourceLocation(measure.path, sentence.line),
                f'sentence of {size}, more than {setting} allows ("{excerpt(sentence)}"); '
                "split it into shorter sentences, or raise the limit in [readability] "
                "in handbook.toml",
                Severity.WARNING,
            )
        )
    return problems


def _grade_problems(measure: BlockMeasure, limits: ReadabilityLimits) -> list[Problem]:
    if limits.max_grade is None or measure.words < GRADED_WORDS:
        return []
    formula = grade_formula(measure.language)
    if formula is None:
        return []
    grade = measure.scores().get(formula.name)
    if grade is None or grade <= limits.max_grade:
        return []
    return [
        Problem(
            SourceLocation(measure.path, measure.line),
            f"this block reads at grade {grade:g} ({formula.name}), above max_grade = "
            f"{limits.max_grade:g}; use shorter sentences and everyday words",
            Severity.WARNING,
        )
    ]
