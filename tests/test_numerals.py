import re
from pathlib import Path

import pdfplumber
import pytest

from booklet.law.numerals import format_number


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (313, "三百一十三"),
        (667, "六百六十七"),
        (1003, "一千零三"),
        (1032, "一千零三十二"),
        (1260, "一千二百六十"),
        (10000, "一万"),
        (10500, "一万零五百"),
        (100010, "十万零一十"),
    ],
)
def test_chinese_numerals(n: int, text: str) -> None:
    assert format_number(n, "chinese") == text


@pytest.mark.parametrize(
    ("n", "system", "text"),
    [
        (667, "arabic", "667"),
        (14, "roman", "XIV"),
        (1994, "roman", "MCMXCIV"),
        (42, "arabic-indic", "٤٢"),
        (7, "devanagari", "७"),
    ],
)
def test_other_systems(n: int, system: str, text: str) -> None:
    assert format_number(n, system) == text


def test_unknown_system_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        format_number(1, "klingon")


def test_a_statute_keeps_its_own_article_names_and_takes_the_books_digits() -> None:
    from booklet.law.numerals import in_digits

    assert in_digits("chinese", "arabic-indic") == "chinese"  # 第六百六十七条 stays
    assert in_digits("roman", "arabic-indic") == "roman"
    assert in_digits("arabic", "arabic-indic") == "arabic-indic"
    assert in_digits("arabic-indic", "arabic") == "arabic"  # the book's digits win


def test_a_theme_names_digits_only(tmp_path: Path) -> None:
    from booklet.errors import ConfigError
    from booklet.themes.theme import load_theme

    (tmp_path / "theme.toml").write_text('[numerals]\nar = "chinese"\n', encoding="utf-8")
    message = f"{tmp_path / 'theme.toml'}: [numerals] ar = 'chinese' is not a system of digits"
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_theme([tmp_path])


@pytest.mark.render
def test_page_and_article_numbers_of_a_citation_share_the_languages_digits(
    tmp_path: Path,
) -> None:
    """A theme writes Arabic in Arabic-Indic digits: the article and page numbers of an
    Arabic citation, the legal basis's headings and the Arabic pages' numbers; English
    keeps Western digits; phone numbers stay as written."""
    from booklet.themes.theme import load_theme
    from tests.conftest import build_quietly, copy_fixture

    (tmp_path / "indic").mkdir()
    (tmp_path / "indic" / "theme.toml").write_text('[numerals]\nar = "arabic-indic"\n', "utf-8")
    theme = load_theme([tmp_path / "indic"])
    assert theme.digits("ar-EG") == "arabic-indic" and theme.digits("en") == "arabic"
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    (out,) = build_quietly(daleel, theme, tmp_path / "out", ("parallel",), ("pdf",))
    with pdfplumber.open(out.path) as pdf:
        legal_basis = next(
            page.page_number
            for page in pdf.pages
            if "Tenancy" in page.extract_text() and "Article" in page.extract_text()
        )
        page = pdf.pages[3]  # the first chapter: Arabic on the right, English on the left
        words = page.extract_words()
    arabic = [w["text"] for w in words if w["x0"] > page.width / 2 and w["top"] > 40]
    english = [w["text"] for w in words if w["x1"] < page.width / 2 and w["top"] > 40]
    number = [w["text"] for w in words if w["top"] > page.height - 60]
    on_basis = format_number(legal_basis, "arabic-indic")
    assert any(on_basis in w for w in arabic) and "١٣" in arabic, arabic  # page, article
    assert not any(
        c.isascii() and c.isdigit()
        for w in arabic
        if w.strip(".") not in ("1800", "555", "0199")
        for c in w
    ), arabic
    assert "13" in english and any(str(legal_basis) in w for w in english), english
    assert number == [format_number(4, "arabic-indic")]  # the Arabic verso's number


@pytest.mark.render
def test_chapter_numbers_are_written_in_the_languages_digits(tmp_path: Path) -> None:
    """A theme writes Arabic in Arabic-Indic digits: in an Arabic-first book the contents
    number its chapters ١ and ٢ (as its page numbers already were), and so do the PDF's
    bookmarks and the EPUB's contents."""
    import zipfile

    import pikepdf

    from booklet.themes.theme import load_theme
    from tests.conftest import build_quietly, copy_fixture

    (tmp_path / "indic").mkdir()
    (tmp_path / "indic" / "theme.toml").write_text('[numerals]\nar = "arabic-indic"\n', "utf-8")
    theme = load_theme([tmp_path / "indic"])
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    made = build_quietly(daleel, theme, tmp_path / "out", ("parallel",), ("pdf", "epub"))
    pdf_path = next(o.path for o in made if o.path.suffix == ".pdf")
    epub_path = next(o.path for o in made if o.path.suffix == ".epub")
    with pdfplumber.open(pdf_path) as pdf:
        contents = next(page for page in pdf.pages if "Contents" in page.extract_text())
        words = [w["text"] for w in contents.extract_words()]
    assert "١" in words and "٢" in words, words
    assert not any(c.isascii() and c.isdigit() for w in words for c in w), words
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        marks = [item.title for item in outline.root]
    assert [m[:2] for m in marks if m[:1] in "١٢"] == ["١.", "٢."], marks
    with zipfile.ZipFile(epub_path) as epub:
        nav = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("nav.xhtml"))
    assert re.search(r">١\. ", nav) and re.search(r">٢\. ", nav), nav


def test_digits_default_to_what_cldr_says_for_the_tag(tmp_path: Path) -> None:
    from booklet.themes.theme import load_theme

    theme = load_theme()
    assert [theme.digits(tag) for tag in ("fa", "ar", "ar-MA", "ar-EG", "my", "th", "en")] == [
        "persian",
        "arabic",
        "arabic",
        "arabic-indic",
        "myanmar",
        "arabic",
        "arabic",
    ]
    (tmp_path / "theme.toml").write_text('[numerals]\nfa = "arabic"\n', encoding="utf-8")
    western = load_theme([tmp_path])
    assert western.digits("fa") == "arabic"  # a theme's choice over CLDR's
    assert western.digits("fa", {"fa": "persian"}) == "persian"  # the handbook's over both


def test_article_keys_typed_in_any_digits_fold_to_the_registrys() -> None:
    from booklet.law.numerals import fold_digits

    assert fold_digits("۱۲") == "12"  # Persian
    assert fold_digits("١٢a") == "12a"  # Arabic-Indic, with a letter kept
    assert fold_digits("๑๒-๑") == "12-1"  # Thai
    assert fold_digits("十二") == "十二"  # not decimal digits: as typed
