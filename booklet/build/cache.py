"""The build cache: which files in the output folder are what this build would make.

Takes, for each output, a key: a hash of everything the file depends on (the document
booklet renders it from — the HTML of a PDF with its inline CSS and images, the pages
of an EPUB — plus booklet's own code, the versions of the libraries that render, the
theme's files and the font files used). Gives, for a key seen before whose file is still
on disk with the bytes recorded, that file's facts (pages, notes) and bytes, so it is
neither rendered nor written again.

The record is one JSON file per handbook, `OUT/.booklet-cache/<id>.json`, written with
the outputs in the same all-or-nothing write. It is never trusted: an entry is used only
when its key matches and the file's SHA-256 is the one recorded; a record that cannot be
read, was written by another booklet, or holds anything booklet does not write (a field
of another type or out of range, a file name outside the folder) is ignored: everything
is rendered again. Its notes reach the terminal only through booklet.text.terminal.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeGuard

from booklet import __version__

CACHE_FOLDER = ".booklet-cache"
"""Inside the output folder: one record per handbook."""

RECORD_FORMAT = 1
"""Changes when the record's shape or the meaning of its keys does."""

RENDERING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "tinyhtml5",
    "pikepdf",
    "uharfbuzz",
    "fonttools",
    "jinja2",
    "segno",
    "pillow",
)
"""Libraries whose version can change an output's bytes."""


@dataclasses.dataclass(frozen=True)
class CachedOutput:
    """What the record says of one file on disk."""

    key: str
    sha256: str
    size: int
    pages: int = 0
    notes: tuple[str, ...] = ()
    """The lines printed under its progress line (warnings stay visible when unchanged)."""
    summary: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """What the printing sheet says of a booklet (sheets, sets)."""
    inputs: str = ""
    """The key of what its document was made from (the parsed handbook, the theme, the
    options): when it matches, the document need not even be written out."""


def fingerprint(*parts: object) -> str:
    """A SHA-256 of `parts`: dataclasses, mappings, sequences, sets, bytes, text, numbers,
    dates, enums and paths, each tagged by type so that no two values hash alike."""
    digest = hashlib.sha256()
    _feed(digest, parts)
    return digest.hexdigest()


def _feed(digest: Any, value: object) -> None:
    def put(tag: bytes, data: bytes) -> None:
        digest.update(tag + len(data).to_bytes(8, "big") + data)

    if value is None or isinstance(value, bool):
        put(b"c", repr(value).encode())
    elif isinstance(value, enum.Enum):
        put(b"e", f"{type(value).__name__}.{value.name}".encode())
    elif isinstance(value, int | float):
        put(b"n", repr(value).encode())
    elif isinstance(value, str):
        put(b"s", value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, bytes | bytearray | memoryview):
        put(b"b", bytes(value))
    elif isinstance(value, datetime | date):
        put(b"d", value.isoformat().encode())
    elif isinstance(value, Path):
        put(b"p", os.fsencode(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        put(b"D", type(value).__qualname__.encode())
        for item in dataclasses.fields(value):
            _feed(digest, item.name)
            _feed(digest, getattr(value, item.name))
    elif isinstance(value, Mapping):
        put(b"M", str(len(value)).encode())
        for key, item in value.items():  # insertion order: the sources' own order
            _feed(digest, key)
            _feed(digest, item)
    elif isinstance(value, set | frozenset):
        put(b"S", str(len(value)).encode())
        try:
            ordered = sorted(value)  # characters, code points: cheap to sort as they are
        except TypeError:
            ordered = sorted(value, key=fingerprint)
        for item in ordered:
            _feed(digest, item)
    elif isinstance(value, Iterable):
        items = list(value)
        put(b"L", str(len(items)).encode())
        for item in items:
            _feed(digest, item)
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__name__}")


@cache
def _code_fingerprint() -> str:
    """booklet's own files (code, default theme) and the rendering libraries' versions."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    versions: dict[str, str | None] = {}
    for name in RENDERING_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return fingerprint(
        RECORD_FORMAT,
        __version__,
        versions,
        [(str(p.relative_to(package)), p.read_bytes()) for p in files],
    )


def folder_files(folders: Iterable[Path]) -> list[tuple[str, int, bytes]]:
    """Every regular file under `folders` (a theme's), by folder, name and content."""
    found = []
    for index, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found.append((str(path.relative_to(folder)), index, path.read_bytes()))
    return found


def font_file_facts(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    """Each font file's path, size and modification time (a font updated by the system
    changes them): hashing 20 MB faces on every build would cost more than it saves."""
    facts = []
    for path in sorted(set(paths)):
        try:
            stat = path.stat()
        except OSError:
            continue
        facts.append((str(path), stat.st_size, stat.st_mtime_ns))
    return facts


def build_fingerprint(theme_folders: Iterable[Path], font_files: Iterable[Path]) -> str:
    """What every output of a build depends on besides its own document."""
    return fingerprint(
        _code_fingerprint(), folder_files(theme_folders), font_file_facts(font_files)
    )


def _regular_file_bytes(path: Path) -> bytes | None:
    """A file's bytes, or a folder output's bundle (booklet.build.folders)."""
    from booklet.build.folders import read_folder

    if path.is_dir():
        return read_folder(path)
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


MAX_RECORD_BYTES = 64 * 1024 * 1024
"""A record larger than this is not read (a hundred clinic editions' record is ~200 KB)."""
MAX_PAGES = 100_000
MAX_NOTES = 100
MAX_TEXT = 1000
"""Bounds of what booklet records: more is not a record booklet wrote."""
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"[0-9a-f]{64}|")


def _count(value: object, most: int = MAX_PAGES) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _pages_of(value: object) -> bool:
    return isinstance(value, dict) and all(_text(k) and _count(v) for k, v in value.items())


def _sets(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(pages, list) and all(_count(page) for page in pages) for pages in value
    )


def _parts(value: object) -> bool:
    """A book's parts as booklet.build.chapters records them: [key, first page, pages]."""
    return isinstance(value, list) and all(
        isinstance(part, list)
        and len(part) == 3
        and isinstance(part[0], str)
        and _HEX64.fullmatch(part[0]) is not None
        and _count(part[1])
        and _count(part[2])
        for part in value
    )


_SUMMARY: dict[str, Callable[[object], bool]] = {
    "anchors": _pages_of,
    "parts": _parts,
    "file": _text,
    "sheets": _count,
    "signatures": _count,
    "paper": _text,
    "paper_text": _text,
    "layout": _text,
    "sets": _sets,
}
"""What a summary may hold (an EPUB's page anchors, a booklet's printing facts)."""


def _safe_name(name: str) -> bool:
    """A file name relative to the output folder, as booklet records them."""
    parts = name.split("/")
    return (
        0 < len(name) <= MAX_TEXT
        and "\x00" not in name
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )


def recorded_entry(item: object) -> CachedOutput | None:
    """One entry of a build record as read from disk, when every field has the type and
    range booklet writes; None for anything else (never trusted)."""
    if not isinstance(item, dict) or not set(item) <= _ENTRY_FIELDS:
        return None
    key, sha256, size = item.get("key"), item.get("sha256"), item.get("size")
    pages, notes = item.get("pages", 0), item.get("notes", [])
    summary, inputs = item.get("summary", {}), item.get("inputs", "")
    if not (
        isinstance(key, str)
        and _HEX64.fullmatch(key)
        and isinstance(sha256, str)
        and _HEX64.fullmatch(sha256)
        and _count(size, 1 << 40)
        and _count(pages)
        and isinstance(notes, list)
        and len(notes) <= MAX_NOTES
        and all(map(_text, notes))
        and isinstance(summary, dict)
        and all(k in _SUMMARY and _SUMMARY[k](v) for k, v in summary.items())
        and isinstance(inputs, str)
        and _KEY.fullmatch(inputs)
    ):
        return None
    return CachedOutput(key, sha256, size, pages, tuple(notes), summary, inputs)


_ENTRY_FIELDS = frozenset(f.name for f in dataclasses.fields(CachedOutput))


class BuildCache:
    """The record of one handbook's output folder."""

    def __init__(self, out_dir: Path, handbook_id: str, folder: Path, enabled: bool = True):
        """`folder` is the handbook's output folder (paths are recorded relative to it);
        `enabled=False` (`--force`) renders everything and records it afresh; the files
        earlier builds made stay recorded (`clean` and the stale list go by the record)."""
        self.folder = folder
        self.path = out_dir / CACHE_FOLDER / f"{handbook_id}.json"
        self.enabled = enabled
        recorded = self._read()
        self.before = recorded if enabled else {}
        self.entries: dict[str, CachedOutput] = {
            name: entry
            for name, entry in recorded.items()
            if (folder / name).is_file() or (folder / name).is_dir()
        }
        self._on_disk = _regular_file_bytes(self.path)

    def _read(self) -> dict[str, CachedOutput]:
        """The record's entries that are what booklet writes; any doubt means no record
        (a record is data from disk: it is never trusted to be well formed)."""
        try:
            with self.path.open("rb") as stream:
                raw = stream.read(MAX_RECORD_BYTES + 1)
            if len(raw) > MAX_RECORD_BYTES:
                return {}
            record = json.loads(raw)
            if not isinstance(record, dict):
                return {}
            if record.get("format") != RECORD_FORMAT or record.get("booklet") != __version__:
                return {}
            outputs = record["outputs"]
            if not isinstance(outputs, dict):
                return {}
            entries = {name: recorded_entry(item) for name, item in outputs.items()}
        except (OSError, ValueError, TypeError, KeyError, RecursionError, OverflowError):
            return {}  # missing, corrupt or foreign: render everything
        if any(entry is None or not _safe_name(name) for name, entry in entries.items()):
            return {}
        return {name: entry for name, entry in entries.items() if entry is not None}

    def _name(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def unchanged(self, path: Path, key: str) -> tuple[CachedOutput, bytes] | None:
        """The record and bytes of `path` when it was made from `key` and is on disk as
        recorded (its bytes: an imposed booklet is made from them)."""
        entry = self.entries.get(self._name(path)) if self.enabled else None
        if entry is None or entry.key != key:
            return None
        data = _regular_file_bytes(path)
        if data is None or hashlib.sha256(data).hexdigest() != entry.sha256:
            return None  # edited, replaced or damaged since: make it again
        return entry, data

    def previous(self, path: Path) -> tuple[CachedOutput, bytes] | None:
        """The record and bytes of `path` as the last build made it, whatever it was made
        from, when it is on disk as recorded (a book re-rendered by chapter starts from it)."""
        name = self._name(path)
        entry = self.entries.get(name) if self.enabled else None
        return None if entry is None else self.unchanged(path, entry.key)

    def unchanged_inputs(self, path: Path, inputs: str) -> tuple[CachedOutput, bytes] | None:
        """As `unchanged`, by the key of what the output's document is made from."""
        entry = self.entries.get(self._name(path)) if self.enabled else None
        if entry is None or not entry.inputs or entry.inputs != inputs:
            return None
        return self.unchanged(path, entry.key)

    def renew(self, path: Path, inputs: str) -> None:
        """Note that an unchanged output is now made from `inputs`."""
        name = self._name(path)
        self.entries[name] = dataclasses.replace(self.entries[name], inputs=inputs)

    def remember(
        self,
        path: Path,
        key: str,
        data: bytes,
        pages: int,
        notes: Iterable[str],
        summary: Mapping[str, Any] | None = None,
        inputs: str = "",
    ) -> None:
        """Record a file this build made (written with the record, or not at all)."""
        self.entries[self._name(path)] = CachedOutput(
            key,
            hashlib.sha256(data).hexdigest(),
            len(data),
            pages,
            tuple(notes),
            dict(summary or {}),
            inputs,
        )

    def record_bytes(self) -> bytes | None:
        """The record to write, or None when the one on disk already says it all."""
        record = {
            "format": RECORD_FORMAT,
            "booklet": __version__,
            "outputs": {
                name: {
                    "key": e.key,
                    "sha256": e.sha256,
                    "size": e.size,
                    "pages": e.pages,
                    "notes": list(e.notes),
                    "summary": dict(e.summary),
                    "inputs": e.inputs,
                }
                for name, e in sorted(self.entries.items())
            },
        }
        data = (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
        return None if data == self._on_disk else data
