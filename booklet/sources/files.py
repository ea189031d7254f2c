"""Reads a handbook folder and its statute registry from disk: the only code that reads sources.

Takes a handbook folder; gives a `HandbookFiles` with the text of every file the later
stages need, already decoded. Nothing here interprets Markdown or validates metadata
beyond what is needed to know which files to read.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booklet.errors import ConfigError, Problem, ProblemsFound, SourceError, SourceLocation
from booklet.text.terminal import quoted
from booklet.text.toml_bounds import toml_bomb

MANIFEST = "handbook.toml"
LOCK = "translations.lock"
LAW_LOCK = "law.lock"
DEFAULT_LAWS = "../laws"
DEFAULT_CLINICS = "../clinics"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
HANDBOOK_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?")
"""A handbook id (its folder's name): it names files, folders and ZIP entries on every
system, so no separator of any system (`/`, `\\`, `:`) and nothing a shell or an
extractor reads specially: it begins with a letter or a digit (not `.`, `..`, `...` nor
a hidden name) and does not end with `.` (which Windows drops)."""


@dataclass(frozen=True)
class SourceFile:
    """A text file of the sources, decoded."""

    path: Path
    """Absolute path."""
    text: str
    """Its content, newline-normalised."""
    newline: str = "\n"
    """Its own line ending: CR LF when its first line ends so."""
    bom: bool = False
    """It began with a UTF-8 byte-order mark."""


@dataclass(frozen=True)
class TomlFile:
    """A TOML file of the sources with its parsed data."""

    path: Path
    """Absolute path."""
    text: str
    """Its text, to find the lines of keys for messages."""
    data: Mapping[str, Any]
    """What tomllib made of it."""


@dataclass(frozen=True)
class HandbookFiles:
    """Everything read from disk for one handbook."""

    root: Path
    """The handbook folder, resolved."""
    name: str
    """The folder's own name as given (a symlinked handbook keeps its link's name)."""
    manifest: TomlFile
    """handbook.toml."""
    language_dirs: Mapping[str, tuple[SourceFile, ...]]
    """Folder name -> its Markdown chapters, in file-name order; every sub-folder is listed."""
    laws_dir: Path | None
    """The statute registry folder, or None when it does not exist."""
    laws: tuple[TomlFile, ...]
    """The statute files, in file-name order."""
    clinics_dir: Path | None
    """The clinic directory, or None when it does not exist."""
    clinics: tuple[TomlFile, ...]
    """The clinic files, in file-name order."""
    glossary: TomlFile | None
    """glossary.toml when the handbook has one."""
    lock: SourceFile | None
    """translations.lock when the handbook has one."""
    problems: tuple[Problem, ...]
    """Why files could not be read (bad UTF-8, bad TOML, symlinks out, too large)."""
    unread: tuple[Path, ...] = ()
    """Those files: they are left out, and nothing else is reported about them."""
    law_lock: SourceFile | None = None
    """law.lock when the handbook has one (the law as last reviewed)."""


def find_handbooks(sources: Path) -> list[Path]:
    """Every handbook folder (one holding a handbook.toml) directly under `sources`."""
    if not sources.is_dir():
        raise ConfigError(
            f"{sources}: no such folder; run booklet from the project folder "
            "or name the handbook folders to build"
        )
    found = sorted(p.parent for p in sources.glob(f"*/{MANIFEST}"))
    if not found:
        raise ConfigError(
            f"{sources}: no handbooks found (a handbook is a folder with a {MANIFEST})"
        )
    return found


def source_places(folder: Path) -> tuple[Path, ...]:
    """The folders a handbook reads from (itself, its statute registry and clinic
    directory, resolved), read from its handbook.toml alone: no writer may put a file
    there. A manifest that cannot be read names the default places."""
    root = folder.resolve()
    settings: Mapping[str, Any] = {}
    with contextlib.suppress(OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        settings = tomllib.loads((root / MANIFEST).read_text(encoding="utf-8-sig"))
    places = [root]
    for setting, default in (("laws", DEFAULT_LAWS), ("clinics", DEFAULT_CLINICS)):
        value = settings.get(setting, default)
        places.append((root / (value if isinstance(value, str) else default)).resolve())
    return tuple(places)


def load_handbook(folder: Path) -> HandbookFiles:
    """Read a handbook folder and the registry it uses."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such handbook folder")
    root = folder.resolve()
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise ConfigError(
            f"{folder}: not a handbook folder (it has no {MANIFEST}); "
            "see docs/sources.md for the layout"
        )
    name = Path(os.path.abspath(folder)).name
    check_handbook_id(name, folder)
    problems: list[Problem] = []
    try:
        manifest = read_toml(manifest_path, root)
    except SourceError as error:
        # Without the manifest nothing else can be read meaningfully.
        raise ProblemsFound(root, [Problem(error.location, error.message)]) from None

    def gather(read: Any, path: Path, confine_to: Path) -> Any:
        try:
            return read(path, confine_to)
        except SourceError as error:
            problems.append(Problem(error.location, error.message))
            return None

    language_dirs: dict[str, tuple[SourceFile, ...]] = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        # Hidden files (editor backups, macOS ._ files) are not chapters; `.MD` is `.md`.
        chapters = sorted(
            p
            for p in sub.iterdir()
            if p.suffix.lower() == ".md"
            and not p.name.startswith(".")
            and not p.is_dir()  # a pipe or device is reported when read, never waited on
            and _utf8_name(p, problems)
        )
        texts = (gather(read_text, p, root) for p in chapters)
        language_dirs[sub.name] = tuple(t for t in texts if t is not None)

    def folder_of_toml(setting: str, default: str) -> tuple[Path | None, tuple[TomlFile, ...]]:
        """A shared folder of TOML files beside the handbooks (statutes, clinics)."""
        value = manifest.data.get(setting, default)
        if not isinstance(value, str):
            return None, ()  # reported by the parser
        candidate = (root / value).resolve()
        if not candidate.is_dir():
            return None, ()
        files = (gather(read_toml, p, candidate) for p in sorted(candidate.glob("*.toml")))
        return candidate, tuple(f for f in files if f is not None)

    laws_dir, laws = folder_of_toml("laws", DEFAULT_LAWS)
    clinics_dir, clinics = folder_of_toml("clinics", DEFAULT_CLINICS)

    glossary_path = root / "glossary.toml"
    glossary = gather(read_toml, glossary_path, root) if glossary_path.is_file() else None
    lock_path = root / LOCK
    lock = gather(read_text, lock_path, root) if lock_path.is_file() else None
    law_lock_path = root / LAW_LOCK
    law_lock = gather(read_text, law_lock_path, root) if law_lock_path.is_file() else None
    return HandbookFiles(
        root=root,
        name=name,
        manifest=manifest,
        language_dirs=language_dirs,
        laws_dir=laws_dir,
        laws=laws,
        clinics_dir=clinics_dir,
        clinics=clinics,
        glossary=glossary,
        lock=lock,
        problems=tuple(problems),
        unread=tuple(p.location.path for p in problems),
        law_lock=law_lock,
    )


def check_handbook_id(name: str, folder: Path) -> None:
    """Refuse a folder name that cannot be a handbook id (`HANDBOOK_ID`), at the folder."""
    if HANDBOOK_ID.fullmatch(name) and name not in (".", ".."):
        return
    raise SourceError(
        SourceLocation(folder, 0),
        f"the folder name {quoted(name)} cannot be a handbook id (it names the output files); "
        'rename the folder using only letters a-z and A-Z, digits, "-", "_" and "." '
        '(beginning with a letter or digit, not ending with ".")',
    )


MAX_TEXT_BYTES = 1024 * 1024
"""A chapter, TOML or lock file larger than this is refused: a long chapter of a real
handbook is some 50 KB, and parsing 1 MB takes seconds, not minutes."""

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""An image larger than this is refused (a phone photo is a few MB)."""


def symlink_loop(path: Path) -> bool:
    """Whether `path` is a symbolic link that leads back to itself (it cannot be resolved)."""
    try:
        path.resolve()
    except RuntimeError:
        return True
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def read_image(path: Path, confine_to: Path) -> bytes | None:
    """An image's bytes (one byte over the limit at most), or None when it is not a file
    inside `confine_to`, or a symlink that loops; booklet.checks.images says why."""
    if symlink_loop(path):
        return None
    resolved = path.resolve()
    if not resolved.is_relative_to(confine_to) or not resolved.is_file():
        return None
    try:
        with resolved.open("rb") as stream:
            return stream.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        return None


def _utf8_name(path: Path, problems: list[Problem]) -> bool:
    """Whether a file's name is valid UTF-8 (else a problem at its folder, and it is skipped)."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        problems.append(
            Problem(
                SourceLocation(path.parent, 0),
                f'the file name "{shown}" is not valid UTF-8 text; rename the file',
            )
        )
        return False
    return True


def _unreadable(path: Path, error: OSError) -> SourceError:
    return SourceError(
        SourceLocation(path, 0),
        f"cannot read this file ({error.strerror or error}); check that it exists "
        "and that you may read it",
    )


def _resolved(path: Path) -> Path:
    """The real file behind `path`; a symlink loop or a FIFO, device or folder is an error
    (reading a FIFO would wait forever)."""
    try:
        resolved = path.resolve()
        mode = resolved.stat().st_mode
    except RuntimeError:
        raise SourceError(
            SourceLocation(path, 0), "this file is a symlink that loops; replace it with a file"
        ) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    if not stat.S_ISREG(mode):
        raise SourceError(
            SourceLocation(path, 0),
            "this is not a regular file (a pipe, a device or a folder); put a text file here",
        )
    return resolved


def _utf16(raw: bytes) -> bool:
    """UTF-16 text: its byte-order mark, or (without one) a NUL in every other byte, as
    ASCII letters take in UTF-16."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:1024]
    return len(sample) >= 4 and (
        sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4
    )


def read_text(path: Path, confine_to: Path) -> SourceFile:
    """Read a UTF-8 source file that must resolve inside `confine_to` (no symlink escapes)."""
    resolved = _resolved(path)
    if not resolved.is_relative_to(confine_to):
        raise SourceError(
            SourceLocation(path, 0),
            f"this file links to {resolved}, outside {confine_to}; "
            "copy the file into the folder instead of linking it",
        )
    try:
        with resolved.open("rb") as stream:
            raw = stream.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise _unreadable(path, error) from None
    if len(raw) > MAX_TEXT_BYTES:
        raise SourceError(
            SourceLocation(path, 0),
            f"this file is larger than {MAX_TEXT_BYTES // 1024} KB, more than booklet reads; "
            "split it into several files (a chapter per topic)",
        )
    if _utf16(raw):
        raise SourceError(
            SourceLocation(path, 0),
            "this file is saved as UTF-16 ('Unicode' in Notepad); save it as UTF-8 (in "
            "Notepad: File > Save as, Encoding: UTF-8)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            SourceLocation(path, line),
            "this file is not UTF-8 text; save it as UTF-8 in your editor",
        ) from None
    if "\x00" in text:
        raise SourceError(
            SourceLocation(path, text[: text.index("\x00")].count("\n") + 1),
            "this file holds a NUL byte, so it is not plain text; save it again as UTF-8 text",
        )
    first_line = raw.split(b"\n", 1)[0]
    return SourceFile(
        path=path,
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        newline="\r\n" if first_line.endswith(b"\r") else "\n",
        bom=raw.startswith(b"\xef\xbb\xbf"),
    )


_DATE_LIKE = re.compile(r"=\s*(\d{1,4}[/.]\d{1,2}[/.]\d{1,4}|\d{4}-(\d-\d{1,2}|\d{1,2}-\d)\b)")
"""A date as people write it but TOML cannot read (01/10/2026, 2026/10/01, 2026-10-1)."""
_CURLY = "“”‘’„«»"


def _toml_advice(what: str, line: str) -> str:
    """What a person who is not a programmer should change, for tomllib's complaint."""
    if what.startswith(("cannot overwrite a value", "cannot declare")):
        return "a setting or a [table] is written twice; keep one of them"
    if what.startswith("unterminated string") or (
        what.startswith("illegal character") and line.count('"') % 2 == 1
    ):
        return (
            'a quote " is opened but not closed; close it on the same line, or use '
            '""" around text of several lines'
        )
    if any(mark in line for mark in _CURLY):
        return (
            "this line has curly quotes (“ ” ‘ ’), which word processors put in; write "
            'straight quotes "..." instead'
        )
    if _DATE_LIKE.search(line):
        return (
            "this date cannot be read; write dates as YYYY-MM-DD without quotes, "
            "e.g. next_review = 2027-05-01"
        )
    return f"this is not valid TOML ({what}); check quotes, brackets and '=' on this line"


def read_toml(path: Path, confine_to: Path) -> TomlFile:
    """Read and parse a TOML source file (one that would make the parser slow or huge is
    refused first, by booklet.text.toml_bounds)."""
    source = read_text(path, confine_to)
    bomb = toml_bomb(source.text)
    if bomb is not None:
        raise SourceError(SourceLocation(path, bomb.line), bomb.message)
    try:
        data = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else 0
        what = _TOML_POSITION.sub("", message).strip().rstrip(".").lower()
        text = source.text.split("\n")[line - 1] if 0 < line <= source.text.count("\n") + 1 else ""
        raise SourceError(SourceLocation(path, line), _toml_advice(what, text)) from None
    except RecursionError:
        raise SourceError(
            SourceLocation(path, 0),
            "this TOML nests arrays or tables too deeply to read; a handbook's settings "
            "need no more than a few levels",
        ) from None
    return TomlFile(path=path, text=source.text, data=data)
