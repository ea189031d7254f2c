"""Translation coverage: where each statute article's translation stands, and the figures.

Takes the parsed handbook; gives the state of each cited article's translation (by the
hashes of translations.lock) and, per language, how many pieces of text and articles are
current, stale or missing and how many words are left to translate. The pieces of the
chapters are paired by booklet.translations.pairing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from booklet.law.citations import cited_articles
from booklet.model import Article, Handbook, Statute, TranslationRecord
from booklet.text.normal import normal_text
from booklet.translations.pairing import chapter_pairings, digest, is_placeholder
from booklet.vocabulary import TranslationState

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def article_hash(article: Article, language: str) -> str | None:
    """Hash of an article's text in one language, or None when it has none."""
    paragraphs = article.paragraphs.get(language)
    return digest("\n\n".join(normal_text(p) for p in paragraphs)) if paragraphs else None


def words(text: str) -> int:
    """Words to translate: each CJK character counts as one, other text by spaces."""
    cjk = len(_CJK.findall(text))
    return cjk + len(_CJK.sub(" ", text).split())


@dataclass(frozen=True)
class LanguageStatus:
    """Translation coverage of one language of a handbook."""

    language: str
    current: int
    stale: int
    missing: int
    words: int
    """Words of the originals still to translate (stale and missing)."""

    @property
    def total(self) -> int:
        return self.current + self.stale + self.missing

    @property
    def coverage(self) -> float:
        return 100.0 * self.current / self.total if self.total else 100.0


def cited_statute_articles(handbook: Handbook) -> list[tuple[Statute, Article]]:
    """The articles the handbook prints in its legal basis."""
    return [
        (statute, article) for statute, articles in cited_articles(handbook) for article in articles
    ]


def article_status(
    record: TranslationRecord | None,
    statute: Statute,
    article: Article,
    authoritative: str,
    language: str,
) -> TranslationState:
    """`current`, `stale` or `missing` for one language of a statute article."""
    if language == authoritative:
        return TranslationState.CURRENT
    text = article_hash(article, language)
    if text is None or all(is_placeholder(p) for p in article.paragraphs[language]):
        return TranslationState.MISSING
    recorded = record.articles.get(f"{statute.id} {article.key}") if record else None
    if recorded is None:
        return TranslationState.CURRENT  # not synced yet: nothing to compare with
    made_from = recorded.made_from.get(language)
    return (
        TranslationState.CURRENT
        if made_from == article_hash(article, authoritative)
        else TranslationState.STALE
    )


def status(handbook: Handbook) -> list[LanguageStatus]:
    """Coverage of every translated language (all but the authoritative one)."""
    out = []
    auth = handbook.authoritative
    for lang in handbook.languages:
        if lang == auth:
            continue
        counts = {"current": 0, "stale": 0, "missing": 0}
        todo = 0
        record = handbook.record.chapters if handbook.record else None
        for chapter in handbook.chapters:
            if auth not in chapter.versions:
                continue
            pairing = chapter_pairings(chapter, record, [lang], auth)[lang]
            for state in pairing.states:
                if state.original is None:
                    continue
                counts[state.status] += 1
                if state.status != TranslationState.CURRENT:
                    todo += words(pairing.originals[state.original].text)
        for statute, article in cited_statute_articles(handbook):
            article_state = article_status(handbook.record, statute, article, auth, lang)
            counts[article_state] += 1
            if article_state != TranslationState.CURRENT:
                todo += sum(words(p) for p in article.paragraphs.get(auth, ()))
        out.append(
            LanguageStatus(lang, counts["current"], counts["stale"], counts["missing"], todo)
        )
    return out


# ---------------------------------------------------------------- the lock file
