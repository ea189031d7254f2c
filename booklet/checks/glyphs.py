"""No missing glyphs: every character printed in a language is in that language's fonts.

Takes the handbook, the theme and the installed faces (booklet.themes.fonts); gives a Problem
for each character no configured family can draw, with its code point and the file and
line it comes from, so nothing prints as an empty box (tofu). Checked: chapter text,
metadata, contact labels, legal-basis group titles, interface text, dates, citations as
printed, statute texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from booklet.errors import Problem, SourceLocation
from booklet.law.citations import CitationError, ResolvedCitation, format_citation, resolve_citation
from booklet.law.numerals import format_number
from booklet.model import (
    Citation,
    Code,
    Emphasis,
    Handbook,
    Image,
    Inline,
    LineBreak,
    Link,
    Strong,
    Text,
    block_inlines,
)
from booklet.themes.calendars import calendar_of
from booklet.themes.fonts import FontFace
from booklet.themes.interface_text import format_date, interface_text
from booklet.themes.theme import Theme

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


MAX_GLYPH_REPORTS = 20
"""Missing characters reported one by one before the rest are summed up."""


@dataclass(frozen=True)
class _Located:
    """A piece of text to check for glyphs, with where it comes from."""

    text: str
    location: SourceLocation
    where: str = ""
    """Extra words for text without a line of its own (a metadata field)."""


def _plain(nodes: Sequence[Inline], handbook: Handbook, lang: str) -> Iterator[tuple[str, int]]:
    for node in nodes:
        if isinstance(node, Text | Code):
            yield node.text, node.line
        elif isinstance(node, Strong | Emphasis):
            yield from _plain(node.children, handbook, lang)
        elif isinstance(node, Link):
            yield from _plain(node.children, handbook, lang)
            yield node.href.removeprefix("mailto:").removeprefix("tel:"), node.line
        elif isinstance(node, Image):
            yield node.alt, node.line
        elif isinstance(node, Citation):
            try:
                resolved = resolve_citation(node, handbook.statutes)
            except CitationError:
                continue  # reported by checks.citations
            yield format_citation(resolved, lang), node.line
        elif isinstance(node, LineBreak):
            continue


def _texts_by_language(
    handbook: Handbook, theme: Theme, resolved: Sequence[ResolvedCitation]
) -> dict[str, list[_Located]]:
    """Everything printed in each language, with where it comes from."""
    out: dict[str, list[_Located]] = {lang: [] for lang in handbook.languages}
    manifest = handbook.location.path
    for chapter in handbook.chapters:
        for lang, text in chapter.versions.items():
            if lang not in out:
                continue
            for block in text.blocks:
                nodes = list(block_inlines(block))
                for piece, line in _plain(nodes, handbook, lang):
                    out[lang].append(_Located(piece, SourceLocation(text.path, line)))
    first = handbook.languages[0] if handbook.languages else None
    for lang in handbook.languages:
        for field, table in (
            ("title", handbook.title),
            ("subtitle", handbook.subtitle),
            ("publisher", handbook.publisher),
            ("disclaimer", handbook.disclaimer),
        ):
            if lang in table:
                out[lang].append(
                    _Located(table[lang], SourceLocation(manifest, 0), f" in {field}.{lang}")
                )
        for contact in handbook.contacts:
            if lang in contact.label:
                out[lang].append(
                    _Located(contact.label[lang], contact.location, f" in contact.label.{lang}")
                )
        for group in handbook.basis:
            if lang in group.title:
                out[lang].append(_Located(group.title[lang], group.location, f" in title.{lang}"))
        for clinic in handbook.clinics:
            # A stand-in's text is set in its own language's fonts when the book has them.
            source = clinic.stand_ins.get(lang, lang)
            printed_as = source if source in out else lang
            for field, table in (
                ("name", clinic.name),
                ("address", clinic.address),
                ("hours", clinic.hours),
            ):
                if lang in table:
                    out[printed_as].append(
                        _Located(table[lang], clinic.location, f" in {field}.{source}")
                    )
            for contact in clinic.contacts:
                if lang in contact.label:
                    out[printed_as].append(
                        _Located(
                            contact.label[lang], contact.location, f" in contact.label.{source}"
                        )
                    )
        ui = interface_text(handbook, theme, lang)
        theme_file = SourceLocation(theme.folders[-1] / "strings.toml", 0)
        for name, value in ui.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    printed = re.sub(r"\{[a-z_]+\}", "", item)  # placeholders filled in later
                    out[lang].append(_Located(printed, theme_file, f" in interface text {name}"))
        review = handbook.review
        dates = [d for d in (review.law_as_at, review.reviewed_on, review.next_review) if d]
        if dates and "date" in ui:
            system = theme.digits(lang, handbook.numerals)

            def number(n: int, system: str = system) -> str:
                return format_number(n, system)

            # Every date printed: each may fall in another month (its name is checked).
            calendar = calendar_of(lang, handbook.calendars)
            out[lang] += [
                _Located(format_date(day, ui, number, calendar, lang), theme_file, " in a date")
                for day in dates
            ]
        seen: set[str] = set()
        for citation in resolved:
            statute = citation.statute
            if statute.id not in seen:
                seen.add(statute.id)
                for table in (statute.title, statute.short, statute.translation):
                    if lang in table:
                        out[lang].append(_Located(table[lang], statute.location))
            for article in citation.articles:
                for paragraph in article.paragraphs.get(lang, ()):
                    out[lang].append(_Located(paragraph, article.location))
    if first is not None:
        for lang, edition in handbook.edition.items():
            if lang in out:
                where = f" in edition.{lang}"
                out[lang].append(_Located(edition, SourceLocation(manifest, 0), where))
        for contact in handbook.contacts:
            out[first].append(_Located(contact.phone, contact.location, " in contact.phone"))
        if handbook.review.reviewer:  # printed in every language's status line
            out[first].append(
                _Located(handbook.review.reviewer, handbook.review.location, " in review.reviewer")
            )
        for clinic in handbook.clinics:
            for field, value in (("url", clinic.url), ("email", clinic.email)):
                if value:
                    out[first].append(_Located(value, clinic.location, f" in {field}"))
            for contact in clinic.contacts:
                out[first].append(_Located(contact.phone, contact.location, " in contact.phone"))
    return out


def _printable(char: str) -> bool:
    """Characters that need a glyph. Spaces and invisible format characters (joiners,
    direction marks) do not; control, private-use and unassigned code points are checked
    like any other and, lacking a glyph, reported."""
    category = unicodedata.category(char)
    if category[0] == "Z" or category == "Cf" or char in "\t\n\r":
        return False
    return not _IGNORABLE.match(char)


_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
"""Default-ignorable code points that are not Cf (variation selectors, fillers): a font
draws nothing for them, so they need no glyph."""

_KINDS = {
    "Cc": "a control character",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Cs": "a lone surrogate",
}


def unprintable(char: str) -> str | None:
    """What makes a character unprintable in any font (control, private-use, unassigned,
    noncharacter), or None: the one character rule, for every text that is printed."""
    if char in "\t\n\r":
        return None
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "a noncharacter"
    return _KINDS.get(unicodedata.category(char))


def check_glyphs(under: UnderCheck) -> list[Problem]:
    """Every printed character is in the fonts of its language (skipped while the
    interface text itself has problems: its characters are not known yet)."""
    if under.interface_problems:
        return []
    return _missing_glyphs(under.handbook, under.theme, under.faces, under.citations.resolved)


def _missing_glyphs(
    handbook: Handbook,
    theme: Theme,
    faces: Mapping[str, FontFace | None],
    resolved: Sequence[ResolvedCitation],
) -> list[Problem]:
    problems: list[Problem] = []
    texts = _texts_by_language(handbook, theme, resolved)
    extra = 0
    for lang, pieces in texts.items():
        stack = theme.font_stack(lang)
        covered: dict[str, frozenset[int]] = {}
        for role, families in (("serif", stack.serif), ("sans", stack.sans)):
            installed = [faces.get(f) for f in families]
            found = [face for face in installed if face is not None]
            if not found:
                problems.append(
                    Problem(
                        SourceLocation(theme.folders[-1] / "theme.toml", 0),
                        f'no {role} font for "{lang}" is installed ({", ".join(families)}); '
                        "install it (run: make setup) or name an installed family in the "
                        "theme's [fonts] table",
                    )
                )
                continue
            covered[role] = frozenset().union(*(face.codepoints for face in found))
        if len(covered) < 2:
            continue
        reported: set[str] = set()
        fine: set[str] = set()  # each character is looked at once, where it first is
        for piece in pieces:
            for char in dict.fromkeys(piece.text):
                if char in fine or char in reported:
                    continue
                if not _printable(char):
                    fine.add(char)
                    continue
                kind = unprintable(char)
                if kind is not None:
                    reported.add(char)
                    problems.append(
                        Problem(
                            piece.location,
                            f"character U+{ord(char):04X} ({kind}){piece.where} cannot be printed; "
                            "delete it (it often comes with text copied from another program)",
                        )
                    )
                    continue
                missing_in = [r for r, cps in covered.items() if ord(char) not in cps]
                if not missing_in:
                    fine.add(char)
                    continue
                reported.add(char)
                if len(problems) >= MAX_GLYPH_REPORTS:
                    extra += 1
                    continue
                names = ", ".join(dict.fromkeys(f for r in missing_in for f in getattr(stack, r)))
                problems.append(
                    Problem(
                        piece.location,
                        f'character "{char}" (U+{ord(char):04X}){piece.where} is not in the '
                        f'fonts for "{lang}" ({names}), so it would print as an empty box; '
                        "replace it, or add a font that has it to the theme's "
                        f"[fonts.{lang}]",
                    )
                )
    if extra:
        problems.append(
            Problem(
                handbook.location,
                f"{extra} more characters are missing from the fonts; "
                "fix the ones above and check again",
            )
        )
    return problems


def font_families(handbook: Handbook, theme: Theme) -> list[str]:
    """Every font family the handbook's languages use, for the caller to look up."""
    families: list[str] = []
    for lang in handbook.languages:
        families.extend(theme.font_stack(lang).families)
    return list(dict.fromkeys(families))
