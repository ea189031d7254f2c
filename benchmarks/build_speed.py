"""Build-speed benchmark: how long booklet takes to make each output, and how much memory.

Builds the sample handbook (sources/debt-collection) and generated handbooks of about 16,
64 and 256 A5 pages (page counts of the parallel layout), and prints for each handbook and
each output (one PDF per layout on A5 paper, and the EPUB): seconds to make it, seconds per
page, page count and file size; then, per handbook, the peak resident memory (RSS) of the
process that built all its outputs, and the time spent loading, parsing and checking it.

Generated handbooks repeat the sample's five chapters (001-negotiate.md, 002-collectors.md,
...) under the same names in every language, so they stay aligned and pass the checks.
Each handbook is built in a fresh child process (multiprocessing, "spawn") so its peak RSS
is its own. This driver imports neither booklet nor WeasyPrint, so what a child inherits
at start-up is small and is printed too. Figures only: nothing is asserted.

    .venv/bin/python benchmarks/build_speed.py [--sizes 16,64,256] [--layouts parallel]
        [--no-epub] [--skip-sample]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booklet.vocabulary import LAYOUTS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sources" / "debt-collection"
LAWS = ROOT / "sources" / "laws"
PAPER = "a5"
DEFAULT_SIZES = (16, 64, 256)


def with_bytecode() -> None:
    """Compile booklet's modules once, as an installed package (or its first run) has
    them: with PYTHONDONTWRITEBYTECODE set (this machine sets it), every timed process
    would compile the ~150 modules again, 0.08 s of a 0.5 s unchanged rebuild."""
    import compileall

    compileall.compile_dir(str(ROOT / "booklet"), quiet=1)


DEFAULT_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, used unless SOURCE_DATE_EPOCH is set

# Parallel A5 pages of a generated handbook ~ FIXED_PAGES + PAGES_PER_CHAPTER * chapters
# (front and back matter, then the chapters; the contents grow with them). Calibrated by
# building 1, 2, 4, 5, 10 and 18 chapters (10, 16, 22, 26, 40 and 64 pages); only used to
# pick the chapter counts, the page counts printed are the real ones.
FIXED_PAGES = 11.0
PAGES_PER_CHAPTER = 2.9


@dataclass(frozen=True)
class Row:
    """One output of one handbook."""

    output: str
    kind: str
    pages: int
    size: int
    seconds: float


@dataclass(frozen=True)
class Result:
    """Everything measured while building one handbook in its own process."""

    handbook: str
    chapters: int
    check_seconds: float
    build_seconds: float
    rows: list[Row]
    start_rss_kib: int
    peak_rss_kib: int


def chapters_for(pages: int) -> int:
    """How many chapters make a parallel A5 PDF of about `pages` pages."""
    return max(1, round((pages - FIXED_PAGES) / PAGES_PER_CHAPTER))


def make_handbook(tmp: Path, name: str, chapters: int) -> Path:
    """Write `<tmp>/<name>/`: the sample's manifest and `chapters` repeated chapters."""
    folder = tmp / name
    folder.mkdir()
    shutil.copyfile(SAMPLE / "handbook.toml", folder / "handbook.toml")
    width = max(3, len(str(chapters)))
    languages = sorted(p for p in SAMPLE.iterdir() if p.is_dir() and not p.name.startswith("."))
    for language in languages:
        sources = sorted(language.glob("*.md"))
        (folder / language.name).mkdir()
        for number in range(1, chapters + 1):
            source = sources[(number - 1) % len(sources)]
            stem = source.name.split("-", 1)[1]  # 01-negotiate.md -> negotiate.md
            shutil.copyfile(source, folder / language.name / f"{number:0{width}d}-{stem}")
    return folder


def max_rss_kib() -> int:
    """Peak RSS of this process so far, in KiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def build_in_child(
    folder: str, out_dir: str, layouts: list[str], formats: list[str]
) -> dict[str, Any]:
    """Check and build one handbook; runs in a fresh process and returns plain data."""
    start_rss = max_rss_kib()
    from datetime import date

    from booklet.build import BuildPlan, Output, build_handbook, build_time, check_folder
    from booklet.errors import ProblemsFound
    from booklet.themes.theme import load_theme

    theme = load_theme()
    name = Path(folder).name
    started = time.perf_counter()
    try:
        checked = check_folder(Path(folder), theme, date.today(), strict=False)
    except ProblemsFound as error:  # re-raised as a plain error that pickles
        lines = "\n".join(str(problem) for problem in error.problems)
        raise RuntimeError(f"{error}\n{lines}") from None
    check_seconds = time.perf_counter() - started

    def progress(what: str) -> None:
        print(f"  {name}: {what} ...", file=sys.stderr, flush=True)

    def done(output: Output) -> None:
        pages = f"{output.pages} pages, " if output.pages else ""
        print(f"    {pages}{output.seconds:.1f} s", file=sys.stderr, flush=True)

    plan = BuildPlan(layouts, [PAPER], formats, Path(out_dir))
    started = time.perf_counter()
    outputs = build_handbook(checked, theme, plan, build_time(), progress, done)
    build_seconds = time.perf_counter() - started
    return {
        "handbook": name,
        "chapters": len(checked.handbook.chapters),
        "check_seconds": check_seconds,
        "build_seconds": build_seconds,
        "rows": [
            (
                f"{o.label.replace(',', '')} PDF" if o.kind == "pdf" else o.label,
                o.kind,
                o.pages,
                o.size,
                o.seconds,
            )
            for o in outputs
        ],
        "start_rss_kib": start_rss,
        "peak_rss_kib": max_rss_kib(),
    }


def build(folder: Path, out_dir: Path, layouts: list[str], formats: list[str]) -> Result:
    """Build one handbook in a new spawned process and collect its figures."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        data = pool.submit(build_in_child, str(folder), str(out_dir), layouts, formats).result()
    rows = [Row(*row) for row in data.pop("rows")]
    return Result(rows=rows, **data)


HEADER = f"{'handbook':<16} {'output':<26} {'pages':>6} {'size KB':>9} {'seconds':>9} {'s/page':>8}"


def print_rows(result: Result) -> None:
    """The table lines of one handbook: its check, then each output."""
    print(
        f"{result.handbook:<16} {f'check ({result.chapters} chapters)':<26} {'-':>6} "
        f"{'-':>9} {result.check_seconds:>9.2f} {'-':>8}"
    )
    for row in result.rows:
        pages = str(row.pages) if row.pages else "-"
        per_page = f"{row.seconds / row.pages:.3f}" if row.pages else "-"
        print(
            f"{result.handbook:<16} {row.output:<26} {pages:>6} {row.size / 1024:>9.0f} "
            f"{row.seconds:>9.2f} {per_page:>8}"
        )
    sys.stdout.flush()


def print_memory(result: Result) -> None:
    outputs = f"{len(result.rows)} output{'s' if len(result.rows) != 1 else ''}"
    print(
        f"peak RSS {result.handbook}: {result.peak_rss_kib / 1024:.0f} MB "
        f"({outputs}, {result.build_seconds:.1f} s in build_handbook incl. imports and writes; "
        f"{result.start_rss_kib / 1024:.0f} MB at child start)"
    )


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="target parallel A5 page counts of the generated handbooks (default: %(default)s)",
    )
    parser.add_argument(
        "--layouts",
        default=",".join(LAYOUTS),
        help="PDF layouts to build (default: %(default)s)",
    )
    parser.add_argument("--no-epub", action="store_true", help="build PDFs only")
    parser.add_argument("--skip-sample", action="store_true", help="leave out the sample handbook")
    args = parser.parse_args(argv)
    try:
        args.sizes = list(dict.fromkeys(int(size) for size in comma_list(args.sizes)))
    except ValueError:
        parser.error(f"--sizes: {args.sizes!r} is not a list of page counts, e.g. 16,64")
    if any(size < 1 for size in args.sizes):
        parser.error("--sizes: page counts must be positive")
    args.layouts = comma_list(args.layouts)
    unknown = [layout for layout in args.layouts if layout not in LAYOUTS]
    if unknown:
        parser.error(f"--layouts: unknown {', '.join(unknown)}; use {', '.join(LAYOUTS)}")
    if not args.layouts and args.no_epub:
        parser.error("nothing to build: no layouts and --no-epub")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)  # inherited by the children
    formats = ["pdf", "epub"] if not args.no_epub else ["pdf"]
    if not args.layouts:
        formats = ["epub"]
    results: list[Result] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="booklet-bench-") as name:
        tmp = Path(name)
        shutil.copytree(LAWS, tmp / "laws")
        folders = [] if args.skip_sample else [SAMPLE]
        for size in args.sizes:
            folders.append(make_handbook(tmp, f"bench-{size}", chapters_for(size)))
        print(
            f"booklet build speed: {PAPER.upper()}, layouts {', '.join(args.layouts) or '-'}, "
            f"formats {', '.join(formats)}, SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']}"
        )
        print(HEADER)
        for folder in folders:
            result = build(folder, tmp / "out", args.layouts, formats)
            results.append(result)
            print_rows(result)
    print()
    for result in results:
        print_memory(result)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
