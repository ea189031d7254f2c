"""--print-shop PDFs are PDF/X-4, black only, their marks and caption in a slug."""

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from booklet.errors import ConfigError, RenderError
from booklet.outputs import pdfx
from booklet.themes.theme import Theme
from booklet.vocabulary import POINTS_PER_MM
from tests.conftest import build_quietly, copy_fixture
from tests.pdf_structure import content_mcids, read

MM = POINTS_PER_MM


def test_a_grey_in_rgb_becomes_the_same_grey_in_k_and_a_colour_is_refused() -> None:
    operands, operator = pdfx._k_only([0.4, 0.4, 0.4], pikepdf.Operator("rg"), 3)
    assert str(operator) == "k" and [float(v) for v in operands] == [0, 0, 0, 0.6]
    with pytest.raises(RenderError) as error:
        pdfx._k_only([1, 0, 0], pikepdf.Operator("RG"), 3)
    assert str(error.value) == (
        "page 3: a colour (1 0 0 RGB) in a print-shop PDF, which prints in black only; "
        "use black or greys in the theme"
    )


def test_a_missing_output_profile_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfx, "CMYK_PROFILE", Path("/nonexistent/default_cmyk.icc"))
    with pytest.raises(ConfigError) as error:
        pdfx.profile()
    assert str(error.value) == (
        "/nonexistent/default_cmyk.icc: the CMYK output profile of --print-shop is missing; "
        "install it with: apt-get install libgs-common (or run: make setup)"
    )


def grown(box: list[float], by: float) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


def outside(point: tuple[float, float], box: list[float]) -> bool:
    x, y = point
    return x < box[0] or x > box[2] or y < box[1] or y > box[3]


def assert_pdfx(path: Path) -> None:
    """The machine-checkable PDF/X-4 conditions booklet promises (there is no packaged
    veraPDF to run): output intent and profile, identifiers, boxes, colour, fonts, marks."""
    with pikepdf.open(path) as pdf:
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "Custom"
        icc = intent.DestOutputProfile
        assert icc.N == 4 and icc.read_bytes()[16:20] == b"CMYK"
        assert icc.read_bytes()[36:40] == b"acsp"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfuaid:part="1"' in xmp and 'pdfxid:GTS_PDFXVersion="PDF/X-4"' in xmp
        assert 'pdf:Trapped="False"' in xmp and "<xmpMM:DocumentID>" in xmp
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4" and pdf.docinfo.Trapped == "/False"
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert bleed == pytest.approx(grown(trim, 3 * MM), abs=0.01)
            assert media == pytest.approx(grown(trim, 13 * MM), abs=0.01)
            assert "/ArtBox" not in page.obj and "/CropBox" not in page.obj
            commands = pikepdf.parse_content_stream(page)
            assert not [op for _, op in commands if str(op) in ("rg", "RG")]
            marks = pikepdf.parse_content_stream(page.obj.Contents[-1])
            points = [(float(o[0]), float(o[1])) for o, op in marks if str(op) in ("m", "l")]
            assert len(points) >= 16 and all(outside(p, bleed) for p in points), points
            assert all(not outside(p, grown(media, 0.01)) for p in points)
            assert [float(v) for o, op in marks if str(op) == "K" for v in o] == [0, 0, 0, 1]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(obj.keys()), obj
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Transparency":
                assert obj.get("/CS") == "/DeviceCMYK", obj
            text = repr(obj) if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)) else ""
            assert "/DeviceRGB" not in text and "/Lab" not in text and "/CalRGB" not in text


def ink_coverage(path: Path) -> list[tuple[float, float, float, float]]:
    """Ghostscript's ink coverage of each page, over the whole media box."""
    gs = shutil.which("gs")
    assert gs is not None, "Ghostscript is missing; run: make test-packages"
    out = subprocess.run(
        [gs, "-q", "-o", "-", "-sDEVICE=inkcov", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [line.split()[:4] for line in out.splitlines() if line.strip().endswith("OK")]
    return [(float(c), float(m), float(y), float(k)) for c, m, y, k in rows]


@pytest.mark.render
@pytest.mark.subprocess
def test_print_shop_pdfs_are_pdfx_and_black_only(mini: Path, theme: Theme, tmp_path: Path) -> None:
    daleel = copy_fixture("ar-en", tmp_path) / "daleel"
    made = build_quietly(mini, theme, tmp_path / "a", ("parallel",), ("pdf",), print_shop=True)
    made += build_quietly(
        daleel, theme, tmp_path / "b", ("interleaved",), ("pdf",), print_shop=True
    )
    made += build_quietly(
        mini,
        theme,
        tmp_path / "c",
        ("interleaved",),
        ("pdf",),
        print_shop=True,
        edition="large-print",
    )
    assert len(made) == 3
    for output in made:
        assert_pdfx(output.path)
        tagged = read(output.path)  # still PDF/UA: every marked content in the tree, once
        assert content_mcids(tagged.pdf) == set(tagged.parent_tree) == tagged.reached()
        coverage = ink_coverage(output.path)
        assert len(coverage) == output.pages
        assert all(c == m == y == 0 and k > 0 for c, m, y, k in coverage), (output.path, coverage)


def test_a_grey_rgb_image_becomes_devicegray_and_a_colour_one_is_refused() -> None:
    import zlib

    pdf = pikepdf.new()
    grey = bytes([0, 0, 0, 128, 128, 128, 255, 255, 255, 64, 64, 64])
    image = pdf.make_stream(
        zlib.compress(grey),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=2,
        Height=2,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.FlateDecode,
    )
    pdfx._check_image(image, 2)
    assert image.ColorSpace == "/DeviceGray" and image.read_bytes() == bytes([0, 128, 255, 64])
    red = pdf.make_stream(
        bytes([255, 0, 0] * 4),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=2,
        Height=2,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
    )
    with pytest.raises(RenderError) as error:
        pdfx._check_image(red, 7)
    assert str(error.value) == (
        "page 7: a colour image (/DeviceRGB) in a print-shop PDF, which prints in black only; "
        "use a black-and-white or greyscale image"
    )
