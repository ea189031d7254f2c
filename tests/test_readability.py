"""Readability: measures per block and language, `[readability]` limits in check, the
`booklet readability` report and its JSON schema, the translation-harder flag."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from booklet.cli import main

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(path.parent for path in DATA.rglob("handbook.toml"))
SCHEMA = json.loads((Path(__file__).parents[1] / "docs/readability.schema.json").read_text())
LIMIT = "split it into shorter sentences, or raise the limit in [readability] in handbook.toml"


def _readability_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning: sentence of" in line]


def test_check_flags_a_60_word_sentence_and_a_120_character_chinese_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(DATA / "readability")
    result = CliRunner().invoke(main, ["check", "long"])
    assert result.exit_code == 0, result.output
    assert _readability_lines(result.output) == [
        "long/en/01-long.md:3: warning: sentence of 60 words, more than max_sentence_words = 50 "
        f'allows ("If you get a letter from a col…"); {LIMIT}',
        "long/zh-Hans/01-long.md:3: warning: sentence of 120 characters, more than "
        'max_sentence_characters = 80 allows ("如果催收人员给你打电话或者发短信威胁你的家人如果催收人员给你…"); '
        f"{LIMIT}",
    ]
    strict = CliRunner().invoke(main, ["check", "--strict", "long"])
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "Error: 3 problems in long"


def test_a_thai_block_without_spaces_is_counted_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "readability")
    result = CliRunner().invoke(main, ["check", "thai"])
    assert _readability_lines(result.output) == [
        "thai/th/01-thai.md:3: warning: sentence of 60 words, more than max_sentence_words = 50 "
        f'allows ("ฉันไปตลาดทุกวันฉันไปตลาดทุกวัน…"); {LIMIT}'
    ]


def test_limits_from_handbook_toml_per_language(tmp_path: Path) -> None:
    book = tmp_path / "long"
    shutil.copytree(DATA / "readability/long", book)
    toml = book / "handbook.toml"
    toml.write_text(
        toml.read_text()
        + "\n[readability]\nmax_sentence_words = 70\nmax_grade = 4\n\n"
        + "[readability.zh-Hans]\nmax_sentence_characters = 150\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(book)])
    lines = [
        line for line in result.output.splitlines() if "readability" in line or "grade" in line
    ]
    assert lines == [
        f"{book}/en/01-long.md:3: warning: this block reads at grade 10.4 (Flesch–Kincaid grade), "
        "above max_grade = 4; use shorter sentences and everyday words"
    ]


def test_a_wrong_limit_is_an_error_at_its_line(tmp_path: Path) -> None:
    book = tmp_path / "long"
    shutil.copytree(DATA / "readability/long", book)
    toml = book / "handbook.toml"
    text = toml.read_text() + "\n[readability]\nmax_sentence_words = 0\n"
    toml.write_text(text, encoding="utf-8")
    line = text.count("\n")
    result = CliRunner().invoke(main, ["check", str(book)])
    assert result.exit_code == 1
    assert (
        f'{toml}:{line}: "readability.max_sentence_words" must be a whole number above 0, '
        "e.g. max_sentence_words = 35"
    ) in result.output.splitlines()


def test_common_words_against_rare_ones() -> None:
    from booklet.cli.handbooks import parsed
    from booklet.readability.report import readability_report

    report = readability_report(parsed(DATA / "readability/long"))
    common, rare = report.blocks["01-long.md"]["en"][1:]
    assert common.rare == ()
    assert rare.rare == (
        "indemnification",
        "subrogation",
        "garnishment",
        "obligor's",
        "encumbrances",
    )
    assert rare.rare_share == pytest.approx(5 / 10)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_readability_runs_on_every_fixture_and_its_json_fits_the_schema(fixture: Path) -> None:
    result = CliRunner().invoke(main, ["readability", str(fixture), "--json"])
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(result.output), SCHEMA)
    text = CliRunner().invoke(main, ["readability", str(fixture)])
    assert text.exit_code == 0, text.output


def test_a_translation_markedly_harder_than_its_original_is_flagged(tmp_path: Path) -> None:
    book = tmp_path / "pair"
    shutil.copytree(DATA / "readability/long", book)
    (book / "zh-Hans").rename(book / "es")
    toml = book / "handbook.toml"
    toml.write_text(toml.read_text().replace("zh-Hans", "es"), encoding="utf-8")
    easy = ["Keep the letter. Write down the date. Call us today.", "Ask for help. We call back."]
    en = "# Letters\n\n" + "\n\n".join([*easy, easy[0]]) + "\n"
    es = (
        "# Cartas\n\nGuarde la carta. Anote la fecha. Llámenos hoy.\n\nPida ayuda. Le llamamos.\n\n"
        "Conserve la carta que haya recibido del cobrador, anote con cuidado la fecha en que la "
        "recibió y el nombre de quien la envió, y llámenos hoy mismo para que podamos ayudarle.\n"
    )
    (book / "en/01-long.md").write_text(en, encoding="utf-8")
    (book / "es/01-long.md").write_text(es, encoding="utf-8")
    result = CliRunner().invoke(main, ["readability", str(book), "--json"])
    assert result.exit_code == 0, result.output
    harder = json.loads(result.output)["harder"]
    assert [(h["original"], h["translation"]) for h in harder] == [
        ({"file": f"{book}/en/01-long.md", "line": 7}, {"file": f"{book}/es/01-long.md", "line": 7})
    ]
    assert harder[0]["reasons"][0].startswith("sentences ")


def test_the_text_report_puts_the_languages_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "readability")
    result = CliRunner().invoke(main, ["readability", "long"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:10] == [
        "long: readability",
        "  measures for en: sentence words, rare words, Flesch–Kincaid grade, Flesch reading ease",
        "  measures for zh-Hans: sentence words, sentence characters, rare words",
        "",
        "01-long.md",
        "                    en                                                  zh-Hans",
        "  grade / ease      Flesch–Kincaid grade 9.1, Flesch reading ease 71.3  -",
        "  mean sentence     23.2 words                                          22.2 words (37.0 ch)",
        "  longest sentence  60 words, line 3                                    73 words (120 ch), line 3",
        "  rare words        5.4%                                                5.6%",
    ]
    assert (
        "  long/zh-Hans/01-long.md:3: 73 words, 120 characters (150% of the limit)" in result.output
    )


def test_korean_and_traditional_chinese_rare_words_are_not_measured() -> None:
    from booklet.readability.report import measures_applied

    assert measures_applied("ko") == ["sentence words"]
    assert measures_applied("zh-Hant") == ["sentence words", "sentence characters"]
    assert measures_applied("th") == ["sentence words"]
    assert measures_applied("es") == [
        "sentence words",
        "rare words",
        "Fernández Huerta",
        "Szigriszt–Pazos",
    ]


def test_a_sentence_is_located_at_the_line_it_starts_on(tmp_path: Path) -> None:
    book = tmp_path / "long"
    shutil.copytree(DATA / "readability/long", book)
    words = " ".join(["word"] * 54)
    (book / "en/01-long.md").write_text(
        "# Long sentences\n\nKeep every letter. Write\ndown the date.\nThen call us "
        f"because\n{words}\nnow.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(book)])
    assert [line.split(": warning: ")[0] for line in _readability_lines(result.output)] == [
        f"{book}/en/01-long.md:5",
        f"{book}/zh-Hans/01-long.md:3",
    ]


def test_lao_without_spaces_is_counted_in_words() -> None:
    from booklet.cli.handbooks import parsed
    from booklet.readability.report import readability_report

    report = readability_report(parsed(DATA / "readability/lao"))
    (block,) = report.blocks["01-lao.md"]["lo"]
    assert [(s.words, s.line) for s in block.sentences] == [(12, 3)]
    assert block.rare is None


def test_a_missing_handbook_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["readability", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}/none: no such handbook folder\n"


def test_a_typographic_apostrophe_is_looked_up_as_a_straight_one() -> None:
    from booklet.readability.frequency import frequencies, is_rare

    table = frequencies("en")
    assert table is not None
    assert not is_rare("Don’t", table)
    assert not is_rare("don't", table)
    assert is_rare("garnishment", table)
