"""Rendering: the content model and the theme -> HTML and XHTML documents.

Takes a checked handbook and a theme; gives documents for the output stage. `view`
prepares what the templates show (aligned units, contents, legal basis, colophon), with
every piece of source text escaped by `blocks`; `templates` runs the theme's Jinja
templates in a sandbox; `documents` assembles a layout's HTML with its CSS. Layout is
the theme's job (CSS paged media); nothing here computes positions.
"""
