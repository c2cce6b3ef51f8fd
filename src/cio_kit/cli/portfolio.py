"""``cio-kit portfolio``: the plans of a repository seen together (SPEC §12)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from cio_kit.cli.common import ConfigOption, FailOnOption, load_config_or_exit, usage_error
from cio_kit.cli.report import ExportOption, FormatOption, OutputOption, ReportFormat, emit

app = typer.Typer(
    rich_markup_mode=None,
    help="The plans of a repository together: status, the whole IT budget, cross-plan order.",
    no_args_is_help=True,
)

FolderArgument = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Argument(
        metavar="DIR",
        help="The folder of plans. Default: the configured paths, else plans/.",
    ),
]


@app.command("report")
def portfolio_report(
    folder: FolderArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """One row per plan with a red/amber/green status and why; the whole IT budget.

    The run/grow/transform split is over every plan's money against
    portfolio.yaml's limits and years; the schedule follows dependencies
    across plans to one critical path; shared resources' load is summed.
    """
    from cio_kit.engine import UsageError, load_all
    from cio_kit.findings import FailOn
    from cio_kit.portfolio import PortfolioError, members, read_settings
    from cio_kit.render import portfolio as render
    from cio_kit.reports.portfolio import portfolio_report as build

    config = load_config_or_exit(config_path)
    folders = [folder] if folder is not None else list(config.paths) or [Path("plans")]
    try:
        loaded = load_all(folders, config)
    except UsageError as error:
        usage_error(str(error))
    home = config.path.parent if config.path is not None else Path(".")
    try:
        settings = read_settings(home)
    except PortfolioError as error:
        usage_error(str(error))
    if not members(loaded):
        usage_error("no plan in the portfolio can be read soundly; run cio-kit plan validate")
    report = build(loaded, settings, config.thresholds)
    as_data: dict[ReportFormat, Callable[[], str]] = {
        ReportFormat.json: partial(render.to_json, report),
        ReportFormat.markdown: partial(render.to_markdown, report),
    }
    emit(output_format, as_data, partial(render.render_text, report), output, export)
    if fail_on is not None and any(
        FailOn(fail_on.value).fails(f.severity) for entry in loaded for f in entry.findings
    ):
        raise typer.Exit(1)
