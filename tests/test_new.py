"""`booklet new`: a starter handbook that checks (strictly) and builds at once."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import main
from tests.conftest import DATA

CHAPTER = "01-getting-started.md"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.subprocess
def test_new_checks_strictly_and_builds(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(main, ["new", "my-guide", "--languages", "es,en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Created sources/my-guide/:",
        "  sources/laws/example-act.toml",
        "  sources/my-guide/handbook.toml",
        f"  sources/my-guide/es/{CHAPTER}",
        f"  sources/my-guide/en/{CHAPTER}",
        "  sources/my-guide/translations.lock",
        f"Next: edit sources/my-guide/es/{CHAPTER} and sources/my-guide/handbook.toml, "
        "then run: booklet build sources/my-guide",
    ]
    manifest = (here / "sources/my-guide/handbook.toml").read_text(encoding="utf-8")
    assert 'authoritative = "es"' in manifest
    assert "# reviewer = " in manifest  # the optional settings are there, commented
    spanish = (here / "sources/my-guide/es" / CHAPTER).read_text(encoding="utf-8")
    for feature in (
        "# Para empezar",
        "\n## ",
        "\n- La carta",
        "\n- [ ] ",
        "\n1. ",
        "::: warning",
        "[[example-act 1]]",
    ):
        assert feature in spanish
    checked = runner.invoke(main, ["check", "--strict"])
    assert (checked.exit_code, checked.output) == (0, "sources/my-guide: ok\n")
    built = runner.invoke(main, ["build", "--layout", "parallel", "--format", "pdf,epub"])
    assert built.exit_code == 0, built.output
    pdf = PdfReader(here / "output/my-guide/my-guide-parallel-a5.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Para empezar" in text and "Getting started" in text
    assert (here / "output/my-guide/my-guide.epub").is_file()


def test_a_language_without_starter_words_gets_marked_english(
    runner: CliRunner, here: Path
) -> None:
    result = runner.invoke(
        main, ["new", "nha-o", "--languages", "vi,en", "--authoritative", "vi", "--in", "books"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "  vi: booklet has no starter text in this language; its text is English marked "
        '"TODO: translate", to replace with your own'
    ) in result.output.splitlines()
    vi = (here / "books/nha-o/vi" / CHAPTER).read_text(encoding="utf-8")
    assert vi.startswith("# TODO: translate into Tiếng Việt: Getting started\n")
    checked = runner.invoke(main, ["check", "--strict", "books/nha-o"])
    assert (checked.exit_code, checked.output) == (0, "books/nha-o: ok\n")


def test_a_registry_statute_in_every_language_is_cited_not_a_new_example(
    runner: CliRunner, here: Path
) -> None:
    shutil.copytree(DATA / "es-en" / "laws", here / "sources" / "laws")
    result = runner.invoke(main, ["new", "deudas", "--languages", "es,en"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (here / "sources/laws").iterdir()) == ["es-lec.toml"]
    assert "[[es-lec 607]]" in (here / "sources/deudas/en" / CHAPTER).read_text(encoding="utf-8")
    checked = runner.invoke(main, ["check", "--strict"])
    assert (checked.exit_code, checked.output) == (0, "sources/deudas: ok\n")


def test_a_second_handbook_in_other_languages_gets_its_own_example(
    runner: CliRunner, here: Path
) -> None:
    assert runner.invoke(main, ["new", "one", "--languages", "es,en"]).exit_code == 0
    result = runner.invoke(main, ["new", "two", "--languages", "fr,en"])
    assert result.exit_code == 0, result.output
    assert "  sources/laws/example-act-2.toml" in result.output.splitlines()
    checked = runner.invoke(main, ["check", "--strict"])
    assert checked.output == "sources/one: ok\nsources/two: ok\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["My Guide"],
            'Error: "My Guide" cannot be a handbook id: use lower-case letters, '
            'digits and "-" (e.g. debt-collection); it names the folder and the files built',
        ),
        (
            ["guide", "--languages", "en_US"],
            'Error: "en_US" is not a language tag; write BCP 47 '
            "tags such as en, es, vi or zh-Hans, separated by commas",
        ),
        (
            ["guide", "--languages", "tlh,en"],
            'Error: unknown language "tlh": neither booklet '
            "(which has interface text for en, zh-Hans, zh-Hant, es, fr, pt, vi, ko, ja, ru, ar, he, "
            "fa, th, hi, sw, tl, uk, bn, ur) nor CLDR knows it; check the tag, or start with a "
            "language booklet knows and "
            'add this one as described in docs/sources.md ("Interface text for a new language")',
        ),
        (
            ["guide", "--languages", "es,en", "--authoritative", "vi"],
            '--authoritative "vi" is not one of --languages es,en; name one of them',
        ),
        (["guide", "--languages", "es,es"], "--languages names a language twice; name each once"),
        (
            ["guide", "--languages", ","],
            "--languages names no language; write e.g. --languages es,en",
        ),
    ],
)
def test_refused_requests(
    runner: CliRunner, here: Path, arguments: list[str], message: str
) -> None:
    result = runner.invoke(main, ["new", *arguments])
    assert result.exit_code == 1
    assert result.output == (message if message.startswith("Error") else f"Error: {message}") + "\n"
    assert not (here / "sources").exists()


def test_an_existing_folder_is_refused(runner: CliRunner, here: Path) -> None:
    (here / "sources" / "guide").mkdir(parents=True)
    result = runner.invoke(main, ["new", "guide"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: sources/guide: this folder already exists; choose another id, or delete "
        "the folder first\n"
    )


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize(("lang", "name"), [("am", "አማርኛ"), ("km", "ខ្មែរ"), ("my", "မြန်မာ")])
def test_any_language_cldr_knows_starts_with_marked_interface_text(
    runner: CliRunner, here: Path, lang: str, name: str
) -> None:
    result = runner.invoke(main, ["new", "tenant", "--languages", f"{lang},en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2] == (
        f"  {lang}: booklet has no interface text in this language; [strings.{lang}] in "
        'handbook.toml holds 50 English phrases marked "TODO: translate" (its name, months '
        "and dates come from CLDR); booklet check lists those left"
    )
    manifest = (here / "sources/tenant/handbook.toml").read_text(encoding="utf-8")
    assert f'contents = "TODO: translate into {name}: Contents"' in manifest
    line = manifest.splitlines().index(f"[strings.{lang}]") + 1
    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 0
    lines = checked.output.splitlines()
    assert lines[0] == (
        f'sources/tenant/handbook.toml:{line}: warning: interface text for "{lang}" is English '
        f'marked "TODO: translate"; translate it in a [strings.{lang}] table in handbook.toml '
        "(see docs/sources.md):"
    )
    assert lines[1:4] == ["  contents", "  legal_basis", "  legal_basis_intro"]
    assert lines[-1] == "sources/tenant: ok (1 warning)"
    assert runner.invoke(main, ["check", "--strict"]).exit_code == 1
    # Translated (here: the marks taken off), the warning is gone.
    (here / "sources/tenant/handbook.toml").write_text(
        manifest.replace(f"TODO: translate into {name}: ", ""), encoding="utf-8"
    )
    checked = runner.invoke(main, ["check"])
    assert (checked.exit_code, checked.output) == (0, "sources/tenant: ok\n")
    built = runner.invoke(main, ["build", "--format", "epub"])
    assert built.exit_code == 0, built.output
    assert (here / "output/tenant/tenant.epub").is_file()


@pytest.mark.subprocess
def test_a_language_no_font_of_the_theme_covers_is_refused(runner: CliRunner, here: Path) -> None:
    result = runner.invoke(main, ["new", "guide", "--languages", "si,en"])
    assert result.exit_code == 1
    assert result.output == (
        'Error: "si" (Sinhala): no font of the theme covers its script (Noto Serif, Noto Sans '
        "lack සිංහලදුර); add [fonts.si] with fonts for its script to a theme's theme.toml "
        "(see docs/themes.md)\n"
    )
    assert not (here / "sources").exists()


@pytest.mark.render
@pytest.mark.subprocess
def test_a_persian_book_counts_in_persian_digits_without_a_theme(
    runner: CliRunner, here: Path
) -> None:
    """CLDR's digits for fa are Persian: page numbers, contents and citation pages on
    Persian pages; an article typed in Persian digits is the registry's article 1."""
    import pdfplumber

    assert runner.invoke(main, ["new", "tenant", "--languages", "fa,en"]).exit_code == 0
    chapter = here / "sources/tenant/fa" / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("[[example-act 1]]", "[[example-act ۱]]"), encoding="utf-8")
    built = runner.invoke(main, ["build", "--layout", "parallel", "--format", "pdf"])
    assert built.exit_code == 0, built.output
    with pdfplumber.open(here / "output/tenant/tenant-parallel-a5.pdf") as pdf:
        folios = [
            word["text"]
            for page in pdf.pages
            for word in page.extract_words()
            if word["top"] > page.height - 40
        ]
        chapter_words = [w["text"] for w in pdf.pages[3].extract_words()]
        about = pdf.pages[1].extract_text()
    # Each page in its own language's digits: the verso whose running head is English, 5.
    assert folios == ["۲", "۳", "۴", "5", "۶"]
    assert "۶" in chapter_words  # the page of the citation [[example-act ۱]]
    year = "".join(chr(0x06F0 + int(d)) for d in str(date.today().year))
    assert year in about and str(date.today().year) in about  # the dates, fa and en


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize("lang", ["fa", "th", "hi", "sw", "tl", "uk", "bn", "ur"])
def test_languages_with_interface_text_of_their_own(
    runner: CliRunner, here: Path, lang: str
) -> None:
    result = runner.invoke(main, ["new", "tenant", "--languages", f"{lang},en"])
    assert result.exit_code == 0, result.output
    assert "interface text" not in result.output
    assert f"[strings.{lang}]" not in (here / "sources/tenant/handbook.toml").read_text("utf-8")
    checked = runner.invoke(main, ["check", "--strict"])
    assert (checked.exit_code, checked.output) == (0, "sources/tenant: ok\n")
    built = runner.invoke(main, ["build", "--format", "epub"])
    assert built.exit_code == 0, built.output


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize("lang", ["fa", "th", "hi", "sw", "tl", "am", "km", "my", "ur"])
def test_nine_languages_check_strictly_and_build_with_english(
    runner: CliRunner, here: Path, lang: str
) -> None:
    """The nine languages of issue #27 with English: `new`, the interface text booklet
    has none for (am, km, my) filled by script, `check --strict`, a PDF."""
    result = runner.invoke(main, ["new", "tenant", "--languages", f"{lang},en"])
    assert result.exit_code == 0, result.output
    manifest = here / "sources/tenant/handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    has_text = lang not in ("am", "km", "my")
    assert (f"[strings.{lang}]" not in text) == has_text
    manifest.write_text(re.sub(r"TODO: translate into [^:]+: ", "", text), encoding="utf-8")
    checked = runner.invoke(main, ["check", "--strict"])
    assert (checked.exit_code, checked.output) == (0, "sources/tenant: ok\n")
    built = runner.invoke(main, ["build", "--layout", "parallel", "--format", "pdf"])
    assert built.exit_code == 0, built.output


@pytest.mark.subprocess
def test_the_starter_shows_cldrs_digits_and_calendars_to_change(
    runner: CliRunner, here: Path
) -> None:
    assert runner.invoke(main, ["new", "tenant", "--languages", "fa,th,en"]).exit_code == 0
    manifest = here / "sources/tenant/handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    numerals = '# [numerals]                      # arabic (0-9), persian, arabic-indic, devanagari, bengali, thai...\n# fa = "persian"\n# th = "arabic"\n# en = "arabic"\n'
    calendars = '# [calendar]                      # gregorian, buddhist (Thai era), persian (Solar Hijri)\n# fa = "gregorian"\n# th = "buddhist"\n# en = "gregorian"\n'
    assert numerals in text and calendars in text
    # Uncommented and changed, the table is read.
    chosen = re.sub(r"(?m)^# ", "", calendars).replace('fa = "gregorian"', 'fa = "persian"')
    manifest.write_text(text.replace(calendars, chosen), encoding="utf-8")
    checked = runner.invoke(main, ["check", "--json"])
    assert checked.exit_code == 0, checked.output
    from booklet.cli.handbooks import parsed

    assert dict(parsed(manifest.parent).calendars) == {
        "fa": "persian",
        "th": "buddhist",
        "en": "gregorian",
    }
