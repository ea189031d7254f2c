"""`booklet kit`: every file a clinic hands out, with an offline index, in one ZIP."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.cli.boundary import echo_problems
from booklet.cli.options import clinic_ids, clinic_option, jobs_option, out_option, theme_option
from booklet.cli.progress import made as finished
from booklet.cli.progress import starting
from booklet.errors import display_path
from booklet.text.terminal import terminal_safe

if TYPE_CHECKING:
    from booklet.build.kit import Kit


@click.command()
@click.argument("handbook", type=click.Path(path_type=Path, file_okay=False))
@clinic_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The ZIP to write. Default: output/<id>/<id>-kit.zip, or "
    "output/<id>/<clinic>/<id>-<clinic>-kit.zip for a clinic edition.",
)
@out_option
@jobs_option
@theme_option
def kit(
    handbook: Path,
    clinics: tuple[str, ...],
    output: Path | None,
    out_dir: Path,
    jobs: int | None,
    themes: tuple[Path, ...],
) -> None:
    """Make the distribution kit of a handbook: one ZIP to copy to a USB stick or send
    to a phone.

    It holds the reading PDFs, the fold-and-staple booklet with its printing sheet, the
    large-print PDF, the EPUB, the editions in each language, an index.html that opens
    offline, a README.txt and a SHA256SUMS file (`sha256sum -c SHA256SUMS`). With
    --clinic, one kit per clinic, with that clinic's details in every file. The files are
    built into OUT/<id>/ first, with the build cache: those already built are not made
    again.
    """
    from booklet.build import build_time, check_folder, finish_build
    from booklet.build.kit import kit_plans, pack_kits
    from booklet.build.made import check_may_write, protected_places
    from booklet.build.run import start_builds
    from booklet.build.workers import renderer, usable_cpus
    from booklet.themes.theme import load_theme

    started = time.perf_counter()
    theme = load_theme(themes)
    checked = check_folder(handbook, theme, date.today(), strict=False)
    book = checked.handbook
    chosen = clinic_ids(book, clinics)
    if output is not None and len(chosen) > 1:
        raise click.BadParameter(
            f"{len(chosen)} clinics make {len(chosen)} kits, and -o names one file; "
            "leave -o out (each kit goes to output/<id>/<clinic>/) or ask for one clinic",
            param_hint="'-o'",
        )
    places = protected_places([handbook])  # never written into, nor over others' files
    if output is not None:
        check_may_write(output, "-o", places, out_dir, book.id)
    created = build_time()
    echo_problems(checked.warnings)
    click.echo(f"{book.id}:")
    with renderer(jobs or usable_cpus()) as workers:
        job = start_builds(checked, theme, kit_plans(book, out_dir, chosen), created, workers)
        outputs = finish_build(job, starting, finished)
    kits = pack_kits(
        book, theme, outputs, chosen, created, out_dir, places, output, starting, said_kit
    )
    written = [kit.path for kit in kits]
    seconds = time.perf_counter() - started
    where = ", ".join(display_path(path) for path in written)
    s = "s" if len(written) != 1 else ""
    click.echo(terminal_safe(f"Made {len(written)} kit{s} in {seconds:.1f} s: {where}"))


def said_kit(kit: Kit) -> None:
    """The end of a kit's progress line: its files and size."""
    click.echo(f"{kit.files} files, {kit.size / 1_000_000:.1f} MB")
