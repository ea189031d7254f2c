"""`booklet kit`: every file a clinic hands out, with an offline index, in one ZIP."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click

from booklet.cli.boundary import echo_problems
from booklet.cli.options import clinic_ids, clinic_option, out_option, theme_option
from booklet.cli.progress import made as finished
from booklet.cli.progress import starting
from booklet.errors import display_path
from booklet.vocabulary import EVERYDAY_LAYOUT, LARGE_PRINT_LAYOUTS, Edition, Layout, OutputFormat


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
@theme_option
def kit(
    handbook: Path,
    clinics: tuple[str, ...],
    output: Path | None,
    out_dir: Path,
    themes: tuple[Path, ...],
) -> None:
    """Make the distribution kit of a handbook: one ZIP to copy to a USB stick or send
    to a phone.

    It holds the reading PDFs, the fold-and-staple booklet with its printing sheet, the
    large-print PDF, the EPUB, the editions in each language, an index.html that opens
    offline, a README.txt and a SHA256SUMS file (`sha256sum -c SHA256SUMS`). With
    --clinic, one kit per clinic, with that clinic's details in every file.
    """
    from booklet.build import BuildPlan, Made, build_time, check_folder, render_outputs
    from booklet.build.made import check_may_write, protected_places, record_written
    from booklet.build.transaction import output_lock, write_all
    from booklet.outputs.kit import KitFile, make_kit
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

    written = []
    editions_asked: list[str | None] = list(chosen)
    for clinic_id in editions_asked or [None]:
        clinic = next((c for c in book.clinics if c.id == clinic_id), None)
        editions = [clinic_id] if clinic_id else []
        plans = [
            BuildPlan(list(Layout), (), [OutputFormat.PDF, OutputFormat.EPUB], out_dir,
                      impose=True, imposed_layouts=[EVERYDAY_LAYOUT], clinics=editions),
            BuildPlan([LARGE_PRINT_LAYOUTS[0]], (), [OutputFormat.PDF], out_dir,
                      edition=Edition.LARGE_PRINT, clinics=editions),
        ]  # fmt: skip
        if len(book.languages) > 1:
            plans.append(BuildPlan([], (), [OutputFormat.PDF, OutputFormat.EPUB], out_dir,
                                   clinics=editions, languages=book.languages))  # fmt: skip
        made: list[Made] = []
        for plan in plans:
            made += render_outputs(checked, theme, plan, created, starting, finished)
        files = [
            KitFile(item.path.name, item.data, item.output.purpose, item.output.pages,
                    item.output.language, item.output.edition)
            for item in made
        ]  # fmt: skip
        name = f"{book.id}-{clinic_id}" if clinic_id else book.id
        target = output or (out_dir / book.id / (clinic_id or "") / f"{name}-kit.zip")
        starting(f"{target.name} (kit)")
        data = make_kit(book, theme, files, f"{name}-kit", created, clinic)
        with output_lock(target.parent):
            check_may_write(target, "-o" if output else "the kit", places, out_dir, book.id)
            write_all([(target, data)])
        record_written(out_dir, book.id, [target])
        click.echo(f"{len(files) + 3} files, {len(data) / 1_000_000:.1f} MB")
        written.append(target)
    seconds = time.perf_counter() - started
    where = ", ".join(display_path(path) for path in written)
    click.echo(f"Made {len(written)} kit{'s' if len(written) != 1 else ''} in {seconds:.1f} s: "
               f"{where}")  # fmt: skip
