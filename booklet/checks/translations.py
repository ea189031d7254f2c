"""Translation checks: stale, missing, inserted and deleted blocks; approved terms.

Takes the handbook (with its translations.lock and glossary); gives Problems. Stale and
placeholder translations are warnings (`--strict` makes them errors); a block inserted
in or deleted from the authoritative language without its counterpart is an error, since
the languages can no longer be set side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation, display_path
from booklet.model import Chapter, Handbook
from booklet.translations.segments import BlockSpan
from booklet.translations.states import (
    BlockState,
    article_status,
    chapter_spans,
    chapter_states,
    cited_statute_articles,
)
from booklet.vocabulary import TranslationState

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


@dataclass(frozen=True)
class TranslationFindings:
    """What the translation checks found."""

    problems: list[Problem]
    """Everything to report."""
    out_of_step: set[tuple[str, str]]
    """(chapter, language) pairs whose blocks no longer pair up: skip the shape check."""


def _relative(chapter: Chapter, language: str, handbook: Handbook) -> str:
    path = chapter.versions[language].path
    try:
        return str(path.relative_to(handbook.root))
    except ValueError:
        return display_path(path)


def _chapter_problems(
    handbook: Handbook,
    chapter: Chapter,
    language: str,
    originals: list[BlockSpan],
    translations: list[BlockSpan],
    states: list[BlockState],
) -> tuple[list[Problem], bool]:
    auth = handbook.authoritative
    here = chapter.versions[language].path
    there = _relative(chapter, auth, handbook)
    problems: list[Problem] = []
    structural = False
    previous_end = 0
    for state in states:
        if state.original is None and state.translation is not None:
            structural = True
            problems.append(Problem(
                SourceLocation(here, translations[state.translation].start + 1),
                f"the original of this block was deleted from {there} since the last sync; "
                "delete it here too",
            ))  # fmt: skip
            continue
        assert state.original is not None
        original = originals[state.original]
        origin = f"{there}:{original.start + 1}"
        if state.translation is None:
            structural = True
            added = "was added since the last sync" if state.inserted else "has no translation"
            problems.append(Problem(
                SourceLocation(here, previous_end + 1),
                f"missing translation: {origin} {added}; add its translation here (a "
                "<!-- translate --> placeholder will do until it is translated)",
            ))  # fmt: skip
            continue
        block = translations[state.translation]
        previous_end = block.end
        where = SourceLocation(here, block.start + 1)
        if state.status == TranslationState.STALE:
            problems.append(Problem(
                where, f"translation is stale: {origin} changed since it was translated",
                Severity.WARNING,
            ))  # fmt: skip
        elif state.status == TranslationState.MISSING:
            problems.append(Problem(
                where, f"translation missing: this block is a placeholder; translate {origin}",
                Severity.WARNING,
            ))  # fmt: skip
        else:
            problems.extend(_glossary(handbook, language, original, block, origin, where))
    return problems, structural


def _contains(text: str, renderings: tuple[str, ...]) -> bool:
    folded = re.sub(r"\s+", " ", text).casefold()
    return any(r.casefold() in folded for r in renderings)


def _glossary(
    handbook: Handbook,
    language: str,
    original: BlockSpan,
    translation: BlockSpan,
    origin: str,
    where: SourceLocation,
) -> list[Problem]:
    source_text = " ".join(s.text for s in original.segments)
    target_text = " ".join(s.text for s in translation.segments)
    problems = []
    for term in handbook.glossary:
        ours = term.renderings.get(handbook.authoritative)
        theirs = term.renderings.get(language)
        if not ours or not theirs or not _contains(source_text, ours):
            continue
        if not _contains(target_text, theirs):
            used = next(r for r in ours if r.casefold() in source_text.casefold())
            also = " (or another approved rendering)" if len(theirs) > 1 else ""
            problems.append(Problem(
                where,
                f'glossary: {origin} uses "{used}" but this block does not use "{theirs[0]}"'
                f"{also}; see {display_path(term.location.path)}:{term.location.line}",
                Severity.WARNING,
            ))  # fmt: skip
    return problems


def check_translations(handbook: Handbook) -> TranslationFindings:
    """Every translation problem of the handbook."""
    auth = handbook.authoritative
    problems: list[Problem] = []
    out_of_step: set[tuple[str, str]] = set()
    for chapter in handbook.chapters:
        if auth not in chapter.versions:
            continue
        blocks = chapter_spans(chapter)
        recorded = handbook.record.chapters.get(chapter.name) if handbook.record else None
        for language in handbook.languages:
            if language == auth or language not in chapter.versions:
                continue
            states = chapter_states(recorded, blocks[auth], blocks[language], auth, language)
            if recorded is None and len(blocks[auth]) != len(blocks[language]):
                # Without a record there is no knowing where blocks were added; the
                # alignment check names the first place the files differ.
                states = [s for s in states if s.original is not None and s.translation
                          is not None]  # fmt: skip
            found, structural = _chapter_problems(
                handbook, chapter, language, blocks[auth], blocks[language], states
            )
            problems.extend(found)
            if structural:
                out_of_step.add((chapter.name, language))
    for statute, article in cited_statute_articles(handbook):
        for language in handbook.languages:
            if language == auth or language not in article.paragraphs:
                continue
            state = article_status(handbook.record, statute, article, auth, language)
            if state == TranslationState.STALE:
                problems.append(Problem(
                    article.location,
                    f'the "{language}" text of article {article.key} is stale: its "{auth}" '
                    "text changed since it was translated",
                    Severity.WARNING,
                ))  # fmt: skip
            elif state == TranslationState.MISSING:
                problems.append(Problem(
                    article.location,
                    f'the "{language}" text of article {article.key} is a placeholder; '
                    "translate it",
                    Severity.WARNING,
                ))  # fmt: skip
    return TranslationFindings(problems, out_of_step)


def check_translation_states(under: UnderCheck) -> list[Problem]:
    """Stale, missing, inserted and deleted translations, and glossary terms."""
    return under.translations.problems
