"""The statute registry (sources/laws) against the reference texts it was compiled from.

The reference, statutes.md, lives beside the repository (`../shared/reference/`) or where
BOOKLET_STATUTES_REFERENCE points; the test is skipped where it is absent.
"""

import os
import re
from pathlib import Path

import pytest

from booklet.model import Statute
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from tests.conftest import ROOT, SAMPLE

REFERENCE = Path(
    os.environ.get("BOOKLET_STATUTES_REFERENCE", ROOT.parent / "shared/reference/statutes.md")
)
_DIGITS = dict(zip("零一二三四五六七八九", range(10), strict=True))
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(
    r"^(?:(?P<law>\S+) )?第(?P<number>[零一二三四五六七八九十百千]+)条"
    r"(?:之(?P<sub>[一二三四五六七八九十]+))?(?:（[^　]*）)*　(?P<text>.+)$"
)


def chinese_number(numeral: str) -> int:
    total = digit = 0
    for char in numeral:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def test_chinese_numbers() -> None:
    assert [
        chinese_number(n)
        for n in ("九十五", "一百四十七", "二百九十三", "一千零三十三", "十五", "六百八十")
    ] == [95, 147, 293, 1033, 15, 680]


def reference_articles(text: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(law as named, article key) -> its paragraphs, one per line. An article reads
    `[law ]第N条[之M][（note）]　text`, its further paragraphs on the lines below; a law
    left out is the one of the `## ` heading above it."""
    out: dict[tuple[str, str], list[str]] = {}
    section = ""
    current: list[str] | None = None
    for line in text.splitlines():
        match = _ARTICLE.match(line)
        if line.startswith("## "):
            section, current = line[3:].split()[0], None
        elif match:
            key = str(chinese_number(match["number"]))
            if match["sub"]:
                key += f"-{chinese_number(match['sub'])}"
            current = [match["text"]]
            out[(match["law"] or section, key)] = current
        elif current is not None and line.strip():
            current.append(line.strip())
        else:
            current = None
    return {key: tuple(paragraphs) for key, paragraphs in out.items()}


def statute_named(name: str, statutes: tuple[Statute, ...]) -> Statute:
    found = [s for s in statutes if name in (s.title.get("zh-Hans"), s.short.get("zh-Hans"))]
    assert len(found) == 1, name
    return found[0]


@pytest.mark.skipif(not REFERENCE.is_file(), reason=f"no reference texts at {REFERENCE}")
def test_every_chinese_article_text_is_the_reference_text() -> None:
    handbook, problems = parse_handbook(load_handbook(SAMPLE))
    assert problems == []
    reference = reference_articles(REFERENCE.read_text(encoding="utf-8"))
    assert len(reference) >= 23  # the seed's grounds, related and further provisions
    compared = set()
    for (law, key), paragraphs in reference.items():
        statute = statute_named(law, handbook.statutes)
        article = statute.article(key)
        assert article is not None, (statute.id, key)
        # The reference writes a paragraph a line; the registry separates them by a blank line.
        assert article.paragraphs["zh-Hans"] == paragraphs, (statute.id, key)
        compared.add((statute.id, key))
    assert {
        ("prc-civil-code", "188"),
        ("prc-civil-code", "192"),
        ("prc-civil-code", "680"),
        ("prc-criminal-law", "196"),
        ("prc-criminal-law", "238"),
        ("prc-civil-procedure-law", "95"),
        ("prc-civil-procedure-law", "147"),
        ("prc-civil-procedure-law", "171"),
        ("prc-civil-procedure-law", "227"),
        ("spc-private-lending", "25"),
        ("spc-private-lending", "29"),
    } <= compared


def test_the_reference_reader_keeps_paragraphs_and_irregular_labels() -> None:
    text = (
        "## 中华人民共和国民法典 (Civil Code)\n\n第六百六十八条　甲。\n乙。\n\n"
        "中华人民共和国刑法 第二百九十三条之一（注）　丙：\n（一）丁；\n\nWorking English:\n"
    )
    assert reference_articles(text) == {
        ("中华人民共和国民法典", "668"): ("甲。", "乙。"),
        ("中华人民共和国刑法", "293-1"): ("丙：", "（一）丁；"),
    }
