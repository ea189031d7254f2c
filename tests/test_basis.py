"""The legal-basis appendix in groups: `[[basis]]` in handbook.toml (booklet.law.basis)."""

import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.law.basis import legal_basis
from booklet.model import Handbook
from booklet.render.documents import render_html
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import Theme
from booklet.vocabulary import LAYOUTS

GROUPS = """
[[basis]]
articles = ["demo-code 667-668"]
[basis.title]
zh-Hans = "借款合同"
en = "Loan contracts"
"""
"""Appended to the mini handbook.toml (37 lines): `[[basis]]` is on line 39."""


def grouped(mini: Path, extra: str = GROUPS) -> Path:
    manifest = mini / "handbook.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return mini


def parsed(folder: Path) -> Handbook:
    handbook, problems = parse_handbook(load_handbook(folder))
    assert problems == []
    return handbook


def parts(handbook: Handbook) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [
        (
            part.group.title["en"] if part.group else "",
            [(statute.id, [a.key for a in articles]) for statute, articles in part.statutes],
        )
        for part in legal_basis(handbook)
    ]


def test_without_groups_the_appendix_is_one_part(mini: Path) -> None:
    assert parts(parsed(mini)) == [("", [("demo-code", ["293-1", "667", "668", "1032"])])]


def test_groups_first_then_the_articles_in_none(mini: Path) -> None:
    handbook = parsed(grouped(mini))
    assert handbook.basis[0].title == {"zh-Hans": "借款合同", "en": "Loan contracts"}
    assert handbook.basis[0].location.line == 39
    assert parts(handbook) == [
        ("Loan contracts", [("demo-code", ["667", "668"])]),
        ("", [("demo-code", ["293-1", "1032"])]),
    ]


def test_a_group_prints_its_articles_even_when_nothing_cites_them(mini: Path) -> None:
    for name in ("zh-Hans", "en"):
        chapter = mini / name / "02-privacy.md"
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(re.sub(r"\[\[demo-code 293-1\]\]", "x", text), encoding="utf-8")
    extra = GROUPS + '\n[[basis]]\narticles = ["demo-code 293-1"]\n[basis.title]\n'
    extra += 'zh-Hans = "刑法"\nen = "Criminal law"\n'
    assert parts(parsed(grouped(mini, extra))) == [
        ("Loan contracts", [("demo-code", ["667", "668"])]),
        ("Criminal law", [("demo-code", ["293-1"])]),
        ("", [("demo-code", ["1032"])]),
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_without_groups_no_group_headings(mini: Path, theme: Theme, layout: str) -> None:
    html = render_html(parsed(mini), theme, layout, "a5", None)
    assert 'class="basis-row' not in html and 'class="unit basis-row' not in html
    assert 'class="basis-title' not in html
    assert '<h3 class="statute-title">' in html
    assert '<h4 class="article-heading">' in html


def headings(html: str) -> list[str]:
    """The legal basis's group titles and article anchors, in order."""
    legal = html.split('<section class="legal-basis">', 1)[1]
    found = re.findall(r'class="basis-title">([^<]+)<|id="art-demo-code-([\w-]+)--en"', legal)
    return [title or key for title, key in found if title or key]


@pytest.mark.parametrize("layout", [*LAYOUTS, "proof"])
def test_group_headings_in_every_layout(mini: Path, theme: Theme, layout: str) -> None:
    html = render_html(parsed(grouped(mini)), theme, layout, "a5", None)
    if layout == "sequential":  # one language after the other
        english = html.split('<div class="part part-1"', 1)[1]
        assert headings(english) == [
            "Loan contracts",
            "667",
            "668",
            "Related provisions",
            "293-1",
            "1032",
        ]
        assert "借款合同" in html and "相关规定" in html
    else:
        assert headings(html) == [
            "借款合同",
            "Loan contracts",
            "667",
            "668",
            "相关规定",
            "Related provisions",
            "293-1",
            "1032",
        ]
    assert '<h4 class="statute-title">' in html and '<h5 class="article-heading">' in html
    assert '<h3 class="statute-title">' not in html


def test_group_headings_on_the_epub_legal_basis_page(mini: Path, theme: Theme) -> None:
    from booklet.outputs.epub import draft_epub, package_epub

    data, _ = package_epub(
        draft_epub(parsed(grouped(mini)), theme, {}, datetime(2026, 1, 1, tzinfo=UTC))
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        page = archive.read("EPUB/legal-basis.xhtml").decode("utf-8")
    assert headings(page) == [
        "借款合同",
        "Loan contracts",
        "667",
        "668",
        "相关规定",
        "Related provisions",
        "293-1",
        "1032",
    ]
    assert '<h3 class="basis-title">借款合同</h3>' in page


def check(runner: CliRunner, mini: Path, extra: str) -> tuple[int, list[str]]:
    result = runner.invoke(main, ["check", str(grouped(mini, extra))])
    return result.exit_code, result.output.splitlines()


def test_cli_unknown_statute_and_article_in_a_group(runner: CliRunner, mini: Path) -> None:
    extra = GROUPS.replace('"demo-code 667-668"', '"demo-cod 667", "demo-code 6677"')
    code, output = check(runner, mini, extra)
    assert code == 1
    manifest = mini / "handbook.toml"
    assert output == [
        f'{manifest}:40: [[demo-cod 667]]: unknown statute "demo-cod" (did you mean '
        '"demo-code"?); the registry has: demo-code',
        f'{manifest}:40: [[demo-code 6677]]: "demo-code" has no article "6677" (did you mean '
        f'"667"?); add it to {mini.parent}/laws/demo-code.toml or correct the citation',
        f"Error: 2 problems in {mini}",
    ]


def test_cli_an_entry_that_is_not_law_and_article(runner: CliRunner, mini: Path) -> None:
    code, output = check(runner, mini, GROUPS.replace('"demo-code 667-668"', '"demo-code"'))
    assert code == 1
    assert output == [
        f'{mini}/handbook.toml:40: basis.articles entry "demo-code" must read "law-id article", '
        'e.g. "prc-civil-code 667-671"',
        f"Error: 1 problem in {mini}",
    ]


def test_cli_a_group_without_articles_or_a_title_language(runner: CliRunner, mini: Path) -> None:
    extra = GROUPS + '\n[[basis]]\n[basis.title]\nzh-Hans = "其他"\n'
    code, output = check(runner, mini, extra)
    assert code == 1
    assert output == [
        f'{mini}/handbook.toml:45: "basis.articles" is missing; add articles = ["...", "..."]',
        f'{mini}/handbook.toml:46: "basis.title" has no text for "en"; add en = "..."',
        f"Error: 2 problems in {mini}",
    ]


def test_cli_an_article_in_two_groups(runner: CliRunner, mini: Path) -> None:
    extra = GROUPS + '\n[[basis]]\narticles = ["demo-code 668"]\n[basis.title]\n'
    extra += 'zh-Hans = "其他"\nen = "Other"\n'
    code, output = check(runner, mini, extra)
    assert code == 1
    assert output == [
        f"{mini}/handbook.toml:46: [[demo-code 668]]: article 668 is already in the "
        'legal-basis group of "demo-code 667-668"; list each article in one [[basis]] group',
        f"Error: 1 problem in {mini}",
    ]
