"""Images: inside the handbook, of the type their name says, decodable, and self-contained.

Takes the parsed handbook (with every image's bytes, read once by booklet.sources); gives
a Problem per image that cannot be embedded safely: outside the handbook or missing, too
large, not the type its name says, a raster image that does not decode or has too many
pixels, an SVG with a DTD, a script, event handlers, foreign content or any reference to
something outside itself (which a reading app might fetch later). Nothing that passes
here can make a PDF or an EPUB reach out of itself.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from PIL import Image as PillowImage

from booklet.errors import Problem, SourceLocation
from booklet.model import Image, block_inlines, image_key
from booklet.sources.files import MAX_IMAGE_BYTES, symlink_loop

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck

MAX_IMAGE_PIXELS = 50_000_000
"""A raster image with more pixels than this is refused (a 24-megapixel photo has 24 M)."""

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "handler"}
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.I)
_FIX = "use a PNG, JPEG, GIF, WebP or SVG file whose name ends in its type (.png, .jpg...)"


def image_kind(data: bytes, suffix: str) -> str:
    """The file type an image's first bytes show (`.png`...), or "" for none booklet takes."""
    head = data[:4096]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return ".jpeg" if kind == ".jpg" and suffix == ".jpeg" else kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if b"<svg" in head.lower():  # an editor's SVG may open with a long comment
        return ".svg"
    return ""


def _raster_problem(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    most = MAX_IMAGE_PIXELS // 1_000_000
                    return (
                        f"has {width} x {height} pixels, more than booklet takes "
                        f"({most} million); make it smaller"
                    )
                picture.verify()
    except (
        OSError,
        SyntaxError,
        ValueError,
        PillowImage.DecompressionBombError,
        PillowImage.DecompressionBombWarning,
    ) as error:
        return f"does not decode as an image ({error}); export it again from your editor"
    return None


def _svg_problem(data: bytes) -> str | None:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"is not a readable SVG file ({error}); export it again from your editor"
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return "has a DOCTYPE or entities; export it again as plain SVG without them"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        where = f"(line {element.sourceline} of the SVG)"
        if name.lower() in _ACTIVE:
            return (
                f"holds <{name}> {where}; an image must not run code or hold other "
                "content: export it again as plain SVG"
            )
        if name == "style" and _EXTERNAL_CSS.search(element.text or ""):
            return f"has a style that loads something from outside {where}; remove it"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return (
                    f'has an event handler ({local}="...") {where}; an image must not run '
                    "code: remove it"
                )
            if local == "href" and not value.strip().startswith("#"):
                return (
                    f'refers to "{value[:60]}" {where}; an image must not load anything '
                    "from outside itself: embed it or remove the reference"
                )
            if _EXTERNAL_CSS.search(value) and local in (
                "style",
                "fill",
                "stroke",
                "filter",
                "mask",
                "clip-path",
            ):
                return f"has a style that loads something from outside {where}; remove it"
    return None


LOOP = "is a symlink that loops; replace it with the image file"


def check_images(under: UnderCheck) -> list[Problem]:
    handbook = under.handbook
    problems = []
    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if isinstance(node, Image):
                        location = SourceLocation(text.path, node.line)
                        problem = _image_problem(under, text.path.parent, node)
                        if problem:
                            problems.append(Problem(location, f'image "{node.src}" {problem}'))
    for clinic in handbook.clinics:
        if clinic.logo is not None:
            problem = image_data_problem(clinic.logo, handbook.images[clinic.logo])
            if problem:
                location = SourceLocation(clinic.location.path, clinic.logo_line)
                problems.append(Problem(location, f'logo "{clinic.logo.name}" {problem}'))
    return problems


def _image_problem(under: UnderCheck, folder: Path, node: Image) -> str | None:
    handbook = under.handbook
    if "://" in node.src or node.src.startswith(("data:", "/")):
        return "must be a relative path to a file in the handbook folder"
    key = image_key(folder, node.src)
    data = handbook.images.get(key)
    if data is None:
        if symlink_loop(key):
            return LOOP
        if not key.resolve().is_relative_to(handbook.root):
            return "is outside the handbook folder; copy it into the handbook folder"
        return "does not exist; check the file name"
    return image_data_problem(key, data)


def image_data_problem(path: Path, data: bytes) -> str | None:
    """Why an image's bytes cannot be embedded safely (size, type, content), or None."""
    if len(data) > MAX_IMAGE_BYTES:
        return (
            f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB; make it smaller "
            "(a printed page needs no more than 300 pixels per inch)"
        )
    suffix = path.suffix.lower()
    kind = image_kind(data, suffix)
    if kind != suffix:
        what = f"holds {kind[1:].upper()} data" if kind else "is not an image"
        return f"{what}; {_FIX}"
    return _svg_problem(data) if kind == ".svg" else _raster_problem(data)
