"""The one way booklet writes files: all of them or none, and one writer at a time.

Takes (path, bytes) pairs (the bytes in memory, or `Spilled` to a temporary file);
replaces every path with its bytes, or leaves every one as it
was. Each new file is written and synced beside its target first; then each old file is
set aside and the new one renamed into place; if anything fails (a rename, a folder in
the way, a full disk, a signal), what was done is rolled back and the old files are put
back. A build killed outright (SIGKILL, a power cut) leaves marked files that the next
write into that folder cleans up, and `output_lock` keeps a second booklet from writing
into a folder another one is writing into.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from booklet.errors import ConfigError, display_path

try:  # not on Windows: there, two builds into one folder are not prevented
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

NEW = ".booklet-new-"
"""Marks a new file not yet in place."""
OLD = ".booklet-old-"
"""Marks an old file set aside until the new ones are all in place."""
LOCK_NAME = ".booklet.lock"
_counter = itertools.count()


def _marked(target: Path, mark: str) -> Path:
    return target.with_name(f".{target.name}{mark}{os.getpid()}-{next(_counter)}")


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def recover(folder: Path) -> None:
    """Clean up after a writer that was killed: new files not in place are removed; an
    old file set aside goes back if its target is missing, else it is removed."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        name = path.name
        if not name.startswith("."):
            continue
        if NEW in name:
            path.unlink(missing_ok=True)
        elif OLD in name:
            target = folder / name[1:].split(OLD, 1)[0]
            if target.exists():
                path.unlink(missing_ok=True)
            else:
                os.replace(path, target)


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` for one writer; a second one is told to wait, not let in."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ConfigError(
            f"{display_path(folder)}: cannot write here ({error.strerror or error}); check "
            "that it is a folder you may write to"
        ) from None
    held = False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ConfigError(
                    f"{display_path(folder)}: another booklet is writing here; wait for it "
                    "to finish, or build into another folder with --out"
                ) from None
        held = True
        recover(folder)
        yield
    finally:
        if held:
            # Gone before it is let go, so the folder holds only outputs (a writer that
            # opens it now makes a new one, which nobody holds).
            (folder / LOCK_NAME).unlink(missing_ok=True)
        os.close(handle)


def cannot_write(target: Path, error: OSError) -> ConfigError:
    """The one message for a file that could not be written (a full disk, a file-size
    limit, a read-only or failing disk, no permission): the file, why, and that the
    files already there are as they were."""
    return ConfigError(
        f"{display_path(target)}: cannot write it ({error.strerror or error}); nothing was "
        "replaced; check that the output folder is a folder you may write to, with space left"
    )


class Spilled:
    """Bytes waiting for `write_all` in an unnamed temporary file, not in memory: a build
    holds every file it makes until the last one is made (a hundred clinic editions are
    400 MB of PDFs). The file has no name, so nothing of it outlives the process."""

    def __init__(self, data: bytes, folder: Path, target: Path | None = None) -> None:
        """`folder`: where to keep it (the output folder's file system, not a /tmp in memory);
        `target`: the file it is for, named when it cannot be kept (a full disk)."""
        # Open as long as the bytes are wanted: `close` lets them go.
        try:
            self._file = tempfile.TemporaryFile(dir=_existing(folder))  # noqa: SIM115
        except OSError as error:
            raise cannot_write(target or folder, error) from None
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as error:
            self._file.close()
            raise cannot_write(target or folder, error) from None
        self.size = len(data)

    def copy_into(self, stream: Any) -> None:
        self._file.seek(0)
        shutil.copyfileobj(self._file, stream, 1 << 20)

    def close(self) -> None:
        """Let the bytes go (the file, having no name, is gone with them)."""
        self._file.close()


def _existing(folder: Path) -> Path:
    """`folder`, or the nearest folder above it that exists (nothing is created early)."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def write_all(targets: Sequence[tuple[Path, bytes | Spilled]]) -> None:
    """Replace every target with its bytes, all together or not at all."""
    new: list[tuple[Path, Path]] = []  # (new file, target)
    set_aside: list[tuple[Path, Path]] = []  # (old file, target)
    placed: list[Path] = []
    target = Path()
    try:
        for target, data in targets:
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(21, "a folder of that name is in the way")
            if target.is_symlink() or (target.exists() and not target.is_file()):
                # Never write through a link, nor replace /dev/stdout or a device by a file.
                raise IsADirectoryError(21, "a link or a device of that name is in the way")
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = _marked(target, NEW)
            with open(temp, "xb") as stream:
                new.append((temp, target))
                if isinstance(data, Spilled):
                    data.copy_into(stream)
                else:
                    stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o644)
        for temp, target in new:
            if target.exists():
                old = _marked(target, OLD)
                os.replace(target, old)
                set_aside.append((old, target))
            os.replace(temp, target)
            placed.append(target)
        for folder in {t.parent for _, t in new}:
            _sync_folder(folder)
    except BaseException as error:
        _roll_back(new, set_aside, placed)
        if isinstance(error, OSError):
            raise cannot_write(target, error) from None
        raise
    for old, _ in set_aside:
        old.unlink(missing_ok=True)


def _roll_back(
    new: Sequence[tuple[Path, Path]], set_aside: Sequence[tuple[Path, Path]], placed: list[Path]
) -> None:
    """Undo a write that failed half-way: new files out, old files back (each step on its
    own: one that fails does not stop the others; `recover` finishes the job later)."""
    for target in placed:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
    for old, target in set_aside:
        with contextlib.suppress(OSError):
            os.replace(old, target)
    for temp, _ in new:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
