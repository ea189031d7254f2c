"""`booklet doctor`: is this machine ready to build handbooks, and what to install if not."""

from __future__ import annotations

import platform
from importlib.metadata import version
from pathlib import Path

import click

from booklet.cli.handbooks import DEFAULT_SOURCES
from booklet.cli.options import theme_option
from booklet.errors import BookletError, display_path


def _languages(handbooks: tuple[Path, ...]) -> tuple[list[str], list[Path]]:
    """The languages of the handbooks named (or under ./sources, when there is one)."""
    from booklet.sources.files import find_handbooks, load_handbook

    folders = list(handbooks)
    if not folders and DEFAULT_SOURCES.is_dir():
        try:
            folders = find_handbooks(DEFAULT_SOURCES)
        except BookletError:
            folders = []
    languages: list[str] = []
    for folder in folders:
        try:
            declared = load_handbook(folder).manifest.data.get("languages", [])
        except BookletError:
            continue  # `booklet check` says what is wrong with it
        languages += [tag for tag in declared if isinstance(tag, str)]
    return list(dict.fromkeys(languages)), folders


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@theme_option
def doctor(handbooks: tuple[Path, ...], themes: tuple[Path, ...]) -> None:
    """Check that this machine can build handbooks, and say what to install.

    Reports the WeasyPrint and Pango versions, each font family the theme names (found,
    or missing with the package that provides it) and Java for EPUBCheck. Fonts count
    as needed for the languages of HANDBOOKS (default: the handbooks under ./sources)
    and Latin text; exit 1 when something needed is missing.
    """
    from booklet.outputs.environment import survey
    from booklet.themes.theme import load_theme

    languages, folders = _languages(handbooks)
    click.echo(f"booklet {version('booklet')}, Python {platform.python_version()}")
    if folders:
        click.echo(
            f"Fonts needed for {', '.join(display_path(f) for f in folders)}: "
            f"{', '.join(languages) or 'Latin text'}"
        )
    missing = 0
    for finding in survey(load_theme(themes), languages):
        if finding.found is not None:
            click.echo(f"  ok       {finding.what}: {finding.found}")
            continue
        status = "MISSING " if finding.needed else "missing "
        missing += finding.needed
        click.echo(f"  {status} {finding.what}: {finding.fix}")
    if missing:
        raise BookletError(
            f"{missing} thing{'s' if missing != 1 else ''} booklet needs "
            f"{'are' if missing != 1 else 'is'} missing (MISSING above); install "
            f"{'them' if missing != 1 else 'it'}, then run booklet doctor again"
        )
    click.echo("Everything booklet needs is installed.")
