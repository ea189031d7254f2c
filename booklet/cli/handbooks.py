"""What the command groups share: finding handbooks, printing problems, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.errors import BookletError, Problem, ProblemsFound, Severity

if TYPE_CHECKING:
    from booklet.build import Checked
    from booklet.model import Handbook

DEFAULT_SOURCES = Path("sources")


def handbook_dirs(dirs: tuple[Path, ...]) -> list[Path]:
    from booklet.sources.files import find_handbooks

    return list(dirs) if dirs else find_handbooks(DEFAULT_SOURCES)


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def run(action: Callable[[], None]) -> None:
    """Call `action`, turning BookletErrors into a message and exit code 1."""
    try:
        action()
    except ProblemsFound as error:
        print_problems(error.problems)
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except BookletError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


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
