"""Options and option values shared by commands: lengths, signatures, formats."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import click

from booklet.model import Handbook
from booklet.vocabulary import PAPERS, OutputFormat

LENGTH_UNITS_MM = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72, "in": 25.4}


def length_mm(value: str) -> float:
    """`0.2mm`, `0.5pt`, `0.01in` or a bare number of millimetres."""
    text = value.strip().lower()
    unit = next((u for u in LENGTH_UNITS_MM if text.endswith(u)), "mm")
    number = text.removesuffix(unit).strip()
    try:
        length = float(number) * LENGTH_UNITS_MM[unit]
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a length; write e.g. 0.2mm, 0.5pt or 0.01in"
        ) from None
    if not 0 <= length <= 5:
        raise click.BadParameter(f"{value!r}: creep must be between 0 and 5 mm per sheet")
    return length


def multiple_of_four(_ctx: object, _param: object, value: int | None) -> int | None:
    if value is not None and value % 4:
        raise click.BadParameter(f"{value}: a signature holds a multiple of 4 pages (4, 8, 12...)")
    return value


def imposition_options(command: Callable[..., None]) -> Callable[..., None]:
    """Options shared by `build --impose booklet` and `impose`."""
    command = click.option(
        "--signature",
        type=click.IntRange(min=4),
        default=None,
        callback=multiple_of_four,
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


def page_range(_ctx: object, _param: object, value: str | None) -> tuple[int, int | None]:
    """`--pages`: `3`, `1-8` or `5-` (to the end); None for every page."""
    if value is None:
        return (1, None)
    first, dash, last = value.strip().partition("-")
    try:
        start = int(first)
        end = (int(last) if last.strip() else None) if dash else start
    except ValueError:
        start, end = 0, 0
    if start < 1 or (end is not None and end < start):
        raise click.BadParameter(
            f'"{value}" is not a page range; write one page (3), a range (1-8) or a '
            "range to the end (5-)"
        )
    return (start, end)


def output_formats(value: str) -> list[OutputFormat]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [f for f in chosen if f not in list(OutputFormat)]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r} is not a format; use pdf, epub, html or "
            "several separated by commas"
        )
    return [OutputFormat(name) for name in dict.fromkeys(chosen)]


DEFAULT_OUT = Path("output")
"""Where `build` writes and `clean` removes, unless --out says otherwise."""

out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUT,
    show_default=True,
    help="The output folder; each handbook has its own folder inside it.",
)
"""`--out DIR`, for the commands that write or remove outputs."""

papers_option = click.option(
    "--paper",
    "papers",
    multiple=True,
    type=click.Choice(list(PAPERS)),
    help="Paper size; repeat for several. Default: [build] paper in handbook.toml, else a5.",
)
"""`--paper P`, repeatable, for the commands that build."""

jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Make up to N outputs at once, in worker processes. Default: one per usable CPU.",
)
"""`--jobs N`, for the commands that render."""

theme_option = click.option(
    "--theme",
    "themes",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A theme folder whose templates, CSS and settings override the default theme "
    "(repeat to layer several; see docs/themes.md).",
)
"""`--theme DIR`, for every command that renders or checks with a theme."""


clinic_option = click.option(
    "--clinic",
    "clinics",
    multiple=True,
    metavar="ID",
    help="Make the edition of a clinic of the clinic directory (sources/clinics/ID.toml): "
    "its details, QR codes and number in the book, into OUT/<id>/ID/. Repeat for several; "
    "`all` for every clinic.",
)


def clinic_ids(handbook: Handbook, asked: tuple[str, ...]) -> list[str]:
    """The clinics asked for with --clinic that this handbook's clinic directory has
    (`all` for every one), in the order asked; a clinic it lacks is a usage error."""
    known = [clinic.id for clinic in handbook.clinics]
    if "all" in asked and not known:
        raise click.BadParameter(
            f"handbook {handbook.id} has no clinics: add sources/clinics/<clinic-id>.toml "
            "files (see docs/sources.md, Clinics) or point clinics = in handbook.toml at "
            "a folder of them",
            param_hint="'--clinic'",
        )
    chosen: list[str] = []
    for name in asked:
        for clinic_id in known if name == "all" else [name]:
            if clinic_id not in known:
                close = difflib.get_close_matches(clinic_id, known, n=1)
                hint = f'did you mean "{close[0]}"? ' if close else ""
                raise click.BadParameter(
                    f'handbook {handbook.id} has no clinic "{clinic_id}"; {hint}its clinics: '
                    f"{', '.join(known) or 'none'} (or all)",
                    param_hint="'--clinic'",
                )
            if clinic_id not in chosen:
                chosen.append(clinic_id)
    return chosen
