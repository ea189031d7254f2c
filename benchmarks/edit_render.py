"""What a build costs after an edit, re-rendering by chapter (issue 30), side by side.

Generates a handbook of about 180 pages from the sample's structure (its five chapters,
each written --copies times under new names, their translations recorded as current in
translations.lock), builds one layout of it once, then times, each as a whole process
(`booklet build --draft` as a user runs it, or `watch` on each save, median of --runs):

- the layout's full render (`--force`): the unit every ratio is quoted in;
- one word changed in one chapter (same page count): the chapter, the about page and the
  back cover (which print the revision) re-rendered and spliced in
  (booklet.build.chapters); the issue's goal is at most 0.25 of a full render;
- a paragraph added to a chapter (its page count changes): the issue's goal is 0.6.
  Every chapter cites the legal basis at the end, so every part but the cover moves or
  cites a page that moved: after the chapter itself, they are rendered again in runs
  side by side in the workers (booklet.build.by_parts), about half a whole render on
  two cores; with one worker the book is rendered whole.

After each edit the result is compared with a `--force` build of the same sources
(tests/pdf_sameness.py: text per page, bookmarks, structure tree, links, named
destinations, page labels), and any difference is printed.

    .venv/bin/python benchmarks/edit_render.py [--layout parallel] [--copies 5] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_speed import with_bytecode  # noqa: E402

from tests.pdf_sameness import differences  # noqa: E402

SAMPLE = ROOT / "sources" / "debt-collection"
WORD = (" the ", " this ")
"""The one word changed (its first occurrence), in the English of the middle chapter."""
PARAGRAPH = (
    "\n\n" + "借款合同是有法律依据的，请保留所有证据，并记下每次联系的时间和内容。" * 15 + "\n"
)
"""The paragraph added, in the original language (so every layout prints it)."""


def generate(folder: Path, copies: int) -> Path:
    """The sample with each chapter written `copies` times, numbered on."""
    handbook = folder / "big"
    shutil.copytree(SAMPLE, handbook)
    shutil.copytree(ROOT / "sources" / "laws", folder / "laws")
    chapters = sorted(p.name for p in (SAMPLE / "zh-Hans").glob("*.md"))
    lock = (SAMPLE / "translations.lock").read_text("utf-8")
    extra: list[str] = []
    for copy in range(1, copies):
        for name in chapters:
            number, rest = name.split("-", 1)
            new = f"{copy * len(chapters) + int(number):02d}-{rest}"
            for language in ("zh-Hans", "en"):
                shutil.copy(SAMPLE / language / name, handbook / language / new)
            extra += [
                line.replace(f"unit {name} ", f"unit {new} ", 1)
                for line in lock.splitlines()
                if line.startswith(f"unit {name} ")
            ]
    (handbook / "translations.lock").write_text(lock + "\n".join(extra) + "\n", "utf-8")
    return handbook


def booklet(*args: str) -> float:
    """Seconds of `booklet ARGS` run as a user runs it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "booklet", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"booklet {' '.join(args)} failed:\n{run.stdout}{run.stderr}")
    return seconds


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    if old not in text:
        sys.exit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--layout", default="parallel")
    parser.add_argument("--copies", type=int, default=5, help="times each chapter is written")
    parser.add_argument("--runs", type=int, default=1, help="runs of each")
    args = parser.parse_args()
    with_bytecode()
    with tempfile.TemporaryDirectory() as temp:
        handbook = generate(Path(temp), args.copies)
        out, whole = Path(temp) / "out", Path(temp) / "whole"
        common = ["--layout", args.layout, "--format", "pdf"]
        build = ["build", str(handbook), *common, "--out", str(out), "--draft"]
        force = ["build", str(handbook), *common, "--out", str(whole), "--force"]
        booklet(*build)
        name = next((out / "big").glob("*.pdf")).name
        pages = _pages(out / "big" / name)
        full = statistics.median(booklet(*build, "--force") for _ in range(args.runs))
        print(
            f"{handbook.name}: {pages} pages, {args.layout}; the other agents' work shares the CPUs"
        )
        print(f"full render (--force):          {full:6.1f} s = 1.00")
        middle = sorted((handbook / "en").glob("*.md"))[
            len(list((handbook / "en").glob("*.md"))) // 2
        ]
        cases = [
            ("one word changed, same pages", middle, *WORD),
            ("a paragraph added, pages move", handbook / "zh-Hans" / middle.name, None, PARAGRAPH),
        ]
        for label, path, old, new in cases:
            times = []
            for run in range(args.runs):
                if old is None:
                    path.write_text(path.read_text("utf-8") + new, "utf-8")
                else:
                    edit(path, *((old, new) if run % 2 == 0 else (new, old)))
                times.append(booklet(*build))
            seconds = statistics.median(times)
            print(f"{label + ':':<32}{seconds:6.1f} s = {seconds / full:.2f}", end="")
            booklet(*force)
            found = differences(
                (whole / "big" / name).read_bytes(), (out / "big" / name).read_bytes()
            )
            print(
                f"  ({_pages(out / 'big' / name)} pages; "
                + ("equal to --force)" if not found else f"DIFFERS: {found[:3]})")
            )


def _pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


if __name__ == "__main__":
    main()
