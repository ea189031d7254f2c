"""A handbook's revision: one short id for everything its author controls.

Takes the files read for a handbook (its manifest, chapters, translations.lock,
glossary, the statute registry and clinic directory it reads, the images it uses) and
a theme's own folders; gives a digest of the sources (kept on the model) and, with the
theme, the revision printed on every copy (`3f2a9c1`: the first 7 hex digits of a
SHA-256). Files are taken by their place inside the handbook, registry or directory and
their content, never by the folder they sit in nor the time, so the same sources give
the same revision in any folder; booklet's own default theme is not the author's and
is left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booklet.sources.files import HandbookFiles, SourceFile, TomlFile

if TYPE_CHECKING:
    from booklet.model import Handbook
    from booklet.themes.theme import Theme

REVISION_LENGTH = 7
"""Hex digits shown: enough to tell a handbook's revisions apart, short to read aloud."""


def _place(path: Path, base: Path | None) -> str:
    """`path` inside `base`, as `/`-separated text (its name alone when outside)."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def _feed(digest: Any, tag: str, name: str, data: bytes) -> None:
    for part in (tag.encode(), name.encode("utf-8", "surrogateescape"), data):
        digest.update(len(part).to_bytes(8, "big") + part)


def _texts(
    digest: Any, tag: str, files: Iterable[SourceFile | TomlFile], base: Path | None
) -> None:
    for file in sorted(files, key=lambda f: _place(f.path, base)):
        _feed(digest, tag, _place(file.path, base), file.text.encode("utf-8", "surrogatepass"))


def sources_digest(source: HandbookFiles, images: Mapping[Path, bytes]) -> str:
    """A SHA-256 (hex) of every source file read for a handbook and the images it uses."""
    digest = hashlib.sha256()
    root = source.root
    chapters = [file for files in source.language_dirs.values() for file in files]
    extras = [f for f in (source.glossary, source.lock) if f is not None]
    _texts(digest, "handbook", [source.manifest, *chapters, *extras], root)
    _texts(digest, "statute", source.laws, source.laws_dir)
    _texts(digest, "clinic", source.clinics, source.clinics_dir)
    bases = [root, source.clinics_dir]
    for path, data in sorted(images.items(), key=lambda item: _image_place(item[0], bases)):
        _feed(digest, "image", _image_place(path, bases), data)
    return digest.hexdigest()


def _image_place(path: Path, bases: Iterable[Path | None]) -> str:
    for base in bases:
        if base is not None and path.resolve().is_relative_to(base.resolve()):
            return _place(path, base)
    return path.name


def theme_digest(folders: tuple[Path, ...]) -> str:
    """A SHA-256 (hex) of every file in a theme's own folders, by place and content."""
    files = []
    for index, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                files.append((index, folder, path, stat.st_size, stat.st_mtime_ns))
    return _theme_files_digest(tuple(files))


@cache
def _theme_files_digest(files: tuple[tuple[int, Path, Path, int, int], ...]) -> str:
    """Read once per set of files as they are (a theme's fonts can be large)."""
    digest = hashlib.sha256()
    for index, folder, path, _, _ in files:
        _feed(digest, f"theme {index}", path.relative_to(folder).as_posix(), path.read_bytes())
    return digest.hexdigest()


def revision(sources: str, theme_folders: Iterable[Path], default_theme: Path) -> str:
    """The revision of a handbook's copies: its sources' digest (`sources_digest`) with
    the files of the theme folders other than booklet's default theme."""
    own = tuple(folder for folder in theme_folders if folder.resolve() != default_theme)
    combined = hashlib.sha256(f"{sources} {theme_digest(own)}".encode()).hexdigest()
    return combined[:REVISION_LENGTH]


def copy_revision(handbook: Handbook, theme: Theme) -> str:
    """The revision printed on every copy of `handbook` made with `theme` (here, not with
    the views that print it: the stale list and `identify` read it without a template)."""
    from booklet.themes.theme import DEFAULT_THEME

    return revision(handbook.sources, theme.folders, DEFAULT_THEME)
