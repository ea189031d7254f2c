"""The law a handbook cites, as it reads now -> law.lock's text and what changed since.

Takes the parsed handbook; gives the lock text `booklet laws reviewed` writes (a hash of
every cited article in each language) and, against the handbook's LawRecord, the cited
articles whose text is no longer what was reviewed.
"""

from __future__ import annotations

import hashlib

from booklet.law.citations import cited_articles
from booklet.model import Article, Handbook, LawRecord
from booklet.text.normal import normal_text

LAW_LOCK_HEADER = (
    "# law.lock: the text of every article this handbook cites, as it was when a lawyer\n"
    "# last reviewed the handbook (booklet laws reviewed). Commit it with the handbook;\n"
    "# booklet check warns at every paragraph citing an article whose text has changed since.\n"
    "# Lines: article <statute> <key> <language>=<hash of its text>...\n"
)


def reviewed_hash(article: Article, language: str) -> str:
    """A short hash of an article's text in one language (empty text hashes too)."""
    text = "\n\n".join(normal_text(p) for p in article.paragraphs.get(language, ()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def law_lock_text(handbook: Handbook) -> str:
    """law.lock for the law as the handbook cites it now."""
    lines = [LAW_LOCK_HEADER.rstrip("\n")]
    for statute, articles in cited_articles(handbook):
        for article in articles:
            hashes = " ".join(f"{t}={reviewed_hash(article, t)}" for t in handbook.languages)
            lines.append(f"article {statute.id} {article.key} {hashes}")
    return "\n".join(lines) + "\n"


def changed_since_review(record: LawRecord, statute_id: str, article: Article) -> bool:
    """The article's text differs, in some language, from the text recorded at review; an
    article not recorded (first cited after the review) is not flagged here."""
    recorded = record.articles.get((statute_id, article.key))
    if recorded is None:
        return False
    return any(reviewed_hash(article, lang) != value for lang, value in recorded.items())
