"""Images: relative, inside the handbook folder, existing, and of the type their name says.

Takes the parsed handbook; gives a Problem per image that cannot be embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import Problem, SourceLocation
from booklet.model import (
    Image,
    block_inlines,
)

if TYPE_CHECKING:
    from booklet.checks.context import UnderCheck


def check_images(under: UnderCheck) -> list[Problem]:
    handbook = under.handbook
    problems = []
    for chapter in handbook.chapters:
        for text in chapter.versions.values():
            for block in text.blocks:
                for node in block_inlines(block):
                    if not isinstance(node, Image):
                        continue
                    location = SourceLocation(text.path, node.line)
                    target = (text.path.parent / node.src).resolve()
                    if "://" in node.src or node.src.startswith(("data:", "/")):
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" must be a '
                                "relative path to a file in the handbook folder",
                            )
                        )
                    elif not target.is_relative_to(handbook.root):
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" is outside the '
                                "handbook folder; copy it into the handbook folder",
                            )
                        )
                    elif not target.is_file():
                        problems.append(
                            Problem(
                                location, f'image "{node.src}" does not exist; check the file name'
                            )
                        )
                    elif (kind := _image_kind(target)) != target.suffix.lower():
                        what = f"holds {kind[1:].upper()} data" if kind else "is not an image"
                        problems.append(
                            Problem(
                                location,
                                f'image "{node.src}" {what}; use a PNG, JPEG, GIF, WebP or SVG '
                                "file whose name ends in its type (.png, .jpg...)",
                            )
                        )
    return problems


_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)


def _image_kind(path: Path) -> str:
    """The file type an image's first bytes show (`.png`...), or "" for none booklet takes."""
    with path.open("rb") as stream:
        head = stream.read(512)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return ".jpeg" if kind == ".jpg" and path.suffix.lower() == ".jpeg" else kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if b"<svg" in head.lower():
        return ".svg"
    return ""
