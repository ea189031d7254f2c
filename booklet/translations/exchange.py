"""Exchange files for translators: which units go out, and which format reads them back.

Takes the parsed handbook and a translation language; gives its units in reading order
and the bytes of an XLIFF (`xliff`) or PO (`po`) file, and reads such a file back into
units for `importing`. A new exchange format is a module beside xliff.py and po.py,
chosen here. Export gives one unit per piece of running text (a heading, a paragraph, a list item:
`02-evidence.md#5.2`) and per cited statute article (`prc-civil-code:667`), with the
authoritative text as source, the current translation as target, its state (translated,
needs-review when stale, new when missing) and notes. Import writes targets back by
replacing only the text of each piece, so the Markdown keeps its structure; it refuses,
with the file and line of the unit, an id that no longer exists, an original that
changed since the export, or a target whose markup would change the block.
"""

from __future__ import annotations

from pathlib import Path

from booklet.errors import BookletError
from booklet.model import Handbook
from booklet.translations.po import read_po, write_po
from booklet.translations.states import (
    article_status,
    chapter_spans,
    chapter_states,
    cited_statute_articles,
    is_placeholder,
)
from booklet.translations.units import ExchangeUnit, ImportedUnit
from booklet.translations.xliff import read_xliff, write_xliff
from booklet.vocabulary import TranslationState

_STATES = {
    TranslationState.CURRENT: "translated",
    TranslationState.STALE: "needs-review-translation",
    TranslationState.MISSING: "new",
}


# ---------------------------------------------------------------- export


def export_units(handbook: Handbook, language: str) -> list[ExchangeUnit]:
    """Every unit of one translation language, in reading order."""
    auth = handbook.authoritative
    units: list[ExchangeUnit] = []
    for chapter in handbook.chapters:
        blocks = chapter_spans(chapter)
        recorded = handbook.record.chapters.get(chapter.name) if handbook.record else None
        mine = blocks.get(language, [])
        for state in chapter_states(recorded, blocks[auth], mine, auth, language):
            if state.original is None:
                continue
            original = blocks[auth][state.original]
            translation = mine[state.translation] if state.translation is not None else None
            targets = (
                {s.id[len(str(translation.index)):]: s.text for s in translation.segments}
                if translation is not None and not is_placeholder(translation) else {}
            )  # fmt: skip
            for segment in original.segments:
                target = targets.get(segment.id[len(str(original.index)) :], "")
                units.append(ExchangeUnit(
                    f"{chapter.name}#{segment.id}", segment.text, target,
                    _STATES[state.status if target else TranslationState.MISSING],
                    f"chapter {chapter.name}, block {original.index} ({original.kind}), "
                    f"{segment.kind}",
                ))  # fmt: skip
    for statute, article in cited_statute_articles(handbook):
        status = article_status(handbook.record, statute, article, auth, language)
        source = "\n\n".join(article.paragraphs.get(auth, ()))
        target = (
            "\n\n".join(article.paragraphs.get(language, ()))
            if status != TranslationState.MISSING
            else ""
        )
        units.append(ExchangeUnit(
            f"{statute.id}:{article.key}", source, target, _STATES[status],
            f"statute {statute.id} ({statute.title.get(auth, statute.id)}), article "
            f"{article.key}; paragraphs are separated by a blank line",
        ))  # fmt: skip
    return units


def write_exchange(handbook: Handbook, language: str, kind: str) -> bytes:
    """The XLIFF or PO file of one translation language."""
    units = export_units(handbook, language)
    if kind == "xliff":
        return write_xliff(handbook, language, units)
    return write_po(handbook, language, units)


# ---------------------------------------------------------------- reading back


def read_exchange(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, language, units) of an XLIFF or PO file."""
    try:
        if data.lstrip().startswith(b"<"):
            return read_xliff(path, data)
        handbook, language, units = read_po(path, data)
    except Exception as error:  # the libraries raise many kinds for a damaged file
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file ({error}); export it again"
        ) from None
    if not units and not language:
        raise BookletError(
            f"{path}: not a readable XLIFF or PO file (it has no units); export it again"
        )
    return handbook, language, units
