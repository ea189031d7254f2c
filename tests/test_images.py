"""Images: hostile SVGs and fake rasters refused with their line, odd names embedded,
and nothing in an EPUB that points outside it."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PillowImage

from booklet.themes.theme import Theme
from tests.conftest import build_quietly
from tests.test_check import edit
from tests.test_check import problems as all_problems


def problems(folder: Path, theme: Theme) -> list[str]:
    """The problems, less the stale translations that renaming the image makes."""
    return [p for p in all_problems(folder, theme) if "translation is stale" not in p]


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{}</svg>'
HOSTILE_SVG = {
    "external image": (
        '<image href="http://tracker.example/p.png" width="1" height="1"/>',
        'refers to "http://tracker.example/p.png" (line 1 of the SVG)',
    ),
    "xlink image": (
        '<image xlink:href="file:///etc/passwd" width="1" height="1"/>',
        'refers to "file:///etc/passwd" (line 1 of the SVG)',
    ),
    "use of another file": ('<use href="other.svg#a"/>', 'refers to "other.svg#a"'),
    "script": ("<script>alert(1)</script>", "holds <script> (line 1 of the SVG)"),
    "event handler": (
        '<rect onload="alert(1)" width="1" height="1"/>',
        'has an event handler (onload="...")',
    ),
    "foreign object": ("<foreignObject><p>x</p></foreignObject>", "holds <foreignObject>"),
    "css import": (
        "<style>@import url(http://x.example/a.css);</style>",
        "has a style that loads something from outside",
    ),
    "css url": (
        '<rect style="fill: url(http://x.example/a.svg)" width="1" height="1"/>',
        "has a style that loads something from outside",
    ),
}


def _use_image(guia: Path, name: str) -> None:
    for lang in ("es", "fr"):
        edit(guia / lang / "01-embargo.md", "(../images/sello.png)", f"(../images/{name})")


@pytest.mark.parametrize("case", sorted(HOSTILE_SVG))
def test_a_hostile_svg_is_refused_with_its_line(guia: Path, theme: Theme, case: str) -> None:
    body, reason = HOSTILE_SVG[case]
    (guia / "images" / "sello.svg").write_text(SVG.format(body), encoding="utf-8")
    _use_image(guia, "sello.svg")
    found = problems(guia, theme)
    assert len(found) == 2
    assert found[0].startswith('guia/es/01-embargo.md:5: image "../images/sello.svg" ')
    assert reason in found[0]


def test_an_svg_with_a_dtd_is_refused(guia: Path, theme: Theme) -> None:
    (guia / "images" / "sello.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + SVG.format("<text>&x;</text>"),
        encoding="utf-8",
    )
    _use_image(guia, "sello.svg")
    assert "has a DOCTYPE or entities" in problems(guia, theme)[0]


@pytest.mark.render
def test_an_illustrator_svg_and_odd_file_names_are_embedded(
    guia: Path, theme: Theme, tmp_path: Path
) -> None:
    comment = "<!-- Generator: Adobe Illustrator 28.0.0, SVG Export Plug-In " + "x" * 600 + " -->"
    svg = comment + SVG.format('<rect width="10" height="10"/><use href="#r"/>')
    (guia / "images" / "señal 图.svg").write_text(svg, encoding="utf-8")
    edit(guia / "es" / "01-embargo.md", "(../images/sello.png)", "(<../images/señal 图.svg>)")
    assert problems(guia, theme) == []
    outputs = build_quietly(guia, theme, tmp_path / "out", layouts=("parallel",))
    epub = next(o.path for o in outputs if o.kind == "epub")
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        assert re.fullmatch(
            r"EPUB/images/[0-9a-f]{16}\.svg", next(n for n in names if n.endswith(".svg"))
        )
        for name in names:  # nothing in the EPUB points outside it, except links a reader taps
            text = archive.read(name).decode("utf-8", "replace")
            for match in re.finditer(r'(?:src|xlink:href)="([^"]+)"|url\(([^)]+)\)', text):
                target = (match.group(1) or match.group(2)).strip("'\"")
                assert not re.match(r"[a-z]+:", target) or target.startswith("data:"), (
                    name,
                    target,
                )


def test_a_png_header_on_a_zip_and_a_pixel_bomb_are_refused(guia: Path, theme: Theme) -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "not an image")
    (guia / "images" / "sello.png").write_bytes(b"\x89PNG\r\n\x1a\n" + zipped.getvalue())
    assert "does not decode as an image" in problems(guia, theme)[0]
    bomb = io.BytesIO()
    PillowImage.new("1", (9000, 9000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 100_000  # small on disk, 81 million pixels in memory
    (guia / "images" / "sello.png").write_bytes(bomb.getvalue())
    assert (
        "has 9000 x 9000 pixels, more than booklet takes (50 million)" in problems(guia, theme)[0]
    )


@pytest.mark.render
def test_an_image_changed_after_loading_changes_nothing(
    guia: Path, theme: Theme, tmp_path: Path
) -> None:
    from booklet.build import BuildPlan, build_handbook, build_time, check_folder
    from tests.conftest import TODAY

    checked = check_folder(guia, theme, TODAY, strict=False)
    original = (guia / "images" / "sello.png").read_bytes()
    (guia / "images" / "sello.png").unlink()  # deleted while the build runs
    (guia / "images" / "sello.png").mkdir()  # and a folder put in its place
    plan = BuildPlan(("parallel",), (), ("pdf", "epub"), tmp_path / "out")  # type: ignore[arg-type]
    shutil.rmtree(guia)  # the whole handbook folder removed while it builds
    outputs = build_handbook(checked, theme, plan, build_time(), lambda _: None, lambda _: None)
    epub = next(o.path for o in outputs if o.kind == "epub")
    with zipfile.ZipFile(epub) as archive:
        assert original in [archive.read(n) for n in archive.namelist() if "images/" in n]
