"""What two renders of one book must share to be the same document, read back from each.

A book re-rendered by chapter (booklet.build.chapters) cannot have the bytes of a whole
render (each re-rendered part keeps its own font subsets), so it is compared by what a
reader gets: the extracted text of each page (pdfplumber), the bookmarks (title, depth,
target page), the structure tree's shape (element types, nested, with their languages),
each page's links (their target name or page, and their text), and the page labels.
Shared by tests/test_chapters.py and benchmarks/edit_render.py.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pdfplumber
import pikepdf


def page_texts(data: bytes) -> list[str]:
    """The text pdfplumber extracts from each page."""
    with pdfplumber.open(BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def facts(data: bytes) -> dict[str, Any]:
    """Everything but the text that must be the same: bookmarks, tags, links, labels."""
    with pikepdf.open(BytesIO(data)) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        return {
            "pages": len(pdf.pages),
            "outline": _outline(pdf, pages),
            "structure": _shape(pdf.Root.StructTreeRoot),
            "links": _links(pdf, pages),
            "labels": _labels(pdf),
            "destinations": _destinations(pdf, pages),
            "lang": str(pdf.Root.get("/Lang", "")),
        }


def differences(whole: bytes, other: bytes) -> list[str]:
    """What differs between two renders, as short lines (none: the same document)."""
    found = []
    ours, theirs = page_texts(whole), page_texts(other)
    if len(ours) != len(theirs):
        found.append(f"pages: {len(ours)} != {len(theirs)}")
    for n, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        if a != b:
            found.append(f"text of page {n} differs: {a[:60]!r} != {b[:60]!r}")
    a_facts, b_facts = facts(whole), facts(other)
    for name, value in a_facts.items():
        if value != b_facts[name]:
            found.append(f"{name} differs")
    return found


def _outline(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int]) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for item in items:
            dest = item.destination
            page = pages.get(dest[0].objgen, -1) if dest is not None else -1
            found.append((depth, item.title, page))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found


def _shape(element: pikepdf.Object) -> Any:
    """An element's type, language and kids' shapes (marked content counted per kid)."""
    kids = element.get("/K")
    listed = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    inner = []
    for kid in listed:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            inner.append(_shape(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            inner.append("OBJR")
        else:
            inner.append("MC")
    return (str(element.get("/S", "")), str(element.get("/Lang", "")), tuple(inner))


def _links(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int]) -> list[list[tuple[str, str]]]:
    found = []
    for page in pdf.pages:
        links = []
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            if annotation.get("/Subtype") != "/Link":
                continue
            dest = annotation.get("/Dest")
            if isinstance(dest, pikepdf.Array):
                target = f"page {pages.get(dest[0].objgen, -1)}"
            elif dest is not None:
                target = str(dest)
            else:
                target = str(annotation.get("/A", {}).get("/URI", ""))
            links.append((target, str(annotation.get("/Contents", ""))))
        found.append(links)
    return found


def _destinations(pdf: pikepdf.Pdf, pages: dict[tuple[int, int], int]) -> dict[str, int]:
    """Each named destination's page."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return {}
    found = {}
    with_names = pikepdf.NameTree(pdf.Root.Names.Dests)
    for name, dest in with_names.items():
        found[name] = pages.get(dest[0].objgen, -1)
    return found


def _labels(pdf: pikepdf.Pdf) -> list[str]:
    if "/PageLabels" not in pdf.Root:
        return []
    return [pikepdf.Page(page).label for page in pdf.pages]
