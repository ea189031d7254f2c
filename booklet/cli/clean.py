"""`booklet clean`: remove what booklet made for handbooks, so no stale edition is printed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.build.cache import CACHE_FOLDER
from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import out_option, theme_option

if TYPE_CHECKING:
    from booklet.build.clean import Cleaning


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@out_option
@click.option(
    "--stale",
    is_flag=True,
    help="Remove only the files made from older sources (whose revision is not the one "
    "the sources give now); see booklet identify.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the files that would be removed, and remove nothing.",
)
@theme_option
def clean(
    handbooks: tuple[Path, ...],
    out_dir: Path,
    stale: bool,
    dry_run: bool,
    themes: tuple[Path, ...],
) -> None:
    """Remove the PDFs, EPUBs, kits and previews booklet made for handbooks (OUT/<id>/...).

    HANDBOOKS default to every handbook under ./sources. Only files booklet made go, as
    its build record lists them and with the bytes it wrote: your own files, a renamed
    or edited copy, and anything reached through a link stay, and are counted.
    """
    from booklet.build.clean import check_clean_out, clean_outputs
    from booklet.build.made import protected_places
    from booklet.errors import display_path

    folders = handbook_dirs(handbooks)
    ids = [folder_id(folder) for folder in folders]  # every one checked before any goes
    check_clean_out(out_dir, protected_places(folders))
    for folder, handbook_id in zip(folders, ids, strict=True):
        only = _stale_of(folder, handbook_id, out_dir, themes) if stale else None
        done = clean_outputs(out_dir, handbook_id, dry_run, only)
        if done.linked:
            linked = "a link to another folder; booklet removes nothing through a link"
            click.echo(f"{display_path(done.folder)}: {linked}, so nothing was removed")
            continue
        for path in done.removed if dry_run else ():
            click.echo(display_path(path))
        click.echo(f"{display_path(done.folder)}: {_summary(done, dry_run, stale)}")


def folder_id(folder: Path) -> str:
    """A handbook's id: its folder's name, checked (booklet.sources.files)."""
    from booklet.sources.files import load_handbook

    return load_handbook(folder).name


def _stale_of(folder: Path, handbook_id: str, out_dir: Path, themes: tuple[Path, ...]) -> set[Path]:
    """The files booklet made for a handbook from older sources."""
    from booklet.build.stale import stale_files
    from booklet.sources.files import load_handbook
    from booklet.sources.handbook import parse_handbook
    from booklet.sources.revision import copy_revision
    from booklet.themes.theme import load_theme

    revision = copy_revision(parse_handbook(load_handbook(folder))[0], load_theme(themes))
    return {item.path for item in stale_files(out_dir, handbook_id, revision)}


def _summary(done: Cleaning, dry_run: bool, stale: bool) -> str:
    """`3 files removed; 2 files booklet did not make were left`."""
    count, what = len(done.removed), "stale " if stale else ""
    if dry_run:
        said = [f"{count} {what}file{'s' if count != 1 else ''} would be removed"]
    elif count:
        said = [f"{count} {what}file{'s' if count != 1 else ''} removed"]
    else:
        said = [f"no {what}file to remove" if stale else "nothing to remove"]
    reasons = (
        (done.foreign, "booklet did not make"),
        (done.changed, "changed since booklet made them"),
    )
    for left, why in reasons:
        if left:
            was = "would be" if dry_run else ("was" if len(left) == 1 else "were")
            said.append(f"{_files(len(left))} {why} {was} left")
    if done.records_linked:
        said.append(f"its records are in {CACHE_FOLDER}, a link, so not trusted")
    return "; ".join(said)
