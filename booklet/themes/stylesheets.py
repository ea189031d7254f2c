"""What a theme's stylesheet may load: nothing from outside the theme, ever.

Takes a theme CSS file's text; gives the first `@import`, or the first `url()` (or image
function) that is not a data: URL or a relative path climbing nowhere, as a line and a
message. The PDF's renderer refuses such a fetch too, but an EPUB ships its stylesheet
as it is, and a reading system would go to the network or the reader's disk for it.
Parsed with tinycss2 (WeasyPrint's own CSS tokenizer), so escapes (`u\\72l(`) and
comments hide nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from booklet.text.terminal import quoted

_IMAGE_FUNCTIONS = frozenset({"url", "image", "image-set", "-webkit-image-set", "cross-fade"})
"""Functions whose text arguments are fetched."""


def stylesheet_problem(text: str) -> tuple[int, str] | None:
    """The first line of `text` that loads something from outside the theme, and why."""
    import tinycss2

    for node in _walk(tinycss2.parse_stylesheet(text, skip_comments=True)):
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword == "import":
            return node.source_line, (
                "a theme stylesheet may not @import another; put its rules in this file or "
                "in css/theme.css"
            )
        for target in _targets(node, kind):
            if not _inside(target):
                return node.source_line, (
                    f"url({quoted(target)}) is outside the theme folder; a theme loads only its "
                    "own files (or data: URLs), never the network or the rest of the disk"
                )
    return None


def _targets(node: Any, kind: str) -> list[str]:
    if kind == "url":
        return [str(node.value)]
    if kind == "function" and node.lower_name in _IMAGE_FUNCTIONS:
        return [str(arg.value) for arg in node.arguments if getattr(arg, "type", "") == "string"]
    return []


def _walk(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every rule and component value, nested blocks and function arguments included."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _walk(children)


def _inside(target: str) -> bool:
    """A data: URL, or a relative path that climbs nowhere (`..`): it stays inside whatever
    the stylesheet is read from (the theme, the EPUB's container)."""
    parts = urlsplit(target.strip())
    if parts.scheme.lower() == "data":
        return True
    if parts.scheme or parts.netloc or target.strip().startswith(("/", "\\")):
        return False
    return ".." not in unquote(parts.path).replace("\\", "/").split("/")
