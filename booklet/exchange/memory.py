"""A translation memory from the handbook itself: suggestions for new units.

Takes the units of an export (booklet.exchange.files), the translations already
made (the handbook's current ones, its obsolete ones, those of sibling handbooks) and the
glossary; gives each new unit whose original equals or closely resembles (rapidfuzz's
ratio, at least SIMILARITY %) an original already translated that translation, as a
suggestion to review: PO's `#, fuzzy` with the remembered original as `#| msgid`, XLIFF's
`needs-review-translation`. A suggestion is never imported as current, and one that
breaks an approved term of the glossary is not offered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from booklet.exchange.units import OBSOLETE, ExchangeUnit
from booklet.model import GlossaryTerm
from booklet.text.normal import normal_text

SIMILARITY = 75.0
"""The least similarity (0-100) of two originals for a suggestion."""
REVIEW = "needs-review-translation"
_DELETED = {OBSOLETE: " (deleted since)"}
_CITATION = re.compile(r"\[\[[^\]]*\]\]")


@dataclass(frozen=True)
class Remembered:
    """A translation already made, and the original it translates."""

    original: str
    translation: str
    where: str
    """The unit it comes from (`02-evidence.md#3f2a9c1b`, `other-handbook: …`)."""


def uses_term(text: str, renderings: Sequence[str]) -> bool:
    """Whether `text` uses any of a glossary term's renderings (case and line breaks do
    not matter)."""
    folded = re.sub(r"\s+", " ", text).casefold()
    return any(r.casefold() in folded for r in renderings)


def keeps_glossary(
    original: str, translation: str, glossary: Sequence[GlossaryTerm], auth: str, language: str
) -> bool:
    """No term the original uses is missing its approved rendering in the translation."""
    for term in glossary:
        ours, theirs = term.renderings.get(auth), term.renderings.get(language)
        if ours and theirs and uses_term(original, ours) and not uses_term(translation, theirs):
            return False
    return True


def remembered(units: Sequence[ExchangeUnit], where: str = "") -> list[Remembered]:
    """The translations of exported units that a memory can offer: current or obsolete."""
    return [
        Remembered(u.original, u.target, f"{where}{u.id}" + _DELETED.get(u.state, ""))
        for u in units
        if u.target and u.state in ("translated", OBSOLETE)
    ]


def with_suggestions(
    units: Sequence[ExchangeUnit],
    memory: Sequence[Remembered],
    glossary: Sequence[GlossaryTerm],
    auth: str,
    language: str,
) -> list[ExchangeUnit]:
    """The units, each new one with the best suggestion the memory has for it."""
    choices = [normal_text(m.original) for m in memory]
    out = []
    for unit in units:
        if unit.state != "new" or unit.target or not choices:
            out.append(unit)
            continue
        found = process.extract(
            normal_text(unit.original),
            choices,
            scorer=fuzz.ratio,
            score_cutoff=SIMILARITY,
            limit=10,
        )
        best = next(
            (
                (memory[index], score)
                for _, score, index in found
                if _fits(unit.original, memory[index], glossary, auth, language)
            ),
            None,
        )
        if best is None:
            out.append(unit)
            continue
        source, score = best
        note = (
            f"{unit.note}; a suggestion of the translation memory, {score:.0f}% like the "
            f"original of {source.where}: review it"
        )
        out.append(
            replace(
                unit,
                target=source.translation,
                state=REVIEW,
                note=note,
                previous=source.original,
                suggested_from=source.where,
            )
        )
    return out


def _fits(
    original: str, source: Remembered, glossary: Sequence[GlossaryTerm], auth: str, language: str
) -> bool:
    """A suggestion keeps the new original's citations and the glossary's terms."""
    same_citations = sorted(_CITATION.findall(original)) == sorted(
        _CITATION.findall(source.translation)
    )
    return same_citations and keeps_glossary(original, source.translation, glossary, auth, language)
