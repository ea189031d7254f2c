"""Makes a handbook's planned outputs and writes them together, or none of them.

Takes a checked handbook, a theme and a `BuildPlan`; gives the files in OUT/<id>/ and
an `Output` for each. `start_build` plans the outputs (booklet.build.plan) and starts
every one the build cache does not know unchanged in the workers; `finish_build` waits
for them in build order, makes those that are made from others (booklets, printing
sheets), and writes the changed files with the cache's record in one all-or-nothing
write (booklet.build.transaction). How each kind is made is `booklet.build.kinds`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from booklet.build.cache import BuildCache, CachedOutput, build_fingerprint, fingerprint
from booklet.build.checking import Checked, reproducible
from booklet.build.folders import folder_writes, is_bundle, leftovers
from booklet.build.kinds import KINDS
from booklet.build.plan import BuildPlan, PlannedOutput, plan_outputs
from booklet.build.records import Context, Made, Output, Step
from booklet.build.transaction import Spilled, output_lock, recover, write_all
from booklet.build.workers import Pending, Renderer
from booklet.errors import ConfigError, Problem, Severity, SourceLocation, display_path
from booklet.themes.theme import Theme

WARNINGS = "warnings"
"""The key of an output's warnings in its record's summary."""


@dataclass
class Started:
    """A handbook's outputs on their way (`start_build`)."""

    context: Context
    planned: list[PlannedOutput]
    """Every output, in build order."""
    steps: dict[Path, Step]
    """The outputs started (or found unchanged), by path."""


class _Starter:
    """Starts the planned outputs of one build, each once, whatever asks first (an EPUB
    asks for the PDF whose pages it marks)."""

    def __init__(self, planned: list[PlannedOutput]) -> None:
        self.planned = {(item.kind, item.spec): item for item in planned}
        self.steps: dict[Path, Step] = {}
        self.context: Context | None = None

    def __call__(self, item: PlannedOutput) -> Step | None:
        mine = self.planned.get((item.kind, item.spec))
        if mine is None or self.context is None:
            return None
        if mine.path not in self.steps:
            self.steps[mine.path] = start_step(self.context, mine)
        return self.steps[mine.path]


def build_handbook(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
    renderer: Renderer | None = None,
    force: bool = False,
    by_parts: bool = False,
) -> list[Output]:
    """Make every requested output of one handbook that changed and write them all, or
    none; an output the build cache knows is left as it is on disk (`force`: none is).
    `by_parts`: a draft, whose PDFs may be re-rendered by their changed chapters
    (`Context.by_parts`)."""
    started = start_builds(checked, theme, [plan], created, renderer, force, by_parts)
    return finish_build(started, progress, done)


def start_build(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    renderer: Renderer | None = None,
    force: bool = False,
) -> Started:
    """Start making a handbook's outputs (in `renderer`'s workers); `finish_build` waits
    for them and writes them. Several handbooks started first share the workers; an
    output the build cache knows is left as it is on disk (`force`: none is)."""
    return start_builds(checked, theme, [plan], created, renderer, force)


def start_builds(
    checked: Checked,
    theme: Theme,
    plans: Sequence[BuildPlan],
    created: datetime,
    renderer: Renderer | None = None,
    force: bool = False,
    by_parts: bool = False,
) -> Started:
    """`start_build` of several plans for one handbook into one output folder (the kit's
    editions), as one build: one record, one write."""
    out_dir = plans[0].out_dir
    folder = out_dir / checked.handbook.id
    cache = BuildCache(out_dir, checked.handbook.id, folder, enabled=not force)
    return _start(checked, theme, plans, created, renderer or Renderer(1), cache, by_parts)


def _start(
    checked: Checked,
    theme: Theme,
    plans: Sequence[BuildPlan],
    created: datetime,
    renderer: Renderer,
    cache: BuildCache,
    by_parts: bool,
) -> Started:
    planned = list(
        {
            item.path: item for plan in plans for item in plan_outputs(checked.handbook, plan)
        }.values()
    )
    starter = _Starter(planned)
    # The build time is part of an output only when it is fixed (SOURCE_DATE_EPOCH): a
    # build at another time of the same sources is otherwise the same book.
    stamp = created if reproducible() else None
    base_key = build_fingerprint(theme.folders, [f.path for f in checked.faces.values() if f])
    context = Context(
        checked,
        theme,
        plans[0].out_dir,
        created,
        renderer,
        cache,
        base_key,
        fingerprint(checked.handbook),
        stamp,
        starter,
        by_parts,
    )
    starter.context = context
    for item in planned:
        if not KINDS[item.kind].after_sources:
            starter(item)
    return Started(context, planned, starter.steps)


def inputs_key(context: Context, item: PlannedOutput) -> str:
    """The key of what an output is made from: the parsed handbook, the theme, its spec
    and options, and those of the outputs it is made from; and whether it is a draft, so
    that a build after `watch` compares the document itself (a PDF a draft re-rendered
    by its chapters has a key of its own: booklet.build.chapters)."""
    sources = [(s.kind, s.spec, s.imposition, s.path.name) for s in item.sources]
    return fingerprint(
        item.kind,
        context.base_key,
        context.handbook_key,
        item.spec,
        item.imposition,
        sources,
        context.stamp,
        context.by_parts,
    )


def start_step(context: Context, item: PlannedOutput) -> Step:
    """An output from the cache, or its work started. Made from the same parsed handbook,
    theme and options, it is unchanged without even its document being written out;
    otherwise its document decides (a translation's edit leaves the edition in the
    original's language as it was)."""
    cache = context.cache
    inputs = inputs_key(context, item)
    known = cache.unchanged_inputs(item.path, inputs)
    if known is not None:
        return Step(item, known[0].key, inputs, known[0])
    row = KINDS[item.kind]
    document = row.document(context, item)
    known = cache.unchanged(item.path, document.key)
    if known is not None:
        cache.renew(item.path, inputs)
        return Step(item, document.key, inputs, known[0])
    if document.spliced is not None:
        context.spliced.append(document.spliced)
        return Step(item, document.key, inputs, None, document.spliced)
    work = document.work
    pending = context.renderer.submit(work) if row.in_worker else Pending(work, None)
    return Step(item, document.key, inputs, None, pending)


def finish_build(
    started: Started, progress: Callable[[str], None], done: Callable[[Output], None]
) -> list[Output]:
    """Wait for a started handbook's outputs, then write the changed ones and the cache's
    record together, or nothing."""
    writes: list[tuple[Path, bytes | Spilled]] = []
    outputs: list[Output] = []
    cache = started.context.cache
    gone: list[Path] = []

    def keep(made: Made) -> None:
        # Each file waits on disk, not in memory, for the one write of them all.
        outputs.append(made.output)
        if not made.output.unchanged and is_bundle(made.data):
            writes.extend(folder_writes(made.path, made.data))  # a folder: its files
            gone.extend(leftovers(made.path, made.data))
        elif not made.output.unchanged:
            writes.append((made.path, Spilled(made.data, started.context.out_dir, made.path)))

    try:
        _finish(started, progress, done, keep)
        record = cache.record_bytes()
        if record is not None:
            writes.append((cache.path, record))
        if writes:  # an unchanged rebuild touches nothing, not even the folder
            with output_lock(cache.folder):
                recover(cache.path.parent)
                write_all(writes)
                for path in gone:  # once the folder's new files are all in place
                    path.unlink(missing_ok=True)
    finally:
        for _, data in writes:
            if isinstance(data, Spilled):
                data.close()
    return outputs


def render_outputs(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
    renderer: Renderer | None = None,
) -> list[Made]:
    """Render every requested output of one handbook into memory, in build order (no
    cache: everything is made)."""
    folder = plan.out_dir / checked.handbook.id
    cache = BuildCache(plan.out_dir, checked.handbook.id, folder, enabled=False)
    started = _start(
        checked, theme, [plan], created, renderer or Renderer(1), cache, by_parts=False
    )
    made: list[Made] = []
    _finish(started, progress, done, made.append)
    return made


def _finish(
    started: Started,
    progress: Callable[[str], None],
    done: Callable[[Output], None],
    keep: Callable[[Made], None],
) -> None:
    """Make each output in build order and hand it to `keep`; each is let go once made
    (and once the outputs made from it are), so a build holds no more than what `keep`
    holds (a thousand clinic editions)."""
    context = started.context
    # Every tail at once, so the workers render them side by side.
    for edition in context.spliced:
        edition.start(context.renderer)
    context.spliced.clear()
    sources = {source.path for item in started.planned for source in item.sources}
    queue = started.planned[::-1]
    started.planned.clear()
    while queue:
        item = queue.pop()
        progress(f"{item.path.name} ({item.label})")
        step = started.steps.pop(item.path, None) or start_step(context, item)
        made = _made(context, step)
        keep(made)
        done(made.output)
        for source in item.sources:
            context.made.pop(source.path, None)
        if item.path in sources:
            context.made[item.path] = made
            context.summaries[item.path] = made.summary


def _made(context: Context, step: Step) -> Made:
    """An output's bytes: read again from disk when unchanged, else its work's result,
    recorded in the build cache."""
    item = step.item
    if step.cached is not None:
        entry, data = _unchanged_bytes(context.cache, item.path, step.key)
        output = _output(
            context,
            item,
            entry.size,
            0.0,
            entry.pages,
            list(entry.notes),
            entry.summary,
            unchanged=True,
        )
        return Made(item.path, data, output, step.key, _facts(entry.summary))
    assert step.pending is not None
    result = KINDS[item.kind].result(context, step.pending.result(), item)
    summary = {**result.summary, **({WARNINGS: result.warnings} if result.warnings else {})}
    context.cache.remember(
        item.path, step.key, result.data, result.pages, result.notes, summary, step.inputs
    )
    output = _output(
        context, item, len(result.data), step.pending.seconds, result.pages, result.notes, summary
    )
    return Made(item.path, result.data, output, step.key, result.summary)


def _facts(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A record's summary without its warnings: what the printing sheet reads."""
    return {name: value for name, value in summary.items() if name != WARNINGS}


def _output(
    context: Context,
    item: PlannedOutput,
    size: int,
    seconds: float,
    pages: int,
    notes: list[str],
    summary: Mapping[str, Any],
    unchanged: bool = False,
) -> Output:
    found = summary.get(WARNINGS, [])
    warnings = tuple(
        Problem(SourceLocation(item.path, 0), str(text), Severity.WARNING)
        for text in (found if isinstance(found, list) else [])
    )
    return Output(
        item.path,
        KINDS[item.kind].reported_as,
        item.label,
        size,
        seconds,
        pages,
        notes,
        item.purpose,
        item.language,
        item.spec.edition,
        item.spec.clinic or "",
        unchanged,
        warnings,
    )


def _unchanged_bytes(cache: BuildCache, path: Path, key: str) -> tuple[CachedOutput, bytes]:
    """An unchanged output's record and bytes, read when it is its turn (not all at once
    when the build is planned), and checked again."""
    cached = cache.unchanged(path, key)
    if cached is None:
        raise ConfigError(
            f"{display_path(path)}: changed while the build ran; build again, and leave the "
            "output folder alone until it is done"
        )
    return cached
