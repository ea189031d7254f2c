"""The law as reviewed: law.lock (`booklet laws reviewed`), and `check` flagging every block
citing an article that changed or was repealed since (booklet.checks.law)."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from booklet.cli import main

LAWS = Path(__file__).parent / "data" / "laws"
CHANGED_668 = """第六百六十七条　借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。
第六百六十八条　借款合同应当采用书面形式，但是自然人之间借款另有约定的，从其约定。
借款合同的内容一般包括借款种类、币种、用途、数额、利率、期限和还款方式等条款。
第一千零三十二条　自然人享有隐私权。
第二百九十三条之一　催收非法债务的规定。
"""
WARNING_668 = (
    "whose text changed since this handbook was reviewed; check the paragraph against the "
    "new text, then record the review with booklet laws reviewed"
)


def update(runner: CliRunner, mini: Path, official: Path, *more: str) -> None:
    law = mini.parent / "laws" / "demo-code.toml"
    result = runner.invoke(main, ["laws", "update", str(law), "--from", str(official), *more])
    assert result.exit_code == 1, result.output


def reviewed(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["laws", "reviewed", str(mini)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{mini}/law.lock: 4 cited articles recorded as reviewed\n"


def test_reviewed_records_every_cited_article_and_moves_nothing_else(
    runner: CliRunner, mini: Path
) -> None:
    manifest = (mini / "handbook.toml").read_bytes()
    reviewed(runner, mini)
    lines = (mini / "law.lock").read_text(encoding="utf-8").splitlines()
    assert [line.split()[:3] for line in lines if not line.startswith("#")] == [
        ["article", "demo-code", "293-1"],
        ["article", "demo-code", "667"],
        ["article", "demo-code", "668"],
        ["article", "demo-code", "1032"],
    ]
    assert lines[4].split()[3:] == ["zh-Hans=398f3a4600b2", "en=f5cc7c9feeec"]
    assert (mini / "handbook.toml").read_bytes() == manifest
    assert runner.invoke(main, ["check", "--strict", str(mini)]).exit_code == 0


def test_a_changed_article_flags_every_citing_block_in_every_language(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    reviewed(runner, mini)
    official = tmp_path / "official.txt"
    official.write_text(CHANGED_668, encoding="utf-8")
    update(runner, mini, official, "--write")
    result = runner.invoke(main, ["check", "--strict", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{mini.parent}/laws/demo-code.toml:38: warning: the "en" text of article 668 is '
        'stale: its "zh-Hans" text changed since it was translated',
        f"{mini}/zh-Hans/02-privacy.md:3: warning: cites 《民法典》第六百六十八条, {WARNING_668}",
        f"{mini}/en/02-privacy.md:3: warning: cites Civil Code, art. 668, {WARNING_668}",
        f"Error: 3 problems in {mini}",
    ]
    # without --strict, warnings do not stop anything
    assert runner.invoke(main, ["check", str(mini)]).exit_code == 0
    # after the lawyer's review: recorded, the paragraphs are no longer flagged
    reviewed(runner, mini)
    again = runner.invoke(main, ["check", str(mini)])
    assert "whose text changed" not in again.output


def test_without_law_lock_nothing_is_flagged(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    official = tmp_path / "official.txt"
    official.write_text(CHANGED_668, encoding="utf-8")
    update(runner, mini, official, "--write")
    result = runner.invoke(main, ["check", str(mini)])
    assert "whose text changed" not in result.output


def test_a_repealed_article_is_an_error_at_every_citing_block(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    official = Path(shutil.copy(LAWS / "demo-code-2027.txt", tmp_path / "official.txt"))
    update(runner, mini, official, "--write")
    manifest = mini / "handbook.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'authoritative = "zh-Hans"', 'authoritative = "zh-Hans"\nappendix = ["demo-code 1032"]'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    law = f"{mini.parent}/laws/demo-code.toml:48"
    advice = "cite the provision that replaces it, or remove the citation"
    repealed = [line for line in result.output.splitlines() if "marks repealed" in line]
    assert repealed == [
        f"{mini}/zh-Hans/02-privacy.md:3: cites 《民法典》第一千零三十二条, which the registry "
        f"marks repealed ({law}); {advice}",
        f"{mini}/en/02-privacy.md:3: cites Civil Code, art. 1032, which the registry marks "
        f"repealed ({law}); {advice}",
        f"{manifest}:3: cites [[demo-code 1032]], which the registry marks repealed ({law}); "
        f"{advice}",
    ]


def test_law_in_force_after_law_as_at_is_a_warning(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    official = tmp_path / "official.txt"
    official.write_text(CHANGED_668, encoding="utf-8")
    update(runner, mini, official, "--write", "--effective", "2026-03-01")
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 0
    assert (
        f"{mini}/handbook.toml:23: warning: demo-code took effect on 2026-03-01 "
        "(demo-code.toml), after law_as_at 2026-01-01; review the handbook against it, then "
        "move law_as_at"
    ) in result.output.splitlines()


def test_a_damaged_law_lock_line(runner: CliRunner, mini: Path) -> None:
    reviewed(runner, mini)
    lock = mini / "law.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "article demo-code\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{lock}:9: damaged law.lock line; run booklet laws reviewed again after the review, "
        "or restore the file from version control",
        f"Error: 1 problem in {mini}",
    ]


def test_repealed_must_be_true_or_false(runner: CliRunner, mini: Path) -> None:
    law = mini.parent / "laws" / "demo-code.toml"
    text = law.read_text(encoding="utf-8")
    law.write_text(
        text.replace(
            'zh-Hans = "自然人享有隐私权。"', 'repealed = "yes"\nzh-Hans = "自然人享有隐私权。"'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{law}:49: repealed must be true or false",
        f"Error: 1 problem in {mini}",
    ]
