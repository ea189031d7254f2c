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
    [
        ("zh-Hans", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh", "zh"),
        ("ZH-hans", "zh-Hans"),
        ("en-GB", None),
        ("es", None),
    ],
)
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
    from booklet.outputs.epub import draft_epub, package_epub
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
    epub, _ = package_epub(draft_epub(handbook, theme, {}, datetime(2026, 1, 1, tzinfo=UTC)))
    css = zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/css/book.css").decode("utf-8")
    assert css.rstrip().endswith(override.rstrip())


HOSTILE_TEMPLATES = {
    "division by zero": ("{{ 1/0 }}", "cover.html.j2:1: template error: division by zero"),
    "changing data": ("{{ [1].pop() }}", "cover.html.j2:1: template error: "),
    "recursion": (
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "cover.html.j2:1: template error: it calls itself too deeply",
    ),
    "huge repetition": (
        "{{ 'x' * 10**9 }}",
        "cover.html.j2:1: template error: a repetition this large",
    ),
    "huge power": ("{{ 10 ** 100000 }}", "cover.html.j2:1: template error: a power this large"),
    "unknown name": ("{{ nothing }}", "cover.html.j2:1: template error: 'nothing' is undefined"),
}


def _build_with(theme_dir: Path, mini: Path, tmp_path: Path) -> tuple[int, str]:
    from click.testing import CliRunner

    from booklet.cli import main

    result = CliRunner().invoke(
        main,
        [
            "build",
            str(mini),
            "--theme",
            str(theme_dir),
            "--format",
            "pdf",
            "--layout",
            "parallel",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    return result.exit_code, result.output


@pytest.mark.parametrize("case", sorted(HOSTILE_TEMPLATES))
def test_a_broken_theme_template_is_a_located_error(mini: Path, tmp_path: Path, case: str) -> None:
    template, message = HOSTILE_TEMPLATES[case]
    theme_dir = tmp_path / "theme"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "templates" / "cover.html.j2").write_text(template, encoding="utf-8")
    code, output = _build_with(theme_dir, mini, tmp_path)
    assert code == 1 and "Traceback" not in output
    assert f"Error: {theme_dir}/templates/{message}" in output
    assert not (tmp_path / "out" / "handbook").exists() or not any(
        (tmp_path / "out" / "handbook").iterdir()
    )


def test_a_template_that_runs_too_long_is_stopped(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import booklet.render.templates

    monkeypatch.setattr(booklet.render.templates, "MAX_SECONDS", 1)
    theme_dir = tmp_path / "theme"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "templates" / "cover.html.j2").write_text(
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    code, output = _build_with(theme_dir, mini, tmp_path)
    assert code == 1
    assert "cover.html.j2:1: template error: it ran longer than 1 s" in output


def test_theme_files_cannot_reach_outside_the_theme(mini: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "canary.txt").write_text("CANARY-7f3a", encoding="utf-8")
    theme_dir = tmp_path / "theme"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "templates" / "cover.html.j2").symlink_to(secret / "canary.txt")
    code, output = _build_with(theme_dir, mini, tmp_path)
    assert code == 1 and "CANARY" not in output
    assert "this theme file links to" in output and "outside the theme folder" in output
    # An include through a symlinked folder.
    (theme_dir / "templates" / "cover.html.j2").unlink()
    (theme_dir / "templates" / "cover.html.j2").write_text(
        '{% include "inside/canary.txt" %}', encoding="utf-8"
    )
    (theme_dir / "templates" / "inside").symlink_to(secret)
    code, output = _build_with(theme_dir, mini, tmp_path)
    assert code == 1 and "CANARY" not in output and "outside the theme folder" in output
    # A stylesheet linked from outside, a stylesheet that is a folder, bad UTF-8 settings.
    for make, message in (
        (lambda css: css.symlink_to(secret / "canary.txt"), "outside the theme folder"),
        (lambda css: css.mkdir(), "cannot read this theme file"),
    ):
        other = tmp_path / f"theme-{len(message)}"
        (other / "css").mkdir(parents=True)
        make(other / "css" / "theme.css")
        with pytest.raises(ConfigError, match=message):
            load_theme([other])
    bad = tmp_path / "theme-utf8"
    bad.mkdir()
    (bad / "strings.toml").write_bytes(b'[en]\ncontents = "\xff"\n')
    with pytest.raises(ConfigError, match=r"strings.toml:2: this theme file is not UTF-8 text"):
        load_theme([bad])


def test_language_tags_match_by_bcp47_rules(theme: Theme) -> None:
    # zh-Hant-HK and zh-HK are one language: the theme's Hong Kong faces, not Taiwan's.
    for tag in ("zh-Hant-HK", "zh-HK", "ZH-hk"):
        assert theme.font_stack(tag).serif[0] == "Noto Serif CJK HK"
    assert theme.font_stack("zh-TW").serif[0] == "Noto Serif CJK TC"
    assert theme.font_stack("zh-Hans-HK").serif[0] == "Noto Serif CJK SC"  # its script rules
    assert best_match("zh-HK", ["zh-Hant-HK", "zh"]) == "zh-Hant-HK"
    # A region names a script only where it is the region's own: sr-RS is Cyrillic.
    assert best_match("sr-Latn-RS", ["sr-RS", "sr-Latn"]) == "sr-Latn"
    assert best_match("en-GB", ["en", "fr"]) == "en"
