"""Jinja for theme templates: a sandboxed environment, filters, and located template errors.

Takes the theme; gives rendered text. A template from elsewhere cannot run code, change
the data it is given, read a file outside the theme folders (no symlink, no include out),
or run without bounds (the size of what `*` and `**` make, recursion, output, time); a
broken one is a RenderError naming its file and line.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from booklet.errors import ConfigError, RenderError
from booklet.text.placeholders import fill
from booklet.themes.theme import Theme, theme_text


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


MAX_OUTPUT = 20 * 1024 * 1024
"""Characters a template may make, and the largest string or list `*` may build."""
MAX_SECONDS = 30
"""Time one template may take (the default theme's take well under a second)."""


class ConfinedLoader(BaseLoader):
    """Templates of one theme folder, read through booklet.themes.theme_text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.templates = folder / "templates"

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates.joinpath(*template.split("/"))
        if ".." in template.split("/") or not path.is_file():
            raise TemplateNotFound(template)
        text = theme_text(path, self.folder)
        seen = _file_state(path)
        # Compiled once, and again only when the file changes (a theme being edited).
        return text, str(path), lambda: _file_state(path) == seen


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class ThemeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with the size of repetition and powers bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if (
            operator == "**"
            and (abs(left) > 1 if isinstance(left, int | float) else True)
            and (not isinstance(right, int | float) or right > 64)
        ):
            raise SecurityError("a power this large is not allowed in a theme template")
        if operator == "*":
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_OUTPUT:
                raise SecurityError("a repetition this large is not allowed in a theme template")
        return super().call_binop(context, operator, left, right)


class _TooLong(Exception):
    """A template ran past MAX_SECONDS."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Stop what runs in the main thread after `seconds` (elsewhere, no timer is set)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(_number: int, _frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def isolate(text: str) -> str:
    """`text` as a unit of its own direction inside text of another (Unicode's first-strong
    isolate): an English running head on an Arabic page reads "What is a deposit?", not
    "?What is a deposit". For text Pango lays out; HTML has `<bdi>` and `dir`."""
    return f"\u2068{text}\u2069"


def environment(theme: Theme) -> Environment:
    """Jinja for theme templates, sandboxed: a theme from elsewhere must not be able to run
    code or read files through Python objects (`cycler.__init__.__globals__`...).

    One per theme, so each template is compiled once per run (compiling took longer than
    rendering); Jinja still reloads a template whose file changed."""
    return _environment(theme.folders)


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> Environment:
    env = ThemeEnvironment(
        loader=ChoiceLoader([ConfinedLoader(folder) for folder in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["isolate"] = isolate
    env.filters["fill"] = fill
    env.filters["css_template"] = css_template
    env.filters["css_fonts"] = lambda families: Markup(", ".join(css_string(f) for f in families))
    env.filters["per_language"] = lambda texts, langs: " / ".join(texts[lang.tag] for lang in langs)
    env.filters["interface_text"] = lambda langs, name: " / ".join(
        dict.fromkeys(lang.text[name] for lang in langs)
    )
    return env


_TEMPLATE_FAULTS = (
    TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
    MemoryError,
    _TooLong,
)
"""What a theme's template can raise by its own fault (booklet's bugs are not caught)."""


def render_template(env: Environment, name: str, context: Mapping[str, Any], **extra: Any) -> str:
    """Render a theme template; a broken template is a RenderError naming its file and line."""
    try:
        with _deadline(MAX_SECONDS):
            made: list[str] = []
            size = 0
            for chunk in env.get_template(name).generate(context, **extra):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise SecurityError("the template makes more text than a handbook needs")
                made.append(chunk)
            return "".join(made)
    except ConfigError as error:  # a theme file that cannot be read (theme_text)
        raise RenderError(str(error)) from None
    except _TEMPLATE_FAULTS as error:
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
        if isinstance(error, _TooLong):
            what = f"it ran longer than {MAX_SECONDS} s"
        elif isinstance(error, RecursionError):
            what = "it calls itself too deeply"
        else:
            what = getattr(error, "message", None) or str(error) or type(error).__name__
        raise RenderError(f"{at}: template error: {what}; fix the theme template") from None


def stylesheet(theme: Theme, names: Sequence[str], generated: str) -> Markup:
    """The CSS of a document: the theme's files `names` in order, then the CSS generated
    from the handbook (fonts, interface text), then every `theme.css` override."""
    parts = [theme.stylesheets.get(name, "") for name in names]
    return Markup("\n").join(Markup(part) for part in [*parts, generated, *theme.overrides])
