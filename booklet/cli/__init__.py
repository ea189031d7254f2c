"""The `booklet` command: a thin Click layer over booklet.build.

It parses options, prints progress and problems, and maps errors to exit codes:
0 success, 1 a problem the user can fix (printed without a traceback), 2 bad usage.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from booklet.cli.handbooks import handbook_dirs, print_problems, run
from booklet.cli.translations import translations
from booklet.errors import BookletError, ProblemsFound, display_path
from booklet.vocabulary import (
    LARGE_PRINT_LAYOUTS,
    PAPERS,
    Edition,
    Layout,
    OutputFormat,
)

DEFAULT_OUT = Path("output")
_LENGTH_UNITS_MM = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72, "in": 25.4}


def _length_mm(value: str) -> float:
    """`0.2mm`, `0.5pt`, `0.01in` or a bare number of millimetres."""
    text = value.strip().lower()
    unit = next((u for u in _LENGTH_UNITS_MM if text.endswith(u)), "mm")
    number = text.removesuffix(unit).strip()
    try:
        length = float(number) * _LENGTH_UNITS_MM[unit]
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a length; write e.g. 0.2mm, 0.5pt or 0.01in"
        ) from None
    if not 0 <= length <= 5:
        raise click.BadParameter(f"{value!r}: creep must be between 0 and 5 mm per sheet")
    return length


def _multiple_of_four(_ctx: object, _param: object, value: int | None) -> int | None:
    if value is not None and value % 4:
        raise click.BadParameter(f"{value}: a signature holds a multiple of 4 pages (4, 8, 12...)")
    return value


def _imposition_options(command: Callable[..., None]) -> Callable[..., None]:
    """Options shared by `build --impose booklet` and `impose`."""
    command = click.option(
        "--signature",
        type=click.IntRange(min=4),
        default=None,
        callback=_multiple_of_four,
        help="Pages per signature (a multiple of 4). Default: one signature up to 40 pages, "
        "so an office stapler goes through it; longer books are split evenly.",
    )(command)
    command = click.option(
        "--creep",
        default="0",
        show_default=True,
        help="Creep compensation per sheet (e.g. 0.2mm): inner pages move towards the fold.",
    )(command)
    command = click.option(
        "--fold-mark/--no-fold-mark",
        default=True,
        show_default=True,
        help="Draw short fold marks at the middle of each sheet.",
    )(command)
    return command


def _formats(value: str) -> list[OutputFormat]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in list(OutputFormat)]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r} is not a format; use pdf, epub or pdf,epub"
        )
    return [OutputFormat(name) for name in dict.fromkeys(chosen)]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booklet")
def main() -> None:
    """Publish bilingual legal-aid handbooks as printable PDF and EPUB, offline.

    Write a handbook as Markdown in sources/<handbook>/<language>/, then run
    `booklet check` to find problems and `booklet build` to make the files in output/.
    """


@main.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A theme folder whose templates, CSS and settings override the default theme.",
)
def check(handbooks: tuple[Path, ...], strict: bool, themes: tuple[Path, ...]) -> None:
    """Check handbooks without building them.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    checked. Every problem is listed as path:line: what is wrong.
    """

    def action() -> None:
        from booklet.build import check_folder
        from booklet.themes.theme import load_theme

        theme = load_theme(themes)
        failed = 0
        for folder in handbook_dirs(handbooks):
            try:
                checked = check_folder(folder, theme, date.today(), strict)
            except ProblemsFound as error:
                print_problems(error.problems)
                click.echo(f"Error: {error}", err=True)
                failed += 1
                continue
            print_problems(checked.warnings)
            warned = len(checked.warnings)
            extra = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
            click.echo(f"{display_path(folder)}: ok{extra}")
        if failed:
            sys.exit(1)

    run(action)


@main.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    type=click.Choice([layout.value for layout in Layout]),
    help="PDF layout; repeat for several. Default: all three.",
)
@click.option(
    "--paper",
    "papers",
    multiple=True,
    type=click.Choice(list(PAPERS)),
    help="Paper size; repeat for several. Default: [build] paper in handbook.toml, else a5.",
)
@click.option(
    "--format",
    "formats",
    default="pdf,epub",
    show_default=True,
    help="What to make: pdf, epub, or both separated by a comma.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder; each handbook gets its own folder inside it.",
)
@click.option(
    "--edition",
    type=click.Choice([edition.value for edition in Edition]),
    default="standard",
    show_default=True,
    help="large-print: A4, 16 pt sans serif, left-aligned, no side-by-side columns.",
)
@click.option(
    "--print-shop",
    is_flag=True,
    help="For a print shop: 3 mm bleed, crop marks, TrimBox/BleedBox, K-only black.",
)
@click.option(
    "--impose",
    type=click.Choice(["booklet"]),
    default=None,
    help="Also write each PDF imposed two-up as a fold-and-staple booklet "
    "(<name>-booklet.outputs.pdf) and a printing sheet with instructions.",
)
@_imposition_options
@click.option(
    "--proof",
    is_flag=True,
    help="Also make the translator's proof: parallel, unit ids in the margin, stale "
    "translations marked with a change bar, missing ones with a placeholder.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse to build when there are warnings (stale or missing translations too).",
)
@click.option(
    "--theme",
    "themes",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A theme folder whose templates, CSS and settings override the default theme.",
)
def build(
    handbooks: tuple[Path, ...],
    layouts: tuple[str, ...],
    papers: tuple[str, ...],
    formats: str,
    out_dir: Path,
    edition: str,
    print_shop: bool,
    impose: str | None,
    signature: int | None,
    creep: str,
    fold_mark: bool,
    proof: bool,
    strict: bool,
    themes: tuple[Path, ...],
) -> None:
    """Check and build handbooks into PDF and EPUB files.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    built. Writes OUT/<id>/<id>-<layout>-<paper>.pdf and OUT/<id>/<id>.epub. Nothing
    is replaced unless every file of a handbook was made.
    """
    chosen_formats = _formats(formats)
    creep_mm = _length_mm(creep)
    if edition == "large-print":
        if "parallel" in layouts:
            raise click.BadParameter(
                "the large-print edition has no parallel layout (two columns of 16 pt type "
                "are too narrow); use --layout interleaved or --layout sequential",
                param_hint="'--layout'",
            )
        layouts = layouts or LARGE_PRINT_LAYOUTS
    if impose and "pdf" not in chosen_formats:
        raise click.BadParameter(
            "--impose booklet imposes the PDF; add pdf to --format", param_hint="'--impose'"
        )
    if impose and print_shop:
        raise click.BadParameter(
            "a print shop imposes the pages itself; build --print-shop without --impose",
            param_hint="'--impose'",
        )

    def action() -> None:
        from booklet.build import BuildPlan, Output, build_handbook, build_time, check_folder
        from booklet.themes.theme import load_theme

        started = time.perf_counter()
        theme = load_theme(themes)
        plan = BuildPlan(
            [Layout(name) for name in layouts] or list(Layout),
            papers,
            chosen_formats,
            out_dir,
            edition=Edition(edition),
            print_shop=print_shop,
            impose=impose == "booklet",
            signature=signature,
            creep_mm=creep_mm,
            fold_marks=fold_mark,
            proof=proof,
        )
        created = build_time()
        checked = []
        failed = False
        for folder in handbook_dirs(handbooks):
            try:
                checked.append(check_folder(folder, theme, date.today(), strict))
            except ProblemsFound as error:
                print_problems(error.problems)
                click.echo(f"Error: {error}", err=True)
                failed = True
        if failed:
            click.echo("Nothing was built; fix the problems above and build again.", err=True)
            sys.exit(1)
        total: list[Output] = []
        for item in checked:
            print_problems(item.warnings)
            click.echo(f"{item.handbook.id}:")

            def progress(what: str) -> None:
                click.echo(f"  {what} ... ", nl=False)

            def done(output: Output) -> None:
                pages = f"{output.pages} pages, " if output.pages else ""
                click.echo(f"{pages}{output.size / 1024:.0f} KB, {output.seconds:.1f} s")
                for note in output.notes:
                    click.echo(f"      {note}")

            total += build_handbook(item, theme, plan, created, progress, done)
        seconds = time.perf_counter() - started
        count = len(checked)
        click.echo(
            f"Built {len(total)} file{'s' if len(total) != 1 else ''} for {count} "
            f"handbook{'s' if count != 1 else ''} in {seconds:.1f} s into "
            f"{display_path(out_dir)}/"
        )

    run(action)


@main.command("impose")
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the booklet. Default: beside PDF, named <name>-booklet.outputs.pdf.",
)
@_imposition_options
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
    creep_mm = _length_mm(creep)

    def action() -> None:
        from booklet.build import write_all
        from booklet.outputs.impose import impose_booklet

        target = output or pdf.with_name(pdf.stem + "-booklet.outputs.pdf")
        try:
            imposed = impose_booklet(pdf.read_bytes(), signature, creep_mm, fold_mark, back_cover)
        except BookletError as error:
            raise BookletError(f"{display_path(pdf)}: {error}") from None
        write_all([(target, imposed.pdf)])
        width, height = imposed.sheet_size_mm
        click.echo(
            f"{display_path(target)}: {imposed.sheets} sheets of {width:g} x {height:g} mm "
            f"({imposed.signatures} stapled set{'s' if imposed.signatures != 1 else ''}, "
            f"{imposed.blanks} blank pages added); print duplex, flip on short edge, "
            "actual size"
        )
        if imposed.mixed_sizes:
            click.echo(
                "warning: the pages are not all one size; each is centred on its half of a "
                "sheet sized for the first page",
                err=True,
            )

    run(action)


main.add_command(translations)


if __name__ == "__main__":  # pragma: no cover
    main()
