"""``cio-kit plan update``: this week's progress written into the plan file, nothing else (SPEC §19)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cio_kit.cli.common import load_config_or_exit, usage_error

if TYPE_CHECKING:
    from cio_kit.plan.update import Change


def update_command(
    plan: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to update in place.")],
    sets: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--set", metavar="ID.FIELD=VALUE", help="A value to set, e.g. S-ERP.percent_complete=60."
        ),
    ] = None,
    source: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--from",
            metavar="FILE",
            help="A progress sheet (.csv or .xlsx, as export xlsx writes it): id and progress columns.",
        ),
    ] = None,
    status_date: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--status-date", metavar="YYYY-MM-DD", help="The new status date."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the unified diff; write nothing.")
    ] = False,
) -> None:
    """Set status, percent_complete, actual dates and cost without hand-editing YAML.

    The file is edited where each value stands: comments, key order, quoting
    and flow style stay byte for byte, so git diff shows only the changes.
    The updated plan is loaded first; a blocking finding or an unknown id
    writes nothing and exits 1. The file is replaced atomically.
    """
    import difflib

    from cio_kit.cli.atomic import write_atomic
    from cio_kit.plan import update
    from cio_kit.plan.files import UnreadableFile, read_text
    from cio_kit.plan.loader import load_bytes
    from cio_kit.render.escape import terminal

    config = load_config_or_exit(None)
    limit = int(config.limits.max_file_mib * 1024 * 1024)
    try:
        before = read_text(plan, limit)
        changes = _asked(sets or [], source, status_date, limit)
        after = update.apply(before, changes)
    except UnreadableFile as error:
        usage_error(f"{plan}: {error}")
    except update.UpdateError as error:
        typer.echo(f"cio-kit: {terminal(str(error))}; nothing written", err=True)
        raise typer.Exit(1) from None
    if not changes:
        usage_error("nothing to update: give --set ID.FIELD=VALUE, --from FILE or --status-date")
    loaded = load_bytes(after.encode("utf-8"), str(plan), limits=config.limits)
    if loaded.blocked:
        for finding in loaded.findings:
            if finding.blocking:
                typer.echo(terminal(f"{plan}:{finding.line}: {finding.rule} {finding.message}"), err=True)
        typer.echo("cio-kit: the update would break the plan; nothing written", err=True)
        raise typer.Exit(1)
    if dry_run:
        diff = difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{plan}", f"b/{plan}"
        )
        sys.stdout.write("".join(diff))
        return
    if after != before:
        write_atomic(plan, after)
    typer.echo(f"cio-kit: updated {terminal(str(plan))} ({len(changes)} value(s))", err=True)


def _asked(sets: list[str], source: Path | None, status_date: str | None, limit: int) -> list[Change]:
    """Every change asked for, checked; UpdateError names the first that cannot be made."""
    from cio_kit.plan import update

    changes: list[Change] = []
    for entry in sets:
        target, equals, value = entry.partition("=")
        ident, dot, field = target.rpartition(".")
        if not equals or not dot or not ident:
            raise update.UpdateError(f"--set {entry!r}: write ID.FIELD=VALUE, e.g. S-ERP.status=done")
        changes.append(update.change(ident, field, value, f"--set {entry}"))
    if source is not None:
        from cio_kit.interchange.rows import STAGE_COLUMNS
        from cio_kit.render.escape import terminal

        rows = _rows(source, limit)
        changes += update.from_rows(rows, str(source))
        for message in update.left_out(rows, str(source), STAGE_COLUMNS):
            typer.echo(f"cio-kit: warning: {terminal(message)}", err=True)
    if status_date is not None:
        changes.append(update.change(None, "status_date", status_date, "--status-date"))
    return changes


def _rows(source: Path, limit: int) -> list[list[object]]:
    """The rows of a progress sheet, CSV or XLSX by its suffix."""
    from cio_kit.plan import update
    from cio_kit.plan.files import UnreadableFile, read_input

    try:
        raw = read_input(source, limit)
    except UnreadableFile as error:
        raise update.UpdateError(f"{source}: {error}") from None
    try:
        if source.suffix.lower() == ".xlsx":
            from cio_kit.interchange.xlsx import rows_from_xlsx

            return rows_from_xlsx(raw)
        from cio_kit.interchange.csv import rows_from_csv

        return rows_from_csv(raw.decode("utf-8-sig"))
    except Exception as error:  # any unreadable sheet is the user's file, not our bug
        raise update.UpdateError(
            f"{source}: not a readable sheet ({type(error).__name__}: {error})"
        ) from None
