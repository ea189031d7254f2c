"""Jinja for theme templates: a sandboxed environment, filters, and located template errors.

Takes the theme; gives rendered text. A template from elsewhere cannot run code or read
files, and a broken one is a RenderError naming its file and line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from booklet.errors import RenderError
from booklet.text.placeholders import fill
from booklet.themes.theme import Theme


def css_string(value: object) -> Markup:
    """A CSS string literal, safe inside a <style> element."""
    escaped = []
    for char in str(value):
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return Markup('"' + "".join(escaped) + '"')


def css_template(value: str, field: str = "page") -> tuple[Markup, Markup]:
    """Split `" (p. {page})"` around its placeholder into two CSS strings."""
    before, _, after = value.partition("{" + field + "}")
    return css_string(before), css_string(after)


def environment(theme: Theme) -> Environment:
    """Jinja for theme templates, sandboxed: a theme from elsewhere must not be able to run
    code or read files through Python objects (`cycler.__init__.__globals__`...)."""
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folder / "templates") for folder in theme.folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["fill"] = fill
    env.filters["css_template"] = css_template
    env.filters["css_fonts"] = lambda families: Markup(", ".join(css_string(f) for f in families))
    env.filters["per_language"] = lambda texts, langs: " / ".join(texts[lang.tag] for lang in langs)
    env.filters["interface_text"] = lambda langs, name: " / ".join(
        dict.fromkeys(lang.text[name] for lang in langs)
    )
    return env


def render_template(env: Environment, name: str, context: Mapping[str, Any], **extra: Any) -> str:
    """Render a theme template; a broken template is a RenderError naming its file and line."""
    try:
        return env.get_template(name).render(context, **extra)
    except TemplateError as error:
        where = getattr(error, "filename", None) or name
        line = getattr(error, "lineno", None)
        if line is None:
            # Runtime errors carry the template position only in their traceback.
            tb = error.__traceback__
            while tb is not None:
                code = tb.tb_frame.f_code
                if code.co_filename.endswith(".j2"):
                    where, line = code.co_filename, tb.tb_lineno
                tb = tb.tb_next
        at = f"{where}:{line}" if line else where
        raise RenderError(f"{at}: template error: {error.message or error}") from None


def stylesheet(theme: Theme, names: Sequence[str], generated: str) -> Markup:
    """The CSS of a document: the theme's files `names` in order, then the CSS generated
    from the handbook (fonts, interface text), then every `theme.css` override."""
    parts = [theme.stylesheets.get(name, "") for name in names]
    return Markup("\n").join(Markup(part) for part in [*parts, generated, *theme.overrides])
