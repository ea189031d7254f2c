"""Interface text: every language of the handbook has all of it, and all of it is usable.

Takes the parsed handbook and the theme; gives Problems for theme text that is not usable
and for required text a language lacks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import Handbook
from booklet.themes.interface_text import (
    LIST_NAMES,
    interface_text,
    missing_text,
    text_problem,
    untranslated,
)
from booklet.themes.theme import OPTIONAL_STRINGS, REQUIRED_STRINGS, Theme

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


def _strings_file(theme: Theme) -> Path:
    """The theme strings.toml a piece of interface text comes from (the most specific)."""
    for folder in theme.folders:
        if (folder / "strings.toml").is_file():
            return folder / "strings.toml"
    return theme.folders[-1] / "strings.toml"


def _strings_table(handbook: Handbook, lang: str) -> SourceLocation:
    """The line of `[strings.<lang>]` in handbook.toml, else the file."""
    try:
        lines = handbook.location.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return handbook.location
    header = re.compile(rf"^\s*\[\s*strings\.\"?{re.escape(lang)}\"?\s*\]")
    for number, line in enumerate(lines, start=1):
        if header.match(line):
            return SourceLocation(handbook.location.path, number)
    return handbook.location


def check_interface_text(under: UnderCheck) -> list[Problem]:
    return under.interface_problems


def interface_text_problems(handbook: Handbook, theme: Theme) -> list[Problem]:
    """Theme text that is not usable, and required text a language lacks."""
    problems = []
    for lang in handbook.languages:
        text = interface_text(handbook, theme, lang)
        for name, value in text.items():
            # The handbook's own [strings] were checked when parsed; this catches a theme's.
            problem = (
                text_problem(name, value)
                if name in (*REQUIRED_STRINGS, *OPTIONAL_STRINGS, *LIST_NAMES)
                else None
            )
            if problem:
                problems.append(
                    Problem(
                        SourceLocation(_strings_file(theme), 0),
                        f'interface text for "{lang}": {problem}',
                    )
                )
        todo = untranslated(text)
        if todo:
            problems.append(
                Problem(
                    _strings_table(handbook, lang),
                    f'interface text for "{lang}" is English marked "TODO: translate"; '
                    f"translate it in a [strings.{lang}] table in handbook.toml "
                    "(see docs/sources.md):" + "".join(f"\n  {name}" for name in todo),
                    Severity.WARNING,
                )
            )
        missing = missing_text(text)
        if missing:
            problems.append(
                Problem(
                    handbook.location,
                    f'no interface text for "{lang}": {", ".join(missing)}; add them to a '
                    f"[strings.{lang}] table in handbook.toml (see docs/sources.md)",
                )
            )
    return problems
