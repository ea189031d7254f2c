"""A tagged book and some of its parts rendered again -> the book with those parts' pages.

Takes a PDF as booklet.outputs.pdf writes a whole book (its structure tree one top
element, WeasyPrint's /Document, whose kids are the book's parts in page order, one
each: cover, about page, contents, each chapter...) and, for some of its parts, the part
rendered alone as booklet.render.parts lays it out (the same kind of PDF, with one part;
or with a run of consecutive parts rendered together); gives the book with each such
part replaced, reading as if rendered whole:

- the part's pages, each with its own resources (fonts included), where its old pages were;
- its structure element in the old one's place, under the book's top element; the old
  pages' parent-tree keys gone, the new ones' moved past the book's
  (booklet.outputs.splice shifts them);
- its bookmarks where the old part's were (bookmarks into a part are top-level ones);
- the named destinations on its pages (those of the empty anchors a part holds for
  targets outside it excepted): the links of every page name their target, so the
  book's links find the new pages, and the part's links the book's targets;
- the book's page labels, or the ones given (when page counts changed); the XMP metadata
  and document information of the parts (the same head: only the revision differs).

Anything not as expected raises `Unspliceable`: the caller then renders the book whole.
Fonts are not merged: each part keeps its own subsets, so the bytes are not those of a
whole render (whose subsets cover every page), but its text, structure, bookmarks, links
and labels are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf

from booklet.outputs.pdf_tags import saved
from booklet.outputs.splice import (
    copied,
    element_kids,
    flat_tree,
    is_element,
    join_namespaces,
    join_parent_trees,
    marked_content_reference,
    name_tree,
    next_parent_key,
    number_tree,
    outline_items,
    outline_target,
    shift_struct_parents,
    xobjects,
)


class Unspliceable(Exception):
    """The book or a part is not shaped as a replacement needs (render the book whole)."""


@dataclass(frozen=True)
class NewPart:
    """One part of a book rendered again."""

    index: int
    """Its place among the book's top element's kids."""
    first: int
    """Its first page in the book, 0-based."""
    pages: int
    """How many pages it had in the book."""
    data: bytes
    """The part rendered alone."""
    stubs: frozenset[str] = frozenset()
    """Destination names it holds only as stand-ins for targets outside it."""
    elements: int = 1
    """How many of the book's parts it is (a run of consecutive ones rendered together)."""
    stage: int = 0
    """When it goes in: parts of a stage go in after those of the stages before, and
    their `index`, `first` and `pages` are those of the book those left."""


def replace_parts(
    book: bytes,
    parts: Sequence[NewPart],
    labels: Object | None = None,
    finishing: Callable[[Pdf], None] | None = None,
) -> bytes:
    """`book` with each of `parts` in place of its old pages; `labels` are the book's
    page labels when they changed (a pikepdf object, copied in); `finishing` is done to
    the book before it is saved."""
    if not parts:
        raise Unspliceable("nothing to replace")
    with ExitStack() as stack, pikepdf.open(BytesIO(book)) as pdf:
        extra: Pdf | None = None
        # Stage by stage, and in each from the last part back: a part's page count may
        # change the pages after it.
        for part in sorted(parts, key=lambda p: (p.stage, -p.first)):
            extra = stack.enter_context(pikepdf.open(BytesIO(part.data)))
            _replace(pdf, extra, part)
        assert extra is not None
        if labels is not None:
            pdf.Root.PageLabels = labels
        if "/Metadata" in extra.Root:
            pdf.Root.Metadata = copied(pdf, extra, extra.Root.Metadata)
        for key, value in extra.docinfo.items():
            pdf.docinfo[key] = value
        if finishing is not None:
            finishing(pdf)
        return saved(pdf)


def numbered_on(book: bytes) -> bool:
    """The book's pages are labelled 1, 2, 3... from the first: so they stay, whatever
    its page count (a book whose labels are written otherwise, in other digits, is
    rendered whole when its page count changes)."""
    with pikepdf.open(BytesIO(book)) as pdf:
        labels = pdf.Root.get("/PageLabels")
        nums = list(labels.get("/Nums", Array())) if isinstance(labels, Dictionary) else []
        return (
            len(nums) == 2
            and int(nums[0]) == 0
            and nums[1].get("/S") == Name.D
            and int(nums[1].get("/St", 1)) == 1
            and "/P" not in nums[1]
        )


def _replace(pdf: Pdf, extra: Pdf, part: NewPart) -> None:
    if part.first < 0 or part.first + part.pages > len(pdf.pages):
        raise Unspliceable("the part's pages are not in the book")
    old = {pdf.pages[part.first + n].obj.objgen for n in range(part.pages)}
    order = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    top, kids = _top(pdf)
    _mine, theirs = _top(extra)
    replaced = kids[part.index : part.index + part.elements]
    if len(theirs) != part.elements or part.index < 0 or len(replaced) != part.elements:
        raise Unspliceable("the part is not the elements of the book it replaces")
    if not set().union(*map(_pages_of, replaced)) <= old:
        raise Unspliceable("the part's element is not on its pages")
    dropped = _old_keys(pdf, part)
    shift_struct_parents(extra, next_parent_key(pdf.Root.StructTreeRoot))
    # The pages first: what is copied later (bookmarks, names, tags) points at them.
    for n, page in enumerate(extra.pages):
        pdf.pages.insert(part.first + n, page)
    for _ in range(part.pages):
        del pdf.pages[part.first + len(extra.pages)]
    _replace_outline(pdf, extra, old, order, part.first)
    _replace_names(pdf, extra, old, part.stubs)
    _replace_element(pdf, extra, top, kids, part, dropped)


def _top(pdf: Pdf) -> tuple[Object, list[Object]]:
    """A tagged PDF's one top element and its kids."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/IDTree" in root:
        raise Unspliceable("no structure tree, or one with ids")
    tops = element_kids(root)
    if len(tops) != 1 or not is_element(tops[0]):
        raise Unspliceable("the structure tree has no one top element")
    return tops[0], element_kids(tops[0])


def _pages_of(element: Object) -> set[tuple[int, int]]:
    """The pages `element` and what it holds are on."""
    found: set[tuple[int, int]] = set()
    stack = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, Dictionary):
            if "/Pg" in item:
                found.add(item.Pg.objgen)
            if "/S" in item or item.get("/Type") in (Name.MCR, Name.OBJR):
                stack.extend(element_kids(item))
    return found


def _old_keys(pdf: Pdf, part: NewPart) -> set[int]:
    """The parent-tree keys of the part's old pages and what they hold."""
    keys: set[int] = set()
    seen: set[tuple[int, int]] = set()
    for n in range(part.pages):
        page = pdf.pages[part.first + n].obj
        holders = [page, *page.get("/Annots", Array()), *xobjects(page, seen)]
        for holder in holders:
            for name in ("/StructParents", "/StructParent"):
                if name in holder:
                    keys.add(int(holder[name]))
    return keys


def _replace_element(
    pdf: Pdf, extra: Pdf, top: Object, kids: list[Object], part: NewPart, dropped: set[int]
) -> None:
    """The part's elements in place of the old ones, and the parent tree to match."""
    tree = pdf.Root.StructTreeRoot
    other = copied(pdf, extra, extra.Root.StructTreeRoot)
    theirs = element_kids(other)[0]
    moved = [marked_content_reference(kid, theirs) for kid in element_kids(theirs)]
    for kid in moved:
        if is_element(kid):
            kid.P = top
    top.K = Array([*kids[: part.index], *moved, *kids[part.index + part.elements :]])
    join_namespaces(tree, other, moved)
    kept = [(k, v) for k, v in number_tree(tree.ParentTree) if k not in dropped]
    join_parent_trees(tree, other, kept, {theirs.objgen: top})


# ---------------------------------------------------------------- bookmarks and names


def _visible(item: Object) -> int:
    return 1 + max(0, int(item.get("/Count", 0)))


def _replace_outline(
    pdf: Pdf, extra: Pdf, old: set[tuple[int, int]], order: dict[tuple[int, int], int], first: int
) -> None:
    """The part's bookmarks in place of the old part's: a run of top-level ones."""
    ours = pdf.Root.get("/Outlines")
    top = list(outline_items(ours.get("/First"))) if ours is not None else []
    inside = [outline_target(item) in old for item in top]
    for item, held in zip(top, inside, strict=True):
        for below in _below(item):
            if (outline_target(below) in old) != held:
                raise Unspliceable("a bookmark of the part is not a top-level one")
    kept = [item for item, held in zip(top, inside, strict=True) if not held]
    gone = [item for item, held in zip(top, inside, strict=True) if held]
    new: list[Object] = []
    if "/Outlines" in extra.Root and "/First" in extra.Root.Outlines:
        new = list(outline_items(copied(pdf, extra, extra.Root.Outlines).First))
    if not gone and not new:
        return
    at = sum(1 for item in kept if order.get(outline_target(item) or (0, 0), 0) < first)
    chain = [*kept[:at], *new, *kept[at:]]
    if ours is None:
        ours = pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    count = max(0, int(ours.get("/Count", 0))) - sum(map(_visible, gone)) + sum(map(_visible, new))
    _link(ours, chain, count)


def _below(item: Object) -> Iterator[Object]:
    for kid in outline_items(item.get("/First")):
        yield kid
        yield from _below(kid)


def _link(root: Object, chain: list[Object], count: int) -> None:
    if not chain:
        for name in ("/First", "/Last", "/Count"):
            if name in root:
                del root[name]
        return
    for n, item in enumerate(chain):
        item.Parent = root
        for name, other in (("/Prev", n - 1), ("/Next", n + 1)):
            if 0 <= other < len(chain):
                item[name] = chain[other]
            elif name in item:
                del item[name]
    root.First, root.Last, root.Count = chain[0], chain[-1], count


def _replace_names(pdf: Pdf, extra: Pdf, old: set[tuple[int, int]], stubs: frozenset[str]) -> None:
    """The named destinations on the part's pages in place of those on the old ones."""
    if "/Dests" in pdf.Root or "/Dests" in extra.Root:
        raise Unspliceable("PDF 1.1 destinations")
    names = pdf.Root.get("/Names") or Dictionary()
    ours = name_tree(names.Dests) if "/Dests" in names else []
    kept = [(name, dest) for name, dest in ours if outline_target(dest) not in old]
    known = {name for name, _ in kept}
    theirs: list[tuple[str, Object]] = []
    if "/Names" in extra.Root and "/Dests" in extra.Root.Names:
        dests = copied(pdf, extra, extra.Root.Names.Dests)
        theirs = [
            (name, dest)
            for name, dest in name_tree(dests)
            if name not in stubs and name not in known
        ]
    entries = sorted(kept + theirs, key=lambda pair: pair[0].encode("utf-8"))
    names.Dests = Dictionary(Names=flat_tree(entries))
    pdf.Root.Names = names
