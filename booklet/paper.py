"""Paper sizes booklet prints on, by the names used on the command line and in handbook.toml."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH


@dataclass(frozen=True)
class Paper:
    """A portrait page size."""

    name: str
    """Name on the command line (`a5`)."""
    width_mm: float
    """Width in millimetres."""
    height_mm: float
    """Height in millimetres."""

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:g}mm {self.height_mm:g}mm"

    @property
    def points(self) -> tuple[float, float]:
        return self.width_mm * POINTS_PER_MM, self.height_mm * POINTS_PER_MM


PAPERS: dict[str, Paper] = {
    paper.name: paper
    for paper in (
        Paper("a4", 210, 297),
        Paper("a5", 148, 210),
        Paper("a6", 105, 148),
        Paper("letter", 8.5 * MM_PER_INCH, 11 * MM_PER_INCH),
        Paper("half-letter", 5.5 * MM_PER_INCH, 8.5 * MM_PER_INCH),
    )
}
"""Every paper size booklet knows, by name."""

DEFAULT_PAPER = "a5"
