"""The records a build passes between its steps: what a file is on its way, and made.

Takes nothing from the other stages but their types; gives `Output` (what a command
reports of a file), `Made` (a file made, not written yet), `Document` (what a planned
output is made from: its key and its work), `Step` (an output on its way) and `Context`
(one handbook's build: its options, cache, workers and what is under way).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from booklet.build.cache import BuildCache, CachedOutput
from booklet.build.checking import Checked
from booklet.build.plan import PlannedOutput
from booklet.build.workers import Pending, Renderer
from booklet.errors import Problem
from booklet.themes.theme import Theme
from booklet.vocabulary import Edition

if TYPE_CHECKING:
    from booklet.outputs.pdf import RenderedPdf


@dataclass(frozen=True)
class Output:
    """One file a build produced."""

    path: Path
    """Where it was written."""
    kind: str
    """`pdf`, `booklet` or `epub`."""
    label: str
    """What it is, for the progress line (`parallel, A5`)."""
    size: int
    """Bytes."""
    seconds: float
    """Time it took to make."""
    pages: int = 0
    """Pages of a PDF."""
    notes: list[str] = field(default_factory=list)
    """Extra facts worth showing (embedded font sizes)."""
    purpose: str = ""
    """What it is for: a layout's name, `language` (one language), `booklet`,
    `printing` (the printing sheet), `proof` or `epub`."""
    language: str = ""
    """The one language it is in, for an edition in one language."""
    edition: Edition = Edition.STANDARD
    """`standard` or `large-print`."""
    clinic: str = ""
    """The clinic whose edition it is."""
    unchanged: bool = False
    """The file on disk was already this output (the build cache knew it): not written."""
    warnings: tuple[Problem, ...] = ()
    """What is wrong with it that the author should fix (a back cover running over)."""


@dataclass(frozen=True)
class Made:
    """One output rendered in memory (or found unchanged on disk), not written yet."""

    path: Path
    data: bytes
    output: Output
    key: str = ""
    """The build cache's key of it."""
    summary: Mapping[str, Any] = field(default_factory=dict)
    """What the printing sheet says of a booklet (its file, sheets, sets)."""


@dataclass(frozen=True)
class Result:
    """What a kind makes of its work's result: the file's bytes and facts."""

    data: bytes
    pages: int = 0
    notes: list[str] = field(default_factory=list)
    """Facts shown under its progress line."""
    warnings: list[str] = field(default_factory=list)
    """Problems of the file (shown as warnings, and in `--json`)."""
    summary: dict[str, Any] = field(default_factory=dict)
    """Kept in the build record (a PDF's anchors' pages, a booklet's sheets)."""


class Spliced(Protocol):
    """A clinic edition on its way (booklet.build.pdfs): its tail starts once its body is
    laid out."""

    seconds: float

    def start(self, renderer: Renderer) -> None: ...

    def result(self) -> RenderedPdf: ...


@dataclass(frozen=True)
class Document:
    """What a planned output is made from: its key (the build cache's), and the work that
    makes it, started only when the cache has no file of that key."""

    key: str
    work: Callable[[], Any]
    """Made in a worker or here, as its kind says."""
    spliced: Spliced | None = None
    """A clinic edition is made by splicing instead of by `work`."""


@dataclass
class Step:
    """One planned output on its way: from the cache, or from its work."""

    item: PlannedOutput
    key: str
    inputs: str
    """The key of what it is made from (the parsed handbook, the theme, the options)."""
    cached: CachedOutput | None
    """The record of an unchanged output (its bytes are read when it is finished)."""
    pending: Pending[Any] | Spliced | None = None


@dataclass
class Context:
    """One handbook's build: what every kind's functions need."""

    checked: Checked
    theme: Theme
    out_dir: Path
    """The output folder (each handbook has a folder inside it)."""
    created: datetime
    renderer: Renderer
    cache: BuildCache
    base_key: str
    """The key of the theme's files, the fonts and booklet's code."""
    handbook_key: str
    """The key of the parsed handbook."""
    stamp: datetime | None
    """The build time when it is fixed (SOURCE_DATE_EPOCH), part of every key."""
    step_of: Callable[[PlannedOutput], Step | None]
    """The step of an output planned in this build (started if it was not), or None."""
    by_parts: bool = False
    """A draft (`booklet watch`): a PDF may be re-rendered by its changed chapters and
    spliced into the one on disk (booklet.build.chapters), so its bytes depend on the
    build before; a build never is, so the same sources give the same bytes."""
    made: dict[Path, Made] = field(default_factory=dict)
    """Outputs made that later ones are made from (a booklet's PDF), until they are."""
    summaries: dict[Path, Mapping[str, Any]] = field(default_factory=dict)
    """What each booklet made says, for its printing sheet."""
    shared: dict[object, Any] = field(default_factory=dict)
    """Work shared by several outputs (the body of every clinic edition of a layout)."""
    spliced: list[Spliced] = field(default_factory=list)
    """Clinic editions to splice, once their bodies are laid out."""
