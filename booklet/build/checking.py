"""A handbook checked before anything is built, and the build's time.

Takes a handbook folder, a theme and today's date; gives a `Checked` handbook (with the
font faces its languages use and its warnings), or raises `ProblemsFound` listing every
problem at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from booklet.checks import check_handbook
from booklet.checks.glyphs import font_families
from booklet.errors import ConfigError, Problem, ProblemsFound, Severity
from booklet.law.citations import with_digits
from booklet.model import Handbook
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.fonts import FontFace, find_faces
from booklet.themes.theme import Theme


@dataclass(frozen=True)
class Checked:
    """A handbook that passed its checks, with what rendering needs."""

    handbook: Handbook
    faces: dict[str, FontFace | None]
    warnings: list[Problem]


def check_folder(folder: Path, theme: Theme, today: date, strict: bool) -> Checked:
    """Load, parse and check a handbook; raise ProblemsFound listing every problem."""
    source = load_handbook(folder)
    handbook, problems = parse_handbook(source)
    # Citations in the digits the theme gives each language, checked (glyphs) as printed.
    chosen = handbook.numerals
    handbook = with_digits(handbook, lambda tag: theme.digits(tag, chosen))
    faces: dict[str, FontFace | None] = {}
    if handbook.languages:
        # Checked even after parse errors, so one run lists everything there is to fix.
        faces = dict(find_faces(font_families(handbook, theme)))
        problems += check_handbook(handbook, theme, faces, today)
    stopping = [p for p in problems if strict or p.severity is Severity.ERROR]
    if stopping:
        raise ProblemsFound(source.root, problems)
    return Checked(handbook, faces, problems)


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        when = datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        when = None
    # ZIP files (the EPUB) can hold dates from 1980 to 2107 only.
    if when is None or not 1980 <= when.year <= 2107:
        raise ConfigError(
            f'SOURCE_DATE_EPOCH="{epoch}" is not a number of seconds since 1970 for a date '
            "from 1980 to 2107; unset it or set it to e.g. 1767225600"
        )
    return when


def reproducible() -> bool:
    """Whether SOURCE_DATE_EPOCH fixes the build time."""
    return "SOURCE_DATE_EPOCH" in os.environ
