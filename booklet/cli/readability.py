"""`booklet readability`: how hard each chapter is to read, in every language side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from booklet.errors import display_path
from booklet.text.terminal import terminal_safe

if TYPE_CHECKING:
    from booklet.readability.report import Report

COLUMN = 24


@click.command()
@click.argument("handbook", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the report as JSON (docs/readability.md) for a CI or an editor.",
)
def readability(handbook: Path | None, as_json: bool) -> None:
    """How hard the handbook is to read, chapter by chapter, each language side by side.

    Shows the grade or reading ease where a formula fits the language, the mean and the
    longest sentence, the share of rare words, the handbook's totals, the blocks that most
    need work (file:line) and the translations markedly harder than their original.
    HANDBOOK is a handbook folder; without it, the only one under ./sources.
    """
    from booklet.cli.handbooks import one_handbook, parsed
    from booklet.readability.report import readability_report

    folder = one_handbook(handbook, "readability")
    report = readability_report(parsed(folder))
    if as_json:
        click.echo(json.dumps(report_record(report), ensure_ascii=False, indent=2))
        return
    for line in report_lines(report):
        click.echo(terminal_safe(line))


def report_record(report: Report) -> dict[str, Any]:
    """The report as JSON (the schema is in docs/readability.md)."""
    from booklet.readability.report import measures_applied

    languages = report.handbook.languages
    return {
        "handbook": display_path(report.handbook.root),
        "languages": {lang: {"measures": measures_applied(lang)} for lang in languages},
        "chapters": [{"name": name, "languages": _chapter(report, name)} for name in report.blocks],
        "totals": {lang: report.tally(None, lang).record(lang) for lang in languages},
        "worst": [
            {
                "file": display_path(block.path),
                "line": block.longest.line if block.longest else block.line,
                "language": block.language,
                "words": block.longest.words if block.longest else 0,
                "characters": block.longest.characters if block.longest else 0,
                "of_limit": round(need, 2),
            }
            for block, need in report.worst()
        ],
        "harder": [
            {
                "chapter": flag.chapter,
                "language": flag.language,
                "unit": flag.unit,
                "reasons": list(flag.reasons),
                "original": {"file": display_path(flag.original.path), "line": flag.original.line},
                "translation": {
                    "file": display_path(flag.translation.path),
                    "line": flag.translation.line,
                },
            }
            for flag in report.harder
        ],
    }


def _chapter(report: Report, name: str) -> dict[str, Any]:
    return {lang: report.tally(name, lang).record(lang) for lang in report.handbook.languages}


def _cells(record: dict[str, Any]) -> list[str]:
    scores = record["scores"]
    score = ", ".join(f"{name} {value['value']:g}" for name, value in scores.items()) or "-"
    mean = f"{record['mean_sentence_words']} words"
    if record["mean_sentence_characters"] is not None:
        mean += f" ({record['mean_sentence_characters']} ch)"
    top = record["longest_sentence"]
    longest = "-"
    if top:
        longest = f"{top['words']} words"
        if record["mean_sentence_characters"] is not None:
            longest += f" ({top['characters']} ch)"
        longest += f", line {top['line']}"
    share = record["rare_word_share"]
    rare = "not measured" if share is None else f"{share:.1%}"
    return [score, mean, longest, rare]


def _table(title: str, records: dict[str, dict[str, Any]]) -> list[str]:
    languages = list(records)
    rows = ["grade / ease", "mean sentence", "longest sentence", "rare words"]
    cells = {lang: _cells(records[lang]) for lang in languages}
    widths = {lang: max([COLUMN, *(len(cell) + 2 for cell in cells[lang])]) for lang in languages}
    lines = [title, " " * 20 + "".join(lang.ljust(widths[lang]) for lang in languages)]
    for index, row in enumerate(rows):
        row_cells = "".join(cells[lang][index].ljust(widths[lang]) for lang in languages)
        lines.append(f"  {row:<18}{row_cells}")
    return [line.rstrip() for line in lines]


def report_lines(report: Report) -> list[str]:
    """The report as text, for the terminal."""
    record = report_record(report)
    lines = [f"{record['handbook']}: readability"]
    for lang, facts in record["languages"].items():
        lines.append(f"  measures for {lang}: {', '.join(facts['measures'])}")
    for chapter in record["chapters"]:
        lines += ["", *_table(chapter["name"], chapter["languages"])]
    lines += ["", *_table("Whole handbook", record["totals"])]
    lines += ["", "Blocks that most need work (longest sentence against its limit):"]
    for entry in record["worst"] or [{"none": True}]:
        if "none" in entry:
            lines.append("  none")
            break
        size = f"{entry['words']} words, {entry['characters']} characters"
        lines.append(
            f"  {entry['file']}:{entry['line']}: {size} ({entry['of_limit']:.0%} of the limit)"
        )
    lines += ["", "Translations markedly harder than their original:"]
    for flag in record["harder"]:
        lines.append(
            f"  {flag['translation']['file']}:{flag['translation']['line']} "
            f"(original {flag['original']['file']}:{flag['original']['line']}): "
            + "; ".join(flag["reasons"])
        )
    if not record["harder"]:
        lines.append("  none")
    return lines
