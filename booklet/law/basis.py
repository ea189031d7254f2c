"""The legal-basis appendix: which articles it prints, under which headings.

Takes the handbook; gives its parts in order: one per `[[basis]]` group of handbook.toml,
then the cited (and `appendix`) articles in none of them. Without groups the appendix is
one part with no heading of its own, as it always was.
"""

from __future__ import annotations

from dataclasses import dataclass

from booklet.law.citations import CitationError, cited_articles, natural_key, resolve_citation
from booklet.model import Article, BasisGroup, Handbook, Statute


@dataclass(frozen=True)
class BasisPart:
    """One part of the legal-basis appendix."""

    group: BasisGroup | None
    """The `[[basis]]` group it prints; None for the articles in no group."""
    statutes: tuple[tuple[Statute, tuple[Article, ...]], ...]
    """Its articles by statute, statutes in registry order, articles in number order."""


def legal_basis(handbook: Handbook) -> list[BasisPart]:
    """The appendix's parts; an article listed in two groups is printed in the first (the
    check reports it), and a part with no article is left out."""
    printed = cited_articles(handbook)
    placed: set[tuple[str, str]] = set()
    parts = []
    for group in handbook.basis:
        chosen: set[tuple[str, str]] = set()
        for citation in group.articles:
            try:
                resolved = resolve_citation(citation, handbook.statutes)
            except CitationError:
                continue  # the checks report it
            chosen.update((resolved.statute.id, a.key) for a in resolved.articles)
        chosen -= placed
        placed |= chosen
        parts.append(BasisPart(group, _select(printed, chosen)))
    rest = {(s.id, a.key) for s, articles in printed for a in articles} - placed
    parts.append(BasisPart(None, _select(printed, rest)))
    return [part for part in parts if part.statutes]


def _select(
    printed: list[tuple[Statute, list[Article]]], keys: set[tuple[str, str]]
) -> tuple[tuple[Statute, tuple[Article, ...]], ...]:
    out = []
    for statute, articles in printed:
        chosen = tuple(a for a in articles if (statute.id, a.key) in keys)
        if chosen:
            out.append((statute, tuple(sorted(chosen, key=lambda a: natural_key(a.key)))))
    return tuple(out)
