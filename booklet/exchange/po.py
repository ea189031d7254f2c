"""gettext PO for Poedit and Weblate, through polib: units out, units back in.

Takes exchange units (booklet.exchange.files); gives the catalogue's bytes (unit
id as msgctxt, stale units fuzzy), and reads a catalogue back into units located by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polib

from booklet.errors import SourceLocation
from booklet.exchange.units import OBSOLETE, ExchangeUnit, ImportedUnit
from booklet.model import Handbook


def write_po(handbook: Handbook, language: str, units: Sequence[ExchangeUnit]) -> bytes:
    """A catalogue with one entry per unit; the header names the handbook."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": handbook.id,
        # gettext's placeholders: the translator's tool fills them in.
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Booklet-Handbook": handbook.id,
        "X-Booklet-Source-Language": handbook.authoritative,
    }
    for unit in units:
        if unit.state == OBSOLETE:  # `#~`, as msgmerge keeps them: no comment, no flag
            entry = polib.POEntry(
                msgctxt=unit.id, msgid=unit.original, msgstr=unit.target, obsolete=True
            )
            catalog.append(entry)
            continue
        flags = ["fuzzy"] if unit.state.startswith("needs-review") else []
        catalog.append(
            polib.POEntry(
                msgctxt=unit.id,
                msgid=unit.original,
                msgstr=unit.target,
                comment=unit.note,
                flags=flags,
                previous_msgid=unit.previous or None,
            )
        )
    return str(catalog).encode("utf-8")


def read_po(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, language, units); obsolete entries and the header are left out."""
    catalog = polib.pofile(data.decode("utf-8"))
    units = [
        ImportedUnit(
            entry.msgctxt or "",
            entry.msgid,
            entry.msgstr or "",
            "needs-review-translation"
            if entry.fuzzy
            else ("translated" if entry.msgstr else "new"),
            SourceLocation(path, entry.linenum),
        )
        for entry in catalog
        if not entry.obsolete and entry.msgid
    ]
    handbook = catalog.metadata.get("X-Booklet-Handbook", "")
    language = catalog.metadata.get("Language", "")
    return handbook, language, units
