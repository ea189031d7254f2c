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

from booklet.errors import BookletError, Problem, ProblemsFound, display_path
from booklet.paper import PAPERS

DEFAULT_SOURCES = Path("sources")
DEFAULT_OUT = Path("output")
LAYOUT_NAMES = ("parallel", "interleaved", "sequential")  # booklet.render.LAYOUTS, unimported
FORMAT_NAMES = ("pdf", "epub")


def _handbook_dirs(dirs: tuple[Path, ...]) -> list[Path]:
    from booklet.load import find_handbooks

    return list(dirs) if dirs else find_handbooks(DEFAULT_SOURCES)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _formats(value: str) -> list[str]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in FORMAT_NAMES]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r} is not a format; use pdf, epub or pdf,epub"
        )
    return list(dict.fromkeys(chosen))


def _run(action: Callable[[], None]) -> None:
    """Call `action`, turning BookletErrors into a message and exit code 1."""
    try:
        action()
    except ProblemsFound as error:
        _print_problems(error.problems)
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except BookletError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


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
        from booklet.theme import load_theme

        theme = load_theme(themes)
        failed = 0
        for folder in _handbook_dirs(handbooks):
            try:
                checked = check_folder(folder, theme, date.today(), strict)
            except ProblemsFound as error:
                _print_problems(error.problems)
                click.echo(f"Error: {error}", err=True)
                failed += 1
                continue
            _print_problems(checked.warnings)
            warned = len(checked.warnings)
            extra = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
            click.echo(f"{display_path(folder)}: ok{extra}")
        if failed:
            sys.exit(1)

    _run(action)


@main.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    type=click.Choice(LAYOUT_NAMES),
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
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings.")
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
    strict: bool,
    themes: tuple[Path, ...],
) -> None:
    """Check and build handbooks into PDF and EPUB files.

    HANDBOOKS are handbook folders; without any, every handbook under ./sources is
    built. Writes OUT/<id>/<id>-<layout>-<paper>.pdf and OUT/<id>/<id>.epub. Nothing
    is replaced unless every file of a handbook was made.
    """
    chosen_formats = _formats(formats)

    def action() -> None:
        from booklet.build import BuildPlan, Output, build_handbook, build_time, check_folder
        from booklet.theme import load_theme

        started = time.perf_counter()
        theme = load_theme(themes)
        plan = BuildPlan(layouts or LAYOUT_NAMES, papers, chosen_formats, out_dir)
        created = build_time()
        checked = []
        failed = False
        for folder in _handbook_dirs(handbooks):
            try:
                checked.append(check_folder(folder, theme, date.today(), strict))
            except ProblemsFound as error:
                _print_problems(error.problems)
                click.echo(f"Error: {error}", err=True)
                failed = True
        if failed:
            click.echo("Nothing was built; fix the problems above and build again.", err=True)
            sys.exit(1)
        total: list[Output] = []
        for item in checked:
            _print_problems(item.warnings)
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

    _run(action)


if __name__ == "__main__":  # pragma: no cover
    main()
