"""The distribution kit through the build: its files are planned outputs like any other.

Takes a checked handbook, the clinics asked for and the output folder; gives the plans
of the kit's files (the reading PDFs, the everyday fold-and-staple booklet and its
printing sheet, the EPUB, large print, the editions in each language), built with the
build cache into OUT/<id>/ (a kit right after a build of the same files renders
nothing), and then one ZIP per clinic (or one generic) packed from the files on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.build.folders import read_folder, unpack_folder
from booklet.build.made import check_may_write, record_written
from booklet.build.plan import BuildPlan
from booklet.build.records import Output
from booklet.build.transaction import output_lock, write_all
from booklet.errors import ConfigError, display_path
from booklet.model import Handbook
from booklet.themes.theme import Theme

if TYPE_CHECKING:
    from booklet.outputs.kit import KitFile
from booklet.vocabulary import EVERYDAY_LAYOUT, LARGE_PRINT_LAYOUTS, LAYOUTS, Edition, OutputFormat


def kit_plans(handbook: Handbook, out_dir: Path, clinics: Sequence[str]) -> list[BuildPlan]:
    """What a kit holds, as build plans: the reading edition (HTML), every layout and the
    EPUB with the everyday booklet imposed; large print; each language alone (of a
    handbook with several)."""
    both = [OutputFormat.PDF, OutputFormat.EPUB]
    plans = [
        BuildPlan(
            list(LAYOUTS),
            (),
            [*both, OutputFormat.HTML],
            out_dir,
            impose=True,
            imposed_layouts=[EVERYDAY_LAYOUT],
            clinics=clinics,
        ),
        BuildPlan(
            [LARGE_PRINT_LAYOUTS[0]],
            (),
            [OutputFormat.PDF],
            out_dir,
            edition=Edition.LARGE_PRINT,
            clinics=clinics,
        ),
    ]
    if len(handbook.languages) > 1:
        plans.append(
            BuildPlan([], (), both, out_dir, clinics=clinics, languages=handbook.languages)
        )
    return plans


@dataclass(frozen=True)
class Kit:
    """One kit made."""

    path: Path
    files: int
    """Files in it, with its index, README and checksums."""
    size: int


def kit_path(handbook: Handbook, out_dir: Path, clinic: str | None) -> Path:
    """OUT/<id>/<id>-kit.zip, or OUT/<id>/<clinic>/<id>-<clinic>-kit.zip."""
    name = f"{handbook.id}-{clinic}" if clinic else handbook.id
    return out_dir / handbook.id / (clinic or "") / f"{name}-kit.zip"


def _kit_file(output: Output) -> KitFile:
    """A built file as the kit holds it; a folder (the HTML edition) with its files."""
    from booklet.outputs.kit import KitFile

    o = output
    if o.path.is_dir():
        bundle = read_folder(o.path)
        if bundle is None:
            raise ConfigError(
                f"{display_path(o.path)}: cannot read the folder; build again, and leave the "
                "output folder alone until the kit is made"
            )
        files = tuple(unpack_folder(bundle))
        return KitFile(o.path.name, b"", o.purpose, files=files)
    return KitFile(o.path.name, o.path.read_bytes(), o.purpose, o.pages, o.language, o.edition)


def pack_kit(
    handbook: Handbook,
    theme: Theme,
    outputs: Sequence[Output],
    clinic: str | None,
    target: Path,
    created: datetime,
    out_dir: Path,
    asked: str,
    places: Sequence[Path],
) -> Kit:
    """Pack the built files of one clinic's edition (or the generic one) into its kit,
    written to `target` (named by `asked`, e.g. `-o`) unless that is inside one of
    `places` or a file booklet did not make (booklet.build.made), and recorded as made."""
    from booklet.outputs.kit import make_kit

    mine = [output for output in outputs if output.clinic == (clinic or "")]
    files = [_kit_file(o) for o in mine]
    shown = next((c for c in handbook.clinics if c.id == clinic), None)
    # Its folder inside is named for the handbook (and clinic), whatever the file is called.
    folder = kit_path(handbook, Path(), clinic).stem
    data = make_kit(handbook, theme, files, folder, created, shown)
    with output_lock(target.parent):
        check_may_write(target, asked, places, out_dir, handbook.id)
        write_all([(target, data)])
    record_written(out_dir, handbook.id, [target])
    return Kit(target, sum(len(f.files) or 1 for f in files) + 3, len(data))


def pack_kits(
    handbook: Handbook,
    theme: Theme,
    outputs: Sequence[Output],
    clinics: Sequence[str],
    created: datetime,
    out_dir: Path,
    places: Sequence[Path],
    output: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
    done: Callable[[Kit], None] = lambda _: None,
) -> list[Kit]:
    """One kit per clinic (or one generic), each packed from the built `outputs`: to
    `output` when named (`-o`, one kit), else to `kit_path`."""
    kits = []
    editions: list[str | None] = [*clinics] or [None]
    for clinic in editions:
        target = output or kit_path(handbook, out_dir, clinic)
        progress(f"{target.name} (kit)")
        asked = "-o" if output else "the kit"
        kit = pack_kit(handbook, theme, outputs, clinic, target, created, out_dir, asked, places)
        done(kit)
        kits.append(kit)
    return kits
