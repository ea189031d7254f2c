"""booklet: checked bilingual Markdown handbooks -> printable PDF and EPUB 3, offline."""

__version__ = "0.1.0"
