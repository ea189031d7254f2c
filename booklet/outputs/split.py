"""One PDF of several documents (booklet.outputs.pdf.render_pdfs) -> the PDF of one of them.

Clinic editions' tails are rendered together, one document per clinic, as one PDF (its
fonts subset and written once); `own_pages` gives one clinic's tail as if it had been
rendered alone, ready to be spliced onto the body (booklet.outputs.splice):

- its pages only;
- in the structure tree, the top element's kids whose content is on its pages, and the
  parent tree's entries of its pages and of what they carry (annotations, XObjects);
- the bookmarks that point at its pages;
- its named destinations: those on its pages, and an id every document has (the back
  cover's), which the PDF names once, on the first document's page, pointed at the same
  place of its own page;
- its page labels, as it prints its folios;
- its own copy's description in the XMP (xmpMM:DocumentID), the first document's
  otherwise;
- in its pages' resources (which WeasyPrint shares between every page), only what its
  pages draw: no other clinic's fonts, images or graphics states.

What is left out is no longer reachable from the file's root, so it is not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from itertools import pairwise
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf

from booklet.outputs import page_labels
from booklet.outputs.pdf import LaidOut
from booklet.outputs.splice import (
    element_kids,
    flat_tree,
    name_tree,
    number_tree,
    outline_items,
    outline_target,
    xobjects,
)

Page = tuple[int, int]
"""A page object's number and generation."""


def own_pages(data: bytes, laid: Sequence[LaidOut], index: int) -> Pdf:
    """The PDF `data` of the documents `laid`, cut to document `index` (open: the caller
    closes it)."""
    pdf = pikepdf.open(BytesIO(data))
    own = laid[index]
    keep = range(own.first, own.first + own.pages)
    pages = [pdf.pages[i].obj for i in keep]
    kept = {page.objgen for page in pages}
    _keep_names(pdf, own, pages, kept)
    _keep_outlines(pdf, kept)
    _keep_labels(pdf, own)
    if index:
        _name_copy(pdf, laid[0].copy, own.copy)
    for i in reversed(range(len(pdf.pages))):
        if i not in keep:
            del pdf.pages[i]
    _keep_resources(pdf)
    _keep_structure(pdf, pages, kept)
    return pdf


def _keep_resources(pdf: Pdf) -> None:
    used: dict[tuple[int, int], tuple[Object, dict[str, set[str]]]] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _note_resources(page.obj, page.obj.get("/Resources"), used, seen)
    for resources, names in used.values():
        for category, sub in resources.items():
            if category in _CATEGORIES and isinstance(sub, Dictionary):
                wanted = names.get(category, set())
                for name in [str(n) for n in list(sub.keys()) if str(n) not in wanted]:
                    del sub[name]


_NAMED = {
    "Tf": ("/Font", 0),
    "Do": ("/XObject", 0),
    "gs": ("/ExtGState", 0),
    "sh": ("/Shading", 0),
    "cs": ("/ColorSpace", 0),
    "CS": ("/ColorSpace", 0),
    "scn": ("/Pattern", -1),
    "SCN": ("/Pattern", -1),
    "BDC": ("/Properties", 1),
    "DP": ("/Properties", 1),
}
"""Each operator that names a resource: its category and which operand names it."""
_CATEGORIES = {category for category, _ in _NAMED.values()}


def _note_resources(
    holder: Object,
    resources: Object | None,
    used: dict[tuple[int, int], tuple[Object, dict[str, set[str]]]],
    seen: set[tuple[int, int]],
) -> None:
    """Note the resources `holder`'s content names (its forms' too), by resources dictionary."""
    if not isinstance(resources, Dictionary) or not resources.is_indirect:
        return  # only WeasyPrint's shared dictionaries are cut
    names = used.setdefault(resources.objgen, (resources, {}))[1]
    for instruction in pikepdf.parse_content_stream(holder):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        named = _NAMED.get(str(instruction.operator))
        operands = instruction.operands
        if named is not None and operands and isinstance(operands[named[1]], Name):
            names.setdefault(named[0], set()).add(str(operands[named[1]]))
    for name in sorted(names.get("/XObject", ())):
        xobject = resources.get("/XObject", Dictionary()).get(name)
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != Name.Form:
            continue
        if xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _note_resources(xobject, xobject.get("/Resources", resources), used, seen)


def _keep_structure(pdf: Pdf, pages: Sequence[Object], kept: set[Page]) -> None:
    if "/StructTreeRoot" not in pdf.Root:
        return
    tree = pdf.Root.StructTreeRoot
    kids = element_kids(tree)
    top = kids[0] if len(kids) == 1 and isinstance(kids[0], Dictionary) else tree
    owner: Page | None = None
    mine: list[Object] = []
    for kid in element_kids(top):
        # Content-less elements go with the content before them.
        owner = _page_of(kid, top.get("/Pg")) or owner
        if owner in kept:
            mine.append(kid)
    top.K = Array(mine)
    if "/ParentTree" not in tree:
        return
    # Numbered as if rendered alone: its pages' keys first, by page, then the others'.
    holders: list[tuple[Object, str]] = []
    seen: set[tuple[int, int]] = set()
    for page in pages:
        holders.append((page, "/StructParents"))
        holders += [(annotation, "/StructParent") for annotation in page.get("/Annots", Array())]
        for xobject in xobjects(page, seen):
            holders += [(xobject, "/StructParent"), (xobject, "/StructParents")]
    holders = [(holder, name) for holder, name in holders if name in holder]
    renumbered = {
        int(page.StructParents): i for i, page in enumerate(pages) if "/StructParents" in page
    }
    others = sorted({int(holder[name]) for holder, name in holders} - renumbered.keys())
    renumbered.update({key: len(pages) + rank for rank, key in enumerate(others)})
    entries = [
        (renumbered[key], value) for key, value in number_tree(tree.ParentTree) if key in renumbered
    ]
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=flat_tree(sorted(entries, key=_first))))
    tree.ParentTreeNextKey = len(pages) + len(others)
    for holder, name in holders:
        holder[name] = renumbered[int(holder[name])]


def _first(entry: tuple[int, Object]) -> int:
    return entry[0]


def _add_key(keys: set[int], holder: Object, name: str) -> None:
    if name in holder:
        keys.add(int(holder[name]))


def _page_of(kid: Object, page: Object | None) -> Page | None:
    """The page of the first content of `kid` (a marked-content id takes its parent's)."""
    if isinstance(kid, int):
        return page.objgen if page is not None else None
    if not isinstance(kid, Dictionary):
        return None
    page = kid.get("/Pg", page)
    if kid.get("/Type") in (Name.MCR, Name.OBJR):
        return page.objgen if page is not None else None
    for inner in element_kids(kid):
        found = _page_of(inner, page)
        if found is not None:
            return found
    return None


def _keep_outlines(pdf: Pdf, kept: set[Page]) -> None:
    if "/Outlines" not in pdf.Root or "/First" not in pdf.Root.Outlines:
        return
    named = dict(_dests(pdf))
    outlines = pdf.Root.Outlines
    mine = [item for item in outline_items(outlines.First) if outline_target(item, named) in kept]
    if not mine:
        del pdf.Root.Outlines
        return
    for before, after in pairwise(mine):
        before.Next, after.Prev = after, before
    for name, end in (("/Prev", mine[0]), ("/Next", mine[-1])):
        if name in end:
            del end[name]
    outlines.First, outlines.Last = mine[0], mine[-1]
    outlines.Count = len(mine) + sum(max(0, int(item.get("/Count", 0))) for item in mine)


def _dests(pdf: Pdf) -> list[tuple[str, Object]]:
    names = pdf.Root.get("/Names")
    if not isinstance(names, Dictionary) or "/Dests" not in names:
        return []
    return name_tree(names.Dests)


def _keep_names(pdf: Pdf, own: LaidOut, pages: Sequence[Object], kept: set[Page]) -> None:
    entries = _dests(pdf)
    if not entries:
        return
    mine: list[tuple[str, Object]] = []
    for name, dest in entries:
        array = dest.get("/D") if isinstance(dest, Dictionary) else dest
        if not isinstance(array, Array) or not len(array):
            continue
        if array[0].objgen in kept:
            mine.append((name, dest))
        elif name in own.anchors:  # named once, on another document's page
            mine.append((name, Array([pages[own.anchors[name] - 1], *list(array)[1:]])))
    pdf.Root.Names.Dests = Dictionary(Names=flat_tree(mine))


def _keep_labels(pdf: Pdf, own: LaidOut) -> None:
    """Its page labels, as for it alone (from what its pages print)."""
    if "/PageLabels" in pdf.Root:
        pdf.Root.PageLabels = pikepdf.Object.parse(page_labels.number_tree(own.folios).data)


def _name_copy(pdf: Pdf, first: str, own: str) -> None:
    """The XMP's copy description: this document's, not the first's."""
    if "/Metadata" not in pdf.Root or first == own:
        return
    packet = pdf.Root.Metadata.read_bytes()
    tag = "<xmpMM:DocumentID>{}</xmpMM:DocumentID>"
    theirs, mine = tag.format(escape(first)).encode(), tag.format(escape(own)).encode()
    pdf.Root.Metadata.write(packet.replace(theirs, mine, 1))
