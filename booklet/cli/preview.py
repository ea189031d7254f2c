"""`booklet preview`: PNG pages and a contact sheet of one PDF of a handbook."""

from __future__ import annotations

from pathlib import Path

import click

from booklet.cli.boundary import echo_problems
from booklet.cli.handbooks import one_handbook
from booklet.cli.options import out_option, page_range, theme_option
from booklet.errors import display_path
from booklet.text.terminal import terminal_safe
from booklet.vocabulary import PAPERS, Layout


@click.command()
@click.argument("handbook", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    type=click.Choice([layout.value for layout in Layout]),
    default="parallel",
    show_default=True,
    help="The layout to preview.",
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPERS)),
    default=None,
    help="The paper size. Default: [build] paper in handbook.toml, else a5.",
)
@click.option(
    "--pages",
    "pages",
    default=None,
    callback=page_range,
    metavar="RANGE",
    help="Pages to draw: one (3), a range (1-8) or a range to the end (5-). Default: all.",
)
@out_option
@theme_option
def preview(
    handbook: Path | None,
    layout: str,
    paper: str | None,
    pages: tuple[int, int | None],
    out_dir: Path,
    themes: tuple[Path, ...],
) -> None:
    """See a handbook's pages as PNG pictures, without a PDF viewer.

    Checks HANDBOOK (default: the one handbook under ./sources), makes its PDF in memory
    and writes OUT/<id>/preview/<name>-page-NN.png for each page and
    <name>-contact-sheet.png with every page as the book opens. Prints the paths; opens
    nothing, and writes no PDF.
    """
    from datetime import date

    from booklet.build import BuildPlan, build_time, check_folder, preview_handbook
    from booklet.build.made import record_written
    from booklet.themes.theme import load_theme
    from booklet.vocabulary import OutputFormat

    folder = one_handbook(handbook, "preview")
    theme = load_theme(themes)
    checked = check_folder(folder, theme, date.today(), strict=False)
    echo_problems(checked.warnings)
    plan = BuildPlan([Layout(layout)], [paper] if paper else [], [OutputFormat("pdf")], out_dir)
    paths = preview_handbook(checked, theme, plan, build_time(), pages)
    record_written(out_dir, checked.handbook.id, paths)
    for path in paths[:-1]:
        click.echo(terminal_safe(display_path(path)))
    click.echo(terminal_safe(f"Contact sheet: {display_path(paths[-1])}"))
