"""Two tagged PDFs -> one: a clinic edition's shared body, then the clinic's own tail.

A clinic edition differs from its neighbours only in its last pages (the clinic's page and
the back cover), so the body is rendered once for every clinic and each clinic's tail
apart, its pages numbered on from the body's (booklet.render.documents, part `tail`).
`splice_pdf` joins them as one document that reads as if it had been rendered whole:

- the pages, the body's then the tail's, each with its own resources (fonts included);
- one structure tree: the tail's elements follow the body's, inside the body's top element
  when both trees have the same one (WeasyPrint's /Document), whatever element types
  they hold; one parent tree, the tail's keys moved past the body's (and its pages'
  /StructParents, its annotations' and objects' /StructParent with them); the role and
  class maps, the structure ids (/IDTree) and the namespaces joined;
- the tail's bookmarks after the body's, one tree of named destinations, and page labels
  going on (link annotations come with their pages and point at the copied pages);
- the body's catalog and document information, and the tail's XMP metadata (the same
  but for the copy it describes: the clinic's edition, not the shared body).

The /ID is made from the content, so the same two PDFs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Pdf

from booklet.outputs.pdf_tags import saved
from booklet.outputs.shared_fonts import Glyphs, share


def splice_pdf(body: bytes, tail: bytes | Pdf, fonts: tuple[Glyphs, Glyphs] | None = None) -> bytes:
    """The PDF of `body`'s pages followed by `tail`'s (a PDF's bytes, or an open one), as
    one tagged document; each face the two share is one font (shared_fonts.share) where
    the tail's subset holds the body's glyphs (`fonts`: the glyphs of the body's fonts
    and the tail's, when known)."""
    with pikepdf.open(BytesIO(body)) as book:
        if isinstance(tail, Pdf):
            _splice(book, tail, fonts)
        else:
            with pikepdf.open(BytesIO(tail)) as extra:
                _splice(book, extra, fonts)
        return saved(book)


def _splice(book: Pdf, extra: Pdf, fonts: tuple[Glyphs, Glyphs] | None) -> None:
    start = len(book.pages)
    if "/StructTreeRoot" in book.Root and "/StructTreeRoot" in extra.Root:
        # Moved in the tail first, so what is copied already carries its new keys.
        shift_struct_parents(extra, next_parent_key(book.Root.StructTreeRoot))
    book.pages.extend(extra.pages)  # copied once: what is copied later points at them
    if "/StructTreeRoot" in extra.Root:
        tree = copied(book, extra, extra.Root.StructTreeRoot)
        if "/StructTreeRoot" in book.Root:
            _join_structure(book.Root.StructTreeRoot, tree)
        else:
            book.Root.StructTreeRoot = tree
    if "/Outlines" in extra.Root and "/First" in extra.Root.Outlines:
        _join_outlines(book, copied(book, extra, extra.Root.Outlines))
    _join_names(book, extra)
    if "/Dests" in extra.Root:  # PDF 1.1's destinations, a plain dictionary
        dests = book.Root.get("/Dests") or book.make_indirect(Dictionary())
        for name, dest in copied(book, extra, extra.Root.Dests).items():
            if name not in dests:
                dests[name] = dest
        book.Root.Dests = dests
    if "/PageLabels" in extra.Root:
        labels = [
            (start + key, value)
            for key, value in number_tree(copied(book, extra, extra.Root.PageLabels))
        ]
        if "/PageLabels" not in book.Root and labels[0][0] > 0:
            labels.insert(0, (0, Dictionary(S=Name.D)))  # the body as it was numbered
        old = number_tree(book.Root.PageLabels) if "/PageLabels" in book.Root else []
        book.Root.PageLabels = Dictionary(Nums=flat_tree(old + labels))
    if "/Metadata" in extra.Root:  # the tail's XMP names the clinic (booklet identify)
        book.Root.Metadata = copied(book, extra, extra.Root.Metadata)
    share(book, start, fonts)


def copied(book: Pdf, extra: Pdf, value: Object) -> Object:
    """`extra`'s `value` copied into `book`; the pages it points at are the copies already
    made of them (pikepdf copies each foreign object once)."""
    if not value.is_indirect:  # only an indirect object can be copied across
        value = extra.make_indirect(value)
    return book.copy_foreign(value)


# ---------------------------------------------------------------- the structure tree


def next_parent_key(tree: Object) -> int:
    """The first parent-tree key after the ones `tree` uses."""
    keys = [key for key, _ in number_tree(tree.ParentTree)] if "/ParentTree" in tree else []
    known = int(tree.get("/ParentTreeNextKey", 0))
    return max([known, *(key + 1 for key in keys)])


def shift_struct_parents(pdf: Pdf, offset: int) -> None:
    """Move every parent-tree key of `pdf` up by `offset`: in the tree, on the pages, and
    on the annotations and XObjects that carry one."""
    tree = pdf.Root.StructTreeRoot
    if "/ParentTree" in tree:
        moved = [(key + offset, value) for key, value in number_tree(tree.ParentTree)]
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=flat_tree(moved)))
    if "/ParentTreeNextKey" in tree:
        tree.ParentTreeNextKey = int(tree.ParentTreeNextKey) + offset
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _shift_key(page.obj, "/StructParents", offset)
        for annotation in page.obj.get("/Annots", Array()):
            _shift_key(annotation, "/StructParent", offset)
        for xobject in xobjects(page.obj, seen):
            _shift_key(xobject, "/StructParent", offset)
            _shift_key(xobject, "/StructParents", offset)


def _shift_key(holder: Object, key: str, offset: int) -> None:
    if key in holder:
        holder[key] = int(holder[key]) + offset


def xobjects(holder: Object, seen: set[tuple[int, int]]) -> Iterator[Object]:
    """The XObjects `holder`'s resources name, and theirs (forms hold forms), each once."""
    resources = holder.get("/Resources")
    if not isinstance(resources, Dictionary) or "/XObject" not in resources:
        return
    for xobject in resources.XObject.values():
        if xobject.is_indirect:
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
        yield xobject
        yield from xobjects(xobject, seen)


def _join_structure(tree: Object, other: Object) -> None:
    """Put `other`'s structure (already copied into `tree`'s PDF) after `tree`'s own."""
    ours, theirs = element_kids(tree), element_kids(other)
    swap: dict[tuple[int, int], Object] = {}  # an element of `other` -> the one replacing it
    if (
        len(ours) == 1
        and len(theirs) == 1
        and is_element(ours[0])
        and is_element(theirs[0])
        and ours[0].get("/S") == theirs[0].get("/S")
    ):
        # One top element each (a /Document): the tail's content goes into the body's.
        top, gone = ours[0], theirs[0]
        swap[gone.objgen] = top
        moved = [marked_content_reference(kid, gone) for kid in element_kids(gone)]
        top.K = Array([*element_kids(top), *moved])
    else:
        top, moved = tree, theirs
        tree.K = Array([*ours, *theirs])
    for kid in moved:
        if is_element(kid):
            kid.P = top
    join_namespaces(tree, other, moved)
    kept = number_tree(tree.ParentTree) if "/ParentTree" in tree else []
    join_parent_trees(tree, other, kept, swap)
    if "/IDTree" in other:
        ids = name_tree(tree.IDTree) if "/IDTree" in tree else []
        tree.IDTree = Dictionary(Names=flat_tree(_joined(ids, name_tree(other.IDTree))))


def join_parent_trees(
    tree: Object,
    other: Object,
    kept: list[tuple[int, Object]],
    swap: dict[tuple[int, int], Object],
) -> None:
    """`tree`'s parent tree made of its `kept` entries and `other`'s (whose elements in
    `swap` are replaced by the ones standing for them), and `other`'s role and class
    names added to `tree`'s."""
    nums = list(kept)
    for key, value in number_tree(other.ParentTree) if "/ParentTree" in other else []:
        if isinstance(value, Array):
            value = Array([swapped(item, swap) for item in value])
        nums.append((key, swapped(value, swap)))
    nums.sort(key=lambda pair: pair[0])
    tree.ParentTree = Dictionary(Nums=flat_tree(nums))
    tree.ParentTreeNextKey = max(
        [int(other.get("/ParentTreeNextKey", 0)), *(key + 1 for key, _ in nums)]
    )
    for name in ("/RoleMap", "/ClassMap"):
        if name in other:
            mapping = tree.get(name) or Dictionary()
            for role, value in other[name].items():
                if role not in mapping:
                    mapping[role] = value
            tree[name] = mapping


def outline_items(first: Object | None) -> Iterator[Object]:
    """A bookmark and the ones after it at its level."""
    item = first
    while item is not None:
        yield item
        item = item.get("/Next")


def outline_target(
    item: Object, named: Mapping[str, Object] | None = None
) -> tuple[int, int] | None:
    """The page (its object id) a bookmark or a destination goes to: by its /Dest, a
    GoTo action's /D, a named destination (looked up in `named`) or a destination array."""
    dest: Object | None = item
    if isinstance(item, Dictionary) and ("/Dest" in item or "/A" in item):
        dest = item.get("/Dest")
        if dest is None and item.A.get("/S") == Name.GoTo:
            dest = item.A.get("/D")
    if isinstance(dest, (pikepdf.String, Name)) and named is not None:
        dest = named.get(str(dest).lstrip("/"))
    if isinstance(dest, Dictionary):
        dest = dest.get("/D")
    if isinstance(dest, Array) and len(dest) > 0 and isinstance(dest[0], Dictionary):
        return dest[0].objgen
    return None


def element_kids(element: Object) -> list[Object]:
    """An element's /K as a list (PDF allows one kid without an array)."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def is_element(kid: Object) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem


def marked_content_reference(kid: Object, parent: Object) -> Object:
    """A kid as it can stand under another parent: a bare marked-content id takes its
    page from its parent's /Pg, so it becomes a reference naming the page."""
    if isinstance(kid, int) and "/Pg" in parent:
        return Dictionary(Type=Name.MCR, Pg=parent.Pg, MCID=kid)
    return kid


def swapped(value: Object, swap: dict[tuple[int, int], Object]) -> Object:
    if isinstance(value, Dictionary) and value.is_indirect and value.objgen in swap:
        return swap[value.objgen]
    return value


def join_namespaces(tree: Object, other: Object, moved: list[Object]) -> None:
    """One namespace object per namespace name: the moved elements' /NS point at `tree`'s."""
    if "/Namespaces" not in other:
        return
    spaces = list(tree.get("/Namespaces", Array()))
    by_name = {str(space.get("/NS", "")): space for space in spaces}
    swap: dict[tuple[int, int], Object] = {}
    for space in other.Namespaces:
        name = str(space.get("/NS", ""))
        if name in by_name:
            swap[space.objgen] = by_name[name]
        else:
            by_name[name] = space
            spaces.append(space)
    tree.Namespaces = Array(spaces)
    for element in _walk(moved):
        if "/NS" in element:
            element.NS = swapped(element.NS, swap)


def _walk(kids: list[Object]) -> Iterator[Object]:
    """Every structure element among `kids` and below them."""
    stack = list(reversed(kids))
    while stack:
        kid = stack.pop()
        if is_element(kid):
            yield kid
            stack.extend(reversed(element_kids(kid)))


# ---------------------------------------------------------------- outlines and names


def _join_outlines(book: Pdf, theirs: Object) -> None:
    """Hang the top-level bookmarks of `theirs` (copied into `book`) after `book`'s."""
    if "/Outlines" not in book.Root or "/First" not in book.Root.Outlines:
        book.Root.Outlines = theirs
        return
    ours = book.Root.Outlines
    last, first = ours.Last, theirs.First
    last.Next, first.Prev = first, last
    ours.Last = theirs.Last
    item: Object | None = first
    while item is not None:
        item.Parent = ours
        item = item.get("/Next")
    # A closed outline's /Count may be absent or negative; open items are what it counts.
    ours.Count = max(0, int(ours.get("/Count", 0))) + max(0, int(theirs.get("/Count", 0)))


def _join_names(book: Pdf, extra: Pdf) -> None:
    """Join each of `extra`'s name trees (named destinations, and any other) into `book`'s."""
    if "/Names" not in extra.Root:
        return
    names = book.Root.get("/Names") or Dictionary()
    for kind, tree in extra.Root.Names.items():
        theirs = name_tree(copied(book, extra, tree))
        ours = name_tree(names[kind]) if kind in names else []
        names[kind] = Dictionary(Names=flat_tree(_joined(ours, theirs)))
    book.Root.Names = names


def _joined(
    ours: list[tuple[str, Object]],
    theirs: list[tuple[str, Object]],
) -> list[tuple[str, Object]]:
    """Two name trees' entries as one, sorted as a name tree must be; a name both hold
    keeps `ours`."""
    known = {name for name, _ in ours}
    entries = ours + [(name, value) for name, value in theirs if name not in known]
    return sorted(entries, key=lambda pair: pair[0].encode("utf-8"))


def number_tree(node: Object) -> list[tuple[int, Object]]:
    """The entries of a number tree, in order."""
    return [(int(key), value) for key, value in _tree_leaves(node, "/Nums")]


def name_tree(node: Object) -> list[tuple[str, Object]]:
    """The entries of a name tree, in order."""
    return [(str(key), value) for key, value in _tree_leaves(node, "/Names")]


def _tree_leaves(node: Object, leaves: str) -> Iterator[tuple[Object, Object]]:
    """The key-value pairs of a number or name tree's leaves, in order."""
    stack = [node]
    while stack:
        here = stack.pop()
        if leaves in here:
            pairs = list(here[leaves])
            for i in range(0, len(pairs) - 1, 2):
                yield pairs[i], pairs[i + 1]
        stack.extend(reversed(list(here.get("/Kids", Array()))))


def flat_tree(pairs: list[tuple[int, Object]] | list[tuple[str, Object]]) -> Array:
    """A number or name tree's leaf array: key, value, key, value..."""
    flat: list[object] = []
    for key, value in pairs:
        flat += [key if isinstance(key, int) else pikepdf.String(key), value]
    return Array(flat)
