"""The law as reviewed: citing paragraphs of changed articles, repealed articles, new law.

Takes the parsed handbook; gives a warning at every block (every language) citing an
article whose text differs from the text recorded in law.lock at the last review, an error
at every block citing an article the registry marks `repealed`, and a warning when a
cited statute took effect after the handbook's `law_as_at`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation
from booklet.law.citations import (
    CitationError,
    ResolvedCitation,
    cited_articles,
    format_citation,
    resolve_citation,
)
from booklet.law.reviewed import changed_since_review
from booklet.model import Article, Citation, Handbook, Statute, block_citations

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


def _citing(handbook: Handbook) -> Iterator[tuple[Citation, SourceLocation, str]]:
    """Every citation with its place and its language ("" for handbook.toml's lists)."""
    for chapter in handbook.chapters:
        for lang, text in chapter.versions.items():
            for block in text.blocks:
                for citation in block_citations(block):
                    yield citation, SourceLocation(text.path, citation.line), lang
    manifest = handbook.location.path
    listed = [*handbook.appendix, *(c for group in handbook.basis for c in group.articles)]
    for citation in listed:
        yield citation, SourceLocation(manifest, citation.line), ""


def _named(statute: Statute, article: Article, lang: str) -> str:
    """The article as the citing language writes it (《民法典》第六百六十八条)."""
    if not lang:
        return f"[[{statute.id} {article.key}]]"
    return format_citation(ResolvedCitation(statute, ((article,),)), lang)


def check_law_changes(under: UnderCheck) -> list[Problem]:
    handbook = under.handbook
    record = handbook.law_record
    problems: list[Problem] = []
    seen: set[tuple[SourceLocation, str, str]] = set()
    for citation, location, lang in _citing(handbook):
        try:
            resolved = resolve_citation(citation, handbook.statutes)
        except CitationError:
            continue  # reported by the citation check
        statute = resolved.statute
        for article in resolved.articles:
            if (location, statute.id, article.key) in seen:
                continue
            seen.add((location, statute.id, article.key))
            name = _named(statute, article, lang)
            if article.repealed:
                problems.append(
                    Problem(
                        location,
                        (
                            f"cites {name}, which the registry marks repealed "
                            f"({article.location}); cite the provision that replaces it, or "
                            "remove the citation"
                        ),
                    )
                )
            elif record is not None and changed_since_review(record, statute.id, article):
                problems.append(
                    Problem(
                        location,
                        (
                            f"cites {name}, whose text changed since this handbook was reviewed; "
                            "check the paragraph against the new text, then record the review with "
                            "booklet laws reviewed"
                        ),
                        Severity.WARNING,
                    )
                )
    return problems + _newer_law(handbook)


def _newer_law(handbook: Handbook) -> list[Problem]:
    """A cited statute that took effect after the date the handbook states the law at."""
    review = handbook.review
    if review.law_as_at is None:
        return []
    return [
        Problem(
            review.law_as_at_location or review.location,
            f"{statute.id} took effect on {statute.effective.isoformat()} "
            f"({statute.location.path.name}), after law_as_at {review.law_as_at.isoformat()}; "
            "review the handbook against it, then move law_as_at",
            Severity.WARNING,
        )
        for statute, _ in cited_articles(handbook)
        if statute.effective and statute.effective > review.law_as_at
    ]
