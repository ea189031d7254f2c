"""Whole-handbook checks -> a list of Problems (never raises for content problems).

Takes the parsed handbook, the theme, the installed font faces and today's date; runs
every rule that needs more than one file at a time: languages and chapters present,
blocks aligned between languages, citations resolved, interface text and fonts for
every language, images inside the handbook, review dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from booklet.checks.glyphs import check_glyphs
from booklet.checks.translations import check_translations
from booklet.errors import Problem, Severity, SourceLocation, display_path
from booklet.law.citations import CitationError, ResolvedCitation, resolve_citation
from booklet.model import (
    Block,
    Chapter,
    Citation,
    Handbook,
    Heading,
    Image,
    block_inlines,
)
from booklet.themes.fonts import FontFace
from booklet.themes.interface_text import LIST_NAMES, interface_text, missing_text, text_problem
from booklet.themes.theme import REQUIRED_STRINGS, Theme
from booklet.translations.alignment import block_signature, describe


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return display_path(path)


# ---------------------------------------------------------------- walking the model


def _citations(block: Block) -> list[Citation]:
    return [n for n in block_inlines(block) if isinstance(n, Citation)]


# ---------------------------------------------------------------- the rules


def _check_languages(handbook: Handbook) -> list[Problem]:
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


def _check_chapter_files(handbook: Handbook) -> list[Problem]:
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
    ours = {(c.law, c.items) for c in _citations(mine)}
    theirs = {(c.law, c.items) for c in _citations(other)}
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


def _check_citations(handbook: Handbook) -> tuple[list[Problem], list[ResolvedCitation]]:
    problems: list[Problem] = []
    resolved: list[ResolvedCitation] = []
    sources: list[tuple[Citation, SourceLocation]] = []
    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for citation in _citations(block):
                    sources.append((citation, SourceLocation(text.path, citation.line)))
    manifest = handbook.location.path
    sources.extend((c, SourceLocation(manifest, c.line)) for c in handbook.appendix)
    for citation, location in sources:
        try:
            resolved.append(resolve_citation(citation, handbook.statutes))
        except CitationError as error:
            problems.append(Problem(location, f"[[{citation.raw}]]: {error}"))
    return problems, resolved


def _check_statute_languages(
    handbook: Handbook, resolved: Sequence[ResolvedCitation]
) -> list[Problem]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for citation in resolved:
        statute = citation.statute
        for lang in handbook.languages:
            if (statute.id, lang) not in seen:
                seen.add((statute.id, lang))
                for field, table in (("title", statute.title), ("short", statute.short)):
                    if lang not in table:
                        problems.append(
                            Problem(
                                statute.location,
                                f'the statute has no {field} in "{lang}", which the handbook '
                                f'{handbook.id} needs; add {lang} = "..." to [{field}]',
                            )
                        )
            for article in citation.articles:
                if (statute.id + "/" + article.key, lang) in seen:
                    continue
                seen.add((statute.id + "/" + article.key, lang))
                if lang not in article.paragraphs:
                    problems.append(
                        Problem(
                            article.location,
                            f'article {article.key} has no "{lang}" text, which the handbook '
                            f'{handbook.id} needs; add {lang} = """...""" to this table',
                        )
                    )
    return problems


def _check_images(handbook: Handbook) -> list[Problem]:
    problems = []
    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if not isinstance(node, Image):
                        continue
                    location = SourceLocation(text.path, node.line)
                    target = (text.path.parent / node.src).resolve()
                    if "://" in node.src or node.src.startswith(("data:", "/")):
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" must be a '
                                "relative path to a file in the handbook folder",
                            )
                        )
                    elif not target.is_relative_to(handbook.root):
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" is outside the '
                                "handbook folder; copy it into the handbook folder",
                            )
                        )
                    elif not target.is_file():
                        problems.append(
                            Problem(
                                location, f'image "{node.src}" does not exist; check the file name'
                            )
                        )
                    elif (kind := _image_kind(target)) != target.suffix.lower():
                        what = f"holds {kind[1:].upper()} data" if kind else "is not an image"
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" {what}; use a PNG, JPEG, GIF, WebP or SVG '
                                "file whose name ends in its type (.png, .jpg...)",
                            )
                        )
    return problems


_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)


def _image_kind(path: Path) -> str:
    """The file type an image's first bytes show (`.png`...), or "" for none booklet takes."""
    with path.open("rb") as stream:
        head = stream.read(512)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return ".jpeg" if kind == ".jpg" and path.suffix.lower() == ".jpeg" else kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if b"<svg" in head.lower():
        return ".svg"
    return ""


def _check_review(handbook: Handbook, today: date) -> list[Problem]:
    review = handbook.review
    if review.next_review and review.next_review < today:
        return [
            Problem(
                review.location,
                f"next_review {review.next_review.isoformat()} has passed; have the handbook "
                "reviewed against the current law, then set a new next_review date",
                Severity.WARNING,
            )
        ]
    return []


def _strings_file(theme: Theme) -> Path:
    """The theme strings.toml a piece of interface text comes from (the most specific)."""
    for folder in theme.folders:
        if (folder / "strings.toml").is_file():
            return folder / "strings.toml"
    return theme.folders[-1] / "strings.toml"


def _check_interface(handbook: Handbook, theme: Theme) -> list[Problem]:
    problems = []
    for lang in handbook.languages:
        text = interface_text(handbook, theme, lang)
        for name, value in text.items():
            # The handbook's own [strings] were checked when parsed; this catches a theme's.
            problem = (
                text_problem(name, value) if name in (*REQUIRED_STRINGS, *LIST_NAMES) else None
            )
            if problem:
                problems.append(
                    Problem(
                        SourceLocation(_strings_file(theme), 0),
                        f'interface text for "{lang}": {problem}',
                    )
                )
        missing = missing_text(text)
        if missing:
            problems.append(
                Problem(
                    handbook.location,
                    f'no interface text for "{lang}": {", ".join(missing)}; add them to a '
                    f"[strings.{lang}] table in handbook.toml (see docs/sources.md)",
                )
            )
    return problems


def check_handbook(
    handbook: Handbook,
    theme: Theme,
    faces: Mapping[str, FontFace | None],
    today: date,
) -> list[Problem]:
    """Every problem of the handbook as a whole; parse problems are the caller's."""
    problems: list[Problem] = []
    problems += _check_languages(handbook)
    problems += _check_chapter_files(handbook)
    translations = check_translations(handbook)
    for chapter in handbook.chapters:
        problems += _check_headings(chapter, handbook.authoritative)
        problems += _check_alignment(handbook, chapter, translations.out_of_step)
    problems += translations.problems
    citation_problems, resolved = _check_citations(handbook)
    problems += citation_problems
    problems += _check_statute_languages(handbook, resolved)
    problems += _check_images(handbook)
    problems += _check_review(handbook, today)
    interface_problems = _check_interface(handbook, theme)
    problems += interface_problems
    if not interface_problems:
        problems += check_glyphs(handbook, theme, faces, resolved)
    return problems
