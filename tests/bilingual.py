"""Helpers for the bilingual-core tests (test_containers, test_matching, test_memory): a
small Spanish/English handbook, and the real tools translators' files go through."""

import subprocess
import sys
from pathlib import Path

import polib
from click.testing import CliRunner
from translate.storage import xliff

from booklet.cli import main

DATA = Path(__file__).parent / "data" / "containers"

CHAPTER = "01-getting-started.md"

# case -> (the original's text before, after): each adds "Texto nuevo." somewhere.

CASES = {
    "callout-start": ("::: warning\nAviso uno.", "::: warning\nTexto nuevo.\n\nAviso uno."),
    "callout-middle": ("Aviso uno.\n\nAviso dos.", "Aviso uno.\n\nTexto nuevo.\n\nAviso dos."),
    "callout-end": ("- Punto dos\n:::", "- Punto dos\n\nTexto nuevo.\n:::"),
    "after-callout": (":::\n\n- Lista uno", ":::\n\nTexto nuevo.\n\n- Lista uno"),
    "callout-first-child": ("::: warning\nAviso uno.", "::: warning\n- Texto nuevo.\n\nAviso uno."),
    "inner-list-start": ("- Punto uno", "- Texto nuevo.\n- Punto uno"),
    "inner-list-middle": ("- Punto uno\n- Punto dos", "- Punto uno\n- Texto nuevo.\n- Punto dos"),
    "inner-list-end": ("- Punto dos\n:::", "- Punto dos\n- Texto nuevo.\n:::"),
    "list-start": ("- Lista uno", "- Texto nuevo.\n- Lista uno"),
    "list-middle": ("- Lista uno\n- Lista dos", "- Lista uno\n- Texto nuevo.\n- Lista dos"),
    "list-end": ("- Lista dos\n", "- Lista dos\n- Texto nuevo.\n"),
    "quote-start": ("> Cita uno.", "> Texto nuevo.\n>\n> Cita uno."),
    "quote-end": ("> Cita dos.", "> Cita dos.\n>\n> Texto nuevo."),
    "chapter-end": ("Último párrafo.\n", "Último párrafo.\n\nTexto nuevo.\n"),
}

THREAT = "Si alguien te amenaza con violencia, llama a la policía de inmediato."

THREAT_EN = "If someone threatens you with violence, call the police at once."

REWORDED = "Si alguien te amenaza con violencia, llama a la policía enseguida."


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def make_demo(runner: CliRunner, tmp_path: Path) -> Path:
    """A Spanish/English handbook whose chapter has a callout (paragraphs and a list), a
    list and a quotation; its translations recorded as current."""
    run(runner, "new", "demo", "--languages", "es,en", "--in", str(tmp_path / "sources"))
    folder = tmp_path / "sources" / "demo"
    for lang in ("es", "en"):
        (folder / lang / CHAPTER).write_text((DATA / f"{lang}.md").read_text("utf-8"), "utf-8")
    run(runner, "translations", "sync", str(folder))
    return folder


def add_to_original(folder: Path, before: str, after: str) -> None:
    path = folder / "es" / CHAPTER
    text = path.read_text("utf-8")
    assert text.count(before) == 1
    path.write_text(text.replace(before, after), "utf-8")


def fill(exchange: Path, targets: dict[str, str]) -> None:
    """What a translator's tool does: fill the targets of the new units."""
    if exchange.suffix == ".po":
        catalog = polib.pofile(str(exchange))
        for entry in catalog:
            entry.msgstr = targets.get(entry.msgid, entry.msgstr)
        catalog.save()
        return
    store = xliff.xlifffile.parsefile(str(exchange))
    for unit in store.units:
        if unit.source in targets:
            unit.target = targets[unit.source]
    exchange.write_bytes(bytes(store))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def export_fill_import(
    runner: CliRunner, folder: Path, exchange: Path, targets: dict[str, str]
) -> str:
    kind = "po" if exchange.suffix == ".po" else "xliff"
    run(
        runner,
        "translations",
        "export",
        str(folder),
        "--lang",
        "en",
        "--format",
        kind,
        "-o",
        str(exchange),
    )
    fill(exchange, targets)
    return run(runner, "translations", "import", str(exchange), "--handbook", str(folder))


def parallel_text(runner: CliRunner, folder: Path, out: Path) -> str:
    """The words of the parallel PDF, as poppler extracts them."""
    run(runner, "build", str(folder), "--layout", "parallel", "--format", "pdf", "--out", str(out))
    pdf = out / folder.name / f"{folder.name}-parallel-a5.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def tool(name: str, *args: str) -> None:
    """A translate-toolkit converter, from the virtual environment's bin."""
    subprocess.run(
        [str(Path(sys.executable).parent / name), *args], check=True, capture_output=True
    )


def readers_accept(po: Path) -> None:
    """gettext's msgfmt --check and translate-toolkit's pofilter read the file."""
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr
    tool("pofilter", str(po), str(po.with_suffix(".filtered.po")))


def unit_ids(folder: Path) -> dict[str, str]:
    """Original text -> unit id, as translations.lock records them."""
    from booklet.cli.handbooks import parsed

    record = parsed(folder).record
    assert record is not None
    return {
        record.texts[unit.hashes["es"]]: unit.id
        for units in record.chapters.values()
        for unit in units
        if unit.hashes.get("es") in record.texts
    }


def with_threat(runner: CliRunner, folder: Path) -> None:
    """A paragraph and its translation, recorded as current."""
    for lang, text in (("es", THREAT), ("en", THREAT_EN)):
        path = folder / lang / CHAPTER
        path.write_text(path.read_text("utf-8") + f"\n{text}\n", "utf-8")
    run(runner, "translations", "sync", str(folder))


def add_note(folder: Path, text: str) -> None:
    path = folder / "es" / CHAPTER
    path.write_text(path.read_text("utf-8") + f"\n::: note\n{text}\n:::\n", "utf-8")
