"""`booklet clean`: the files booklet made for a handbook, removed.

Takes a handbook's output folder; gives the paths removed.
"""

from __future__ import annotations

from pathlib import Path

from booklet.build.cache import CACHE_FOLDER
from booklet.build.preview import PREVIEW_FOLDER
from booklet.build.transaction import output_lock


def clean_outputs(folder: Path) -> list[Path]:
    """Remove every PDF, EPUB, kit and preview PNG made in a handbook's output folder and
    its clinic editions' folders (old papers and layouts someone might print by mistake),
    and the build cache's record of them; other files are left alone, and no link is
    followed."""
    record = folder.parent / CACHE_FOLDER / f"{folder.name}.json"
    if record.is_file() and not record.is_symlink():
        record.unlink()
    if not folder.is_dir():
        return []
    removed = []
    with output_lock(folder):
        inner = [p for p in sorted(folder.iterdir()) if p.is_dir() and not p.is_symlink()]
        for place in (folder, *inner):
            for path in sorted(place.iterdir()):
                made = (
                    path.suffix.lower() in (".pdf", ".epub")
                    or path.name.endswith("-kit.zip")
                    or (place.name == PREVIEW_FOLDER and path.suffix.lower() == ".png")
                )
                if made and path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(path)
    return removed
