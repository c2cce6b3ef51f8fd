"""``cio-kit import``: a table of stages from a spreadsheet into a plan (SPEC §14)."""

from __future__ import annotations

import datetime as dt
import enum
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cio_kit.cli.common import check_output, usage_error

if TYPE_CHECKING:
    from cio_kit.interchange.rows import ImportProblem, PlanDocument


class ImportFormat(str, enum.Enum):
    """The formats ``import`` reads."""

    csv = "csv"
    xlsx = "xlsx"
    mspdi = "mspdi"


class BudgetClass(str, enum.Enum):
    """Budget classes (SPEC §2)."""

    run = "run"
    grow = "grow"
    transform = "transform"


def import_command(
    import_format: Annotated[
        ImportFormat, typer.Argument(metavar="FORMAT", help="csv, xlsx or mspdi (MS Project XML).")
    ],
    source: Annotated[Path, typer.Argument(metavar="FILE", help="A table (one row per stage) or a project.")],
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--output", "-o", metavar="PLAN", help="Write the plan to PLAN (atomically), else stdout."
        ),
    ] = None,
    name: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--name", metavar="TEXT", help="The enterprise's name. Default: the file's name."),
    ] = None,
    plan_start: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--plan-start", metavar="YYYY-MM-DD", help="Day 0. Default: the earliest start column."),
    ] = None,
    currency: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--currency", metavar="ISO", help="The plan's currency, e.g. EUR. Default: the file's, else USD."
        ),
    ] = None,
    budget_class: Annotated[
        BudgetClass, typer.Option("--class", help="mspdi: the class a task's Cost is budgeted as.")
    ] = BudgetClass.grow,
    decimal: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--decimal",
            metavar="SEP",
            help="The decimal separator of a table's numbers, . or , (default: detected with the delimiter).",
        ),
    ] = None,
) -> None:
    """Turn a table of stages, or a Microsoft Project file, into a plan that loads.

    csv and xlsx: columns id, title, kind, duration_weeks (or days),
    depends_on separated by ; or , and any other stage field by its name. A
    cell that cannot be read is reported with its row and column and nothing
    is written (exit 1); a column that is no stage field is reported and left
    out. mspdi: tasks become stages, summary tasks phases, predecessors
    depends_on, resources resources; what cannot be carried over is listed.
    """
    import yaml

    from cio_kit.render.escape import terminal
    from cio_kit.validate import check_bytes

    check_output(output, [source])
    if decimal not in (None, ".", ","):
        usage_error(f"--decimal {decimal!r}: write . or ,")
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        usage_error(f"--currency {currency!r}: an ISO 4217 code of three capital letters, e.g. EUR")
    start = None
    if plan_start is not None:
        try:
            start = dt.date.fromisoformat(plan_start)
        except ValueError:
            usage_error(f"--plan-start {plan_start!r}: write a date as YYYY-MM-DD")
    from cio_kit.plan.files import UnreadableFile, read_input
    from cio_kit.plan.loader import FileLimits

    try:  # a table or a project file is the size of a plan at most (SPEC §3)
        raw = read_input(source, int(FileLimits().max_file_mib * 1024 * 1024))
    except UnreadableFile as error:
        usage_error(f"{source}: {error}")
    document, problems = _read(import_format, raw, source, name, start, decimal, currency, budget_class)
    for problem in problems:
        at = f"{source}:{problem.row}:{problem.column}" if problem.column else f"{source}:{problem.row}"
        at = at if problem.row else str(source)
        label = "error" if problem.error else "left out"
        typer.echo(terminal(f"{at}: {label}: {problem.message}"), err=True)
    if any(problem.error for problem in problems):
        typer.echo("cio-kit: nothing written; fix the cells named above", err=True)
        raise typer.Exit(1)
    if "currency" not in document["enterprise"]:  # said only of a plan that is written
        typer.echo(
            f"{source}: note: no currency given; the plan is in USD, the default (--currency)", err=True
        )
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = "# Imported by cio-kit import from " + terminal(source.name) + "\n"  # escaped: one line
    # One line per scalar (no folding), and no line of imported text may begin a workflow command.
    text += yaml.dump(_guarded(document), Dumper=dumper, sort_keys=False, allow_unicode=True, width=1 << 30)
    loaded = check_bytes(text.encode("utf-8"), str(output or "stdout"), rules=False)
    if loaded.blocked:
        for finding in loaded.findings:
            typer.echo(terminal(f"{source}: {finding.rule} {finding.message}"), err=True)
        typer.echo("cio-kit: the table does not make a plan that loads; nothing written", err=True)
        raise typer.Exit(1)
    if output is None:
        sys.stdout.write(text)
        return
    from cio_kit.cli.atomic import write_atomic

    write_atomic(output, text)
    typer.echo(f"cio-kit: wrote {output} ({len(document.get('stages', []))} stages)", err=True)


def _read(
    import_format: ImportFormat,
    raw: bytes,
    source: Path,
    name: str | None,
    start: dt.date | None,
    decimal: str | None,
    currency: str | None,
    budget_class: BudgetClass,
) -> tuple[PlanDocument, list[ImportProblem]]:
    """The plan document the file makes, and what could not be carried over."""
    from cio_kit.interchange.csv import decimal_of, detect_delimiter, rows_from_csv
    from cio_kit.interchange.mspdi import plan_from_mspdi
    from cio_kit.interchange.rows import plan_from_rows
    from cio_kit.interchange.xlsx import rows_from_xlsx

    if import_format is ImportFormat.mspdi:
        document, problems = plan_from_mspdi(raw, name, budget_class.value)
        if currency is not None:
            document.setdefault("enterprise", {})["currency"] = currency
        return document, problems
    try:
        if import_format is ImportFormat.csv:
            text = raw.decode("utf-8-sig")
            rows = rows_from_csv(text)
            decimal = decimal or decimal_of(detect_delimiter(text))
        else:
            rows = rows_from_xlsx(raw)
    except Exception as error:  # any unreadable table is the user's file, not our bug
        usage_error(f"{source}: not a readable {import_format.value} file ({type(error).__name__}: {error})")
    return plan_from_rows(rows, name or source.stem, start, decimal=decimal, currency=currency)


def _guarded(value: object) -> object:
    """The imported document with every string passed through the workflow-command guard (SPEC §15)."""
    from cio_kit.render.escape import no_command_lines

    if isinstance(value, str):
        return no_command_lines(value)
    if isinstance(value, dict):
        return {key: _guarded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_guarded(item) for item in value]
    return value
