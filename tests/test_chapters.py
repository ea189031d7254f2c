"""Re-rendering by chapter (booklet.build.chapters, booklet.render.parts,
booklet.outputs.replace): a draft (`booklet watch`) after an edit re-renders only the
parts it changed and splices them into the book as last made; a build never does, and
renders a draft's book whole again; the result must be the document a `--force`
build gives (text of each page, bookmarks, structure tree, links, named destinations,
page labels: tests/pdf_sameness.py), and whatever cannot be kept to renders whole."""

from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path

import pytest

from booklet.build.cache import recorded_entry
from booklet.cli.handbooks import parsed
from booklet.outputs.identity import marked_draft
from booklet.outputs.replace import Unspliceable
from booklet.render.documents import render_html
from booklet.render.parts import STUB_CLASS, book_parts, part_html
from booklet.themes.theme import Theme
from tests.conftest import EPOCH, copy_fixture
from tests.pdf_sameness import differences, page_texts
from tests.test_check import edit


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
    html, css = part_html(book, [chapter], 4, dict.fromkeys(chapter.targets, 7))
    assert css and css in book.head and css not in html  # given apart, parsed once
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
    assert (recorded_entry(entry) is None) == (parts != [["0" * 64, 1, 2]])


def _build(
    mini: Path,
    theme: Theme,
    out: Path,
    layout: str,
    force: bool = False,
    draft: bool = True,
    jobs: int = 1,
) -> bytes:
    from booklet.build import BuildPlan, build_handbook, build_time, check_folder
    from tests.conftest import TODAY

    checked = check_folder(mini, theme, TODAY, strict=False)
    plan = BuildPlan((layout,), (), ("pdf",), out)
    from booklet.build.workers import renderer

    with renderer(jobs) as workers:
        build_handbook(
            checked,
            theme,
            plan,
            build_time(),
            lambda _: None,
            lambda _: None,
            workers,
            force=force,
            by_parts=draft and not force,
        )
    return (out / mini.name / f"{mini.name}-{layout}-a5.pdf").read_bytes()


def _summary(out: Path, layout: str, name: str = "handbook") -> object:
    record = json.loads((out / ".booklet-cache" / f"{name}.json").read_text("utf-8"))
    return record["outputs"][f"{name}-{layout}-a5.pdf"]["summary"]


class _Edits:
    """Builds of the mini handbook after edits: by chapter into `out`, whole (`--force`)
    into `whole`, and what booklet.build.chapters said it did."""

    def __init__(
        self, mini: Path, theme: Theme, tmp_path: Path, layout: str, log: pytest.LogCaptureFixture
    ) -> None:
        self.mini, self.theme, self.layout, self.log = mini, theme, layout, log
        self.out, self.whole = tmp_path / "out", tmp_path / "whole"
        self.first = _build(mini, theme, self.out, layout)

    def build(self) -> tuple[list[str], bytes, bytes]:
        """What was said, the book built after the edit, and the book rendered whole."""
        self.log.clear()
        with self.log.at_level(logging.INFO, logger="booklet.build.by_parts"):
            made = _build(self.mini, self.theme, self.out, self.layout)
        said = list(self.log.messages)
        whole = _build(self.mini, self.theme, self.whole, self.layout, force=True)
        return said, made, whole


@pytest.fixture
def edits(
    mini: Path,
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> _Edits:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return _Edits(mini, theme, tmp_path, request.param, caplog)


@pytest.mark.render
@pytest.mark.parametrize("edits", ["parallel", "interleaved"], indirect=True)
def test_a_word_changed_re_renders_its_chapter_and_equals_a_whole_render(edits: _Edits) -> None:
    edit(edits.mini / "en" / "02-privacy.md", "may not expose", "must never expose")
    said, spliced, whole = edits.build()
    # The about page and the back cover print the revision; the second chapter changed.
    assert said == ["re-rendered parts [1, 4, 6] of 7"]
    assert spliced not in (edits.first, whole)  # its own font subsets: not the same bytes
    assert differences(whole, spliced) == []
    assert _summary(edits.out, edits.layout) == _summary(edits.whole, edits.layout)
    # And again from the spliced book: a second edit in the other chapter.
    edit(edits.mini / "en" / "01-start.md", "Keep recordings", "Keep all recordings")
    said, spliced, whole = edits.build()
    assert said == ["re-rendered parts [1, 3, 6] of 7"]
    assert differences(whole, spliced) == []
    assert _summary(edits.out, edits.layout) == _summary(edits.whole, edits.layout)


@pytest.mark.render
@pytest.mark.parametrize("edits", ["parallel"], indirect=True)
def test_a_statute_changed_re_renders_the_legal_basis(edits: _Edits) -> None:
    edit(
        edits.mini.parent / "laws" / "demo-code.toml",
        "自然人享有隐私权。",
        "自然人享有隐私权和个人信息权。",
    )
    said, spliced, whole = edits.build()
    assert said == ["re-rendered parts [1, 5, 6] of 7"]
    assert differences(whole, spliced) == []


@pytest.mark.render
@pytest.mark.parametrize("edits", ["parallel"], indirect=True)
def test_a_new_chapter_renders_the_book_whole(edits: _Edits) -> None:
    for language, title in (
        ("zh-Hans", "# 新的一章\n\n新的内容。\n"),
        ("en", "# A new chapter\n\nNew text.\n"),
    ):
        (edits.mini / language / "03-new.md").write_text(title, "utf-8")
    said, made, whole = edits.build()
    assert said == []  # no record of a book with that many parts: rendered whole
    assert made == whole


@pytest.mark.render
@pytest.mark.parametrize("edits", ["parallel"], indirect=True)
def test_a_chapter_that_grows_a_page_renders_the_book_whole(edits: _Edits, tmp_path: Path) -> None:
    pages = len(page_texts(edits.first))
    text = "借款合同是有法律依据的，请保留所有证据。" * 40  # a new paragraph of the original
    chapter = edits.mini / "zh-Hans" / "01-start.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n" + text + "\n", "utf-8")
    said, made, whole = edits.build()
    assert said == ["rendered whole: re-rendering what moved costs more"]
    # Rendered whole: the bytes --force gives, but for saying it is a draft (its key is a
    # draft's, so a build renders it again).
    assert made == marked_draft(whole) != whole
    assert len(page_texts(made)) > pages


@pytest.mark.render
@pytest.mark.parametrize("layout", ["parallel"])
def test_a_title_changed_in_a_right_to_left_book_re_renders_the_contents_too(
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    layout: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    edits = _Edits(daleel, theme, tmp_path, layout, caplog)
    edit(
        daleel / "en" / "02-entry.md",
        "When may the landlord come in?",
        "When may a landlord enter?",
    )
    said, spliced, whole = edits.build()
    # The contents link to the chapter it names: its own stand-in for that target must not
    # hide the chapter's destination.
    assert said == ["re-rendered parts [1, 2, 4, 6] of 7"]
    assert differences(whole, spliced) == []
    assert _summary(edits.out, layout, "daleel") == _summary(edits.whole, layout, "daleel")


@pytest.mark.render
def test_a_part_that_is_not_where_the_book_says_is_refused(mini: Path, theme: Theme) -> None:
    from booklet.outputs.pdf import render_pdf
    from booklet.outputs.replace import NewPart, Unspliceable, replace_parts

    html = _html(mini, theme)
    book = book_parts(html)
    assert book is not None
    roots = (mini, *theme.folders)
    whole = render_pdf(html, mini, roots, None, [part.ids[0] for part in book.parts])
    firsts = [whole.anchor_pages[part.ids[0]] for part in book.parts]
    about, css = part_html(book, [book.parts[1]], firsts[1], whole.anchor_pages)
    alone = render_pdf(about, mini, roots, stylesheet=css).data
    # In its place, the about page reads as it did.
    same = replace_parts(whole.data, [NewPart(1, firsts[1] - 1, 1, alone)])
    assert differences(whole.data, same) == []
    cases = [
        (NewPart(2, firsts[1] - 1, 1, alone), "the part's element is not on its pages"),
        (
            NewPart(9, firsts[1] - 1, 1, alone),
            "the part is not the elements of the book it replaces",
        ),
        (NewPart(1, whole.pages, 1, alone), "the part's pages are not in the book"),
        (NewPart(1, 0, 1, whole.data), "the part is not the elements of the book it replaces"),
    ]
    for part, message in cases:
        with pytest.raises(Unspliceable, match=message):
            replace_parts(whole.data, [part])
    with pytest.raises(Unspliceable, match="nothing to replace"):
        replace_parts(whole.data, [])


@pytest.mark.render
def test_a_chapter_that_grows_moves_the_pages_after_it_when_nothing_cites_them(
    mini: Path,
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # No citations (so no legal basis), and a long first chapter: growing the last one
    # moves only the back cover, which costs less than the whole book.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for chapter in mini.glob("*/0*.md"):
        chapter.write_text(re.sub(r"\[\[[^\]]*\]\]", "", chapter.read_text("utf-8")), "utf-8")
    first = mini / "zh-Hans" / "01-start.md"
    text = "借款合同是有法律依据的，请保留所有证据，并记下每次联系的时间和内容。" * 12
    first.write_text(first.read_text("utf-8") + f"\n{text}\n" * 8, "utf-8")
    edits = _Edits(mini, theme, tmp_path, "parallel", caplog)
    before = len(page_texts(edits.first))
    last = mini / "zh-Hans" / "02-privacy.md"
    last.write_text(last.read_text("utf-8") + f"\n{text}\n" * 3, "utf-8")
    said, spliced, whole = edits.build()
    assert said == ["re-rendered parts [1, 4, 5] of 6"]
    assert len(page_texts(whole)) > before
    assert differences(whole, spliced) == []
    assert _summary(edits.out, "parallel") == _summary(edits.whole, "parallel")


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize("edits", ["parallel"], indirect=True)
def test_the_pages_spliced_in_look_as_rendered_whole(edits: _Edits, tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    edit(edits.mini / "en" / "02-privacy.md", "may not expose", "must never expose")
    _, spliced, whole = edits.build()
    pictures = {}
    for name, data in (("spliced", spliced), ("whole", whole)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", tmp_path / f"{name}.pdf", tmp_path / name], check=True
        )
        pictures[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(pictures["spliced"]) == len(pictures["whole"]) > 0
    for ours, theirs in zip(pictures["spliced"], pictures["whole"], strict=True):
        with Image.open(ours) as a, Image.open(theirs) as b:
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


@pytest.mark.render
@pytest.mark.subprocess
def test_with_workers_the_parts_render_side_by_side_and_a_build_renders_whole_again(
    mini: Path, theme: Theme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two workers: each part is a work of its own (chapters.ByParts).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out, whole = tmp_path / "out", tmp_path / "whole"
    _build(mini, theme, out, "interleaved", jobs=2)
    _build(mini, theme, whole, "interleaved", force=True, jobs=2)
    edit(mini / "en" / "02-privacy.md", "may not expose", "must never expose")
    spliced = _build(mini, theme, out, "interleaved", jobs=2)
    rendered = _build(mini, theme, whole, "interleaved", force=True, jobs=2)
    assert spliced != rendered
    assert differences(rendered, spliced) == []
    assert _summary(out, "interleaved") == _summary(whole, "interleaved")
    # A build (not a draft) of the same sources renders the book whole: the bytes a
    # fresh build gives, whatever the drafts before it.
    assert _build(mini, theme, out, "interleaved", draft=False, jobs=2) == rendered
    assert _build(mini, theme, out, "interleaved", draft=False, jobs=2) == rendered


@pytest.mark.render
@pytest.mark.subprocess
def test_with_workers_a_chapter_that_grows_re_renders_what_moved_in_runs_side_by_side(
    mini: Path,
    theme: Theme,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The same edit that one worker renders whole (above): with two, what moved (every
    # part after the chapter, and the contents) is rendered again in the second round,
    # in runs side by side.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out, whole = tmp_path / "out", tmp_path / "whole"
    first = _build(mini, theme, out, "parallel", jobs=2)
    text = "借款合同是有法律依据的，请保留所有证据。" * 40
    chapter = mini / "zh-Hans" / "01-start.md"
    chapter.write_text(chapter.read_text("utf-8") + "\n" + text + "\n", "utf-8")
    with caplog.at_level(logging.INFO, logger="booklet.build.by_parts"):
        spliced = _build(mini, theme, out, "parallel", jobs=2)
    rendered = _build(mini, theme, whole, "parallel", force=True, jobs=2)
    assert caplog.messages == ["re-rendered parts [1, 2, 3, 4, 5, 6] of 7"]
    assert len(page_texts(rendered)) > len(page_texts(first))
    assert differences(rendered, spliced) == []
    assert _summary(out, "parallel") == _summary(whole, "parallel")


def test_parts_to_render_are_cut_into_runs_a_worker_s_share_long() -> None:
    from booklet.build.by_parts import _runs

    counts = [1, 1, 2, 10, 10, 10, 10, 3, 1]
    # One worker: each run of consecutive parts is one document, the longest first.
    assert _runs([8, 3, 4, 5, 6, 1, 2], counts, 1) == [(1, 2, 3, 4, 5, 6), (8,)]
    # Two: no run longer than half the pages (22 of 44), so that both finish together.
    assert _runs([8, 3, 4, 5, 6, 1, 2], counts, 2) == [(4, 5), (1, 2, 3), (6,), (8,)]
    assert _runs([5, 5, 4], counts, 2) == [(4,), (5,)]
    # A part that wants the other side of its page goes with the one before it (its
    # blank page between them laid out as in the book), wanted or not, never cut off.
    assert _runs([8], counts, 1, {8}) == [(7, 8)]
    assert _runs([5, 6], counts, 2, {6}) == [(5, 6)]


@pytest.mark.render
def test_a_run_of_parts_goes_in_as_one_and_a_later_stage_over_part_of_it(
    mini: Path, theme: Theme
) -> None:
    from booklet.outputs.pdf import render_pdf
    from booklet.outputs.replace import NewPart, replace_parts

    html = _html(mini, theme)
    book = book_parts(html)
    assert book is not None
    roots = (mini, *theme.folders)
    watched = [*(part.ids[0] for part in book.parts), *(t for p in book.parts for t in p.targets)]
    whole = render_pdf(html, mini, roots, None, watched)
    firsts = [whole.anchor_pages[part.ids[0]] for part in book.parts]
    ends = [*firsts[1:], whole.pages + 1]
    # The run prints a wrong page for what only its second part cites: the second stage,
    # that part alone, goes in over the run's (and so must come after it).
    only = [t for t in book.parts[4].targets if t not in book.parts[3].targets]
    wrong = {**whole.anchor_pages, only[0]: 99}
    chapters, css = part_html(book, book.parts[3:5], firsts[3], wrong)
    run = render_pdf(chapters, mini, roots, stylesheet=css).data
    run_stubs = frozenset(t for p in book.parts[3:5] for t in p.targets) - frozenset(
        i for p in book.parts[3:5] for i in p.ids
    )
    second, css = part_html(book, [book.parts[4]], firsts[4], whole.anchor_pages)
    alone = render_pdf(second, mini, roots, stylesheet=css).data
    stubs = frozenset(book.parts[4].targets) - frozenset(book.parts[4].ids)
    made = replace_parts(
        whole.data,
        [
            NewPart(3, firsts[3] - 1, ends[4] - firsts[3], run, run_stubs, elements=2),
            NewPart(4, firsts[4] - 1, ends[4] - firsts[4], alone, stubs, stage=1),
        ],
    )
    assert differences(whole.data, made) == []
    with pytest.raises(Unspliceable, match="not the elements of the book it replaces"):
        replace_parts(whole.data, [NewPart(3, firsts[3] - 1, ends[4] - firsts[3], run)])
