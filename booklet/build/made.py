"""What booklet made, and where it may write: the rule every writer and `clean` follow.

Takes an output folder and a handbook id (and, for a writer, the path it is about to
write and the handbook's sources); gives the files booklet made in `OUT/<id>/` (by the
build record, `OUT/.booklet-cache/<id>.json`, and the record of files written outside a
build, such as kits and previews: `OUT/.booklet-cache/written/<id>.json`), each with the
size and SHA-256 it was written with, and refuses a write that would replace a file
booklet did not make or land inside a handbook, a statute registry or a clinic directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from booklet.build.cache import CACHE_FOLDER
from booklet.build.folders import read_folder
from booklet.build.transaction import output_lock, write_all
from booklet.errors import BookletError, display_path
from booklet.sources.files import source_places

WRITTEN_FOLDER = "written"
"""Inside the cache folder: one record per handbook of files written outside a build
(a folder, so that no handbook id can name the same file as a build record)."""

WRITTEN_FORMAT = 1
"""Changes when the written record's shape does."""


@dataclass(frozen=True)
class MadeFile:
    """A file booklet wrote into a handbook's output folder, as it was written."""

    name: str
    """Its path inside `OUT/<id>/`, with `/` between folders."""
    sha256: str
    """The SHA-256 of the bytes written."""
    size: int
    """How many bytes were written."""


def build_record_path(out_dir: Path, handbook_id: str) -> Path:
    """The build record of a handbook (written by booklet.build.cache)."""
    return out_dir / CACHE_FOLDER / f"{handbook_id}.json"


def written_record_path(out_dir: Path, handbook_id: str) -> Path:
    """The record of the files written outside a build (kits, previews)."""
    return out_dir / CACHE_FOLDER / WRITTEN_FOLDER / f"{handbook_id}.json"


def _read_entries(path: Path, key: str) -> dict[str, MadeFile]:
    """The files a record lists under `key`; a record that is missing, a link, or not as
    booklet writes it lists nothing (never trusted)."""
    if any(p.is_symlink() for p in (path, *path.parents)):
        return {}
    try:
        record = json.loads(path.read_bytes())
        items = record[key]
        return {
            str(name): MadeFile(str(name), str(item["sha256"]), int(item["size"]))
            for name, item in items.items()
            if _safe_name(str(name))
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _safe_name(name: str) -> bool:
    """A recorded name that stays inside the handbook's output folder."""
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and not PurePosixPath(name).is_absolute()
        and ".." not in parts
        and ("\\" not in name)
    )


def made_files(out_dir: Path, handbook_id: str) -> dict[str, MadeFile]:
    """Every file the records say booklet made in `OUT/<id>/`, by name."""
    made = _read_entries(written_record_path(out_dir, handbook_id), "files")
    made.update(_read_entries(build_record_path(out_dir, handbook_id), "outputs"))
    return made


def record_written(out_dir: Path, handbook_id: str, paths: Iterable[Path]) -> None:
    """Note that booklet wrote `paths` (a kit, preview pictures) outside a build, so that
    `clean` removes them and a later `-o` may replace them. Paths outside `OUT/<id>/` are
    not noted (nothing cleans there); entries whose file is gone are dropped."""
    folder = out_dir / handbook_id
    record = written_record_path(out_dir, handbook_id)
    if (out_dir / CACHE_FOLDER).is_symlink() or record.parent.is_symlink():
        return  # never written through a link
    with output_lock(record.parent):
        entries = {
            name: entry
            for name, entry in _read_entries(record, "files").items()
            if (folder / name).is_file()
        }
        for path in paths:
            try:
                name = Path(path).absolute().relative_to(folder.absolute()).as_posix()
                data = path.read_bytes()
            except (ValueError, OSError):
                continue
            entries[name] = MadeFile(name, hashlib.sha256(data).hexdigest(), len(data))
        files = {n: {"sha256": e.sha256, "size": e.size} for n, e in sorted(entries.items())}
        text = json.dumps({"format": WRITTEN_FORMAT, "files": files}, indent=1, sort_keys=True)
        write_all([(record, (text + "\n").encode())])


def is_made(path: Path, entry: MadeFile | None) -> bool:
    """Whether `path` holds what `entry` recorded: a regular file (not a link) with those
    bytes, or a folder output (the HTML edition) whose files give that bundle
    (booklet.build.folders)."""
    if entry is None or path.is_symlink():
        return False
    try:
        if path.is_dir():
            bundle = read_folder(path)
            return bundle is not None and hashlib.sha256(bundle).hexdigest() == entry.sha256
        if not path.is_file() or path.stat().st_size != entry.size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    except OSError:
        return False


def protected_places(folders: Iterable[Path]) -> list[Path]:
    """The folders booklet never writes into nor removes from, for the handbooks in
    `folders`: each handbook, its statute registry and clinic directory (resolved,
    handbooks first)."""
    each = [source_places(folder) for folder in folders]
    return list(dict.fromkeys([p[0] for p in each] + [x for p in each for x in p[1:]]))


def check_may_write(
    target: Path,
    option: str,
    places: Sequence[Path],
    out_dir: Path | None = None,
    handbook_id: str | None = None,
) -> None:
    """The rule every writer follows before it writes `target` (named by `option`, e.g.
    `-o`): never inside one of `places` (`protected_places`), never over a file booklet
    did not make. booklet made a file when a record of OUT/<id>/ (`out_dir`,
    `handbook_id`) lists it with its bytes, or its content says so (a PDF, EPUB or kit
    that names its handbook and revision, a PDF booklet imposed)."""
    from booklet.outputs.identity import made_by_booklet

    resolved = target.resolve()
    for place in places:
        if resolved == place or resolved.is_relative_to(place):
            raise BookletError(
                f"{option} {display_path(target)}: this is inside {display_path(place)}, "
                "which holds sources booklet reads; nothing was written; write it outside "
                "the sources, e.g. into output/"
            )
    if not (target.exists() or target.is_symlink()):
        return
    entry = None
    if out_dir is not None and handbook_id is not None:
        folder = (out_dir / handbook_id).absolute()
        with contextlib.suppress(ValueError):
            name = target.absolute().relative_to(folder).as_posix()
            entry = made_files(out_dir, handbook_id).get(name)
    if is_made(target, entry):
        return
    if target.is_file() and not target.is_symlink() and made_by_booklet(target.read_bytes()):
        return
    raise BookletError(
        f"{option} {display_path(target)}: a file booklet did not make is there; nothing "
        "was written; name a new file, or move that one away first"
    )
