"""XLIFF 1.1 for CAT tools, through translate-toolkit: units out, units back in.

Takes exchange units (booklet.translations.exchange); gives the file's bytes, and reads
a file back into units located by line. Citations (`[[law 667]]`) travel as protected
inline codes (`<ph>`), so a CAT tool shows them as tags a translator moves but cannot
mistype; on the way back `<ph>`, `<x/>` and `<g>` are turned into text again. A stale
unit carries the original it was translated from as an `<alt-trans>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from translate.storage import xliff

from booklet.errors import SourceLocation
from booklet.model import Handbook
from booklet.translations.units import ExchangeUnit, ImportedUnit

_CITATION = re.compile(r"\[\[[^\]]*\]\]")


def _with_codes(element: Any, text: str, ids: dict[str, str], namespace: str) -> None:
    """Set `element`'s content to `text`, each citation a <ph> with a stable id."""
    for child in list(element):
        element.remove(child)
    parts = _CITATION.split(text)
    citations = _CITATION.findall(text)
    element.text = parts[0]
    for citation, tail in zip(citations, parts[1:], strict=True):
        ids.setdefault(citation, f"c{len(ids) + 1}")
        code = element.makeelement(f"{{{namespace}}}ph", {"id": ids[citation]})
        code.text = citation
        code.tail = tail
        element.append(code)


def write_xliff(handbook: Handbook, language: str, units: Sequence[ExchangeUnit]) -> bytes:
    """One <file> for the handbook, one <trans-unit> per unit, each with a <target>."""
    store: xliff.xlifffile[xliff.xliffunit] = xliff.xlifffile(
        sourcelanguage=handbook.authoritative, targetlanguage=language
    )
    store.setfilename(store.getfilenode("NoName"), handbook.id)
    ns = store.namespace
    for unit in units:
        item = store.addsourceunit(unit.original, filename=handbook.id)
        item.setid(unit.id)
        item.target = unit.target  # always a <target>, empty when missing ("new")
        element = item.xmlelement
        element.find(f"{{{ns}}}target").set("state", unit.state)
        item.markapproved(unit.state == "translated")
        item.addnote(unit.note, origin="developer")
        if unit.previous:
            item.addalttrans(unit.target, origin="booklet: the original before it changed",
                             sourcetxt=unit.previous)  # fmt: skip
        ids: dict[str, str] = {}
        _with_codes(element.find(f"{{{ns}}}source"), unit.original, ids, ns)
        _with_codes(element.find(f"{{{ns}}}target"), unit.target, ids, ns)
    return bytes(store)


def _flattened(element: Any, codes: Mapping[str, str]) -> str:
    """An element's text with inline codes written out: <ph>citation</ph>, or <x id/>
    and empty <ph id/> by the id of a code of the source."""
    out = [element.text or ""]
    for child in element:
        name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if name in ("ph", "x", "bx", "ex", "it", "bpt", "ept"):
            out.append(child.text or codes.get(child.get("id", ""), ""))
        elif name in ("g", "mrk"):
            out.append(_flattened(child, codes))
        out.append(child.tail or "")
    return "".join(out)


def read_xliff(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, target language, units); units without an id are left out."""
    store = xliff.xlifffile.parsestring(data)
    handbook = (store.getfilenames() or [""])[0]
    language = store.gettargetlanguage() or ""
    ns = store.namespace
    units = []
    for unit in store.units:
        element = unit.xmlelement
        unit_id = element.get("id")  # getid() would prefix the file name
        if not unit_id:
            continue
        source = element.find(f"{{{ns}}}source")
        target = element.find(f"{{{ns}}}target")
        codes = {c.get("id", ""): c.text or "" for c in source.iter(f"{{{ns}}}ph")}
        units.append(ImportedUnit(
            unit_id, _flattened(source, codes),
            _flattened(target, codes) if target is not None else "",
            target.get("state", "") if target is not None else "",
            SourceLocation(path, element.sourceline or 0),
        ))  # fmt: skip
    return handbook, language, units
