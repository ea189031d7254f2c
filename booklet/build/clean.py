"""Removing what booklet made from a handbook's output folder, and nothing else.

Takes an output folder and a handbook id; gives the files removed (or that would be, for
a dry run) and those left. A file goes only when a record lists it (booklet.build.made)
and its bytes are still the ones booklet wrote: never by its extension, never through a
link (the handbook's output folder, the cache folder or anything inside), never outside
`OUT/<id>/`. The user's own files, a renamed copy, an edited PDF stay.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from booklet.build.cache import CACHE_FOLDER
from booklet.build.made import (
    MadeFile,
    build_record_path,
    is_made,
    made_files,
    written_record_path,
)
from booklet.build.transaction import LOCK_NAME, output_lock
from booklet.errors import BookletError, display_path


@dataclass(frozen=True)
class Cleaning:
    """What cleaning a handbook's output folder removed, or would remove, and left."""

    folder: Path
    """OUT/<id>."""
    removed: tuple[Path, ...] = ()
    """Files booklet made, as it made them: removed (or to remove, in a dry run)."""
    foreign: tuple[Path, ...] = ()
    """Files (and links) booklet did not make: left."""
    changed: tuple[Path, ...] = ()
    """Files booklet made that were changed since: left."""
    linked: bool = False
    """The output folder is a link: nothing was looked at through it."""
    records_linked: bool = False
    """The cache folder is a link: its records are not trusted (nothing is booklet's)."""


def check_clean_out(out_dir: Path, places: Sequence[Path]) -> None:
    """Refuse an output folder that is, holds or lies inside a handbook, a statute
    registry or a clinic directory (`--out .` typed for `--out output`)."""
    out = out_dir.resolve()
    for place in places:
        if place == out or place.is_relative_to(out) or out.is_relative_to(place):
            raise BookletError(
                f"--out {out_dir}: this folder holds or is inside "
                f"{display_path(place)}, which booklet reads its sources from; clean removes "
                "only from an output folder: name it, e.g. --out output"
            )


def _walk(folder: Path) -> list[Path]:
    """Every file and link under `folder`, without following a link."""
    found: list[Path] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        here = Path(top)
        found += [here / name for name in dirs if (here / name).is_symlink()]
        found += [here / name for name in files if name != LOCK_NAME]
    return sorted(found)


def _made_folders(folder: Path, made: dict[str, MadeFile]) -> set[Path]:
    """The folder outputs (the HTML edition) whose files are all as booklet wrote them
    (booklet.build.folders); their files and their `images/` are booklet's."""
    return {
        folder / name
        for name, entry in made.items()
        if (folder / name).is_dir() and is_made(folder / name, entry)
    }


def survey(out_dir: Path, handbook_id: str) -> Cleaning:
    """What cleaning OUT/<id> would remove and leave (nothing is changed)."""
    folder = out_dir / handbook_id
    if folder.is_symlink():
        return Cleaning(folder, linked=True)
    if not folder.is_dir():
        return Cleaning(folder)
    made = made_files(out_dir, handbook_id)
    folders = _made_folders(folder, made)
    removed, foreign, changed = [], [], []
    for path in _walk(folder):
        entry = made.get(path.relative_to(folder).as_posix())
        if is_made(path, entry) or path.parent in folders or path.parent.parent in folders:
            removed.append(path)
        elif entry is not None and not path.is_symlink():
            changed.append(path)
        else:
            foreign.append(path)
    records_linked = (out_dir / CACHE_FOLDER).is_symlink()
    return Cleaning(folder, tuple(removed), tuple(foreign), tuple(changed), False, records_linked)


def _chosen(found: Cleaning, only: Collection[Path] | None) -> Cleaning:
    """`found` with only the files of `only` to remove, and nothing said of the rest."""
    if only is None:
        return found
    # A folder output (the HTML edition) is named as a folder: its files go with it.
    chosen = tuple(p for p in found.removed if p in only or any(f in only for f in p.parents))
    return Cleaning(found.folder, chosen, (), (), found.linked, found.records_linked)


def clean_outputs(
    out_dir: Path, handbook_id: str, dry_run: bool = False, only: Collection[Path] | None = None
) -> Cleaning:
    """Remove what booklet made in OUT/<id> (as `survey` finds it) and the records of
    it; folders left empty by that go too. `dry_run`: only say what would go. `only`:
    remove those of the files booklet made alone (stale ones: booklet.build.stale), and
    keep the records (of the others)."""
    found = _chosen(survey(out_dir, handbook_id), only)
    if dry_run or found.linked or not found.folder.is_dir():
        return found
    with output_lock(found.folder):
        found = _chosen(survey(out_dir, handbook_id), only)  # again, now no build writes
        for path in found.removed:
            path.unlink(missing_ok=True)
        emptied = sorted({p.parent for p in found.removed}, key=lambda p: len(p.parts))
        for place in reversed(emptied):
            while place != found.folder and place.is_relative_to(found.folder):
                if place.is_symlink() or any(place.iterdir()):
                    break
                place.rmdir()
                place = place.parent
    if only is None and not (out_dir / CACHE_FOLDER).is_symlink():
        built, written = (
            build_record_path(out_dir, handbook_id),
            written_record_path(out_dir, handbook_id),
        )
        for record in (built, written):
            if not record.parent.is_symlink() and record.is_file() and not record.is_symlink():
                record.unlink()
    return found
