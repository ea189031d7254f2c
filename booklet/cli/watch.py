"""`booklet watch`: rebuild a handbook each time one of its files is saved."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import click

from booklet.cli.boundary import echo_problems, echo_report, quiet_option
from booklet.cli.handbooks import one_handbook
from booklet.cli.options import out_option, output_formats, papers_option, theme_option
from booklet.cli.progress import silent
from booklet.errors import BookletError, ProblemsFound, display_path
from booklet.text.terminal import terminal_safe
from booklet.vocabulary import Layout


def _stamp() -> str:
    return datetime.now().strftime("%H:%M:%S")


@click.command()
@click.argument("handbook", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    type=click.Choice([layout.value for layout in Layout]),
    help="PDF layout to rebuild; repeat for several. Default: parallel.",
)
@papers_option
@click.option(
    "--format",
    "formats",
    default="pdf",
    show_default=True,
    help="What to rebuild: pdf, epub, or both separated by a comma.",
)
@out_option
@quiet_option
@theme_option
def watch(
    handbook: Path | None,
    layouts: tuple[str, ...],
    papers: tuple[str, ...],
    formats: str,
    out_dir: Path,
    quiet: bool,
    themes: tuple[Path, ...],
) -> None:
    """Rebuild a handbook each time you save one of its files; Ctrl-C stops.

    Watches HANDBOOK (default: the one handbook under ./sources), its statute registry,
    its clinic directory and the --theme folders. Each save checks and rebuilds (one
    parallel PDF unless told otherwise) and prints the problems found; the last good
    files stay in place while there are errors.
    """
    import watchfiles

    from booklet.build import BuildPlan, build_handbook, build_time, check_folder
    from booklet.sources.files import load_handbook
    from booklet.themes.theme import load_theme

    folder = one_handbook(handbook, "watch")
    plan = BuildPlan(
        [Layout(name) for name in layouts] or [Layout("parallel")],
        papers,
        output_formats(formats),
        out_dir,
    )
    source = load_handbook(folder)
    watched = [source.root, *(p for p in (source.laws_dir, source.clinics_dir) if p)]
    watched += [theme.resolve() for theme in themes]
    output = out_dir.resolve()

    def wanted(_change: watchfiles.Change, path: str) -> bool:
        # Not our own writes: the output folder, and the transaction's temporary files.
        place = Path(path)
        return not place.is_relative_to(output) and not place.name.startswith(".booklet-")

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            theme = load_theme(themes)
            checked = check_folder(folder, theme, date.today(), strict=False)
            echo_problems(checked.warnings)
            made = build_handbook(checked, theme, plan, build_time(), silent, silent, by_parts=True)
        except ProblemsFound as error:
            echo_problems(error.problems)
            click.echo(
                terminal_safe(f"[{_stamp()}] not rebuilt: {error}; fix and save again"), err=True
            )
            return
        except BookletError as error:
            echo_report(error)
            click.echo(f"[{_stamp()}] not rebuilt; fix and save again", err=True)
            return
        if not quiet:
            count = len(made)
            click.echo(
                f"[{_stamp()}] built {count} file{'s' if count != 1 else ''} in "
                f"{time.perf_counter() - started:.1f} s: "
                f"{', '.join(display_path(o.path) for o in made)}"
            )

    shown = ", ".join(display_path(path) for path in watched)
    try:
        rebuild()
        if not quiet:
            click.echo(f"Watching {shown} for changes; press Ctrl-C to stop.")
        for changes in watchfiles.watch(*watched, watch_filter=wanted, debounce=300):
            if not quiet:
                names = sorted({display_path(Path(path)) for _, path in changes})
                click.echo(f"[{_stamp()}] changed: {', '.join(names)}")
            rebuild()
    except KeyboardInterrupt:
        # Any write under way was rolled back by the transaction.
        click.echo("Stopped watching.")
