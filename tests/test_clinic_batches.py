"""Clinic editions made in batches (booklet.build.editions, booklet.outputs.split and
shared_fonts): several clinics' tails rendered as one document, cut apart and spliced
onto one body. Each edition must carry its own clinic only (text, codes, fonts), be
about the plain edition's size (one font subset per face), and be the same bytes
whichever clinics it was rendered with."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from booklet.build.editions import batches
from booklet.cli import main
from tests.conftest import EPOCH, copy_fixture

WEST = """url = "https://west.example.org/help"

[name]
zh-Hans = "西湖诊所"
en = "Westlake Clinic"

[address]
zh-Hans = "湖滨路3号"
en = "3 Lakeside Road"

[[contact]]
phone = "+1 555 0333"
[contact.label]
zh-Hans = "求助热线"
en = "Helpline"
"""

DETAILS = {
    "north": ("Northgate Clinic", "+1 555 0100", "north.example.org/help"),
    "south": ("Southbay Law Centre", "(020) 5550-0177", "2 South Street"),
    "west": ("Westlake Clinic", "+1 555 0333", "west.example.org/help"),
}
"""What each clinic's pages print: its name, main phone, web (or street) address."""


def _build(handbook: Path, out: Path, *args: str) -> None:
    only = ("--layout", "parallel", "--format", "pdf", "--jobs", "1")  # one job: one batch
    result = CliRunner().invoke(main, ["build", str(handbook), "--out", str(out), *only, *args])
    assert result.exit_code == 0, result.output


def edition(out: Path, clinic: str) -> Path:
    return out / "handbook" / clinic / f"handbook-{clinic}-parallel-a5.pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The mini handbook with three clinics: its plain edition, the three editions made
    in one batch (twice), and the south clinic's made alone."""
    folder = tmp_path_factory.mktemp("batches")
    handbook = copy_fixture("mini", folder) / "handbook"
    (handbook.parent / "clinics" / "west.toml").write_text(WEST, "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        _build(handbook, folder / "plain")
        for name in ("batch", "again"):
            _build(handbook, folder / name, "--clinic", "all", "--force")
        _build(handbook, folder / "alone", "--clinic", "south")
    return {
        "plain": folder / "plain" / "handbook" / "handbook-parallel-a5.pdf",
        "batch": folder / "batch",
        "again": folder / "again",
        "alone": folder / "alone",
    }


BFCHAR = re.compile(rb"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]*)>")


def _mapped_text(pdf: pikepdf.Pdf) -> str:
    """Every character any font of the PDF maps a glyph to (its ToUnicode CMaps)."""
    return "".join(
        bytes.fromhex(text.decode()).decode("utf-16-be")
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"
        if "/ToUnicode" in obj
        for text in BFCHAR.findall(obj.ToUnicode.read_bytes())
    )


@pytest.mark.render
@pytest.mark.parametrize("clinic", sorted(DETAILS))
def test_each_edition_of_a_batch_reads_only_its_own_clinic(
    built: dict[str, Path], clinic: str
) -> None:
    with pdfplumber.open(edition(built["batch"], clinic)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(pages)
    name, phone, address = DETAILS[clinic]
    helping = [page for page in pages if "Help near you" in page]
    assert len(helping) == 1
    assert name in helping[0] and phone in helping[0] and address in helping[0]
    assert phone in pages[-1]  # the back cover's first number is the clinic's
    for other, details in DETAILS.items():
        if other != clinic:
            assert all(detail not in text for detail in details), other
    # Nor do its fonts hold the other clinics' characters (西 and 湖 are west's only).
    with pikepdf.open(edition(built["batch"], clinic)) as pdf:
        mapped = _mapped_text(pdf)
        xmp = pdf.Root.Metadata.read_bytes().decode()
    assert ("湖" in mapped) == (clinic == "west")
    # Its XMP names its own copy (booklet identify), not the batch's first clinic's.
    assert f"clinic={clinic}" in xmp and xmp.count("clinic=") == 1


@pytest.mark.render
@pytest.mark.subprocess
def test_the_qr_codes_of_an_edition_cut_from_a_batch_decode(
    built: dict[str, Path], tmp_path: Path
) -> None:
    pdf = edition(built["batch"], "west")  # the last of the batch
    with pdfplumber.open(pdf) as opened:
        number = next(
            n for n, page in enumerate(opened.pages, 1) if "Help near you" in page.extract_text()
        )
    pages = ("-f", str(number), "-l", str(number))
    run = subprocess.run(
        ["pdftoppm", "-r", "150", "-png", *pages, str(pdf), str(tmp_path / "p")],
        check=True,
        capture_output=True,
        text=True,
    )
    assert run.stderr == ""  # poppler reads every font it is given (cut and shared)
    (png,) = tmp_path.glob("p*.png")
    decoded = sorted(code.text for code in zxingcpp.read_barcodes(Image.open(png)))
    assert decoded == ["https://west.example.org/help", "tel:+15550333"]


@pytest.mark.render
def test_an_edition_has_one_font_per_face_and_about_the_plain_size(
    built: dict[str, Path],
) -> None:
    plain = built["plain"].stat().st_size
    for clinic in DETAILS:
        path = edition(built["batch"], clinic)
        with pikepdf.open(path) as pdf:
            faces = [
                str(obj.BaseFont)
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"
            ]
        assert faces and len(faces) == len(set(faces)), faces  # one subset per face
        assert path.stat().st_size <= 1.1 * plain, (clinic, path.stat().st_size, plain)


@pytest.mark.render
def test_an_edition_is_the_same_bytes_in_any_batch_and_on_a_rebuild(
    built: dict[str, Path],
) -> None:
    for clinic in DETAILS:
        first, again = edition(built["batch"], clinic), edition(built["again"], clinic)
        assert first.read_bytes() == again.read_bytes()
    # Made alone, south's edition is the one cut from between north's and west's.
    alone = edition(built["alone"], "south").read_bytes()
    assert alone == edition(built["batch"], "south").read_bytes()


@pytest.mark.parametrize(
    ("count", "most", "workers", "sizes"),
    [
        (0, 20, 2, []),
        (1, 20, 2, [1]),
        (3, 20, 2, [2, 1]),
        (20, 20, 2, [10, 10]),
        (100, 20, 2, [17, 17, 17, 17, 16, 16]),
        (41, 20, 1, [14, 14, 13]),
        (3, 1, 2, [1, 1, 1]),  # print-shop editions: one tail a document
    ],
)
def test_editions_are_batched_evenly_for_the_workers(
    count: int, most: int, workers: int, sizes: list[int]
) -> None:
    made = batches(list(range(count)), most, workers)
    assert [len(batch) for batch in made] == sizes
    assert [item for batch in made for item in batch] == list(range(count))
