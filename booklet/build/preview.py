"""`booklet preview`'s pages: one PDF rendered in memory, drawn as PNGs.

Takes a checked handbook, a theme, a `BuildPlan` and the pages to draw; gives the PNGs
of those pages and a contact sheet, written into OUT/<id>/preview/ (nothing else).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from booklet.build.checking import Checked
from booklet.build.plan import BuildPlan
from booklet.build.run import render_outputs
from booklet.build.transaction import output_lock, write_all
from booklet.themes.theme import Theme

PREVIEW_FOLDER = "preview"
"""Where `booklet preview` writes its PNGs, inside a handbook's output folder."""


def preview_handbook(
    checked: Checked,
    theme: Theme,
    plan: BuildPlan,
    created: datetime,
    pages: tuple[int, int | None],
) -> list[Path]:
    """Render the plan's first PDF in memory (nothing else is written) and write PNGs of
    `pages` and a contact sheet into OUT/<id>/preview/; older PNGs of that PDF go. Returns
    the pages' paths, then the contact sheet's."""
    from booklet.outputs.preview import preview_pages

    made = next(
        item
        for item in render_outputs(checked, theme, plan, created, lambda _: None, lambda _: None)
        if item.output.kind == "pdf"
    )
    preview = preview_pages(made.data, *pages)
    folder = plan.out_dir / checked.handbook.id / PREVIEW_FOLDER
    stem = made.path.stem
    files = [(folder / f"{stem}-page-{n:02d}.png", png) for n, png in preview.pages]
    files.append((folder / f"{stem}-contact-sheet.png", preview.contact_sheet))
    with output_lock(plan.out_dir / checked.handbook.id):
        write_all(files)
        kept = {path for path, _ in files}
        for old in folder.glob(f"{stem}-page-*.png"):
            if old not in kept:
                old.unlink()
    return [path for path, _ in files]
