"""`booklet new`: start a handbook that checks and builds at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from booklet.cli.handbooks import DEFAULT_SOURCES, parsed
from booklet.errors import display_path


@click.command()
@click.argument("handbook_id", metavar="ID")
@click.option(
    "--languages",
    default="en",
    show_default=True,
    help="The handbook's languages as BCP 47 tags, in reading order, separated by commas "
    "(e.g. vi,en).",
)
@click.option(
    "--authoritative",
    default=None,
    metavar="LANG",
    help="The language translations are made from. Default: the first of --languages.",
)
@click.option(
    "--in",
    "sources",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_SOURCES,
    show_default=True,
    help="The sources folder to create the handbook in (ID becomes a folder inside it).",
)
def new(handbook_id: str, languages: str, authoritative: str | None, sources: Path) -> None:
    """Create a new handbook ID that checks and builds at once.

    Writes SOURCES/ID/handbook.toml (every setting explained in a comment), one chapter
    per language showing headings, a list, a checklist, numbered steps, a callout and a
    citation, the translations.lock, and an example statute in SOURCES/laws/ when the
    registry has nothing the chapter can cite. Edit the files, then run booklet build.
    """
    from booklet.build.transaction import write_all
    from booklet.sources.files import LOCK, MANIFEST
    from booklet.starter import starter_files
    from booklet.themes.theme import load_theme
    from booklet.translations.record import lock_text

    tags = [tag.strip() for tag in languages.split(",") if tag.strip()]
    starter = starter_files(
        handbook_id,
        tags,
        authoritative or (tags[0] if tags else ""),
        load_theme(),
        sources,
        date.today(),
    )
    write_all(starter.files)
    handbook = parsed(starter.folder)
    lock = starter.folder / LOCK
    write_all([(lock, lock_text(handbook).encode("utf-8"))])
    click.echo(f"Created {display_path(starter.folder)}/:")
    for path, _ in [*starter.files, (lock, b"")]:
        click.echo(f"  {display_path(path)}")
    for lang in starter.placeholders:
        click.echo(
            f"  {lang}: booklet has no starter text in this language; its text is English "
            'marked "TODO: translate", to replace with your own'
        )
    for lang, names in starter.interface.items():
        click.echo(
            f"  {lang}: booklet has no interface text in this language; [strings.{lang}] in "
            f'{MANIFEST} holds {len(names)} English phrases marked "TODO: translate" '
            "(its name, months and dates come from CLDR); booklet check lists those left"
        )
    where = display_path(starter.folder)
    click.echo(
        f"Next: edit {display_path(starter.first_chapter)} and {where}/{MANIFEST}, "
        f"then run: booklet build {where}"
    )
