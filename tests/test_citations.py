from pathlib import Path

import pytest

from booklet.errors import SourceLocation
from booklet.law.citations import (
    CitationError,
    article_heading,
    format_citation,
    natural_key,
    resolve_citation,
)
from booklet.model import Article, Citation, CiteStyle, Statute

ZH = CiteStyle(
    numerals="chinese",
    article="第{n}条",
    heading="第{n}条",
    single="《{short}》{article}",
    multiple="《{short}》{articles}",
    range="{first}至{last}",
    separator="、",
)
EN = CiteStyle(
    article="{n}",
    heading="Article {n}",
    single="{short}, art. {article}",
    multiple="{short}, arts. {articles}",
    range="{first}–{last}",
    separator=", ",
)
HERE = SourceLocation(Path("laws/code.toml"), 1)


def article(key: str, label: dict[str, str] | None = None) -> Article:
    return Article(key, {"zh-Hans": ("甲",), "en": ("a",)}, label or {}, HERE)


CODE = Statute(
    id="code",
    jurisdiction="CN",
    effective=None,
    source="test",
    title={"zh-Hans": "民法典全称", "en": "Civil Code in full"},
    short={"zh-Hans": "民法典", "en": "Civil Code"},
    translation={},
    version={},
    cite={"zh-Hans": ZH, "en": EN},
    articles=(
        article("668"),
        article("667"),
        article("670"),
        article("669"),
        article("293-1", {"zh-Hans": "第二百九十三条之一"}),
        article("1692c"),
    ),
    location=SourceLocation(Path("laws/code.toml"), 0),
)


def cite(*items: str, law: str = "code") -> Citation:
    return Citation(law, items, f"{law} {', '.join(items)}", 3)


@pytest.mark.parametrize(
    ("items", "zh", "en"),
    [
        (("667",), "《民法典》第六百六十七条", "Civil Code, art. 667"),
        (("667-670",), "《民法典》第六百六十七条至第六百七十条", "Civil Code, arts. 667–670"),
        (("667", "669"), "《民法典》第六百六十七条、第六百六十九条", "Civil Code, arts. 667, 669"),
        (("293-1",), "《民法典》第二百九十三条之一", "Civil Code, art. 293-1"),
        (("1692c",), "《民法典》第一千六百九十二c条", "Civil Code, art. 1692c"),
    ],
)
def test_format_in_each_language(items: tuple[str, ...], zh: str, en: str) -> None:
    resolved = resolve_citation(cite(*items), [CODE])
    assert format_citation(resolved, "zh-Hans") == zh
    assert format_citation(resolved, "en") == en


def test_range_follows_article_order_not_file_order() -> None:
    resolved = resolve_citation(cite("667-670"), [CODE])
    assert [a.key for a in resolved.articles] == ["667", "668", "669", "670"]


def test_language_without_style_uses_plain_defaults() -> None:
    resolved = resolve_citation(cite("667"), [CODE])
    assert format_citation(resolved, "es") == "code 667"


def test_headings() -> None:
    assert article_heading(CODE, CODE.articles[1], "en") == "Article 667"
    assert article_heading(CODE, CODE.articles[1], "zh-Hans") == "第六百六十七条"
    assert article_heading(CODE, CODE.articles[4], "zh-Hans") == "第二百九十三条之一"


def test_unknown_statute_suggests_the_nearest() -> None:
    with pytest.raises(CitationError) as error:
        resolve_citation(cite("667", law="cod"), [CODE])
    assert (
        str(error.value) == 'unknown statute "cod" (did you mean "code"?); the registry has: code'
    )


def test_unknown_article_suggests_the_nearest() -> None:
    with pytest.raises(CitationError) as error:
        resolve_citation(cite("6677"), [CODE])
    assert str(error.value) == (
        '"code" has no article "6677" (did you mean "667"?); '
        "add it to laws/code.toml or correct the citation"
    )


def test_backwards_range_is_refused() -> None:
    with pytest.raises(CitationError, match="must go from a lower article to a higher one"):
        resolve_citation(cite("670-667"), [CODE])


def test_natural_order() -> None:
    keys = ["10", "2", "293-1", "293", "294", "1692c", "1692"]
    assert sorted(keys, key=natural_key) == ["2", "10", "293", "293-1", "294", "1692", "1692c"]


def test_an_article_typed_in_persian_digits_is_the_registrys() -> None:
    assert [a.key for a in resolve_citation(cite("۶۶۷"), [CODE]).articles] == ["667"]
    resolved = resolve_citation(cite("۶۶۷-۶۶۹"), [CODE])
    assert [a.key for a in resolved.articles] == ["667", "668", "669"]
    with pytest.raises(
        CitationError, match='"code" has no article "671" \\(did you mean "670"\\?\\)'
    ):
        resolve_citation(cite("۶۷۱"), [CODE])
