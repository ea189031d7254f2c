"""How parsing time grows with hostile input size: linear is the goal (ratio ~ size ratio).

    .venv/bin/python benchmarks/input_scaling.py

Measures, side by side in one run: a paragraph of unclosed `[[` (100 KB and 300 KB), and
`booklet check` of a statute with 1,000 and 10,000 articles. Prints seconds and the ratio
of the larger to the smaller; a quadratic path shows a ratio near the square of the size
ratio (9 and 100), a linear one near the size ratio (3 and 10).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from booklet.sources.files import SourceFile  # noqa: E402
from booklet.sources.markdown import parse_chapter  # noqa: E402


def brackets(count: int) -> float:
    text = "# T\n\n" + "[[ " * count + "\n"
    start = time.perf_counter()
    parse_chapter(SourceFile(Path("x.md"), text), "en")
    return time.perf_counter() - start


def articles(count: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "mini"
        shutil.copytree(ROOT / "tests" / "data" / "mini", copy)
        laws = copy / "laws" / "demo-code.toml"
        laws.write_text(
            laws.read_text(encoding="utf-8")
            + "".join(
                f'\n[articles.{9000 + i}]\nzh-Hans = "第{i}条。"\nen = "Article {i}."\n'
                for i in range(count)
            ),
            encoding="utf-8",
        )
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "booklet", "check", str(copy / "handbook")],
            capture_output=True,
            cwd=ROOT,
            check=False,
        )
        return time.perf_counter() - start


def main() -> None:
    for name, measure, sizes in (
        ("unclosed [[", brackets, (33_000, 100_000)),
        ("statute articles", articles, (1_000, 10_000)),
    ):
        small, large = (measure(size) for size in sizes)
        print(
            f"{name}: {sizes[0]:,} -> {small:.2f} s, {sizes[1]:,} -> {large:.2f} s, "
            f"ratio {large / small:.1f} for {sizes[1] / sizes[0]:.0f}x the input"
        )


if __name__ == "__main__":
    main()
