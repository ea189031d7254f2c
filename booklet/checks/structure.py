"""Structure: every language has the chapters, each chapter its title, each block its counterpart.

Takes the parsed handbook; gives Problems for a language with no chapters, a chapter file
missing in a language, a chapter that does not start with its # title, and the first
block of a translation that is out of step with the original (kind, items, citations).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation, display_path
from booklet.model import (
    Block,
    Chapter,
    Handbook,
    Heading,
    block_citations,
)
from booklet.translations.alignment import block_signature, describe

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return display_path(path)


def check_languages(under: UnderCheck) -> list[Problem]:
    handbook = under.handbook
    problems = []
    if not handbook.chapters:
        problems.append(
            Problem(
                handbook.location,
                "the handbook has no chapters; add Markdown files to a folder per language, "
                + ", ".join(f"{lang}/01-start.md" for lang in handbook.languages),
            )
        )
        return problems
    for lang in handbook.languages:
        if not any(lang in chapter.versions for chapter in handbook.chapters):
            problems.append(
                Problem(
                    SourceLocation(handbook.root / lang, 0),
                    f'no chapters in language "{lang}"; create this folder with the same '
                    "chapter files as the other languages",
                )
            )
    return problems


def check_chapter_files(under: UnderCheck) -> list[Problem]:
    handbook = under.handbook
    problems = []
    present = [
        lang
        for lang in handbook.languages
        if any(lang in chapter.versions for chapter in handbook.chapters)
    ]
    for chapter in handbook.chapters:
        have = [lang for lang in handbook.languages if lang in chapter.versions]
        for lang in present:
            if lang in chapter.versions:
                continue
            source = chapter.versions[have[0]]
            problems.append(
                Problem(
                    SourceLocation(handbook.root / lang / chapter.name, 0),
                    f"chapter missing: {_relative(source.path, handbook.root)} has no "
                    f'"{lang}" version; add {lang}/{chapter.name} or remove the chapter',
                )
            )
    return problems


def check_chapters(under: UnderCheck) -> list[Problem]:
    """Each chapter's title and headings, then its blocks against the original's."""
    problems: list[Problem] = []
    for chapter in under.handbook.chapters:
        problems += _check_headings(chapter, under.handbook.authoritative)
        problems += _check_alignment(under.handbook, chapter, under.translations.out_of_step)
    return problems


def _check_headings(chapter: Chapter, authoritative: str) -> list[Problem]:
    problems = []
    for text in chapter.versions.values():
        blocks = text.blocks
        if not blocks or not (isinstance(blocks[0], Heading) and blocks[0].level == 1):
            where = blocks[0].location if blocks else SourceLocation(text.path, 1)
            problems.append(
                Problem(
                    where,
                    "a chapter must start with its title as a # heading; "
                    "add a line '# Title' at the top",
                )
            )
        for block in blocks if text.language == authoritative else ():
            # An empty heading in a translation is a placeholder: check_translations says so.
            if isinstance(block, Heading) and not block.content:
                problems.append(
                    Problem(block.location, "this heading has no text; write it after the #")
                )
        for block in blocks[1:]:
            if isinstance(block, Heading) and block.level == 1:
                problems.append(
                    Problem(
                        block.location,
                        "only the chapter title may be a # heading; "
                        "use ## for sections or start a new chapter file",
                    )
                )
    return problems


def _check_alignment(
    handbook: Handbook, chapter: Chapter, out_of_step: set[tuple[str, str]]
) -> list[Problem]:
    """The first block that does not match its counterpart in the reference language.

    Versions the translation record already showed out of step (a block added or
    deleted) are skipped: that one insertion or deletion is their problem.
    """
    reference_lang = (
        handbook.authoritative
        if handbook.authoritative in chapter.versions
        else next(iter(chapter.versions))
    )
    reference = chapter.versions[reference_lang]
    problems = []
    for lang, text in chapter.versions.items():
        if lang == reference_lang or (chapter.name, lang) in out_of_step:
            continue
        ours, theirs = text.blocks, reference.blocks
        for index in range(max(len(ours), len(theirs))):
            mine = ours[index] if index < len(ours) else None
            other = theirs[index] if index < len(theirs) else None
            ref_name = _relative(reference.path, handbook.root)
            if mine is None and other is not None:
                problems.append(
                    Problem(
                        SourceLocation(text.path, _last_line(ours)),
                        f"missing translation: {ref_name}:{other.location.line} has "
                        f"{describe(other)} (block {index + 1}) that this file lacks; "
                        f"translate it here ({len(ours)} blocks here, {len(theirs)} there)",
                    )
                )
                break
            if other is None and mine is not None:
                problems.append(
                    Problem(
                        mine.location,
                        f"extra block: {describe(mine)} (block {index + 1}) has no "
                        f"counterpart in {ref_name} ({len(ours)} blocks here, {len(theirs)} "
                        "there); remove it or add the original",
                    )
                )
                break
            assert mine is not None and other is not None
            if block_signature(mine) != block_signature(other):
                problems.append(
                    Problem(
                        mine.location,
                        f"blocks out of step: block {index + 1} is {describe(mine)} but "
                        f"{ref_name}:{other.location.line} is {describe(other)}; each block "
                        "must match its translation in order, kind and number of items",
                    )
                )
                break
            problems.extend(_check_citation_parity(handbook, mine, other, ref_name))
    return problems


def _last_line(blocks: Sequence[Block]) -> int:
    return blocks[-1].location.line if blocks else 1


def _check_citation_parity(
    handbook: Handbook, mine: Block, other: Block, ref_name: str
) -> list[Problem]:
    ours = {(c.law, c.items) for c in block_citations(mine)}
    theirs = {(c.law, c.items) for c in block_citations(other)}
    if ours == theirs:
        return []

    def written(cites: set[tuple[str, tuple[str, ...]]]) -> str:
        return ", ".join(f"[[{law} {', '.join(items)}]]" for law, items in sorted(cites)) or (
            "nothing"
        )

    return [
        Problem(
            mine.location,
            f"this block cites {written(ours)} but {ref_name}:{other.location.line} cites "
            f"{written(theirs)}; a translation should cite the same articles",
            Severity.WARNING,
        )
    ]
