"""XLIFF 1.1 for CAT tools, through translate-toolkit: units out, units back in.

Takes exchange units (booklet.exchange.files); gives the file's bytes, and reads
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

from lxml import etree
from translate.storage import xliff

from booklet.errors import BookletError, SourceLocation
from booklet.exchange.units import OBSOLETE, ExchangeUnit, ImportedUnit
from booklet.model import Handbook

_CITATION = re.compile(r"\[\[[^\]]*\]\]")
_UNDEFINED_ENTITY = re.compile(r"Entity '([^']+)' not defined")


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
        if unit.state == OBSOLETE:  # kept for reuse, never imported
            element.set("translate", "no")
        item.markapproved(unit.state == "translated")
        item.addnote(unit.note, origin="developer")
        if unit.previous:
            item.addalttrans(
                unit.target,
                origin="booklet: the original before it changed",
                sourcetxt=unit.previous,
            )
        ids: dict[str, str] = {}
        _with_codes(element.find(f"{{{ns}}}source"), unit.original, ids, ns)
        _with_codes(element.find(f"{{{ns}}}target"), unit.target, ids, ns)
    return bytes(store)


def _flattened(element: Any, codes: Mapping[str, str], path: Path) -> str:
    """An element's text with the inline codes booklet sent written out again: a <ph>
    holding a citation, or an <x/> or empty <ph/> named by a code of the source; <g> and
    <mrk> (a tool's grouping and marks) give their text. Anything else is markup from the
    translator's tool that booklet cannot map back, and dropping it would lose text or
    formatting without a word: it is refused with its line."""
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            out.append(child.tail or "")
            continue
        name = child.tag.rsplit("}", 1)[-1]
        if name in ("ph", "x") and (child.text or child.get("id", "") in codes):
            text = child.text or codes[child.get("id", "")]
            if not _CITATION.fullmatch(text):
                raise _foreign_code(path, child, name)
            out.append(text)
        elif name in ("g", "mrk"):
            out.append(_flattened(child, codes, path))
        else:
            raise _foreign_code(path, child, name)
        out.append(child.tail or "")
    return "".join(out)


def _foreign_code(path: Path, child: Any, name: str) -> BookletError:
    return BookletError(
        f"{SourceLocation(path, child.sourceline or 0)}: the translation holds an inline "
        f"code <{name}> that booklet did not send, and cannot turn it back into Markdown; "
        "remove it in your translation tool (keep the words) and export the file again"
    )


def read_xliff(path: Path, data: bytes) -> tuple[str, str, list[ImportedUnit]]:
    """(handbook id, target language, units); a unit without an id has id "" (import
    matches it by its original's text)."""
    try:
        store = xliff.xlifffile.parsestring(data)
    except etree.XMLSyntaxError as error:
        where = SourceLocation(path, error.lineno or 0)
        entity = _UNDEFINED_ENTITY.search(str(error))
        if entity:  # HTML's &nbsp; and the like: a tool that wrote HTML into XML
            raise BookletError(
                f"{where}: &{entity.group(1)}; is not a character XML knows (it is HTML); "
                f"in your translation tool, type the character itself and export again"
            ) from None
        raise BookletError(
            f"{where}: not well-formed XLIFF ({error.msg}); export the file again"
        ) from None
    handbook = (store.getfilenames() or [""])[0]
    language = store.gettargetlanguage() or ""
    ns = store.namespace
    units = []
    for unit in store.units:
        element = unit.xmlelement
        if element.get("restype") == "x-gettext-domain-header":  # po2xliff's PO header
            continue
        target = element.find(f"{{{ns}}}target")
        if target is not None and target.get("state") == OBSOLETE:
            continue
        unit_id = element.get("id") or ""  # getid() would prefix the file name
        source = element.find(f"{{{ns}}}source")
        target = element.find(f"{{{ns}}}target")
        codes = {c.get("id", ""): c.text or "" for c in source.iter(f"{{{ns}}}ph")}
        units.append(
            ImportedUnit(
                unit_id,
                _flattened(source, codes, path),
                _flattened(target, codes, path) if target is not None else "",
                target.get("state", "") if target is not None else "",
                SourceLocation(path, element.sourceline or 0),
            )
        )
    return handbook, language, units
