"""Clinic files of the clinic directory -> Clinic models, with located problems.

Takes a parsed TOML file of the clinics folder (`sources/clinics/<clinic-id>.toml`, shared
by every handbook there) and the languages of the handbook that uses it; gives its Clinic
(name, address and hours per language, web and e-mail address, logo, phone numbers) and a
Problem for each field that is missing or wrong. A clinic file may hold any languages:
those the handbook does not use are not read for it; a language of the handbook the
clinic has no text in is printed in the clinic's first language, with a warning. Also
the `[[contact]]` reader that handbook.toml's back-cover numbers share with clinics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from booklet.errors import Problem, Severity, SourceLocation
from booklet.model import Clinic, Contact
from booklet.sources.files import TomlFile, read_image, symlink_loop
from booklet.sources.toml_fields import TomlFields
from booklet.text.terminal import quoted

CLINIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PHONE = re.compile(r"\+?[0-9() -]+")
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#][!-~]*)?")
_EMAIL = re.compile(r"[^@\s<>\"()\[\],;:]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+")
MAX_PHONE_DIGITS = 20
"""The most digits a number is dialled with (15 by ITU E.164, with room for a prefix and
an extension)."""
MAX_EMAIL = 254
"""The longest e-mail address mail servers carry (RFC 5321)."""
_SETTINGS = ("url", "email", "logo")
_CLINIC_KEYS = ("name", "address", "hours", *_SETTINGS, "contact")


def dialled(phone: str) -> str:
    """The number as a phone dials it (a `tel:` URI's digits): visual separators gone."""
    return re.sub(r"[^0-9+]", "", phone)


def parse_contact(entry: TomlFields, languages: list[str]) -> Contact:
    """One `[[contact]]` table: a phone number a phone can dial, with a label per language."""
    entry.unknown_keys(("label", "phone"))
    phone = entry.text("phone")
    if "phone" in entry.data and isinstance(entry.data["phone"], str):
        problem = _phone_problem(phone)
        if problem:
            entry.error("phone", problem)
    return Contact(entry.localized("label", languages), phone, entry.at())


def _phone_problem(phone: str) -> str:
    """Why a number cannot be dialled from the page, or ""."""
    if not phone.strip():
        return 'phone is empty, so the page has no number to call; write one, e.g. "+1 555 0100"'
    digits = len(dialled(phone).lstrip("+"))
    if not _PHONE.fullmatch(phone) or digits < 3:
        return (
            f"phone {quoted(phone)} is not a number a phone can dial; write digits, with spaces, "
            '-, ( and ) between them and + only at the start, e.g. "+1 555 0100"'
        )
    if digits > MAX_PHONE_DIGITS:
        return (
            f"phone {quoted(phone)} has {digits} digits, more than a phone network dials "
            f"({MAX_PHONE_DIGITS} at most); write the number only"
        )
    return ""


def _url_problem(url: str) -> str:
    """Why a web address cannot be printed for a reader to type and check, or ""."""
    if not _URL.fullmatch(url):
        return f'url {quoted(url)} must be a web address such as "https://clinic.example.org"'
    host = urlsplit(url).netloc
    if "@" in host:
        real = host.rsplit("@", 1)[1]
        return (
            f'url {quoted(url)} has a user name before "@", so it opens {real}, not the address a '
            'reader sees first; write the web address without "...@"'
        )
    return ""


def _email_problem(email: str) -> str:
    if not _EMAIL.fullmatch(email) or len(email) > MAX_EMAIL:
        return f'email {quoted(email)} must be an address such as "help@clinic.example.org"'
    return ""


def parse_clinic(
    file: TomlFile,
    languages: list[str],
    problems: list[Problem],
    images: dict[Path, bytes],
) -> Clinic:
    """A clinic from its file; its logo's bytes are added to `images`."""
    stand_ins = _stand_ins(file, languages, problems)
    data = _in_languages(dict(file.data), languages, stand_ins)
    for table in ("name", "address", "hours"):
        entries = data.get(table)
        misplaced = [k for k in _SETTINGS if k in entries] if isinstance(entries, dict) else []
        for key in misplaced:  # TOML reads every line after [hours] as part of hours
            TomlFields(file, problems, (table,), {}).error(
                key,
                f"{key} is written under [{table}], so it is read as {table}.{key}; "
                f"move the {key} = line above the first [table] of the file",
            )
        if misplaced and isinstance(entries, dict):
            data[table] = {k: v for k, v in entries.items() if k not in misplaced}
    top = TomlFields(file, problems, data=data)
    top.unknown_keys(_CLINIC_KEYS)
    clinic_id = file.path.stem
    if not CLINIC_ID.fullmatch(clinic_id):
        top.error(
            None,
            f"the clinic file name {quoted(file.path.name)} must be lower-case letters, digits "
            'and "-" followed by .toml (it names the clinic\'s files), e.g. eastside.toml',
        )
    hours = _hours(top, languages)
    url = _checked(top, "url", _url_problem)
    email = _checked(top, "email", _email_problem)
    contacts = tuple(parse_contact(entry, languages) for entry in top.tables("contact"))
    if not contacts and isinstance(top.data.get("contact", []), list):
        top.error(
            "contact" if "contact" in top.data else None,
            "a clinic needs at least one phone number; add a [[contact]] table with "
            'phone = "..." and a [contact.label] line per language',
        )
    return Clinic(
        id=clinic_id,
        name=top.localized("name", languages),
        address=top.localized("address", languages),
        hours=hours,
        url=url,
        email=email,
        logo=_logo(top, images),
        contacts=contacts,
        location=SourceLocation(file.path, 0),
        logo_line=top.line_of("logo") if "logo" in top.data else 0,
        url_line=top.line_of("url") if url else 0,
        stand_ins=stand_ins,
    )


def _checked(top: TomlFields, key: str, problem_of: Callable[[str], str]) -> str:
    """An optional text setting, "" when absent; a problem when written but wrong."""
    value = top.text(key, required=False)
    problem = problem_of(value) if key in top.data and isinstance(top.data[key], str) else ""
    if problem:
        top.error(key, problem)
    return value


def _hours(top: TomlFields, languages: list[str]) -> dict[str, str]:
    """Opening hours: none, or a text for every language (a blank one prints as nothing)."""
    hours = top.localized("hours", languages, required=False)
    if "hours" not in top.data or not hours:
        return hours
    for lang in languages:
        if lang not in hours:
            top.sub("hours").error(
                None, f'"hours" has no text for "{lang}"; add {lang} = "..." or remove [hours]'
            )
        elif not hours[lang].strip():
            top.sub("hours").error(
                lang,
                f'"hours.{lang}" is blank, so it prints as nothing; write the opening '
                "hours, or remove [hours]",
            )
    return {lang: text for lang, text in hours.items() if text.strip()}


def _stand_ins(file: TomlFile, languages: list[str], problems: list[Problem]) -> dict[str, str]:
    """For each language of the handbook the clinic's file has no name in, the language
    printed instead: the first of the file's that the handbook has (its readers read
    it), else the file's first; a warning names them (the clinic prints untranslated)."""
    names = file.data.get("name")
    if not isinstance(names, dict) or not names:
        return {}  # parse_clinic says what is wrong
    first = next((lang for lang in names if lang in languages), next(iter(names)))
    missing = [lang for lang in languages if lang not in names]
    if missing:
        listed = ", ".join(f'"{lang}"' for lang in missing)
        adds = " and ".join(f'{lang} = "..."' for lang in missing)
        problems.append(
            Problem(
                SourceLocation(file.path, 0),
                f'clinic "{file.path.stem}" has no text in {listed}: its edition prints it in '
                f'"{first}" there, untranslated; to translate it, add {adds} to its [name] and '
                "its other tables",
                Severity.WARNING,
            )
        )
    return {lang: first for lang in missing}


_LOCALIZED = ("name", "address", "hours")


def _in_languages(
    data: dict[str, Any], languages: list[str], stand_ins: dict[str, str]
) -> dict[str, Any]:
    """The clinic's tables with one text per language of the handbook: a stand-in's text
    for a language it has none in; lines for other languages left out, unread."""

    def texts(table: object) -> object:
        if not isinstance(table, dict):
            return table
        kept = {k: v for k, v in table.items() if k in _SETTINGS}  # misplaced: reported
        for lang in languages:
            source = stand_ins.get(lang, lang)
            if source in table:
                kept[lang] = table[source]
        return kept

    for key in _LOCALIZED:
        if key in data:
            data[key] = texts(data[key])
    if isinstance(data.get("contact"), list):
        data["contact"] = [
            {**entry, "label": texts(entry["label"])}
            if isinstance(entry, dict) and "label" in entry
            else entry
            for entry in data["contact"]
        ]
    return data


def _logo(top: TomlFields, images: dict[Path, bytes]) -> Path | None:
    name = top.text("logo", required=False)
    if not name:
        return None
    folder = top.file.path.parent
    path = folder / name
    data = read_image(path, folder) if "/" not in name and "\\" not in name else None
    if data is None and symlink_loop(path):
        top.error(
            "logo", f"logo {quoted(name)} is a symlink that loops; replace it with the image file"
        )
        return None
    if data is None:
        top.error(
            "logo",
            f'logo "{name}" is not a file in the clinics folder ({folder.name}); put the image '
            "beside the clinic's .toml file and write its file name",
        )
        return None
    images[path] = data
    return path
