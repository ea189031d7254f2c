"""A revision on every copy: the same for the same sources in any folder, changed by any
file the author controls, printed and stored in every PDF, EPUB and kit."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from booklet.model import CopyOf
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.sources.revision import copy_revision
from booklet.themes.theme import Theme, load_theme
from tests.conftest import EPOCH, build_quietly


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def revision_of(folder: Path, themes: tuple[Path, ...] = ()) -> str:
    handbook, _ = parse_handbook(load_handbook(folder))
    return copy_revision(handbook, load_theme(themes))


@pytest.mark.render
def test_the_same_sources_in_another_folder_give_the_same_revision_and_bytes(
    mini: Path, tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    other = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(mini.parent, other)
    assert re.fullmatch(r"[0-9a-f]{7}", revision_of(mini))
    assert revision_of(mini) == revision_of(other / "handbook")
    made = [
        build_quietly(folder, theme, folder.parent / "out", ("parallel",), ("pdf",))[0].path
        for folder in (mini, other / "handbook")
    ]
    assert made[0].read_bytes() == made[1].read_bytes()


def _image(mini: Path) -> None:
    (mini / "en" / "01-start.md").write_text("# Start\n\n![A map](map.png)\n", encoding="utf-8")
    (mini / "en" / "map.png").write_bytes(b"\x89PNG one")


CHANGES: dict[str, Callable[[Path], None]] = {
    "chapter": lambda mini: (mini / "en" / "02-privacy.md").write_text("# New\n", "utf-8"),
    "image": lambda mini: (mini / "en" / "map.png").write_bytes(b"\x89PNG two"),
    "statute": lambda mini: (mini.parent / "laws" / "demo-code.toml").write_text(
        (mini.parent / "laws" / "demo-code.toml").read_text("utf-8") + "\n# note\n", "utf-8"
    ),
    "clinic": lambda mini: (mini.parent / "clinics" / "north.toml").write_text(
        (mini.parent / "clinics" / "north.toml").read_text("utf-8").replace("9:00", "9:30"),
        "utf-8",
    ),
    "theme": lambda mini: (mini.parent / "theme" / "css" / "theme.css").write_text(
        "p { color: #222; }\n", "utf-8"
    ),
    "lock": lambda mini: (mini / "translations.lock").write_text(
        (mini / "translations.lock").read_text("utf-8") + "\n", "utf-8"
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_file_the_author_controls_changes_the_revision(mini: Path, change: str) -> None:
    theme = mini.parent / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "theme.css").write_text("p { color: #111; }\n", encoding="utf-8")
    _image(mini)
    before = revision_of(mini, (theme,))
    assert revision_of(mini, (theme,)) == before
    CHANGES[change](mini)
    assert revision_of(mini, (theme,)) != before


@pytest.mark.render
def test_every_copy_prints_and_stores_its_revision(
    mini: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    revision = revision_of(mini)
    out = mini.parent / "out"
    made = {o.path.name: o.path for o in build_quietly(mini, theme, out, ("parallel",))}
    pdf = made["handbook-parallel-a5.pdf"]
    pages = page_texts(pdf)
    assert f"修订号：{revision}" in pages[1] and f"Revision {revision}" in pages[1]  # about
    assert f"Test edition 1 · 修订号：{revision}" in pages[-1]  # the back cover
    with pikepdf.open(pdf) as document:
        xmp = document.Root.Metadata.read_bytes().decode()
    assert f"<xmpMM:VersionID>{revision}</xmpMM:VersionID>" in xmp
    assert "<xmpMM:DocumentID>booklet:handbook?format=pdf&amp;layout=parallel&amp;paper=a5<" in xmp
    with zipfile.ZipFile(made["handbook.epub"]) as epub:
        opf = epub.read("EPUB/package.opf").decode()
        about = epub.read("EPUB/about.xhtml").decode()
    assert f'<meta property="schema:version">{revision}</meta>' in opf
    assert '<dc:identifier id="booklet-copy">booklet:handbook?format=epub</dc:identifier>' in opf
    assert f"Revision {revision}" in about


def test_a_copy_describes_itself_and_reads_back() -> None:
    copy = CopyOf(
        "debt-collection", "pdf", "parallel", "a5", "large-print", True, "south", "en", True
    )
    assert copy.text() == (
        "booklet:debt-collection?format=pdf&layout=parallel&paper=a5&edition=large-print"
        "&print-shop=yes&clinic=south&language=en&imposed=yes"
    )
    assert CopyOf.parse(copy.text()) == copy
    assert CopyOf.parse("urn:uuid:1234") is None


def test_the_kit_says_its_revision(mini: Path, theme: Theme) -> None:
    from datetime import UTC, datetime

    from booklet.outputs.kit import make_kit

    handbook, _ = parse_handbook(load_handbook(mini))
    revision = copy_revision(handbook, theme)
    data = make_kit(handbook, theme, [], "handbook-kit", datetime(2026, 1, 1, tzinfo=UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as kit:
        readme = kit.read("handbook-kit/README.txt").decode()
        index = kit.read("handbook-kit/index.html").decode()
    assert readme.splitlines()[:2] == ["测试手册：阅读和打印用的文件", f"修订号：{revision}"]
    assert readme.endswith(f"\nbooklet:handbook?format=kit revision {revision}\n")
    assert f'<p class="revision">Revision {revision}</p>' in index
