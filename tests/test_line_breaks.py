"""Lines break where the language breaks them (issue 12).

Whatever inline element comes next: WeasyPrint took a run of text that ends in a space
before a citation, when only that space overflowed the line, for one unbreakable word,
and set the run's first word alone on a line ("An", then "extension of the repayment
term needs the creditor's consent (see"). And in Thai, Lao and Khmer, which have no
spaces between words.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
import weasyprint

from booklet.build import check_folder
from booklet.render.blocks import text_html
from booklet.render.documents import render_html
from booklet.text.word_breaks import WORD_BREAK
from booklet.themes.theme import Theme
from booklet.vocabulary import POINTS_PER_MM
from tests.conftest import build_quietly, script_handbook

PARAGRAPH = (
    "An extension of the repayment term needs the creditor's consent (see [[demo-code 667]]). "
    "Once they agree, write down the new date, and *keep* it with **the** contract."
)

pytestmark = pytest.mark.render


def paragraph_html(mini: Path, theme: Theme) -> tuple[str, str]:
    """The sample's paragraph as the sequential layout renders it: (the book's stylesheet,
    the paragraph's HTML in its language)."""
    (mini / "en" / "01-start.md").write_text(f"# Talk first\n\n{PARAGRAPH}\n", "utf-8")
    (mini / "zh-Hans" / "01-start.md").write_text("# 先谈\n\n段落。\n", "utf-8")
    checked = check_folder(mini, theme, date(2026, 11, 28), strict=False)
    html = render_html(checked.handbook, theme, "sequential", "a5", None)
    style = html[html.index("<style>") : html.index("</style>") + len("</style>")]
    found = re.search(r"<p>An extension.*?</p>", html)
    assert found, "the paragraph is not in the book"
    return style, found.group()


def lines_at(style: str, paragraph: str, width_mm: float) -> list[str]:
    html = (
        f"<html lang='en'><head>{style}</head><body><div class='chapter' lang='en'>"
        f"<p style='width: {width_mm}mm'>{paragraph[3:-4]}</p></div></body></html>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as read:
        return read.pages[0].extract_text().splitlines()


def test_no_word_is_left_alone_on_a_line_before_a_citation(mini: Path, theme: Theme) -> None:
    """Across a range of measures (one of which ends a line just before the citation, with
    only the space overflowing), every line but the last holds several words."""
    style, paragraph = paragraph_html(mini, theme)
    assert '<a class="cite"' in paragraph
    ended_before_citation = 0
    for tenth in range(1180, 1260, 3):  # 0.3 mm steps: less than a space
        lines = lines_at(style, paragraph, tenth / 10)
        for line in lines[:-1]:
            assert len(line.split()) > 1, (tenth / 10, lines)
        ended_before_citation += lines[0].endswith("(see")
    assert ended_before_citation, "no measure ended a line at the citation: widen the range"


THAI_WORDS = (
    "ผู้",
    "ให้",
    "เช่า",
    "ต้อง",
    "คืน",
    "เงิน",
    "ประกัน",
    "ให้",
    "ผู้",
    "เช่า",
    "ภายใน",
    "สาม",
    "สิบ",
    "วัน",
    "นับ",
    "จาก",
    "วัน",
    "ที่",
    "สัญญา",
    "สิ้นสุด",
    "ลง",
    "และ",
    "ต้อง",
    "แจ้ง",
    "เป็น",
    "หนังสือ",
)
"""Thai is written without spaces between words; Pango finds the words (libthai)."""


def test_thai_breaks_between_words(theme: Theme) -> None:
    """Thai set in the theme's Thai face wraps only where a word ends, at every measure."""
    text = "".join(THAI_WORDS)
    ends = {sum(len(word) for word in THAI_WORDS[: n + 1]) for n in range(len(THAI_WORDS))}
    face = theme.font_stack("th").serif[0]
    wrapped = 0
    for width in range(20, 80, 6):
        html = (
            f"<html lang='th'><body><p style='font-family: \"{face}\"; font-size: 11pt; "
            f"width: {width}mm'>{text}</p></body></html>"
        )
        with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf())) as pdf:
            lines = pdf.pages[0].extract_text().splitlines()
        wrapped += len(lines) > 1
        end = 0
        for line in lines[:-1]:
            end += len(line.replace(" ", ""))  # poppler may set a space between runs
            assert end in ends, (width, lines)
    assert wrapped >= 8  # the text wrapped at most measures


UNSPACED_WORDS = {
    "lo": ("ສິດທິ", "ຂອງ", "ຜູ້", "ເຊົ່າ", "ເຮືອນ", "ແມ່ນ", "ໄດ້ຮັບ", "ການ", "ປົກປ້ອງ", "ຕາມ", "ກົດໝາຍ"),
    "km": ("សិទ្ធិ", "របស់", "អ្នកជួល", "ផ្ទះ", "ត្រូវ", "បានការ", "ពារ", "ដោយ", "ច្បាប់"),
    "my": ("အိမ်", "ငှား", "သူ၏အခွင့်အရေး", "များ", "ကို", "ဥပဒေ", "က", "ကာကွယ်သည်"),
}
"""Lao, Khmer and Myanmar, written without spaces between words, and where ICU lets a
line break in them ("the rights of a tenant are protected by law"); Pango finds none (it
knows only Thai's words)."""

UNSPACED_SCRIPT = {"lo": "[\u0e80-\u0eff]", "km": "[\u1780-\u17ff]", "my": "[\u1000-\u109f]"}


@pytest.mark.parametrize("language", sorted(UNSPACED_WORDS))
def test_lao_khmer_and_myanmar_wrap_inside_their_column_between_words(
    mini: Path, theme: Theme, language: str
) -> None:
    """A paragraph of Lao, Khmer or Myanmar four times wider than its column, made HTML as every
    block's text is (text_html) and set in the book's stylesheet and the theme's face,
    wraps inside the column's x-range, every line ending where a word ends; the text a
    reader copies out of the PDF has no ZERO WIDTH SPACE in it."""
    words = UNSPACED_WORDS[language] * 2
    ends = {sum(len(word) for word in words[: n + 1]) for n in range(len(words))}
    style, _ = paragraph_html(mini, theme)
    face = theme.font_stack(language).serif[0]
    width_mm = 30
    html = (
        f"<html lang='{language}'><head>{style}</head><body><div class='chapter' "
        f"lang='{language}'><p style='font-family: \"{face}\"; width: {width_mm}mm; "
        f"text-align: start'>{text_html(''.join(words), language)}</p></div></body></html>"
    )
    with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf())) as pdf:
        page = pdf.pages[0]
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
        left = min(float(c["x0"]) for c in page.chars)
        right = max(float(c["x1"]) for c in page.chars)
        lines = page.extract_text().splitlines()
    assert fonts == {face.replace(" ", "-")}, fonts
    assert (right - left) / POINTS_PER_MM <= width_mm + 0.1, (left, right)
    assert len(lines) >= 4, lines
    assert WORD_BREAK not in "".join(lines)
    end = 0
    for line in lines[:-1]:
        end += len(line.replace(" ", ""))  # poppler may set a space between runs
        assert end in ends, lines


@pytest.mark.parametrize("language", sorted(UNSPACED_WORDS))
def test_a_lao_khmer_or_myanmar_handbook_keeps_to_its_column(
    mini: Path, theme: Theme, language: str
) -> None:
    """The mini handbook in Lao, Khmer or Myanmar beside English, built in the parallel layout:
    its headings and paragraphs, each a line of words many times wider than a column,
    wrap inside the first column, a gutter clear of the English one, on every page."""
    words = "".join(UNSPACED_WORDS[language])
    folder = script_handbook(mini, theme, language, f"{words * 2} {words * 6}")
    (out,) = build_quietly(folder, theme, mini.parent / "out", ("parallel",), ("pdf",))
    script = re.compile(UNSPACED_SCRIPT[language])
    gaps = []
    with pdfplumber.open(out.path) as pdf:
        for page in pdf.pages[3:-1]:  # the chapters, the legal basis
            chars = [c for c in page.chars if c["top"] > page.height * 0.08]
            unspaced = [c for c in chars if script.match(c["text"])]
            latin = [c for c in chars if c["text"].isascii() and c["text"].isalpha()]
            if unspaced and latin:
                gaps.append(min(c["x0"] for c in latin) - max(c["x1"] for c in unspaced))
    assert len(gaps) >= 2, "no page holds both columns"
    assert min(gaps) / POINTS_PER_MM >= 4.8, [round(g / POINTS_PER_MM, 1) for g in gaps]
