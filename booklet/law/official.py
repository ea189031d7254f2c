"""Official consolidated texts of a law -> its articles, by key, with their paragraphs.

Takes the text of an official file: Akoma Ntoso 3.0 XML (OASIS LegalDocML: `<article>` or
`<section>` elements, numbered by `<num>` or their `eId`, their text in `<p>` paragraphs
under `<content>`), or plain text as official databases publish it, one heading line per
article (`第六百八十条`, `Artículo 12.`, `Article 12`, `§ 1692c.`; see docs/law-changes.md).
Gives the articles in the order of the text, each with the line it starts on; a text this
module cannot read is a SourceError at its line. Nothing here reads files or the registry.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import SourceError, SourceLocation
from booklet.law.numerals import parse_chinese
from booklet.text.normal import normal_text

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
"""The Akoma Ntoso 3.0 namespace, in ElementTree's spelling."""


@dataclass(frozen=True)
class OfficialArticle:
    """One article of an official text."""

    key: str
    """Its key as the registry writes it (`680`, `293-1`, `12-bis`, `1692c`)."""
    paragraphs: tuple[str, ...]
    """Its paragraphs, white space normalised."""
    line: int
    """The line of the official file it starts on."""
    repealed: bool = False
    """The text marks it repealed (`status="removed"`, `（删去）`, `[Repealed]`, `Derogado`)."""


@dataclass(frozen=True)
class OfficialText:
    """The articles of an official text, in its order."""

    path: Path
    """The file read."""
    articles: tuple[OfficialArticle, ...]

    def article(self, key: str) -> OfficialArticle | None:
        """The article with this key, if the text has it."""
        return next((a for a in self.articles if a.key == key), None)


_CN_DIGITS = "零〇一二三四五六七八九十百千万"
CHINESE_HEADING = re.compile(rf"^第([{_CN_DIGITS}]+)条(?:之([{_CN_DIGITS}]+))?(?:[\s\u3000]+|$)")
"""`第六百八十条　…`, `第二百九十三条之一　…`: the article's text may follow on the line."""
WESTERN_HEADING = re.compile(
    r"^(?:Art[íi]culo|Article|Art\.|§)\s*(\d+)([a-z]{0,3}(?:-\d+)?)"
    r"(?:\s+(bis|ter|qu[aá]ter|quinquies))?\s*(?:[.:]-?\s*|$)",
    re.IGNORECASE,
)
"""`Artículo 12.`, `Artículo 12 bis.`, `Art. 12.-`, `§ 1692c.`, or `Article 12` alone on its
line: the number ends the line or is followed by `.` or `:` (so a paragraph that begins
"Article 5 applies..." is not a heading)."""
STRUCTURE_HEADING = re.compile(
    rf"^(?:第[{_CN_DIGITS}]+[编分章节]|(?:LIBRO|TÍTULO|CAPÍTULO|SECCIÓN|BOOK|PART|TITLE|"
    r"CHAPTER|SUBCHAPTER|SECTION)\b)",
    re.IGNORECASE,
)
"""A heading above articles (`第三章　借款合同`, `CAPÍTULO II`): not article text."""
REPEALED_TEXTS = frozenset(
    {
        "删去",
        "（删去）",
        "(删去)",
        "已删除",
        "derogado",
        "derogada",
        "(derogado)",
        "(derogada)",
        "[derogado]",
        "repealed",
        "[repealed]",
        "(repealed)",
        "[repealed.]",
    }
)
"""Whole article texts that mean the article was repealed."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_official(path: Path, text: str) -> OfficialText:
    """The articles of an official text; Akoma Ntoso when it starts with `<`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_control_characters(path, text)
    if text.lstrip().startswith("<"):
        return OfficialText(path, _akoma_ntoso(path, text))
    return OfficialText(path, _plain(path, text))


def _refuse_control_characters(path: Path, text: str) -> None:
    for number, line in enumerate(text.split("\n"), 1):
        found = _CONTROL.search(line.replace("\t", " "))
        if found:
            raise SourceError(
                SourceLocation(path, number),
                f"control character U+{ord(found.group(0)):04X} in the official text; "
                "remove it (a registry file cannot hold it)",
            )


def _repealed(paragraphs: tuple[str, ...]) -> bool:
    return len(paragraphs) == 1 and paragraphs[0].casefold().strip(" .。") in REPEALED_TEXTS


# ---------------------------------------------------------------- plain text


def heading_key(line: str) -> tuple[str, str] | None:
    """(key, rest of the line) when `line` starts an article, else None."""
    match = CHINESE_HEADING.match(line)
    if match:
        key = str(parse_chinese(match.group(1)))
        if match.group(2):
            key += f"-{parse_chinese(match.group(2))}"
        return key, line[match.end() :]
    match = WESTERN_HEADING.match(line)
    if match:
        number, letters, latin = match.groups()
        key = number + letters.lower() + (f"-{latin.lower()}" if latin else "")
        return key.replace("á", "a"), line[match.end() :]
    return None


def _plain(path: Path, text: str) -> tuple[OfficialArticle, ...]:
    articles: list[OfficialArticle] = []
    key, start, paragraphs = "", 0, list[str]()

    def close() -> None:
        if key:
            found = tuple(paragraphs)
            articles.append(OfficialArticle(key, found, start, _repealed(found)))

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip().strip("\u3000")
        found = heading_key(line)
        if found:
            close()
            key, start, paragraphs = found[0], number, []
            line = found[1].strip().strip("\u3000")
        elif STRUCTURE_HEADING.match(line):
            # A chapter's heading ends the article before it; its title lines are not text.
            close()
            key = ""
            continue
        if key and line:
            paragraphs.append(normal_text(line))
    close()
    _refuse_repeats(path, articles)
    if not articles:
        raise SourceError(
            SourceLocation(path, 1),
            "no article headings found; each article must start a line with its heading, "
            "e.g. 第六百八十条, Artículo 12. or § 1692c. (see docs/law-changes.md)",
        )
    return tuple(articles)


def _refuse_repeats(path: Path, articles: list[OfficialArticle]) -> None:
    seen: dict[str, int] = {}
    for article in articles:
        if article.key in seen:
            raise SourceError(
                SourceLocation(path, article.line),
                f"article {article.key} appears twice (first on line {seen[article.key]}); "
                "give one consolidated text",
            )
        seen[article.key] = article.line


# ---------------------------------------------------------------- Akoma Ntoso


def _akoma_ntoso(path: Path, text: str) -> tuple[OfficialArticle, ...]:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise SourceError(
            SourceLocation(path, 1), "the XML has a DOCTYPE or entities; Akoma Ntoso needs none"
        )
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else 1
        raise SourceError(SourceLocation(path, line), f"not well-formed XML ({error})") from None
    if root.tag != f"{AKN}akomaNtoso":
        raise SourceError(
            SourceLocation(path, 1),
            "not Akoma Ntoso 3.0: the root must be <akomaNtoso> in the namespace "
            "http://docs.oasis-open.org/legaldocml/ns/akn/3.0",
        )
    units = list(root.iter(f"{AKN}article")) or list(root.iter(f"{AKN}section"))
    articles = [_akn_unit(path, text, unit) for unit in units]
    _refuse_repeats(path, articles)
    if not articles:
        raise SourceError(SourceLocation(path, 1), "no <article> or <section> elements found")
    return tuple(articles)


def _akn_unit(path: Path, text: str, unit: ElementTree.Element) -> OfficialArticle:
    eid = unit.get("eId", "")
    line = _line_of(text, eid)
    num = unit.find(f"{AKN}num")
    found = heading_key(" ".join((num.text or "").split())) if num is not None else None
    key = found[0] if found else _key_from_num(num) or _key_from_eid(eid)
    if not key:
        raise SourceError(
            SourceLocation(path, line),
            "an article without a <num> or an eId such as art_12; number every article",
        )
    texts = ("".join(p.itertext()) for p in unit.iter(f"{AKN}p"))
    paragraphs = tuple(normal_text(t) for t in texts if t.strip())
    repealed = unit.get("status") == "removed" or _repealed(paragraphs)
    return OfficialArticle(key, paragraphs, line, repealed)


def _key_from_num(num: ElementTree.Element | None) -> str:
    """`12.`, `1692c`: a bare number in <num>."""
    value = " ".join((num.text or "").split()).rstrip(".") if num is not None else ""
    return value if re.fullmatch(r"\d+[a-z]{0,3}(?:-\d+)?", value) else ""


def _key_from_eid(eid: str) -> str:
    """`chp_3__art_680` -> `680`, `sec_1692c` -> `1692c`."""
    match = re.search(r"(?:art|sec)_([0-9A-Za-z.-]+)$", eid)
    return match.group(1) if match else ""


def _line_of(text: str, eid: str) -> int:
    at = text.find(f'eId="{eid}"') if eid else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def control_character(text: str) -> str | None:
    """The first control character (not a line break) of `text`, written U+XXXX."""
    found = _CONTROL.search(unicodedata.normalize("NFC", text).replace("\t", " "))
    return f"U+{ord(found.group(0)):04X}" if found else None
