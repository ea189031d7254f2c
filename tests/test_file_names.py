"""Chapter file names: odd ones build a valid EPUB and a sound lock; one name per chapter
across languages (NFC, `.MD`); a name that is not UTF-8 is a located error."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.themes.theme import Theme
from tests.conftest import build_quietly
from tests.test_check import problems
from tests.test_epub import epubcheck_messages

ODD_NAMES = [
    "03 records.md",
    "04-a&b.md",
    "05-#x.md",
    '06-"q".md',
    "07-?.md",
    "08-%20.md",
    "09-<tag>.md",
    "10-señal.md",
]


@pytest.mark.render
def test_odd_chapter_names_build_a_valid_epub_and_a_sound_lock(
    mini: Path, theme: Theme, tmp_path: Path
) -> None:
    for name in ODD_NAMES:
        (mini / "zh-Hans" / name).write_text("# 标题\n\n正文。\n", encoding="utf-8")
        # macOS writes decomposed names; a Windows editor may write .MD
        theirs = unicodedata.normalize("NFD", name)
        theirs = theirs[:-3] + ".MD" if name.startswith("04") else theirs
        (mini / "en" / theirs).write_text("# Title\n\nText.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["translations", "sync", str(mini)])
    assert result.exit_code == 0, result.output
    assert problems(mini, theme, strict=True) == []
    lock = (mini / "translations.lock").read_text(encoding="utf-8")
    assert "unit 03%20records.md " in lock and "unit 08-%2520.md " in lock
    outputs = build_quietly(mini, theme, tmp_path / "out", layouts=("parallel",))
    epub = next(o.path for o in outputs if o.kind == "epub")
    assert epubcheck_messages(epub) == []
    po = tmp_path / "en.po"
    result = runner.invoke(
        main, ["translations", "export", str(mini), "--lang", "en", "--format", "po", "-o", str(po)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["translations", "import", str(po), "--handbook", str(mini)])
    assert result.exit_code == 0, result.output
    assert " 0 skipped;" in result.output  # every unit found again, "#" in a name included


def test_a_file_name_that_is_not_utf8(mini: Path, theme: Theme) -> None:
    folder = os.fsencode(mini / "en")
    with open(os.path.join(folder, b"03-\xff.md"), "w", encoding="utf-8") as stream:
        stream.write("# Title\n")
    assert problems(mini, theme) == [
        'handbook/en: the file name "03-\ufffd.md" is not valid UTF-8 text; rename the file'
    ]
