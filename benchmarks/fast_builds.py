"""Fast-builds benchmark (issue 10): ratios measured side by side in one run.

Whole processes, timed from outside, alternating in each round so that a busy machine
slows every contender alike; medians of `--rounds` rounds:

- the sample build (3 A5 layouts + EPUB, `--force`) / one raw WeasyPrint render of the
  sample's parallel HTML (a process that imports WeasyPrint and writes that one PDF);
- an unchanged rebuild / that full build;
- the EPUB alone (`--format epub --force`) / the raw render: its page list then needs
  the print edition laid out (issue 11), which is most of its time;
- the EPUB alone made again beside its print edition's unchanged PDF (the EPUB deleted,
  `--format epub`): the page list comes from that PDF's record, nothing is laid out;

then generated handbooks of about 16, 64 and 256 A5 pages (the sample's chapters repeated,
see build_speed.py), parallel and interleaved: seconds per page of each layout (the
worker's own time, from the progress lines), their ratio, and the peak RSS of the largest
process of the build (the main one or a worker). Figures only: nothing is asserted.

    .venv/bin/python benchmarks/fast_builds.py [--rounds 5] [--sizes 16,64,256] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_speed import DEFAULT_EPOCH, FIXED_PAGES, LAWS, SAMPLE, make_handbook, with_bytecode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

RAW_RENDER = """
import sys, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3], pdf_tags=True)
"""

PEAK_RSS = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + "\\n")
sys.exit(code)
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def booklet(*args: str) -> list[str]:
    return [PYTHON, "-m", "booklet", "build", *args]


def parallel_html(tmp: Path) -> Path:
    """The sample's parallel A5 HTML, as booklet hands it to WeasyPrint."""
    from booklet.build import check_folder
    from booklet.render.documents import render_html
    from booklet.themes.theme import load_theme

    theme = load_theme()
    checked = check_folder(SAMPLE, theme, __import__("datetime").date.today(), strict=False)
    handbook = checked.handbook
    path = tmp / "parallel.html"
    path.write_text(render_html(handbook, theme, "parallel", "a5", None), encoding="utf-8")
    return path


def ratios(tmp: Path, rounds: int, jobs: list[str]) -> None:
    html = parallel_html(tmp)
    raw = [PYTHON, "-c", RAW_RENDER, str(html), SAMPLE.as_uri() + "/", str(tmp / "raw.pdf")]
    full = booklet(str(SAMPLE), "--out", str(tmp / "full"), "--force", *jobs)
    again = booklet(str(SAMPLE), "--out", str(tmp / "full"), *jobs)
    epub = booklet(str(SAMPLE), "--out", str(tmp / "epub"), "--format", "epub", "--force", *jobs)
    made = tmp / "full" / SAMPLE.name / f"{SAMPLE.name}.epub"
    epub_again = booklet(str(SAMPLE), "--out", str(tmp / "full"), "--format", "epub", *jobs)
    beside = ["sh", "-c", f'rm -f "{made}" && exec "$@"', "sh", *epub_again]
    times: dict[str, list[float]] = {"raw": [], "full": [], "again": [], "epub": [], "beside": []}
    timed(full)  # warm the file cache and write the outputs the rebuild finds
    commands = (("raw", raw), ("full", full), ("again", again), ("epub", epub), ("beside", beside))
    for number in range(rounds):
        for name, command in commands:
            times[name].append(timed(command))
        print(
            f"  round {number + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
            file=sys.stderr,
            flush=True,
        )
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"\nmedians of {rounds} rounds (whole processes, seconds):")
    labels = {
        "raw": "one raw WeasyPrint render of the parallel HTML",
        "full": "sample build, 3 layouts + EPUB (--force)",
        "again": "unchanged rebuild",
        "epub": "EPUB alone (--force)",
        "beside": "EPUB alone beside its unchanged PDF",
    }
    for name, label in labels.items():
        print(f"  {label:<48} {median[name]:6.2f}")
    print("\nfigure                                      ratio   goal")
    print(
        f"  sample build / raw render              {median['full'] / median['raw']:8.2f}   <= 1.6"
    )
    print(
        f"  unchanged rebuild / full build         {median['again'] / median['full']:8.2f}   <= 0.1"
    )
    print(
        f"  EPUB alone / raw render                {median['epub'] / median['raw']:8.2f}   <= 0.4"
    )
    print(
        f"  EPUB beside its PDF / raw render       {median['beside'] / median['raw']:8.2f}   <= 0.4"
    )
    sys.stdout.flush()


LINE = re.compile(
    r"^  \S+-(parallel|interleaved)-a5\.pdf \(.*?\) \.\.\. (\d+) pages, .*?, ([\d.]+) s$"
)


def chapters_for(pages: int, sample_pages: int, sample_chapters: int) -> int:
    """How many of the sample's chapters, repeated, make a parallel A5 book of `pages`
    (calibrated on the sample as it is now: its chapters change)."""
    per_chapter = (sample_pages - FIXED_PAGES) / sample_chapters
    return max(1, round((pages - FIXED_PAGES) / per_chapter))


def sizes(tmp: Path, targets: list[int], jobs: list[str]) -> None:
    import pikepdf

    shutil.copytree(LAWS, tmp / "laws", dirs_exist_ok=True)
    built = tmp / "full" / SAMPLE.name / f"{SAMPLE.name}-parallel-a5.pdf"
    with pikepdf.open(built) as pdf:
        sample_pages = len(pdf.pages)
    sample_chapters = len(list((SAMPLE / "en").glob("*.md")))
    print("\nhandbook   layout        pages  seconds  s/page   peak RSS (largest process)")
    seen: list[tuple[int, int]] = [(sample_chapters, sample_pages)]  # (chapters, pages)
    for size in targets:
        for _attempt in range(3):  # sized again when a book came out more than 10% off
            lines, chapters = _sized_build(tmp, size, seen, sample_pages, sample_chapters, jobs)
            pages = next(
                (int(f[2]) for f in map(LINE.match, lines) if f and f[1] == "parallel"), size
            )
            seen.append((chapters, pages))
            if abs(pages - size) <= size / 10:
                break
        peak_mb = int(lines[-1]) / 1024
        per_page: dict[str, float] = {}
        for line in lines:
            found = LINE.match(line)
            if found:
                layout, pages, seconds = found[1], int(found[2]), float(found[3])
                per_page[layout] = seconds / pages
                print(
                    f"bench-{size:<4} {layout:<12} {pages:>6} {seconds:>8.2f} "
                    f"{seconds / pages:>7.3f}   {peak_mb:.0f} MB"
                )
        if len(per_page) == 2:
            ratio = per_page["parallel"] / per_page["interleaved"]
            print(f"bench-{size:<4} parallel / interleaved, s per page: {ratio:.2f} (goal <= 1.3)")
        sys.stdout.flush()


def _sized_build(
    tmp: Path,
    size: int,
    seen: list[tuple[int, int]],
    sample_pages: int,
    sample_chapters: int,
    jobs: list[str],
) -> tuple[list[str], int]:
    """Build a generated book of about `size` pages; its output lines and chapters."""
    # The front and back matter do not grow with the chapters: once two books are built,
    # the next is sized on the line through the last two.
    if len(seen) >= 2 and seen[-1][0] != seen[-2][0] and seen[-1][1] != seen[-2][1]:
        (c1, p1), (c2, p2) = seen[-2], seen[-1]
        chapters = max(1, round(c2 + (size - p2) * (c2 - c1) / (p2 - p1)))
    else:
        chapters = chapters_for(size, sample_pages, sample_chapters)
    folder = tmp / f"bench-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    make_handbook(tmp, f"bench-{size}", chapters)
    command = [
        PYTHON,
        "-c",
        PEAK_RSS,
        *booklet(
            str(folder),
            "--out",
            str(tmp / "sized"),
            "--format",
            "pdf",
            "--force",
            "--layout",
            "parallel",
            "--layout",
            "interleaved",
            *jobs,
        ),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout.splitlines(), chapters


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="16,64,256")
    parser.add_argument("--jobs", default=None, help="passed to booklet build (default: its own)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    with_bytecode()
    jobs = ["--jobs", args.jobs] if args.jobs else []
    print(
        f"booklet fast builds: {os.cpu_count()} CPUs, jobs {args.jobs or 'default'}, "
        f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']}"
    )
    with tempfile.TemporaryDirectory(prefix="booklet-fast-") as name:
        tmp = Path(name)
        ratios(tmp, args.rounds, jobs)
        sizes(tmp, [int(s) for s in args.sizes.split(",") if s.strip()], jobs)


if __name__ == "__main__":
    main()
