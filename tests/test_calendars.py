"""Dates in the calendar a language counts in (booklet.themes.calendars): the Buddhist
era for Thai by default (CLDR), Solar Hijri for Persian when handbook.toml asks."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.law.numerals import format_number
from booklet.themes.calendars import CalendarDate, default_calendar, in_calendar
from booklet.themes.interface_text import format_date
from booklet.themes.theme import Theme
from booklet.vocabulary import Calendar

FARVARDIN_1405 = date(2026, 3, 21)
"""Nowruz 1405: the March equinox of 2026 falls at 14:46 UTC, 18:16 in Tehran, after
noon, so the year begins the next day (the rule of the Iranian calendar; Iran's
calendar centre publishes the same day)."""


def solar_hijri_1405(day: date) -> tuple[int, int, int]:
    """A day of the year 1405 counted from its Nowruz: six months of 31 days, then 30."""
    count = (day - FARVARDIN_1405).days
    months = [31] * 6 + [30] * 6
    month = 0
    while count >= months[month]:
        count -= months[month]
        month += 1
    return 1405, month + 1, count + 1


def ymd(when: CalendarDate) -> tuple[int, int, int]:
    return when.year, when.month, when.day


def test_the_first_of_december_2026_is_10_azar_1405() -> None:
    assert in_calendar(date(2026, 12, 1), "fa", Calendar.PERSIAN) == CalendarDate(
        1405, 9, 10, "آذر", "ه\u200d.ش."
    )
    # Nowruz 1403 was on 20 March 2024 (the equinox at 03:06 UTC, before noon in Tehran).
    assert ymd(in_calendar(date(2024, 3, 20), "fa", Calendar.PERSIAN)) == (1403, 1, 1)
    assert ymd(in_calendar(date(2024, 3, 19), "fa", Calendar.PERSIAN)) == (1402, 12, 29)
    # 1405 has 365 days: the 2027 equinox (20:24 UTC on 20 March) is after noon in
    # Tehran, so 1406 begins on 21 March and 20 March 2027 is 29 Esfand.
    assert ymd(in_calendar(date(2027, 3, 20), "fa", Calendar.PERSIAN)) == (1405, 12, 29)
    assert ymd(in_calendar(date(2027, 3, 21), "fa", Calendar.PERSIAN)) == (1406, 1, 1)


def test_every_day_of_1405_is_the_count_from_its_nowruz() -> None:
    """ICU's Solar Hijri against the arithmetic from the equinoxes, day by day: 365 days,
    from Nowruz 1405 to the eve of Nowruz 1406 (21 March 2027)."""
    for offset in range(365):
        day = FARVARDIN_1405 + timedelta(days=offset)
        assert ymd(in_calendar(day, "fa", Calendar.PERSIAN)) == solar_hijri_1405(day), day


def test_the_buddhist_era_is_543_years_ahead_with_the_gregorian_months() -> None:
    assert in_calendar(date(2026, 12, 1), "th", Calendar.BUDDHIST) == CalendarDate(
        2569, 12, 1, "", "พ.ศ."
    )
    assert in_calendar(date(2026, 12, 1), "th", Calendar.GREGORIAN) == CalendarDate(
        2026, 12, 1, "", "ค.ศ."
    )


@pytest.mark.parametrize(
    ("tag", "calendar"),
    [
        ("th", Calendar.BUDDHIST),
        ("th-TH", Calendar.BUDDHIST),
        ("fa", Calendar.GREGORIAN),  # CLDR prefers the Persian: asked for, not assumed
        ("en", Calendar.GREGORIAN),
        ("ar", Calendar.GREGORIAN),
        ("am", Calendar.GREGORIAN),
        ("zh-Hant", Calendar.GREGORIAN),
    ],
)
def test_the_default_calendar_is_cldrs_where_it_only_renumbers_years(
    tag: str, calendar: Calendar
) -> None:
    assert default_calendar(tag) == calendar


@pytest.mark.parametrize(
    ("tag", "calendar", "digits", "expected"),
    [
        ("th", Calendar.BUDDHIST, "arabic", "1 ธันวาคม พ.ศ. 2569"),
        ("th", Calendar.GREGORIAN, "arabic", "1 ธันวาคม ค.ศ. 2026"),
        ("th", Calendar.BUDDHIST, "thai", "๑ ธันวาคม พ.ศ. ๒๕๖๙"),
        ("fa", Calendar.PERSIAN, "persian", "۱۰ آذر ۱۴۰۵"),
        ("fa", Calendar.GREGORIAN, "persian", "۱ دسامبر ۲۰۲۶"),
        ("en", Calendar.GREGORIAN, "arabic", "1 December 2026"),
        ("en", Calendar.PERSIAN, "arabic", "10 Azar 1405"),
    ],
)
def test_a_date_in_the_theme_text_calendar_and_digits(
    theme: Theme, tag: str, calendar: Calendar, digits: str, expected: str
) -> None:
    def number(n: int) -> str:
        return format_number(n, digits)

    assert format_date(date(2026, 12, 1), theme.strings[tag], number, calendar, tag) == expected


@pytest.mark.render
@pytest.mark.subprocess
def test_the_about_pages_of_a_thai_and_a_persian_book(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Thai book in the Buddhist era without a word in handbook.toml; the Persian one
    in the Solar Hijri calendar where handbook.toml asks for it; English in neither."""
    monkeypatch.chdir(tmp_path)
    for lang, calendar in (("th", ""), ("fa", '\n[calendar]\nfa = "persian"\n')):
        assert runner.invoke(main, ["new", lang, "--languages", f"{lang},en"]).exit_code == 0
        manifest = tmp_path / "sources" / lang / "handbook.toml"
        text = manifest.read_text(encoding="utf-8")
        text = text.replace("law_as_at = 20", "law_as_at = 2026-12-01 #").replace(
            "next_review = 20", "next_review = 2027-03-21 #"
        )
        manifest.write_text(text + calendar, encoding="utf-8")
    built = runner.invoke(main, ["build", "--layout", "parallel", "--format", "pdf"])
    assert built.exit_code == 0, built.output

    def about(lang: str) -> list[str]:
        pdf = tmp_path / "output" / lang / f"{lang}-parallel-a5.pdf"
        command = ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return [" ".join(line.split()) for line in out.splitlines()]

    thai = about("th")
    assert "กฎหมายตามที่มีผลอยู่ ณ วันที่ 1 ธันวาคม พ.ศ. 2569" in thai
    assert "กำหนดตรวจครั้งถัดไป 21 มีนาคม พ.ศ. 2570" in thai
    assert "The law is stated as at 1 December 2026." in thai
    # poppler puts a line mixing digits and Persian words in display order, in pieces:
    # each date is looked for as the words of one line.
    marks = str.maketrans("\u202b\u202c.:", "    ")
    persian = [set(line.translate(marks).split()) for line in about("fa")]
    assert any({"۱۰", "آذر", "۱۴۰۵"} <= words for words in persian), persian
    assert any({"۱", "فروردین", "۱۴۰۶"} <= words for words in persian), persian
    assert any({"stated", "1", "December", "2026"} <= words for words in persian)
