"""`booklet laws update`: a registry file against an official text (booklet.law.official,
compare, registry_edit; cli/laws.py)."""

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.law.numerals import SYSTEMS, parse_chinese
from booklet.law.official import heading_key

LAWS = Path(__file__).parent / "data" / "laws"


def registry(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "laws"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(LAWS / f"{name}.toml", folder / f"{name}.toml"))


def official_text(tmp_path: Path, name: str) -> Path:
    """A copy of an official text, so messages show its path as given (outside the cwd)."""
    return Path(shutil.copy(LAWS / name, tmp_path / name))


@pytest.mark.parametrize("n", [1, 10, 11, 20, 101, 227, 680, 1032, 1260, 10500])
def test_chinese_numerals_read_back(n: int) -> None:
    assert parse_chinese(SYSTEMS["chinese"](n)) == n


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("第六百八十条　禁止高利放贷", "680"),
        ("第二百九十三条之一　有下列情形之一", "293-1"),
        ("第六百八十条", "680"),
        ("Artículo 12. El deudor", "12"),
        ("Artículo 12 bis. El deudor", "12-bis"),
        ("Art. 3.- Los", "3"),
        ("§ 1692c. Communication", "1692c"),
        ("§ 1692c-1.", "1692c-1"),
        ("Article 7", "7"),
        ("Article 5 applies to every debt.", None),
        ("第三章　借款合同", None),
        ("第六百八十条规定的利率", None),
    ],
)
def test_article_heading_lines(line: str, key: str | None) -> None:
    found = heading_key(line)
    assert (found[0] if found else None) == key


def test_chinese_plain_text_written_as_expected(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    law = mini.parent / "laws" / "demo-code.toml"
    official = official_text(tmp_path, "demo-code-2027.txt")
    args = ["laws", "update", str(law), "--from", str(official), "--write"]
    result = runner.invoke(main, [*args, "--effective", "2027-01-01"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{law} (zh-Hans) against {official}:",
        f"changed 668 ({official}:10):",
        "  ¶1: 借款合同应当采用书面形式，但是自然人之间借款另有约定的[-除外-]{+，从其约定+}。",
        f"repealed 1032 ({official}:18): marked repealed in the official text",
        f"renumbered 293-1 -> 293-2 ({official}:22): its text is now article 293-2; change "
        "the citations [[demo-code 293-1]] and the registry key",
        f"added 667-1 ({official}:8): not in the registry",
        "  {+借款人应当按照约定的用途使用借款。+}",
        "1 changed, 1 added, 1 repealed, 1 renumbered; 1 article of the official text not in "
        "the registry (not cited, left out)",
        f"{law}: 2 articles written, effective 2027-01-01; now update its [version] lines, "
        "and have every handbook citing the changed articles reviewed (booklet check lists "
        "the paragraphs)",
    ]
    expected = (LAWS / "demo-code.expected.toml").read_text(encoding="utf-8")
    assert law.read_text(encoding="utf-8") == expected


def test_spanish_plain_text_keeps_comments_and_order(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    official = official_text(tmp_path, "ley-demo-2026.txt")
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official), "--write"])
    assert result.exit_code == 1
    assert result.output.splitlines()[1:3] == [
        f"changed 2 ({official}:9):",
        "  ¶1: El acreedor no podrá llamar al deudor antes de las [-ocho-]{+nueve+} ni después "
        "de las [-veintiuna-]{+veinte+} horas.",
    ]
    assert f"repealed 3 ({official}:14): marked repealed in the official text" in result.output
    assert f"renumbered 4 -> 5 ({official}:19)" in result.output
    assert f"added 2-bis ({official}:12): not in the registry" in result.output
    expected = (LAWS / "ley-demo.expected.toml").read_text(encoding="utf-8")
    assert law.read_text(encoding="utf-8") == expected


def test_akoma_ntoso_sections(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "us-fdcpa")
    official = official_text(tmp_path, "us-fdcpa-2026.akn.xml")
    before = law.read_text(encoding="utf-8")
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{law} (en) against {official}:",
        f"changed 1692c ({official}:36):",
        "  ¶2: In the absence of knowledge of circumstances to the contrary, a debt collector "
        "shall assume that the convenient time for communicating with a consumer is after "
        "[-8-]{+9+} o'clock antemeridian and before [-9-]{+8+} o'clock postmeridian.",
        f"repealed 1692d ({official}:51): marked repealed in the official text",
        f"renumbered 1692e -> 1692f ({official}:58): its text is now article 1692f; change the "
        "citations [[us-fdcpa 1692e]] and the registry key",
        f"added 1692c-1 ({official}:44): not in the registry",
        "  {+A debt collector may not communicate with a consumer through social media in a "
        "manner that is visible to the public.+}",
        "1 changed, 1 added, 1 repealed, 1 renumbered; 0 articles of the official text not in "
        "the registry (not cited, left out)",
    ]
    assert law.read_text(encoding="utf-8") == before  # nothing written without --write


def test_nothing_differs_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    official = tmp_path / "same.txt"
    data = tomllib.loads(law.read_text(encoding="utf-8"))["articles"]
    official.write_text(
        "".join(f"Artículo {key}. {value['es'].strip()}\n" for key, value in data.items()),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official), "--write"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "0 changed, 0 added, 0 repealed, 0 renumbered; 0 articles of the official text not in "
        "the registry (not cited, left out)"
    )


def test_hostile_text_stays_valid_toml(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    official = tmp_path / "hostile.txt"
    hostile = ['Dice """ y \\ termina"', "[articles.9]", '  [cite.es] = "x"']
    official.write_text("Artículo 1. " + "\n".join(hostile) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official), "--write"])
    assert result.exit_code == 1
    text = law.read_text(encoding="utf-8")
    assert tomllib.loads(text)["articles"]["1"]["es"] == "\n\n".join(
        ['Dice """ y \\ termina"', "[articles.9]", '[cite.es] = "x"']
    )
    assert "\n\\u005Barticles.9]\n" in text  # no line of the text reads as a table
    again = runner.invoke(main, ["check", "--help"])
    assert again.exit_code == 0


def test_control_characters_refused_at_their_line(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    before = law.read_text(encoding="utf-8")
    official = tmp_path / "bell.txt"
    official.write_text("Artículo 1. Uno.\n\nArtículo 2. Dos\x07.\n", encoding="utf-8")
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official), "--write"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {official}:3: control character U+0007 in the official text; remove it "
        "(a registry file cannot hold it)"
    ]
    assert law.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Esta ley regula el cobro.\n",
            ":1: no article headings found; each article must "
            "start a line with its heading, e.g. 第六百八十条, Artículo 12. or § 1692c. "
            "(see docs/law-changes.md)",
        ),
        (
            "Artículo 1. Uno.\nArtículo 1. Otra vez.\n",
            ":2: article 1 appears twice (first on line 1); give one consolidated text",
        ),
        (
            '<!DOCTYPE x [<!ENTITY a "b">]><akomaNtoso/>',
            ":1: the XML has a DOCTYPE or entities; Akoma Ntoso needs none",
        ),
        ("<act>\n<body>\n</act>", ":3: not well-formed XML (mismatched tag: line 3, column 2)"),
        (
            "<act/>",
            ":1: not Akoma Ntoso 3.0: the root must be <akomaNtoso> in the namespace "
            "http://docs.oasis-open.org/legaldocml/ns/akn/3.0",
        ),
    ],
)
def test_unreadable_official_texts(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    law = registry(tmp_path, "ley-demo")
    official = tmp_path / "official.txt"
    official.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official)])
    assert result.exit_code == 1
    assert result.output == f"Error: {official}{message}\n"


def test_a_language_the_statute_lacks(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    args = ["laws", "update", str(law), "--from", str(LAWS / "ley-demo-2026.txt")]
    result = runner.invoke(main, [*args, "--language", "en"])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: {law}: the statute has no "en" text; use --language with one of: es, fr\n'
    )


def test_effective_needs_write(runner: CliRunner, tmp_path: Path) -> None:
    law = registry(tmp_path, "ley-demo")
    args = ["laws", "update", str(law), "--from", str(LAWS / "ley-demo-2026.txt")]
    result = runner.invoke(main, [*args, "--effective", "2026-03-01"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: --effective sets the date in the registry file; add --write"
    )
