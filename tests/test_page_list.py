"""Where an EPUB's page-break markers go, from the pages its elements start on in print."""

import pytest

from booklet.outputs.page_list import PageBreaks, PrintPages, place_pages


@pytest.mark.parametrize(
    ("starts", "pages", "placed"),
    [
        # Each page before the first element that starts on it.
        ({"a": 1, "b": 2, "c": 3}, 3, {"a": [1], "b": [2], "c": [3]}),
        # A page no element starts on (a long passage runs over it) goes before that
        # passage; so does the blank page at the end.
        ({"a": 1, "b": 3, "c": 3, "d": 6}, 7, {"a": [1, 2], "b": [3], "c": [4, 5], "d": [6, 7]}),
        # An element the PDF lacks, or one that starts before an earlier one, marks nothing.
        ({"a": 1, "c": 2, "d": 1}, 2, {"a": [1], "c": [2]}),
        ({}, 4, {}),
    ],
)
def test_place_pages(starts: dict[str, int], pages: int, placed: dict[str, list[int]]) -> None:
    assert place_pages(["a", "b", "c", "d"], PrintPages("x.pdf", pages, starts)) == placed


def test_page_breaks_record_what_the_templates_ask() -> None:
    breaks = PageBreaks({"b": [2, 3]})
    breaks.document = "one.xhtml"
    assert breaks.at("a") == []
    breaks.document = "two.xhtml"
    assert breaks.at("b") == [2, 3]
    assert breaks.asked == [("one.xhtml", "a"), ("two.xhtml", "b")]
