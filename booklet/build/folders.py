"""An output that is a folder (the HTML edition), carried through the build as one value.

Takes the files of a folder as (relative name, bytes) pairs; gives one canonical bundle
of bytes: names sorted, each name and content length-prefixed. The build cache keys,
records and checks a folder output by the SHA-256 of its bundle like any file's bytes;
the same bundle is made again from the files on disk (`read_folder`) to tell whether
the folder is still what was written, and the executor writes the bundle's files, each
in the one all-or-nothing write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

MAGIC = b"booklet-folder 1\n"
"""The first bytes of a bundle."""
MAX_FOLDER_FILES = 10_000
"""A folder holding more files than this is not one booklet made."""


def pack_folder(files: Sequence[tuple[str, bytes]]) -> bytes:
    """The bundle of `files` (relative POSIX names, no `..`)."""
    parts = [MAGIC]
    for name, data in sorted(files):
        encoded = name.encode("utf-8")
        parts += [len(encoded).to_bytes(4, "big"), encoded, len(data).to_bytes(8, "big"), data]
    return b"".join(parts)


def unpack_folder(bundle: bytes) -> list[tuple[str, bytes]]:
    """The files of a bundle `pack_folder` made, in name order."""
    if not bundle.startswith(MAGIC):
        raise ValueError("not a folder bundle")
    files = []
    at = len(MAGIC)
    while at < len(bundle):
        size = int.from_bytes(bundle[at : at + 4], "big")
        name = bundle[at + 4 : at + 4 + size].decode("utf-8")
        at += 4 + size
        length = int.from_bytes(bundle[at : at + 8], "big")
        files.append((name, bundle[at + 8 : at + 8 + length]))
        at += 8 + length
    return files


def is_bundle(data: bytes) -> bool:
    """Whether `data` is a folder's bundle."""
    return data.startswith(MAGIC)


def read_folder(folder: Path) -> bytes | None:
    """The bundle of the regular files under `folder` as they are on disk; None when it
    is not a folder, holds a link, or cannot be read (it is then made again)."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        files = []
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                return None
            if path.is_file():
                files.append((path.relative_to(folder).as_posix(), path.read_bytes()))
            if len(files) > MAX_FOLDER_FILES:
                return None
    except OSError:
        return None
    return pack_folder(files)


_OWN = re.compile(
    r"(chapter-[A-Za-z0-9-]+|index|legal-basis|help)\.html|images/[0-9a-f]{16}\.[a-z]+"
)
"""The names of the pages and images of an HTML edition (booklet.outputs.html_edition)."""


def leftovers(folder: Path, bundle: bytes) -> list[Path]:
    """The files of an edition's folder that booklet made once and makes no more (a
    chapter gone, an image changed): named as booklet names them and not in `bundle`.
    Any other file is left alone."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    wanted = {name for name, _ in unpack_folder(bundle)}
    found = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and not path.is_symlink() and name not in wanted and _OWN.fullmatch(name):
            found.append(path)
    return found


def folder_writes(folder: Path, bundle: bytes) -> list[tuple[Path, bytes]]:
    """The (path, bytes) of each file of a folder's bundle, to write."""
    return [(folder / name, data) for name, data in unpack_folder(bundle)]
