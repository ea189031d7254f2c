"""The statute registry: statutes, their articles and how citations read; the law as
reviewed (law.lock)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from booklet.errors import SourceLocation
from booklet.model.content import (
    Localized,
)

# ---------------------------------------------------------------- statutes


@dataclass(frozen=True)
class CiteStyle:
    """How a statute is cited in one language."""

    numerals: str = "arabic"
    """Numeral system for the numeric part of article keys (see booklet.law.numerals)."""
    article: str = "{n}"
    """Label of one article; `{n}` is the formatted key."""
    heading: str = "{n}"
    """Heading of the article in the legal-basis appendix."""
    single: str = "{short} {article}"
    """A citation of one article."""
    multiple: str = "{short} {articles}"
    """A citation of several articles."""
    range: str = "{first}–{last}"
    """An inclusive range of article labels."""
    separator: str = ", "
    """Between items of a list of articles."""


@dataclass(frozen=True)
class Article:
    """One article of a statute, in every language the registry has it in."""

    key: str
    """Its key in the registry (`667`, `1692c`, `293-1`)."""
    paragraphs: Mapping[str, tuple[str, ...]]
    """Language tag -> the article's paragraphs."""
    label: Localized
    """Language tag -> label that replaces the one made from `CiteStyle.article`."""
    location: SourceLocation
    """The `[articles.KEY]` line of the statute file."""
    repealed: bool = False
    """`repealed = true` in the registry: no longer law; a handbook citing it is an error."""


@dataclass(frozen=True)
class Statute:
    """A statute file of the registry."""

    id: str
    """Registry id; equals the file name without `.toml`."""
    jurisdiction: str
    """Where it applies, e.g. `CN`."""
    effective: date | None
    """Date it took effect."""
    source: str
    """Where the text comes from."""
    title: Localized
    """Full title per language."""
    short: Localized
    """Short title per language, used in citations."""
    translation: Localized
    """Per-language note on the status of the translation (e.g. unofficial)."""
    version: Localized
    """Per-language note of the version the text is (e.g. "as amended 1 September 2023");
    optional, printed under the title in the legal-basis appendix and on the about page."""
    cite: Mapping[str, CiteStyle]
    """How to cite it per language; languages not listed use CiteStyle()."""
    articles: tuple[Article, ...]
    """Its articles in registry order."""
    location: SourceLocation
    """The statute file."""
    file_text: str = ""
    """The file's text, for the translation tools (which edit it in place)."""

    def article(self, key: str) -> Article | None:
        """The article with this key, if the registry has it."""
        for article in self.articles:
            if article.key == key:
                return article
        return None


# ---------------------------------------------------------------- law as reviewed


@dataclass(frozen=True)
class LawRecord:
    """law.lock: the text of every article the handbook cited when a lawyer last reviewed
    it (`booklet laws reviewed`), so a later change of the law flags the citing paragraphs."""

    articles: Mapping[tuple[str, str], Mapping[str, str]]
    """(statute id, article key) -> language -> hash of the article's text then."""
    location: SourceLocation
    """The lock file."""
