"""Re-rendering by chapter (booklet.build.chapters, booklet.render.parts,
booklet.outputs.replace): a build after an edit re-renders only the parts it changed and
splices them into the book as last made; the result must be the document a `--force`
build gives (text of each page, bookmarks, structure tree, links, named destinations,
page labels: tests/pdf_sameness.py), and whatever cannot be kept to renders whole."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from booklet.build.cache import _entry
from booklet.cli.handbooks import parsed
from booklet.render.documents import render_html
from booklet.render.parts import STUB_CLASS, book_parts, part_html
from booklet.themes.theme import Theme
from tests.conftest import EPOCH, build_quietly
from tests.pdf_sameness import differences
from tests.test_check import edit

PDF = "handbook-parallel-a5.pdf"


def _html(mini: Path, theme: Theme) -> str:
    return render_html(parsed(mini), theme, "parallel", "a5", None)


def test_a_book_is_cut_at_its_top_level_elements(mini: Path, theme: Theme) -> None:
    book = book_parts(_html(mini, theme))
    assert book is not None
    firsts = [part.ids[0] for part in book.parts]
    assert firsts[:3] == ["cover", "about", "contents--zh-Hans"]
    assert firsts[3].startswith("ch-01-") and firsts[4].startswith("ch-02-")
    assert firsts[5:] == ["legal-basis--zh-Hans", "back-cover"]
    assert book.text(book.parts[0]).startswith('<section class="cover"')
    assert book.text(book.parts[-1]).endswith("</section>")
    assert book.parts[2].targets[-1] == "legal-basis--zh-Hans"  # the contents link to it


def test_a_part_alone_starts_on_its_page_and_writes_its_targets_pages(
    mini: Path, theme: Theme
) -> None:
    book = book_parts(_html(mini, theme))
    assert book is not None
    chapter = book.parts[3]
    cited = [target for target in chapter.targets if target.startswith("art-")]
    assert cited, "the mini handbook's first chapter cites an article"
    html = part_html(book, chapter, 4, dict.fromkeys(chapter.targets, 7))
    assert "@page :first { counter-reset: page 4; }" in html
    assert "html { break-before: verso; }" in html
    assert (
        f'a.cite:lang(en)[href="#{cited[-1]}"]::after {{ counter-reset: booklet-target 7; '
        f'content: " (p. " counter(booklet-target, decimal) ")"; }}'
    ) in html
    assert f'<div class="{STUB_CLASS}"><span id="{cited[0]}"></span>' in html
    assert html.count('<section class="chapter">') == 1


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>not closed</body></html>",
        "<html><body></body></html>",
        "<html><body><p>no end of the body</p>",
        "no body",
    ],
)
def test_html_that_is_not_a_book_has_no_parts(html: str) -> None:
    assert book_parts(html) is None


@pytest.mark.parametrize(
    "parts",
    [[["0" * 64, 1, 2]], [["0" * 64, 1]], [["x" * 64, 1, 2]], [["0" * 64, -1, 2]], "parts"],
)
def test_a_record_of_parts_booklet_did_not_write_counts_as_none(parts: object) -> None:
    entry = {"key": "0" * 64, "sha256": "0" * 64, "size": 1, "summary": {"parts": parts}}
    assert (_entry(entry) is None) == (parts != [["0" * 64, 1, 2]])


def _build(mini: Path, theme: Theme, out: Path, force: bool = False) -> bytes:
    from booklet.build import BuildPlan, build_handbook, build_time, check_folder
    from tests.conftest import TODAY

    checked = check_folder(mini, theme, TODAY, strict=False)
    plan = BuildPlan(("parallel",), (), ("pdf",), out)
    build_handbook(checked, theme, plan, build_time(), lambda _: None, lambda _: None, force=force)
    return (out / "handbook" / PDF).read_bytes()


def _summary(out: Path) -> object:
    record = json.loads((out / ".booklet-cache" / "handbook.json").read_text("utf-8"))
    return record["outputs"][PDF]["summary"]


@pytest.mark.render
def test_a_word_changed_re_renders_its_chapter_and_equals_a_whole_render(
    mini: Path,
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out, whole = tmp_path / "out", tmp_path / "whole"
    before = _build(mini, theme, out)
    edit(mini / "en" / "02-privacy.md", "may not expose", "must never expose")
    with caplog.at_level(logging.INFO, logger="booklet.build.chapters"):
        spliced = _build(mini, theme, out)
    # The about page and the back cover print the revision; the second chapter changed.
    assert caplog.messages == ["re-rendered parts [1, 4, 6] of 7"]
    rendered = _build(mini, theme, whole, force=True)
    assert spliced not in (before, rendered)  # its own font subsets: not the same bytes
    assert differences(rendered, spliced) == []
    assert _summary(out) == _summary(whole)
    # And again from the spliced book: a second edit in the other chapter.
    edit(mini / "en" / "01-start.md", "Keep recordings", "Keep all recordings")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="booklet.build.chapters"):
        spliced = _build(mini, theme, out)
    assert caplog.messages == ["re-rendered parts [1, 3, 6] of 7"]
    assert differences(_build(mini, theme, whole, force=True), spliced) == []


@pytest.mark.render
def test_a_chapter_that_grows_a_page_renders_the_book_whole(
    mini: Path,
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out, whole = tmp_path / "out", tmp_path / "whole"
    _build(mini, theme, out)
    pages = build_quietly(mini, theme, tmp_path / "count", ("parallel",), ("pdf",))[0].pages
    text = "借款合同是有法律依据的，请保留所有证据。" * 40  # a new paragraph of the original
    chapter = mini / "zh-Hans" / "01-start.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n" + text + "\n", "utf-8")
    with caplog.at_level(logging.INFO, logger="booklet.build.chapters"):
        made = _build(mini, theme, out)
    assert caplog.messages == ["rendered whole: a part's pages or its targets' pages moved"]
    assert made == _build(mini, theme, whole, force=True)  # rendered whole: the same bytes
    assert build_quietly(mini, theme, tmp_path / "again", ("parallel",), ("pdf",))[0].pages > pages
