"""`booklet clean`: remove what booklet made for handbooks, so no stale edition is printed."""

from __future__ import annotations

from pathlib import Path

import click

from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import out_option


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@out_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the files that would be removed, and remove nothing.",
)
def clean(handbooks: tuple[Path, ...], out_dir: Path, dry_run: bool) -> None:
    """Remove the PDFs, EPUBs, kits and previews booklet made for handbooks (OUT/<id>/...).

    HANDBOOKS default to every handbook under ./sources. Only files booklet made go, as
    its build record lists them and with the bytes it wrote: your own files, a renamed
    or edited copy, and anything reached through a link stay, and are counted.
    """
    from booklet.build.clean import check_clean_out, clean_outputs
    from booklet.build.made import protected_places
    from booklet.errors import display_path
    from booklet.sources.files import load_handbook

    folders = handbook_dirs(handbooks)
    sources = [load_handbook(folder) for folder in folders]
    check_clean_out(out_dir, protected_places(folders))
    for source in sources:
        done = clean_outputs(out_dir, source.name, dry_run)
        where = display_path(done.folder)
        if done.linked:
            linked = "a link to another folder; booklet removes nothing through a link"
            click.echo(f"{where}: {linked}, so nothing was removed")
            continue
        for path in done.removed if dry_run else ():
            click.echo(display_path(path))
        count = len(done.removed)
        if dry_run:
            said = [f"{_files(count)} would be removed"]
        else:
            said = [f"{_files(count)} removed" if count else "nothing to remove"]
        was = "would be" if dry_run else ("was" if len(done.foreign) == 1 else "were")
        if done.foreign:
            said.append(f"{_files(len(done.foreign))} booklet did not make {was} left")
        if done.changed:
            was = "would be" if dry_run else ("was" if len(done.changed) == 1 else "were")
            said.append(f"{_files(len(done.changed))} changed since booklet made them {was} left")
        click.echo(f"{where}: {'; '.join(said)}")
