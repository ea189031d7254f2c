"""Accessibility figures of built PDFs: what a screen reader and a PDF/UA checker meet.

For each PDF named (or every PDF under the folders named) prints one row: structure
elements of data tables (Table/TR/TD/TH), MCIDs that no structure element reaches
(page furniture hanging off the tree), characters drawn as artifacts, runs of leader dots
a reader reaches through the structure, lists and one-item lists, Link annotations and
Link elements (and how many /Contents look like ids), line-end hyphens (U+2010) in
pdftotext's text, paragraphs whose content is on two pages and paragraph pairs cut at a
page end (the second goes on in lower case), XMP (pdfuaid:part, dc:title languages) and
the smallest font size (all text, and text in the structure). Figures only: nothing is
asserted (tests/test_pdf_accessibility.py asserts).

    .venv/bin/python benchmarks/pdf_accessibility.py OUT_FOLDER_OR_PDF...
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pdf_structure import (
    ID_LIKE,
    LEADER,
    LINE_END_HYPHEN,
    TaggedPdf,
    is_cut,
    link_annotations,
    plain_text,
    read,
)

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


def figures(tagged: TaggedPdf) -> dict[str, object]:
    """The figures of one PDF, by column name."""
    counts = {kind: len(tagged.elements(kind)) for kind in ("Table", "TR", "TD", "TH")}
    lists = tagged.elements("L")
    one_item = [lst for lst in lists if sum(1 for kid in lst.kids if kid.kind == "LI") == 1]
    reached = tagged.reached()
    orphans = [m for m in tagged.parent_tree if m not in reached]
    structure_text = "\n".join(tagged.element_text(e) for e in tagged.root.kids)
    links = link_annotations(tagged.pdf)
    link_elements = tagged.elements("Link")
    id_like = [a for a in links if ID_LIKE.fullmatch(str(a.get("/Contents", "")))]
    paragraphs = tagged.elements("P")
    spanning = [p for p in paragraphs if len(tagged.pages_of(p)) > 1]
    cut = 0
    for first, second in pairwise(paragraphs):
        pages_a, pages_b = tagged.pages_of(first), tagged.pages_of(second)
        if pages_a and pages_b and max(pages_a) + 1 == min(pages_b):
            if first.parent is second.parent or first.parent is None:
                continue
            if is_cut(tagged.element_text(first), tagged.element_text(second)):
                cut += 1
    xmp = tagged.xmp()
    part = titles = "-"
    if xmp is not None:
        parts = [d.get(f"{PDFUAID}part") for d in xmp.iter(f"{RDF}Description")]
        part = next((p for p in parts if p), "-")
        titles = ",".join(
            li.get("{http://www.w3.org/XML/1998/namespace}lang", "?")
            for t in xmp.iter(f"{DC}title")
            for li in t.iter(f"{RDF}li")
        )
    sizes = [s for s, c, _ in tagged.sizes if c.strip()]
    tagged_sizes = [s for s, c, artifact in tagged.sizes if c.strip() and not artifact]
    return {
        "Table": counts["Table"],
        "TR": counts["TR"],
        "TD": counts["TD"],
        "TH": counts["TH"],
        "orphan MCIDs": len(orphans),
        "artifact chars": sum(len(t.strip()) for t in tagged.artifact_text),
        "leader runs": len(LEADER.findall(structure_text)),
        "L": len(lists),
        "1-item L": len(one_item),
        "Link annots": len(links),
        "Link elems": len(link_elements),
        "id-like Contents": len(id_like),
        "hyphens": len(LINE_END_HYPHEN.findall(plain_text(tagged.path))),
        "P on 2 pages": len(spanning),
        "P cut at page": cut,
        "XMP part": part,
        "dc:title": titles or "-",
        "DisplayDocTitle": str(
            tagged.pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", "-")
        ),
        "min pt": min(sizes) if sizes else "-",
        "min pt tagged": min(tagged_sizes) if tagged_sizes else "-",
    }


def main(arguments: list[str]) -> None:
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        paths.extend(sorted(path.rglob("*.pdf")) if path.is_dir() else [path])
    rows = [(p.name, figures(read(p))) for p in paths if not p.name.endswith("-booklet.pdf")]
    if not rows:
        sys.exit("no PDF found in " + " ".join(arguments))
    columns = list(rows[0][1])
    print("| PDF | " + " | ".join(columns) + " |")
    print("|" + " --- |" * (len(columns) + 1))
    for name, row in rows:
        print(f"| {name} | " + " | ".join(str(row[c]) for c in columns) + " |")
    sample = read(paths[0])
    examples = [str(a.get("/Contents", "")) for a in link_annotations(sample.pdf)][:3]
    print(f"\nLink /Contents in {paths[0].name}: {examples}")


if __name__ == "__main__":
    main(sys.argv[1:])
