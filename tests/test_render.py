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
    assert chapter.count('<td lang="zh-Hans"') == chapter.count('<td lang="en"') == 8


def test_citations_link_to_the_article_in_the_same_language(handbook, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, "sequential", "a5", None)
    assert '<a class="cite" href="#art-demo-code-667--zh-Hans">《民法典》第六百六十七条</a>' in html
    assert '<a class="cite" href="#art-demo-code-667--en">Civil Code, art. 667</a>' in html
    assert 'id="art-demo-code-667--en"' in html
    assert '<a class="cite" href="#art-demo-code-667--en">Civil Code, arts. 667–668</a>' in html


def test_task_items_and_callouts_are_told_apart_without_colour(handbook, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    html = render_html(handbook, theme, "interleaved", "a5", None)
    assert '<li class="task"><span class="box" aria-hidden="true"></span>' in html
    assert '<span class="box done" aria-hidden="true"></span>' in html
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
