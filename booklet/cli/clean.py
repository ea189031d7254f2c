"""`booklet clean`: remove the outputs of handbooks, so no stale edition is printed."""

from __future__ import annotations

from pathlib import Path

import click

from booklet.cli.handbooks import handbook_dirs
from booklet.cli.options import out_option


@click.command()
@click.argument("handbooks", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@out_option
def clean(handbooks: tuple[Path, ...], out_dir: Path) -> None:
    """Remove the PDFs, EPUBs, kits and previews built for handbooks (OUT/<id>/...).

    HANDBOOKS default to every handbook under ./sources. Other files in the output
    folders are left alone.
    """
    from booklet.build import clean_outputs
    from booklet.errors import display_path
    from booklet.sources.files import load_handbook

    for folder in handbook_dirs(handbooks):
        target = out_dir / load_handbook(folder).name
        removed = clean_outputs(target)
        count = len(removed)
        what = f"{count} file{'s' if count != 1 else ''} removed" if count else "nothing to remove"
        click.echo(f"{display_path(target)}: {what}")
