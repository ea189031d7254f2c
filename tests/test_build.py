"""Whole builds: reproducible bytes, and nothing lost when a build fails."""

from pathlib import Path

import pytest

from booklet.errors import RenderError
from booklet.themes.theme import Theme, load_theme
from tests.conftest import EPOCH, build_quietly

pytestmark = pytest.mark.render


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_sources_and_epoch_give_identical_bytes(
    mini: Path, theme: Theme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_quietly(mini, theme, tmp_path / "one")
    build_quietly(mini, theme, tmp_path / "two")
    one, two = snapshot(tmp_path / "one" / "handbook"), snapshot(tmp_path / "two" / "handbook")
    assert sorted(one) == [
        "handbook-interleaved-a5.pdf",
        "handbook-parallel-a5.pdf",
        "handbook-sequential-a5.pdf",
        "handbook.epub",
    ]
    assert one == two


def broken_theme(tmp_path: Path, template: str) -> Theme:
    """A user theme whose `template` fails while rendering."""
    folder = tmp_path / "broken-theme"
    (folder / "templates" / Path(template).parent).mkdir(parents=True, exist_ok=True)
    (folder / "templates" / template).write_text("{{ no_such_variable }}\n", encoding="utf-8")
    return load_theme([folder])


@pytest.mark.parametrize("template", ["back-cover.html.j2", "epub/back.xhtml.j2"])
def test_failed_build_leaves_previous_outputs_untouched(
    mini: Path, theme: Theme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    out = tmp_path / "out"
    build_quietly(mini, theme, out, layouts=("parallel",))
    before = snapshot(out / "handbook")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a rebuild would change the bytes
    with pytest.raises(RenderError) as error:
        build_quietly(mini, broken_theme(tmp_path, template), out, layouts=("parallel",))
    assert f"templates/{template}:1: template error: 'no_such_variable' is undefined" in str(
        error.value
    )
    assert snapshot(out / "handbook") == before  # byte-identical, and no temp files left


def test_other_papers(mini: Path, theme: Theme, tmp_path: Path) -> None:
    import pypdf

    outputs = build_quietly(
        mini,
        theme,
        tmp_path,
        layouts=("interleaved",),
        formats=("pdf",),
        papers=("a4", "letter", "a6", "half-letter"),
    )
    sizes = {o.path.name: pypdf.PdfReader(o.path).pages[0].mediabox for o in outputs}
    assert [
        round(float(sizes[f"handbook-interleaved-{p}.pdf"].width))
        for p in ("a4", "letter", "a6", "half-letter")
    ] == [595, 612, 298, 396]
