from pathlib import Path

from booklet.model import (
    Callout,
    Citation,
    Emphasis,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)
from booklet.sources.files import SourceFile
from booklet.sources.markdown import parse_chapter

PATH = Path("en/01-x.md")


def parse(text: str):  # type: ignore[no-untyped-def]
    chapter, problems = parse_chapter(SourceFile(PATH, text), "en")
    return chapter.blocks, [str(p) for p in problems]


def test_blocks_keep_their_source_lines() -> None:
    blocks, problems = parse("# Title\n\nFirst para\ncontinues.\n\n## Section\n\n- a\n- b\n")
    assert problems == []
    assert [type(b).__name__ for b in blocks] == ["Heading", "Paragraph", "Heading", "ListBlock"]
    assert [b.location.line for b in blocks] == [1, 3, 6, 8]
    assert isinstance(blocks[1], Paragraph)
    assert blocks[1].content == (Text("First para continues.", 3),)
    assert isinstance(blocks[3], ListBlock) and [i.location.line for i in blocks[3].items] == [8, 9]


def test_wrapped_chinese_lines_join_without_a_space() -> None:
    blocks, _ = parse("借款合同是借款人\n向贷款人借款的合同。\n")
    assert blocks[0].content == (Text("借款合同是借款人向贷款人借款的合同。", 1),)


def test_citations_inline_with_their_line() -> None:
    blocks, problems = parse("See\n[[prc-civil-code 667-671]] and [[us-fdcpa 1692d, 1692e]].\n")
    assert problems == []
    citations = [n for n in blocks[0].content if isinstance(n, Citation)]
    assert citations == [
        Citation("prc-civil-code", ("667-671",), "prc-civil-code 667-671", 2),
        Citation("us-fdcpa", ("1692d", "1692e"), "us-fdcpa 1692d, 1692e", 2),
    ]


def test_malformed_citation_is_reported() -> None:
    _, problems = parse("See [[prc-civil-code]].\n")
    assert problems == [
        'en/01-x.md:1: citation "[[prc-civil-code]]" is not written right; write '
        "[[law-id article]], e.g. [[prc-civil-code 667]], [[prc-civil-code 667-671]] or "
        "[[prc-civil-code 1032, 1033]]"
    ]


def test_task_list_items() -> None:
    blocks, _ = parse("- [ ] keep texts\n- [x] back up\n- plain\n")
    assert [i.task for i in blocks[0].items] == [False, True, None]
    assert blocks[0].items[0].content == (Text("keep texts", 1),)


def test_callouts_and_quotes() -> None:
    blocks, problems = parse("::: warning\nCall 110.\n:::\n\n> quoted\n")
    assert problems == []
    assert isinstance(blocks[0], Callout) and blocks[0].kind == "warning"
    assert blocks[0].location.line == 1
    assert isinstance(blocks[1], Quote)


def test_inline_markup() -> None:
    blocks, _ = parse("**bold *both*** and [site](https://example.org)\n")
    strong, _, link = blocks[0].content
    assert strong == Strong((Text("bold ", 1), Emphasis((Text("both", 1),))))
    assert link == Link("https://example.org", (Text("site", 1),), 1)


def test_raw_html_stays_text_and_is_reported() -> None:
    blocks, problems = parse("Hi <script>alert(1)</script>\n")
    assert blocks[0].content == (Text("Hi <script>alert(1)</script>", 1),)
    assert problems == [
        "en/01-x.md:1: raw HTML is not allowed in a handbook and would be printed as text; "
        "remove the tag and use Markdown instead"
    ]


def test_html_block_is_text_too() -> None:
    blocks, problems = parse('<div onclick="x">\nhello\n</div>\n')
    assert isinstance(blocks[0], Paragraph)
    assert [p.split(":")[1] for p in problems] == ["1", "3"]


def test_relative_and_file_links_are_refused() -> None:
    blocks, problems = parse("[a](../secret.txt) [b](file:///etc/passwd)\n")
    assert not any(isinstance(n, Link) for n in blocks[0].content)
    assert problems[0] == (
        'en/01-x.md:1: link target "../secret.txt" is not allowed; links may point only to '
        "http(s), mailto: or tel: addresses (cite statutes with [[law article]])"
    )
    # markdown-it itself refuses file: links: they stay literal text, never a link, and
    # booklet says so rather than print the Markdown.
    assert "[b](file:///etc/passwd)" in blocks[0].content[-1].text
    assert problems[1] == (
        "en/01-x.md:1: this link's target is not allowed (only http(s), mailto: and tel: "
        "addresses are); remove the link or give a web address"
    )


def test_unsupported_constructs_are_reported_with_lines() -> None:
    text = "# T\n\n#### deep\n\n```\ncode\n```\n\n---\n\n::: danger\nx\n:::\n\n- a\n\n  b\n"
    blocks, problems = parse(text)
    assert problems == [
        "en/01-x.md:3: heading level 4 is too deep; use # for the chapter, ## for sections "
        "and ### for subsections",
        "en/01-x.md:5: code blocks are not supported in a handbook; remove the ``` fence or "
        "the four-space indent",
        "en/01-x.md:9: horizontal rules (---, ***) are not supported; start a new section with ##",
        'en/01-x.md:11: unknown callout kind "danger"; use one of: note, tip, warning',
        "en/01-x.md:17: a list item must be a single paragraph (no nested lists or second "
        "paragraphs); make it a separate item or a paragraph after the list",
    ]
    assert isinstance(blocks[0], Heading)


def test_a_pipe_table_is_a_table_of_cells() -> None:
    blocks, problems = parse(
        "# T\n\n| Plazo | Días |\n| :--- | ---: |\n| Contestar \\| responder | **20** |\n"
        "| Apelar |\n\nDespués.\n"
    )
    assert problems == []
    assert [type(b) for b in blocks] == [Heading, Table, Paragraph]
    table = blocks[1]
    assert table.aligns == ("left", "right")
    assert [c.span.text for c in table.cells] == [
        "Plazo",
        "Días",
        "Contestar \\| responder",
        "**20**",
        "Apelar",
        "",
    ]
    assert isinstance(table.rows[0][1].content[0], Strong)
    # Each cell's text sits between its row's markup: replacing it keeps the row.
    first = table.rows[0][0].span
    assert (first.start, first.prefixes, first.suffix) == (4, ("| ",), " | **20** |")
    padded = table.rows[1][1].span  # a short row, padded as markdown-it reads it
    assert padded.prefixes[0] + "5" + padded.suffix == "| Apelar | 5 |"


def test_a_table_inside_a_callout_is_reported() -> None:
    _, problems = parse("::: note\n| a | b |\n| - | - |\n| 1 | 2 |\n:::\n")
    assert problems == [
        "en/01-x.md:2: only paragraphs and lists can go inside a callout; move this out of it"
    ]


def test_only_paragraphs_and_lists_inside_a_callout() -> None:
    _, problems = parse("::: note\n## Heading\n:::\n")
    assert problems == [
        "en/01-x.md:2: only paragraphs and lists can go inside a callout; move this out of it"
    ]


def test_table_colon_right_before_a_table_is_its_caption() -> None:
    blocks, problems = parse("Table: Plazos *legales*\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
    assert problems == []
    (table,) = blocks
    assert table.caption.span.text == "Plazos *legales*"
    assert table.caption.span.prefixes == ("Table: ",)
    assert isinstance(table.caption.content[1], Emphasis)
    blocks, _ = parse("Table: alone\n\nA paragraph.\n")
    assert [type(b) for b in blocks] == [Paragraph, Paragraph]  # no table: no caption
