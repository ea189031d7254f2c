"""A hostile handbook tries to pull in a canary file from outside; it never gets out."""

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.errors import RenderError
from booklet.outputs.pdf import ConfinedFetcher, RefusedFetch, write_pdf
from booklet.render.documents import render_html
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.themes.theme import Theme

CANARY = "CANARY-7f3a9c-DO-NOT-LEAK"


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A secret beside (not inside) the handbook, as text and as an image."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "canary.txt").write_text(CANARY, encoding="utf-8")
    (secret / "canary.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"><text y="15">{CANARY}'
        "</text></svg>",
        encoding="utf-8",
    )
    return secret


def hostile(mini: Path, canary: Path) -> None:
    os.symlink(canary / "canary.svg", mini / "linked.svg")
    os.symlink(canary / "canary.txt", mini / "en" / "03-linked.md")
    attacks = (
        f'<img src="file://{canary}/canary.svg"> <iframe src="{canary}/canary.txt"></iframe>\n\n'
        f"![a](file://{canary}/canary.svg) ![b](../../secret/canary.svg) ![c](../linked.svg)"
        f" ![d](http://127.0.0.1:9/x.png)\n\n[e](file://{canary}/canary.txt)\n"
    )
    for lang in ("en", "zh-Hans"):
        chapter = mini / lang / "02-privacy.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + attacks, encoding="utf-8")


def leaked(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".epub":
                with zipfile.ZipFile(path) as archive:
                    data = b"".join(archive.read(n) for n in archive.namelist())
            if CANARY.encode() in data:
                found.append(path.name)
    return found


def test_check_refuses_every_attack(
    mini: Path, canary: Path, runner: CliRunner, tmp_path: Path
) -> None:
    hostile(mini, canary)
    result = runner.invoke(main, ["build", str(mini), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    output = result.output
    assert "03-linked.md: this file links to" in output
    assert "raw HTML is not allowed" in output
    assert 'image "../../secret/canary.svg" is outside the handbook folder' in output
    assert 'image "../linked.svg" is outside the handbook folder' in output
    assert 'image "http://127.0.0.1:9/x.png" must be a relative path' in output
    assert CANARY not in output
    assert not (tmp_path / "out").exists()


@pytest.mark.render
def test_renderer_refuses_even_when_the_checks_are_bypassed(
    mini: Path, canary: Path, theme: Theme, tmp_path: Path
) -> None:
    hostile(mini, canary)
    handbook, _ = parse_handbook(load_handbook(mini))
    # Images are read with the handbook, confined to it: one from outside was never read,
    # and rendering stops at it rather than letting WeasyPrint fetch it.
    assert all(path.resolve().is_relative_to(handbook.root) for path in handbook.images)
    with pytest.raises(RenderError, match="outside the handbook and theme folders"):
        render_html(handbook, theme, "interleaved", "a5", None)
    html = '<img src="file://' + str(canary) + '/canary.svg">'  # and WeasyPrint's own fetches
    with pytest.raises(RenderError, match="outside the handbook and theme folders"):
        write_pdf(html, handbook.root, [handbook.root, *theme.folders])


@pytest.mark.render
def test_escaped_raw_html_prints_as_text_and_fetches_nothing(
    mini: Path, canary: Path, theme: Theme, tmp_path: Path
) -> None:
    chapter = mini / "en" / "02-privacy.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + f'\n<img src="file://{canary}/canary.svg">\n',
        encoding="utf-8",
    )
    other = mini / "zh-Hans" / "02-privacy.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n占位。\n", encoding="utf-8")
    handbook, _ = parse_handbook(load_handbook(mini))
    html = render_html(handbook, theme, "parallel", "a5", None)
    pdf, _ = write_pdf(html, handbook.root, [handbook.root, *theme.folders])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "out.pdf").write_bytes(pdf)
    assert leaked(tmp_path / "out") == []


def test_fetcher_allows_only_files_inside_its_roots(mini: Path, canary: Path) -> None:
    fetcher = ConfinedFetcher([mini])
    inside = fetcher.fetch((mini / "handbook.toml").as_uri())
    assert b"languages" in inside.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    os.symlink(canary / "canary.txt", mini / "innocent.txt")
    for url in (
        (canary / "canary.txt").as_uri(),
        (mini / "innocent.txt").as_uri(),
        (mini / ".." / ".." / "secret" / "canary.txt").as_uri(),
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.woff",
        "ftp://example.org/x",
    ):
        with pytest.raises(RefusedFetch):
            fetcher.fetch(url)
