"""The build plan as data (booklet.build.plan, booklet.build.kinds): what a build makes,
planned without rendering anything."""

from __future__ import annotations

import ast
from pathlib import Path

from booklet.build.kinds import KINDS
from booklet.build.plan import BuildPlan, DocumentSpec, plan_outputs, published_plans
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook
from booklet.vocabulary import LAYOUTS, Edition, Layout, OutputFormat, OutputKind

OUT = Path("out")


def names(mini: Path, plan: BuildPlan) -> list[tuple[str, str]]:
    handbook, _ = parse_handbook(load_handbook(mini))
    return [
        (item.path.relative_to(OUT / "handbook").as_posix(), item.kind.value)
        for item in plan_outputs(handbook, plan)
    ]


def test_every_kind_has_its_row_and_the_executor_has_no_branch_on_a_kind() -> None:
    assert set(KINDS) == set(OutputKind)
    run = Path(__file__).resolve().parent.parent / "booklet" / "build" / "run.py"
    tree = ast.parse(run.read_text(encoding="utf-8"))
    compared = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and "OutputKind" in ast.unparse(node)
    ]
    assert compared == []


def test_each_booklet_follows_its_pdf_and_the_printing_sheet_its_booklets(mini: Path) -> None:
    plan = BuildPlan(
        ["parallel", "interleaved"],
        (),
        ["pdf", "epub"],
        OUT,
        impose=True,
        imposed_layouts=["interleaved"],
    )
    assert names(mini, plan) == [
        ("handbook-parallel-a5.pdf", "pdf"),
        ("handbook-interleaved-a5.pdf", "pdf"),
        ("handbook-interleaved-a5-booklet.pdf", "booklet"),
        ("handbook-a5-printing.pdf", "printing"),
        ("handbook.epub", "epub"),
    ]


def test_an_epub_names_its_print_edition_whether_planned_or_not(mini: Path) -> None:
    handbook, _ = parse_handbook(load_handbook(mini))
    [epub] = plan_outputs(handbook, BuildPlan([], (), [OutputFormat.EPUB], OUT))
    assert epub.print_edition is not None
    assert epub.print_edition.path == OUT / "handbook" / "handbook-interleaved-a5.pdf"
    assert epub.print_edition.spec == DocumentSpec(Layout.INTERLEAVED, "a5")
    [one] = plan_outputs(handbook, BuildPlan([], (), ["epub"], OUT, languages=["en"]))
    assert one.print_edition is not None
    assert one.print_edition.spec == DocumentSpec(Layout.SEQUENTIAL, "a5", language="en")


def test_clinic_and_large_print_editions_are_named_and_placed(mini: Path) -> None:
    plan = BuildPlan(
        ["interleaved"], (), ["pdf"], OUT, edition=Edition.LARGE_PRINT, clinics=["north"]
    )
    assert names(mini, plan) == [
        ("north/handbook-north-interleaved-a4-large-print.pdf", "pdf"),
    ]


def test_a_plan_takes_names_or_enums_and_holds_enums() -> None:
    plan = BuildPlan(["parallel"], ["a5"], ["pdf"], OUT, edition="large-print")
    assert plan.layouts == (Layout.PARALLEL,)
    assert plan.formats == (OutputFormat.PDF,)
    assert plan.edition is Edition.LARGE_PRINT
    assert hash(plan) == hash(
        BuildPlan([Layout.PARALLEL], ("a5",), ["pdf"], OUT, edition=Edition.LARGE_PRINT)
    )


def test_without_a_publish_table_a_plain_build_makes_the_layouts_and_the_epub(
    mini: Path,
) -> None:
    handbook, _ = parse_handbook(load_handbook(mini))
    assert published_plans(handbook, OUT) == [BuildPlan(list(LAYOUTS), (), list(OutputFormat), OUT)]
