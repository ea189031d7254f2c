"""The second hostile-input corpus (issue 28), kept as tests: clinic data that cannot be
dialled or scanned, failures that were tracebacks (a full disk, a closed output), a
damaged cache record, TOML bombs, and the rest. Each case asserts its exact message and
exit code; the ones that start a process run it under resource limits."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.errors import RenderError, SourceLocation
from booklet.render.qr import qr_code
from booklet.themes.codes import code_capacity
from booklet.themes.theme import Theme
from tests.test_check import edit, problems
from tests.test_cli import BUILD_REPORT_SCHEMA, REPORT_SCHEMA, conforms

NORTH_CONTACT = (
    '[[contact]]\nphone = "+1 555 0100"\n[contact.label]\nzh-Hans = "求助热线"\nen = "Helpline"\n'
)
DIAL_ADVICE = (
    "is not a number a phone can dial; write digits, with spaces, -, ( and ) between them "
    'and + only at the start, e.g. "+1 555 0100"'
)

# ---------------------------------------------------------------- clinic data on paper

CLINIC_CASES = {
    "an empty phone": (
        'phone = "+1 555 0100"',
        'phone = ""',
        "clinics/north.toml:17: phone is empty, so the page has no number to call; write one, "
        'e.g. "+1 555 0100"',
    ),
    "a phone ending in a line break": (
        'phone = "+1 555 0100"',
        'phone = "+1 555 0100\\n"',
        f'clinics/north.toml:17: phone "+1 555 0100\\n" {DIAL_ADVICE}',
    ),
    "a phone with an escape sequence": (
        'phone = "+1 555 0100"',
        'phone = "\\u001b]0;pwned\\u0007"',
        f'clinics/north.toml:17: phone "\\x1b]0;pwned\\x07" {DIAL_ADVICE}',
    ),
    "a phone of 22 digits": (
        'phone = "+1 555 0100"',
        'phone = "+1 555 0100 2222 3333 4444 55"',
        'clinics/north.toml:17: phone "+1 555 0100 2222 3333 4444 55" has 22 digits, more '
        "than a phone network dials (20 at most); write the number only",
    ),
    "an empty contact list": (
        NORTH_CONTACT,
        "",
        "clinics/north.toml:1: a clinic needs at least one phone number; add a [[contact]] "
        'table with phone = "..." and a [contact.label] line per language',
    ),
    "contact = []": (
        NORTH_CONTACT,
        "",
        "clinics/north.toml:3: a clinic needs at least one phone number; add a [[contact]] "
        'table with phone = "..." and a [contact.label] line per language',
    ),
    "a url with user-info": (
        'url = "https://north.example.org/help"',
        'url = "https://northgate.example.org@evil.example"',
        'clinics/north.toml:1: url "https://northgate.example.org@evil.example" has a user '
        'name before "@", so it opens evil.example, not the address a reader sees first; '
        'write the web address without "...@"',
    ),
    "an ftp url": (
        'url = "https://north.example.org/help"',
        'url = "ftp://north.example.org/help"',
        'clinics/north.toml:1: url "ftp://north.example.org/help" must be a web address such '
        'as "https://clinic.example.org"',
    ),
    "a url ending in a line break": (
        'url = "https://north.example.org/help"',
        'url = "https://north.example.org/help\\n"',
        'clinics/north.toml:1: url "https://north.example.org/help\\n" must be a web address '
        'such as "https://clinic.example.org"',
    ),
    "a url too long for the printed QR code": (
        'url = "https://north.example.org/help"',
        f'url = "https://north.example.org/{"a" * 400}"',
        "clinics/north.toml:1: url is 426 characters, more than the 26 mm QR code of the "
        "clinic page holds at a readable size (331 at most); use a shorter address",
    ),
    "an e-mail address ending in a line break": (
        'email = "help@north.example.org"',
        'email = "help@north.example.org\\n"',
        'clinics/north.toml:2: email "help@north.example.org\\n" must be an address such as '
        '"help@clinic.example.org"',
    ),
    "an e-mail address with two @": (
        'email = "help@north.example.org"',
        'email = "help@@north.example.org"',
        'clinics/north.toml:2: email "help@@north.example.org" must be an address such as '
        '"help@clinic.example.org"',
    ),
    "blank opening hours": (
        'en = "Mondays 9 am–12 pm"',
        'en = "  "',
        'clinics/north.toml:14: "hours.en" is blank, so it prints as nothing; write the '
        "opening hours, or remove [hours]",
    ),
    "a blank address": (
        'en = "1 North Road"',
        'en = ""',
        'clinics/north.toml:10: "address.en" must be non-empty text in quotes',
    ),
}


@pytest.mark.parametrize("case", list(CLINIC_CASES))
def test_clinic_data_that_does_not_work_on_paper_is_refused(
    mini: Path, theme: Theme, case: str
) -> None:
    old, new, message = CLINIC_CASES[case]
    edit(mini.parent / "clinics" / "north.toml", old, new)
    if case == "contact = []":
        edit(mini.parent / "clinics" / "north.toml", "\n\n[name]", "\ncontact = []\n\n[name]")
    assert message in problems(mini, theme)


def test_a_refused_clinic_stops_check_with_exit_1(runner: CliRunner, mini: Path) -> None:
    edit(mini.parent / "clinics" / "north.toml", 'phone = "+1 555 0100"', 'phone = ""')
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: 1 problem in {mini}"


@pytest.mark.parametrize(
    ("css", "size", "version", "most"),
    [
        ("", 26.0, 13, 331),
        (".qr-code { width: 40mm; height: 40mm; }", 26.0, 13, 331),  # the narrowest counts
        (".qr-code { width: 2cm; height: 2cm; }", 20.0, 8, 152),
        (".qr-code { width: 9mm; }", 9.0, 0, 0),
    ],
)
def test_what_a_printed_qr_code_holds(
    tmp_path: Path, css: str, size: float, version: int, most: int
) -> None:
    from booklet.themes.theme import load_theme

    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "theme.css").write_text(css, encoding="utf-8")
    capacity = code_capacity(load_theme([tmp_path]))
    assert (capacity.size_mm, capacity.version, capacity.max_bytes) == (size, version, most)


def test_a_theme_whose_qr_code_is_too_small_is_told(mini: Path, tmp_path: Path) -> None:
    from booklet.themes.theme import load_theme

    (tmp_path / "small" / "css").mkdir(parents=True)
    (tmp_path / "small" / "css" / "theme.css").write_text(".qr-code { width: 9mm }", "utf-8")
    assert problems(mini, load_theme([tmp_path / "small"]))[:1] == [
        "clinics/north.toml:16: the theme prints QR codes 9 mm wide, too small for any code a "
        "phone reads (0.33 mm a module); make .qr-code at least 10 mm wide"
    ]


def test_the_renderer_reports_an_oversized_payload_at_its_line(tmp_path: Path) -> None:
    where = SourceLocation(tmp_path / "clinics" / "north.toml", 1)
    with pytest.raises(RenderError) as raised:
        qr_code("https://x.example/" + "a" * 3000, where)
    assert str(raised.value) == (
        f"{tmp_path}/clinics/north.toml:1: 3018 characters are too many for a QR code; use a "
        "shorter web address"
    )


# ---------------------------------------------------------------- every failure a message

ROOT = Path(__file__).resolve().parent.parent
CHILD_MEMORY = 2 * 1024**3
CANNOT_WRITE = (
    "cannot write it (File too large); nothing was replaced; check that the output folder "
    "is a folder you may write to, with space left"
)


def booklet(
    *args: str | Path, cwd: Path, stdout: int | IO[Any] = subprocess.PIPE, file_size: int = -1
) -> subprocess.CompletedProcess[str]:
    """`python -m booklet ARGS` in a child process, its memory (and file sizes) limited."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
        if file_size >= 0:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    environment = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run(
        [sys.executable, "-m", "booklet", *map(str, args)],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=limits,
        env=environment,
    )


@pytest.mark.subprocess
def test_a_file_size_limit_while_spilling_is_one_located_line(mini: Path) -> None:
    folder = mini.parent
    result = booklet(
        "build",
        "handbook",
        "--out",
        "out",
        "--layout",
        "parallel",
        "--format",
        "pdf",
        cwd=folder,
        file_size=50_000,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: out/handbook/handbook-parallel-a5.pdf: {CANNOT_WRITE}\n",
    )
    assert not (folder / "out" / "handbook").exists()


@pytest.mark.subprocess
def test_a_file_size_limit_in_the_final_write_is_the_same_line(tmp_path: Path) -> None:
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from booklet.build.transaction import write_all\n"
        "from booklet.errors import BookletError\n"
        "Path('out').mkdir(); Path('out/old.pdf').write_bytes(b'old')\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))\n"
        "try:\n"
        "    write_all([(Path('out/a.pdf'), b'a'), (Path('out/old.pdf'), b'x' * 20_000)])\n"
        "except BookletError as error:\n"
        "    print(error)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert result.stdout == f"out/old.pdf: {CANNOT_WRITE}\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["old.pdf"]
    assert (tmp_path / "out" / "old.pdf").read_bytes() == b"old"


FULL_OUTPUT = {
    "check": ("check", "handbook"),
    "check --json": ("check", "handbook", "--json"),
    "build --json": ("build", "handbook", "--json", "--format", "epub", "--out", "out"),
    "check nope --json": ("check", "nope", "--json"),
}


@pytest.mark.subprocess
@pytest.mark.parametrize("case", list(FULL_OUTPUT))
def test_a_full_standard_output_ends_quietly_with_exit_1(mini: Path, case: str) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = booklet(*FULL_OUTPUT[case], cwd=mini.parent, stdout=full)
    assert (result.returncode, result.stderr) == (1, "")


@pytest.mark.subprocess
def test_a_closed_pipe_ends_quietly_with_exit_141(mini: Path) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # nobody will read: the first write fails
    try:
        result = booklet("check", "handbook", cwd=mini.parent, stdout=writing)
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (141, "")


def failure(message: str, outputs: bool) -> list[dict[str, object]]:
    problem = {"file": "", "line": 0, "severity": "error", "message": message}
    return [
        {"handbook": "", "ok": False, **({"outputs": []} if outputs else {}), "problems": [problem]}
    ]


@pytest.mark.parametrize("command", ["check", "build"])
def test_json_of_a_missing_folder_is_json(runner: CliRunner, tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope"
    result = runner.invoke(main, [command, str(missing), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert conforms(report, [BUILD_REPORT_SCHEMA if command == "build" else REPORT_SCHEMA])
    assert report == failure(f"{missing}: no such handbook folder", command == "build")
    assert result.stderr == f"Error: {missing}: no such handbook folder\n"


@pytest.mark.parametrize("command", ["check", "build"])
def test_json_of_an_unexpected_error_is_json(
    runner: CliRunner, mini: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import booklet.build.handbooks

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(booklet.build.handbooks, "check_folder", broken)
    result = runner.invoke(main, [command, str(mini), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert conforms(report, [BUILD_REPORT_SCHEMA if command == "build" else REPORT_SCHEMA])
    assert report == failure(
        "this is a bug in booklet (RuntimeError: boom); please report it", command == "build"
    )
    assert result.stderr.startswith("Traceback (most recent call last):")


def test_json_of_a_usage_mistake_is_json(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["check", str(mini), "--json", "--bogus"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == failure("No such option '--bogus'.", False)


# ---------------------------------------------------------------- the cache record is input

GOOD_ENTRY = {
    "key": "a" * 64,
    "sha256": "b" * 64,
    "size": 10,
    "pages": 4,
    "notes": ["n"],
    "summary": {"anchors": {"back-cover": 4}},
    "inputs": "",
}
RECORDS: dict[str, object] = {
    "a negative page count": {"handbook.pdf": {**GOOD_ENTRY, "pages": -5}},
    "a size of 1e999": {"handbook.pdf": {**GOOD_ENTRY, "size": 1e999}},
    "a size in quotes": {"handbook.pdf": {**GOOD_ENTRY, "size": "10"}},
    "a size that is true": {"handbook.pdf": {**GOOD_ENTRY, "size": True}},
    "notes that are text": {"handbook.pdf": {**GOOD_ENTRY, "notes": "note"}},
    "a note that is a number": {"handbook.pdf": {**GOOD_ENTRY, "notes": [7]}},
    "a key that is not a hash": {"handbook.pdf": {**GOOD_ENTRY, "key": "x"}},
    "anchors on text pages": {
        "handbook.pdf": {**GOOD_ENTRY, "summary": {"anchors": {"back-cover": "4"}}}
    },
    "a summary booklet does not write": {"handbook.pdf": {**GOOD_ENTRY, "summary": {"x": 1}}},
    "a field booklet does not write": {"handbook.pdf": {**GOOD_ENTRY, "extra": 1}},
    "a name out of the folder": {"../../elsewhere.pdf": GOOD_ENTRY},
    "an absolute name": {"/etc/hostname": GOOD_ENTRY},
    "a name with a NUL": {"hand\x00book.pdf": GOOD_ENTRY},
    "outputs that are a list": [GOOD_ENTRY],
}


def record_text(outputs: object) -> str:
    from booklet import __version__

    return json.dumps({"format": 1, "booklet": __version__, "outputs": outputs})


def read_record(tmp_path: Path, text: str) -> dict[str, object]:
    from booklet.build.cache import CACHE_FOLDER, BuildCache

    (tmp_path / CACHE_FOLDER).mkdir(exist_ok=True)
    (tmp_path / CACHE_FOLDER / "handbook.json").write_text(text, encoding="utf-8")
    return dict(BuildCache(tmp_path, "handbook", tmp_path).before)


def test_a_record_booklet_writes_is_read(tmp_path: Path) -> None:
    assert list(read_record(tmp_path, record_text({"handbook.pdf": GOOD_ENTRY}))) == [
        "handbook.pdf"
    ]


@pytest.mark.parametrize("case", list(RECORDS))
def test_a_record_booklet_does_not_write_is_no_record(tmp_path: Path, case: str) -> None:
    assert read_record(tmp_path, record_text(RECORDS[case])) == {}


@pytest.mark.parametrize(
    "text",
    [
        '{"format": 1, "outputs": ' + "[" * 200_000 + "]" * 200_000 + "}",
        '{"format": 1, "booklet": "x", "outputs": {"a": {"size": 1e999}}}',
        "\x00\x1b[2J not json",
        "",
    ],
    ids=["nested 200,000 deep", "1e999", "binary", "empty"],
)
def test_a_damaged_record_is_no_record(tmp_path: Path, text: str) -> None:
    assert read_record(tmp_path, text) == {}


def test_a_record_that_is_a_folder_is_no_record(tmp_path: Path) -> None:
    from booklet.build.cache import CACHE_FOLDER, BuildCache

    (tmp_path / CACHE_FOLDER / "handbook.json").mkdir(parents=True)
    assert dict(BuildCache(tmp_path, "handbook", tmp_path).before) == {}


@pytest.mark.subprocess
def test_notes_from_the_record_reach_the_terminal_without_escapes(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    from booklet.build.cache import CACHE_FOLDER

    out = tmp_path / "out"
    arguments = ["build", str(mini), "--out", str(out), "--format", "epub"]
    assert runner.invoke(main, arguments).exit_code == 0
    path = out / CACHE_FOLDER / "handbook.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["outputs"]["handbook.epub"]["notes"] = ["\x1b]0;pwned\x07\x1b[2J cleared"]
    path.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "      \\x1b]0;pwned\\x07\\x1b[2J cleared\n" in result.output
    assert "handbook.epub (EPUB 3) ... unchanged" in result.output


# ---------------------------------------------------------------- TOML bombs

TOO_DEEP = (
    "a dotted key here has more than 10 parts (a.b.c...), more than booklet reads; a "
    "setting needs no more than a few, e.g. strings.en.contents"
)
TOO_MANY = (
    "this file has more than 50,000 settings and [tables] (this line is past them), more "
    "than booklet reads; split it into several files"
)
TOML_BOMBS = {
    "a dotted key of 20,000 parts": ("x." * 20_000 + "y = 1\n", 1, TOO_DEEP),
    "a [table] of 60,000 parts": ("[" + "x." * 60_000 + "y]\n", 1, TOO_DEEP),
    "an inline table key of 60,000 parts": ("t = {" + "x." * 60_000 + "y = 1}\n", 1, TOO_DEEP),
    "a quoted dotted key": ('"a".' * 11 + "b = 1\n", 1, TOO_DEEP),
    "60,000 settings": ("".join(f"k{i} = 1\n" for i in range(60_000)), 50_001, TOO_MANY),
}
TOML_FILES = {
    "handbook.toml": "handbook/handbook.toml",
    "a statute": "laws/demo-code.toml",
    "a clinic": "clinics/north.toml",
}


@pytest.mark.subprocess
@pytest.mark.parametrize("file", list(TOML_FILES))
@pytest.mark.parametrize("bomb", list(TOML_BOMBS))
def test_a_toml_bomb_is_refused_before_it_is_parsed(mini: Path, file: str, bomb: str) -> None:
    text, line, message = TOML_BOMBS[bomb]
    path = mini.parent / TOML_FILES[file]
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = booklet("check", "handbook", cwd=mini.parent)
    assert result.returncode == 1
    assert f"{TOML_FILES[file]}:{line}: {message}\n" in result.stderr, result.stderr[-800:]
    assert "Traceback" not in result.stderr


@pytest.mark.subprocess
@pytest.mark.parametrize("bomb", ["a dotted key of 20,000 parts", "60,000 settings"])
def test_a_toml_bomb_in_a_theme_is_refused(mini: Path, tmp_path: Path, bomb: str) -> None:
    text, line, message = TOML_BOMBS[bomb]
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.toml").write_text(text, encoding="utf-8")
    result = booklet("check", "handbook", "--theme", theme, cwd=mini.parent)
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {theme}/theme.toml:{line}: {message}\n",
    )


def test_settings_a_handbook_needs_pass_the_scan() -> None:
    from booklet.text.toml_bounds import toml_bomb

    text = (
        'url = "https://a.b.c.d.e.f.g.h.i.j.k.l.example"  # a.b.c.d.e.f.g.h.i.j.k.l\n'
        'x = """\nq.w.e.r.t.y.u.i.o.p.a.s\n"""\n'
        "[strings.zh-Hans]\ncontents = 'a.b.c.d.e.f.g.h.i.j.k.l'\nv = 1.5\nt = 07:32:00.999\n"
        + "a.b.c.d.e.f.g.h.i.j = 1\n"
    )
    assert toml_bomb(text) is None


# ---------------------------------------------------------------- the rest

CHAPTER_LINE = "## What to do\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See [[demo-code\n1032]] for this.\n", []),
        ("See [[demo-\ncode 1032]] for this.\n", []),
        (
            "And [[demo-code 1032 never closed.\n",
            [
                'handbook/{lang}/01-start.md:{line}: warning: a citation is opened with "[[" '
                'but not closed with "]]"; write [[law-id article]], e.g. '
                "[[prc-civil-code 667]]"
            ],
        ),
    ],
    ids=["wrapped after the law", "wrapped in the law's id", "unclosed"],
)
def test_a_citation_may_wrap_and_an_unclosed_one_is_located(
    mini: Path, theme: Theme, text: str, expected: list[str]
) -> None:
    lines = {}
    for lang in ("zh-Hans", "en"):
        chapter = mini / lang / "01-start.md"
        before = chapter.read_text(encoding="utf-8")
        chapter.write_text(before + "\n" + text, encoding="utf-8")
        lines[lang] = before.count("\n") + 2
    found = problems(mini, theme)
    assert found == [
        message.format(lang=lang, line=lines[lang])
        for lang in ("zh-Hans", "en")
        for message in expected
    ]


def test_a_wrapped_citation_is_one_citation(mini: Path) -> None:
    from booklet.cli.handbooks import parsed
    from booklet.model import Citation

    for lang in ("zh-Hans", "en"):
        chapter = mini / lang / "01-start.md"
        chapter.write_text(
            chapter.read_text(encoding="utf-8") + "\nSee [[demo-code\n1032]].\n", encoding="utf-8"
        )
    handbook = parsed(mini)
    last = handbook.chapters[0].versions["en"].blocks[-1]
    citations = [node for node in getattr(last, "content", ()) if isinstance(node, Citation)]
    assert [(c.law, c.items, c.raw) for c in citations] == [
        ("demo-code", ("1032",), "demo-code 1032")
    ]


STYLESHEETS = {
    "@import of the network": ("@import url(http://evil.example/x.css);", 1, None),
    "@import written with an escape": ('p {}\n@\\69mport "x.css";', 2, None),
    "url() of the network": (
        '.a { background: url("https://evil.example/x.png") }',
        1,
        "https://evil.example/x.png",
    ),
    "url() written with an escape": (
        '.a { background: u\\72l("file:///etc/passwd") }',
        1,
        "file:///etc/passwd",
    ),
    "url() climbing out": (
        ".a {}\n.b { background: url(../../secret.png) }",
        2,
        "../../secret.png",
    ),
    "image-set() of another host": (
        '@media print { .b { background-image: image-set("//evil.example/x.png" 1x) } }',
        1,
        "//evil.example/x.png",
    ),
}


@pytest.mark.parametrize("name", ["epub.css", "theme.css"])
@pytest.mark.parametrize("case", list(STYLESHEETS))
def test_a_theme_stylesheet_loads_nothing_from_outside(
    runner: CliRunner, mini: Path, tmp_path: Path, name: str, case: str
) -> None:
    css, line, target = STYLESHEETS[case]
    theme = tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / name).write_text(css, encoding="utf-8")
    result = runner.invoke(main, ["check", str(mini), "--theme", str(theme)])
    said = (
        "a theme stylesheet may not @import another; put its rules in this file or in css/theme.css"
        if target is None
        else f'url("{target}") is outside the theme folder; a theme loads only its own files '
        "(or data: URLs), never the network or the rest of the disk"
    )
    assert (result.exit_code, result.output) == (1, f"Error: {theme}/css/{name}:{line}: {said}\n")


def test_a_theme_stylesheet_may_load_its_own_files_and_data(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    theme = tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "epub.css").write_text(
        '/* url(http://x) */ .a { background: url("data:image/png;base64,AAAA") }\n'
        ".b { background: url(img/x.png) }\n",
        encoding="utf-8",
    )
    assert runner.invoke(main, ["check", str(mini), "--theme", str(theme)]).exit_code == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "next_review = 2099-01-01",
            'next_review = 2099-01-01\nreviewer = "Ana\\uFFFE Ruiz"',
            "handbook/handbook.toml:21: character U+FFFE (a noncharacter) in review.reviewer "
            "cannot be printed; delete it (it often comes with text copied from another program)",
        ),
        (
            'en = "Test Handbook"',
            'en = "Test\\uFFFF Handbook"',
            "handbook/handbook.toml: character U+FFFF (a noncharacter) in title.en cannot be "
            "printed; delete it (it often comes with text copied from another program)",
        ),
        (
            'en = "Legal service hotline"',
            'en = "Legal\\uFDD0 hotline"',
            "handbook/handbook.toml:26: character U+FDD0 (a noncharacter) in contact.label.en "
            "cannot be printed; delete it (it often comes with text copied from another program)",
        ),
    ],
    ids=["review.reviewer", "title", "contact label"],
)
def test_noncharacters_are_refused_in_metadata(
    mini: Path, theme: Theme, old: str, new: str, message: str
) -> None:
    edit(mini / "handbook.toml", old, new)
    assert problems(mini, theme) == [message]


LOOP = "is a symlink that loops; replace it with the image file"


def test_image_symlink_loops_are_located(mini: Path, theme: Theme) -> None:
    clinics = mini.parent / "clinics"
    (clinics / "loop.png").symlink_to("loop.png")
    edit(
        clinics / "north.toml",
        'email = "help@north.example.org"',
        'email = "help@north.example.org"\nlogo = "loop.png"',
    )
    (mini / "loop.png").symlink_to("loop.png")
    for lang in ("zh-Hans", "en"):
        chapter = mini / lang / "01-start.md"
        chapter.write_text(
            chapter.read_text(encoding="utf-8") + "\n![x](../loop.png)\n", encoding="utf-8"
        )
    found = problems(mini, theme)
    assert found[0] == f'clinics/north.toml:3: logo "loop.png" {LOOP}'
    assert sorted(found[1:]) == [
        f'handbook/en/01-start.md:17: image "../loop.png" {LOOP}',
        f'handbook/zh-Hans/01-start.md:17: image "../loop.png" {LOOP}',
    ]


def test_names_from_the_disk_reach_the_terminal_without_escapes(
    runner: CliRunner, mini: Path
) -> None:
    hostile = mini.with_name("hand\x1b]0;pwned\x07book")
    mini.rename(hostile)
    chapter = hostile / "en" / "01-start.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[demo-code 1\n", "utf-8")
    result = runner.invoke(main, ["check", str(hostile)])
    # Such a folder is no handbook id (#24); the message names it without its escapes.
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    shown = str(hostile).replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert result.output.splitlines()[0].startswith(
        f'Error: {shown}: the folder name "hand\\x1b]0;pwned\\x07book" cannot be a handbook id'
    )


@pytest.mark.parametrize(
    "number", [errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EROFS, errno.EACCES]
)
def test_every_write_failure_is_the_same_line(tmp_path: Path, number: int) -> None:
    from booklet.build.transaction import cannot_write

    error = cannot_write(tmp_path / "a.pdf", OSError(number, os.strerror(number)))
    assert error.report() == [
        f"Error: {tmp_path}/a.pdf: cannot write it ({os.strerror(number)}); nothing was "
        "replaced; check that the output folder is a folder you may write to, with space left"
    ]


def test_a_clinic_file_name_ending_in_a_line_break_is_refused(mini: Path, theme: Theme) -> None:
    clinics = mini.parent / "clinics"
    (clinics / "south.toml").rename(clinics / "south\n.toml")
    assert problems(mini, theme) == [
        'clinics/south\n.toml:1: the clinic file name "south\\n.toml" must be lower-case '
        'letters, digits and "-" followed by .toml (it names the clinic\'s files), e.g. '
        "eastside.toml"
    ]
