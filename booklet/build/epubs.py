"""How a planned EPUB is made: its document and key, its work, and its result.

Takes a `Context` and a `PlannedOutput` of kind `epub`; gives its `Document`, keyed by a
draft of a fixed date (so that the build time alone changes nothing) and by its print
edition, whose pages it marks. The page list comes from that PDF: made in the same
build, or read from the record of that PDF on disk, else laid out for it (no PDF
written). Made here, when waited for: HarfBuzz cuts its fonts in a tenth of a second.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from booklet.build.cache import CachedOutput, fingerprint
from booklet.build.pdfs import clinic_of, whole_html, whole_key
from booklet.build.plan import PlannedOutput
from booklet.build.records import Context, Document, Result, Step
from booklet.build.workers import EpubWork, PageMapWork

if TYPE_CHECKING:
    from booklet.outputs.epub import EpubDraft
    from booklet.outputs.page_list import PrintPages

KEY_TIME = datetime(1980, 1, 1, tzinfo=UTC)
"""The date an EPUB is drafted with to key it when the build time is not fixed."""


def epub_document(context: Context, item: PlannedOutput) -> Document:
    """An EPUB's document: its draft, and its print edition's key."""
    from booklet.outputs.epub import draft_epub

    handbook = context.checked.handbook
    clinic = clinic_of(context, item.spec)
    only = item.spec.language
    draft = draft_epub(
        handbook, context.theme, context.checked.faces, context.stamp or KEY_TIME, clinic, only
    )
    printed = item.print_edition
    assert printed is not None
    step = context.step_of(printed)
    # That PDF's key when it is planned in this build (a clinic's is spliced: its HTML is
    # never written whole), else the one it would have.
    print_key = step.key if step else whole_key(context, whole_html(context, printed.spec))
    key = fingerprint("epub", context.base_key, _epub_document(draft), print_key)
    return Document(key, _EpubMaker(context, item, step, tuple(draft.anchors)))


class _EpubMaker:
    """Makes an EPUB once the pages of its print edition are known."""

    def __init__(
        self, context: Context, item: PlannedOutput, printed: Step | None, anchors: tuple[str, ...]
    ) -> None:
        self.context = context
        self.item = item
        self.printed = printed
        self.anchors = anchors
        """The ids of the EPUB's elements whose print page it gives."""

    def __call__(self) -> tuple[bytes, list[Any]]:
        from booklet.outputs.epub import draft_epub

        context, spec = self.context, self.item.spec
        marked = self._print_pages()
        made = draft_epub(
            context.checked.handbook,
            context.theme,
            context.checked.faces,
            context.stamp or context.created,
            clinic_of(context, spec),
            spec.language,
            marked,
        )
        return EpubWork(made)()

    def _print_pages(self) -> PrintPages:
        from booklet.outputs.page_list import PrintPages

        context, printed = self.context, self.item.print_edition
        assert printed is not None
        source = printed.path.name
        step = self.printed
        if step is not None and step.pending is not None:
            rendered = step.pending.result()
            return PrintPages(source, rendered.pages, rendered.anchor_pages)
        entry = step.cached if step else self._record_on_disk()
        pages = recorded_pages(entry, source) if entry else None
        if pages is not None:
            return pages
        handbook = context.checked.handbook
        work = PageMapWork(
            whole_html(context, printed.spec),
            handbook.root,
            (handbook.root, *context.theme.folders),
            self.anchors,
            source,
        )
        result: PrintPages = context.renderer.submit(work).result()
        return result

    def _record_on_disk(self) -> CachedOutput | None:
        """The record of the print edition when it is on disk as this build would make it
        (not made in this build)."""
        from booklet.build.run import inputs_key

        printed = self.item.print_edition
        assert printed is not None
        known = self.context.cache.unchanged_inputs(printed.path, inputs_key(self.context, printed))
        return known[0] if known else None


def recorded_pages(entry: CachedOutput, source: str) -> PrintPages | None:
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


def epub_result(context: Context, made: Any, item: PlannedOutput) -> Result:
    """An EPUB's bytes, and the size of each font subset it holds."""
    data, fonts = made
    notes = [
        f"{font.family} subset: {font.glyphs} characters, {font.size / 1024:.0f} KB"
        for font in fonts
    ]
    return Result(data, 0, notes)
