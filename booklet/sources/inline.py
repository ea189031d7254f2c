"""Inline Markdown -> booklet's inline nodes (text, emphasis, links, citations, images).

Takes markdown-it's inline token of one block and the line it starts on; gives the
block's `Inline` nodes, with `[[law key]]` citations parsed, wrapped lines joined, and
problems (raw HTML, refused links, single-bracket citations, unclosed `[[`, nesting too
deep) added to the list it was given. `booklet.sources.markdown` walks the blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import (
    Citation,
    Code,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Strong,
    Text,
)
from booklet.text.line_joining import join_wrapped_lines

TRANSLATE_PLACEHOLDER = "<!-- translate -->"
"""Marks a block still to be translated (so are an empty block and `TODO:`)."""

MAX_INLINE_DEPTH = 20
"""Emphasis and links nested deeper than this are refused (every walker recurses)."""
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_SINGLE_BRACKETS = re.compile(
    r"(?<!\[)\[[a-z][a-z0-9]*(-[a-z0-9]+)*\s+\d[0-9a-zA-Z.,\s–-]*\](?!\])"
)
"""`[law-id 132]`: a citation written with single brackets."""
_CITATION_BODY = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s+(\S.*?)\s*$", re.S)
RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
"""An HTML tag or comment, which a handbook may not contain."""
REFUSED_LINK = re.compile(
    r"(\]\(\s*<?|<|^\s*\[[^\]]+\]:\s*<?)\s*(javascript|vbscript|file|data):", re.I | re.M
)
"""Link syntax markdown-it refused for its target, which would print as literal text."""


_WRAPPED_HYPHEN = re.compile(r"-[ \t]*\n\s*")
"""A line break after a hyphen inside a citation: the hyphen joins the two lines."""


def citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[[...]]`; runs before links so `[[` is never a link."""
    start = state.pos
    if not state.src.startswith("[[", start):
        return False
    # Once no "]]" follows, none follows any later "[[" either: remembering that keeps a
    # paragraph of unclosed brackets linear instead of quadratic.
    unclosed = state.env.setdefault("booklet_unclosed_from", {})
    if start >= unclosed.get(id(state.src), len(state.src) + 1):
        return False
    closings = state.env.setdefault("booklet_next_closing", {})
    end = closings.get(id(state.src), -1)
    if end < start + 2:  # the "]]" found for an earlier "[[" serves until it is passed
        end = state.src.find("]]", start + 2)
        closings[id(state.src)] = end
    if end < 0:
        unclosed[id(state.src)] = start
        return False
    reopened = state.src.find("[[", start + 2, end)
    if reopened >= 0:  # this one is not closed: the "]]" belongs to the next citation
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = state.src[start + 2 : end]
    state.pos = end + 2
    return True


def merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join adjacent Text nodes (markdown-it splits text at every special character)."""
    out: list[Inline] = []
    for node in nodes:
        previous = out[-1] if out else None
        if isinstance(node, Text) and isinstance(previous, Text):
            out[-1] = Text(previous.text + node.text, previous.line)
        else:
            out.append(node)
    return tuple(
        Text(join_wrapped_lines(node.text), node.line) if isinstance(node, Text) else node
        for node in out
    )


@dataclass
class _Reading:
    """Where the reading of one block's inline tokens is."""

    line: int
    stack: list[tuple[str, list[Inline], str]] = field(default_factory=lambda: [("", [], "")])
    """The open emphasis and links (kind, their content so far, href), the block first."""
    too_deep: int = 0
    """Openings past MAX_INLINE_DEPTH, whose closings are skipped too."""
    unclosed_reported: bool = False

    @property
    def here(self) -> list[Inline]:
        """The content being read into (of the innermost open emphasis or link)."""
        return self.stack[-1][1]


_OPENINGS = ("strong_open", "em_open", "link_open")
_CLOSINGS = ("strong_close", "em_close", "link_close")


class InlineParser:
    """Reads the inline tokens of one file's blocks, adding problems to `problems`."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.handlers: dict[str, Callable[[_Reading, Token], None]] = {
            "text": self._text,
            "softbreak": self._softbreak,
            "hardbreak": self._hardbreak,
            "code_inline": self._code,
            "image": self._image,
            "citation": self._citation,
            **dict.fromkeys(_OPENINGS, self._open),
            **dict.fromkeys(_CLOSINGS, self._close),
        }

    def read(self, token: Token, first_line: int) -> tuple[Inline, ...]:
        """The inline nodes of one block whose text starts on `first_line`."""
        reading = _Reading(first_line)
        for child in token.children or []:
            handler = self.handlers.get(child.type)
            if handler is None:
                self.problems.append(
                    Problem(
                        SourceLocation(self.path, reading.line),
                        f"unsupported Markdown ({child.type})",
                    )
                )
            else:
                handler(reading, child)
        merged = merge_text(reading.stack[0][1])
        self.single_brackets(merged)
        return merged

    def _text(self, reading: _Reading, child: Token) -> None:
        if not child.content:
            return
        self.raw_html(child.content, reading.line)
        if "[[" in child.content and not reading.unclosed_reported:
            reading.unclosed_reported = True
            self.problems.append(
                Problem(
                    SourceLocation(self.path, reading.line),
                    'a citation is opened with "[[" but not closed with "]]"; write '
                    "[[law-id article]], e.g. [[prc-civil-code 667]]",
                    Severity.WARNING,
                )
            )
        reading.here.append(Text(child.content, reading.line))

    def _softbreak(self, reading: _Reading, child: Token) -> None:
        # Resolved to a space or nothing once neighbours are merged (merge_text).
        reading.here.append(Text("\n", reading.line))
        reading.line += 1

    def _hardbreak(self, reading: _Reading, child: Token) -> None:
        reading.here.append(LineBreak())
        reading.line += 1

    def _code(self, reading: _Reading, child: Token) -> None:
        reading.here.append(Code(child.content, reading.line))

    def _open(self, reading: _Reading, child: Token) -> None:
        if len(reading.stack) > MAX_INLINE_DEPTH:
            if not reading.too_deep:
                self.problems.append(
                    Problem(
                        SourceLocation(self.path, reading.line),
                        f"emphasis and links nest more than {MAX_INLINE_DEPTH} deep here; "
                        "a handbook needs two or three levels at most",
                    )
                )
            reading.too_deep += 1
            return
        reading.stack.append((child.type, [], str(child.attrGet("href") or "")))

    def _close(self, reading: _Reading, child: Token) -> None:
        if reading.too_deep:
            reading.too_deep -= 1
            return
        opened, children, href = reading.stack.pop()
        merged = merge_text(children)
        if opened == "strong_open":
            reading.here.append(Strong(merged))
        elif opened == "em_open":
            reading.here.append(Emphasis(merged))
        else:
            reading.here.extend(self.link(href, merged, reading.line))

    def _image(self, reading: _Reading, child: Token) -> None:
        alt = "".join(c.content for c in child.children or [])
        # markdown-it percent-encodes the destination; the file is named as written.
        src = unquote(str(child.attrGet("src") or ""))
        reading.here.append(Image(src, alt, reading.line))

    def _citation(self, reading: _Reading, child: Token) -> None:
        # An editor may wrap a citation over two lines, after a space or a hyphen
        # (`[[us-` / `fdcpa 1692c]]`); it is still one citation.
        body = " ".join(_WRAPPED_HYPHEN.sub("-", child.content).split())
        reading.here.append(self.citation(body, reading.line))
        reading.line += child.content.count("\n")

    def single_brackets(self, nodes: tuple[Inline, ...]) -> None:
        """`[law 132]` prints as written: it was meant as a citation."""
        for node in nodes:
            if not isinstance(node, Text):
                continue
            for match in _SINGLE_BRACKETS.finditer(node.text):
                self.problems.append(
                    Problem(
                        SourceLocation(self.path, node.line),
                        f'"{match.group(0)}" looks like a citation but has single brackets, so it '
                        f"prints as written; write [{match.group(0)}]",
                        Severity.WARNING,
                    )
                )

    def link(self, href: str, children: tuple[Inline, ...], line: int) -> tuple[Inline, ...]:
        """The link, or only its text when the target is refused (reported)."""
        if href.startswith(_LINK_SCHEMES):
            return (Link(href, children, line),)
        self.problems.append(
            Problem(
                SourceLocation(self.path, line),
                f'link target "{href}" is not allowed; links may point only to http(s), '
                "mailto: or tel: addresses (cite statutes with [[law article]])",
            )
        )
        return children

    def citation(self, body: str, line: int) -> Inline:
        match = _CITATION_BODY.match(body)
        items = tuple(i.strip() for i in match.group(2).split(",")) if match else ()
        if not match or not all(items):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    f'citation "[[{body}]]" is not written right; write [[law-id article]], '
                    "e.g. [[prc-civil-code 667]], [[prc-civil-code 667-671]] or "
                    "[[prc-civil-code 1032, 1033]]",
                )
            )
            return Text(f"[[{body}]]", line)
        return Citation(match.group(1), items, body.strip(), line)

    def raw_html(self, text: str, line: int) -> None:
        if REFUSED_LINK.search(text):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    "this link's target is not allowed (only http(s), mailto: and tel: "
                    "addresses are); remove the link or give a web address",
                )
            )
        if RAW_TAG.search(text.replace(TRANSLATE_PLACEHOLDER, "")):
            self.problems.append(
                Problem(
                    SourceLocation(self.path, line),
                    "raw HTML is not allowed in a handbook and would be printed as text; "
                    "remove the tag and use Markdown instead",
                )
            )
