"""WeasyPrint's tagged PDF -> PDF/UA-1: the structure a screen reader and a checker expect.

Takes the layout WeasyPrint made and the PDF it wrote with `pdf_tags=True`; gives the PDF
rewritten (pikepdf) so that:

- page furniture (running heads, page numbers: margin boxes) and contents leaders are
  artifacts, and every other marked content belongs to exactly one structure element;
- one element stands for one HTML element across page and line breaks (WeasyPrint
  builds the tree page by page, so a paragraph crossing a page was two);
- the parallel layout's table is what it means: a `Div` per aligned unit holding the
  original block then its translation, each with its /Lang; no Table/TR/TD (a table of
  a chapter stays a Table, its header cells TH with /Scope /Column);
- a list aligned item by item is one `L` per language again;
- a link is one Link element with, per page, one annotation whose /Contents is its
  text in words (the citation with its page, or the contents entry);
- a hyphenated line end carries an /ActualText whose hyphen is a soft hyphen;
- a figure keeps its alt text as /Alt; a decorative image (alt="") is an artifact;
- XMP metadata says pdfuaid:part 1 and gives dc:title in every language.

This module is the only code that touches WeasyPrint internals: `collecting()` wraps
`weasyprint.pdf.tags._build_box_tree` (pinned to WEASYPRINT_MAJOR) to note what only the
layout knows, keyed by the structure element's object number, which the written PDF
keeps. Everything after that reads and writes plain PDF objects.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pikepdf

from booklet.errors import ConfigError, RenderError
from booklet.outputs import text_layer
from booklet.outputs.pdf_tree import (
    SOFT_HYPHEN,
    Hints,
    MarkedId,
    StructNode,
    element_kids,
    lines_text,
    marked_ids,
    one_annotation_per_page,
    read_struct_tree,
    reshape_tree,
    said_in_each_language,
    unlist_single_items,
    walk_tree,
)

WEASYPRINT_MAJOR = 70
"""The WeasyPrint major version whose tree builder `collecting` wraps (pyproject pins it)."""

try:  # WeasyPrint is heavy: import it once, on first use, not at CLI start-up.
    import pydyf
    import weasyprint
    from weasyprint.formatting_structure import boxes as weasyprint_boxes
    from weasyprint.pdf import tags as weasyprint_tags
except ImportError as error:  # pragma: no cover - the package depends on it
    raise RenderError(f"WeasyPrint cannot be imported ({error}); run: make setup") from None


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split()) if hasattr(element, "get") else set()


def _text_boxes(box: Any) -> Iterator[Any]:
    """Every text box under `box`, in order."""
    for child in getattr(box, "children", ()):
        if isinstance(child, weasyprint_boxes.TextBox):
            yield child
        else:
            yield from _text_boxes(child)


def _line_text_boxes(box: Any) -> Iterator[Any]:
    """The text boxes WeasyPrint's builder gives this element (its lines' direct texts)."""
    for child in getattr(box, "children", ()):
        for kid in child.children if isinstance(child, weasyprint_boxes.LineBox) else [child]:
            if isinstance(kid, weasyprint_boxes.TextBox):
                yield kid


def _generated_text(box: Any) -> str:
    """The text CSS generated inside a link's box (its page reference), leaders left out."""
    parts: list[str] = []

    def walk(node: Any, generated: bool) -> None:
        if getattr(node, "is_leader", False):
            parts.append(" ")
            return
        tag = getattr(node, "element_tag", "") or ""
        generated = generated or "::" in tag
        if generated and isinstance(node, weasyprint_boxes.TextBox):
            parts.append(node.text)
        for child in getattr(node, "children", ()):
            walk(child, generated)

    walk(box, False)
    return "".join(parts)


def _words(text: str) -> str:
    return " ".join(text.split())


_TABLE_PARTS = {"/TBody", "/THead", "/TFoot", "/TD", "/TH", "/NonStruct"}


@contextmanager
def collecting(hints: Hints) -> Iterator[None]:
    """While WeasyPrint writes a tagged PDF, note `hints` and give elements their /Lang.

    WeasyPrint sets the language only on the document; every element made for an HTML
    element carrying `lang` gets /Lang here (elements inside inherit it, as PDF says).
    """
    original = getattr(weasyprint_tags, "_build_box_tree", None)
    if original is None:
        # Silently dropping per-block languages would make screen readers read every
        # language in one voice: refuse to build instead.
        raise ConfigError(
            f"WeasyPrint {weasyprint.__version__} has no weasyprint.pdf.tags._build_box_tree, "
            f"which booklet needs to tag each block's language; install the WeasyPrint "
            f"version booklet names (pip install 'weasyprint=={WEASYPRINT_MAJOR}.*')"
        )
    in_parallel = [0]
    in_content = [0]  # inside a table of a chapter (kept a table, in any layout)
    seen: set[int] = set()

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        page_number, tags = args[1], args[4]
        element: Any = getattr(box, "element", None)
        tag = getattr(box, "element_tag", None) if element is not None else None
        lang = element.get("lang") if hasattr(element, "get") else None
        classes = _classes(element)
        parallel = tag == "table" and "parallel" in classes
        content = tag == "table" and "content-table" in classes
        if tag == "img" and element.get("alt") == "":
            # A decorative image (empty alt): left out of the structure, its content
            # nothing reaches becomes an artifact.
            tags.pop(box, None)
            return
        for text_box in _line_text_boxes(box):
            hyphen = text_box.style["hyphenate_character"]
            marked = tags.get(text_box)
            if marked:
                hints.line_text[(page_number, marked["mcid"])] = text_box.text
            if marked and hyphen and text_box.text.endswith(hyphen) and len(text_box.text) > 1:
                base = text_box.text[: -len(hyphen)]
                hints.actual_text[(page_number, marked["mcid"])] = base + SOFT_HYPHEN
                hints.line_text[(page_number, marked["mcid"])] = base
        in_parallel[0] += parallel
        in_content[0] += content
        try:
            for struct in original(box, parent, *args):
                number = struct.number
                if number in seen:
                    # Made for a box inside this one (html and body pass their
                    # children's elements up): noted already, by the box it is for.
                    yield struct
                    continue
                seen.add(number)
                if lang and "Lang" not in struct:
                    struct["Lang"] = pydyf.String(lang)
                if element is not None and tag is not None:
                    hints.element[number] = hints.identity(element, tag)
                kind = str(struct["S"])
                if getattr(box, "is_leader", False):
                    hints.drop.add(number)
                elif in_content[0] and kind == "/TH" and "A" in struct:
                    # A table of the chapter is a table: its header row's cells head
                    # their columns.
                    struct["A"]["Scope"] = "/Column"
                elif in_parallel[0] and not in_content[0] and (parallel or kind in _TABLE_PARTS):
                    hints.hoist.add(number)
                elif in_parallel[0] and not in_content[0] and kind == "/TR":
                    # One aligned unit: the original block, then its translation.
                    struct["S"] = "/Div"
                if kind == "/Link" and tag == "a":
                    # The words from the HTML, not the boxes: a line break cuts a word
                    # (and hyphenates it) but not the link's text.
                    hints.link_text[number] = _words("".join(element.itertext()))
                    hints.link_generated[number] = _generated_text(box)
                if "said-in-each-language" in classes:
                    hints.each_language.add(number)
                if "unit-item" in classes:
                    hints.items[number] = "first-item" in classes
                yield struct
        finally:
            in_parallel[0] -= parallel
            in_content[0] -= content

    weasyprint_tags._build_box_tree = build
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = original


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko...)."""


def _say_right_to_left_text(
    node: StructNode, line_text: Mapping[MarkedId, str], hyphenated: Collection[MarkedId]
) -> None:
    """An element holding only text, some of it right to left, gets /ActualText: its
    text in reading order. Its glyphs stay stored as drawn, from left to right, which
    poppler and PDFium put back in order by position (see booklet.outputs.text_layer);
    a reader that walks the structure takes the element's ActualText instead."""
    if not node.kids or not all(isinstance(kid, tuple) for kid in node.kids):
        return
    text = lines_text([kid for kid in node.kids if isinstance(kid, tuple)], line_text, hyphenated)
    if text is not None and _RIGHT_TO_LEFT.search(text):
        node.obj.ActualText = pikepdf.String(text)


def _rewrite_content(
    pdf: pikepdf.Pdf, reached: set[MarkedId], actual_text: Mapping[MarkedId, str]
) -> dict[MarkedId, int]:
    """Marked content nothing reaches becomes an artifact; the rest is numbered afresh.

    Gives each kept (page, old MCID) its new MCID."""
    bdc, bmc = pikepdf.Operator("BDC"), pikepdf.Operator("BMC")
    renumbered: dict[MarkedId, int] = {}
    for index, page in enumerate(pdf.pages):
        instructions: list[Any] = []
        changed = False
        count = 0
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = getattr(instruction, "operands", ())
            if (
                instruction.operator == bdc
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
            ):
                old = (index, int(operands[1].MCID))
                changed = True
                if old in reached:
                    renumbered[old] = new = count
                    count += 1
                    properties = pikepdf.Dictionary(MCID=new)
                    if old in actual_text:
                        properties.ActualText = pikepdf.String(actual_text[old])
                    instruction = pikepdf.ContentStreamInstruction([operands[0], properties], bdc)
                else:
                    instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], bmc)
            instructions.append(instruction)
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return renumbered


class _Writer:
    """Writes the rebuilt tree back into its dictionaries and makes the ParentTree."""

    def __init__(self, pdf: pikepdf.Pdf, renumbered: Mapping[MarkedId, int]) -> None:
        self.pdf = pdf
        self.renumbered = renumbered
        self.pages = [page.obj for page in pdf.pages]
        self.page_of = {
            annotation.objgen: i
            for i, page in enumerate(self.pages)
            for annotation in page.get("/Annots", [])
        }
        self.by_page: dict[int, dict[int, pikepdf.Object]] = {}
        self.objects: list[pikepdf.Object] = []

    def write(self, node: StructNode, parent: pikepdf.Object | None) -> bool:
        """Write `node` under `parent`; False when it holds nothing (it is then left out)."""
        marks = [m for m in node.kids if isinstance(m, tuple) and m in self.renumbered]
        page = marks[0][0] if marks else None
        if page is None and node.kind != "/StructTreeRoot":
            for element in element_kids(node):
                first = next((m for m in marked_ids(element) if m in self.renumbered), None)
                if first is not None:
                    page = first[0]
                    break
        kids = pikepdf.Array()
        for kid in node.kids:
            if isinstance(kid, StructNode):
                if self.write(kid, node.obj):
                    kids.append(kid.obj)
            elif isinstance(kid, tuple):
                if kid not in self.renumbered:
                    continue
                mcid = self.renumbered[kid]
                self.by_page.setdefault(kid[0], {})[mcid] = node.obj
                if kid[0] == page:
                    kids.append(mcid)
                else:
                    kids.append(
                        pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=self.pages[kid[0]], MCID=mcid)
                    )
            else:
                kid.StructParent = len(self.pages) + len(self.objects)
                self.objects.append(node.obj)
                kids.append(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.OBJR, Obj=kid, Pg=self.pages[self.page_of[kid.objgen]]
                    )
                )
        if not len(kids) and node.kind not in ("/StructTreeRoot", "/Figure"):
            return False
        node.obj.K = kids
        if parent is not None:
            node.obj.P = parent
        if page is not None:
            node.obj.Pg = self.pages[page]
        return True

    def parent_tree(self) -> pikepdf.Object:
        nums = pikepdf.Array()
        for index, page in enumerate(self.pages):
            marked = self.by_page.get(index, {})
            if marked:
                page.StructParents = index
                nums.append(index)
                nums.append(pikepdf.Array([marked[i] for i in range(len(marked))]))
            elif "/StructParents" in page:
                del page.StructParents
            if "/Annots" in page:
                page.Tabs = pikepdf.Name.S  # keyboard order follows the structure
        for offset, element in enumerate(self.objects):
            nums.append(len(self.pages) + offset)
            nums.append(element)
        return self.pdf.make_indirect(pikepdf.Dictionary(Nums=nums))


def xmp_packet(
    titles: Mapping[str, str],
    default_title: str,
    author: str,
    languages: Sequence[str],
    created: str | None,
    producer: str,
    revision: str = "",
    document: str = "",
) -> bytes:
    """XMP metadata for PDF/UA-1: pdfuaid:part 1, dc:title in every language; the
    sources' revision (xmpMM:VersionID) and which copy it is (xmpMM:DocumentID)."""
    alternatives = [f'<rdf:li xml:lang="x-default">{escape(default_title)}</rdf:li>']
    alternatives += [
        f"<rdf:li xml:lang={quoteattr(tag)}>{escape(title)}</rdf:li>"
        for tag, title in titles.items()
    ]
    dates = (
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{created}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{created}</xmp:MetadataDate>"
        if created
        else ""
    )
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else ""
    )
    language = "".join(f"<rdf:li>{escape(tag)}</rdf:li>" for tag in languages)
    versions = (f"<xmpMM:DocumentID>{escape(document)}</xmpMM:DocumentID>" if document else "") + (
        f"<xmpMM:VersionID>{escape(revision)}</xmpMM:VersionID>" if revision else ""
    )
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' pdfuaid:part="1">'
        f"<dc:format>application/pdf</dc:format><dc:title><rdf:Alt>{''.join(alternatives)}"
        f"</rdf:Alt></dc:title>{creator}<dc:language><rdf:Bag>{language}</rdf:Bag></dc:language>"
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>{dates}{versions}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


def finish(
    data: bytes,
    hints: Hints,
    titles: Mapping[str, str],
    created: str | None = None,
    revision: str = "",
    document: str = "",
    lines: text_layer.Lines | None = None,
) -> bytes:
    """The PDF WeasyPrint wrote (`data`, tagged, with `hints` noted) made PDF/UA-1.

    `titles` is the handbook's title per language (BCP 47 tag -> title); `created` the
    ISO 8601 date of the build, when there is one; `revision` and `document` the
    sources' revision and the copy's description (booklet.model.CopyOf), for the XMP;
    `lines` what `text_layer.recording` noted while it was drawn (its text layer is then
    corrected)."""
    pdf = pikepdf.open(io.BytesIO(data))
    if lines is not None:
        text_layer.correct(pdf, lines)
    root = read_struct_tree(pdf)
    dropped: list[pikepdf.Object] = []
    reshape_tree(root, hints, dropped)
    for node in list(walk_tree(root)):
        if node.kind == "/L":  # once every aligned list is whole again
            unlist_single_items(node)
    page_of = {
        annotation.objgen: i
        for i, page in enumerate(pdf.pages)
        for annotation in page.obj.get("/Annots", [])
    }
    for node in walk_tree(root):
        if node.kind == "/Link":
            words = hints.link_text.get(node.number, "")
            words = _words(words + hints.link_generated.get(node.number, ""))
            dropped += one_annotation_per_page(node, page_of, words)
    gone = {annotation.objgen for annotation in dropped}
    for page in pdf.pages:
        if "/Annots" in page.obj and gone:
            kept = [a for a in page.obj.Annots if a.objgen not in gone]
            if kept:
                page.obj.Annots = pikepdf.Array(kept)
            else:
                del page.obj.Annots
    for node in list(walk_tree(root)):
        said_in_each_language(node, hints, hints.line_text, hints.actual_text.keys())
    for node in walk_tree(root):
        _say_right_to_left_text(node, hints.line_text, hints.actual_text.keys())
    renumbered = _rewrite_content(pdf, set(marked_ids(root)), hints.actual_text)
    writer = _Writer(pdf, renumbered)
    writer.write(root, None)
    tree_root = pdf.Root.StructTreeRoot
    tree_root.ParentTree = writer.parent_tree()
    tree_root.ParentTreeNextKey = len(pdf.pages) + len(writer.objects)
    info = pdf.docinfo
    default_title = str(info.get("/Title", "")) or next(iter(titles.values()), "")
    preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    packet = xmp_packet(
        titles,
        default_title,
        str(info.get("/Author", "")),
        list(titles),
        created,
        str(info.get("/Producer", "")),
        revision,
        document,
    )
    pdf.Root.Metadata = pdf.make_stream(
        packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
    )
    return saved(pdf)


def saved(pdf: pikepdf.Pdf) -> bytes:
    """`pdf`'s bytes as booklet writes every PDF it rewrites: compressed, objects in
    streams, its /ID made from its content (the same document gives the same bytes)."""
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return out.getvalue()
