"""Shared fixtures: tiny handbooks copied to a temporary folder, and the sample built once."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from click.testing import CliRunner

from booklet.build import BuildPlan, Checked, Output, build_handbook, check_folder
from booklet.themes.theme import Theme, load_theme
from booklet.vocabulary import LAYOUTS

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "sources" / "debt-collection"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
TODAY = date(2026, 11, 28)


HEAVY_LAYERS = ("render", "epubcheck", "ace", "subprocess", "slow")
"""The markers of tests `make test-fast` leaves out (pyproject.toml describes each)."""


class HeavyWork(RuntimeError):
    """A test of the fast layer started what only a marked test may."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Write the golden files of tests/golden anew (review the diff).",
    )


@pytest.fixture(scope="session", autouse=True)
def _fast_layer() -> None:
    # `make test-fast` sets BOOKLET_FAST_LAYER: what a fast test must not do fails it at
    # once, saying which marker it lacks, so the fast layer stays fast as tests are added.
    # (A session fixture, first of all: pytest and pytest-xdist start processes before.)
    if os.environ.get("BOOKLET_FAST_LAYER"):
        _refuse("weasyprint.HTML.render", "renders with WeasyPrint", "render")
        _refuse_processes()
        _refuse("multiprocessing.process.BaseProcess.start", "starts a process", "subprocess")


QUICK_TOOLS = frozenset({"fc-list"})
"""Processes a fast test may start: fontconfig's listing, once per process (booklet's
checks find the theme's fonts through it)."""


def _refuse_processes() -> None:
    import subprocess

    started = subprocess.Popen.__init__

    def refused(self: subprocess.Popen[Any], args: Any, *more: Any, **options: Any) -> None:
        program = args if isinstance(args, str | Path) else args[0]
        if Path(program).name not in QUICK_TOOLS:
            raise HeavyWork(
                f"this test starts {Path(program).name}: mark it @pytest.mark.subprocess"
            )
        started(self, args, *more, **options)

    subprocess.Popen.__init__ = refused  # type: ignore[method-assign]


def _refuse(target: str, what: str, marker: str) -> None:
    module_name, _, attribute = target.rpartition(".")
    owner: Any
    try:
        owner = __import__(module_name, fromlist=["_"])
    except ImportError:  # a class: module.Class.method
        module_name, _, class_name = module_name.rpartition(".")
        owner = getattr(__import__(module_name, fromlist=["_"]), class_name)

    def refused(*_: object, **__: object) -> None:
        raise HeavyWork(f"this test {what}: mark it @pytest.mark.{marker}")

    setattr(owner, attribute, refused)


@pytest.fixture(scope="session")
def theme() -> Theme:
    return load_theme()


def copy_fixture(name: str, destination: Path) -> Path:
    """Copy tests/data/<name> (a handbook folder and its laws/) under `destination`."""
    target = destination / name
    shutil.copytree(DATA / name, target, symlinks=True)
    return target


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the zh-Hans/en mini handbook; returns the handbook folder."""
    return copy_fixture("mini", tmp_path) / "handbook"


@pytest.fixture
def guia(tmp_path: Path) -> Path:
    """A writable copy of the Spanish/French handbook."""
    return copy_fixture("es-fr", tmp_path) / "guia"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return CliRunner()


def build_quietly(
    folder: Path,
    theme: Theme,
    out: Path,
    layouts: tuple[str, ...] = LAYOUTS,
    formats: tuple[str, ...] = ("pdf", "epub"),
    papers: tuple[str, ...] = (),
    **options: Any,
) -> list[Output]:
    """Check and build a handbook without printing; `options` are BuildPlan fields."""
    from booklet.build import build_time

    checked: Checked = check_folder(folder, theme, TODAY, strict=False)
    plan = BuildPlan(layouts, papers, formats, out, **options)
    return build_handbook(checked, theme, plan, build_time(), lambda _: None, lambda _: None)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> dict[str, Path]:
    """The sample handbook built once per session: every layout on A5, and the EPUB."""
    out = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        outputs = build_quietly(SAMPLE, theme, out)
    return {o.path.name: o.path for o in outputs}


def network_theme(tmp_path: Path) -> Path:
    """A theme whose stylesheet asks for a file on the network (which loading it refuses)."""
    theme = tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "theme.css").write_text(
        'body { background: url("https://example.org/x.png"); }\n', encoding="utf-8"
    )
    return theme


def missing_file_theme(tmp_path: Path) -> Path:
    """A theme whose stylesheet asks for a file it does not have (which a render refuses)."""
    theme = tmp_path / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "theme.css").write_text(
        'body { background: url("missing.png"); }\n', encoding="utf-8"
    )
    return theme


def script_handbook(mini: Path, theme: Theme, lang: str, text: str) -> Path:
    """The mini handbook with its Chinese replaced by `lang`, chapters holding `text` (and
    interface text copied from English where the theme has none for the language)."""
    (mini / "translations.lock").unlink()
    (mini / "zh-Hans").rename(mini / lang)
    for chapter in (mini / lang).iterdir():
        chapter.write_text(f"# {text.split()[0]}\n\n{text}\n", encoding="utf-8")
    for chapter in (mini / "en").iterdir():
        chapter.write_text("# Title\n\nA paragraph.\n", encoding="utf-8")
    settings = mini / "handbook.toml"
    word = text.split()[0].strip(".;,")
    toml = re.sub(
        r'^zh-Hans = ".*"$', f'{lang} = "{word}"', settings.read_text("utf-8"), flags=re.M
    ).replace('"zh-Hans"', f'"{lang}"')
    if lang not in theme.strings:
        table = tomlkit.table()
        table.update(theme.strings["en"])
        toml += "\n" + tomlkit.dumps({"strings": {lang: table}})
    settings.write_text(toml, encoding="utf-8")
    return mini
