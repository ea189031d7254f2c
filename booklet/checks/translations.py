"""Translation checks: missing, stale and orphaned translations; citations; approved terms.

Takes the handbook (with its translations.lock and glossary); gives Problems, all of them
warnings (`--strict` makes them errors), so an author's change never blocks a build: a
piece of the original that a translation lacks is reported once, with both files and
lines, and the build prints the original in its place. Only a translation whose markup
contradicts its original (a heading of another level) is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation, display_path
from booklet.exchange.memory import uses_term
from booklet.law.numerals import fold_digits
from booklet.model import Chapter, Handbook, Table
from booklet.sources.markdown import MAX_HEADING_LEVEL
from booklet.translations.pairing import ChapterPairing, Piece, chapter_pairings, holder_name
from booklet.translations.places import Places, places
from booklet.translations.states import article_status, cited_statute_articles
from booklet.vocabulary import TranslationState

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck

EXPORT_HINT = "booklet translations export carries it to a translator"


@dataclass(frozen=True)
class TranslationFindings:
    """What the translation checks found."""

    problems: list[Problem]
    """Everything to report."""


def _relative(handbook: Handbook, chapter: Chapter, language: str) -> str:
    path = chapter.versions[language].path
    try:
        return str(path.relative_to(handbook.root))
    except ValueError:
        return display_path(path)


def _block_name(pieces: list[Piece]) -> str:
    """`a paragraph`, `a list of 3 items`, `a note callout`... for a block's pieces."""
    first = pieces[0]
    container = first.container.split("/")[0]
    if first.container and first.container not in ("list", "numbered list"):
        return f"a {container}"
    if first.kind == "item":
        noun = "item" if len(pieces) == 1 else "items"
        return f"a {first.container} of {len(pieces)} {noun}"
    return first.describe()


def _chapter_problems(handbook: Handbook, pairing: ChapterPairing) -> list[Problem]:
    chapter, language = pairing.chapter, pairing.language
    here = chapter.versions[language].path
    there = _relative(handbook, chapter, pairing.authoritative)
    problems: list[Problem] = []
    held = places(pairing)
    # Where a missing piece belongs in the translation: after the last one it has before it.
    after = 0
    absent: dict[int, list[int]] = {}
    insert_at: dict[int, int] = {}
    for state in pairing.states:
        if state.original is None:
            continue
        piece = pairing.originals[state.original]
        origin = f"{there}:{piece.line}"
        if state.translation is None:
            absent.setdefault(piece.block, []).append(state.original)
            insert_at.setdefault(piece.block, after + 1)
            continue
        mine = pairing.translations[state.translation]
        after = mine.span.end
        where = SourceLocation(here, mine.line)
        if state.status == TranslationState.STALE:
            problems.append(
                Problem(
                    where,
                    f"translation is stale: {origin} changed since it was translated",
                    Severity.WARNING,
                )
            )
        elif state.status == TranslationState.MISSING:
            problems.append(
                Problem(
                    where,
                    f"translation missing: this is a placeholder; translate {origin}",
                    Severity.WARNING,
                )
            )
        deep = max(mine.level, piece.level) > MAX_HEADING_LEVEL  # reported when parsed
        if mine.kind == "heading" and mine.level != piece.level and not deep:
            problems.append(
                Problem(
                    where,
                    f"blocks out of step: this is {mine.describe()} but {origin} is "
                    f"{piece.describe()}; a translation keeps the heading level of its original",
                )
            )
        if not held.in_place(piece, mine):
            problems.append(_out_of_place(held, piece, mine, origin, where))
        if state.status != TranslationState.MISSING:
            problems.extend(_citation_parity(mine, piece, origin, where))
        if state.status == TranslationState.CURRENT:
            problems.extend(_glossary(handbook, language, piece, mine, origin, where))
    by_block: dict[int, list[Piece]] = {p.block: [] for p in pairing.originals}
    for piece in pairing.originals:
        by_block[piece.block].append(piece)
    for block, indexes in absent.items():
        missing = [pairing.originals[i] for i in indexes]
        whole = len(missing) == len(by_block[block])
        what = _block_name(missing) if whole else ", ".join(p.describe() for p in missing[:1])
        if not whole and len(missing) > 1:
            noun = "cells of a table" if missing[0].kind == "cell" else "items of a list"
            what = f"{len(missing)} {noun}"
        problems.append(
            Problem(
                SourceLocation(here, insert_at[block]),
                f"missing translation: {there}:{missing[0].line} has {what} that this file lacks; "
                f"the build prints the original here until it is translated ({EXPORT_HINT})",
                Severity.WARNING,
            )
        )
    for orphan in pairing.orphans:
        assert orphan.translation is not None
        mine = pairing.translations[orphan.translation]
        problems.append(
            Problem(
                SourceLocation(here, mine.line),
                f"{mine.describe()} with no original in {there} (deleted there?); it is not "
                "printed: delete it here, or run booklet translations sync --prune",
                Severity.WARNING,
            )
        )
    problems.extend(_table_shapes(pairing, held, there))
    problems.sort(key=lambda p: p.location.line)
    return problems


def _shape(table: Table) -> str:
    rows, columns = len(table.rows), len(table.header)
    return f"{rows} row{'s' if rows != 1 else ''} of {columns} column{'s' if columns != 1 else ''}"


def _table_shapes(pairing: ChapterPairing, held: Places, there: str) -> list[Problem]:
    """A translated table of another shape than its original's (a row or column added or
    left out): its cells cannot all be paired."""
    original = pairing.chapter.versions[pairing.authoritative]
    translated = pairing.translated
    problems = []
    for index, block in enumerate(original.blocks):
        theirs = held.translation_container((index,))
        if not isinstance(block, Table) or translated is None or not theirs:
            continue
        mine = translated.blocks[theirs[0]]
        if isinstance(mine, Table) and _shape(mine) != _shape(block):
            message = (
                f"table out of step: this table has {_shape(mine)} but {there}:"
                f"{block.location.line} has {_shape(block)}; a translation keeps its "
                "table's rows and columns (add or remove them here)"
            )
            problems.append(Problem(mine.location, message, Severity.WARNING))
    return problems


def _held_in(piece: Piece) -> str:
    """`in the warning callout at line 23`, `at the top level of the chapter`."""
    if not piece.holders:
        return "at the top level of the chapter"
    inner = piece.holders[-1]
    where = f"in the {holder_name(inner)} at line {inner.location.line}"
    if len(piece.holders) > 1:
        outer = piece.holders[0]
        where += f" (in the {holder_name(outer)} at line {outer.location.line})"
    return where


def _out_of_place(
    held: Places, piece: Piece, mine: Piece, origin: str, where: SourceLocation
) -> Problem:
    """A translation in another container than its original's: a callout, list or
    quotation holding text its original's does not (and printed twice beside it)."""
    # The innermost container of the original that the translation has, if any.
    ancestors = [piece.path[:depth] for depth in range(len(piece.path) - 1, 0, -1)]
    theirs = next((t for a in ancestors if (t := held.translation_container(a))), None)
    there = ""
    if theirs:
        inside = next(p for p in held.pairing.translations if p.path[: len(theirs)] == theirs)
        holder = inside.holders[len(theirs) - 1]
        there = f", translated by the {holder_name(holder)} at line {holder.location.line}"
    return Problem(
        where,
        f"out of place: this {mine.kind} is {_held_in(mine)}, but its original {origin} is "
        f"{_held_in(piece)}{there}; move it there, so both languages hold it in the same place",
        Severity.WARNING,
    )


def _citation_parity(
    mine: Piece, original: Piece, origin: str, where: SourceLocation
) -> list[Problem]:
    # An article's number may be written in the language's own digits ([[law ۱۲]]).
    if sorted(map(fold_digits, mine.citations)) == sorted(map(fold_digits, original.citations)):
        return []

    def written(cites: tuple[str, ...]) -> str:
        return ", ".join(f"[[{c}]]" for c in sorted(cites)) or "nothing"

    return [
        Problem(
            where,
            f"this block cites {written(mine.citations)} but {origin} cites "
            f"{written(original.citations)}; a translation should cite the same articles",
            Severity.WARNING,
        )
    ]


def _glossary(
    handbook: Handbook,
    language: str,
    original: Piece,
    translation: Piece,
    origin: str,
    where: SourceLocation,
) -> list[Problem]:
    source_text, target_text = original.text, translation.text
    problems = []
    for term in handbook.glossary:
        ours = term.renderings.get(handbook.authoritative)
        theirs = term.renderings.get(language)
        if not ours or not theirs or not uses_term(source_text, ours):
            continue
        if not uses_term(target_text, theirs):
            used = next(r for r in ours if r.casefold() in source_text.casefold())
            also = " (or another approved rendering)" if len(theirs) > 1 else ""
            problems.append(
                Problem(
                    where,
                    f'glossary: {origin} uses "{used}" but this block does not use "{theirs[0]}"'
                    f"{also}; see {display_path(term.location.path)}:{term.location.line}",
                    Severity.WARNING,
                )
            )
    return problems


def check_translations(handbook: Handbook) -> TranslationFindings:
    """Every translation problem of the handbook."""
    auth = handbook.authoritative
    problems: list[Problem] = []
    if handbook.record is None and len(handbook.languages) > 1:
        problems.append(
            Problem(
                SourceLocation(handbook.root / "translations.lock", 0),
                "no translations.lock yet, so a change to the original would go unnoticed; once "
                f"the translations are current, run: booklet translations sync "
                f"{display_path(handbook.root)}",
                Severity.WARNING,
            )
        )
    record = handbook.record.chapters if handbook.record else None
    for chapter in handbook.chapters:
        if auth not in chapter.versions:
            continue
        present = [lang for lang in handbook.languages if lang in chapter.versions]
        for pairing in chapter_pairings(chapter, record, present, auth).values():
            problems.extend(_chapter_problems(handbook, pairing))
    for statute, article in cited_statute_articles(handbook):
        for language in handbook.languages:
            if language == auth or language not in article.paragraphs:
                continue
            state = article_status(handbook.record, statute, article, auth, language)
            if state == TranslationState.STALE:
                problems.append(
                    Problem(
                        article.location,
                        f'the "{language}" text of article {article.key} is stale: its "{auth}" '
                        "text changed since it was translated",
                        Severity.WARNING,
                    )
                )
            elif state == TranslationState.MISSING:
                problems.append(
                    Problem(
                        article.location,
                        f'the "{language}" text of article {article.key} is a placeholder; '
                        "translate it",
                        Severity.WARNING,
                    )
                )
    return TranslationFindings(problems)


def check_translation_states(under: UnderCheck) -> list[Problem]:
    """Missing, stale and orphaned translations, citations kept, glossary terms."""
    return under.translations.problems
