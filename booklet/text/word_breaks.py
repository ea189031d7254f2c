"""Line-break opportunities between the words of scripts written without spaces.

Lao, Khmer and Myanmar leave no space between words, and Pango finds no words in them
(it finds Thai ones through libthai), so a line of them overflows its column or breaks
inside a word. ICU's line breaker knows their words (dictionaries); a ZERO WIDTH SPACE
where it allows a break lets Pango break there. Only runs of those three scripts change:
Thai, Chinese, Japanese and every spaced script are left as they are.
"""

from __future__ import annotations

import re

from icu4py.breakers import LineBreaker

WORD_BREAK = "\u200b"
"""ZERO WIDTH SPACE: a break opportunity that prints nothing, and that neither a PDF's
extracted text (Pango draws no glyph for it) nor a screen reader (it is default
ignorable) takes for a character."""

_UNSPACED_RUN = re.compile(
    "[\u0e80-\u0eff"  # Lao
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer, Khmer symbols
    "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar and its extensions
    "\u200c\u200d]+"  # joiners, which sit inside Khmer and Myanmar words
)


def break_between_words(text: str, language: str) -> str:
    """`text` with a ZERO WIDTH SPACE between the words of each Lao, Khmer or Myanmar run
    (`language`, a BCP 47 tag, picks ICU's rules; the script picks its dictionary)."""
    locale = language or "und"

    def between_words(run: re.Match[str]) -> str:
        return WORD_BREAK.join(LineBreaker(run.group(), locale))

    return _UNSPACED_RUN.sub(between_words, text)
