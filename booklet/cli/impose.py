"""`booklet impose`: any PDF as a fold-and-staple booklet."""

from __future__ import annotations

from pathlib import Path

import click

from booklet.cli.handbooks import known_handbooks, read_input
from booklet.cli.options import imposition_options, length_mm
from booklet.errors import BookletError, display_path
from booklet.text.terminal import terminal_safe


@click.command("impose")
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the booklet. Default: beside PDF, named <name>-booklet.pdf.",
)
@imposition_options
@click.option(
    "--back-cover/--no-back-cover",
    default=True,
    show_default=True,
    help="Treat the last page as the back cover: blank pages go before it, not after.",
)
def impose_command(
    pdf: Path,
    output: Path | None,
    signature: int | None,
    creep: str,
    fold_mark: bool,
    back_cover: bool,
) -> None:
    """Impose any PDF as a booklet: two pages per sheet, in fold-and-staple order.

    A5 pages go on A4 landscape (A6 on A5, half-letter on letter; other sizes side by
    side). Print the result on both sides, flip on short edge, at actual size; fold the
    stack in the middle and staple on the fold.
    """
    creep_mm = length_mm(creep)

    from booklet.build.made import check_may_write, protected_places
    from booklet.build.transaction import write_all
    from booklet.outputs.impose import impose_booklet

    target = output or pdf.with_name(pdf.stem + "-booklet.pdf")
    data = read_input(pdf)
    if target.resolve() == pdf.resolve():
        raise BookletError(
            f"{display_path(target)}: this is the PDF being imposed; write the booklet to "
            "another file with -o"
        )
    places = protected_places(known_handbooks())
    check_may_write(target, "-o" if output else "the booklet", places)
    try:
        imposed = impose_booklet(data, signature, creep_mm, fold_mark, back_cover)
    except BookletError as error:
        raise BookletError(f"{display_path(pdf)}: {error}") from None
    write_all([(target, imposed.pdf)])
    width, height = imposed.sheet_size_mm
    click.echo(
        terminal_safe(
            f"{display_path(target)}: {imposed.sheets} sheets of {width:g} x {height:g} mm "
            f"({imposed.signatures} stapled set{'s' if imposed.signatures != 1 else ''}, "
            f"{imposed.blanks} blank pages added); print duplex, flip on short edge, "
            "actual size"
        )
    )
    if imposed.mixed_sizes:
        click.echo(
            "warning: the pages are not all one size; each is centred on its half of a "
            "sheet sized for the first page",
            err=True,
        )
