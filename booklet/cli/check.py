"""`booklet check`: every problem of every handbook, without building."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from booklet.cli.boundary import echo_problems
from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import theme_option
from booklet.errors import BookletError, ProblemsFound, SeveralErrors, display_path


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@theme_option
def check(handbooks: tuple[Path, ...], strict: bool, themes: tuple[Path, ...]) -> None:
    """Check handbooks without building them.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    checked. Every problem is listed as path:line: what is wrong.
    """

    from booklet.build import check_folder
    from booklet.themes.theme import load_theme

    theme = load_theme(themes)
    failed: list[BookletError] = []
    for folder in handbook_dirs(handbooks):
        try:
            checked = check_folder(folder, theme, date.today(), strict)
        except ProblemsFound as error:
            failed.append(error)
            continue
        echo_problems(checked.warnings)
        warned = len(checked.warnings)
        extra = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
        click.echo(f"{display_path(folder)}: ok{extra}")
    if failed:
        raise SeveralErrors(failed)
