"""Clinic editions are spliced (booklet.outputs.splice): one body shared by every clinic,
each clinic's tail rendered apart. A spliced edition must read as the same edition
rendered whole: pages, text, pixels of its own pages, bookmarks, tags, links, QR codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image, ImageChops

from booklet.cli.handbooks import parsed
from booklet.outputs.pdf import render_pdf
from booklet.render.documents import render_html
from booklet.themes.theme import Theme
from tests.conftest import copy_fixture
from tests.test_check import edit
from tests.test_clinics import build, page_texts

pytestmark = pytest.mark.subprocess


def whole_render(
    handbook_folder: Path, theme: Theme, clinic_id: str, layout: str, paper: str, target: Path
) -> Path:
    """The clinic edition rendered as one document, as before splicing."""
    handbook = parsed(handbook_folder)
    clinic = next(c for c in handbook.clinics if c.id == clinic_id)
    html = render_html(handbook, theme, layout, paper, None, clinic=clinic)
    target.write_bytes(render_pdf(html, handbook.root, (handbook.root, *theme.folders)).data)
    return target


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """Each bookmark as (depth, title, 0-based target page)."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int]] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for item in items:
            dest = item.destination
            assert dest is not None and dest[0].objgen in pages, item.title
            found.append((depth, item.title, pages[dest[0].objgen]))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order; each kid's /P is checked to be the
    element it hangs from."""
    found: list[pikepdf.Dictionary] = []

    def walk(element: pikepdf.Object, parent: pikepdf.Object) -> None:
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        assert element.P.objgen == parent.objgen
        found.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, element)

    root = pdf.Root.StructTreeRoot
    for top in root.K:
        walk(top, root)
    return found


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    keys = [int(k) for k in nums[::2]]
    assert len(keys) == len(set(keys))
    return dict(zip(keys, nums[1::2], strict=True))


def links(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Each link annotation as (page, where it goes): a URI, or the page it shows."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    names = dict(zip(*[iter(pdf.Root.Names.Dests.Names)] * 2, strict=True))
    found = []
    for n, page in enumerate(pdf.pages):
        for annotation in page.obj.get("/Annots", []):
            if annotation.Subtype != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.S == "/URI":
                found.append((n, str(action.URI)))
                continue
            dest = annotation.get("/Dest") if action is None else action.D
            if isinstance(dest, pikepdf.String):
                dest = names[dest]
            assert dest[0].objgen in pages  # inside the document
            found.append((n, f"page {pages[dest[0].objgen]}"))
    return found


def pngs(pdf: Path, first: int, last: int, folder: Path) -> list[Image.Image]:
    folder.mkdir(parents=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            str(first),
            "-l",
            str(last),
            str(pdf),
            str(folder / "p"),
        ],
        check=True,
    )
    return [Image.open(png).convert("L") for png in sorted(folder.glob("p*.png"))]


def assert_same_edition(spliced: Path, whole: Path, tmp_path: Path) -> None:
    texts, expected = page_texts(spliced), page_texts(whole)
    assert len(texts) == len(expected) and len(texts) % 2 == 0
    assert texts == expected
    with pikepdf.open(spliced) as ours, pikepdf.open(whole) as theirs:
        assert outline(ours) == outline(theirs)
        found, wanted = elements(ours), elements(theirs)
        assert [str(e.S) for e in found] == [str(e.S) for e in wanted]
        assert [str(e.get("/Lang", "")) for e in found] == [str(e.get("/Lang", "")) for e in wanted]
        # Every page and annotation points into the parent tree, at the same elements as
        # whole (WeasyPrint leaves the margin boxes' spans out of the tree: so must we).
        tree, known = parent_tree(ours), {e.objgen for e in found}
        their_tree, their_known = parent_tree(theirs), {e.objgen for e in wanted}
        for page, their_page in zip(ours.pages, theirs.pages, strict=True):
            # A page of artifacts only (a blank verso: its page number) has no key.
            assert ("/StructParents" in page.obj) == ("/StructParents" in their_page.obj)
            if "/StructParents" not in page.obj:
                continue
            marked = tree[int(page.obj.StructParents)]
            their_marked = their_tree[int(their_page.obj.StructParents)]
            assert [(str(e.S), e.objgen in known) for e in marked] == [
                (str(e.S), e.objgen in their_known) for e in their_marked
            ]
            for annotation in page.obj.get("/Annots", []):
                owner = tree[int(annotation.StructParent)]
                assert owner.objgen in known
                assert any(
                    kid.get("/Obj") == annotation
                    for kid in owner.K
                    if isinstance(kid, pikepdf.Dictionary)
                )
        assert len(tree) == len(their_tree)
        assert int(ours.Root.StructTreeRoot.ParentTreeNextKey) == max(tree) + 1
        assert links(ours) == links(theirs)
        assert str(ours.Root.Lang) == str(theirs.Root.Lang)
        assert ours.docinfo.get("/Title") == theirs.docinfo.get("/Title")
        tail = len(texts) - next(n for n, t in enumerate(texts) if "Help near you" in t)
    # The clinic's own pages look the same, page numbers and margins (sides) included.
    first = len(texts) - tail + 1
    for a, b in zip(
        pngs(spliced, first, len(texts), tmp_path / "spliced"),
        pngs(whole, first, len(texts), tmp_path / "whole"),
        strict=True,
    ):
        assert a.size == b.size and ImageChops.difference(a, b).getbbox() is None


@pytest.mark.parametrize(
    ("layout", "paper"), [("parallel", "a5"), ("sequential", "a5"), ("interleaved", "a6")]
)
def test_a_spliced_edition_is_the_edition_rendered_whole(
    runner: CliRunner, mini: Path, theme: Theme, tmp_path: Path, layout: str, paper: str
) -> None:
    out = tmp_path / "out"
    # One job: both clinics' tails are rendered as one document, then cut apart.
    build(
        runner,
        mini,
        out,
        "--clinic",
        "all",
        "--layout",
        layout,
        "--paper",
        paper,
        "--format",
        "pdf",
        "--jobs",
        "1",
    )
    for clinic in ("north", "south"):
        spliced = out / "handbook" / clinic / f"handbook-{clinic}-{layout}-{paper}.pdf"
        whole = whole_render(mini, theme, clinic, layout, paper, tmp_path / f"{clinic}.pdf")
        assert_same_edition(spliced, whole, tmp_path / clinic)


def test_a_help_page_of_two_pages_is_spliced_whole(
    runner: CliRunner, mini: Path, theme: Theme, tmp_path: Path
) -> None:
    # A clinic with long opening hours: its help page runs to a second page (the other
    # clinic's does not), so its back cover comes a page or two later than the other's.
    long_hours = "Monday to Friday, 9 am to 5 pm; Saturday 10 am to 1 pm. " * 24
    edit(
        mini.parent / "clinics" / "south.toml",
        "[name]",
        f'[hours]\nzh-Hans = "{"周一至周五上午九时至下午五时。" * 40}"\nen = "{long_hours}"\n\n[name]',
    )
    out = tmp_path / "out"
    # One job: both tails in one document, the second starting a page or two later.
    build(
        runner,
        mini,
        out,
        "--clinic",
        "all",
        "--layout",
        "parallel",
        "--format",
        "pdf",
        "--jobs",
        "1",
    )
    helping = {}
    for clinic in ("north", "south"):
        spliced = out / "handbook" / clinic / f"handbook-{clinic}-parallel-a5.pdf"
        whole = whole_render(mini, theme, clinic, "parallel", "a5", tmp_path / f"{clinic}.pdf")
        assert_same_edition(spliced, whole, tmp_path / clinic)
        texts = page_texts(spliced)
        helping[clinic] = [
            n for n, t in enumerate(texts) if "Help near you" in t or "Saturday" in t
        ]
    assert len(helping["north"]) == 1 and len(helping["south"]) >= 2


def test_a_right_to_left_edition_is_spliced_on_the_right_sides(
    runner: CliRunner, theme: Theme, tmp_path: Path
) -> None:
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    clinics = daleel.parent / "clinics"
    clinics.mkdir(exist_ok=True)
    (clinics / "east.toml").write_text(
        '[name]\nar = "عيادة الشرق"\nen = "East Clinic"\n'
        '[address]\nar = "شارع النيل 12"\nen = "12 Nile Street"\n'
        '[[contact]]\nphone = "+20 2 555 0100"\n'
        '[contact.label]\nar = "خط المساعدة"\nen = "Helpline"\n',
        "utf-8",
    )
    (clinics / "west.toml").write_text(
        '[name]\nar = "عيادة الغرب"\nen = "West Clinic"\n'
        '[address]\nar = "شارع الهرم 7"\nen = "7 Pyramids Street"\n'
        '[[contact]]\nphone = "+20 2 555 0177"\n'
        '[contact.label]\nar = "خط المساعدة"\nen = "Helpline"\n',
        "utf-8",
    )
    out = tmp_path / "out"
    # One job: both clinics' tails in one batch, cut apart.
    only = ("--layout", "parallel", "--format", "pdf", "--jobs", "1")
    build(runner, daleel, out, "--clinic", "east", "--clinic", "west", *only)
    for clinic in ("east", "west"):
        spliced = out / "daleel" / clinic / f"daleel-{clinic}-parallel-a5.pdf"
        whole = whole_render(daleel, theme, clinic, "parallel", "a5", tmp_path / f"{clinic}.pdf")
        assert_same_edition(spliced, whole, tmp_path / clinic)


def test_the_spliced_help_page_still_dials(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(runner, mini, out, "--clinic", "all", "--layout", "parallel", "--format", "pdf")
    pdf = out / "handbook" / "north" / "handbook-north-parallel-a5.pdf"
    number = next(n for n, text in enumerate(page_texts(pdf), 1) if "Help near you" in text)
    (png,) = pngs(pdf, number, number, tmp_path / "help")
    decoded = sorted(code.text for code in zxingcpp.read_barcodes(png))
    assert decoded == ["https://north.example.org/help", "tel:+15550100"]


def test_spliced_editions_are_reproducible(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    made = []
    for name in ("one", "two"):
        build(
            runner,
            mini,
            tmp_path / name,
            "--clinic",
            "all",
            "--layout",
            "parallel",
            "--format",
            "pdf",
            "--force",
        )
        made.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*.pdf")
            }
        )
    assert len(made[0]) == 2 and made[0] == made[1]
    with pikepdf.open(
        tmp_path / "one" / "handbook" / "north" / "handbook-north-parallel-a5.pdf"
    ) as pdf:
        assert len(pdf.trailer.ID) == 2  # a content-made /ID, no time, no randomness
