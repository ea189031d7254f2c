"""Statute citations: resolve `[[law items]]` against the registry and write them per language.

Resolution is shared by the checks (which report what does not resolve) and the renderers
(which need the articles to link to); wording follows each statute's `[cite.<lang>]`
conventions, so a new language or legal system is data, not code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from booklet.law.numerals import fold_digits, format_number, in_digits
from booklet.model import Article, Citation, CiteStyle, Handbook, Statute, block_inlines
from booklet.text.placeholders import fill

_NUMERIC_PREFIX = re.compile(r"^(\d+)(.*)$", re.S)
_RUNS = re.compile(r"(\d+)")
_RANGE_DASHES = "-–"


def natural_key(key: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts 2 before 10 and 293 before 293-1 before 294."""
    parts = _RUNS.split(key)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


@dataclass(frozen=True)
class ResolvedCitation:
    """A citation with its articles found in the registry."""

    statute: Statute
    """The cited statute."""
    items: tuple[tuple[Article, ...], ...]
    """One tuple per written item: a single article, or every article of a range."""

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every cited article once, in the order cited."""
        seen: dict[str, Article] = {}
        for item in self.items:
            for article in item:
                seen.setdefault(article.key, article)
        return tuple(seen.values())


class CitationError(ValueError):
    """A citation that does not resolve; the message says what to write instead."""


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    # The same but for case first: 132A -> 132a, Prc-Civil-Code -> prc-civil-code.
    same = [choice for choice in choices if choice.casefold() == word.casefold()]
    close = same or difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _ordered(statute: Statute) -> list[Article]:
    return sorted(statute.articles, key=lambda a: natural_key(a.key))


def _resolve_item(statute: Statute, item: str) -> tuple[Article, ...]:
    item = fold_digits(item)
    found = statute.article(item)
    if found is not None:
        return (found,)
    keys = [a.key for a in statute.articles]
    for index, char in enumerate(item):
        if char not in _RANGE_DASHES:
            continue
        first, last = item[:index].strip(), item[index + 1 :].strip()
        start, end = statute.article(first), statute.article(last)
        if start is None or end is None:
            missing = first if start is None else last
            raise CitationError(
                f'"{statute.id}" has no article "{missing}"{_did_you_mean(missing, keys)}; '
                f"add it to {statute.location} or correct the citation"
            )
        ordered = _ordered(statute)
        lo, hi = ordered.index(start), ordered.index(end)
        if lo >= hi:
            raise CitationError(f'the range "{item}" must go from a lower article to a higher one')
        return tuple(ordered[lo : hi + 1])
    raise CitationError(
        f'"{statute.id}" has no article "{item}"{_did_you_mean(item, keys)}; '
        f"add it to {statute.location} or correct the citation"
    )


def resolve_citation(citation: Citation, statutes: Sequence[Statute]) -> ResolvedCitation:
    """Find the cited articles; raise CitationError with a did-you-mean when one is unknown."""
    statute = next((s for s in statutes if s.id == citation.law), None)
    if statute is None:
        ids = [s.id for s in statutes]
        known = f"; the registry has: {', '.join(ids)}" if ids else "; the registry is empty"
        raise CitationError(
            f'unknown statute "{citation.law}"{_did_you_mean(citation.law, ids)}{known}'
        )
    return ResolvedCitation(statute, tuple(_resolve_item(statute, i) for i in citation.items))


def _style(statute: Statute, language: str) -> CiteStyle:
    return statute.cite.get(language, CiteStyle())


def article_number(key: str, style: CiteStyle) -> str:
    """The numeric part of an article key in a style's numeral system; a ValueError when the
    system cannot write it (0 or 4000 in Roman numerals, 13 digits in Chinese)."""
    match = _NUMERIC_PREFIX.match(key)
    if not match:
        return key
    return format_number(int(match.group(1)), style.numerals) + match.group(2)


def article_label(statute: Statute, article: Article, language: str) -> str:
    """`第六百六十七条` / `667`: how one article is named inside a citation."""
    if language in article.label:
        return article.label[language]
    style = _style(statute, language)
    return fill(style.article, n=article_number(article.key, style))


def article_heading(statute: Statute, article: Article, language: str) -> str:
    """`第六百六十七条` / `Article 667`: the article's heading in the legal-basis appendix."""
    style = _style(statute, language)
    if language in article.label:
        # An irregular label (第二百九十三条之一) is already a complete heading in its
        # language only when the heading and label templates are the same convention.
        if style.heading == style.article:
            return article.label[language]
        return fill(style.heading, n=article.label[language])
    return fill(style.heading, n=article_number(article.key, style))


def format_citation(resolved: ResolvedCitation, language: str) -> str:
    """The citation as readers of `language` expect it (《民法典》第六百六十七条)."""
    statute = resolved.statute
    style = _style(statute, language)
    short = statute.short.get(language) or statute.id
    labels: list[str] = []
    for item in resolved.items:
        first = article_label(statute, item[0], language)
        if len(item) == 1:
            labels.append(first)
        else:
            last = article_label(statute, item[-1], language)
            labels.append(fill(style.range, first=first, last=last))
    if len(resolved.items) == 1 and len(resolved.items[0]) == 1:
        return fill(style.single, short=short, article=labels[0])
    return fill(style.multiple, short=short, articles=style.separator.join(labels))


def with_digits(handbook: Handbook, digits: Callable[[str], str]) -> Handbook:
    """The handbook with each statute cited in the digits its languages write numbers in
    (`digits`: language tag -> numeral system, from the theme), so the article number and
    the page number of a citation are one numeral system (see numerals.in_digits)."""
    statutes = []
    for statute in handbook.statutes:
        cite = dict(statute.cite)
        for language in handbook.languages:
            style = cite.get(language, CiteStyle())
            cite[language] = replace(style, numerals=in_digits(style.numerals, digits(language)))
        statutes.append(replace(statute, cite=cite))
    return replace(handbook, statutes=tuple(statutes))


def cited_articles(handbook: Handbook) -> list[tuple[Statute, list[Article]]]:
    """Every article the handbook cites or lists in `appendix` or a `[[basis]]` group, by
    statute in registry order.

    A citation that does not resolve is left out: the checks report it.
    """
    cited: dict[str, dict[str, Article]] = {}

    def add(citation: Citation) -> None:
        try:
            resolved = resolve_citation(citation, handbook.statutes)
        except CitationError:
            return
        for article in resolved.articles:
            cited.setdefault(resolved.statute.id, {})[article.key] = article

    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if isinstance(node, Citation):
                        add(node)
    for citation in handbook.appendix:
        add(citation)
    for group in handbook.basis:
        for citation in group.articles:
            add(citation)
    return [
        (statute, sorted(cited[statute.id].values(), key=lambda a: natural_key(a.key)))
        for statute in handbook.statutes
        if statute.id in cited
    ]
