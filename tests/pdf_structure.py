"""Read a tagged PDF back: its structure tree, the text of each marked-content id, artifacts.

The one reader that tests/test_pdf_accessibility.py and benchmarks/pdf_accessibility.py
share: pikepdf walks the structure tree from /StructTreeRoot, pdfplumber gives each
character with its marked-content id (MCID) and tag, so the text of every structure
element, of every artifact and of every MCID nothing reaches is known.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf

MarkedId = tuple[int, int]
"""A marked-content sequence: (0-based page index, MCID)."""


@dataclass
class Element:
    """A structure element: its type, language, kids and the content it holds."""

    kind: str
    lang: str | None
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    marked: list[MarkedId] = field(default_factory=list)
    """The element's own marked content, in order (not its kids')."""
    content: list[Element | MarkedId] = field(default_factory=list)
    """Its marked content and kids, interleaved as in the file."""
    annotations: list[pikepdf.Object] = field(default_factory=list)
    alt: str | None = None
    actual_text: str | None = None

    def walk(self) -> Iterator[Element]:
        """This element and every element under it, in reading order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_marked(self) -> list[MarkedId]:
        """The marked content of this element and its kids, in reading order."""
        marked: list[MarkedId] = []
        for item in self.content:
            marked += item.all_marked() if isinstance(item, Element) else [item]
        return marked

    def inherited_lang(self) -> str | None:
        """The language in force: this element's /Lang or its nearest ancestor's."""
        element: Element | None = self
        while element is not None:
            if element.lang:
                return element.lang
            element = element.parent
        return None


@dataclass
class TaggedPdf:
    """What a reader of a tagged PDF sees."""

    path: Path
    pdf: pikepdf.Pdf
    root: Element
    text: dict[MarkedId, str]
    """The text of each MCID drawn in a page's content."""
    artifact_text: list[str]
    """The text of each page drawn as an artifact, one string per page."""
    parent_tree: dict[MarkedId, pikepdf.Object]
    """What /ParentTree says each MCID belongs to."""
    sizes: list[tuple[float, str, bool]]
    """Each character's font size, the character, and whether it is an artifact."""

    def element_text(self, element: Element) -> str:
        """The text of an element and everything under it."""
        return "".join(self.text.get(m, "") for m in element.all_marked())

    def reached(self) -> set[MarkedId]:
        """The MCIDs that the structure tree reaches."""
        return set(self.root.all_marked())

    def elements(self, kind: str) -> list[Element]:
        """Every element of type `kind` (e.g. "P", "L"), in reading order."""
        return [e for e in self.root.walk() if e.kind == kind]

    def pages_of(self, element: Element) -> set[int]:
        """The 0-based pages an element's content is on."""
        return {page for page, _ in element.all_marked()}

    def xmp(self) -> ET.Element | None:
        """The XMP metadata packet, parsed, or None."""
        metadata = self.pdf.Root.get("/Metadata")
        if metadata is None:
            return None
        return ET.fromstring(metadata.read_bytes())


def _name(value: object) -> str:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else str(value)


def read(path: Path) -> TaggedPdf:
    """Read the structure, text and artifacts of the tagged PDF at `path`."""
    pdf = pikepdf.open(path)
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    text: dict[MarkedId, list[str]] = defaultdict(list)
    artifacts: list[str] = []
    sizes: list[tuple[float, str, bool]] = []
    with pdfplumber.open(path) as plumber:
        for i, page in enumerate(plumber.pages):
            artifact_chars = []
            for char in page.chars:
                mcid = char.get("mcid")
                is_artifact = mcid is None
                if is_artifact:
                    artifact_chars.append(char["text"])
                else:
                    text[(i, mcid)].append(char["text"])
                sizes.append((round(char["size"], 2), char["text"], is_artifact))
            artifacts.append("".join(artifact_chars))

    def element(node: pikepdf.Object, parent: Element | None, page: int | None) -> Element:
        lang = node.get("/Lang")
        made = Element(_name(node.get("/S")), str(lang) if lang is not None else None, parent)
        if "/Alt" in node:
            made.alt = str(node.Alt)
        if "/ActualText" in node:
            made.actual_text = str(node.ActualText)
        if "/Pg" in node:
            page = page_index[node.Pg.objgen]
        kids = node.get("/K")
        if kids is None:
            return made
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                assert page is not None, "an MCID kid needs a /Pg on its element"
                made.marked.append((page, int(kid)))
                made.content.append(made.marked[-1])
            elif kid.get("/Type") == "/MCR":
                kid_page = page_index[kid.Pg.objgen] if "/Pg" in kid else page
                assert kid_page is not None
                made.marked.append((kid_page, int(kid.MCID)))
                made.content.append(made.marked[-1])
            elif kid.get("/Type") == "/OBJR":
                made.annotations.append(kid.Obj)
            else:
                made.kids.append(element(kid, made, page))
                made.content.append(made.kids[-1])
        return made

    tree_root = pdf.Root.StructTreeRoot
    root = element(tree_root, None, None)
    root.kind = "StructTreeRoot"
    parent_tree: dict[MarkedId, pikepdf.Object] = {}
    nums = _number_tree(tree_root.ParentTree)
    for i, page in enumerate(pdf.pages):
        if "/StructParents" in page.obj:
            entries = nums.get(int(page.obj.StructParents))
            if isinstance(entries, pikepdf.Array):
                for mcid, entry in enumerate(entries):
                    if entry is not None:  # pikepdf reads null as None
                        parent_tree[(i, mcid)] = entry
    return TaggedPdf(
        path, pdf, root, {k: "".join(v) for k, v in text.items()}, artifacts, parent_tree, sizes
    )


def _number_tree(node: pikepdf.Object) -> dict[int, pikepdf.Object]:
    found: dict[int, pikepdf.Object] = {}
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums), 2):
            found[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        found.update(_number_tree(kid))
    return found


def content_mcids(pdf: pikepdf.Pdf) -> set[MarkedId]:
    """Every MCID that a page's content stream marks (BDC with an /MCID)."""
    found: set[MarkedId] = set()
    for i, page in enumerate(pdf.pages):
        for operands, operator in pikepdf.parse_content_stream(page):
            properties = operands[1] if operator == pikepdf.Operator("BDC") else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                found.add((i, int(properties.MCID)))
    return found


def link_annotations(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every /Link annotation of every page."""
    return [
        annotation
        for page in pdf.pages
        for annotation in page.obj.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link"
    ]


def struct_text(path: Path) -> str:
    """What poppler reads from the structure tree (`pdfinfo -struct-text`)."""
    return subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout


def plain_text(path: Path) -> str:
    """The page text as poppler extracts it (`pdftotext`)."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


LINE_END_HYPHEN = re.compile(r"[^\W\d_]\u2010\n(?=[^\W\d_])")
"""A letter, a hyphen (U+2010, the hyphenation mark) ending a line, a letter after it."""

LEADER = re.compile(r"(?:\. ?){4,}")
"""A run of four or more dots: a contents line's leader."""

ID_LIKE = re.compile(r"[A-Za-z0-9]+(?:[-_.:]+[A-Za-z0-9]+)+")
"""An element id (`art-prc-civil-code-678--zh-Hans`), not words."""

_ENDS_BLOCK = re.compile(r"[.。:：!?！？)）”\"]\s*$")


def is_cut(first: str, second: str) -> bool:
    """Whether `second` reads as the rest of `first` (a paragraph a page break cut in two)."""
    return bool(second[:1].islower() and not _ENDS_BLOCK.search(first))
