"""The ``cio-kit`` command line: parse options, call the pipeline, render, exit.

Each command is thin: no checking logic and no formatting lives here. Heavy
modules (pydantic models, Rich rendering, networkx) are imported inside the
commands so that ``cio-kit --help`` starts fast.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from cio_kit import __version__

app = typer.Typer(
    name="cio-kit",
    help="Decision support for enterprise informatization plans kept as YAML.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
plan_app = typer.Typer(help="Check and manage plan files.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


class OutputFormat(str, enum.Enum):
    """Output formats of ``plan validate``."""

    text = "text"
    json = "json"


class FailLevel(str, enum.Enum):
    """Values of ``--fail-on``."""

    warning = "warning"
    error = "error"
    never = "never"


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
) -> None:
    """cio-kit checks informatization plans against four hard-won lessons.

    Exit codes: 0 success, 1 findings at or above the fail level, 2 usage
    error (bad option, missing path, no plan found), 3 internal error.
    """


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"cio-kit: {message}", err=True)
    raise typer.Exit(2)


@plan_app.command("validate")
def validate(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(help="Plan files or directories (searched recursively). Default: plans/."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    fail_on: Annotated[
        FailLevel,
        typer.Option("--fail-on", help="Lowest severity that makes the command exit 1."),
    ] = FailLevel.error,
    max_file_mib: Annotated[
        float,
        typer.Option("--max-file-mib", min=0.001, help="Refuse files larger than this (MiB)."),
    ] = 10.0,
) -> None:
    """Validate plan files: schema, references, cycles and the lesson rules.

    Findings go to stdout in the chosen format; exit 1 when any finding is at
    or above --fail-on.
    """
    from cio_kit.engine import NoPlanError, UsageError, load_all, report_of
    from cio_kit.findings import FailOn
    from cio_kit.loader import Limits

    targets = list(paths) if paths else [Path("plans")]
    try:
        loaded = load_all(targets, Limits(max_file_mib=max_file_mib))
    except NoPlanError as error:
        _print_report(report_of(error.loaded), output_format, to_stderr=True)
        _usage_error(str(error))
    except UsageError as error:
        _usage_error(str(error))
    report = report_of(loaded)
    _print_report(report, output_format)
    raise typer.Exit(report.exit_code(FailOn(fail_on.value)))


def _print_report(report: object, output_format: OutputFormat, to_stderr: bool = False) -> None:
    from cio_kit.findings import Report

    assert isinstance(report, Report)
    if to_stderr and not report.findings:
        return
    if output_format is OutputFormat.json and not to_stderr:
        from cio_kit.render import json_format

        sys.stdout.write(json_format.render(report))
        return
    from rich.console import Console

    from cio_kit.render import text

    text.render(report, Console(stderr=to_stderr))


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
        sys.stderr.write(f"cio-kit: internal error: {type(error).__name__}: {error}\n")
        sys.exit(3)
