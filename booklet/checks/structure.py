"""Structure: every language has the chapters, each chapter its title, each block its counterpart.

Takes the parsed handbook; gives Problems for a language with no chapters, a chapter file
missing in a language, a chapter that does not start with its # title, and the first
block of a translation that is out of step with the original (kind, items, citations).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from booklet.checks.translations import EXPORT_HINT
from booklet.errors import Problem, Severity, SourceLocation, display_path
from booklet.model import (
    Chapter,
    Heading,
)

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
        if lang in handbook.misnamed or any(p.parent.name == lang for p in handbook.unread):
            continue  # reported with its folder, or where its chapters were read
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
        auth = handbook.authoritative
        original = chapter.versions.get(auth)
        for lang in present:
            if lang in chapter.versions or handbook.root / lang / chapter.name in handbook.unread:
                continue  # an unreadable file was reported where it was read
            if original is not None:
                # A new chapter of the original: a warning, the build prints the original.
                problems.append(
                    Problem(
                        SourceLocation(handbook.root / lang / chapter.name, 0),
                        f"chapter missing: {_relative(original.path, handbook.root)} has no "
                        f'"{lang}" version yet; the build prints the original in its place until '
                        f"it is translated ({EXPORT_HINT})",
                        Severity.WARNING,
                    )
                )
            elif lang == auth:
                source = next(iter(chapter.versions.values()))
                problems.append(
                    Problem(
                        SourceLocation(source.path, 0),
                        f'this chapter has no original: there is no "{auth}" version '
                        f"({auth}/{chapter.name}); it is not printed: add the original or "
                        "remove this file",
                        Severity.WARNING,
                    )
                )
    return problems


def check_chapters(under: UnderCheck) -> list[Problem]:
    """Each chapter's title and headings (translations are paired in checks.translations)."""
    problems: list[Problem] = []
    for chapter in under.handbook.chapters:
        problems += _check_headings(chapter, under.handbook.authoritative)
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
