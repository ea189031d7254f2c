"""A laid-out document's printed folios -> its PDF page labels (/PageLabels).

A viewer's "page 12" must be the page that prints "12". The labels are read from what
the layout printed, not recomputed: the text of each page's bottom margin boxes (where
the theme sets `counter(page, <the language's digits>)`), so a folio in Arabic-Indic or
Devanagari digits gets the same label, and a clinic edition's tail, numbered on from
its body, gets the numbers it prints (booklet.outputs.splice shifts them into place).

A page that prints no folio (a cover, a blank page, the back cover) is labelled as the
theme numbers it: the page counter counts it without printing it, so it gets the number
the counter gave it, in the digits of the book's other folios. A document with no folio
at all (the printing sheet) is labelled 1, 2, 3...

Takes WeasyPrint's laid-out pages (its page boxes: the only WeasyPrint structure read
here); gives the /PageLabels number tree as pydyf objects, for WeasyPrint's finisher.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import pydyf


def folios(pages: Sequence[Any]) -> list[str]:
    """The folio each laid-out page prints ("" for none): its bottom margin boxes' text."""
    return [_folio(page) for page in pages]


def _folio(page: Any) -> str:
    for box in page._page_box.children:
        if str(getattr(box, "at_keyword", "")).startswith("@bottom"):
            text = "".join(_texts(box)).strip()
            if text and _value(text) is not None:
                return text
    return ""


def _texts(box: Any) -> Iterator[str]:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        yield text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def _value(folio: str) -> int | None:
    """The number a folio writes, in any of Unicode's ten-digit systems."""
    try:
        return int(folio) if folio.isdigit() else None
    except ValueError:
        return None


def labels(printed: Sequence[str]) -> list[tuple[int, str, int]]:
    """Each page's label as (page index, label, number): the printed folio, or for a page
    without one the counter's number written in the digits of the book's folios."""
    known = [(index, _value(folio)) for index, folio in enumerate(printed) if folio]
    first = next(((index, value) for index, value in known if value is not None), None)
    offset = first[1] - first[0] if first is not None else 1
    zero = _zero(printed[first[0]]) if first is not None else ord("0")
    result = []
    for index, folio in enumerate(printed):
        number = index + offset
        label = folio or "".join(chr(zero + int(digit)) for digit in str(max(number, 0)))
        result.append((index, label, number))
    return result


def _zero(folio: str) -> int:
    """The code point of the zero of the digits `folio` is written in."""
    character = folio[0]
    return ord(character) - unicodedata.digit(character)


def number_tree(printed: Sequence[str]) -> pydyf.Dictionary:
    """The /PageLabels dictionary: a decimal range (/S /D, /St n) wherever the labels are
    Western digits counting on by one, a prefix-only label (/P) for each page in other
    digits (PDF's numbering styles are decimal, roman and letters only)."""
    nums = pydyf.Array()
    running: tuple[int, int] | None = None  # (index, number) the current /D range expects
    for index, label, number in labels(printed):
        if label.isascii() and label == str(number) and number >= 1:
            if running != (index, number):
                nums += [index, pydyf.Dictionary({"S": "/D", "St": number})]
            running = (index + 1, number + 1)
        else:
            nums += [index, pydyf.Dictionary({"P": pydyf.String(label)})]
            running = None
    return pydyf.Dictionary({"Nums": nums})
