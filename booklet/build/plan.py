"""The build plan as data: every file a build makes is a `PlannedOutput`.

Takes a parsed handbook and a `BuildPlan` (what a command asks for); gives the planned
outputs in build order, from one small planner per family of outputs: reading PDFs (the
layouts, the editions in one language, each clinic's), the translator's proof, the
imposed booklets with their printing sheet, and the EPUBs. Nothing here renders, reads
or writes a file: `booklet.build.run` makes what is planned, each kind as
`booklet.build.kinds` says.

A new output format is one planner here, called from `plan_outputs`, and one row in
`booklet.build.kinds.KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from booklet.model import Handbook
from booklet.vocabulary import LAYOUTS, Edition, Layout, OutputFormat, OutputKind

LARGE_PRINT_PAPER = "a4"
"""Large print is set on A4 unless a paper is asked for."""


@dataclass(frozen=True)
class BuildPlan:
    """What to build for each handbook (the command line's options, or the kit's)."""

    layouts: Sequence[Layout]
    """PDF layouts."""
    papers: Sequence[str]
    """Paper names; empty means the handbook's default paper."""
    formats: Sequence[OutputFormat]
    """`pdf`, `epub`, `html`, or several."""
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
    imposed_layouts: Sequence[Layout] = ()
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

    def __post_init__(self) -> None:
        # Callers may name a layout, format or edition by its value: each is its enum from
        # here on, so no comparison downstream tells `"parallel"` and `Layout.PARALLEL` apart.
        coerce = object.__setattr__
        coerce(self, "layouts", tuple(Layout(layout) for layout in self.layouts))
        coerce(self, "imposed_layouts", tuple(Layout(layout) for layout in self.imposed_layouts))
        coerce(self, "formats", tuple(OutputFormat(name) for name in self.formats))
        coerce(self, "edition", Edition(self.edition))
        for name in ("papers", "clinics", "languages"):
            coerce(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class DocumentSpec:
    """What one output's document is made with, besides the handbook and the theme: the
    build cache keys an output by it."""

    layout: Layout | None = None
    """A PDF's layout; None for an EPUB."""
    paper: str = ""
    """A PDF's paper name."""
    edition: Edition = Edition.STANDARD
    print_shop: bool = False
    clinic: str | None = None
    """The clinic whose edition it is."""
    language: str | None = None
    """The one language of an edition in one language."""
    proof: bool = False
    """The translator's proof (parallel, with unit ids and change bars)."""


@dataclass(frozen=True)
class Imposition:
    """How a booklet's pages are put on its sheets."""

    signature: int | None
    """Pages per stapled set; None for the default."""
    creep_mm: float
    """Creep compensation per sheet, in millimetres."""
    fold_marks: bool
    """Draw a fold mark."""


@dataclass(frozen=True)
class PlannedOutput:
    """One file a build makes."""

    path: Path
    """Where it goes."""
    label: str
    """What it is, for the progress line (`parallel, A5`)."""
    kind: OutputKind
    spec: DocumentSpec
    print_edition: PlannedOutput | None = None
    """An EPUB's print edition: the PDF whose page numbers its page list gives (planned
    in the same build or not; its record on disk serves when it is not)."""
    sources: tuple[PlannedOutput, ...] = ()
    """What it is made from once they are made: a booklet's PDF, a printing sheet's
    booklets."""
    imposition: Imposition | None = None
    """How a booklet is imposed."""

    @property
    def purpose(self) -> str:
        """What it is for: a layout's name, `language` (one language), `proof`,
        `booklet`, `printing` (the printing sheet) or `epub`."""
        if self.kind is not OutputKind.PDF:
            return self.kind.value
        if self.spec.proof:
            return "proof"
        if self.spec.language:
            return "language"
        assert self.spec.layout is not None
        return self.spec.layout.value

    @property
    def language(self) -> str:
        """The one language it is in, for an edition in one language."""
        return self.spec.language or ""


@dataclass(frozen=True)
class _Place:
    """Where one edition's files go, and how they are named: OUT/<id>/<id>-... or, for a
    clinic, OUT/<id>/<clinic>/<id>-<clinic>-..."""

    folder: Path
    name: str
    clinic: str | None
    plan: BuildPlan
    handbook: Handbook

    @property
    def suffix(self) -> str:
        large = "-large-print" if self.plan.edition is Edition.LARGE_PRINT else ""
        return large + ("-print-shop" if self.plan.print_shop else "")

    @property
    def papers(self) -> list[str]:
        if self.plan.papers:
            return list(self.plan.papers)
        large = self.plan.edition is Edition.LARGE_PRINT
        return [LARGE_PRINT_PAPER if large else self.handbook.paper]


def plan_outputs(handbook: Handbook, plan: BuildPlan) -> list[PlannedOutput]:
    """Every output of one handbook the plan asks for, in build order: for each edition
    (generic, or each clinic's), the PDFs paper by paper (each booklet after its PDF, the
    printing sheet after its booklets), then the EPUBs."""
    planned: list[PlannedOutput] = []
    editions: list[str | None] = [*plan.clinics] or [None]
    for clinic in editions:
        folder = plan.out_dir / handbook.id
        place = _Place(
            folder / clinic if clinic else folder,
            f"{handbook.id}-{clinic}" if clinic else handbook.id,
            clinic,
            plan,
            handbook,
        )
        if OutputFormat.PDF in plan.formats:
            for paper in place.papers:
                planned += _pdfs_on(place, paper)
        if OutputFormat.EPUB in plan.formats:
            planned += plan_epubs(place)
        if OutputFormat.HTML in plan.formats:
            planned += plan_html_editions(place)
    return planned


def _pdfs_on(place: _Place, paper: str) -> Iterator[PlannedOutput]:
    reading = plan_reading_pdfs(place, paper)
    booklets = plan_booklets(place, paper, reading)
    for pdf in reading:
        yield pdf
        yield from (b for b in booklets if b.kind is OutputKind.BOOKLET and pdf in b.sources)
    yield from plan_proof(place, paper)
    yield from (b for b in booklets if b.kind is OutputKind.PRINTING_SHEET)


def _variants(plan: BuildPlan) -> list[tuple[Layout, str | None]]:
    """(layout, the one language shown or None): an edition in one language is one book
    whatever the layout, so it is set once, sequentially."""
    ones: list[tuple[Layout, str | None]] = [(Layout.SEQUENTIAL, lang) for lang in plan.languages]
    return ones or [(layout, None) for layout in plan.layouts]


def plan_reading_pdfs(place: _Place, paper: str) -> list[PlannedOutput]:
    """The PDFs to read on one paper: each layout, or each edition in one language."""
    plan = place.plan
    planned = []
    for layout, only in _variants(plan):
        label = ", ".join(
            ([place.clinic] if place.clinic else [])
            + ([f"{only} only"] if only else [layout.value])
            + [paper.upper()]
            + (["large print"] if plan.edition is Edition.LARGE_PRINT else [])
            + (["print shop"] if plan.print_shop else [])
        )
        spec = DocumentSpec(layout, paper, plan.edition, plan.print_shop, place.clinic, only)
        called = only or layout.value
        path = place.folder / f"{place.name}-{called}-{paper}{place.suffix}.pdf"
        planned.append(PlannedOutput(path, label, OutputKind.PDF, spec))
    return planned


def plan_proof(place: _Place, paper: str) -> list[PlannedOutput]:
    """The translator's proof on one paper, when asked for."""
    if not place.plan.proof:
        return []
    spec = DocumentSpec(
        Layout.PARALLEL, paper, place.plan.edition, place.plan.print_shop, proof=True
    )
    path = place.folder / f"{place.name}-proof-{paper}.pdf"
    return [PlannedOutput(path, f"translator's proof, {paper.upper()}", OutputKind.PDF, spec)]


def plan_booklets(
    place: _Place, paper: str, reading: Sequence[PlannedOutput]
) -> list[PlannedOutput]:
    """Each reading PDF to impose as a fold-and-staple booklet, then the printing sheet
    that says how to print them."""
    plan = place.plan
    if not plan.impose:
        return []
    imposition = Imposition(plan.signature, plan.creep_mm, plan.fold_marks)
    booklets = [
        PlannedOutput(
            pdf.path.with_name(pdf.path.stem + "-booklet.pdf"),
            f"{pdf.label}, booklet",
            OutputKind.BOOKLET,
            pdf.spec,
            sources=(pdf,),
            imposition=imposition,
        )
        for pdf in reading
        if not plan.imposed_layouts or pdf.spec.layout in plan.imposed_layouts
    ]
    sheet = place.folder / f"{place.name}-{paper}{place.suffix}-printing.pdf"
    spec = DocumentSpec(paper=paper, clinic=place.clinic)
    printing = PlannedOutput(
        sheet, "how to print, test sheet", OutputKind.PRINTING_SHEET, spec, sources=tuple(booklets)
    )
    return [*booklets, printing]


def plan_epubs(place: _Place) -> list[PlannedOutput]:
    """The EPUB, or one per language asked for, each with its print edition: the same
    clinic and language on the handbook's paper, interleaved (sequential in one
    language), whose pages it marks."""
    planned = []
    ones: list[str | None] = [*place.plan.languages] or [None]
    for only in ones:
        spec = print_edition_spec(place.handbook, place.clinic, only, place.plan.edition)
        assert spec.layout is not None
        called = only or spec.layout.value
        large = "-large-print" if spec.edition is Edition.LARGE_PRINT else ""
        path = place.folder / f"{place.name}-{called}-{spec.paper}{large}.pdf"
        printed = PlannedOutput(path, "print edition", OutputKind.PDF, spec)
        target = place.folder / (f"{place.name}-{only}.epub" if only else f"{place.name}.epub")
        label = f"EPUB 3, {only} only" if only else "EPUB 3"
        spec = DocumentSpec(clinic=place.clinic, language=only)
        planned.append(PlannedOutput(target, label, OutputKind.EPUB, spec, printed))
    return planned


def plan_html_editions(place: _Place) -> list[PlannedOutput]:
    """The reading edition: a folder of web pages in both languages (OUT/<id>/<id>-html/,
    or a clinic's OUT/<id>/<clinic>/<id>-<clinic>-html/), or one per language asked for
    (OUT/<id>/<id>-<lang>-html/)."""
    planned = []
    ones: list[str | None] = [*place.plan.languages] or [None]
    for only in ones:
        facts = [f"{only} only"] if only else []
        facts += [place.clinic] if place.clinic else []
        label = ", ".join(["HTML edition", *facts])
        spec = DocumentSpec(clinic=place.clinic, language=only)
        path = place.folder / (f"{place.name}-{only}-html" if only else f"{place.name}-html")
        planned.append(PlannedOutput(path, label, OutputKind.HTML_EDITION, spec))
    return planned


def print_edition_spec(
    handbook: Handbook,
    clinic: str | None,
    language: str | None,
    edition: Edition = Edition.STANDARD,
) -> DocumentSpec:
    """The PDF whose page numbers an EPUB's page list gives: the same clinic, language and
    edition on the handbook's paper (A4 for large print, the PDF it sits beside),
    interleaved (sequential in one language)."""
    layout = Layout.SEQUENTIAL if language else Layout.INTERLEAVED
    paper = LARGE_PRINT_PAPER if edition is Edition.LARGE_PRINT else handbook.paper
    return DocumentSpec(layout, paper, edition, clinic=clinic, language=language)


def published_plans(handbook: Handbook, out_dir: Path) -> list[BuildPlan]:
    """The plans of what a handbook publishes (`[publish]`): its bilingual layouts, and
    as asked the booklets, large print, the print-shop edition and the editions in one
    language, each for the generic edition and for every clinic named."""
    publish = handbook.publish
    if publish is None:
        return [BuildPlan(list(LAYOUTS), (), list(OutputFormat), out_dir)]
    known = [clinic.id for clinic in handbook.clinics]
    clinics = known if "all" in publish.clinics else list(publish.clinics)
    pdf = [OutputFormat.PDF]
    plans = []
    for edition in [[], *([clinic] for clinic in clinics)]:
        plans.append(
            BuildPlan(
                publish.layouts,
                publish.papers,
                publish.formats,
                out_dir,
                impose=publish.impose and OutputFormat.PDF in publish.formats,
                clinics=edition,
            )
        )
        if publish.large_print:
            plans.append(
                BuildPlan(
                    [Layout.INTERLEAVED],
                    (),
                    pdf,
                    out_dir,
                    edition=Edition.LARGE_PRINT,
                    clinics=edition,
                )
            )
        if publish.print_shop:
            plans.append(
                BuildPlan(
                    publish.layouts, publish.papers, pdf, out_dir, print_shop=True, clinics=edition
                )
            )
        if publish.languages:
            plans.append(
                BuildPlan(
                    [],
                    publish.papers,
                    publish.formats,
                    out_dir,
                    clinics=edition,
                    languages=publish.languages,
                )
            )
    return plans
