import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from booklet.cli import main
from tests.conftest import missing_file_theme


def walk(group: click.Group, prefix: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*prefix, name))


def test_every_command_and_option_has_help() -> None:
    assert main.help
    for path, command in walk(main):
        assert command.help, f"booklet {' '.join(path)} has no help"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"booklet {' '.join(path)} {param.opts[0]} has no help"
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0
        assert "Usage: main " + " ".join(path) in result.output


@pytest.mark.subprocess
def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "booklet", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Publish bilingual legal-aid handbooks" in result.stdout


def test_check_ok(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 0
    assert result.output == f"{mini}: ok\n"


def test_check_lists_every_problem_and_exits_1(runner: CliRunner, mini: Path) -> None:
    en = mini / "en" / "01-start.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("[[demo-code 667]]", "[[demo-code 999]]"),
        encoding="utf-8",
    )
    (mini / "zh-Hans" / "02-privacy.md").unlink()
    result = runner.invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{mini}/en/02-privacy.md: warning: this chapter has no original: there is no "
        '"zh-Hans" version (zh-Hans/02-privacy.md); it is not printed: add the original or '
        "remove this file",
        f"{en}:3: warning: this block cites [[demo-code 999]] but zh-Hans/01-start.md:3 cites "
        "[[demo-code 667]]; a translation should cite the same articles",
        f'{en}:3: [[demo-code 999]]: "demo-code" has no article "999"; add it to '
        f"{mini.parent}/laws/demo-code.toml or correct the citation",
        f"Error: 3 problems in {mini}",
    ]


def test_check_strict_fails_on_warnings(runner: CliRunner, mini: Path) -> None:
    toml = mini / "handbook.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("2099-01-01", "2020-01-01"), encoding="utf-8"
    )
    relaxed = runner.invoke(main, ["check", str(mini)])
    assert relaxed.exit_code == 0
    assert relaxed.output.endswith(f"{mini}: ok (1 warning)\n")
    strict = runner.invoke(main, ["check", "--strict", str(mini)])
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == f"Error: 1 problem in {mini}"


@pytest.mark.subprocess
def test_build_writes_the_named_files(runner: CliRunner, guia: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "build",
            str(guia),
            "--layout",
            "parallel",
            "--paper",
            "a6",
            "--format",
            "pdf,epub",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "guia").iterdir()) == ["guia-parallel-a6.pdf", "guia.epub"]
    lines = result.output.splitlines()
    assert lines[0] == "guia:"
    assert lines[1].startswith("  guia-parallel-a6.pdf (parallel, A6) ... ")
    assert lines[-1].startswith("Built 2 files for 1 handbook in ")
    assert lines[-1].endswith(f" s into {out}/")


def test_build_refuses_bad_sources_and_writes_nothing(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    (mini / "en" / "02-privacy.md").write_text("no title\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(mini), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{mini}/en/02-privacy.md:1: a chapter must start with its title as a # heading; "
        "add a line '# Title' at the top"
    )
    assert result.output.splitlines()[-2:] == [
        f"Error: 4 problems in {mini}",
        "Nothing was built; fix the problems above and build again.",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--layout", "columns"], "Invalid value for '--layout'"),
        (["build", "--paper", "b5"], "Invalid value for '--paper'"),
        (
            ["build", "--format", "docx"],
            "'docx' is not a format; use pdf, epub, html or several separated by commas",
        ),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output


def test_no_handbook_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}/nope: no such handbook folder\n"


def test_a_bug_shows_its_traceback_and_asks_for_a_report(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import booklet.build.handbooks

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(booklet.build.handbooks, "check_folder", broken)
    result = CliRunner().invoke(main, ["check", str(mini)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-2] == "RuntimeError: a bug"
    assert lines[-1] == (
        "This is a bug in booklet, not a problem in your handbook; please report it with "
        "the lines above and the command you ran"
    )


def test_ctrl_c_is_one_line_and_exit_130(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import booklet.build.handbooks

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(booklet.build.handbooks, "check_folder", interrupted)
    result = CliRunner().invoke(main, ["check", str(mini)])
    assert (result.exit_code, result.output) == (
        130,
        "Interrupted; booklet stopped before finishing.\n",
    )


def test_the_error_boundary_is_the_only_one() -> None:
    """No command wraps its own body to map errors; `except Exception` appears nowhere
    in booklet but around the exchange-file parsers (which raise many kinds)."""
    package = Path(__file__).resolve().parent.parent / "booklet"
    broad = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "except Exception" in path.read_text(encoding="utf-8")
    ]
    assert sorted(broad) == ["cli/boundary.py", "exchange/files.py"]
    cli = "".join(p.read_text(encoding="utf-8") for p in (package / "cli").glob("*.py"))
    assert "sys.exit" not in cli


@pytest.mark.subprocess
def test_clean_removes_the_built_files_and_nothing_else(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(mini), "--layout", "parallel", "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        [
            "build",
            str(mini),
            "--layout",
            "parallel",
            "--format",
            "pdf",
            "--clinic",
            "south",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    # Named like a kit, but booklet did not make it: it stays (by record, not by name).
    (out / "handbook" / "south" / "handbook-south-kit.zip").write_bytes(b"a kit")
    (out / "handbook" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert (result.exit_code, result.output) == (
        0,
        f"{out}/handbook: 3 files removed; 2 files booklet did not make were left\n",
    )
    assert sorted(p.name for p in (out / "handbook").iterdir()) == ["notes.txt", "south"]
    assert [p.name for p in (out / "handbook" / "south").iterdir()] == ["handbook-south-kit.zip"]
    again = runner.invoke(main, ["clean", str(mini), "--out", str(out)])
    assert again.output == (
        f"{out}/handbook: nothing to remove; 2 files booklet did not make were left\n"
    )


def test_check_json_lists_every_problem_for_an_editor(runner: CliRunner, mini: Path) -> None:
    import json

    (mini / "zh-Hans" / "02-privacy.md").unlink()
    en = mini / "en" / "01-start.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("[[demo-code 667]]", "[[demo-code 999]]"),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["check", "--json", str(mini)])
    assert result.exit_code == 1
    [report] = json.loads(result.stdout)
    assert report["handbook"] == str(mini) and report["ok"] is False
    assert {(p["file"], p["line"], p["severity"]) for p in report["problems"]} == {
        (f"{mini}/en/02-privacy.md", 0, "warning"),
        (str(en), 3, "warning"),
        (str(en), 3, "error"),
    }
    assert result.stderr == ""


REPORT_SCHEMA = {
    "handbook": str,
    "ok": bool,
    "problems": [{"file": str, "line": int, "severity": ("error", "warning"), "message": str}],
}
BUILD_REPORT_SCHEMA = {
    **REPORT_SCHEMA,
    "outputs": [
        {"path": str, "kind": str, "pages": (int, type(None)), "bytes": int, "unchanged": bool}
    ],
}


def conforms(value: object, schema: object) -> bool:
    """A small schema: a dict names every key and its schema, a one-item list is a list
    of that, a tuple of values is one of them, a tuple of types is one of those types."""
    if isinstance(schema, dict):
        return (
            isinstance(value, dict)
            and set(value) == set(schema)
            and all(conforms(value[k], s) for k, s in schema.items())
        )
    if isinstance(schema, list):
        return isinstance(value, list) and all(conforms(item, schema[0]) for item in value)
    if isinstance(schema, tuple) and all(isinstance(s, type) for s in schema):
        return isinstance(value, schema) and (bool in schema or not isinstance(value, bool))
    if isinstance(schema, tuple):
        return value in schema
    assert isinstance(schema, type)
    return isinstance(value, schema) and (schema is bool or not isinstance(value, bool))


@pytest.mark.subprocess
def test_check_and_build_json_share_one_shape(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    import json

    checked = runner.invoke(main, ["check", "--json", str(mini)])
    [check_report] = json.loads(checked.stdout)
    assert conforms(check_report, REPORT_SCHEMA)
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["build", str(mini), "--json", "--layout", "parallel", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    [report] = json.loads(result.stdout)
    assert conforms(report, BUILD_REPORT_SCHEMA)
    assert report["problems"] == check_report["problems"]
    pdf, epub = report["outputs"]
    assert pdf == {
        "path": f"{out}/handbook/handbook-parallel-a5.pdf",
        "kind": "pdf",
        "pages": 8,
        "bytes": (out / "handbook/handbook-parallel-a5.pdf").stat().st_size,
        "unchanged": False,
    }
    assert (epub["kind"], epub["pages"]) == ("epub", None)


def test_build_json_of_a_broken_handbook_builds_nothing(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    import json

    en = mini / "en" / "01-start.md"
    en.write_text(
        en.read_text(encoding="utf-8").replace("[[demo-code 667]]", "[[demo-code 999]]"),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["build", str(mini), "--json", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == ""
    [report] = json.loads(result.stdout)
    assert conforms(report, BUILD_REPORT_SCHEMA)
    assert (report["ok"], report["outputs"]) == (False, [])
    assert (str(en), 3, "error") in {
        (p["file"], p["line"], p["severity"]) for p in report["problems"]
    }
    assert not (tmp_path / "out").exists()


@pytest.mark.render
def test_build_json_of_a_failed_render_is_json_too(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    import json

    theme = missing_file_theme(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["build", str(mini), "--json", "--theme", str(theme), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    [report] = json.loads(result.stdout)
    assert conforms(report, BUILD_REPORT_SCHEMA)
    assert (report["ok"], report["outputs"]) == (False, [])
    assert report["problems"][-1] == {
        "file": str(mini),
        "line": 0,
        "severity": "error",
        "message": f'refused to load a resource: "{mini}/missing.png" does not exist or is '
        "not a file",
    }
    assert not list(out.rglob("*.pdf"))


@pytest.mark.render
def test_quiet_prints_only_problems(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "out")]
    result = runner.invoke(main, ["build", str(mini), "--quiet", "--layout", "parallel", *out])
    assert (result.exit_code, result.output) == (0, "")
    assert runner.invoke(main, ["check", "-q", str(mini)]).output == ""
    # A booklet of A4 pages is imposed on A3: its warning is a problem, so it is printed.
    imposed = runner.invoke(
        main,
        [
            "build",
            str(mini),
            "-q",
            "--layout",
            "parallel",
            "--paper",
            "a4",
            "--impose",
            "booklet",
            "--format",
            "pdf",
            *out,
        ],
    )
    assert imposed.exit_code == 0
    assert imposed.stderr == (
        f"{tmp_path}/out/handbook/handbook-parallel-a4-booklet.pdf: warning: this booklet prints "
        "on A3 paper, which most office printers do not take; take it to a print shop, or "
        "print the unimposed PDF page by page\n"
    )
    assert imposed.stdout == ""
    # Warnings of the sources are printed too.
    (mini / "translations.lock").unlink()
    warned = runner.invoke(main, ["check", "--quiet", str(mini)])
    assert (warned.exit_code, warned.stdout) == (0, "")
    assert warned.stderr.startswith(f"{mini}/translations.lock: warning: no translations.lock yet")
