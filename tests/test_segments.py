from booklet.translations.segments import block_spans, rewrite

TEXT = """# Title

> quoted
> line two

::: note
Inside a
callout.

- [ ] box one
  wrapped
- [x] two
:::

Setext
======

## Closed ##

1. first
2. second
"""


def test_segments_keep_markup_out_of_the_text() -> None:
    blocks = block_spans(TEXT)
    assert [(b.index, b.kind) for b in blocks] == [
        (1, "heading"),
        (2, "quote"),
        (3, "callout"),
        (4, "heading"),
        (5, "heading"),
        (6, "list"),
    ]
    pieces = [(s.id, s.prefixes, s.text, s.suffix) for b in blocks for s in b.segments]
    assert pieces == [
        ("1", ("# ",), "Title", ""),
        ("2.1", ("> ", "> "), "quoted\nline two", ""),
        ("3.1", ("", ""), "Inside a\ncallout.", ""),
        ("3.2.1", ("- [ ] ", "  "), "box one\nwrapped", ""),
        ("3.2.2", ("- [x] ",), "two", ""),
        ("4", ("",), "Setext", ""),
        ("5", ("## ",), "Closed", " ##"),
        ("6.1", ("1. ",), "first", ""),
        ("6.2", ("2. ",), "second", ""),
    ]


def test_rewrite_changes_only_the_text() -> None:
    blocks = block_spans(TEXT)
    box = blocks[2].segments[1]
    closed = blocks[4].segments[0]
    result = rewrite(TEXT, [(box, "new box\nsecond line\nthird"), (closed, "Shut")])
    assert "- [ ] new box\n  second line\n  third\n- [x] two" in result
    assert "## Shut ##" in result
    assert rewrite(TEXT, []) == TEXT
    unchanged = [(s, s.text) for b in blocks for s in b.segments]
    assert rewrite(TEXT, unchanged) == TEXT
