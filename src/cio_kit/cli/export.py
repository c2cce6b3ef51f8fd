"""``cio-kit export``: the plan in the formats other tools read (SPEC §14)."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cio_kit.cli.common import (
    AsWrittenOption,
    ConfigOption,
    PlanArgument,
    check_output,
    load_config_or_exit,
    load_one,
    rules_share_situation,
    situation_of,
    usage_error,
)


class ExportFormat(str, enum.Enum):
    """The formats ``export`` writes."""

    mspdi = "mspdi"
    tjp = "tjp"
    xlsx = "xlsx"
    ics = "ics"
    csv = "csv"


def export_command(
    export_format: Annotated[
        ExportFormat,
        typer.Argument(
            metavar="FORMAT",
            help="mspdi (MS Project XML), tjp (TaskJuggler), xlsx, ics (iCalendar) or csv.",
        ),
    ],
    plan: PlanArgument = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--output", "-o", metavar="FILE", help="Write FILE (atomically) instead of stdout."),
    ] = None,
    as_written: AsWrittenOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Write the plan for another tool: MS Project, TaskJuggler, Excel, a calendar.

    mspdi: Microsoft Project XML (Project, ProjectLibre, MPXJ) with phases as
    summary tasks and the dates of roadmap show. tjp: a project tj3
    schedules to the dates of roadmap show. xlsx (needs --output): sheets
    Roadmap, Budget, Readiness and Findings, with real dates and numbers.
    ics: milestones,
    deadlines and goal due dates as all-day events; the same plan gives the
    same file, so a subscribed calendar updates in place. xlsx and ics show
    the plan as it stands at status_date (--as-written: as written); mspdi
    and tjp hand the plan as written to a scheduler that computes its own dates.
    """
    from cio_kit.portfolio.merge import plan_id

    config = load_config_or_exit(config_path)
    workbook = export_format is ExportFormat.xlsx
    # The workbook's Findings sheet and its figures come from one situation, computed once.
    shared = workbook and rules_share_situation(config, as_written=as_written)
    loaded, sound = load_one(plan, config, rules=workbook and not shared)
    check_output(output, [Path(loaded.file)])
    if workbook and output is None:
        usage_error("export xlsx writes a binary workbook: name it with --output FILE.xlsx")
    if sound.enterprise.plan_start is None:
        usage_error(f"export {export_format.value} needs enterprise.plan_start in the plan: it places dates")
    situation = situation_of(sound, config, as_written=as_written)
    # A scheduler given the plan recomputes the dates: it gets the plan as written, and its dates.
    reporting = export_format in (ExportFormat.xlsx, ExportFormat.ics, ExportFormat.csv)
    schedule = situation.schedule if reporting else situation.written
    document: str | bytes
    if export_format is ExportFormat.xlsx:
        from cio_kit.interchange.xlsx import to_xlsx
        from cio_kit.reports.budget import budget_report
        from cio_kit.reports.readiness import readiness
        from cio_kit.rules.context import Context

        if shared:
            from cio_kit.validate import analyse

            analyse(loaded, config, situation=situation)
        context = Context(sound, loaded.data, config.thresholds, situation=situation)
        document = to_xlsx(
            sound, schedule, budget_report(sound, context), readiness(sound, context), loaded.findings
        )
    elif export_format is ExportFormat.mspdi:
        from cio_kit.interchange.mspdi import to_mspdi

        document = to_mspdi(sound, schedule)
    elif export_format is ExportFormat.tjp:
        from cio_kit.interchange.tjp import to_tjp

        document = to_tjp(sound, schedule)
    elif export_format is ExportFormat.csv:
        from cio_kit.interchange.csv import to_csv

        document = to_csv(sound, schedule)
    else:
        from cio_kit.interchange.ics import to_ics

        document = to_ics(sound, schedule, plan_id(sound, loaded.file))
    if output is None:
        assert isinstance(document, str)  # only xlsx is binary, and it needs --output
        sys.stdout.write(document)
        return
    from cio_kit.cli.atomic import write_atomic

    write_atomic(output, document)
