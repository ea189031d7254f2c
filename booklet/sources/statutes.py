"""Statute files of the registry -> Statute models, with located problems.

Takes a parsed TOML file of the registry folder; gives its Statute (titles, citation
conventions per language, articles) and a Problem for each field that is missing or wrong.
"""

from __future__ import annotations

import re
from typing import Any

from booklet.errors import Problem, SourceLocation
from booklet.law.citations import article_number
from booklet.law.numerals import SYSTEMS
from booklet.model import Article, CiteStyle, Statute
from booklet.sources.files import TomlFile
from booklet.sources.toml_fields import TomlFields
from booklet.text.line_joining import join_wrapped_lines
from booklet.text.placeholders import pattern_problem

STATUTE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


MAX_KEY_LENGTH = 20
"""An article key longer than this is a mistake (`1692c`, `293-1`, `art.12.3`)."""
ARTICLE_KEY = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9.-]{{0,{MAX_KEY_LENGTH - 1}}}$")


_CITE_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "article": ("n",),
    "heading": ("n",),
    "single": ("short", "article"),
    "multiple": ("short", "articles"),
    "range": ("first", "last"),
    "separator": (),
}


_STATUTE_KEYS = (
    "id",
    "jurisdiction",
    "effective",
    "source",
    "title",
    "short",
    "translation",
    "version",
    "cite",
    "articles",
)


def parse_statute(file: TomlFile, problems: list[Problem]) -> Statute:
    top = TomlFields(file, problems)
    top.unknown_keys(_STATUTE_KEYS)
    statute_id = top.text("id")
    expected = file.path.stem
    if statute_id and statute_id != expected:
        top.error(
            "id", f'id "{statute_id}" must equal the file name "{expected}"; rename one of them'
        )
    if statute_id and not STATUTE_ID.fullmatch(statute_id):
        top.error("id", f'id "{statute_id}" may hold only lower-case letters, digits and "-"')
    languages = _statute_languages(file.data)
    styles = _cite_styles(top)
    return Statute(
        id=expected,
        jurisdiction=top.text("jurisdiction"),
        effective=top.day("effective", required=False),
        source=top.text("source"),
        title=top.localized("title", languages),
        short=top.localized("short", languages),
        translation=top.localized("translation", languages, required=False),
        version=_version(top, languages),
        cite=styles,
        articles=tuple(_articles(top, styles)),
        location=SourceLocation(file.path, 0),
        file_text=file.text,
    )


def _version(top: TomlFields, languages: list[str]) -> dict[str, str]:
    """The optional `[version]`: absent is fine; once written, every language needs a line."""
    version = top.localized("version", languages, required=False)
    missing = [lang for lang in languages if version and lang not in version]
    for lang in missing:
        top.sub("version").warning(
            None,
            f'"version" has no text for "{lang}"; add {lang} = "..." (printed under the '
            "statute's title in that language)",
        )
    return version


def _statute_languages(data: dict[str, Any] | Any) -> list[str]:
    """A statute's languages are those of its [title] table (a registry serves many handbooks)."""
    title = data.get("title") if isinstance(data, dict) else None
    return [k for k in title if isinstance(k, str)] if isinstance(title, dict) else []


def _cite_styles(top: TomlFields) -> dict[str, CiteStyle]:
    styles: dict[str, CiteStyle] = {}
    table = top.data.get("cite", {})
    if not isinstance(table, dict):
        top.error("cite", '"cite" must hold one [cite.<language>] table per language')
        return styles
    fields = tuple(CiteStyle.__dataclass_fields__)
    for lang in table:
        sub = top.sub("cite").sub(lang)
        sub.unknown_keys(fields)
        defaults = CiteStyle()
        values = {
            name: sub.text(name, required=False, default=getattr(defaults, name)) for name in fields
        }
        for name, allowed in _CITE_PLACEHOLDERS.items():
            problem = pattern_problem(values[name], allowed)
            if problem:
                sub.error(name, f'"{name}": {problem}')
                values[name] = getattr(defaults, name)
        if values["numerals"] not in SYSTEMS:
            sub.error(
                "numerals",
                f'unknown numerals "{values["numerals"]}"; use one of: {", ".join(SYSTEMS)}',
            )
            values["numerals"] = defaults.numerals
        styles[lang] = CiteStyle(**values)
    return styles


def _unwritable(key: str, styles: dict[str, CiteStyle]) -> str | None:
    """Why a language's numeral system cannot write this article key, or None."""
    for lang, style in styles.items():
        try:
            article_number(key, style)
        except ValueError as error:
            return (
                f'article key "{key}" cannot be written in {style.numerals} numerals for '
                f'"{lang}" ({error}); change the key or [cite.{lang}] numerals'
            )
    return None


def _articles(top: TomlFields, styles: dict[str, CiteStyle]) -> list[Article]:
    table = top.data.get("articles")
    if not isinstance(table, dict) or not table:
        top.error(
            None,
            "the statute has no articles; add [articles.<key>] tables, e.g. "
            "[articles.667] with one text per language",
        )
        return []
    articles_fields = top.sub("articles")
    out: list[Article] = []
    for key, value in table.items():
        entry = articles_fields.sub(key)
        if not ARTICLE_KEY.match(key):
            entry.error(
                None,
                f'article key "{key[:40]}" may hold only letters, digits, "." '
                f'and "-", {MAX_KEY_LENGTH} characters at most',
            )
            continue
        unwritable = _unwritable(key, styles)
        if unwritable:
            entry.error(None, unwritable)
            continue
        if not isinstance(value, dict):
            entry.error(None, f'article "{key}" must be a table with one text per language')
            continue
        paragraphs: dict[str, tuple[str, ...]] = {}
        label: dict[str, str] = {}
        repealed = False
        for lang, text in value.items():
            if lang == "repealed":
                if isinstance(text, bool):
                    repealed = text
                else:
                    entry.error("repealed", "repealed must be true or false")
            elif lang == "label":
                if isinstance(text, dict) and all(isinstance(v, str) for v in text.values()):
                    label = dict(text)
                else:
                    entry.error("label", 'label must be a table of texts, e.g. label.en = "art. 1"')
            elif isinstance(text, str) and text.strip():
                paragraphs[lang] = tuple(
                    join_wrapped_lines(p.strip()) for p in re.split(r"\n\s*\n", text.strip())
                )
            else:
                entry.error(lang, f'article "{key}" has no text for "{lang}"')
        out.append(Article(key, paragraphs, label, entry.at(), repealed))
    return out
