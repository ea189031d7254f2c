"""Right-to-left books: text that reads left to right (phone numbers, dates, addresses)
keeps its order inside right-to-left text (issue 12)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from booklet.render.blocks import LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE
from booklet.themes.theme import Theme
from tests.conftest import build_quietly, copy_fixture


def page_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.replace(LEFT_TO_RIGHT_ISOLATE, "").replace(POP_ISOLATE, "")


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
    from booklet.render.blocks import _text_html

    html = str(_text_html("اتصل 1800 555 0199 أو help@example.org في 2026-10-01"))
    assert html.count('dir="ltr"') == 3
    assert '<span class="ltr number" dir="ltr">\u20661800 555 0199\u2069</span>' in html
    assert '<span class="ltr" dir="ltr">\u2066help@example.org\u2069</span>' in html
    assert '<span class="ltr number" dir="ltr">\u20662026-10-01\u2069</span>' in html
    assert str(_text_html("call 110 now")) == "call 110 now"  # one group: nothing to keep
