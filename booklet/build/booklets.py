"""How a fold-and-staple booklet and its printing sheet are made, once their sources are.

Takes a `Context` (which holds the PDFs and booklets already made) and a `PlannedOutput`
of kind `booklet` or `printing`; gives its `Document` and turns what its work made into
a `Result`: a booklet is its PDF imposed two-up (booklet.outputs.impose), the printing
sheet lists the booklets of its paper (sheets, stapled sets) with a duplex test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from booklet.build.cache import fingerprint
from booklet.build.plan import PlannedOutput
from booklet.build.records import Context, Document, Result
from booklet.build.workers import PdfWork
from booklet.vocabulary import EVERYDAY_LAYOUT, Layout

OFFICE_SHEET_MM2 = 216 * 356 + 1
"""The largest sheet an office printer takes (US Legal); A3 and Tabloid are larger."""


def booklet_document(context: Context, item: PlannedOutput) -> Document:
    """A booklet: its PDF's bytes, imposed with the plan's signature, creep and marks."""
    from booklet.outputs.impose import impose_booklet

    (source,) = item.sources
    made = context.made[source.path]
    how = item.imposition
    assert how is not None
    # A facing-pages book's spreads stay whole in every stapled set.
    spreads = source.spec.layout is Layout.FACING
    kept = ("spreads",) if spreads else ()  # the other booklets keep the keys they had
    key = fingerprint("booklet", made.key, how.signature, how.creep_mm, how.fold_marks, *kept)

    def impose() -> Any:
        return impose_booklet(
            made.data, how.signature, how.creep_mm, how.fold_marks, spreads=spreads
        )

    return Document(key, impose)


def booklet_result(context: Context, imposed: Any, item: PlannedOutput) -> Result:
    """An imposed booklet's bytes, and what its printing sheet says of it."""
    from booklet.outputs.impose import sheet_key, sheet_name

    width, height = imposed.sheet_size_mm
    sets = f", {imposed.signatures} stapled sets" if imposed.signatures > 1 else ""
    paper = sheet_name(width, height)
    notes = [
        f"{imposed.sheets} sheets of {paper} ({width:g} x {height:g} mm), duplex, flip on "
        f"short edge{sets}; {imposed.blanks} blank pages added"
    ]
    warnings = []
    if width * height > OFFICE_SHEET_MM2:
        warnings.append(
            f"this booklet prints on {paper} paper, which most office printers do not take; "
            "take it to a print shop, or print the unimposed PDF page by page"
        )
    summary = {
        "file": item.path.name,
        "sheets": imposed.sheets,
        "signatures": imposed.signatures,
        "paper": paper,
        "paper_text": sheet_key(width, height),
        "layout": item.sources[0].purpose,
        "sets": [list(pages) for pages in imposed.set_pages],
    }
    return Result(imposed.pdf, imposed.sheets * 2, notes, warnings, summary)


def printing_document(context: Context, item: PlannedOutput) -> Document:
    """The printing sheet: on the front how to print each booklet of its paper, on the
    back a duplex test; one sheet of the paper the booklets are printed on."""
    from booklet.outputs.impose import sheet_size
    from booklet.render.documents import render_printing_sheet
    from booklet.vocabulary import PAPERS, POINTS_PER_MM, Paper

    handbook = context.checked.handbook
    paper = item.spec.paper
    width, height = sheet_size(*PAPERS[paper].points)
    sheet = Paper(f"{paper}-sheet", width / POINTS_PER_MM, height / POINTS_PER_MM)
    summaries = [context.summaries[booklet.path] for booklet in item.sources]
    html = render_printing_sheet(
        handbook, context.theme, sheet, summaries, everyday_booklet(summaries)
    )
    key = fingerprint("pdf", context.base_key, html, context.stamp)
    roots = (handbook.root, *context.theme.folders)
    return Document(key, PdfWork(html, handbook.root, roots, context.created))


PRINTING_SHEET_RUNS_OVER = (
    "the printing sheet runs over one sheet (its instructions take more than the front); "
    "impose fewer layouts at once (--layout), or shorten the theme's print_* interface text"
)


def printing_result(context: Context, rendered: Any, item: PlannedOutput) -> Result:
    """The printing sheet's bytes: one sheet, printed on both sides."""
    warnings = [] if rendered.pages <= 2 else [PRINTING_SHEET_RUNS_OVER]
    return Result(rendered.data, rendered.pages, warnings=warnings)


def everyday_booklet(booklets: Sequence[Mapping[str, Any]]) -> str | None:
    """The file of the booklet to print for everyday use, when the sheet lists several:
    the everyday layout's, else the first listed."""
    if len(booklets) < 2:
        return None
    chosen = [b for b in booklets if b.get("layout") == EVERYDAY_LAYOUT] or list(booklets)
    return str(chosen[0]["file"])
