"""The translator's proof: marks where translations are stale or missing, and only there."""

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from booklet.cli import main
from tests.test_check import edit

pytestmark = pytest.mark.subprocess

PENDING = "translation pending: the original changed"
MISSING = "translation missing"


def text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages)


def build(runner: CliRunner, folder: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(
        main,
        [
            "build",
            str(folder),
            "--format",
            "pdf",
            "--layout",
            "parallel",
            "--out",
            str(out),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output


def test_proof_marks_stale_and_missing_and_public_shows_none(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    assert runner.invoke(main, ["translations", "sync", str(mini)]).exit_code == 0
    edit(mini / "zh-Hans" / "01-start.md", "借款合同是有法律依据的", "借款合同受法律保护")
    edit(mini / "en" / "01-start.md", "- Ask for a new repayment date.", "- TODO:")
    build(runner, mini, tmp_path / "before", "--proof")
    proof = text(tmp_path / "before" / "handbook" / "handbook-proof-a5.pdf")
    public = text(tmp_path / "before" / "handbook" / "handbook-parallel-a5.pdf")
    assert PENDING in proof and "译文待更新：原文已修改" in proof
    assert MISSING in proof and "缺少译文" in proof
    assert "Translator's proof" in proof
    lock = (mini / "translations.lock").read_text(encoding="utf-8").splitlines()
    ids = [line.split()[2] for line in lock if line.startswith("unit ")]
    assert all(unit_id in proof for unit_id in ids)  # unit ids in the margin, as exported
    for mark in (PENDING, MISSING, "Translator's proof", "TODO"):
        assert mark not in public
    assert "请求新的还款日期" in public  # the original stands in for the missing translation
    strict = runner.invoke(main, ["build", str(mini), "--strict", "--out", str(tmp_path / "x")])
    assert strict.exit_code == 1  # a public build with --strict refuses stale or missing

    edit(mini / "en" / "01-start.md", "- TODO:", "- Ask for a new repayment date.")
    edit(
        mini / "en" / "01-start.md",
        "A loan contract has a legal basis",
        "A loan contract is protected by law",
    )
    assert runner.invoke(main, ["translations", "sync", str(mini)]).exit_code == 0
    build(runner, mini, tmp_path / "after", "--proof", "--strict")
    after = text(tmp_path / "after" / "handbook" / "handbook-proof-a5.pdf")
    assert PENDING not in after and MISSING not in after
