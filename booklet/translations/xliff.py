"""XLIFF 1.1 for CAT tools, through translate-toolkit: units out, units back in.

Takes exchange units (booklet.translations.exchange); gives the file's bytes, and reads
a file back into units located by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate.storage import xliff

from booklet.errors import SourceLocation
from booklet.model import Handbook
from booklet.translations.units import ExchangeUnit, ImportedUnit


def write_xliff(handbook: Handbook, language: str, units: Sequence[ExchangeUnit]) -> bytes:
    """One <file> for the handbook, one <trans-unit> per unit, each with a <target>."""
    store: xliff.xlifffile[xliff.xliffunit] = xliff.xlifffile(
        sourcelanguage=handbook.authoritative, targetlanguage=language
    )
    store.setfilename(store.getfilenode("NoName"), handbook.id)
    for unit in units:
        item = store.addsourceunit(unit.original, filename=handbook.id)
        item.setid(unit.id)
        item.target = unit.target  # always a <target>, empty when missing ("new")
        item.xmlelement.find(f"{{{store.namespace}}}target").set("state", unit.state)
        item.markapproved(unit.state == "translated")
        item.addnote(unit.note, origin="developer")
    return bytes(store)


def read_xliff(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, target language, units); units without an id are left out."""
    store = xliff.xlifffile.parsestring(data)
    handbook = (store.getfilenames() or [""])[0]
    language = store.gettargetlanguage() or ""
    units = []
    for unit in store.units:
        element = unit.xmlelement
        unit_id = element.get("id")  # getid() would prefix the file name
        if not unit_id:
            continue
        target = element.find(f"{{{store.namespace}}}target")
        units.append(ImportedUnit(
            unit_id, str(unit.source or ""), str(unit.target or ""),
            target.get("state", "") if target is not None else "",
            SourceLocation(path, element.sourceline or 0),
        ))  # fmt: skip
    return handbook, language, units
