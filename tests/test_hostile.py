"""The second hostile-input corpus (issue 28), kept as tests: clinic data that cannot be
dialled or scanned, failures that were tracebacks (a full disk, a closed output), a
damaged cache record, TOML bombs, and the rest. Each case asserts its exact message and
exit code; the ones that start a process run it under resource limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.errors import RenderError, SourceLocation
from booklet.render.qr import qr_code
from booklet.themes.codes import code_capacity
from booklet.themes.theme import Theme
from tests.test_check import edit, problems

NORTH_CONTACT = (
    '[[contact]]\nphone = "+1 555 0100"\n[contact.label]\nzh-Hans = "求助热线"\nen = "Helpline"\n'
)
DIAL_ADVICE = (
    "is not a number a phone can dial; write digits, with spaces, -, ( and ) between them "
    'and + only at the start, e.g. "+1 555 0100"'
)

# ---------------------------------------------------------------- clinic data on paper

CLINIC_CASES = {
    "an empty phone": (
        'phone = "+1 555 0100"',
        'phone = ""',
        "clinics/north.toml:17: phone is empty, so the page has no number to call; write one, "
        'e.g. "+1 555 0100"',
    ),
    "a phone ending in a line break": (
        'phone = "+1 555 0100"',
        'phone = "+1 555 0100\\n"',
        f'clinics/north.toml:17: phone "+1 555 0100\\n" {DIAL_ADVICE}',
    ),
    "a phone with an escape sequence": (
        'phone = "+1 555 0100"',
        'phone = "\\u001b]0;pwned\\u0007"',
        f'clinics/north.toml:17: phone "\\x1b]0;pwned\\x07" {DIAL_ADVICE}',
    ),
    "a phone of 22 digits": (
        'phone = "+1 555 0100"',
        'phone = "+1 555 0100 2222 3333 4444 55"',
        'clinics/north.toml:17: phone "+1 555 0100 2222 3333 4444 55" has 22 digits, more '
        "than a phone network dials (20 at most); write the number only",
    ),
    "an empty contact list": (
        NORTH_CONTACT,
        "",
        "clinics/north.toml:1: a clinic needs at least one phone number; add a [[contact]] "
        'table with phone = "..." and a [contact.label] line per language',
    ),
    "contact = []": (
        NORTH_CONTACT,
        "",
        "clinics/north.toml:3: a clinic needs at least one phone number; add a [[contact]] "
        'table with phone = "..." and a [contact.label] line per language',
    ),
    "a url with user-info": (
        'url = "https://north.example.org/help"',
        'url = "https://northgate.example.org@evil.example"',
        'clinics/north.toml:1: url "https://northgate.example.org@evil.example" has a user '
        'name before "@", so it opens evil.example, not the address a reader sees first; '
        'write the web address without "...@"',
    ),
    "an ftp url": (
        'url = "https://north.example.org/help"',
        'url = "ftp://north.example.org/help"',
        'clinics/north.toml:1: url "ftp://north.example.org/help" must be a web address such '
        'as "https://clinic.example.org"',
    ),
    "a url ending in a line break": (
        'url = "https://north.example.org/help"',
        'url = "https://north.example.org/help\\n"',
        'clinics/north.toml:1: url "https://north.example.org/help\\n" must be a web address '
        'such as "https://clinic.example.org"',
    ),
    "a url too long for the printed QR code": (
        'url = "https://north.example.org/help"',
        f'url = "https://north.example.org/{"a" * 400}"',
        "clinics/north.toml:1: url is 426 characters, more than the 26 mm QR code of the "
        "clinic page holds at a readable size (331 at most); use a shorter address",
    ),
    "an e-mail address ending in a line break": (
        'email = "help@north.example.org"',
        'email = "help@north.example.org\\n"',
        'clinics/north.toml:2: email "help@north.example.org\\n" must be an address such as '
        '"help@clinic.example.org"',
    ),
    "an e-mail address with two @": (
        'email = "help@north.example.org"',
        'email = "help@@north.example.org"',
        'clinics/north.toml:2: email "help@@north.example.org" must be an address such as '
        '"help@clinic.example.org"',
    ),
    "blank opening hours": (
        'en = "Mondays 9 am–12 pm"',
        'en = "  "',
        'clinics/north.toml:14: "hours.en" is blank, so it prints as nothing; write the '
        "opening hours, or remove [hours]",
    ),
    "a blank address": (
        'en = "1 North Road"',
        'en = ""',
        'clinics/north.toml:10: "address.en" must be non-empty text in quotes',
    ),
}


@pytest.mark.parametrize("case", list(CLINIC_CASES))
def test_clinic_data_that_does_not_work_on_paper_is_refused(
    mini: Path, theme: Theme, case: str
) -> None:
    old, new, message = CLINIC_CASES[case]
    edit(mini.parent / "clinics" / "north.toml", old, new)
    if case == "contact = []":
        edit(mini.parent / "clinics" / "north.toml", "\n\n[name]", "\ncontact = []\n\n[name]")
    assert message in problems(mini, theme)


def test_a_refused_clinic_stops_check_with_exit_1(runner: CliRunner, mini: Path) -> None:
    edit(mini.parent / "clinics" / "north.toml", 'phone = "+1 555 0100"', 'phone = ""')
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: 1 problem in {mini}"


@pytest.mark.parametrize(
    ("css", "size", "version", "most"),
    [
        ("", 26.0, 13, 331),
        (".qr-code { width: 40mm; height: 40mm; }", 26.0, 13, 331),  # the narrowest counts
        (".qr-code { width: 2cm; height: 2cm; }", 20.0, 8, 152),
        (".qr-code { width: 9mm; }", 9.0, 0, 0),
    ],
)
def test_what_a_printed_qr_code_holds(
    tmp_path: Path, css: str, size: float, version: int, most: int
) -> None:
    from booklet.themes.theme import load_theme

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "theme.css").write_text(css, encoding="utf-8")
    capacity = code_capacity(load_theme([tmp_path]))
    assert (capacity.size_mm, capacity.version, capacity.max_bytes) == (size, version, most)


def test_a_theme_whose_qr_code_is_too_small_is_told(mini: Path, tmp_path: Path) -> None:
    from booklet.themes.theme import load_theme

    (tmp_path / "small" / "css").mkdir(parents=True)
    (tmp_path / "small" / "css" / "theme.css").write_text(".qr-code { width: 9mm }", "utf-8")
    assert problems(mini, load_theme([tmp_path / "small"]))[:1] == [
        "clinics/north.toml:16: the theme prints QR codes 9 mm wide, too small for any code a "
        "phone reads (0.33 mm a module); make .qr-code at least 10 mm wide"
    ]


def test_the_renderer_reports_an_oversized_payload_at_its_line(tmp_path: Path) -> None:
    where = SourceLocation(tmp_path / "clinics" / "north.toml", 1)
    with pytest.raises(RenderError) as raised:
        qr_code("https://x.example/" + "a" * 3000, where)
    assert str(raised.value) == (
        f"{tmp_path}/clinics/north.toml:1: 3018 characters are too many for a QR code; use a "
        "shorter web address"
    )
