from pathlib import Path

from booklet.errors import Severity
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook


def problems(folder: Path) -> list[str]:
    _, found = parse_handbook(load_handbook(folder))
    return [str(p).split(str(folder.parent) + "/", 1)[-1] for p in found]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_mini_parses_cleanly(mini: Path) -> None:
    handbook, found = parse_handbook(load_handbook(mini))
    assert found == []
    assert handbook.languages == ("zh-Hans", "en")
    assert handbook.title == {"zh-Hans": "测试手册", "en": "Test Handbook"}
    assert [c.name for c in handbook.chapters] == ["01-start.md", "02-privacy.md"]
    assert handbook.review.status == "draft"
    assert handbook.contacts[0].phone == "12348"
    [statute] = handbook.statutes
    assert [a.key for a in statute.articles] == ["667", "668", "1032", "293-1"]
    assert statute.article("668").paragraphs["en"][1].startswith("A loan contract generally")
    assert statute.article("293-1").label == {"zh-Hans": "第二百九十三条之一"}


def test_missing_language_text_names_the_table_line(mini: Path) -> None:
    edit(mini / "handbook.toml", 'en = "Test Handbook"\n', "")
    assert problems(mini) == [
        'handbook/handbook.toml:5: "title" has no text for "en"; add en = "..."'
    ]


def test_missing_required_field(mini: Path) -> None:
    edit(
        mini / "handbook.toml", '[edition]\nzh-Hans = "Test edition 1"\nen = "Test edition 1"\n', ""
    )
    assert problems(mini) == [
        'handbook/handbook.toml:1: "edition" is missing; add a [edition] table with one line '
        'per language:\nzh-Hans = "..."\nen = "..."'
    ]


def test_one_edition_for_two_languages_is_a_warning(mini: Path) -> None:
    edit(
        mini / "handbook.toml", '[edition]\nzh-Hans = "Test edition 1"\nen = "Test edition 1"\n', ""
    )
    edit(
        mini / "handbook.toml",
        "# edition: per language, in [edition] at the end",
        'edition = "One"',
    )
    assert problems(mini) == [
        "handbook/handbook.toml:3: warning: edition is one text for every language, so it prints "
        'untranslated; write an [edition] table with one line per language (zh-Hans = "...", '
        'en = "...")'
    ]


def test_typo_in_a_key_is_a_warning_with_a_suggestion(mini: Path) -> None:
    edit(mini / "handbook.toml", "# edition: per language, in [edition] at the end", 'editon = "x"')
    found = problems(mini)
    assert (
        'handbook/handbook.toml:3: warning: unknown setting "editon" (did you mean "edition"?); it is ignored'
        in found
    )


def test_authoritative_must_be_a_language(mini: Path) -> None:
    edit(mini / "handbook.toml", 'authoritative = "zh-Hans"', 'authoritative = "fr"')
    assert problems(mini) == [
        'handbook/handbook.toml:2: authoritative language "fr" is not one of the languages '
        "(zh-Hans, en); pick one of them"
    ]


def test_bad_dates_and_status(mini: Path) -> None:
    edit(mini / "handbook.toml", "law_as_at = 2026-01-01", 'law_as_at = "January"')
    edit(mini / "handbook.toml", 'status = "draft"', 'status = "final"')
    assert problems(mini) == [
        'handbook/handbook.toml:22: review status "final" is unknown; use "draft" or "reviewed"',
        'handbook/handbook.toml:23: "review.law_as_at" must be a date written YYYY-MM-DD '
        "without quotes",
    ]


def test_reviewed_needs_a_reviewer(mini: Path) -> None:
    edit(mini / "handbook.toml", 'status = "draft"', 'status = "reviewed"')
    assert problems(mini) == [
        'handbook/handbook.toml:21: "review.reviewed_on" is missing; add reviewed_on = YYYY-MM-DD',
        'handbook/handbook.toml:21: "review.reviewer" is missing; add reviewer = "..."',
    ]


def test_statute_id_must_match_file_name(mini: Path) -> None:
    edit(mini.parent / "laws" / "demo-code.toml", 'id = "demo-code"', 'id = "demo"')
    assert problems(mini) == [
        'laws/demo-code.toml:1: id "demo" must equal the file name "demo-code"; rename one of them'
    ]


def test_unknown_numerals(mini: Path) -> None:
    edit(mini.parent / "laws" / "demo-code.toml", 'numerals = "chinese"', 'numerals = "hanzi"')
    [found] = problems(mini)
    assert found.startswith(
        'laws/demo-code.toml:18: unknown numerals "hanzi"; use one of: arabic, chinese'
    )


def test_language_folder_not_listed_is_a_warning(mini: Path) -> None:
    (mini / "fr").mkdir()
    (mini / "fr" / "01-start.md").write_text("# Titre\n", encoding="utf-8")
    _, found = parse_handbook(load_handbook(mini))
    [problem] = found
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith('folder "fr" holds chapters but "fr" is not in languages')


def test_a_new_language_brings_its_own_interface_text(mini: Path) -> None:
    text = (mini / "handbook.toml").read_text(encoding="utf-8")
    text += (
        '\n[strings.en]\ncontents = "Inside"\nmonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", '
        '"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]\nprint_steps = ["Print it."]\n'
        'date = "{day} {month_name} {yr}"\ncontentz = "x"\nnote = 5\n'
    )
    (mini / "handbook.toml").write_text(text, encoding="utf-8")
    handbook, found = parse_handbook(load_handbook(mini))
    assert handbook.strings["en"]["months"][0] == "Jan"
    assert handbook.strings["en"]["print_steps"] == ["Print it."]
    assert [str(p).split(str(mini.parent) + "/", 1)[-1] for p in found] == [
        'handbook/handbook.toml:44: warning: unknown setting "strings.en.contentz" (did you mean '
        '"contents"?); it is ignored',
        'handbook/handbook.toml:43: "date": {yr} is not a placeholder it can use (it can use: '
        "{year}, {month}, {month_name}, {day}, {era})",
        'handbook/handbook.toml:45: "note" must be text in quotes',
    ]


def test_cite_patterns_are_checked(mini: Path) -> None:
    edit(
        mini.parent / "laws" / "demo-code.toml",
        'single = "{short}, art. {article}"',
        'single = "{short}, art. {n.__class__}"',
    )
    assert problems(mini) == [
        'laws/demo-code.toml:29: "single": {n.__class__} is not a placeholder it can use (it can '
        "use: {short}, {article})"
    ]


def test_laws_setting_that_is_not_a_folder(mini: Path) -> None:
    edit(
        mini / "handbook.toml",
        "# edition: per language, in [edition] at the end",
        '# edition\nlaws = "../laws/demo-code.toml"',
    )
    assert problems(mini)[0] == (
        'handbook/handbook.toml:4: the statute registry folder "../laws/demo-code.toml" is a '
        "file, not a folder; point laws at the folder that holds the statute .toml files"
    )
