import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from booklet.errors import ConfigError
from booklet.themes.theme import Theme, best_match, load_theme


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("zh-Hans", "zh-Hans"), ("zh-Hans-CN", "zh-Hans"), ("zh-Hant-HK", "zh-Hant"), ("zh", "zh"),
     ("ZH-hans", "zh-Hans"), ("en-GB", None), ("es", None)],
)  # fmt: skip
def test_best_match_prefers_the_most_specific_tag(tag: str, expected: str | None) -> None:
    assert best_match(tag, ["zh", "zh-Hans", "zh-Hant", "default"]) == expected


def test_fonts_by_language(theme: Theme) -> None:
    assert theme.font_stack("zh-Hans").serif == ("Noto Serif CJK SC",)
    assert theme.font_stack("zh-Hant-TW").sans == ("Noto Sans CJK TC",)
    assert theme.font_stack("es").serif == ("Noto Serif",)
    assert theme.direction("ar") == "rtl" and theme.direction("en") == "ltr"


def test_a_user_theme_overrides_only_what_it_names(tmp_path: Path) -> None:
    (tmp_path / "theme.toml").write_text('[fonts.en]\nserif = ["Noto Sans"]\n', encoding="utf-8")
    (tmp_path / "strings.toml").write_text('[en]\ncontents = "Inside"\n', encoding="utf-8")
    theme = load_theme([tmp_path])
    assert theme.font_stack("en").serif == ("Noto Sans",)
    assert theme.font_stack("en").sans == ("Noto Sans",)
    assert theme.strings["en"]["contents"] == "Inside"
    assert theme.strings["en"]["legal_basis"] == "Legal basis"
    assert theme.folders[0] == tmp_path.resolve()


def test_missing_theme_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such theme folder"):
        load_theme([tmp_path / "nope"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fonts.default]\nserif = 5\n", "default.serif must be a list of names in quotes"),
        ('[fonts]\nen = "x"\n', "fonts must hold [fonts.<language>] tables"),
    ],
)
def test_theme_settings_of_the_wrong_type(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "theme.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_theme([tmp_path])


EXAMPLE_THEME = Path(__file__).resolve().parent.parent / "styles" / "roomy"


def test_the_default_theme_is_package_data() -> None:
    from booklet.themes.theme import DEFAULT_THEME

    assert DEFAULT_THEME.parts[-3:] == ("booklet", "themes", "default")
    assert (DEFAULT_THEME / "templates" / "book.html.j2").is_file()


def test_a_theme_css_is_added_after_every_other_stylesheet(mini: Path) -> None:
    from booklet.outputs.epub import make_epub
    from booklet.render.documents import render_html
    from booklet.sources.files import load_handbook
    from booklet.sources.handbook import parse_handbook

    handbook, problems = parse_handbook(load_handbook(mini))
    assert problems == []
    theme = load_theme([EXAMPLE_THEME])
    override = (EXAMPLE_THEME / "css" / "theme.css").read_text(encoding="utf-8")
    assert theme.overrides == (override,) and "theme.css" not in theme.stylesheets
    html = render_html(handbook, theme, "parallel", "a5", None)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert style.rstrip().endswith(override.rstrip())
    assert style.index("@page { size: 148mm 210mm; }") < style.index(override)
    epub, _ = make_epub(handbook, theme, {}, datetime(2026, 1, 1, tzinfo=UTC))
    css = zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/css/book.css").decode("utf-8")
    assert css.rstrip().endswith(override.rstrip())
