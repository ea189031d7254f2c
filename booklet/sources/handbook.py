"""HandbookFiles (text read from disk) -> Handbook (the content model), plus problems.

Parsing is tolerant: a missing field or a bad block becomes a Problem with its file and
line, and parsing goes on so `booklet check` can list everything at once. Whole-handbook
rules (alignment, citations, fonts) are left to booklet.checks.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import (
    BasisGroup,
    Chapter,
    ChapterText,
    Citation,
    GlossaryTerm,
    Handbook,
    Image,
    LawRecord,
    Review,
    TranslationRecord,
    block_inlines,
    image_key,
)
from booklet.sources.clinics import parse_clinic, parse_contact
from booklet.sources.files import HandbookFiles, TomlFile, read_image
from booklet.sources.law_lock import parse_law_lock
from booklet.sources.lock import parse_lock
from booklet.sources.markdown import parse_chapter
from booklet.sources.publish import parse_publish
from booklet.sources.readability import parse_readability
from booklet.sources.revision import sources_digest
from booklet.sources.statutes import parse_statute
from booklet.sources.toml_fields import TomlFields
from booklet.themes.interface_text import LIST_NAMES, text_problem
from booklet.themes.theme import OPTIONAL_STRINGS, REQUIRED_STRINGS
from booklet.vocabulary import DEFAULT_PAPER, DIGITS, PAPERS, Calendar, ReviewStatus

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_MANIFEST_KEYS = (
    "languages",
    "authoritative",
    "edition",
    "laws",
    "appendix",
    "title",
    "subtitle",
    "publisher",
    "disclaimer",
    "review",
    "contact",
    "build",
    "strings",
    "clinics",
    "basis",
    "publish",
    "readability",
    "numerals",
    "calendar",
)


def parse_handbook(source: HandbookFiles) -> tuple[Handbook, list[Problem]]:
    """Build the model of one handbook; every problem found on the way is returned."""
    problems: list[Problem] = list(source.problems)
    top = TomlFields(source.manifest, problems)
    top.unknown_keys(_MANIFEST_KEYS)

    languages = _languages(top)
    authoritative = top.text("authoritative", required=bool(languages))
    if authoritative and authoritative not in languages:
        top.error(
            "authoritative",
            f'authoritative language "{authoritative}" is not one of the languages '
            f"({', '.join(languages)}); pick one of them",
        )
    if not authoritative and languages:
        authoritative = languages[0]

    build = top.sub("build")
    build.unknown_keys(("paper",))
    paper = build.text("paper", required=False, default=DEFAULT_PAPER).lower()
    if paper not in PAPERS:
        build.error("paper", f'unknown paper "{paper}"; use one of: {", ".join(PAPERS)}')
        paper = DEFAULT_PAPER

    _shared_folder(
        top, source.root, "laws", "statute registry", "statute", source.laws_dir, source.laws
    )
    _shared_folder(
        top,
        source.root,
        "clinics",
        "clinic directory",
        "clinic",
        source.clinics_dir,
        source.clinics,
    )

    strings = _strings(top)
    chapters = tuple(_chapters(source, languages, problems))
    images = _images(chapters, source.root)
    clinics = tuple(parse_clinic(file, languages, problems, images) for file in source.clinics)

    handbook = Handbook(
        id=source.name,
        root=source.root,
        languages=tuple(languages),
        authoritative=authoritative,
        edition=_edition(top, languages),
        title=top.localized("title", languages),
        subtitle=top.localized("subtitle", languages, required=False),
        publisher=top.localized("publisher", languages),
        disclaimer=top.localized("disclaimer", languages),
        review=_review(top),
        contacts=tuple(parse_contact(entry, languages) for entry in top.tables("contact")),
        paper=paper,
        chapters=chapters,
        statutes=tuple(parse_statute(file, problems) for file in source.laws),
        appendix=tuple(_articles(top, "appendix", required=False)),
        basis=tuple(_basis(top, languages)),
        strings=strings,
        numerals=_choices(
            top, "numerals", DIGITS, "a system of digits", 'fa = "persian"', languages
        ),
        calendars=_choices(
            top, "calendar", [str(c) for c in Calendar], "a calendar", 'fa = "persian"', languages
        ),
        location=SourceLocation(source.manifest.path, 0),
        title_location=top.at("title"),
        subtitle_location=top.at("subtitle") if "subtitle" in top.data else None,
        record=_record(source, problems),
        law_record=_law_record(source, problems),
        glossary=tuple(_glossary(source.glossary, languages, problems)),
        publish=parse_publish(top, tuple(languages)),
        images=images,
        unread=frozenset(source.unread),
        misnamed={lang: folder for folder, lang in misnamed_folders(source, languages).items()},
        clinics=clinics,
        readability=parse_readability(top, languages),
        sources=sources_digest(source, images),
    )
    return handbook, problems


def _shared_folder(
    top: TomlFields,
    root: Path,
    key: str,
    what: str,
    noun: str,
    found: Path | None,
    files: tuple[TomlFile, ...],
) -> None:
    """Check a setting that points at a folder shared by the handbooks (`laws`, `clinics`)."""
    value = top.data.get(key)
    if value is None:
        return
    if not isinstance(value, str):
        top.error(key, f'{key} must be a folder path in quotes, e.g. {key} = "../{key}"')
    elif found is None:
        where = (root / value).resolve()
        state = "is a file, not a folder" if where.exists() else "does not exist"
        top.error(
            key,
            f'the {what} folder "{value}" {state}; point {key} at the folder '
            f"that holds the {noun} .toml files",
        )
    elif not files:
        top.warning(key, f'the {what} folder "{value}" holds no {noun} files')


def _edition(top: TomlFields, languages: list[str]) -> dict[str, str]:
    """`[edition]` per language; a plain string serves every language (a warning when
    there are several: the edition line would print untranslated)."""
    value = top.data.get("edition")
    if isinstance(value, str):
        if len(languages) > 1:
            example = ", ".join(f'{lang} = "..."' for lang in languages)
            top.warning(
                "edition",
                "edition is one text for every language, so it prints untranslated; write "
                f"an [edition] table with one line per language ({example})",
            )
        if not value.strip():
            top.error("edition", '"edition" must be non-empty text in quotes')
        return dict.fromkeys(languages, value)
    return top.localized("edition", languages)


def _strings(top: TomlFields) -> dict[str, dict[str, Any]]:
    """`[strings.<lang>]`: interface text a handbook adds or changes, checked like a theme's."""
    table = top.data.get("strings", {})
    if not isinstance(table, dict):
        top.error("strings", "strings must hold [strings.<language>] tables")
        return {}
    known = (*REQUIRED_STRINGS, *OPTIONAL_STRINGS, *LIST_NAMES)
    out: dict[str, dict[str, Any]] = {}
    for lang, values in table.items():
        fields = top.sub("strings").sub(lang)
        if not isinstance(values, dict):
            top.error("strings", f'"strings.{lang}" must be a [strings.{lang}] table')
            continue
        fields.unknown_keys(known)
        out[lang] = {}
        for name, value in values.items():
            if name not in known:
                continue
            problem = text_problem(name, value)
            if problem:
                fields.error(name, problem)
            else:
                out[lang][name] = value
    return out


def _choices(
    top: TomlFields,
    table_name: str,
    choices: Iterable[str],
    what: str,
    example: str,
    languages: Sequence[str],
) -> dict[str, str]:
    """A table choosing one of `choices` per language: `[numerals]` (the digits a
    language writes numbers in), `[calendar]` (the calendar of its dates). A language
    the handbook does not have is a warning: a typo would otherwise be ignored."""
    table = top.data.get(table_name, {})
    if not isinstance(table, dict):
        top.error(table_name, f"{table_name} must be a [{table_name}] table, e.g. {example}")
        return {}
    known = list(choices)
    fields = top.sub(table_name)
    out = {}
    for lang, choice in table.items():
        if lang.casefold() not in {tag.casefold() for tag in languages}:  # tags ignore case
            fields.warning(
                lang,
                f"[{table_name}] {lang} is not one of this handbook's languages "
                f"({', '.join(languages)}); it changes nothing: correct or remove it",
            )
        if choice not in known:
            fields.error(
                lang,
                f"[{table_name}] {lang} = {json.dumps(choice, ensure_ascii=False)} is not "
                f"{what}; use one of {', '.join(known)}",
            )
        else:
            out[lang] = str(choice)
    return out


def _record(source: HandbookFiles, problems: list[Problem]) -> TranslationRecord | None:
    if source.lock is None:
        return None
    record, found = parse_lock(SourceLocation(source.lock.path, 0), source.lock.text)
    problems.extend(found)
    return record


def _law_record(source: HandbookFiles, problems: list[Problem]) -> LawRecord | None:
    if source.law_lock is None:
        return None
    record, found = parse_law_lock(source.law_lock.path, source.law_lock.text)
    problems.extend(found)
    return record


def _images(chapters: tuple[Chapter, ...], root: Path) -> dict[Path, bytes]:
    """The bytes of every image the chapters use, read once (see booklet.checks.images)."""
    images: dict[Path, bytes] = {}
    for chapter in chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if isinstance(node, Image) and "://" not in node.src:
                        key = image_key(text.path.parent, node.src)
                        data = read_image(key, root) if key not in images else images[key]
                        if data is not None:
                            images[key] = data
    return images


def _glossary(
    file: TomlFile | None, languages: list[str], problems: list[Problem]
) -> list[GlossaryTerm]:
    """glossary.toml: [[term]] tables, one rendering (or a list of them) per language."""
    if file is None:
        return []
    top = TomlFields(file, problems)
    top.unknown_keys(("term",))
    terms = []
    for entry in top.tables("term"):
        renderings: dict[str, tuple[str, ...]] = {}
        for lang, value in entry.data.items():
            values = [value] if isinstance(value, str) else value
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) and v.strip() for v in values)
            ):
                entry.error(lang, f'"{lang}" must be a term in quotes or a list of them')
                continue
            if lang.casefold() not in {tag.casefold() for tag in languages}:  # tags ignore case
                entry.warning(lang, f'"{lang}" is not a language of the handbook; it is ignored')
                continue
            renderings[lang] = tuple(values)
        if len(renderings) < 2:
            entry.error(None, "a glossary term needs renderings in at least two languages")
            continue
        terms.append(GlossaryTerm(renderings, entry.at()))
    return terms


DEPRECATED_LANGUAGES = {"iw", "in", "ji", "jw", "mo"}
"""Two-letter subtags BCP 47 (the IANA registry) replaced: he, id, yi, jv, ro."""


def bcp47_meant(tag: str) -> str | None:
    """The BCP 47 tag a valid-looking language tag should be written as, when it is not:
    an ISO 639-2/3 code with a two-letter one ("eng" -> "en", "tha" -> "th") or a
    deprecated one ("iw" -> "he"); None when the tag is right (or not one at all)."""
    import langcodes

    if not langcodes.tag_is_valid(tag):
        return None
    language = tag.split("-")[0].lower()
    standard = langcodes.standardize_tag(tag)
    replaced = standard.split("-")[0]
    if replaced == language or not (len(language) == 3 or language in DEPRECATED_LANGUAGES):
        return None
    return standard if len(replaced) == 2 else None


def _languages(top: TomlFields) -> list[str]:
    import langcodes

    languages = top.text_list("languages")
    good: list[str] = []
    for tag in languages:
        meant = bcp47_meant(tag)
        if meant is not None:
            # The book is checked as if written so: one message, not one per setting.
            top.error(
                "languages", f'"{tag}" is not a BCP 47 language tag (did you mean "{meant}"?)'
            )
            tag = meant
        if not LANGUAGE_TAG.fullmatch(tag) or not langcodes.tag_is_valid(tag):
            top.error(
                "languages",
                f'"{tag}" is not a language tag; use BCP 47 tags such as "en", "es", '
                '"zh-Hans" or "zh-Hant"',
            )
        elif tag in good:
            top.error("languages", f'"{tag}" is listed twice in languages; list it once')
        else:
            good.append(tag)
    if not languages and "languages" in top.data:
        top.error("languages", 'list at least one language, e.g. languages = ["en"]')
    return good


def _review(top: TomlFields) -> Review:
    review = top.sub("review")
    if "review" not in top.data:
        top.error(
            None,
            '"review" is missing; add a [review] table with status = "draft", '
            "law_as_at = YYYY-MM-DD and next_review = YYYY-MM-DD",
        )
    else:
        review.unknown_keys(("status", "law_as_at", "reviewed_on", "reviewer", "next_review"))
    status = review.text("status", required="review" in top.data, default="draft")
    if status not in list(ReviewStatus):
        review.error("status", f'review status "{status}" is unknown; use "draft" or "reviewed"')
        status = "draft"
    present = "review" in top.data
    reviewed = status == "reviewed"
    return Review(
        status=ReviewStatus(status),
        law_as_at=review.day("law_as_at", required=present),
        reviewed_on=review.day("reviewed_on", required=present and reviewed),
        reviewer=review.text("reviewer", required=present and reviewed),
        next_review=review.day("next_review", required=present),
        location=review.at(),
        next_review_location=review.at("next_review"),
        law_as_at_location=review.at("law_as_at"),
    )


def _articles(fields: TomlFields, key: str, *, required: bool) -> list[Citation]:
    """A list of articles written like citations, `["law 1-3", ...]`: `appendix` (extra
    articles for the legal-basis appendix) and each `[[basis]]` group's `articles`."""
    line = fields.line_of(key)
    out: list[Citation] = []
    for raw in fields.text_list(key, required=required):
        law, _, rest = raw.strip().partition(" ")
        items = tuple(i.strip() for i in rest.split(",") if i.strip())
        if not law or not items:
            fields.error(
                key,
                f'{fields.name(key)} entry "{raw}" must read "law-id article", '
                'e.g. "prc-civil-code 667-671"',
            )
            continue
        out.append(Citation(law, items, raw.strip(), line))
    return out


def _basis(top: TomlFields, languages: list[str]) -> list[BasisGroup]:
    """`[[basis]]` tables: groups of the legal-basis appendix, each with its articles and a
    title per language."""
    groups = []
    for entry in top.tables("basis"):
        entry.unknown_keys(("articles", "title"))
        articles = _articles(entry, "articles", required=True)
        groups.append(BasisGroup(entry.localized("title", languages), tuple(articles), entry.at()))
    return groups


def chapter_name(path: Path) -> str:
    """The name that pairs a chapter's files across languages: Unicode NFC (macOS writes
    NFD) and a lower-case `.md`, so `Ahorro.md` and `Ahorro.MD` are one chapter."""
    return unicodedata.normalize("NFC", path.stem) + ".md"


def misnamed_folders(source: HandbookFiles, languages: list[str]) -> dict[str, str]:
    """Folders of chapters whose name is a near miss for a language without chapters:
    `eng` or `EN` for `en`, `zh_Hans` for `zh-Hans` -> folder: language."""
    empty = [lang for lang in languages if not source.language_dirs.get(lang)]
    found: dict[str, str] = {}
    for folder, files in source.language_dirs.items():
        if folder in languages or not files:
            continue
        plain = folder.replace("_", "-").casefold()
        for lang in empty:
            tag = lang.casefold()
            near = plain == tag or plain.startswith(tag) or tag.startswith(plain)
            if near or difflib.SequenceMatcher(None, plain, tag).ratio() >= 0.8:
                found[folder] = lang
                empty.remove(lang)
                break
    return found


def _chapters(
    source: HandbookFiles, languages: list[str], problems: list[Problem]
) -> list[Chapter]:
    names = sorted(
        {chapter_name(f.path) for lang in languages for f in source.language_dirs.get(lang, ())}
    )
    versions: dict[str, dict[str, ChapterText]] = {name: {} for name in names}
    for lang in languages:
        for file in source.language_dirs.get(lang, ()):
            chapter, found = parse_chapter(file, lang)
            problems.extend(found)
            versions[chapter_name(file.path)][lang] = chapter
    for folder, files in source.language_dirs.items():
        if folder not in languages and files:
            meant = misnamed_folders(source, languages).get(folder)
            if meant:
                problems.append(
                    Problem(
                        SourceLocation(files[0].path.parent, 0),
                        f'folder "{folder}" holds the chapters but the language in '
                        f'handbook.toml is "{meant}"; rename {folder} to {meant}',
                    )
                )
                continue
            problems.append(
                Problem(
                    SourceLocation(files[0].path.parent, 0),
                    f'folder "{folder}" holds chapters but "{folder}" is not in languages '
                    f"in handbook.toml; add it there or rename the folder",
                    Severity.WARNING,
                )
            )
    return [Chapter(name, versions[name]) for name in names]
