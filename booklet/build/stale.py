"""Stale files: the copies booklet made in a handbook's output folder from older sources.

Takes an output folder, a handbook id and the revision its sources give now
(booklet.sources.revision.copy_revision); gives each file booklet made there (by its records,
with the bytes it wrote: booklet.build.made) whose own revision (read back from the file,
booklet.outputs.identity) is another, with the command that makes it again. A file that
says no revision (made before booklet wrote one) is stale too: nobody can tell.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from booklet.build.made import is_made, made_files
from booklet.build.plan import BuildPlan
from booklet.model import CopyOf, Handbook
from booklet.outputs.identity import read_identity, speaking_file
from booklet.vocabulary import FACING_LANGUAGES, Edition, Layout, OutputFormat


@dataclass(frozen=True)
class StaleFile:
    """A copy made from sources older than the handbook's now."""

    path: Path
    """Where it is (inside OUT/<id>/)."""
    revision: str
    """The revision it was made from; empty when it says none."""
    copy: CopyOf | None
    """Which edition it is, as it says (None when it says nothing)."""
    unmakeable: str = ""
    """Why the handbook can no longer make its edition (`its clinic north is no longer in
    the handbook`), or "": it cannot be made again, only removed."""


def unmakeable(copy: CopyOf | None, handbook: Handbook | None) -> str:
    """Why `handbook` can no longer make `copy`: its clinic or language is gone, or it is
    in facing pages and the handbook no longer has two languages; "" when it can."""
    if copy is None or handbook is None:
        return ""
    if copy.clinic and copy.clinic not in {clinic.id for clinic in handbook.clinics}:
        return f"its clinic {copy.clinic} is no longer in the handbook"
    if copy.language and copy.language not in handbook.languages:
        return f"its language {copy.language} is no longer in the handbook"
    count = len(handbook.languages)
    if copy.layout == Layout.FACING and count != FACING_LANGUAGES:
        return (
            "its facing layout shows two languages, one on each page of a spread, and the "
            f"handbook now has {count}"
        )
    return ""


def stale_files(
    out_dir: Path,
    handbook_id: str,
    revision: str,
    current: Collection[Path] = (),
    handbook: Handbook | None = None,
) -> list[StaleFile]:
    """Every file booklet made in OUT/<id>/ from a revision other than `revision`, by
    name, each with why `handbook` (when given) can no longer make it. Files changed since
    booklet made them, or not made by it, are not listed, nor `current` ones (just made:
    not read again)."""
    folder = out_dir / handbook_id
    if folder.is_symlink():
        return []
    stale = []
    for name, entry in sorted(made_files(out_dir, handbook_id).items()):
        path = folder / name
        if path in current or not is_made(path, entry):
            continue
        identity = read_identity(speaking_file(path).read_bytes())
        if identity is None:
            stale.append(StaleFile(path, "", None))
        elif identity.revision != revision:
            why = unmakeable(identity.copy, handbook)
            stale.append(StaleFile(path, identity.revision, identity.copy, why))
    return [_sheet_of(item, stale) for item in stale]


def _sheet_of(item: StaleFile, stale: Sequence[StaleFile]) -> StaleFile:
    """`item`, unmakeable when it is a printing sheet (made again with its booklets: on
    its paper, `a5` for `a5-sheet`) whose older booklets beside it can none of them be
    made again (facing pages of a handbook now in one language): `--stale` would never
    make it."""
    copy = item.copy
    if copy is None or copy.layout != "printing" or item.unmakeable:
        return item
    booklets = [
        other
        for other in stale
        if other.copy is not None
        and other.copy.imposed
        and f"{other.copy.paper}-sheet" == copy.paper
    ]
    if booklets and all(other.unmakeable for other in booklets):
        return replace(item, unmakeable="none of the booklets it lists can be made again")
    return item


def refresh_command(stale: StaleFile, handbook: str, out_dir: str = "output") -> str:
    """The command that makes `stale` again (`handbook`: its folder, as the user names
    it): `booklet build HANDBOOK --layout parallel --paper a5 --format pdf ...`, or
    `booklet kit HANDBOOK ...` for a kit. A file that says nothing: a plain build."""
    copy = stale.copy
    out = [] if out_dir == "output" else ["--out", out_dir]
    if copy is None:
        return " ".join(["booklet", "build", handbook, *out])
    clinic = ["--clinic", copy.clinic] if copy.clinic else []
    if copy.format == "kit":
        return " ".join(["booklet", "kit", handbook, *clinic, *out])
    words = ["booklet", "build", handbook]
    if copy.format in (OutputFormat.EPUB, OutputFormat.HTML):
        words += ["--format", copy.format]
    elif copy.layout == "printing":
        words += ["--impose", "booklet", "--format", "pdf"]
    elif copy.layout == "proof":
        words += ["--proof", "--format", "pdf"] + (["--paper", copy.paper] if copy.paper else [])
    else:
        if copy.layout and not copy.language:
            words += ["--layout", copy.layout]
        words += ["--paper", copy.paper] if copy.paper else []
        words += ["--format", "pdf"]
        words += ["--impose", "booklet"] if copy.imposed else []
    words += ["--edition", copy.edition] if copy.edition != "standard" else []
    words += ["--print-shop"] if copy.print_shop else []
    words += ["--language", copy.language] if copy.language else []
    return " ".join([*words, *clinic, *out])


def plan_of(copy: CopyOf, out_dir: Path) -> BuildPlan | None:
    """The build plan that makes `copy` again: its layout (or one language), paper,
    edition, clinic, and its booklet when it is one; None for a printing sheet (made
    again with its booklets) and a kit (`stale_kits`: packed from its own plans)."""
    if copy.format == "kit" or copy.layout == "printing":
        return None
    pdf = copy.format == OutputFormat.PDF
    layouts = [Layout(copy.layout)] if copy.layout in list(Layout) and not copy.language else []
    return BuildPlan(
        layouts if pdf else [],
        [copy.paper] if copy.paper and pdf else [],
        [OutputFormat(copy.format)],
        out_dir,
        edition=Edition(copy.edition),
        print_shop=copy.print_shop,
        impose=copy.imposed,
        imposed_layouts=layouts,
        proof=copy.layout == "proof",
        clinics=[copy.clinic] if copy.clinic else [],
        languages=[copy.language] if copy.language else [],
    )


def stale_plans(stale: Sequence[StaleFile], out_dir: Path) -> list[BuildPlan]:
    """The plans that make the stale files again (not those the handbook can no longer
    make: `StaleFile.unmakeable`): one per edition (paper, clinic, ...), its layouts
    together, so a printing sheet lists every booklet it listed before."""
    merged: dict[BuildPlan, BuildPlan] = {}
    remade = [item.copy for item in stale if item.copy is not None and not item.unmakeable]
    for plan in (plan_of(copy, out_dir) for copy in remade):
        if plan is None:
            continue
        key = replace(plan, layouts=(), imposed_layouts=(), impose=False)
        before = merged.get(key)
        if before is not None:
            plan = replace(
                plan,
                layouts=list(dict.fromkeys([*before.layouts, *plan.layouts])),
                imposed_layouts=list(
                    dict.fromkeys([*before.imposed_layouts, *plan.imposed_layouts])
                ),
                impose=before.impose or plan.impose,
            )
        merged[key] = plan
    return list(merged.values())


def stale_kits(stale: Sequence[StaleFile]) -> list[list[str]]:
    """The kits to pack again, as `booklet.build.kit.pack_kits` takes them: the generic
    kit (no clinics) and the clinics' kits, in the order the stale list names them."""
    kits = [
        item.copy
        for item in stale
        if item.copy is not None and item.copy.format == "kit" and not item.unmakeable
    ]
    clinics = list(dict.fromkeys(copy.clinic for copy in kits if copy.clinic))
    generic: list[list[str]] = [[]] if any(not copy.clinic for copy in kits) else []
    return generic + ([clinics] if clinics else [])
