"""Versions on the page: a statute's optional per-language `[version]` (sources/statutes.py)."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.model import Handbook
from booklet.render.documents import render_html
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import Theme
from booklet.vocabulary import LAYOUTS

VERSION = """
[version]
zh-Hans = "2020年5月28日通过，2021年1月1日起施行"
en = "adopted 28 May 2020, in force 1 January 2021"
"""


def versioned(mini: Path, text: str = VERSION) -> Path:
    law = mini.parent / "laws" / "demo-code.toml"
    head, articles = law.read_text(encoding="utf-8").split("[cite.zh-Hans]", 1)
    law.write_text(head + text + "\n[cite.zh-Hans]" + articles, encoding="utf-8")
    return mini


def parsed(folder: Path) -> Handbook:
    handbook, problems = parse_handbook(load_handbook(folder))
    assert problems == []
    return handbook


def test_the_version_is_parsed_per_language(mini: Path) -> None:
    (statute,) = parsed(versioned(mini)).statutes
    assert statute.version == {
        "zh-Hans": "2020年5月28日通过，2021年1月1日起施行",
        "en": "adopted 28 May 2020, in force 1 January 2021",
    }


def test_without_a_version_nothing_is_printed(mini: Path, theme: Theme) -> None:
    handbook = parsed(mini)
    assert handbook.statutes[0].version == {}
    assert 'class="statute-version' not in render_html(handbook, theme, "parallel", "a5", None)


def test_without_a_version_the_about_page_is_as_before(mini: Path, theme: Theme) -> None:
    html = render_html(parsed(mini), theme, "parallel", "a5", None)
    about = html.split('<section class="about"', 1)[1].split("</section>", 1)[0]
    assert "instrument" not in about
    assert (
        '<p class="translation-note">Civil Code of the People\'s Republic of China: '
        "Unofficial translation; the Chinese text prevails.</p>" in about.replace("&#39;", "'")
    )


def test_without_a_version_check_strict_is_clean(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["check", "--strict", str(mini)])
    assert result.exit_code == 0, result.output


def test_a_version_missing_a_language_is_reported(runner: CliRunner, mini: Path) -> None:
    versioned(mini, '\n[version]\nzh-Hans = "2020年5月28日通过"\n')
    result = runner.invoke(main, ["check", "--strict", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{mini.parent}/laws/demo-code.toml:18: warning: "version" has no text for "en"; '
        'add en = "..." (printed under the statute\'s title in that language)',
        f"Error: 1 problem in {mini}",
    ]


ZH = '<p class="statute-version">2020年5月28日通过，2021年1月1日起施行</p>'
EN = '<p class="statute-version">adopted 28 May 2020, in force 1 January 2021</p>'


@pytest.mark.parametrize("layout", [*LAYOUTS, "proof"])
def test_the_version_under_the_title_in_every_layout(mini: Path, theme: Theme, layout: str) -> None:
    html = render_html(parsed(versioned(mini)), theme, layout, "a5", None)
    legal = html.split('<section class="legal-basis">', 1)[1]
    for line in (ZH, EN):
        _, version = legal.split(line, 1)[0].rsplit("statute-title", 1)
        assert "</h3>" in version and "article-heading" not in version
    about = html.split('<section class="about"', 1)[1].split("</section>", 1)[0]
    assert (
        '<p class="instrument"><span class="instrument-title">民法典</span> <span '
        'class="statute-version">2020年5月28日通过，2021年1月1日起施行</span></p>' in about
    )
    assert (
        '<p class="instrument"><span class="instrument-title">Civil Code</span> <span '
        'class="statute-version">adopted 28 May 2020, in force 1 January 2021</span></p>\n'
        '    <p class="translation-note">Unofficial translation; the Chinese text prevails.</p>'
        in about.replace("&#39;", "'")
    )


def test_the_version_on_the_epub_pages(mini: Path, theme: Theme) -> None:
    from booklet.outputs.epub import draft_epub, package_epub

    data, _ = package_epub(
        draft_epub(parsed(versioned(mini)), theme, {}, datetime(2026, 1, 1, tzinfo=UTC))
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        legal = archive.read("EPUB/legal-basis.xhtml").decode("utf-8")
        about = archive.read("EPUB/about.xhtml").decode("utf-8")
    assert ZH in legal and EN in legal
    assert (
        '<span class="instrument-title">民法典</span> <span class="statute-version">2020年5月28日通过'
        in about
    )


@pytest.mark.render
@pytest.mark.subprocess
def test_the_version_in_every_pdf_layout(mini: Path, theme: Theme, tmp_path: Path) -> None:
    from tests.conftest import build_quietly
    from tests.pdf_structure import plain_text

    outputs = build_quietly(versioned(mini), theme, tmp_path / "out", formats=("pdf",))
    assert len(outputs) == len(LAYOUTS)
    for output in outputs:
        text = " ".join(plain_text(output.path).split())
        assert "2020年5月28日通过，2021年1月1日起施行" in text, output.path
        assert "adopted 28 May 2020, in force 1 January 2021" in text, output.path
