"""What clinic editions and the distribution kit cost, measured side by side in one run.

Copies the sample handbook with a clinic directory of N generated clinics, then times,
each in a fresh process (`booklet` as a user runs it, median of --runs, alternating):

- one plain build of --layout (A5 PDF; `all`: the three layouts and the EPUB): the unit
  every ratio is quoted in;
- `build --clinic ...` for each N in --clinics: N clinic editions of the same layouts
  (each layout's body is rendered once, the clinics' tails in batches, each clinic's
  pages spliced on: booklet.outputs.splice);
- `kit` of one clinic, with the kit's size (with --kit).

Issue 30's goals: 100 clinic editions for at most 3 plain builds of the same layout, a
clinic's PDF within 10 % of the plain PDF's size. Besides each time, it prints the
largest process's peak memory, the sizes of the plain PDF and of the first clinic's, and
what one more clinic costs (the slope between the two largest N), which says how it
scales to 1,000 clinics. Figures only: nothing is asserted.

    .venv/bin/python benchmarks/clinic_editions.py [--clinics 1,20,100] [--layout parallel]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_speed import with_bytecode

ROOT = Path(__file__).resolve().parent.parent
CLINIC = """url = "https://clinic-{n}.example.org"
[name]
zh-Hans = "示例诊所{n}号"
en = "Example Clinic No. {n}"
[address]
zh-Hans = "示例路{n}号"
en = "{n} Example Road"
[[contact]]
phone = "+1 555 {n:04d}"
[contact.label]
zh-Hans = "咨询电话"
en = "Advice line"
"""


def sources(folder: Path, clinics: int) -> Path:
    shutil.copytree(ROOT / "sources" / "debt-collection", folder / "debt-collection")
    shutil.copytree(ROOT / "sources" / "laws", folder / "laws")
    (folder / "clinics").mkdir()
    for n in range(1, clinics + 1):
        (folder / "clinics" / f"clinic-{n}.toml").write_text(CLINIC.format(n=n), "utf-8")
    return folder / "debt-collection"


# Runs one command and reports its time, the peak memory of the largest process under it
# (workers included: Linux gives the largest descendant's) and the CPU time of them all
# (what other work on the machine changes least).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=sys.stdout)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([time.perf_counter() - start, used.ru_maxrss, used.ru_utime + used.ru_stime]))
"""


def timed(args: list[str]) -> tuple[float, float, float]:
    """Seconds, peak megabytes and CPU seconds of `booklet ARGS` run as a user runs it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "booklet", *args],
        env=env,
        capture_output=True,
        cwd=ROOT,
        text=True,
    )
    if run.returncode:
        sys.exit(f"booklet {' '.join(args)} failed:\n{run.stdout}{run.stderr}")
    seconds, kilobytes, cpu = json.loads(run.stdout.splitlines()[-1])
    return seconds, kilobytes / 1024, cpu


Run = tuple[float, float, float]
"""Seconds, peak megabytes, CPU seconds."""


def median(runs: list[Run]) -> Run:
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clinics", default="1,20,100", help="clinic counts, comma separated")
    parser.add_argument("--layout", default="parallel", help="a layout, or `all` (and the EPUB)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each, alternating")
    parser.add_argument("--kit", action="store_true", help="time the kit of one clinic too")
    args = parser.parse_args()
    with_bytecode()
    counts = [int(n) for n in args.clinics.split(",")]
    only = [] if args.layout == "all" else ["--layout", args.layout, "--format", "pdf"]
    with tempfile.TemporaryDirectory() as temp:
        handbook = sources(Path(temp), max(counts))
        out = Path(temp) / "out"
        plain: list[Run] = []
        editions: dict[int, list[Run]] = {n: [] for n in counts}
        kits: list[Run] = []
        kit_size = 0
        for _ in range(args.runs):
            plain.append(timed(["build", str(handbook), "--out", str(out), "--force", *only]))
            for n in counts:
                asked = [a for i in range(1, n + 1) for a in ("--clinic", f"clinic-{i}")]
                editions[n].append(
                    timed(["build", str(handbook), "--out", str(out), "--force", *only, *asked])
                )
            if args.kit:
                target = Path(temp) / "kit.zip"
                kits.append(
                    timed(["kit", str(handbook), "--clinic", "clinic-1", "-o", str(target)])
                )
                kit_size = target.stat().st_size
        report(args.layout, counts, plain, editions, out / "debt-collection")
        if kits:
            seconds, memory, _ = median(kits)
            unit = median(plain)[0]
            print(
                f"kit of one clinic: {seconds:.1f} s = {seconds / unit:.2f} plain builds, "
                f"{kit_size / 1e6:.1f} MB, {memory:.0f} MB peak"
            )


def report(
    layout: str,
    counts: list[int],
    plain: list[Run],
    editions: dict[int, list[Run]],
    folder: Path,
) -> None:
    """The table: times, ratios, peak memory, and the sizes of the A5 PDFs."""
    unit, memory, cpu_unit = median(plain)
    print(f"plain build ({layout}): {unit:.1f} s = 1.00, {memory:.0f} MB, CPU {cpu_unit:.1f} s")
    for n in counts:
        seconds, memory, cpu = median(editions[n])
        print(
            f"{n:>4} clinic editions: {seconds:.1f} s = {seconds / unit:.2f} plain builds "
            f"({seconds / unit / n:.3f} per edition), {memory:.0f} MB, "
            f"CPU {cpu:.1f} s = {cpu / cpu_unit:.2f}"
        )
    if len(counts) > 1:
        small, large = sorted(counts)[-2:]
        slope = (median(editions[large])[0] - median(editions[small])[0]) / (large - small)
        grow = (median(editions[large])[1] - median(editions[small])[1]) / (large - small)
        base = median(editions[large])[0] - slope * large
        print(
            f"one more clinic: {slope:.3f} s = {slope / unit:.4f} plain builds, "
            f"{grow:+.2f} MB; so 1,000 clinics ~ {(base + slope * 1000) / 60:.1f} min = "
            f"{(base + slope * 1000) / unit:.0f} plain builds"
        )
    for name in sorted(p.name for p in folder.glob("*-a5.pdf")):
        size = (folder / name).stat().st_size
        layout_paper = name.removeprefix(f"{folder.name}-")
        for clinic in sorted((folder / "clinic-1").glob(f"*-{layout_paper}")):
            ratio = clinic.stat().st_size / size
            print(
                f"{name}: plain {size / 1e6:.2f} MB, clinic-1's {clinic.stat().st_size / 1e6:.2f}"
                f" MB = {ratio:.2f}x"
            )


if __name__ == "__main__":
    main()
