"""The ``cio-kit`` command line: parse options, call the pipeline, render, exit.

Each command is thin: no checking logic and no formatting lives here. Heavy
modules (pydantic models, Rich rendering, networkx) are imported inside the
commands so that ``cio-kit --help`` starts fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from cio_kit import __version__

if TYPE_CHECKING:  # the click that Typer ships and types its commands with
    from typer._click import Command, Context, HelpFormatter

COMMANDS: dict[str, tuple[str, str]] = {
    "rules": ("rules", "The rule catalogue: what each rule checks, why it matters, and the fix."),
    "export": ("export", "Write the plan for another tool: MS Project, TaskJuggler, Excel, a calendar."),
    "import": ("importing", "Turn a table of stages, or a Microsoft Project file, into a plan that loads."),
    "plan": ("plan", "Check and manage plan files."),
    "roadmap": ("roadmap", "Order the stages: critical path, waves, Gantt, schedule risk."),
    "report": (
        "report",
        "Decision reports for a steering committee: readiness, budget, gaps, earned value, capacity.",
    ),
    "portfolio": (
        "portfolio",
        "The plans of a repository together: status, the whole IT budget, cross-plan order.",
    ),
    "scenario": (
        "scenario",
        "What-if scenarios (scenarios/NAME.yaml) compared with the portfolio as it stands.",
    ),
}
"""Each command: the module under ``cio_kit.cli`` that holds it, and its line in ``cio-kit --help``.

A command's module is imported only when the command runs (or its own help is asked for):
building all of them costs ``cio-kit --help`` a fifth of its time. A test holds each line to
the command's own help.
"""


def command(name: str) -> Command:
    """The command ``name``, built from its module."""
    module = importlib.import_module(f"cio_kit.cli.{COMMANDS[name][0]}")
    if name in ("rules", "export", "import"):
        one = typer.Typer(rich_markup_mode=None, add_completion=False)
        one.command(name)(getattr(module, f"{name}_command"))
        return typer.main.get_command(one)
    if name == "plan" and all(info.name != "update" for info in module.app.registered_commands):
        from cio_kit.cli import update

        module.app.command("update")(update.update_command)
    group = typer.main.get_group(module.app)
    group.name = name
    return group


class _Commands(TyperGroup):
    """The root group: each command built when it is first asked for."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(command(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        limit = formatter.width - 6 - max(map(len, COMMANDS))  # as click lays the list out
        rows = [
            (name, TyperCommand(name, help=line).get_short_help_str(limit))
            for name, (_, line) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    cls=_Commands,
    rich_markup_mode=None,  # plain help: no <bool> metavars, choices never broken mid-word
    name="cio-kit",
    help="Decision support for enterprise informatization plans kept as YAML.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


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
