"""Reproducible ZIP files (the EPUB container and the distribution kit).

Takes named entries and a time; gives the archive's bytes: entries in the order given,
each stamped with that time (ZIP's two-second resolution, never before 1980) and the
same permissions, so the same entries and time always give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_bytes(
    entries: Sequence[tuple[str, bytes]], when: datetime, stored: frozenset[str] = frozenset()
) -> bytes:
    """The archive of `entries`; names in `stored` are not compressed (EPUB's mimetype)."""
    stamp = max(
        _ZIP_EPOCH,
        (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=None if name in stored else 9)
    return buffer.getvalue()
