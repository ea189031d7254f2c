"""Golden files: the EPUB's package document, its file list and one chapter of the mini
handbook, compared byte for byte, so a change to any of them shows as a diff to review.
`pytest tests/test_golden.py --update-golden` writes them anew (on purpose only)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from booklet.build import check_folder
from booklet.outputs.epub import draft_epub
from booklet.themes.theme import Theme
from tests.conftest import TODAY

GOLDEN = Path(__file__).resolve().parent / "golden"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def epub_texts(mini: Path, theme: Theme) -> dict[str, bytes]:
    checked = check_folder(mini, theme, TODAY, strict=False)
    draft = draft_epub(checked.handbook, theme, checked.faces, WHEN)
    return dict(draft.texts)


def compare(name: str, made: bytes, update: bool) -> None:
    golden = GOLDEN / name
    if update:
        golden.write_bytes(made)
    assert made == golden.read_bytes(), f"{name} differs: review, then --update-golden"


def test_the_package_document(epub_texts: dict[str, bytes], request: pytest.FixtureRequest) -> None:
    compare("mini.opf", epub_texts["EPUB/package.opf"], request.config.getoption("update_golden"))


def test_the_file_list(epub_texts: dict[str, bytes], request: pytest.FixtureRequest) -> None:
    listing = "".join(f"{name}\n" for name in sorted(epub_texts)).encode()
    compare("mini-files.txt", listing, request.config.getoption("update_golden"))


def test_a_chapter(epub_texts: dict[str, bytes], request: pytest.FixtureRequest) -> None:
    [chapter] = [data for name, data in epub_texts.items() if name.endswith("01-start.xhtml")]
    compare("mini-01-start.xhtml", chapter, request.config.getoption("update_golden"))
