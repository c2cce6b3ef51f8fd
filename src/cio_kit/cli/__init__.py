"""The ``cio-kit`` command line: parse options, call the pipeline, render, exit.

Each command is thin: no checking logic and no formatting lives here. Heavy
modules (pydantic models, Rich rendering, networkx) are imported inside the
commands so that ``cio-kit --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from cio_kit import __version__
from cio_kit.cli import export, importing, plan, portfolio, report, roadmap, rules, scenario, update

app = typer.Typer(
    rich_markup_mode=None,  # plain help: no <bool> metavars, choices never broken mid-word
    name="cio-kit",
    help="Decision support for enterprise informatization plans kept as YAML.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
plan.app.command("update")(update.update_command)
app.add_typer(plan.app, name="plan")
app.add_typer(roadmap.app, name="roadmap")
app.add_typer(report.app, name="report")
app.add_typer(portfolio.app, name="portfolio")
app.add_typer(scenario.app, name="scenario")
app.command("rules")(rules.rules_command)
app.command("export")(export.export_command)
app.command("import")(importing.import_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cio-kit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="On an internal error, show the traceback (also CIO_KIT_DEBUG=1)."),
    ] = False,
) -> None:
    """cio-kit checks informatization plans against four hard-won lessons.

    Exit codes: 0 success, 1 findings at or above the fail level, 2 usage
    error (bad option, missing path, no plan found), 3 internal error.
    """
    if debug:
        os.environ["CIO_KIT_DEBUG"] = "1"


def main() -> None:
    """Console entry point: run the app; an internal error is one line and exit 3."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("cio-kit: interrupted\n")
        sys.exit(130)
    except Exception as error:
        if os.environ.get("CIO_KIT_DEBUG"):
            import traceback

            traceback.print_exc()
        sys.stderr.write(f"cio-kit: internal error: {type(error).__name__}: {error}\n")
        sys.exit(3)
