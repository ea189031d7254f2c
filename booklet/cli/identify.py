"""`booklet identify`: which handbook, edition and revision a file is, and whether current."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from booklet.cli.handbooks import DEFAULT_SOURCES
from booklet.cli.options import theme_option
from booklet.errors import BookletError, display_path

if TYPE_CHECKING:
    from booklet.outputs.identity import Identity


def describe(identity: Identity) -> str:
    """`debt-collection, parallel A5 PDF, clinic south, zh-Hans+en, revision 3f2a9c1`."""
    copy = identity.copy
    if copy.format == "kit":
        what = "kit"
    elif copy.format == "epub":
        what = "EPUB"
    elif copy.format == "html":
        what = "HTML edition"
    elif copy.layout == "printing":
        what = "printing sheet"
    else:
        paper = copy.paper.upper() if len(copy.paper) <= 3 else copy.paper
        layout = "" if copy.language else copy.layout  # one language: one book, any layout
        what = " ".join(filter(None, [layout, paper, "booklet" if copy.imposed else "PDF"]))
    facts = [copy.handbook, what]
    facts += [f"{copy.edition} edition"] if copy.edition != "standard" else []
    facts += ["print shop"] if copy.print_shop else []
    facts += [f"clinic {copy.clinic}"] if copy.clinic else []
    shown = [copy.language] if copy.language else list(identity.languages)
    facts += ["+".join(shown)] if shown else []
    return ", ".join([*facts, f"revision {identity.revision}"])


DRAFT = (
    "a draft (booklet build --draft or booklet watch), not for handing out; "
    "build without --draft to make the copy to hand out"
)
DAMAGED = "damaged: {files}; get a fresh copy of the whole folder, or build the HTML edition again"
CUT_SHORT = (
    "damaged: it is cut short (an interrupted copy or download); get a fresh copy, "
    "or build it again"
)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--sources",
    "sources",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_SOURCES,
    show_default=True,
    help="The folder of handbooks whose sources tell whether a file is current.",
)
@theme_option
def identify(files: tuple[Path, ...], sources: Path, themes: tuple[Path, ...]) -> None:
    """Say, for each PDF, EPUB, kit or HTML edition (its folder) booklet made, its
    handbook, edition, languages and revision, and whether it is current: whether the
    handbook's sources (under SOURCES/<id>) give that revision now, or are newer.

    Check a printed stack's PDF before printing more. A PDF made by `build --draft`
    or `watch` is said to be a draft, not for handing out; a PDF, EPUB or kit cut short,
    or an HTML edition cut short or missing a file, damaged. Exit 0 when every file is
    current; 1 when one is older, unknown, a draft, damaged or not made by booklet.
    """
    from booklet.cli.handbooks import read_input
    from booklet.outputs.identity import read_identity, speaking_file
    from booklet.outputs.intact import cut_short, damage, said

    revisions: dict[str, str | None] = {}
    all_current = True
    for path in files:
        where = display_path(path)
        page = speaking_file(path)
        if page != path and not page.is_file():
            click.echo(f"{where}: a folder that is not an HTML edition booklet made")
            all_current = False
            continue
        data = read_input(page)
        identity = read_identity(data)
        short = cut_short(data)
        if identity is None:
            # A copy cut short may no longer say what it is: not "not booklet's".
            told = CUT_SHORT if short else "not made by booklet (it names no handbook and revision)"
            click.echo(f"{where}: {told}")
            all_current = False
            continue
        handbook = identity.copy.handbook
        if handbook not in revisions:
            revisions[handbook] = _current_revision(sources / handbook, themes)
        now = revisions[handbook]
        found = damage(page, data) if identity.copy.format == "html" else []
        if found:
            verdict = DAMAGED.format(files=said(found))
        elif short:
            verdict = CUT_SHORT
        elif identity.draft:
            verdict = DRAFT
        elif now is None:
            verdict = f"unknown: no handbook {display_path(sources / handbook)} to compare with"
        elif now == identity.revision:
            verdict = "current"
        else:
            verdict = f"older: the sources now give revision {now}"
        all_current = all_current and verdict == "current"
        click.echo(f"{where}: {_shown(describe(identity))}: {verdict}")
    if not all_current:
        raise click.exceptions.Exit(1)


def _shown(text: str) -> str:
    """Text read from a file, without control characters that would act on a terminal."""
    return "".join(char if char.isprintable() else "?" for char in text)


def _current_revision(folder: Path, themes: tuple[Path, ...]) -> str | None:
    """The revision the handbook's sources give now, or None when there is no such handbook."""
    from booklet.sources.files import MANIFEST, load_handbook
    from booklet.sources.handbook import parse_handbook
    from booklet.sources.revision import copy_revision
    from booklet.themes.theme import load_theme

    if not (folder / MANIFEST).is_file():
        return None
    try:
        handbook, _ = parse_handbook(load_handbook(folder))
    except BookletError:
        return None
    return copy_revision(handbook, load_theme(themes))
