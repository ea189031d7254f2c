"""A statute of the registry against an official text -> what changed, article by article.

Takes a Statute, the language its official text is in, and an OfficialText; gives one
Difference per article that changed, was added, repealed or renumbered (in the official
text's order, then the registry's), and a word-level diff of two texts for people to read.
Articles of the official text that the registry does not hold are not differences: a
registry holds the articles its handbooks cite, not whole codes.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

from booklet.law.citations import natural_key
from booklet.law.official import OfficialArticle, OfficialText
from booklet.model import Article, Statute
from booklet.text.normal import normal_text
from booklet.vocabulary import ArticleChange


@dataclass(frozen=True)
class Difference:
    """One article that differs."""

    change: ArticleChange
    key: str
    """The registry's key (for ADDED, the official text's)."""
    old: tuple[str, ...]
    """Its paragraphs in the registry (empty when ADDED)."""
    new: tuple[str, ...]
    """Its paragraphs in the official text (empty when REPEALED and gone)."""
    new_key: str = ""
    """For RENUMBERED: the number its text now has."""
    official_line: int = 0
    """Where the official text has it (0 when it does not)."""


def _normal(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normal_text(p) for p in paragraphs)


def compare(statute: Statute, language: str, official: OfficialText) -> list[Difference]:
    """Every article of `statute` (in `language`) that differs from `official`."""
    held = {a.key: _normal(a.paragraphs.get(language, ())) for a in statute.articles}
    renumbered = _renumbered(statute, held, official)
    moved_to = {old: new for old, new in renumbered}
    out: list[Difference] = []
    for article in statute.articles:
        out += _held_difference(article, held[article.key], official, moved_to)
    out += _added(statute, official, set(moved_to.values()))
    return out


def _held_difference(
    article: Article, old: tuple[str, ...], official: OfficialText, moved_to: dict[str, str]
) -> list[Difference]:
    found = official.article(article.key)
    out: list[Difference] = []
    if article.key in moved_to:
        target = official.article(moved_to[article.key])
        line = target.line if target else 0
        out.append(
            Difference(ArticleChange.RENUMBERED, article.key, old, old, moved_to[article.key], line)
        )
        if found is None or found.repealed or found.paragraphs == old:
            return out
    if found is None or found.repealed:
        if article.key not in moved_to and not article.repealed:
            line = found.line if found else 0
            out.append(Difference(ArticleChange.REPEALED, article.key, old, (), "", line))
    elif found.paragraphs != old:
        change = ArticleChange.CHANGED
        out.append(Difference(change, article.key, old, found.paragraphs, "", found.line))
    return out


def _renumbered(
    statute: Statute, held: dict[str, tuple[str, ...]], official: OfficialText
) -> list[tuple[str, str]]:
    """(old key, new key) where a registry article's text is now under another number and
    no longer (or no more only) under its own."""
    by_text: dict[tuple[str, ...], list[OfficialArticle]] = {}
    for candidate in official.articles:
        if not candidate.repealed:
            by_text.setdefault(candidate.paragraphs, []).append(candidate)
    out = []
    for key, text in held.items():
        same = official.article(key)
        if not text or (same is not None and same.paragraphs == text):
            continue
        elsewhere = [a for a in by_text.get(text, []) if a.key != key]
        if len(elsewhere) == 1 and held.get(elsewhere[0].key) != text:
            out.append((key, elsewhere[0].key))
    return out


def _leading_number(key: str) -> int | None:
    match = re.match(r"\d+", key)
    return int(match.group(0)) if match else None


def _added(statute: Statute, official: OfficialText, moved: set[str]) -> list[Difference]:
    """Official articles the registry lacks that sit between two registry articles whose
    numbers follow each other (670 and 671): an article inserted into a run it holds."""
    keys = sorted((a.key for a in statute.articles), key=natural_key)
    position = {a.key: i for i, a in enumerate(official.articles)}
    out: list[Difference] = []
    for before, after in itertools.pairwise(keys):
        first, last = _leading_number(before), _leading_number(after)
        if first is None or last is None or last - first > 1:
            continue
        if before not in position or after not in position:
            continue
        for article in official.articles[position[before] + 1 : position[after]]:
            if article.key not in moved and statute.article(article.key) is None:
                out.append(
                    Difference(
                        ArticleChange.ADDED, article.key, (), article.paragraphs, "", article.line
                    )
                )
    return out


_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
    r"|\w+|\s+|[^\w\s]"
)
"""Words: each Han character or kana alone (Chinese has no spaces), else runs of letters."""


def word_diff(old: str, new: str) -> str:
    """`old` turned into `new`, words removed as [-…-] and added as {+…+} (git's style)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)
