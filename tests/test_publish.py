"""`[publish]`: the editions a plain `booklet build` makes (#24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.sources.files import load_handbook
from booklet.sources.handbook import parse_handbook


def publish(mini: Path, table: str) -> None:
    toml = mini / "handbook.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[publish]\n" + table, "utf-8")


def test_a_publish_table_is_read_and_wrong_values_are_located(mini: Path) -> None:
    publish(mini, 'layouts = ["parallel", "facing-pages"]\nimpose = "yes"\nkit = true\n')
    handbook, problems = parse_handbook(load_handbook(mini))
    assert handbook.publish is not None
    assert [layout.value for layout in handbook.publish.layouts] == ["parallel"]
    assert handbook.publish.kit
    lines = len((mini / "handbook.toml").read_text(encoding="utf-8").splitlines())
    assert [str(p) for p in problems] == [
        f'{mini}/handbook.toml:{lines - 2}: "facing-pages" in layouts is not one of: '
        "parallel, interleaved, sequential, facing",
        f"{mini}/handbook.toml:{lines - 1}: impose must be true or false (without quotes)",
    ]


@pytest.mark.subprocess
def test_a_plain_build_makes_what_the_handbook_publishes(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    publish(
        mini, 'layouts = ["interleaved"]\nformats = ["pdf"]\nimpose = true\nlanguages = ["en"]\n'
    )
    out = tmp_path / "out"
    made = runner.invoke(main, ["build", str(mini), "--out", str(out), "--jobs", "1"])
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (out / "handbook").iterdir()) == [
        "handbook-a5-printing.pdf",
        "handbook-en-a5.pdf",
        "handbook-interleaved-a5-booklet.pdf",
        "handbook-interleaved-a5.pdf",
    ]
    # An option that names an edition makes that edition alone, as before.
    asked = runner.invoke(
        main,
        [
            "build",
            str(mini),
            "--out",
            str(out),
            "--layout",
            "parallel",
            "--format",
            "pdf",
            "--jobs",
            "1",
        ],
    )
    assert asked.exit_code == 0, asked.output
    assert "handbook-parallel-a5.pdf (parallel, A5)" in asked.output
    assert "booklet" not in asked.output.replace("booklet build", "")
