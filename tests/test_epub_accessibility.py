"""The EPUBs against EPUB Accessibility 1.1: DAISY Ace on every kind of EPUB the build
makes, and what Ace cannot judge read back from the files (page list against the PDF,
lists, check boxes, the language of every piece of interface text and metadata)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pypdf
import pytest

from booklet.build import check_folder
from booklet.model import Callout, ListBlock, Quote
from booklet.outputs.epub import draft_epub
from booklet.themes.theme import Theme
from tests.conftest import DATA, EPOCH, SAMPLE, TODAY, build_quietly, copy_fixture
from tests.test_epub import epubcheck_messages
from tests.test_pdf import squeeze, text_of

ROOT = Path(__file__).resolve().parent.parent
ACE = Path(os.environ.get("BOOKLET_ACE", ROOT / ".tools/ace/node_modules/.bin/ace-cli"))
"""DAISY Ace as `make test-tools` installs it."""
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or ""

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFORMS = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@pytest.fixture(scope="session")
def ace() -> Path:
    """Ace's command; fails in CI when it is missing (CI must run it), skips elsewhere."""
    if ACE.is_file() and CHROMIUM and Path(CHROMIUM).is_file():
        return ACE
    message = (
        f"DAISY Ace ({ACE}) or Chromium ({CHROMIUM or 'not on the PATH'}) is missing; "
        "install them with: make test-tools"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def ace_violations(ace: Path, epub: Path, report: Path) -> list[str]:
    """Run Ace on an EPUB: each violation as "rule (impact): file"."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    subprocess.run(
        [str(ace), "--silent", "--force", "--outdir", str(report), str(epub)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    found = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return [
        f"{a['earl:test']['dct:title']} ({a['earl:test']['earl:impact']}): "
        f"{document['earl:testSubject']['url']}"
        for document in found["assertions"]
        for a in document["assertions"]
    ]


@pytest.fixture(scope="session")
def epubs(
    tmp_path_factory: pytest.TempPathFactory, theme: Theme, sample_build: dict[str, Path]
) -> dict[str, Path]:
    """Every kind of EPUB the build makes, each built once: the sample, Spanish/English,
    a clinic's edition, an edition in one language, Arabic/English (right to left) and
    Spanish/French with an image."""
    out = tmp_path_factory.mktemp("a11y")
    made = {"sample": sample_build["debt-collection.epub"]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, folder, options in (
            ("es-en", DATA / "es-en" / "guide", {}),
            ("clinic", DATA / "mini" / "handbook", {"clinics": ("north",)}),
            ("one language", SAMPLE, {"languages": ("en",)}),
            ("ar-en", DATA / "ar-en" / "daleel", {}),
            ("es-fr", DATA / "es-fr" / "guia", {}),
        ):
            [output] = build_quietly(
                folder, theme, out / name.replace(" ", "-"), formats=("epub",), **options
            )
            made[name] = output.path
    return made


KINDS = ["sample", "es-en", "clinic", "one language", "ar-en", "es-fr"]


@pytest.mark.render
@pytest.mark.parametrize("kind", KINDS)
def test_ace_finds_no_violation(
    kind: str, epubs: dict[str, Path], ace: Path, tmp_path: Path
) -> None:
    assert ace_violations(ace, epubs[kind], tmp_path / "ace") == []


@pytest.mark.render
@pytest.mark.parametrize("kind", KINDS)
def test_epubcheck_stays_clean(kind: str, epubs: dict[str, Path]) -> None:
    assert epubcheck_messages(epubs[kind]) == []


def package(epub: Path) -> ElementTree.Element:
    with zipfile.ZipFile(epub) as archive:
        return ElementTree.fromstring(archive.read("EPUB/package.opf"))


def documents(epub: Path) -> Iterator[tuple[str, ElementTree.Element]]:
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                yield name.removeprefix("EPUB/"), ElementTree.fromstring(archive.read(name))


def meta(epub: Path, prop: str) -> list[str]:
    return [m.text or "" for m in package(epub).iter(f"{OPF}meta") if m.get("property") == prop]


@pytest.mark.render
@pytest.mark.parametrize("kind", ["sample", "es-en", "clinic", "one language", "ar-en"])
def test_conformance_claimed_with_its_metadata(kind: str, epubs: dict[str, Path]) -> None:
    epub = epubs[kind]
    assert meta(epub, "dcterms:conformsTo") == [CONFORMS]
    assert meta(epub, "a11y:certifiedBy") != []
    images = any(True for _, root in documents(epub) for _ in root.iter(f"{XHTML}img"))
    # The clinic edition shows its QR codes (described in words); the others no image.
    assert images == (kind == "clinic")
    assert meta(epub, "schema:accessMode") == (["textual", "visual"] if images else ["textual"])
    assert meta(epub, "schema:accessModeSufficient")[0] == "textual"
    features = meta(epub, "schema:accessibilityFeature")
    assert ("alternativeText" in features) == images
    assert {"pageBreakMarkers", "pageNavigation", "tableOfContents"} <= set(features)


@pytest.mark.render
def test_image_with_its_words_is_alternative_text(epubs: dict[str, Path]) -> None:
    epub = epubs["es-fr"]
    assert meta(epub, "schema:accessMode") == ["textual", "visual"]
    assert "alternativeText" in meta(epub, "schema:accessibilityFeature")
    assert meta(epub, "dcterms:conformsTo") == [CONFORMS]


def test_image_without_words_claims_nothing(tmp_path: Path, theme: Theme) -> None:
    # Drafted, not built: the print edition whose pages the EPUB marks cannot be made
    # (WeasyPrint's tagged PDF refuses an image without a description).
    guia = copy_fixture("es-fr", tmp_path) / "guia"
    for lang, alt in (("es", "Un sello de ejemplo"), ("fr", "Un tampon d’exemple")):
        chapter = guia / lang / "01-embargo.md"
        chapter.write_text(
            chapter.read_text(encoding="utf-8").replace(f"![{alt}]", "![]"), encoding="utf-8"
        )
    checked = check_folder(guia, theme, TODAY, strict=False)
    draft = draft_epub(checked.handbook, theme, checked.faces, datetime(2026, 1, 1, tzinfo=UTC))
    opf = ElementTree.fromstring(dict(draft.texts)["EPUB/package.opf"])

    def said(prop: str) -> list[str]:
        return [m.text or "" for m in opf.iter(f"{OPF}meta") if m.get("property") == prop]

    assert said("dcterms:conformsTo") == []
    assert said("schema:accessMode") == ["textual", "visual"]
    assert "alternativeText" not in said("schema:accessibilityFeature")
    assert said("schema:accessModeSufficient") == ["textual,visual"]


def _words(text: str) -> str:
    # Without line-end hyphens, which the PDF's text holds and the EPUB's does not.
    return re.sub("[-\u2010]", "", squeeze(text))


@pytest.mark.render
def test_page_list_follows_the_interleaved_pdf(sample_build: dict[str, Path]) -> None:
    """Each page-break marker stands where its page of the A5 interleaved PDF begins: the
    first unit after it starts on that page or, when no unit starts there, runs over it
    (found by its text in the PDF, not by the ids the build used)."""
    epub = sample_build["debt-collection.epub"]
    reader = pypdf.PdfReader(sample_build["debt-collection-interleaved-a5.pdf"])
    pages = [_words(text_of(page)) for page in reader.pages]
    assert meta(epub, "pageBreakSource") == ["debt-collection-interleaved-a5.pdf"]
    docs = dict(documents(epub))
    [page_list] = [
        n for n in docs["nav.xhtml"].iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list"
    ]
    assert page_list.get("role") == "doc-pagelist"
    listed = [a.text for a in page_list.iter(f"{XHTML}a")]
    assert listed == [str(n) for n in range(1, len(pages) + 1)]

    def markers(root: ElementTree.Element) -> list[int]:
        return [
            int(e.get("aria-label", "")) for e in root.iter() if e.get("role") == "doc-pagebreak"
        ]

    assert markers(docs["cover.xhtml"]) == [1]
    assert markers(docs["about.xhtml"]) == [2]
    # In the body: (marker, None) or (None, the first words of a passage), in order.
    body: list[tuple[int | None, str | None]] = []
    for name, root in docs.items():
        if name.startswith("ch-") or name == "legal-basis.xhtml":
            for element in root.iter():
                if element.get("role") == "doc-pagebreak":
                    body.append((int(element.get("aria-label", "")), None))
                elif "version-0" in (element.get("class") or "").split():  # a unit's start
                    words = _words("".join(element.itertext()))[:12]
                    if words:
                        body.append((None, words))
    first_chapter = next(m for m, _ in body if m is not None)
    assert markers(docs["nav.xhtml"]) == list(range(3, first_chapter))

    found_on: list[int] = []  # the page of each passage, searched forward in the PDF
    at = first_chapter
    for _, words in body:
        if words is not None:
            at = next(n for n in range(at, len(pages) + 1) if words in pages[n - 1])
            found_on.append(at)
    passage = 0
    exact = 0
    for number, words in body:
        if words is not None:
            passage += 1
            continue
        assert number is not None
        starts = found_on[passage]
        later = [p for p in found_on[passage + 1 :] if p != starts]
        assert starts == number or (starts < number and (not later or later[0] > number)), number
        exact += starts == number
    assert exact > 0


def _lists(blocks: object) -> Iterator[ListBlock]:
    for block in blocks:  # type: ignore[attr-defined]
        if isinstance(block, ListBlock):
            yield block
        elif isinstance(block, Callout | Quote):
            yield from _lists(block.blocks)


@pytest.mark.render
def test_each_list_is_one_list(epubs: dict[str, Path], theme: Theme) -> None:
    handbook = check_folder(SAMPLE, theme, TODAY, strict=False).handbook
    docs = dict(documents(epubs["sample"]))
    lists = 0
    for chapter in handbook.printed_chapters:
        original = list(_lists(chapter.versions[handbook.authoritative].blocks))
        name = next(n for n in docs if n.startswith("ch-") and chapter.name[:-3] in n)
        shown = [
            e
            for e in docs[name].iter()
            if e.tag in (f"{XHTML}ul", f"{XHTML}ol") and "list" in (e.get("class") or "").split()
        ]
        assert [len(e.findall(f"{XHTML}li")) for e in shown] == [len(b.items) for b in original]
        lists += len(original)
    assert lists > 1  # the sample has lists to check


@pytest.mark.render
def test_check_boxes_say_their_state_in_their_language(
    epubs: dict[str, Path], theme: Theme
) -> None:
    boxes = 0
    for _, root in documents(epubs["sample"]):
        parents = {child: parent for parent in root.iter() for child in parent}
        for box in root.iter(f"{XHTML}span"):
            if "box" not in (box.get("class") or "").split():
                continue
            boxes += 1
            holder = box
            while holder.get("lang") is None:
                holder = parents[holder]
            text = theme.strings[str(holder.get("lang"))]
            said = text["ticked"] if "done" in box.get("class", "") else text["not_ticked"]
            assert (box.get("role"), box.get("aria-label")) == ("img", said)
    assert boxes > 0  # the sample has a checklist


LATIN = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _language_of(text: str) -> str | None:
    """The language a piece of the sample's text is in; "mixed" for both in one node."""
    if HAN.search(text):
        return "mixed" if LATIN.search(text) else "zh-Hans"
    return "en" if LATIN.search(text) else None


@pytest.mark.render
def test_every_text_of_the_nav_and_metadata_is_in_its_language(epubs: dict[str, Path]) -> None:
    """Chinese text under zh-Hans and English under en, in the contents, the landmarks,
    the page list and the package metadata (the audit found 19 nodes that were not)."""
    epub = epubs["sample"]
    wrong = []
    [nav] = [root for name, root in documents(epub) if name == "nav.xhtml"]
    opf = package(epub)
    # The metadata that is text, not codes (identifiers, dates, vocabulary terms).
    said = {"alternate-script", "schema:accessibilitySummary", "a11y:certifiedBy"}
    texts = {
        f"{{http://purl.org/dc/elements/1.1/}}{name}"
        for name in ("title", "publisher", "creator", "description", "subject")
    }
    checked = [e for e in opf.iter() if e.tag in texts or e.get("property") in said]
    assert len(checked) > 6
    for root, only in ((nav, None), (opf, checked)):
        parents = {child: parent for parent in root.iter() for child in parent}

        def lang(element: ElementTree.Element, parents: dict[Any, Any] = parents) -> str:
            while True:
                found = element.get(XML_LANG) or element.get("lang")
                if found or element not in parents:
                    return found or ""
                element = parents[element]

        for element in only or root.iter():
            for text in (element.text, *(c.tail for c in element)):
                if text and (written := _language_of(text)) and lang(element) != written:
                    wrong.append(f"{element.tag} {lang(element)}: {text.strip()[:40]}")
    assert wrong == []
