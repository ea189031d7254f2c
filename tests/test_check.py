from datetime import date
from pathlib import Path

import pytest

from booklet.build import check_folder
from booklet.errors import ProblemsFound, Severity
from booklet.sources.handbook import bcp47_meant
from booklet.themes.theme import REQUIRED_LISTS, REQUIRED_STRINGS, Theme
from tests.conftest import TODAY


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path, theme: Theme, today: date = TODAY, strict: bool = False) -> list[str]:
    """Every problem as printed, with paths relative to the fixture's copy."""
    try:
        checked = check_folder(folder, theme, today, strict)
    except ProblemsFound as error:
        found = error.problems
    else:
        found = checked.warnings
    return [str(p).replace(str(folder.parent) + "/", "") for p in found]


def test_fixtures_are_clean(mini: Path, guia: Path, theme: Theme) -> None:
    assert problems(mini, theme) == []
    assert problems(guia, theme) == []


def test_sample_handbook_is_clean(theme: Theme) -> None:
    from tests.conftest import SAMPLE

    assert problems(SAMPLE, theme, strict=True) == []


MISSING_TAIL = (
    "the build prints the original here until it is translated (booklet translations "
    "export carries it to a translator)"
)


def test_a_heading_made_a_paragraph_is_missing_and_extra(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "01-start.md", "## What to do\n", "What to do, as a paragraph.\n")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:4: warning: missing translation: zh-Hans/01-start.md:5 has a "
        f"heading (##) that this file lacks; {MISSING_TAIL}",
        "handbook/en/01-start.md:5: warning: a paragraph with no original in "
        "zh-Hans/01-start.md (deleted there?); it is not printed: delete it here, or run "
        "booklet translations sync --prune",
    ]


def test_a_heading_of_another_level_is_out_of_step(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "01-start.md", "## What to do\n", "### What to do\n")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:5: blocks out of step: this is a heading (###) but "
        "zh-Hans/01-start.md:5 is a heading (##); a translation keeps the heading level of "
        "its original"
    ]


def test_a_too_deep_heading_in_a_translation_is_one_problem(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "01-start.md", "## What to do\n", "#### What to do\n")
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:5: heading level 4 is too deep; use # for the chapter, ## "
        "for sections and ### for subsections"
    ]


def test_an_extra_list_item_is_one_warning(mini: Path, theme: Theme) -> None:
    edit(
        mini / "en" / "01-start.md",
        "- Ask for a new repayment date.\n",
        "- Ask for a new repayment date.\n- And a third thing.\n",
    )
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:9: warning: an item of a list with no original in "
        "zh-Hans/01-start.md (deleted there?); it is not printed: delete it here, or run "
        "booklet translations sync --prune"
    ]


def test_missing_translation_at_the_end(mini: Path, theme: Theme) -> None:
    edit(
        mini / "en" / "01-start.md",
        "::: warning\nIf someone threatens you with violence, call 110.\n:::\n",
        "",
    )
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:12: warning: missing translation: zh-Hans/01-start.md:14 has "
        f"a warning callout that this file lacks; {MISSING_TAIL}"
    ]


def test_missing_chapter_file(mini: Path, theme: Theme) -> None:
    (mini / "en" / "02-privacy.md").unlink()
    assert problems(mini, theme) == [
        'handbook/en/02-privacy.md: warning: chapter missing: zh-Hans/02-privacy.md has no "en" '
        "version yet; the build prints the original in its place until it is translated "
        "(booklet translations export carries it to a translator)"
    ]


def test_missing_language_folder(mini: Path, theme: Theme) -> None:
    for path in (mini / "en").iterdir():
        path.unlink()
    (mini / "en").rmdir()
    assert problems(mini, theme) == [
        'handbook/en: no chapters in language "en"; create this folder with the same chapter '
        "files as the other languages"
    ]


def test_unknown_statute_and_article_with_suggestions(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "01-start.md", "[[demo-code 667]]", "[[demo-cod 667]]")
    edit(mini / "zh-Hans" / "01-start.md", "[[demo-code 667]]", "[[demo-code 6677]]")
    found = problems(mini, theme)
    assert found == [
        "handbook/en/01-start.md:3: warning: translation is stale: zh-Hans/01-start.md:3 "
        "changed since it was translated",
        "handbook/en/01-start.md:3: warning: this block cites [[demo-cod 667]] but "
        "zh-Hans/01-start.md:3 cites [[demo-code 6677]]; a translation should cite the same "
        "articles",
        'handbook/zh-Hans/01-start.md:3: [[demo-code 6677]]: "demo-code" has no article "6677" '
        '(did you mean "667"?); add it to laws/demo-code.toml or correct the citation',
        'handbook/en/01-start.md:3: [[demo-cod 667]]: unknown statute "demo-cod" (did you mean '
        '"demo-code"?); the registry has: demo-code',
    ]


def test_missing_glyph_names_character_code_point_and_line(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "02-privacy.md", "# Privacy\n", "# Privacy\n\n")
    edit(mini / "en" / "02-privacy.md", "Collectors", "Collectors \U00013000")
    [found] = problems(mini, theme)
    assert found == (
        'handbook/en/02-privacy.md:4: character "\U00013000" (U+13000) is not in the fonts for '
        '"en" (Noto Serif, Noto Sans), so it would print as an empty box; replace it, or add a '
        "font that has it to the theme's [fonts.en]"
    )


def test_chinese_in_the_english_text_is_caught(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "01-start.md", "Talk first", "Talk first 协商")
    found = problems(mini, theme)
    assert found[0] == (
        'handbook/en/01-start.md:1: character "协" (U+534F) is not in the fonts for "en" '
        "(Noto Serif, Noto Sans), so it would print as an empty box; replace it, or add a font "
        "that has it to the theme's [fonts.en]"
    )
    assert len(found) == 2  # 协 and 商, each once


def test_past_review_date_is_a_warning_and_strict_makes_it_fatal(mini: Path, theme: Theme) -> None:
    edit(mini / "handbook.toml", "next_review = 2099-01-01", "next_review = 2026-06-01")
    expected = [
        "handbook/handbook.toml:24: warning: next_review 2026-06-01 has passed; have the "
        "handbook reviewed against the current law, then set a new next_review date"
    ]
    assert problems(mini, theme) == expected
    with pytest.raises(ProblemsFound):
        check_folder(mini, theme, TODAY, strict=True)
    checked = check_folder(mini, theme, TODAY, strict=False)
    assert [p.severity for p in checked.warnings] == [Severity.WARNING]


def test_language_without_interface_text(mini: Path, theme: Theme) -> None:
    # Klingon: no interface text in the theme; the handbook must bring its own.
    (mini / "en").rename(mini / "tlh")
    edit(mini / "handbook.toml", '"zh-Hans", "en"]', '"zh-Hans", "tlh"]')
    text = (mini / "handbook.toml").read_text(encoding="utf-8").replace("\nen = ", "\ntlh = ")
    (mini / "handbook.toml").write_text(text, encoding="utf-8")
    found = problems(mini, theme)
    # CLDR does not know Klingon: its name and dates are for the handbook to write...
    assert (
        'handbook/handbook.toml: no interface text for "tlh": language_name, date; '
        "add them to a [strings.tlh] table in handbook.toml (see docs/sources.md)"
    ) in found
    # ...and the phrases are English marked TODO, each named on a line of its own.
    names = [n for n in (*REQUIRED_STRINGS, *REQUIRED_LISTS) if n not in ("language_name", "date")]
    assert (
        'handbook/handbook.toml: warning: interface text for "tlh" is English marked '
        '"TODO: translate"; translate it in a [strings.tlh] table in handbook.toml '
        "(see docs/sources.md):" + "".join(f"\n  {name}" for name in names)
    ) in found
    assert (
        'laws/demo-code.toml: the statute has no title in "tlh", which the handbook handbook '
        'needs; add tlh = "..." to [title]'
    ) in found


def test_image_outside_the_handbook(mini: Path, theme: Theme) -> None:
    edit(
        mini / "en" / "02-privacy.md",
        "# Privacy\n",
        "# Privacy\n\n![x](../../laws/demo-code.toml)\n",
    )
    edit(mini / "zh-Hans" / "02-privacy.md", "# 隐私\n", "# 隐私\n\n![x](missing.png)\n")
    found = problems(mini, theme)
    assert (
        'handbook/en/02-privacy.md:3: image "../../laws/demo-code.toml" is outside the handbook folder; copy it into the handbook folder'
        in found
    )
    assert (
        'handbook/zh-Hans/02-privacy.md:3: image "missing.png" does not exist; check the file name'
        in found
    )


def test_control_and_private_use_characters_are_caught(mini: Path, theme: Theme) -> None:
    edit(mini / "en" / "02-privacy.md", "Collectors", "Collectors \x07 \ue000")
    found = problems(mini, theme)
    assert [f.split(": ", 1)[1] for f in found] == [
        f"character U+{code} ({kind}) cannot be printed; delete it (it often comes with text "
        "copied from another program)"
        for code, kind in (("0007", "a control character"), ("E000", "a private-use character"))
    ]


def test_characters_no_font_can_print_in_settings_and_a_nul_byte(mini: Path, theme: Theme) -> None:
    edit(mini / "handbook.toml", 'en = "Test Handbook"', 'en = "Test\\u000bHandbook\\ufffe"')
    path = mini / "en" / "01-start.md"
    path.write_bytes(path.read_bytes().replace(b"Talk first", b"Talk\x00first"))
    assert problems(mini, theme) == [
        "handbook/en/01-start.md:1: this file holds a NUL byte, so it is not plain text; save "
        "it again as UTF-8 text",
        *(
            f"handbook/handbook.toml: character U+{code} ({kind}) in title.en cannot be printed; "
            "delete it (it often comes with text copied from another program)"
            for code, kind in (("000B", "a control character"), ("FFFE", "a noncharacter"))
        ),
    ]


def test_a_file_that_is_not_an_image(guia: Path, theme: Theme) -> None:
    (guia / "images" / "sello.png").write_bytes(b"GIF89a not really")
    assert problems(guia, theme) == [
        f'guia/{lang}/01-embargo.md:5: image "../images/sello.png" holds GIF data; use a PNG, '
        "JPEG, GIF, WebP or SVG file whose name ends in its type (.png, .jpg...)"
        for lang in ("es", "fr")
    ]


def test_empty_title_and_hidden_files(mini: Path, theme: Theme) -> None:
    (mini / "en" / ".01-start.md.swp.md").write_text("junk", encoding="utf-8")
    edit(mini / "zh-Hans" / "02-privacy.md", "# 隐私", "#")
    assert problems(mini, theme) == [
        "handbook/zh-Hans/02-privacy.md:1: this heading has no text; write it after the #",
        "handbook/en/02-privacy.md:1: warning: translation is stale: zh-Hans/02-privacy.md:1 "
        "changed since it was translated",
    ]


def test_windows_line_endings_and_byte_order_mark(mini: Path, theme: Theme) -> None:
    for lang in ("en", "zh-Hans"):
        path = mini / lang / "01-start.md"
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert problems(mini, theme) == []


def test_an_arabic_handbook_checks(mini: Path, theme: Theme) -> None:
    (mini / "translations.lock").unlink()  # a new handbook, rewritten from scratch
    (mini / "en").rename(mini / "ar")
    for path in (mini / "ar").iterdir():
        path.write_text("# عنوان (1)\n\nنص عربي [[demo-code 667]] - 12348.\n", encoding="utf-8")
    for path in (mini / "zh-Hans").iterdir():
        path.write_text("# 标题\n\n正文[[demo-code 667]]。\n", encoding="utf-8")
    toml = mini / "handbook.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"en"]', '"ar"]').replace("\nen = ", "\nar = "),
        encoding="utf-8",
    )
    laws = mini.parent / "laws" / "demo-code.toml"
    laws.write_text(
        laws.read_text(encoding="utf-8").replace("\nen = ", "\nar = "), encoding="utf-8"
    )
    # The shared clinic directory serves the Chinese/English handbooks: its clinics print
    # in Chinese on this one's Arabic pages, with a word; their English lines are not read.
    assert problems(mini, theme) == [
        *(
            f'clinics/{c}.toml: warning: clinic "{c}" has no text in "ar": its edition prints '
            f'it in "zh-Hans" there, untranslated; to translate it, add ar = "..." to its '
            "[name] and its other tables"
            for c in ("north", "south")
        ),
        "handbook/translations.lock: warning: no translations.lock yet, so a change to the "
        "original would go unnoticed; once the translations are current, run: booklet "
        "translations sync handbook",
    ]


def test_a_language_tag_that_is_not_bcp_47_is_one_problem(mini: Path, theme: Theme) -> None:
    """ISO 639-2 "eng" is a language, but not its BCP 47 tag: one message says which tag
    is meant, and the handbook is checked as if written so (its "en" folder and its "en"
    settings are not each a problem more)."""
    edit(mini / "handbook.toml", '"zh-Hans", "en"]', '"zh-Hans", "eng"]')
    assert problems(mini, theme) == [
        'handbook/handbook.toml:1: "eng" is not a BCP 47 language tag (did you mean "en"?)'
    ]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("eng", "en"),
        ("tha", "th"),
        ("zho-Hant", "zh-Hant"),
        ("fas", "fa"),
        ("iw", "he"),
        ("en", None),
        ("tl", None),
        ("fil", None),
        ("yue", None),
        ("zh-Hans", None),
        ("xq", None),
    ],
)
def test_the_bcp_47_tag_meant(typed: str, meant: str | None) -> None:
    assert bcp47_meant(typed) == meant


def test_a_language_tag_no_registry_knows(mini: Path, theme: Theme) -> None:
    edit(mini / "handbook.toml", '"zh-Hans", "en"]', '"zh-Hans", "xq"]')
    assert problems(mini, theme)[0] == (
        'handbook/handbook.toml:1: "xq" is not a language tag; use BCP 47 tags such as "en", '
        '"es", "zh-Hans" or "zh-Hant"'
    )


def test_numerals_in_handbook_toml_name_digits(mini: Path, theme: Theme) -> None:
    manifest = mini / "handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + '\n[numerals]\nen = "roman"\n', encoding="utf-8")
    line = len(text.splitlines()) + 3
    assert problems(mini, theme) == [
        f'handbook/handbook.toml:{line}: [numerals] en = "roman" is not a system of digits; '
        "use one of arabic, arabic-indic, persian, devanagari, bengali, thai, khmer, myanmar"
    ]
    manifest.write_text(text + '\n[numerals]\nen = "arabic"\n', encoding="utf-8")
    assert check_folder(mini, theme, TODAY, strict=True).handbook.numerals == {"en": "arabic"}


def test_a_calendar_in_handbook_toml_is_one_booklet_knows(mini: Path, theme: Theme) -> None:
    manifest = mini / "handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + '\n[calendar]\nen = "jalali"\n', encoding="utf-8")
    line = len(text.splitlines()) + 3
    assert problems(mini, theme) == [
        f'handbook/handbook.toml:{line}: [calendar] en = "jalali" is not a calendar; '
        "use one of gregorian, buddhist, persian"
    ]
    manifest.write_text(text + '\n[calendar]\nen = "persian"\n', encoding="utf-8")
    assert check_folder(mini, theme, TODAY, strict=True).handbook.calendars == {"en": "persian"}


def test_a_digits_or_calendar_choice_for_a_language_the_handbook_lacks_is_a_warning(
    mini: Path, theme: Theme
) -> None:
    manifest = mini / "handbook.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + '\n[calendar]\nfr = "persian"\n', encoding="utf-8")
    line = len(text.splitlines()) + 3
    checked = check_folder(mini, theme, TODAY, strict=False)
    assert [str(w) for w in checked.warnings if "[calendar]" in str(w)] == [
        f"{manifest}:{line}: warning: [calendar] fr is not one of this handbook's languages "
        "(zh-Hans, en); it changes nothing: correct or remove it"
    ]


def test_a_citation_in_another_scripts_digits_is_the_same_citation(
    mini: Path, theme: Theme
) -> None:
    """[[demo-code ۶۶۷]] in one language and [[demo-code 667]] in the other cite the same
    article: no "should cite the same articles" warning."""
    edit(mini / "zh-Hans" / "01-start.md", "[[demo-code 667]]", "[[demo-code ۶۶۷]]")
    assert not any("cite the same articles" in p for p in problems(mini, theme))
