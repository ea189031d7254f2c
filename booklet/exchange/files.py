"""Exchange files for translators: which units go out, and which format reads them back.

Takes the parsed handbook and a translation language; gives its units in reading order
and the bytes of an XLIFF (`xliff`) or PO (`po`) file, and reads such a file back into
units for `importing`. A new exchange format is a module beside xliff.py and po.py,
chosen here. Export gives one unit per piece of running text (a heading, a paragraph, a
list item, by its stable id: `02-evidence.md#3f2a9c1b`) and per cited statute article
(`prc-civil-code:667`), with the authoritative text as source, the current translation
as target, its state (translated, needs-review when stale, new when missing) and notes.
Import (booklet.exchange.importing) writes the targets back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from booklet.errors import BookletError
from booklet.exchange.memory import remembered, with_suggestions
from booklet.exchange.po import read_po, write_po
from booklet.exchange.units import OBSOLETE, ExchangeUnit, ImportedUnit
from booklet.exchange.xliff import read_xliff, write_xliff
from booklet.model import Handbook, RecordedUnit
from booklet.translations.pairing import chapter_pairings
from booklet.translations.states import article_status, cited_statute_articles
from booklet.vocabulary import ExchangeFormat, TranslationState

_STATES = {
    TranslationState.CURRENT: "translated",
    TranslationState.STALE: "needs-review-translation",
    TranslationState.MISSING: "new",
}


# ---------------------------------------------------------------- export


def export_units(handbook: Handbook, language: str) -> list[ExchangeUnit]:
    """Every unit of one translation language, in reading order: a new piece of the
    original (or a whole new chapter) as a new unit, a changed one for review, and every
    other with its current translation, whatever changed around it."""
    auth = handbook.authoritative
    record = handbook.record.chapters if handbook.record else None
    units: list[ExchangeUnit] = []
    for chapter in handbook.printed_chapters:
        pairing = chapter_pairings(chapter, record, [language], auth)[language]
        for state in pairing.states:
            if state.original is None:
                continue
            piece = pairing.originals[state.original]
            target = ""
            if state.status != TranslationState.MISSING and state.translation is not None:
                target = pairing.translations[state.translation].text
            where = f"chapter {chapter.name}, line {piece.line}: {piece.describe()}"
            previous = ""
            if state.status == TranslationState.STALE:
                where += "; the original changed since it was translated"
                previous = _previous(handbook, state.made_by, language)
            units.append(
                ExchangeUnit(
                    f"{chapter.name}#{state.id}",
                    piece.text,
                    target,
                    _STATES[state.status],
                    where,
                    previous,
                )
            )
    for statute, article in cited_statute_articles(handbook):
        status = article_status(handbook.record, statute, article, auth, language)
        source = "\n\n".join(article.paragraphs.get(auth, ()))
        target = (
            "\n\n".join(article.paragraphs.get(language, ()))
            if status != TranslationState.MISSING
            else ""
        )
        recorded = (
            handbook.record.articles.get(f"{statute.id} {article.key}")
            if (handbook.record and status == TranslationState.STALE)
            else None
        )
        units.append(
            ExchangeUnit(
                f"{statute.id}:{article.key}",
                source,
                target,
                _STATES[status],
                f"statute {statute.id} ({statute.title.get(auth, statute.id)}), article "
                f"{article.key}; paragraphs are separated by a blank line",
                _previous(handbook, recorded, language),
            )
        )
    return units


def obsolete_units(handbook: Handbook, language: str) -> list[ExchangeUnit]:
    """Translations whose original was deleted, with that original as the lock kept it:
    gettext's obsolete entries, which a translator's tool (and booklet's translation
    memory) can offer again when the text comes back, reworded or not."""
    auth = handbook.authoritative
    if handbook.record is None:
        return []
    texts = handbook.record.texts
    units: list[ExchangeUnit] = []
    for chapter in handbook.printed_chapters:
        pairing = chapter_pairings(chapter, handbook.record.chapters, [language], auth)[language]
        for orphan in pairing.orphans:
            entry = orphan.record
            original = texts.get(entry.hashes.get(auth, "")) if entry is not None else None
            if orphan.translation is None or not original:
                continue  # without its original, a tool could never match it again
            piece = pairing.translations[orphan.translation]
            units.append(
                ExchangeUnit(
                    f"{chapter.name}#{orphan.id}",
                    original,
                    piece.text,
                    OBSOLETE,
                    f"chapter {chapter.name}: obsolete, its original was deleted; the "
                    f"translation is still at {language}/{chapter.name}:{piece.line}",
                )
            )
    return units


def _previous(handbook: Handbook, recorded: RecordedUnit | None, language: str) -> str:
    """The original a stale translation was made from, as the lock kept it ("" if unknown)."""
    if recorded is None or handbook.record is None:
        return ""
    made_from = recorded.made_from.get(language, recorded.hashes.get(handbook.authoritative))
    return handbook.record.texts.get(made_from or "", "")


def exchange_units(
    handbook: Handbook, language: str, siblings: Sequence[Handbook] = ()
) -> list[ExchangeUnit]:
    """What goes into the file: every unit (a new one with the translation memory's
    suggestion, if it has one), then the obsolete ones. The memory holds the handbook's
    current and obsolete translations and those of `siblings` (handbooks translated from
    the same language into this one)."""
    units = export_units(handbook, language)
    obsolete = obsolete_units(handbook, language)
    memory = remembered(units) + remembered(obsolete)
    for other in siblings:
        if other.authoritative == handbook.authoritative and language in other.languages:
            memory += remembered(export_units(other, language), f"{other.id}: ")
    suggested = with_suggestions(units, memory, handbook.glossary, handbook.authoritative, language)
    return suggested + obsolete


def write_exchange(
    handbook: Handbook, language: str, kind: ExchangeFormat, units: Sequence[ExchangeUnit]
) -> bytes:
    """The XLIFF or PO file of one translation language."""
    if ExchangeFormat(kind) is ExchangeFormat.XLIFF:
        return write_xliff(handbook, language, units)
    return write_po(handbook, language, units)


# ---------------------------------------------------------------- reading back


_XML_ENCODING = re.compile(rb"""^(<\?xml[^>]*?)\s+encoding=["'][^"']*["']""")


def as_utf8(data: bytes) -> bytes:
    """The file's bytes as UTF-8 without a byte-order mark, whatever a Windows tool saved
    it as (UTF-8 with BOM, UTF-16 either way round); an XML declaration that names an
    encoding is made to name UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode("utf-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    return _XML_ENCODING.sub(rb'\1 encoding="UTF-8"', data.lstrip(), count=1)


def read_exchange(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, language, units) of an XLIFF or PO file, told apart by content."""
    try:
        data = as_utf8(data)
        if data.startswith(b"<"):
            return read_xliff(path, data)
        handbook, language, units = read_po(path, data)
    except BookletError:
        raise  # already says where and what to do
    except Exception as error:  # the libraries raise many kinds for a damaged file
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file ({error}); export it again"
        ) from None
    if not units and not language:
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file (it has no units); export it again"
        )
    return handbook, language, units
