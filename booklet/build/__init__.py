"""The build stage: plans a handbook's outputs, makes them and writes them; the only code
that writes to the output folder.

Takes a checked handbook (load -> parse -> check), a theme and a `BuildPlan`; gives the
files in OUT/<id>/ and a list of `Output` records. Made in worker processes (workers.py),
skipped when the build cache (cache.py) knows them unchanged, and written together or
not at all (transaction.py), so a failed or interrupted build leaves the previous
outputs byte-identical.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from booklet.build.cache import (
    BuildCache,
    CachedOutput,
    build_fingerprint,
    fingerprint,
)
from booklet.build.clean import clean_outputs as clean_outputs
from booklet.build.transaction import Spilled, output_lock, recover, write_all
from booklet.build.workers import EditionWork, EpubWork, PageMapWork, PdfWork, Pending, Renderer
from booklet.checks import check_handbook
from booklet.checks.glyphs import font_families
from booklet.errors import ConfigError, Problem, ProblemsFound, Severity, display_path
from booklet.law.citations import with_digits
from booklet.model import Clinic, Handbook
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.fonts import FontFace, find_faces
from booklet.themes.theme import Theme
from booklet.vocabulary import Edition, Layout, OutputFormat

if TYPE_CHECKING:
    from booklet.outputs.epub import EmbeddedFont, EpubDraft
    from booklet.outputs.page_list import PrintPages
    from booklet.outputs.pdf import RenderedPdf

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
    unchanged: bool = False
    """The file on disk was already this output (the build cache knew it): not written."""


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
    # Citations in the digits the theme gives each language, checked (glyphs) as printed.
    handbook = with_digits(handbook, theme.digits)
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
    renderer: Renderer | None = None,
    force: bool = False,
) -> list[Output]:
    """Render every requested output of one handbook that changed and write them all, or
    none; an output the build cache knows is left as it is on disk (`force`: none is)."""
    return finish_build(start_build(checked, theme, plan, created, renderer, force),
                        progress, done)  # fmt: skip


def start_build(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    renderer: Renderer | None = None,
    force: bool = False,
) -> Started:
    """Start making a handbook's outputs (in `renderer`'s workers); `finish_build` waits
    for them and writes them. Several handbooks started first share the workers."""
    folder = plan.out_dir / checked.handbook.id
    cache = BuildCache(plan.out_dir, checked.handbook.id, folder, enabled=not force)
    return _start(checked, theme, plan, created, renderer or Renderer(1), cache)


def finish_build(
    started: Started, progress: Callable[[str], None], done: Callable[[Output], None]
) -> list[Output]:
    """Wait for a started handbook's outputs, then write the changed ones and the cache's
    record together, or nothing."""
    writes: list[tuple[Path, bytes | Spilled]] = []
    outputs: list[Output] = []

    def keep(made: Made) -> None:
        # Each file waits on disk, not in memory, for the one write of them all.
        outputs.append(made.output)
        if not made.output.unchanged:
            writes.append((made.path, Spilled(made.data, started.plan.out_dir)))

    try:
        _finish(started, progress, done, keep)
        record = started.cache.record_bytes()
        if record is not None:
            writes.append((started.cache.path, record))
        if writes:  # an unchanged rebuild touches nothing, not even the folder
            with output_lock(started.cache.folder):
                recover(started.cache.path.parent)
                write_all(writes)
    finally:
        for _, data in writes:
            if isinstance(data, Spilled):
                data.close()
    return outputs


def render_outputs(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
    renderer: Renderer | None = None,
) -> list[Made]:
    """Render every requested output of one handbook into memory, in build order (no
    cache: everything is made)."""
    folder = plan.out_dir / checked.handbook.id
    cache = BuildCache(plan.out_dir, checked.handbook.id, folder, enabled=False)
    started = _start(checked, theme, plan, created, renderer or Renderer(1), cache)
    made: list[Made] = []
    _finish(started, progress, done, made.append)
    return made


@dataclass
class _Planned:
    """One output on its way: from the cache, or from a worker."""

    path: Path
    label: str
    kind: str
    purpose: str
    language: str
    key: str
    inputs: str
    """The key of what it is made from (the parsed handbook, the theme, the options)."""
    cached: CachedOutput | None
    """The record of an unchanged output (its bytes are read when it is finished)."""
    pending: Pending[Any] | _Spliced | None


class _Body:
    """The body every clinic's edition of one layout shares, rendered once."""

    def __init__(self, renderer: Renderer, work: PdfWork) -> None:
        self.work = work
        self._pending = renderer.submit(work)
        self._rendered: RenderedPdf | None = None

    def result(self) -> RenderedPdf:
        """The rendered body (waited for, or with one job made, the first time only)."""
        if self._rendered is None:
            self._rendered = self._pending.result()
        return self._rendered


class _Spliced:
    """One clinic edition on its way: its shared body, then its own tail spliced on."""

    def __init__(self, body: _Body, tail: Callable[[int], PdfWork]) -> None:
        self.body = body
        self.tail = tail
        """The tail's work, given its first page's number."""
        self._pending: Pending[RenderedPdf] | None = None
        self.seconds = 0.0
        """How long the tail and the splice took, once `result()` has returned."""

    def start(self, renderer: Renderer) -> None:
        """Wait for the body, then start the tail and the splice in a worker."""
        body = self.body.result()
        work = EditionWork(body, self.tail(body.pages + 1))
        self._pending = renderer.submit(work)

    def result(self) -> RenderedPdf:
        """The whole edition; `start` was called."""
        assert self._pending is not None
        made = self._pending.result()
        self.seconds = self._pending.seconds
        return made


@dataclass
class _Booklets:
    """The imposed booklets of one paper and the printing sheet that lists them."""

    paper: str
    sheet: Path
    summaries: list[Mapping[str, Any]] = field(default_factory=list)


@dataclass
class _Step:
    """One thing to finish, in build order: an output (and its booklet) or a sheet."""

    planned: _Planned | None = None
    booklets: _Booklets | None = None
    impose: bool = False
    """Impose `planned` too, listed in `booklets`."""
    printing: bool = False
    """Make `booklets`' printing sheet."""


@dataclass
class Started:
    """A handbook's outputs on their way (`start_build`)."""

    checked: Checked
    theme: Theme
    plan: BuildPlan
    created: datetime
    renderer: Renderer
    cache: BuildCache
    base_key: str
    stamp: datetime | None
    steps: list[_Step]
    spliced: list[_Spliced] = field(default_factory=list)
    """Clinic editions to splice, once their bodies are laid out."""


def _start(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    renderer: Renderer,
    cache: BuildCache,
) -> Started:
    from booklet.outputs.epub import draft_epub
    from booklet.outputs.page_list import PrintPages
    from booklet.render.documents import render_html, render_tail

    handbook = checked.handbook
    folder = plan.out_dir / handbook.id
    default_paper = LARGE_PRINT_PAPER if plan.edition == "large-print" else handbook.paper
    papers = list(plan.papers) or [default_paper]
    roots = (handbook.root, *theme.folders)
    suffix = ("-large-print" if plan.edition == "large-print" else "") + (
        "-print-shop" if plan.print_shop else ""
    )
    clinics = {clinic.id: clinic for clinic in handbook.clinics}
    # The build time is part of an output only when it is fixed (SOURCE_DATE_EPOCH): a
    # build at another time of the same sources is otherwise the same book.
    stamp = created if reproducible() else None
    base_key = build_fingerprint(theme.folders, [f.path for f in checked.faces.values() if f])
    handbook_key = fingerprint(handbook)
    steps: list[_Step] = []

    def inputs_of(kind: str, spec: tuple[object, ...]) -> str:
        return fingerprint(kind, base_key, handbook_key, spec, stamp)

    def planned(path: Path, label: str, kind: str, purpose: str, only: str | None,
                spec: tuple[object, ...],
                make: Callable[[], tuple[str, Callable[[], Callable[[], Any] | _Spliced]]],
                ) -> _Planned:  # fmt: skip
        # Made from the same parsed handbook, theme and options: unchanged, without even
        # its document being written out. Otherwise its document decides (a translation's
        # edit leaves the edition in the original's language as it was). `make` gives the
        # key of the document, and what gives the work when it must be made.
        inputs = inputs_of(kind, spec)
        cached = cache.unchanged_inputs(path, inputs)
        if cached is not None:
            return _Planned(path, label, kind, purpose, only or "", cached[0].key, inputs,
                            cached[0], None)  # fmt: skip
        key, work = make()
        cached = cache.unchanged(path, key)
        if cached is not None:
            cache.renew(path, inputs)
        pending: Pending[Any] | _Spliced | None = None
        if cached is None:
            made = work()
            # An EPUB takes a tenth of a second since HarfBuzz cuts its fonts: made here,
            # when it is waited for (after the PDF whose pages it marks, rendered in a
            # worker). A clinic edition's tail starts once its body is laid out (`_finish`).
            pending = made if isinstance(made, _Spliced) else (
                Pending(made, None) if kind == "epub" else renderer.submit(made))  # fmt: skip
        return _Planned(path, label, kind, purpose, only or "", key, inputs,
                        cached and cached[0], pending)  # fmt: skip

    bodies: dict[tuple[str, str, str | None], _Body] = {}
    spliced: list[_Spliced] = []

    def pdf(path: Path, label: str, purpose: str, layout: str, paper: str,
            clinic: Clinic | None, only: str | None) -> _Planned:  # fmt: skip
        first = only or (handbook.languages[0] if handbook.languages else "")
        rtl = theme.direction(first) == "rtl"  # a book's direction is its first language's
        # As plain strings: a layout comes as a `Layout` or as a name, and keys tell them apart.
        spec = (str(layout), paper, str(plan.edition), plan.print_shop, clinic and clinic.id, only)
        marks_epub = spec == print_spec(clinic, only)

        def watched(html: str, *more: str) -> tuple[str, ...]:
            # The page of every element of an EPUB's print edition, for its page list.
            return (*more, *ELEMENT_ID.findall(html)) if marks_epub else more

        def make() -> tuple[str, Callable[[], Callable[[], Any] | _Spliced]]:
            if layout == "proof":
                html = render_html(handbook, theme, "proof", paper, None)
            elif clinic is not None:
                return edition()
            else:
                html = render_html(handbook, theme, layout, paper, None, plan.edition,
                                   plan.print_shop, None, only)  # fmt: skip
            work = PdfWork(html, handbook.root, roots, created,
                           watched(html, BACK_COVER_ID), rtl)  # fmt: skip
            return fingerprint("pdf", base_key, html, stamp), lambda: work

        def edition() -> tuple[str, Callable[[], _Spliced]]:
            # Every clinic's edition of this layout shares its body, rendered once; each
            # renders only its tail, numbered on from the body's last page, and splices
            # it on (booklet.outputs.splice). The tail's first page is known once the
            # body is laid out, so it is keyed with none.
            body = bodies.get((layout, paper, only))
            if body is None:
                html = render_html(handbook, theme, layout, paper, None, plan.edition,
                                   plan.print_shop, None, only, "body")  # fmt: skip
                body = bodies[layout, paper, only] = _Body(
                    renderer, PdfWork(html, handbook.root, roots, created, watched(html), rtl)
                )
            assert clinic is not None
            shown = clinic

            def tail_document(first_page: int) -> tuple[str, str]:
                return render_tail(handbook, theme, layout, paper, plan.edition,
                                   plan.print_shop, shown, only, first_page)  # fmt: skip

            key = fingerprint("pdf", base_key, body.work.html, tail_document(0), stamp)

            def tail(first_page: int) -> PdfWork:
                html, css = tail_document(first_page)
                return PdfWork(html, handbook.root, roots, created,
                               watched(html, BACK_COVER_ID), rtl, css)  # fmt: skip

            def work() -> _Spliced:
                made = _Spliced(body, tail)
                spliced.append(made)
                return made

            return key, work

        made = planned(path, label, "pdf", purpose, only, spec, make)
        if marks_epub:
            print_editions[made.inputs] = made
        return made

    def print_spec(clinic: Clinic | None, only: str | None) -> tuple[object, ...]:
        # The edition whose pages an EPUB marks: the same clinic and language, on the
        # handbook's paper, interleaved (sequential in one language), as planned by `pdf`.
        layout = "sequential" if only else "interleaved"
        return (layout, handbook.paper, str(Edition.STANDARD), False, clinic and clinic.id, only)

    print_editions: dict[str, _Planned] = {}
    """The PDFs planned that an EPUB's page list can be read from, by their inputs: an
    EPUB whose print edition is one of them waits for its render, or reads its record."""

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
                booklets = _Booklets(paper, where / f"{name}-{paper}{suffix}-printing.pdf")
                for layout, only, called in variants:
                    label = ", ".join(
                        ([clinic.id] if clinic else [])
                        + ([f"{only} only"] if only else [layout])
                        + [paper.upper()]
                        + (["large print"] if plan.edition == "large-print" else [])
                        + (["print shop"] if plan.print_shop else [])
                    )
                    purpose = "language" if only else layout
                    item = pdf(where / f"{name}-{called}-{paper}{suffix}.pdf", label, purpose,
                               layout, paper, clinic, only)  # fmt: skip
                    imposed = plan.impose and (
                        not plan.imposed_layouts or layout in plan.imposed_layouts
                    )
                    steps.append(_Step(item, booklets, impose=imposed))
                if plan.proof:
                    steps.append(_Step(pdf(where / f"{name}-proof-{paper}.pdf",
                                           f"translator's proof, {paper.upper()}", "proof",
                                           "proof", paper, None, None)))  # fmt: skip
                if plan.impose:
                    steps.append(_Step(booklets=booklets, printing=True))
        if "epub" in plan.formats:
            ones: list[str | None] = list(plan.languages)
            for only in ones or [None]:
                target = where / (f"{name}-{only}.epub" if only else f"{name}.epub")
                label = f"EPUB 3, {only} only" if only else "EPUB 3"

                def make(clinic: Clinic | None = clinic, only: str | None = only, name: str = name,
                         where: Path = where,
                         ) -> tuple[str, Callable[[], Callable[[], Any]]]:  # fmt: skip
                    # Keyed by a draft of a fixed date, so that the build time alone
                    # changes nothing, and by its print edition, whose pages it marks.
                    draft = draft_epub(handbook, theme, checked.faces, stamp or KEY_TIME,
                                       clinic, only)  # fmt: skip
                    # The print edition of the same clinic and language, on the
                    # handbook's paper: the one whose pages the EPUB marks.
                    layout = "sequential" if only else "interleaved"
                    source = f"{name}-{only or layout}-{handbook.paper}.pdf"
                    print_inputs = inputs_of("pdf", print_spec(clinic, only))

                    def print_html() -> str:
                        return render_html(handbook, theme, layout, handbook.paper, None,
                                           clinic=clinic, only=only)  # fmt: skip

                    # That PDF's key when it is planned in this build (a clinic's is spliced:
                    # its HTML is never written whole), else the one it would have.
                    printed = print_editions.get(print_inputs)
                    print_key = printed.key if printed else fingerprint(
                        "pdf", base_key, print_html(), stamp)  # fmt: skip
                    key = fingerprint("epub", base_key, _epub_document(draft), print_key)

                    def work() -> Callable[[], Any]:
                        print_editions.pop(print_inputs, None)  # not held once it is made
                        pdf = printed.pending if printed else None
                        if printed is None:  # not planned: on disk from an earlier build?
                            known = cache.unchanged_inputs(where / source, print_inputs)
                            entry = known[0] if known else None
                        else:
                            entry = printed.cached
                        pages = _recorded_pages(entry, source) if entry else None
                        laid_out: Pending[PrintPages] | None = None
                        if pdf is None and pages is None:  # not made now, nor recorded
                            mapped = PageMapWork(print_html(), handbook.root, roots,
                                                 draft.anchors, source)  # fmt: skip
                            laid_out = renderer.submit(mapped)

                        def epub() -> tuple[bytes, list[EmbeddedFont]]:
                            marked = pages
                            if pdf is not None:
                                rendered = pdf.result()
                                marked = PrintPages(source, rendered.pages,
                                                    rendered.anchor_pages)  # fmt: skip
                            elif laid_out is not None:
                                marked = laid_out.result()
                            made = draft_epub(handbook, theme, checked.faces, stamp or created,
                                              clinic, only, marked)  # fmt: skip
                            return EpubWork(made)()

                        return epub

                    return key, work

                spec = (clinic and clinic.id, only)
                steps.append(_Step(planned(target, label, "epub", "epub", only, spec, make)))
    return Started(checked, theme, plan, created, renderer, cache, base_key, stamp, steps,
                   spliced)  # fmt: skip


def _recorded_pages(entry: CachedOutput, source: str) -> PrintPages | None:
    """The pages of an EPUB's print edition as its record says, for a PDF on disk as this
    build would make it (unchanged, or not made in this build)."""
    from booklet.outputs.page_list import PrintPages

    anchors = entry.summary.get("anchors")
    if not isinstance(anchors, dict):
        return None
    if not all(isinstance(page, int) for page in anchors.values()):
        return None  # not what booklet records: never trusted
    return PrintPages(source, entry.pages, {str(k): v for k, v in anchors.items()})


def _epub_document(draft: EpubDraft) -> tuple[object, ...]:
    """What an EPUB is made of, for its key: each font by its file (the build key holds
    the file's facts) rather than its whole character map."""
    fonts = [(c.face.path, c.face.index, c.languages, c.href, c.characters) for c in draft.fonts]
    return draft.texts, draft.images, fonts, draft.modified


ELEMENT_ID = re.compile(r'\sid="([^"]+)"')
"""An element's id in the HTML the templates write (attributes always in double quotes)."""

BACK_COVER_ID = "back-cover"
"""The id of the back cover's element, to tell whether it stayed on one page."""

KEY_TIME = datetime(1980, 1, 1, tzinfo=UTC)
"""The date an EPUB is drafted with to key it when the build time is not fixed."""


def reproducible() -> bool:
    """Whether SOURCE_DATE_EPOCH fixes the build time."""
    return "SOURCE_DATE_EPOCH" in os.environ


def _finish(
    started: Started,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
    keep: Callable[[Made], None],
) -> None:
    """Make each output in build order and hand it to `keep`; each step is let go once
    made, so a build holds no more than what `keep` holds (a thousand clinic editions)."""
    plan, cache = started.plan, started.cache
    # Every tail at once, so the workers render them side by side.
    for edition in started.spliced:
        edition.start(started.renderer)
    started.spliced.clear()

    def emit(made: Made) -> None:
        keep(made)
        done(made.output)

    steps = started.steps[::-1]
    started.steps.clear()
    while steps:
        step = steps.pop()
        if step.printing and step.booklets is not None:
            emit(_printing_sheet(started, step.booklets, progress))
            continue
        item = step.planned
        if item is None:
            continue
        progress(f"{item.path.name} ({item.label})")
        if item.cached is not None:
            entry, data = _unchanged_bytes(cache, item.path, item.key)
            output = Output(item.path, item.kind, item.label, entry.size, 0.0, entry.pages,
                            list(entry.notes), item.purpose, item.language, plan.edition,
                            unchanged=True)  # fmt: skip
            made = Made(item.path, data, output, item.key)
        else:
            made = _made(started, item)
        emit(made)
        if step.impose and step.booklets is not None:
            progress(f"{made.path.stem}-booklet.pdf ({made.output.label}, booklet)")
            booklet = _impose(made, plan, cache)
            emit(booklet)
            step.booklets.summaries.append(booklet.summary)


def _unchanged_bytes(cache: BuildCache, path: Path, key: str) -> tuple[CachedOutput, bytes]:
    """An unchanged output's record and bytes, read when it is its turn (not all at once
    when the build is planned), and checked again."""
    cached = cache.unchanged(path, key)
    if cached is None:
        raise ConfigError(
            f"{display_path(path)}: changed while the build ran; build again, and leave the "
            "output folder alone until it is done"
        )
    return cached


def _made(started: Started, item: _Planned) -> Made:
    """Wait for an output's worker, and record what it made."""
    assert item.pending is not None
    notes: list[str] = []
    summary: dict[str, Any] = {}
    if item.kind == "epub":
        assert isinstance(item.pending, Pending)
        data, fonts = item.pending.result()
        pages = 0
        notes = [f"{font.family} subset: {font.glyphs} characters, {font.size / 1024:.0f} KB"
                 for font in fonts]  # fmt: skip
    else:
        rendered = item.pending.result()
        data, pages = rendered.data, rendered.pages
        # An EPUB made later, when this PDF is unchanged, reads its page list from here.
        summary["anchors"] = dict(rendered.anchor_pages)
        back = rendered.anchor_pages.get(BACK_COVER_ID)
        # It must be the last page, and a verso (an even page, in either direction), to
        # be the outside of the fold: text past its one page breaks one or the other.
        if pages % 2 or (back is not None and back != pages):
            notes.append(
                "warning: the back cover runs over one page on this paper; shorten the "
                "disclaimer or contact labels, or use a larger paper"
            )
    started.cache.remember(item.path, item.key, data, pages, notes, summary, item.inputs)
    output = Output(item.path, item.kind, item.label, len(data), item.pending.seconds, pages,
                    notes, item.purpose, item.language, started.plan.edition)  # fmt: skip
    return Made(item.path, data, output, item.key)


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
    """One output rendered in memory (or found unchanged on disk), not written yet."""

    path: Path
    data: bytes
    output: Output
    key: str = ""
    """The build cache's key of it."""
    summary: Mapping[str, Any] = field(default_factory=dict)
    """What the printing sheet says of a booklet (its file, sheets, sets)."""


def _impose(source: Made, plan: BuildPlan, cache: BuildCache) -> Made:
    from booklet.outputs.impose import impose_booklet, sheet_key, sheet_name

    path = source.path.with_name(source.path.stem + "-booklet.pdf")
    label = f"{source.output.label}, booklet"
    key = fingerprint("booklet", source.key, plan.signature, plan.creep_mm, plan.fold_marks)

    def output(size: int, seconds: float, pages: int, notes: list[str], same: bool) -> Output:
        return Output(path, "booklet", label, size, seconds, pages, notes, "booklet",
                      source.output.language, plan.edition, unchanged=same)  # fmt: skip

    cached = cache.unchanged(path, key)
    if cached is not None:
        entry, data = cached
        return Made(path, data, output(entry.size, 0.0, entry.pages, list(entry.notes), True),
                    key, entry.summary)  # fmt: skip
    start = time.perf_counter()
    imposed = impose_booklet(source.data, plan.signature, plan.creep_mm, plan.fold_marks)
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
    summary = {
        "file": path.name,
        "sheets": imposed.sheets,
        "signatures": imposed.signatures,
        "paper": paper,
        "paper_text": sheet_key(width, height),
        "layout": source.output.purpose,
        "sets": [list(pages) for pages in imposed.set_pages],
    }
    cache.remember(path, key, imposed.pdf, imposed.sheets * 2, notes, summary)
    made = output(len(imposed.pdf), time.perf_counter() - start, imposed.sheets * 2, notes, False)
    return Made(path, imposed.pdf, made, key, summary)


def _printing_sheet(started: Started, booklets: _Booklets, progress: Callable[[str], None]) -> Made:
    from booklet.outputs.impose import sheet_size
    from booklet.render.documents import render_printing_sheet
    from booklet.vocabulary import PAPERS, POINTS_PER_MM, Paper

    handbook = started.checked.handbook
    path, label = booklets.sheet, "how to print, test sheet"
    progress(f"{path.name} ({label})")
    width, height = sheet_size(*PAPERS[booklets.paper].points)
    sheet = Paper(f"{booklets.paper}-sheet", width / POINTS_PER_MM, height / POINTS_PER_MM)
    html = render_printing_sheet(handbook, started.theme, sheet, booklets.summaries,
                                 everyday_booklet(booklets.summaries))  # fmt: skip
    key = fingerprint("pdf", started.base_key, html, started.stamp)
    cached = started.cache.unchanged(path, key)
    if cached is not None:
        entry, data = cached
        output = Output(path, "pdf", label, entry.size, 0.0, entry.pages, list(entry.notes),
                        purpose="printing", unchanged=True)  # fmt: skip
        return Made(path, data, output, key)
    work = PdfWork(html, handbook.root, (handbook.root, *started.theme.folders), started.created)
    pending = started.renderer.submit(work)
    rendered = pending.result()
    data, pages = rendered.data, rendered.pages
    # One sheet, printed on both sides: instructions on the front, the test on the back.
    notes = [] if pages <= 2 else [
        "warning: the printing sheet runs over one sheet (its instructions take more than "
        "the front); impose fewer layouts at once (--layout), or shorten the theme's "
        "print_* interface text"]  # fmt: skip
    started.cache.remember(path, key, data, pages, notes)
    output = Output(path, "pdf", label, len(data), pending.seconds, pages, notes,
                    purpose="printing")  # fmt: skip
    return Made(path, data, output, key)


def everyday_booklet(booklets: Sequence[Mapping[str, Any]]) -> str | None:
    """The file of the booklet to print for everyday use, when the sheet lists several:
    the everyday layout's, else the first listed."""
    from booklet.vocabulary import EVERYDAY_LAYOUT

    if len(booklets) < 2:
        return None
    chosen = [b for b in booklets if b.get("layout") == EVERYDAY_LAYOUT] or list(booklets)
    return str(chosen[0]["file"])
