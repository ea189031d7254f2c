"""What the commands share: the handbooks a command works on, checked or parsed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import BookletError, ProblemsFound, Severity, display_path

if TYPE_CHECKING:
    from booklet.build import Checked
    from booklet.model import Handbook

DEFAULT_SOURCES = Path("sources")


def handbook_dirs(dirs: tuple[Path, ...]) -> list[Path]:
    from booklet.sources.files import find_handbooks

    return list(dirs) if dirs else find_handbooks(DEFAULT_SOURCES)


def known_handbooks() -> list[Path]:
    """The handbooks under ./sources, if any (for the places no writer may write to)."""
    from booklet.sources.files import find_handbooks

    try:
        return find_handbooks(DEFAULT_SOURCES) if DEFAULT_SOURCES.is_dir() else []
    except BookletError:
        return []


def one_handbook(handbook: Path | None, command: str) -> Path:
    """The handbook a command works on: the one named, else the only one under ./sources."""
    folders = handbook_dirs((handbook,) if handbook else ())
    if len(folders) > 1:
        names = ", ".join(display_path(folder) for folder in folders)
        raise BookletError(
            f"there are several handbooks ({names}); name the one to {command}, e.g. "
            f"booklet {command} {display_path(folders[0])}"
        )
    return folders[0]


def checked(folder: Path, strict: bool = False) -> Checked:
    """A handbook that passed its checks (warnings allowed unless `strict`)."""
    from booklet.build import check_folder
    from booklet.themes.theme import load_theme

    return check_folder(folder, load_theme(), date.today(), strict)


def parsed(folder: Path) -> Handbook:
    """A handbook that parses (its translations may be stale or missing)."""
    from booklet.sources.files import load_handbook
    from booklet.sources.handbook import parse_handbook

    handbook, problems = parse_handbook(load_handbook(folder))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ProblemsFound(handbook.root, errors)
    return handbook


def read_input(path: Path) -> bytes:
    """A file named on the command line (an exchange file, a PDF), or a BookletError. A
    pipe or device is refused: reading one would wait for input that never comes."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise BookletError(
            f"{display_path(path)}: not a regular file (a pipe or a device); name a file"
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise BookletError(
            f"{display_path(path)}: cannot read it ({error.strerror or error}); check the name"
        ) from None
