"""Whether a copy is whole: a PDF, EPUB or kit not cut short (`cut_short`), and a copy
of the HTML reading edition with every file as booklet made it (`damage`).

Takes a page of the edition (its front page when a folder is named) and its bytes; gives
what is wrong with the copy, file by file, or nothing. The page read must end as booklet
ends a page (`</html>`); when the front page names the list of the edition's files
(booklet.outputs.html_edition: `SHA256SUMS`, whose SHA-256 its `booklet.files` meta
element gives), that list must be intact and every file in it there, with its SHA-256.
An edition made before booklet wrote that list is checked by its pages alone.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from booklet.outputs.html_edition import FRONT, SUMS

_WHOLE = re.compile(rb"</html>\s*\Z", re.I)
_FILES = re.compile(rb"<meta\s+name=[\"']booklet\.files[\"']\s+content=[\"']([0-9a-f]{64})[\"']")
_LINE = re.compile(r"([0-9a-f]{64})  ([A-Za-z0-9][A-Za-z0-9._/-]*)")
SHOWN = 3
"""The damaged files named; the others are counted."""
_PDF_END = re.compile(rb"%%EOF\s*\Z")
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65536 + 22
"""Where a ZIP's end of central directory record is: its last 22 bytes and a comment."""


def cut_short(data: bytes) -> bool:
    """A PDF or a ZIP (an EPUB, a kit) whose end is missing, as an interrupted copy or
    download leaves it: every PDF ends with `%%EOF`, every ZIP with the end record of
    its central directory."""
    if data.startswith(b"%PDF-"):
        return _PDF_END.search(data[-1024:]) is None
    if data.startswith(b"PK\x03\x04"):
        return _ZIP_END not in data[-_ZIP_TAIL:]
    return False


def damage(page: Path, data: bytes) -> list[str]:
    """What is wrong with the edition whose page `page` (read as `data`) is, a line a
    file (`chapter-1.html is cut short`); none when it is whole."""
    found = [] if _whole(data) else [f"{page.name} is cut short"]
    return list(dict.fromkeys([*found, *_edition_damage(page, data)]))


def _edition_damage(page: Path, data: bytes) -> list[str]:
    """What is wrong with the other files of the edition."""
    if page.name != FRONT:
        front = _read(page.parent / FRONT)
        if front is None:
            return [f"{FRONT} is missing"]
        if not _whole(front):
            return [f"{FRONT} is cut short"]
        data = front
    named = _FILES.search(data)
    if named is None:  # made before booklet listed its files: its pages are checked
        pages = sorted(page.parent.glob("*.html"))
        return [f"{p.name} is cut short" for p in pages if not _whole(_read(p) or b"")]
    listed = _read(page.parent / SUMS)
    if listed is None:
        return [f"{SUMS} is missing"]
    if hashlib.sha256(listed).hexdigest() != named.group(1).decode("ascii"):
        return [f"{SUMS} is not as booklet made it"]
    found = []
    for line in listed.decode("utf-8", "replace").splitlines():
        entry = _LINE.fullmatch(line)
        if entry is None or ".." in entry.group(2).split("/"):
            return [f"{SUMS} is not as booklet made it"]
        found += _file_damage(page.parent, entry.group(2), entry.group(1))
    return found


def said(found: list[str]) -> str:
    """The first damaged files, and how many more."""
    more = len(found) - SHOWN
    return ", ".join(found[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def _file_damage(folder: Path, name: str, sha256: str) -> list[str]:
    data = _read(folder / name)
    if data is None:
        return [f"{name} is missing"]
    if hashlib.sha256(data).hexdigest() == sha256:
        return []
    if name.endswith(".html") and not _whole(data):
        return [f"{name} is cut short"]
    return [f"{name} is not as booklet made it"]


def _read(path: Path) -> bytes | None:
    """A file's bytes; None when it is not there (or not a file, or unreadable)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _whole(page: bytes) -> bool:
    """Whether a page ends as booklet ends one."""
    return _WHOLE.search(page[-1024:]) is not None
