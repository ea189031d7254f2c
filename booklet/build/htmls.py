"""How a planned HTML edition is made: its document and key, its work, and its result.

Takes a `Context` and a `PlannedOutput` of kind `html`; gives its `Document`, keyed by
the files of the folder (booklet.outputs.html_edition renders them in a few tenths of a
second, here, when the build starts), and as its result the folder's bundle
(booklet.build.folders), which the build writes as the folder's files.
"""

from __future__ import annotations

from typing import Any

from booklet.build.cache import fingerprint
from booklet.build.folders import pack_folder
from booklet.build.pdfs import clinic_of
from booklet.build.plan import PlannedOutput
from booklet.build.records import Context, Document, Result


def html_document(context: Context, item: PlannedOutput) -> Document:
    """An HTML edition's document: its files, rendered now."""
    from booklet.outputs.html_edition import html_edition_files

    files = html_edition_files(
        context.checked.handbook, context.theme, clinic_of(context, item.spec), item.spec.language
    )
    bundle = pack_folder(files)
    key = fingerprint("html", context.base_key, bundle)
    return Document(key, lambda: (bundle, files))


def html_result(context: Context, made: Any, item: PlannedOutput) -> Result:
    """The folder's bundle; the number of its files and the size of its search index."""
    from booklet.outputs.html_edition import INDEX

    bundle, files = made
    index = next(len(data) for name, data in files if name == INDEX)
    total = sum(len(data) for _, data in files)
    notes = [f"{len(files)} files, {total / 1024:.0f} KB; search index {index / 1024:.0f} KB"]
    return Result(bundle, 0, notes)
