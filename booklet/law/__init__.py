"""The statute registry's logic: citations resolved and written in each language.

Takes the content model (citations and statutes from booklet.model); gives the articles a
citation names, or a CitationError saying why it names none, and the citation as each
language writes it (numeral systems included). Checks, translations and renderers share
it, so a citation means one thing everywhere. No I/O.
"""
