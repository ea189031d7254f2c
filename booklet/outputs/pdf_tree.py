"""The structure tree of a PDF WeasyPrint wrote, read and reshaped (pikepdf).

Takes the written PDF's structure tree and the `Hints` the layout left
(booklet.outputs.pdf_tags collects them); gives the tree reshaped: one element per HTML
element across page breaks, layout-only elements replaced by their kids, the parallel
layout's table turned into a `Div` per aligned unit, a list aligned item by item one `L`
per language again, and one link annotation per page. Plain PDF objects only: no
WeasyPrint here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pikepdf

MarkedId = tuple[int, int]
"""Marked content: (0-based page index, MCID)."""


SOFT_HYPHEN = "\u00ad"


@dataclass
class Hints:
    """What the layout knew about each structure element (by PDF object number)."""

    element: dict[int, int] = field(default_factory=dict)
    """The HTML element (and pseudo-element) it was made for, as a number per document."""
    hoist: set[int] = field(default_factory=set)
    """Elements that stand for layout only: replaced by their kids."""
    drop: set[int] = field(default_factory=set)
    """Elements whose content is decoration (leaders): removed, their content artifacts."""
    link_text: dict[int, str] = field(default_factory=dict)
    """A link's own text (its HTML element's), for its /Contents."""
    link_generated: dict[int, str] = field(default_factory=dict)
    """The text CSS generated in a link (its page reference), leaders left out."""
    items: dict[int, bool] = field(default_factory=dict)
    """Aligned units that hold one list item -> whether the item starts its list."""
    actual_text: dict[MarkedId, str] = field(default_factory=dict)
    """Marked text that ends in a hyphenation hyphen -> the same text with a soft hyphen."""
    line_text: dict[MarkedId, str] = field(default_factory=dict)
    """Each marked line of text -> its text in reading order (for an element that holds
    right-to-left text, stored as drawn: its /ActualText)."""
    each_language: set[int] = field(default_factory=set)
    """Language-neutral elements (a phone number, a web address) that each language's
    block beside them says (`said_in_each_language`)."""
    _identities: dict[tuple[int, str], int] = field(default_factory=dict)

    def identity(self, element: object, tag: str) -> int:
        """A small number for (HTML element, tag), the same on every page."""
        return self._identities.setdefault((id(element), tag), len(self._identities))


def joined_across_lines(before: str, after: str) -> str:
    """Text cut by a line break, joined: the space the break took is put back between
    two Latin characters (not between Han characters, which have none)."""
    latin = before and after and before[-1].isascii() and after[0].isascii()
    if latin and not before[-1].isspace() and not after[0].isspace():
        return before + " " + after
    return before + after


@dataclass
class StructNode:
    """A structure element being rebuilt: its dictionary and its kids in order."""

    obj: pikepdf.Object
    kind: str
    number: int
    kids: list[StructNode | MarkedId | pikepdf.Object] = field(default_factory=list)
    """Elements, marked content, and annotations (pikepdf dictionaries)."""


def read_struct_tree(pdf: pikepdf.Pdf) -> StructNode:
    page_index: dict[Any, int] = {page.objgen: i for i, page in enumerate(pdf.pages)}

    def read(obj: pikepdf.Object, page: int | None) -> StructNode:
        node = StructNode(obj, str(obj.get("/S", "/StructTreeRoot")), obj.objgen[0])
        if "/Pg" in obj:
            page = page_index[obj.Pg.objgen]
        kids = obj.get("/K")
        if kids is None:
            return node
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                assert page is not None
                node.kids.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                kid_page = page_index[kid.Pg.objgen] if "/Pg" in kid else page
                assert kid_page is not None
                node.kids.append((kid_page, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                node.kids.append(kid.Obj)
            else:
                node.kids.append(read(kid, page))
        return node

    return read(pdf.Root.StructTreeRoot, None)


def element_kids(node: StructNode) -> list[StructNode]:
    return [kid for kid in node.kids if isinstance(kid, StructNode)]


def reshape_tree(node: StructNode, hints: Hints, dropped: list[pikepdf.Object]) -> None:
    """Drop, join, unwrap and group `node`'s kids (then theirs), in place."""
    kids: list[StructNode | MarkedId | pikepdf.Object] = []
    for kid in node.kids:
        if isinstance(kid, StructNode) and kid.number in hints.drop:
            dropped.extend(k for k in _all_kids(kid) if isinstance(k, pikepdf.Object))
            continue
        if isinstance(kid, StructNode) and node.kind == "/Link" and kid.kind == "/Link":
            # A link's pseudo-element (its page reference) is part of the same link.
            reshape_tree(kid, hints, dropped)
            kids.extend(kid.kids)
            continue
        if isinstance(kid, StructNode) and node.kind == "/Link":
            # An element inside a link (a range isolated left to right) gets a copy of the
            # link's annotation: it belongs to the link, with the link's others.
            kids.extend(_take_annotations(kid))
        kids.append(kid)
    node.kids = _joined(kids, hints)
    for kid in element_kids(node):
        reshape_tree(kid, hints, dropped)
    unwrapped: list[StructNode | MarkedId | pikepdf.Object] = []
    for kid in node.kids:
        if isinstance(kid, StructNode) and kid.number in hints.hoist:
            unwrapped.extend(kid.kids)
        else:
            unwrapped.append(kid)
    node.kids = _grouped_lists(_joined(unwrapped, hints), hints)


def unlist_single_items(node: StructNode) -> None:
    """A list of one item (a back cover's one contact) is read as a block, not a list."""
    items = [kid for kid in node.kids if isinstance(kid, StructNode) and kid.kind == "/LI"]
    if len(items) != 1 or len(node.kids) != 1:
        return
    node.kind = "/Div"
    node.obj.S = pikepdf.Name.Div
    kids: list[StructNode | MarkedId | pikepdf.Object] = []
    for kid in items[0].kids:
        if isinstance(kid, StructNode) and kid.kind == "/LBody":
            kids.extend(kid.kids)
        else:
            if isinstance(kid, StructNode) and kid.kind == "/Lbl":
                kid.kind = "/Span"
                kid.obj.S = pikepdf.Name.Span
            kids.append(kid)
    node.kids = kids


def _take_annotations(node: StructNode) -> list[pikepdf.Object]:
    """Remove the annotations held anywhere under `node`, and give them."""
    taken = [k for k in node.kids if isinstance(k, pikepdf.Object)]
    node.kids = [k for k in node.kids if not isinstance(k, pikepdf.Object)]
    for kid in node.kids:
        if isinstance(kid, StructNode):
            taken += _take_annotations(kid)
    return taken


def _all_kids(node: StructNode) -> Iterator[StructNode | MarkedId | pikepdf.Object]:
    for kid in node.kids:
        yield kid
        if isinstance(kid, StructNode):
            yield from _all_kids(kid)


def _joined(
    kids: list[StructNode | MarkedId | pikepdf.Object], hints: Hints
) -> list[StructNode | MarkedId | pikepdf.Object]:
    """Kids made for the same HTML element (cut by a page or line break) joined into one."""
    joined: list[StructNode | MarkedId | pikepdf.Object] = []
    by_element: dict[tuple[int, str], StructNode] = {}
    for kid in kids:
        if isinstance(kid, StructNode) and kid.number in hints.element:
            key = (hints.element[kid.number], kid.kind)
            earlier = by_element.get(key)
            if earlier is not None:
                earlier.kids = _joined(earlier.kids + kid.kids, hints)
                if kid.number in hints.link_generated:
                    hints.link_generated[earlier.number] = joined_across_lines(
                        hints.link_generated.get(earlier.number, ""),
                        hints.link_generated[kid.number],
                    )
                continue
            by_element[key] = kid
        joined.append(kid)
    return joined


def _list_lanes(unit: StructNode) -> list[StructNode] | None:
    """The L of each language in an aligned list-item unit (itself or its language Divs)."""
    lanes = []
    for kid in element_kids(unit):
        if kid.kind == "/L":
            lanes.append(kid)
        else:
            lists = [k for k in element_kids(kid) if k.kind == "/L"]
            if len(lists) != 1:
                return None
            lanes.append(lists[0])
    return lanes or None


def _grouped_lists(
    kids: list[StructNode | MarkedId | pikepdf.Object], hints: Hints
) -> list[StructNode | MarkedId | pikepdf.Object]:
    """Consecutive one-item units of one list become one unit with one L per language."""
    grouped: list[StructNode | MarkedId | pikepdf.Object] = []
    current: tuple[StructNode, list[StructNode]] | None = None
    for kid in kids:
        lanes = (
            _list_lanes(kid) if isinstance(kid, StructNode) and kid.number in hints.items else None
        )
        if isinstance(kid, StructNode) and lanes is not None:
            starts = hints.items[kid.number]
            # One language's items (facing pages) join only that language's before them.
            same = current is not None and current[0].obj.get("/Lang") == kid.obj.get("/Lang")
            if current is not None and same and not starts and len(current[1]) == len(lanes):
                for whole, part in zip(current[1], lanes, strict=True):
                    whole.kids.extend(part.kids)
                continue
            current = (kid, lanes)
        else:
            current = None
        grouped.append(kid)
    return grouped


def _rect(annotation: pikepdf.Object) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    slack = 0.5
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def one_annotation_per_page(
    node: StructNode, page_of: Mapping[tuple[int, int], int], words: str | None
) -> list[pikepdf.Object]:
    """A Link's annotations: one per page, its lines as QuadPoints, /Contents its words.

    Gives the annotations it made redundant (for the pages to forget)."""
    kept: list[pikepdf.Object] = []
    redundant: list[pikepdf.Object] = []
    for annotation in (k for k in node.kids if isinstance(k, pikepdf.Object)):
        rect = _rect(annotation)
        page = page_of.get(annotation.objgen)
        same_page = [k for k in kept if page_of.get(k.objgen) == page]
        if any(_inside(rect, _rect(k)) for k in same_page):
            redundant.append(annotation)  # a nested box's copy of the same link
        elif same_page:
            first = same_page[0]  # the link's next line: one more quadrilateral
            quads = list(first.get("/QuadPoints", _quad(_rect(first)))) + _quad(rect)
            first.QuadPoints = pikepdf.Array(quads)
            a = _rect(first)
            first.Rect = pikepdf.Array(
                [min(a[0], rect[0]), min(a[1], rect[1]), max(a[2], rect[2]), max(a[3], rect[3])]
            )
            redundant.append(annotation)
        else:
            kept.append(annotation)
    if words:
        for annotation in kept:
            annotation.Contents = pikepdf.String(words)
    gone = {a.objgen for a in redundant}
    node.kids = [k for k in node.kids if not isinstance(k, pikepdf.Object) or k.objgen not in gone]
    return redundant


def _quad(rect: tuple[float, float, float, float]) -> list[float]:
    x1, y1, x2, y2 = rect
    return [x1, y2, x2, y2, x1, y1, x2, y1]


def lines_text(
    marks: list[MarkedId], line_text: Mapping[MarkedId, str], hyphenated: Collection[MarkedId]
) -> str | None:
    """The text of marked lines in reading order, joined as the page reads them: the space
    a line break took between two words is put back (not a hyphenated word's). None when
    a line's text is not known."""
    if any(mark not in line_text for mark in marks):
        return None
    lines = [INSERTED.sub("", line_text[mark]) for mark in marks]
    text = lines[0] if lines else ""
    for before, line in zip(marks, lines[1:], strict=False):
        apart = text and line and not text[-1].isspace() and not line[0].isspace()
        text += (" " if apart and before not in hyphenated else "") + line
    return " ".join(text.split())


INSERTED = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Format characters the layout inserts (isolates, marks): not part of the text."""


def said_in_each_language(
    node: StructNode,
    hints: Hints,
    line_text: Mapping[MarkedId, str],
    hyphenated: Collection[MarkedId],
) -> None:
    """A language-neutral kid of `node` (hints.each_language) is said in each language's
    block beside it: the first such block (a kid with /Lang) takes it in, after its own
    text, and every other one gets its own text and the kid's as /ActualText.

    A number is not neutral once spoken: a screen reader says digits in the voice of the
    language in force, so "+86 10 5550 0100" left outside the blocks (inheriting the
    document's language) is Chinese digits to an English listener, who hears the English
    label with no number. Drawn once, it can belong to one element only: the others say
    it through /ActualText."""
    neutral = [kid for kid in element_kids(node) if kid.number in hints.each_language]
    blocks = [kid for kid in element_kids(node) if "/Lang" in kid.obj]
    if len(neutral) != 1 or not blocks:
        return
    said = lines_text(list(marked_ids(neutral[0])), line_text, hyphenated)
    texts = [lines_text(list(marked_ids(block)), line_text, hyphenated) for block in blocks]
    if said is None or any(text is None for text in texts[1:]):
        return
    node.kids.remove(neutral[0])
    blocks[0].kids.append(neutral[0])
    for block, text in zip(blocks[1:], texts[1:], strict=True):
        block.obj.ActualText = pikepdf.String(f"{text}: {said}")


def walk_tree(node: StructNode) -> Iterator[StructNode]:
    yield node
    for kid in element_kids(node):
        yield from walk_tree(kid)


def marked_ids(node: StructNode) -> Iterator[MarkedId]:
    for kid in node.kids:
        if isinstance(kid, tuple):
            yield kid
        elif isinstance(kid, StructNode):
            yield from marked_ids(kid)
