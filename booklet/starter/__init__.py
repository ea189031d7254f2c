"""A new handbook that checks and builds at once (`booklet new`).

Takes a handbook id, its languages, the authoritative one and the sources folder; gives
the files to write: handbook.toml with every setting commented, one chapter per language
showing each feature (headings, a list, a checklist, numbered steps, a callout, a
citation) and, when the statute registry has nothing the chapter can cite, an example
statute. The words are package data (words.toml, per language); a language they lack gets
the English words marked `TODO: translate`. The translations.lock is written afterwards
by the caller, from the handbook as parsed (booklet.translations.record).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from booklet.errors import BookletError, Problem, SourceError, display_path
from booklet.sources.files import DEFAULT_LAWS, MANIFEST, read_toml
from booklet.sources.handbook import LANGUAGE_TAG
from booklet.sources.statutes import STATUTE_ID, parse_statute
from booklet.text.placeholders import fill
from booklet.themes.calendars import default_calendar
from booklet.themes.cldr import english_name, locale, script_sample
from booklet.themes.interface_text import fallback_text, own_name, untranslated
from booklet.themes.theme import Theme, best_match

EXAMPLE_LAW = "example-act"
"""The id of the example statute the starter writes when the registry has none to cite."""

EXAMPLE_ARTICLE = "1"

CHAPTER = "01-getting-started.md"

BASE_LANGUAGE = "en"
"""The words a language without its own are taken from, marked `TODO: translate`."""


@dataclass(frozen=True)
class Starter:
    """What `booklet new` writes, and what it says about it."""

    folder: Path
    """The new handbook folder."""
    files: list[tuple[Path, bytes]]
    """Every file to write, the handbook's and perhaps the example statute."""
    law: str
    """The statute the chapters cite."""
    placeholders: list[str]
    """Languages written with marked English placeholder text."""
    first_chapter: Path
    """The chapter to edit first (the authoritative language's)."""
    interface: Mapping[str, list[str]]
    """Language -> the interface text written as English marked `TODO: translate`."""


def _words() -> dict[str, dict[str, Any]]:
    text = resources.files(__name__).joinpath("words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _placeholder(words: Mapping[str, Any], language_name: str) -> dict[str, Any]:
    """English words marked as still to be written in the language: `TODO: translate
    into Tiếng Việt: ...`. Never the bare marker, which counts as a missing translation."""

    def marked(text: Any) -> Any:
        if isinstance(text, list):
            return [marked(item) for item in text]
        return f"TODO: translate into {language_name}: {text}"

    return {name: marked(text) for name, text in words.items()}


def _toml(value: object) -> str:
    # A JSON string or list of strings is a TOML basic string or array.
    return json.dumps(value, ensure_ascii=False)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__name__, "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # TOML and Markdown, not HTML; values pass through `toml`
        keep_trailing_newline=True,
    )
    env.filters["toml"] = _toml
    return env


def check_request(
    handbook_id: str, languages: Sequence[str], authoritative: str, theme: Theme, sources: Path
) -> None:
    """Refuse what `booklet new` cannot make: a taken folder, a bad id, a language tag
    that is not one or that booklet has no interface text for."""
    if not STATUTE_ID.match(handbook_id):
        raise BookletError(
            f'"{handbook_id}" cannot be a handbook id: use lower-case letters, digits and "-" '
            "(e.g. debt-collection); it names the folder and the files built"
        )
    folder = sources / handbook_id
    if folder.exists():
        raise BookletError(
            f"{display_path(folder)}: this folder already exists; choose another id, "
            "or delete the folder first"
        )
    if not languages:
        raise BookletError("--languages names no language; write e.g. --languages es,en")
    for tag in languages:
        if not LANGUAGE_TAG.match(tag):
            raise BookletError(
                f'"{tag}" is not a language tag; write BCP 47 tags such as en, es, vi or '
                "zh-Hans, separated by commas"
            )
        if best_match(tag, theme.strings) is None:
            _check_unknown(tag, theme)
    if len(set(languages)) != len(languages):
        raise BookletError("--languages names a language twice; name each once")
    if authoritative not in languages:
        raise BookletError(
            f'--authoritative "{authoritative}" is not one of --languages '
            f"{','.join(languages)}; name one of them"
        )


def _check_unknown(tag: str, theme: Theme) -> None:
    """Refuse a language the theme has no interface text for when CLDR does not know it
    (nothing to take its name, months and dates from) or no font of the theme covers
    its script."""
    from booklet.themes.fonts import find_faces

    if locale(tag) is None:
        known = ", ".join(theme.strings)
        raise BookletError(
            f'unknown language "{tag}": neither booklet (which has interface text for '
            f"{known}) nor CLDR knows it; check the tag, or start with a language booklet "
            'knows and add this one as described in docs/sources.md ("Interface text for a '
            'new language")'
        )
    families = theme.font_stack(tag).families
    covered: set[int] = set()
    for face in find_faces(families).values():
        if face is not None:
            covered |= face.codepoints
    lacking = "".join(dict.fromkeys(c for c in script_sample(tag) if ord(c) not in covered))
    if lacking:
        raise BookletError(
            f'"{tag}" ({english_name(tag)}): no font of the theme covers its script '
            f"({', '.join(families)} lack {lacking[:8]}); add [fonts.{tag}] with fonts for "
            "its script to a theme's theme.toml (see docs/themes.md)"
        )


def _interface_tables(languages: Sequence[str], theme: Theme) -> dict[str, list[tuple[str, Any]]]:
    """[strings.<tag>] tables to write for languages the theme has no interface text
    for: the English phrases marked `TODO: translate`, for the author to translate
    (CLDR gives the language's name, months and date pattern)."""
    tables = {}
    for lang in languages:
        if best_match(lang, theme.strings) is None:
            text = fallback_text(lang, theme)
            tables[lang] = [(name, text[name]) for name in untranslated(text)]
    return tables


def _citable(registry: Path, languages: Sequence[str]) -> tuple[str, str] | None:
    """A statute of the registry and its first article with text in every language."""
    for path in sorted(registry.glob("*.toml")):
        problems: list[Problem] = []
        try:
            statute = parse_statute(read_toml(path, registry), problems)
        except SourceError:
            continue
        if problems or not all(lang in statute.short for lang in languages):
            continue
        for article in statute.articles:
            if all(article.paragraphs.get(lang) for lang in languages):
                return statute.id, article.key
    return None


def _free_name(registry: Path) -> str:
    """example-act, or example-act-2... when another handbook's example is there."""
    names = (EXAMPLE_LAW if n == 1 else f"{EXAMPLE_LAW}-{n}" for n in range(1, 1000))
    return next(name for name in names if not (registry / f"{name}.toml").exists())


def starter_files(
    handbook_id: str,
    languages: Sequence[str],
    authoritative: str,
    theme: Theme,
    sources: Path,
    today: date,
) -> Starter:
    """The files of a new handbook `sources/<id>/` (see the module docstring)."""
    check_request(handbook_id, languages, authoritative, theme, sources)
    folder = sources / handbook_id
    registry = (folder / DEFAULT_LAWS).resolve()
    known = _words()
    words: dict[str, dict[str, Any]] = {}
    placeholders = []
    for lang in languages:
        own = best_match(lang, known)
        if own is None:
            words[lang] = _placeholder(known[BASE_LANGUAGE], own_name(lang, theme))
            placeholders.append(lang)
        else:
            words[lang] = known[own]
    # The example statute's words are in English (its source line) too.
    words.setdefault(BASE_LANGUAGE, known[BASE_LANGUAGE])

    files: list[tuple[Path, bytes]] = []
    env = _environment()
    citable = _citable(registry, languages) if registry.is_dir() else None
    law, article = citable or (_free_name(registry), EXAMPLE_ARTICLE)
    if citable is None:
        statute = env.get_template("statute.toml.j2").render(
            law=law, article=article, languages=languages, words=words, today=today
        )
        files.append((registry / f"{law}.toml", statute.encode("utf-8")))
    values = {
        "id": handbook_id,
        "languages": list(languages),
        "authoritative": authoritative,
        "words": words,
        "law": law,
        "article": article,
        "today": today.isoformat(),
        "next_review": today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat(),
    }
    interface = _interface_tables(languages, theme)
    values["interface"] = interface
    # CLDR's choices, written out commented, so the author sees what to change.
    values["digits"] = {lang: theme.digits(lang) for lang in languages}
    values["calendars"] = {lang: str(default_calendar(lang)) for lang in languages}
    manifest = env.get_template("handbook.toml.j2").render(values)
    files.append((folder / MANIFEST, manifest.encode("utf-8")))
    chapter = env.get_template("chapter.md.j2")
    for lang in languages:
        chapter_words = dict(words[lang])
        chapter_words["citation"] = fill(chapter_words["citation"], law=law, article=article)
        text = chapter.render(w=chapter_words)
        files.append((folder / lang / CHAPTER, re.sub(r"\n{3,}", "\n\n", text).encode("utf-8")))
    return Starter(
        folder,
        files,
        law,
        placeholders,
        folder / authoritative / CHAPTER,
        {lang: [name for name, _ in table] for lang, table in interface.items()},
    )
