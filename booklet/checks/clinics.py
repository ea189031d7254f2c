"""Clinic editions' QR codes: what each holds fits the code the theme prints.

Takes the handbook's clinics and the theme; gives a Problem at a clinic's `url` (or its
first `[[contact]]`) when the text is longer than the theme's printed code holds with
modules a phone can read (booklet.themes.codes), which the build could not draw.
"""

from __future__ import annotations

from booklet.checks.context import UnderCheck
from booklet.errors import Problem, SourceLocation
from booklet.sources.clinics import dialled
from booklet.themes.codes import CodeCapacity, code_capacity


def check_clinic_codes(under: UnderCheck) -> list[Problem]:
    """Every QR code of every clinic edition holds its text at a readable size."""
    clinics = under.handbook.clinics
    if not clinics:
        return []
    capacity = code_capacity(under.theme)
    problems: list[Problem] = []
    for clinic in clinics:
        payloads = []
        if clinic.contacts:
            main = clinic.contacts[0]
            payloads.append(("phone", "tel:" + dialled(main.phone), main.location))
        if clinic.url:
            payloads.append(
                ("url", clinic.url, SourceLocation(clinic.location.path, clinic.url_line))
            )
        for key, text, location in payloads:
            size = len(text.encode("utf-8"))
            if size > capacity.max_bytes:
                problems.append(Problem(location, _too_long(key, size, capacity)))
    return problems


def _too_long(key: str, size: int, capacity: CodeCapacity) -> str:
    if not capacity.max_bytes:
        return (
            f"the theme prints QR codes {capacity.size_mm:g} mm wide, too small for any "
            "code a phone reads (0.33 mm a module); make .qr-code at least 10 mm wide"
        )
    return (
        f"{key} is {size} characters, more than the {capacity.size_mm:g} mm QR code of the "
        f"clinic page holds at a readable size ({capacity.max_bytes} at most); use a "
        "shorter address"
    )
