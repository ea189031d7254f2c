import re
from pathlib import Path

import pytest

from booklet.render.documents import render_html
from booklet.render.templates import css_string
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import Theme
from booklet.vocabulary import LAYOUTS


@pytest.fixture
def handbook(mini: Path):  # type: ignore[no-untyped-def]
    parsed, problems = parse_handbook(load_handbook(mini))
    assert problems == []
    return parsed


def test_css_string_cannot_break_out_of_a_style_element() -> None:
    assert css_string('a"b') == '"a\\22 b"'
    assert "</style>" not in css_string("</style><script>")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_text_block_carries_its_language(handbook, theme: Theme, layout: str) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, layout, "a5", None)
    for match in re.finditer(r"<(td|div)( class=\"version[^\"]*\")? lang=\"([^\"]+)\"", html):
        assert match.group(3) in ("zh-Hans", "en")
    assert html.count('lang="en"') >= 10 and html.count('lang="zh-Hans"') >= 10
    assert "xml:lang" not in html  # only the EPUB's XHTML needs it


def test_parallel_puts_each_aligned_unit_in_one_row(handbook, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, "parallel", "a5", None)
    chapter = html.split('<section class="chapter">')[1]
    rows = re.findall(r'<tr class="unit unit-(\w+)', chapter)
    # title, paragraph, section, 2 list items, 2 task items, callout
    assert rows == ["heading", "paragraph", "heading", "item", "item", "item", "item", "callout"]
    assert (
        chapter.count('<div class="cell" lang="zh-Hans"')
        == chapter.count('<div class="cell" lang="en"')
        == 8
    )


def test_citations_link_to_the_article_in_the_same_language(handbook, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, "sequential", "a5", None)
    assert '<a class="cite" href="#art-demo-code-667--zh-Hans">《民法典》第六百六十七条</a>' in html
    # The space before a citation is inside its link (booklet.render.blocks.inline_html).
    assert '(see<a class="cite" href="#art-demo-code-667--en"> Civil Code, art. 667</a>' in html
    assert 'id="art-demo-code-667--en"' in html
    assert (
        '<a class="cite" href="#art-demo-code-667--en"> Civil Code, arts. '
        '<span class="ltr number" dir="ltr">\u2066667–668\u2069</span></a>'
    ) in html


def test_task_items_and_callouts_are_told_apart_without_colour(handbook, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, "interleaved", "a5", None)
    # The box says its state in words, in its item's language, to a screen reader.
    assert '<li class="task"><span class="box" role="img" aria-label="未勾选"></span>' in html
    assert '<li class="task"><span class="box" role="img" aria-label="not ticked"></span>' in html
    assert '<aside class="callout callout-warning"><p class="callout-label">' in html
    assert ">警告</p>" in html and ">Warning</p>" in html


def test_a_theme_template_cannot_reach_python(handbook, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from booklet.errors import RenderError
    from booklet.themes.theme import load_theme

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "cover.html.j2").write_text(
        '{{ cycler.__init__.__globals__.os.popen("id").read() }}', encoding="utf-8"
    )
    with pytest.raises(
        RenderError, match=r"cover\.html\.j2:1: template error: access to attribute"
    ):
        render_html(handbook, load_theme([tmp_path]), "parallel", "a5", None)


def _back_cover(html: str) -> str:
    return html.split('<section class="back-cover" id="back-cover">', 1)[1].split("</section>", 1)[
        0
    ]


def test_the_back_cover_and_metadata_say_draft_in_every_language(mini: Path, theme: Theme) -> None:
    from booklet.cli.handbooks import parsed

    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    back = _back_cover(html)
    assert "草稿：本手册尚未经律师审阅。 本手册所述法律截至2026年1月1日。" in back
    assert (
        "Draft: this handbook has not yet been reviewed by a lawyer. The law is stated as at 1 January 2026."
        in back
    )
    assert '<meta name="keywords" content="草稿, Draft"/>' in html


def test_a_reviewed_handbook_says_who_reviewed_it_and_is_no_draft(mini: Path, theme: Theme) -> None:
    from booklet.cli.handbooks import parsed

    toml = mini / "handbook.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'status = "draft"',
            'status = "reviewed"\nreviewed_on = 2026-02-01\nreviewer = "A. Lawyer"',
        ),
        encoding="utf-8",
    )
    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    back = _back_cover(html)
    assert (
        "Reviewed by A. Lawyer on 1 February 2026. The law is stated as at 1 January 2026." in back
    )
    assert "Draft" not in back and 'name="keywords"' not in html


def test_the_epub_of_a_draft_says_so(mini: Path, theme: Theme) -> None:
    import io
    import zipfile
    from datetime import UTC, datetime

    from booklet.cli.handbooks import parsed
    from booklet.outputs.epub import draft_epub, package_epub

    data, _ = package_epub(draft_epub(parsed(mini), theme, {}, datetime(2026, 1, 1, tzinfo=UTC)))
    opf = zipfile.ZipFile(io.BytesIO(data)).read("EPUB/package.opf").decode("utf-8")
    assert '<dc:subject xml:lang="zh-Hans">草稿</dc:subject>' in opf
    assert '<dc:subject xml:lang="en">Draft</dc:subject>' in opf


def test_each_language_has_its_edition_line(mini: Path, theme: Theme) -> None:
    from booklet.cli.handbooks import parsed

    toml = mini / "handbook.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'zh-Hans = "Test edition 1"', 'zh-Hans = "测试第1版"'
        ),
        encoding="utf-8",
    )
    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    assert '<p class="edition" lang="zh-Hans"' in html and "测试第1版" in html
    assert "Test edition 1" in _back_cover(html) and "测试第1版" in _back_cover(html)


def test_a_ticked_box_prints_ticked_and_an_open_one_open(mini: Path, theme: Theme) -> None:
    from booklet.cli.handbooks import parsed

    for lang in ("en", "zh-Hans"):  # the first box of the checklist, ticked
        chapter = mini / lang / "01-start.md"
        source = chapter.read_text(encoding="utf-8")
        chapter.write_text(source.replace("* [ ]", "* [x]", 1), encoding="utf-8")
    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    assert '<span class="box done" role="img" aria-label="已勾选">' in html
    assert '<span class="box done" role="img" aria-label="ticked">' in html
    assert html.count('<span class="box done"') == 2  # both languages
    assert '<span class="box" role="img" aria-label="not ticked">' in html
