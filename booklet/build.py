"""Runs the stages for each handbook; the only code that writes to the output folder.

load -> parse -> check -> (render -> pdf) per layout and paper, epub -> files. A
handbook's outputs are written together or not at all (booklet.transaction), so a failed
or interrupted build leaves the previous outputs byte-identical.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from booklet.checks import check_handbook
from booklet.checks.glyphs import font_families
from booklet.errors import ConfigError, Problem, ProblemsFound, Severity
from booklet.model import Clinic, Handbook
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.fonts import FontFace, find_faces
from booklet.themes.theme import Theme
from booklet.transaction import output_lock, write_all
from booklet.vocabulary import Edition, Layout, OutputFormat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checked:
    """A handbook that passed its checks, with what rendering needs."""

    handbook: Handbook
    faces: dict[str, FontFace | None]
    warnings: list[Problem]


@dataclass(frozen=True)
class Output:
    """One file a build produced."""

    path: Path
    """Where it was written."""
    kind: str
    """`pdf` or `epub`."""
    label: str
    """What it is, for the progress line (`parallel, A5`)."""
    size: int
    """Bytes."""
    seconds: float
    """Time it took to make."""
    pages: int = 0
    """Pages of a PDF."""
    notes: list[str] = field(default_factory=list)
    """Extra facts worth showing (embedded font sizes)."""
    purpose: str = ""
    """What it is for: a layout's name, `language` (one language), `booklet`,
    `printing` (the printing sheet), `proof` or `epub`."""
    language: str = ""
    """The one language it is in, for an edition in one language."""
    edition: Edition = Edition.STANDARD
    """`standard` or `large-print`."""


@dataclass(frozen=True)
class BuildPlan:
    """What to build for each handbook."""

    layouts: Sequence[Layout]
    """PDF layouts."""
    papers: Sequence[str]
    """Paper names; empty means the handbook's default paper."""
    formats: Sequence[OutputFormat]
    """`pdf`, `epub` or both."""
    out_dir: Path
    """The output folder; each handbook gets a folder of its own inside it."""
    edition: Edition = Edition.STANDARD
    """`standard` or `large-print`."""
    print_shop: bool = False
    """Add 3 mm bleed and crop marks, and print every mark in K-only black."""
    impose: bool = False
    """Also write each PDF imposed as a saddle-stitched booklet, and a printing sheet."""
    signature: int | None = None
    """Pages per signature of the imposed booklet; None for the default."""
    imposed_layouts: Sequence[str] = ()
    """The layouts to impose; empty for every one."""
    creep_mm: float = 0.0
    """Creep compensation per sheet, in millimetres."""
    fold_marks: bool = True
    """Draw a fold mark on the imposed sheets."""
    proof: bool = False
    """Also write the translator's proof (`<id>-proof-<paper>.pdf`)."""
    clinics: Sequence[str] = ()
    """Ids of the clinics to make editions for (instead of the generic edition)."""
    languages: Sequence[str] = ()
    """Languages to make editions in one language of (instead of the bilingual layouts)."""


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        when = datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        when = None
    # ZIP files (the EPUB) can hold dates from 1980 to 2107 only.
    if when is None or not 1980 <= when.year <= 2107:
        raise ConfigError(
            f'SOURCE_DATE_EPOCH="{epoch}" is not a number of seconds since 1970 for a date '
            "from 1980 to 2107; unset it or set it to e.g. 1767225600"
        )
    return when


def check_folder(folder: Path, theme: Theme, today: date, strict: bool) -> Checked:
    """Load, parse and check a handbook; raise ProblemsFound listing every problem."""
    source = load_handbook(folder)
    handbook, problems = parse_handbook(source)
    faces: dict[str, FontFace | None] = {}
    if handbook.languages:
        # Checked even after parse errors, so one run lists everything there is to fix.
        faces = dict(find_faces(font_families(handbook, theme)))
        problems += check_handbook(handbook, theme, faces, today)
    stopping = [p for p in problems if strict or p.severity is Severity.ERROR]
    if stopping:
        raise ProblemsFound(source.root, problems)
    return Checked(handbook, faces, problems)


def build_handbook(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
) -> list[Output]:
    """Render every requested output of one handbook and write them all, or none."""
    made = render_outputs(checked, theme, plan, created, progress, done)
    with output_lock(plan.out_dir / checked.handbook.id):
        write_all([(item.path, item.data) for item in made])
    return [item.output for item in made]


def render_outputs(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
) -> list[Made]:
    """Render every requested output of one handbook into memory, in build order."""
    from booklet.outputs.epub import make_epub  # WeasyPrint and fontTools load only when building
    from booklet.outputs.pdf import write_pdf
    from booklet.render.documents import render_html

    handbook = checked.handbook
    folder = plan.out_dir / handbook.id
    default_paper = LARGE_PRINT_PAPER if plan.edition == "large-print" else handbook.paper
    papers = list(plan.papers) or [default_paper]
    staged: list[Made] = []
    roots = [handbook.root, *theme.folders]
    suffix = ("-large-print" if plan.edition == "large-print" else "") + (
        "-print-shop" if plan.print_shop else ""
    )
    clinics = {clinic.id: clinic for clinic in handbook.clinics}

    def emit(made: Made, announced: bool = True) -> None:
        if not announced:
            progress(f"{made.path.name} ({made.output.label})")
        staged.append(made)
        done(made.output)

    def pdf(target: Path, label: str, purpose: str, only: str | None,
            html: Callable[[], str]) -> Made:  # fmt: skip
        progress(f"{target.name} ({label})")
        start = time.perf_counter()
        data, pages = write_pdf(html(), handbook.root, roots)
        elapsed = time.perf_counter() - start
        notes = []
        if pages % 2:
            # The back cover starts on a left-hand page; an odd count means it ran over.
            notes.append(
                "warning: the back cover runs over one page on this paper; shorten the "
                "disclaimer or contact labels, or use a larger paper"
            )
        output = Output(target, "pdf", label, len(data), elapsed, pages, notes, purpose,
                        only or "", plan.edition)  # fmt: skip
        return Made(target, data, output)

    editions: list[Clinic | None] = [clinics[name] for name in plan.clinics]
    # (layout, the one language shown or None, what the file name says): an edition in
    # one language is one book whatever the layout, so it is set once, sequentially.
    variants: list[tuple[str, str | None, str]] = [
        ("sequential", lang, lang) for lang in plan.languages
    ] or [(layout, None, layout) for layout in plan.layouts]
    for clinic in editions or [None]:
        # A clinic edition has a folder and a name of its own: OUT/<id>/<clinic>/<id>-<clinic>-...
        where = folder / clinic.id if clinic else folder
        name = f"{handbook.id}-{clinic.id}" if clinic else handbook.id
        if "pdf" in plan.formats:
            for paper in papers:
                booklets: list[dict[str, object]] = []
                for layout, only, called in variants:
                    label = ", ".join(
                        ([clinic.id] if clinic else [])
                        + ([f"{only} only"] if only else [layout])
                        + [paper.upper()]
                        + (["large print"] if plan.edition == "large-print" else [])
                        + (["print shop"] if plan.print_shop else [])
                    )
                    made = pdf(
                        where / f"{name}-{called}-{paper}{suffix}.pdf",
                        label, "language" if only else layout, only,
                        lambda layout=layout, paper=paper, clinic=clinic, only=only: render_html(  # type: ignore[misc]
                            handbook, theme, layout, paper, created, plan.edition,
                            plan.print_shop, clinic, only,
                        ),
                    )  # fmt: skip
                    emit(made)
                    if plan.impose and (not plan.imposed_layouts or layout in plan.imposed_layouts):
                        progress(f"{made.path.stem}-booklet.pdf ({label}, booklet)")
                        booklet = _impose(made.data, made.path, label, plan, only or "")
                        emit(booklet)
                        booklets.append(booklet.summary)
                if plan.proof:
                    emit(pdf(
                        where / f"{name}-proof-{paper}.pdf",
                        f"translator's proof, {paper.upper()}", "proof", None,
                        lambda paper=paper: render_html(  # type: ignore[misc]
                            handbook, theme, "proof", paper, created
                        ),
                    ))  # fmt: skip
                if plan.impose:
                    sheet = where / f"{name}-{paper}{suffix}-printing.pdf"
                    emit(_printing_sheet(checked, theme, paper, booklets, roots, sheet),
                         announced=False)  # fmt: skip
        if "epub" in plan.formats:
            ones: list[str | None] = list(plan.languages)
            for only in ones or [None]:
                target = where / (f"{name}-{only}.epub" if only else f"{name}.epub")
                label = f"EPUB 3, {only} only" if only else "EPUB 3"
                progress(f"{target.name} ({label})")
                start = time.perf_counter()
                data, fonts = make_epub(handbook, theme, checked.faces, created, clinic, only)
                notes = [
                    f"{font.family} subset: {font.glyphs} characters, {font.size / 1024:.0f} KB"
                    for font in fonts
                ]
                elapsed = time.perf_counter() - start
                emit(Made(target, data, Output(target, "epub", label, len(data), elapsed,
                                               notes=notes, purpose="epub",
                                               language=only or "")))  # fmt: skip
    return staged


PREVIEW_FOLDER = "preview"
"""Where `booklet preview` writes its PNGs, inside a handbook's output folder."""


def preview_handbook(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    pages: tuple[int, int | None],
) -> list[Path]:
    """Render the plan's first PDF in memory (nothing else is written) and write PNGs of
    `pages` and a contact sheet into OUT/<id>/preview/; older PNGs of that PDF go. Returns
    the pages' paths, then the contact sheet's."""
    from booklet.outputs.preview import preview_pages

    made = next(
        item
        for item in render_outputs(checked, theme, plan, created, lambda _: None, lambda _: None)
        if item.output.kind == "pdf"
    )
    preview = preview_pages(made.data, *pages)
    folder = plan.out_dir / checked.handbook.id / PREVIEW_FOLDER
    stem = made.path.stem
    files = [(folder / f"{stem}-page-{n:02d}.png", png) for n, png in preview.pages]
    files.append((folder / f"{stem}-contact-sheet.png", preview.contact_sheet))
    with output_lock(plan.out_dir / checked.handbook.id):
        write_all(files)
        kept = {path for path, _ in files}
        for old in folder.glob(f"{stem}-page-*.png"):
            if old not in kept:
                old.unlink()
    return [path for path, _ in files]


OFFICE_SHEET_MM2 = 216 * 356 + 1
"""The largest sheet an office printer takes (US Legal); A3 and Tabloid are larger."""

LARGE_PRINT_PAPER = "a4"
"""Large print is set on A4 unless a paper is asked for."""


@dataclass(frozen=True)
class Made:
    """One output rendered in memory, not written yet."""

    path: Path
    data: bytes
    output: Output
    summary: dict[str, object] = field(default_factory=dict)
    """What the printing sheet says of a booklet (its file, sheets, sets)."""


def _impose(data: bytes, target: Path, label: str, plan: BuildPlan, language: str) -> Made:
    from booklet.outputs.impose import impose_booklet, sheet_name

    path = target.with_name(target.stem + "-booklet.pdf")
    start = time.perf_counter()
    imposed = impose_booklet(data, plan.signature, plan.creep_mm, plan.fold_marks)
    width, height = imposed.sheet_size_mm
    sets = f", {imposed.signatures} stapled sets" if imposed.signatures > 1 else ""
    paper = sheet_name(width, height)
    notes = [f"{imposed.sheets} sheets of {paper} ({width:g} x {height:g} mm), duplex, flip on "
             f"short edge{sets}; {imposed.blanks} blank pages added"]  # fmt: skip
    if width * height > OFFICE_SHEET_MM2:
        notes.append(
            f"warning: this booklet prints on {paper} paper, which most office printers do not "
            "take; take it to a print shop, or print the unimposed PDF page by page"
        )
    output = Output(
        path, "booklet", f"{label}, booklet", len(imposed.pdf), time.perf_counter() - start,
        imposed.sheets * 2, notes, "booklet", language, plan.edition,
    )  # fmt: skip
    summary = {
        "file": path.name,
        "sheets": imposed.sheets,
        "signatures": imposed.signatures,
        "paper": sheet_name(width, height),
        "sets": imposed.set_pages,
    }
    return Made(path, imposed.pdf, output, summary)


def _printing_sheet(
    checked: Checked,
    theme: Theme,
    paper: str,
    booklets: list[dict[str, object]],
    roots: list[Path],
    path: Path,
) -> Made:
    from booklet.outputs.impose import sheet_size
    from booklet.outputs.pdf import write_pdf
    from booklet.render.documents import render_printing_sheet
    from booklet.vocabulary import PAPERS, POINTS_PER_MM, Paper

    handbook = checked.handbook
    width, height = sheet_size(*PAPERS[paper].points)
    sheet = Paper(f"{paper}-sheet", width / POINTS_PER_MM, height / POINTS_PER_MM)
    start = time.perf_counter()
    html = render_printing_sheet(handbook, theme, sheet, booklets)
    data, pages = write_pdf(html, handbook.root, roots)
    output = Output(path, "pdf", "how to print, test sheet", len(data),
                    time.perf_counter() - start, pages, purpose="printing")  # fmt: skip
    return Made(path, data, output)


def clean_outputs(folder: Path) -> list[Path]:
    """Remove every PDF, EPUB, kit and preview PNG made in a handbook's output folder and
    its clinic editions' folders (old papers and layouts someone might print by mistake); other
    files are left alone, and no link is followed."""
    if not folder.is_dir():
        return []
    removed = []
    with output_lock(folder):
        inner = [p for p in sorted(folder.iterdir()) if p.is_dir() and not p.is_symlink()]
        for place in (folder, *inner):
            for path in sorted(place.iterdir()):
                made = (
                    path.suffix.lower() in (".pdf", ".epub")
                    or path.name.endswith("-kit.zip")
                    or (place.name == PREVIEW_FOLDER and path.suffix.lower() == ".png")
                )
                if made and path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(path)
    return removed
