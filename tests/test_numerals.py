import pytest

from booklet.law.numerals import format_number


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"), (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (100, "一百"),
        (101, "一百零一"), (110, "一百一十"), (313, "三百一十三"), (667, "六百六十七"),
        (1003, "一千零三"), (1032, "一千零三十二"), (1260, "一千二百六十"),
        (10000, "一万"), (10500, "一万零五百"), (100010, "十万零一十"),
    ],
)  # fmt: skip
def test_chinese_numerals(n: int, text: str) -> None:
    assert format_number(n, "chinese") == text


@pytest.mark.parametrize(
    ("n", "system", "text"),
    [(667, "arabic", "667"), (14, "roman", "XIV"), (1994, "roman", "MCMXCIV"),
     (42, "arabic-indic", "٤٢"), (7, "devanagari", "७")],
)  # fmt: skip
def test_other_systems(n: int, system: str, text: str) -> None:
    assert format_number(n, system) == text


def test_unknown_system_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        format_number(1, "klingon")
