import os
from pathlib import Path

import pytest

from booklet.errors import ConfigError, ProblemsFound, SourceError
from booklet.sources.files import find_handbooks, load_handbook


def test_reads_languages_chapters_and_laws(mini: Path) -> None:
    source = load_handbook(mini)
    assert sorted(source.language_dirs) == ["en", "zh-Hans"]
    assert [f.path.name for f in source.language_dirs["en"]] == ["01-start.md", "02-privacy.md"]
    assert [f.path.name for f in source.laws] == ["demo-code.toml"]
    assert source.problems == ()


def test_bad_toml_names_file_and_line(mini: Path) -> None:
    (mini / "handbook.toml").write_text('languages = ["en"\ntitle = 3\n', encoding="utf-8")
    with pytest.raises(ProblemsFound) as error:
        load_handbook(mini)
    [problem] = error.value.problems
    assert problem.location.line == 2
    assert problem.message.startswith("this is not valid TOML (")
    assert problem.message.endswith("; check quotes, brackets and '=' on this line")


def test_not_utf8_is_a_located_problem(mini: Path) -> None:
    (mini / "en" / "01-start.md").write_bytes("# Title\n\ncaf\xe9\n".encode("latin-1"))
    source = load_handbook(mini)
    [problem] = source.problems
    assert str(problem).endswith(
        "en/01-start.md:3: this file is not UTF-8 text; save it as UTF-8 in your editor"
    )


def test_symlink_out_of_the_handbook_is_refused(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# secret\n", encoding="utf-8")
    os.symlink(outside, mini / "en" / "03-link.md")
    source = load_handbook(mini)
    [problem] = source.problems
    assert "links to" in problem.message and "outside" in problem.message
    assert [f.path.name for f in source.language_dirs["en"]] == ["01-start.md", "02-privacy.md"]


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a handbook folder"):
        load_handbook(tmp_path)


def test_find_handbooks(tmp_path: Path, mini: Path) -> None:
    assert find_handbooks(mini.parent) == [mini]
    with pytest.raises(ConfigError, match="no handbooks found"):
        find_handbooks(tmp_path / "mini" / "laws")


@pytest.mark.parametrize(
    ("line", "at", "message"),
    [
        (
            "next_review = 01/10/2026",
            24,
            "this date cannot be read; write dates as YYYY-MM-DD without quotes, e.g. next_review = 2027-05-01",
        ),
        (
            "next_review = 2026-10-1",
            24,
            "this date cannot be read; write dates as YYYY-MM-DD without quotes, e.g. next_review = 2027-05-01",
        ),
        (
            "next_review = 2026/10/01",
            24,
            "this date cannot be read; write dates as YYYY-MM-DD without quotes, e.g. next_review = 2027-05-01",
        ),
        (
            "next_review = “2027-01-01”",
            24,
            'this line has curly quotes (“ ” ‘ ’), which word processors put in; write straight quotes "..." instead',
        ),
        (
            "next_review = 2099-01-01\nnext_review = 2099-01-01",
            25,
            "a setting or a [table] is written twice; keep one of them",
        ),
        (
            'next_review = 2099-01-01\nreviewer = "x',
            25,
            'a quote " is opened but not closed; close it on the same line, or use """ around text of several lines',
        ),
    ],
)
def test_toml_mistakes_a_person_makes_get_plain_advice(
    mini: Path, line: str, at: int, message: str
) -> None:
    toml = mini / "handbook.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("next_review = 2099-01-01", line), encoding="utf-8"
    )
    with pytest.raises(ProblemsFound) as caught:
        load_handbook(mini)
    [problem] = caught.value.problems
    assert (problem.location.line, problem.message) == (at, message)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\\..\\..\\evil", "a\\..\\..\\evil"),
        ("c:evil", "c:evil"),
        ("two words", "two words"),
        ("new\nline", "new\\nline"),
        ("deuda-€", "deuda-€"),
        ("...", "..."),
        (".hidden", ".hidden"),
        ("guide.", "guide."),
    ],
)
def test_a_folder_name_that_cannot_be_a_handbook_id_is_refused_where_read(
    mini: Path, name: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = mini.rename(mini.parent / name)
    monkeypatch.chdir(mini.parent)
    with pytest.raises(SourceError) as raised:
        load_handbook(folder)
    assert str(raised.value) == (
        f'{name}: the folder name "{shown}" cannot be a handbook id (it names the output '
        'files); rename the folder using only letters a-z and A-Z, digits, "-", "_" and "." '
        '(beginning with a letter or digit, not ending with ".")'
    )


def test_a_handbook_id_of_letters_digits_dots_and_underscores_is_read(mini: Path) -> None:
    folder = mini.rename(mini.parent / "Tenant_Guide-2.1")
    assert load_handbook(folder).name == "Tenant_Guide-2.1"
