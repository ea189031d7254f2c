"""The command line: a thin Click layer over booklet.build and booklet.translations.

Takes the user's words (commands, options, handbook folders); gives progress lines,
problems as `path:line: message`, and exit codes, all mapped in one place
(`boundary.BookletGroup`): 0 done, 1 a problem the user can fix (no traceback), 2 a
mistake on the command line, 130 interrupted. Heavy imports (WeasyPrint) stay inside
the commands, so `booklet --help` is instant. A new command is a module here, added below.
"""

from __future__ import annotations

import click

from booklet.cli.boundary import BookletGroup
from booklet.cli.build import build
from booklet.cli.check import check
from booklet.cli.clean import clean
from booklet.cli.doctor import doctor
from booklet.cli.identify import identify
from booklet.cli.impose import impose_command
from booklet.cli.kit import kit
from booklet.cli.laws import laws
from booklet.cli.new import new
from booklet.cli.preview import preview
from booklet.cli.readability import readability
from booklet.cli.translations import translations
from booklet.cli.watch import watch


@click.group(cls=BookletGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booklet")
def main() -> None:
    """Publish bilingual legal-aid handbooks as printable PDF and EPUB, offline.

    Write a handbook as Markdown in sources/<handbook>/<language>/, then run
    `booklet check` to find problems and `booklet build` to make the files in output/.
    """


for command in (
    new,
    check,
    readability,
    build,
    preview,
    watch,
    kit,
    clean,
    identify,
    impose_command,
    translations,
    laws,
    doctor,
):
    main.add_command(command)
