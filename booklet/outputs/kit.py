"""The distribution kit: every file a clinic hands out, in one reproducible ZIP.

Takes the handbook (and the clinic of a clinic edition), the files already rendered
(reading PDFs, the fold-and-staple booklet and its printing sheet, large print, EPUB,
the editions in one language) with what each is for; gives the ZIP's bytes. The files
sit in one folder with an `index.html` that works offline from a USB stick or a phone's
file manager (every handbook language, each file with what it is for, its size and
pages), a `README.txt` saying the same in plain text, and a `SHA256SUMS` that
`sha256sum -c` accepts. Entries are sorted and stamped with the build time, so the same
sources and SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booklet.model import Clinic, CopyOf, Handbook
from booklet.outputs.archive import zip_bytes
from booklet.render.templates import environment, render_template
from booklet.render.view import book_view, pdf_targets
from booklet.text.placeholders import fill
from booklet.themes.interface_text import language_name
from booklet.themes.theme import Theme
from booklet.vocabulary import Edition, Layout


@dataclass(frozen=True)
class KitFile:
    """A rendered file to put in the kit."""

    name: str
    """Its file name in the kit."""
    data: bytes
    purpose: str
    """A layout's name, `language`, `booklet`, `printing` or `epub` (booklet.build.Output)."""
    pages: int = 0
    """Pages of a PDF; 0 for an EPUB."""
    language: str = ""
    """The one language of an edition in one language."""
    edition: Edition = Edition.STANDARD
    files: tuple[tuple[str, bytes], ...] = ()
    """A folder's files by their names inside it (the HTML edition, `name` its folder)."""

    @property
    def href(self) -> str:
        """What the kit's index links to: the file, or a folder's `index.html`."""
        return f"{self.name}/index.html" if self.files else self.name

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.files) if self.files else len(self.data)


def human_size(size: int, number: Callable[[int], str] = str, point: str = ".") -> str:
    """`230 KB`, `1.4 MB`: what a file manager shows; `number` writes the digits of the
    reader's language and `point` is its decimal sign (Persian: ۱٫۴ MB)."""
    if size < 1_000_000:
        return f"{number(max(1, round(size / 1000)))} KB"
    whole, tenth = divmod(round(size / 100_000), 10)
    return f"{number(whole)}{point}{number(tenth)} MB"


def describe(file: KitFile, text: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """What a file is for, in the language of `text` (`names`: language -> its name in
    that language)."""
    if file.purpose == "html":
        return str(text.get("kit_html", "Read now, in the browser (no app, no internet)"))
    if file.edition == Edition.LARGE_PRINT and file.purpose not in ("booklet", "printing"):
        return str(text["kit_large_print"])
    if file.purpose == "epub":
        if file.language:
            return fill(text["kit_language_epub"], language=names[file.language])
        return str(text["kit_epub"])
    if file.purpose == "language":
        return fill(text["kit_language_pdf"], language=names[file.language])
    if file.purpose in ("booklet", "printing") or file.purpose in list(Layout):
        return str(text[f"kit_{file.purpose}"])
    raise ValueError(f"no description for a {file.purpose!r} file")


def make_kit(
    handbook: Handbook,
    theme: Theme,
    files: Sequence[KitFile],
    folder: str,
    created: datetime,
    clinic: Clinic | None = None,
) -> bytes:
    """The kit's ZIP: `folder/` holding the files, index.html, README.txt, SHA256SUMS."""
    view = book_view(handbook, theme, pdf_targets(handbook), clinic=clinic)
    languages = view["languages"]
    names = {
        reader.tag: {
            lang.tag: language_name(lang.tag, reader.tag, lang.text["language_name"])
            for lang in languages
        }
        for reader in languages
    }
    ordered = sorted(files, key=lambda f: (_ORDER.index(_group(f)), f.language, f.name))
    rows = [
        {
            "name": file.name,
            "href": file.href,
            "read": bool(file.files),
            "size": {
                lang.tag: human_size(file.size, lang.number, lang.decimal_sign)
                for lang in languages
            },
            "pages": {
                lang.tag: fill(lang.text["kit_pages"], pages=lang.number(file.pages))
                for lang in languages
            }
            if file.pages
            else {},
            "what": {lang.tag: describe(file, lang.text, names[lang.tag]) for lang in languages},
        }
        for file in ordered
    ]
    titles = {
        lang.tag: fill(lang.text["kit_title"], title=handbook.title[lang.tag]) for lang in languages
    }
    env = environment(theme)
    copy = CopyOf(handbook.id, "kit", clinic=clinic.id if clinic else "").text()
    index = render_template(
        env,
        "kit-index.html.j2",
        {"book": view, "xhtml": False},
        rows=rows,
        titles=titles,
        copy_id=copy,
    )
    readme = _readme(languages, titles, rows, view["revision_text"])
    # Last, for booklet identify: which handbook and edition, from which sources.
    readme += f"\n{copy} revision {view['revision']}\n"
    entries = {file.name: file.data for file in files if not file.files}
    for folder_file in files:
        entries.update({f"{folder_file.name}/{n}": data for n, data in folder_file.files})
    entries["index.html"] = index.encode("utf-8")
    entries["README.txt"] = readme.encode("utf-8")
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(entries.items())
    )
    entries["SHA256SUMS"] = sums.encode("ascii")
    return zip_bytes(
        [(f"{folder}/{name}", data) for name, data in sorted(entries.items())], created
    )


_ORDER = ("read", "reading", "epub", "booklet", "large-print", "language")
"""How the index lists the files: the everyday ones first."""


def _group(file: KitFile) -> str:
    if file.purpose == "html":
        return "read"
    if file.edition == Edition.LARGE_PRINT:
        return "large-print"
    if file.language:
        return "language"
    if file.purpose in ("booklet", "printing"):
        return "booklet"
    return "epub" if file.purpose == "epub" else "reading"


def _readme(
    languages: Sequence[Any],
    titles: Mapping[str, str],
    rows: Sequence[Any],
    revision: Mapping[str, str],
) -> str:
    """The index in plain text, for a device that shows no HTML."""
    parts = []
    for lang in languages:
        lines = [titles[lang.tag], revision[lang.tag], "", str(lang.text["kit_intro"]), ""]
        for row in rows:
            facts = ", ".join(filter(None, [row["pages"].get(lang.tag, ""), row["size"][lang.tag]]))
            lines += [f"{row['name']} ({facts})", f"    {row['what'][lang.tag]}"]
        parts.append("\n".join(lines))
    parts.append("sha256sum -c SHA256SUMS")
    return "\n\n".join(parts) + "\n"
