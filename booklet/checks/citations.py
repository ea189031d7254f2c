"""Citations: every [[law items]] resolves, and every cited statute has every language.

Takes the parsed handbook; gives Problems for citations (and appendix and `[[basis]]`
articles) the registry cannot resolve (with a did-you-mean), for an article listed in two
legal-basis groups, and for cited statutes or articles that lack a language of the handbook,
plus the resolved citations, which the glyph check needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation
from booklet.law.citations import CitationError, ResolvedCitation, resolve_citation
from booklet.model import Citation, Handbook, Inline, Text, block_citations, block_inlines

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


@dataclass(frozen=True)
class ResolvedCitations:
    """Every citation of the handbook, resolved, and those that do not resolve."""

    resolved: list[ResolvedCitation]
    """The citations the registry has."""
    problems: list[Problem]
    """One per citation it has not."""


def resolve_all(handbook: Handbook) -> ResolvedCitations:
    problems: list[Problem] = []
    resolved: list[ResolvedCitation] = []
    located: list[tuple[Citation, SourceLocation]] = []
    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for citation in block_citations(block):
                    located.append((citation, SourceLocation(text.path, citation.line)))
    manifest = handbook.location.path
    located.extend((c, SourceLocation(manifest, c.line)) for c in handbook.appendix)
    # A statute file that could not be read was reported; its citations are not errors too.
    unread = {path.stem for path in handbook.unread if path.suffix == ".toml"}
    grouped = [c for group in handbook.basis for c in group.articles]
    located.extend((c, SourceLocation(manifest, c.line)) for c in grouped)
    placed: dict[tuple[str, str], Citation] = {}
    for citation, location in located:
        if citation.law in unread:
            continue
        try:
            found = resolve_citation(citation, handbook.statutes)
        except CitationError as error:
            problems.append(Problem(location, f"[[{citation.raw}]]: {error}"))
            continue
        resolved.append(found)
        if not any(citation is c for c in grouped):
            continue
        for article in found.articles:
            first = placed.setdefault((found.statute.id, article.key), citation)
            if first is not citation:
                problems.append(
                    Problem(
                        location,
                        (
                            f"[[{citation.raw}]]: article {article.key} is already in the "
                            f'legal-basis group of "{first.raw}"; list each article in one '
                            "[[basis]] group"
                        ),
                    )
                )
    return ResolvedCitations(resolved, problems)


def check_citations(under: UnderCheck) -> list[Problem]:
    return under.citations.problems


def check_statute_languages(under: UnderCheck) -> list[Problem]:
    handbook, resolved = under.handbook, under.citations.resolved
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


NAME_WINDOW = 40
"""How many characters before a citation are searched for the law's name."""


def check_repeated_names(under: UnderCheck) -> list[Problem]:
    """A law's name written just before its citation prints twice (the citation prints
    it): `the Civil Code ([[prc-civil-code 667]])`."""
    handbook = under.handbook
    problems = []
    for chapter in handbook.chapters:
        for lang, text in chapter.versions.items():
            for block in text.blocks:
                previous: Inline | None = None
                for node in block_inlines(block):
                    if isinstance(node, Citation) and isinstance(previous, Text):
                        statute = handbook.statute(node.law)
                        before = previous.text[-NAME_WINDOW:].casefold()
                        names = (
                            [statute.short.get(lang), statute.title.get(lang)] if statute else []
                        )
                        name = next((n for n in names if n and n.casefold() in before), None)
                        if name:
                            problems.append(
                                Problem(
                                    SourceLocation(text.path, node.line),
                                    f'"{name}" is written beside [[{node.raw}]], which prints the '
                                    "law's name itself; remove the name so it is not printed twice",
                                    Severity.WARNING,
                                )
                            )
                    previous = node
    return problems
