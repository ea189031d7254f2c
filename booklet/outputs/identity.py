"""Reading back what a file booklet made says of itself.

Takes a file's bytes; gives which handbook and edition it is a copy of and the revision
of the sources it was made from (booklet.model.CopyOf), as booklet wrote them: a PDF's
XMP (`xmpMM:DocumentID`, `xmpMM:VersionID`) and languages, an EPUB's package
(`dc:identifier id="booklet-copy"`, `schema:version`, `dc:language`), a kit's
README.txt (its last line), a page of the HTML reading edition (its `booklet.copy` and
`booklet.revision` meta elements, and `data-languages`). Nothing is trusted beyond that:
a file that does not say so is not booklet's.

A PDF a draft re-rendered by its chapters (`booklet build --draft`, `booklet watch`:
booklet.build.chapters) says so too: `marked_draft` writes the XMP's
`xmpMM:RenditionClass` as `draft` (the XMP Media Management's own word for it), and its
identity reads `draft`; a copy to hand out never says it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from booklet.model import CopyOf

if TYPE_CHECKING:
    import pikepdf

_DOCUMENT = re.compile(rb"<xmpMM:DocumentID>([^<]*)</xmpMM:DocumentID>")
_VERSION = re.compile(rb"<xmpMM:VersionID>([^<]*)</xmpMM:VersionID>")
_RENDITION = re.compile(rb"<xmpMM:RenditionClass>([^<]*)</xmpMM:RenditionClass>")
_DRAFT = b"<xmpMM:RenditionClass>draft</xmpMM:RenditionClass>"
_DESCRIPTION_END = b"</rdf:Description>"
_LANGUAGES = re.compile(rb"<dc:language>\s*<rdf:Bag>(.*?)</rdf:Bag>", re.DOTALL)
_ITEM = re.compile(rb"<rdf:li>([^<]*)</rdf:li>")
_HTML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*(<!--.*?-->\s*)*<!doctype html", re.I | re.S)
_HTML_META = re.compile(
    rb"<meta\s+(?:name=[\"']booklet\.(copy|revision)[\"']\s+content=[\"']([^\"'<>]*)[\"']"
    rb"|content=[\"']([^\"'<>]*)[\"']\s+name=[\"']booklet\.(copy|revision)[\"'])\s*/?>",
    re.I,
)
_HTML_LANGUAGES = re.compile(rb"<body\s[^>]*data-languages=[\"']([^\"'<>]*)[\"']")
_KIT_LINE = re.compile(r"^(booklet:\S+) revision ([0-9a-f]+)$")
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
MAX_XML_BYTES = 1024 * 1024
"""An EPUB's package or a kit's README larger than this is not booklet's."""


@dataclass(frozen=True)
class Identity:
    """What a file booklet made says it is."""

    copy: CopyOf
    """Which handbook and edition."""
    revision: str
    """The revision of the sources it was made from."""
    languages: tuple[str, ...] = ()
    """The languages it is in, as it says (a kit says none)."""
    draft: bool = False
    """A PDF a draft re-rendered by its chapters: not the copy to hand out."""


def speaking_file(path: Path) -> Path:
    """The file that says what `path` is: itself, or the front page of the HTML edition
    whose folder it is."""
    return path / "index.html" if path.is_dir() and not path.is_symlink() else path


def read_identity(data: bytes) -> Identity | None:
    """What `data` (a PDF, an EPUB, a kit or a page of the HTML edition) says it is, or
    None when it does not say (not made by booklet, or made before booklet wrote it)."""
    if data.startswith(b"%PDF-"):
        return _pdf(data)
    if _HTML_START.match(data[:4096]):
        return _html(data[:MAX_XML_BYTES])
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return _archive(archive)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, ElementTree.ParseError):
            return None
    return None


def made_by_booklet(data: bytes) -> bool:
    """Whether booklet made `data`: it says which copy it is, or it is a PDF whose
    creator is booklet (a PDF imposed by `booklet impose`)."""
    if read_identity(data) is not None:
        return True
    if not data.startswith(b"%PDF-"):
        return False
    import pikepdf  # a fiftieth of a second: not at start-up, for a build that reads no PDF

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return str(pdf.docinfo.get("/Creator", "")) == "booklet"
    except pikepdf.PdfError:
        return False


def _pdf(data: bytes) -> Identity | None:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Metadata" not in pdf.Root:
                return None
            xmp = pdf.Root.Metadata.read_bytes()
    except (pikepdf.PdfError, ValueError):
        return None
    document, version = _DOCUMENT.search(xmp), _VERSION.search(xmp)
    if document is None or version is None:
        return None
    copy = CopyOf.parse(unescape(document.group(1).decode("utf-8", "replace")))
    if copy is None:
        return None
    bag = _LANGUAGES.search(xmp)
    items = _ITEM.findall(bag.group(1)) if bag else []
    languages = [unescape(item.decode("utf-8", "replace")) for item in items]
    rendition = _RENDITION.search(xmp)
    draft = rendition is not None and rendition.group(1).strip() == b"draft"
    revision = version.group(1).decode("ascii", "replace")
    return Identity(copy, revision, tuple(languages), draft)


def mark_draft(pdf: pikepdf.Pdf) -> None:
    """Make a PDF booklet made (open, about to be saved) say it is a draft
    (`Identity.draft`), in its XMP."""
    xmp = pdf.Root.Metadata.read_bytes()
    if _RENDITION.search(xmp) is None:
        xmp = xmp.replace(_DESCRIPTION_END, _DRAFT + _DESCRIPTION_END, 1)
    pdf.Root.Metadata.write(xmp)


def marked_draft(data: bytes) -> bytes:
    """A PDF booklet made (`data`), saying it is a draft (`mark_draft`)."""
    import pikepdf

    from booklet.outputs.pdf_tags import saved

    with pikepdf.open(io.BytesIO(data)) as pdf:
        mark_draft(pdf)
        return saved(pdf)


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_XML_BYTES:
        raise ValueError("too large")
    return archive.read(name)


def _archive(archive: zipfile.ZipFile) -> Identity | None:
    names = archive.namelist()
    if "mimetype" in names and _small(archive, "mimetype") == b"application/epub+zip":
        return _epub(archive)
    readmes = [name for name in names if name.count("/") == 1 and name.endswith("/README.txt")]
    if len(readmes) != 1:
        return None
    lines = _small(archive, readmes[0]).decode("utf-8", "replace").rstrip("\n").split("\n")
    found = _KIT_LINE.match(lines[-1])
    copy = CopyOf.parse(found.group(1)) if found else None
    if found is None or copy is None:
        return None
    return Identity(copy, found.group(2))


def _epub(archive: zipfile.ZipFile) -> Identity | None:
    container = ElementTree.fromstring(_small(archive, "META-INF/container.xml"))
    rootfile = next(
        (e for e in container.iter() if e.tag.endswith("rootfile") and e.get("full-path")), None
    )
    if rootfile is None:
        return None
    package = ElementTree.fromstring(_small(archive, str(rootfile.get("full-path"))))
    copy, version = None, ""
    for element in package.iter():
        if element.tag == f"{_DC}identifier" and element.get("id") == "booklet-copy":
            copy = CopyOf.parse(element.text or "")
        elif element.tag == f"{_OPF}meta" and element.get("property") == "schema:version":
            version = element.text or ""
    if copy is None or not version:
        return None
    languages = tuple(e.text or "" for e in package.iter(f"{_DC}language"))
    return Identity(copy, version, languages)


def _html(head: bytes) -> Identity | None:
    facts = {
        (m.group(1) or m.group(4)).lower(): unescape(
            (m.group(2) or m.group(3) or b"").decode("utf-8", "replace")
        )
        for m in _HTML_META.finditer(head)
    }
    copy = CopyOf.parse(facts.get(b"copy", ""))
    revision = facts.get(b"revision", "")
    if copy is None or not revision:
        return None
    found = _HTML_LANGUAGES.search(head)
    languages = tuple(found.group(1).decode("utf-8", "replace").split()) if found else ()
    return Identity(copy, revision, languages)
