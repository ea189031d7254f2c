"""Lines break where the language breaks them (issue 12).

Whatever inline element comes next: WeasyPrint took a run of text that ends in a space
before a citation, when only that space overflowed the line, for one unbreakable word,
and set the run's first word alone on a line ("An", then "extension of the repayment
term needs the creditor's consent (see"). And in Thai, which has no spaces between words.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import weasyprint

from booklet.build import check_folder
from booklet.render.documents import render_html
from booklet.themes.theme import Theme

PARAGRAPH = (
    "An extension of the repayment term needs the creditor's consent (see [[demo-code 667]]). "
    "Once they agree, write down the new date, and *keep* it with **the** contract."
)


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
    html = (f"<html lang='en'><head>{style}</head><body><div class='chapter' lang='en'>"
            f"<p style='width: {width_mm}mm'>{paragraph[3:-4]}</p></div></body></html>")  # fmt: skip
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


THAI_WORDS = ("ผู้", "ให้", "เช่า", "ต้อง", "คืน", "เงิน", "ประกัน", "ให้", "ผู้", "เช่า", "ภายใน",
              "สาม", "สิบ", "วัน", "นับ", "จาก", "วัน", "ที่", "สัญญา", "สิ้นสุด", "ลง", "และ",
              "ต้อง", "แจ้ง", "เป็น", "หนังสือ")  # fmt: skip
"""Thai is written without spaces between words; Pango finds the words (libthai)."""


def test_thai_breaks_between_words(theme: Theme) -> None:
    """Thai set in the theme's Thai face wraps only where a word ends, at every measure."""
    text = "".join(THAI_WORDS)
    ends = {sum(len(word) for word in THAI_WORDS[: n + 1]) for n in range(len(THAI_WORDS))}
    face = theme.font_stack("th").serif[0]
    wrapped = 0
    for width in range(20, 80, 6):
        html = (f"<html lang='th'><body><p style='font-family: \"{face}\"; font-size: 11pt; "
                f"width: {width}mm'>{text}</p></body></html>")  # fmt: skip
        with pdfplumber.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf())) as pdf:
            lines = pdf.pages[0].extract_text().splitlines()
        wrapped += len(lines) > 1
        end = 0
        for line in lines[:-1]:
            end += len(line.replace(" ", ""))  # poppler may set a space between runs
            assert end in ends, (width, lines)
    assert wrapped >= 8  # the text wrapped at most measures
