"""Right-to-left books: text that reads left to right (phone numbers, dates, addresses)
keeps its order inside right-to-left text (issue 12)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from booklet.render.blocks import LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE
from booklet.themes.theme import Theme
from tests.conftest import build_quietly, copy_fixture


def page_text(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_ISOLATE, "")


@pytest.mark.render
def test_a_phone_number_in_arabic_text_reads_in_its_own_order(tmp_path: Path, theme: Theme) -> None:
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    (out,) = build_quietly(daleel, theme, tmp_path / "out", ("parallel",), ("pdf",))
    text = page_text(out.path)
    arabic_lines = [line for line in text.splitlines() if "بخط المساعدة" in line]
    assert arabic_lines, text
    # The Arabic warning ends with the number; the bidirectional algorithm alone would
    # set its groups right to left ("0199 555 1800").
    assert "0199 555 1800" not in text
    assert text.count("1800 555 0199") >= 2  # the Arabic callout and the back cover


def test_left_to_right_runs_are_isolated_and_numbers_do_not_break() -> None:
    from booklet.render.blocks import text_html

    html = str(text_html("اتصل 1800 555 0199 أو help@example.org في 2026-10-01"))
    assert html.count('dir="ltr"') == 3
    assert '<span class="ltr number" dir="ltr">\u20661800 555 0199\u2069</span>' in html
    assert '<span class="ltr" dir="ltr">\u2066help@example.org\u2069</span>' in html
    assert '<span class="ltr number" dir="ltr">\u20662026-10-01\u2069</span>' in html
    assert str(text_html("call 110 now")) == "call 110 now"  # one group: nothing to keep


def words(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(x from, x to, y, word) of every word poppler reads on a page."""
    from xml.etree import ElementTree

    xml = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    found = []
    for word in ElementTree.fromstring(xml).iter("{http://www.w3.org/1999/xhtml}word"):
        found.append(
            (
                float(word.get("xMin", 0)),
                float(word.get("xMax", 0)),
                float(word.get("yMin", 0)),
                word.text or "",
            )
        )
    return found


def arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in word)


@pytest.fixture
def arabic_book(tmp_path: Path, theme: Theme) -> dict[str, Path]:
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    made = build_quietly(daleel, theme, tmp_path / "out", ("parallel",), ("pdf",), impose=True)
    return {output.path.name: output.path for output in made}


@pytest.mark.render
def test_in_a_right_to_left_book_the_first_language_is_on_the_right_with_a_gutter(
    arabic_book: dict[str, Path],
) -> None:
    pdf = arabic_book["daleel-parallel-a5.pdf"]
    body = [w for w in words(pdf, 4) if w[2] > 40]  # below the running head
    arabic_from = min(w[0] for w in body if arabic(w[3]))
    english_to = max(w[1] for w in body if w[3].isascii() and w[3].isalpha())
    gutter_mm = (arabic_from - english_to) / 72 * 25.4
    assert gutter_mm >= 5  # 2.5 mm each side of the rule, none of it overlapping


@pytest.mark.render
def test_a_right_to_left_book_reads_right_to_left_and_ends_on_its_back_cover(
    arabic_book: dict[str, Path],
) -> None:
    pdf = pikepdf.open(arabic_book["daleel-parallel-a5.pdf"])
    assert pdf.Root.ViewerPreferences.Direction == "/R2L"
    pages = len(pdf.pages)
    assert pages % 2 == 0  # the back cover is a verso: the outside of the fold
    last = " ".join(w[3] for w in words(arabic_book["daleel-parallel-a5.pdf"], pages))
    assert "1800 555 0199" in last and "Legal helpline" in last


@pytest.mark.render
def test_a_right_to_left_booklet_is_bound_on_the_right(arabic_book: dict[str, Path]) -> None:
    booklet = arabic_book["daleel-parallel-a5-booklet.pdf"]
    front = words(booklet, 1)
    middle = max(w[1] for w in front) / 2 + min(w[0] for w in front) / 2
    cover = [w for w in front if w[3] == "Tenant's"]
    helpline = [w for w in front if w[3] == "helpline"]
    # The cover is on the left half, the back cover on the right: folded, the spine is on
    # the cover's right, as an Arabic book opens.
    assert cover and cover[0][1] < middle
    assert helpline and helpline[0][0] > middle


@pytest.mark.render
def test_a_left_to_right_book_says_nothing_of_direction(sample_build: dict[str, Path]) -> None:
    pdf = pikepdf.open(sample_build["debt-collection-parallel-a5.pdf"])
    assert "/Direction" not in pdf.Root.ViewerPreferences


KOREAN = (
    "임대인은 임차인의 동의 없이 주택에 들어갈 수 없으며, 이를 어기면 손해를 배상하여야 한다. "
    "임차인은 대항력을 갖추기 위하여 주민등록을 마치고 확정일자를 받아 두는 것이 좋다."
)


@pytest.mark.render
def test_korean_lines_break_between_words_not_inside_them(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    (mini / "translations.lock").unlink()
    (mini / "zh-Hans").rename(mini / "ko")
    for path in (mini / "ko").iterdir():
        path.write_text(f"# 제목\n\n{KOREAN} {KOREAN}\n\n{KOREAN}\n", encoding="utf-8")
    for path in (mini / "en").iterdir():
        path.write_text("# Title\n\nA paragraph.\n\nAnother paragraph.\n", encoding="utf-8")
    for path in (mini / "handbook.toml", mini.parent / "laws" / "demo-code.toml"):
        path.write_text(path.read_text(encoding="utf-8").replace("zh-Hans", "ko"), "utf-8")
    (out,) = build_quietly(mini, theme, tmp_path / "out", ("sequential",), ("pdf",))
    text = subprocess.run(
        ["pdftotext", str(out.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(KOREAN.split())
    lines = [line.strip() for line in text.splitlines() if "임" in line or "차" in line]
    body = [line for line in lines if len(line) > 10]
    assert len(body) >= 6  # the paragraphs wrapped over several lines
    for line in body:
        assert set(line.split()) <= words, line  # every line starts and ends on a whole word


def italic_fonts(pdf: Path) -> list[str]:
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split()[0] for line in listing.splitlines()[2:] if "Italic" in line.split()[0]]


@pytest.mark.render
def test_emphasis_follows_the_language_of_its_own_text(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    """In a Chinese-first book an English *word* is italic; Chinese emphasis is bold, never
    slanted; large print has no italics at all."""
    for lang, word in (("en", "*careful*"), ("zh-Hans", "*小心*")):
        chapter = mini / lang / "02-privacy.md"
        text = chapter.read_text(encoding="utf-8").rstrip("\n").split("\n")
        text[-1] += f" {word}"
        chapter.write_text("\n".join(text) + "\n", encoding="utf-8")
    (standard,) = build_quietly(mini, theme, tmp_path / "a", ("parallel",), ("pdf",))
    assert italic_fonts(standard.path) == [italic_fonts(standard.path)[0]]
    assert "Serif-Italic" in italic_fonts(standard.path)[0]  # Noto Serif Italic, for English
    (large,) = build_quietly(
        mini, theme, tmp_path / "b", ("interleaved",), ("pdf",), edition="large-print"
    )
    assert italic_fonts(large.path) == []
