"""``cio-kit report``: readiness, budget, gaps, earned value and capacity for a steering committee."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cio_kit.cli.common import (
    AsWrittenOption,
    BaselineOption,
    ConfigOption,
    ExportOption,
    FailLevel,
    FailOnOption,
    FormatOption,
    OutputOption,
    PlanArgument,
    ReportFormat,
    check_fail_on,
    check_output,
    emit,
    load_baseline,
    load_config_or_exit,
    load_one,
    load_portfolio,
    progress_on_stderr,
    rules_share_situation,
    situation_of,
    usage_error,
)

if TYPE_CHECKING:
    from rich.console import Console

    from cio_kit.analysis.baseline import Baseline
    from cio_kit.config import Config
    from cio_kit.reports.board import PlanBoard, PortfolioBoard
    from cio_kit.reports.trend import TrendPoint


app = typer.Typer(
    rich_markup_mode=None,
    help="Decision reports for a steering committee: readiness, budget, gaps, earned value, capacity.",
    no_args_is_help=True,
)


def _run(
    name: str,
    plan: Path | None,
    output_format: ReportFormat,
    output: Path | None,
    export: Path | None,
    config_path: Path | None,
    fail_on: FailLevel | None,
    baseline_spec: str | None = None,
    *,
    as_written: bool = False,
) -> None:
    """Load the plan, build report ``name``, write it in the chosen format, apply --fail-on."""
    from functools import partial

    from cio_kit.render import budget as budget_views
    from cio_kit.render import gaps as gaps_views
    from cio_kit.render import readiness as readiness_views

    config = load_config_or_exit(config_path)
    # Only the gaps report is made of findings; the others need the catalogue
    # only when --fail-on asks about it.
    loaded, sound = load_one(plan, config, rules=name == "gaps" or fail_on is not None)
    given_baseline = [Path(baseline_spec)] if baseline_spec and Path(baseline_spec).is_file() else []
    for written in (output, export):
        check_output(written, [Path(loaded.file), *given_baseline])
    # Each branch binds its report to its own renderers, so every call below is typed.
    text_view: Callable[[Console], None]
    export_view: Callable[[Console], None] | None = None
    if name == "readiness":
        from cio_kit.reports.readiness import readiness

        ready = readiness(sound)
        as_json = partial(readiness_views.readiness_json, ready)
        as_markdown = partial(readiness_views.readiness_markdown, ready)
        text_view = partial(readiness_views.readiness_text, ready)
    elif name == "benefits":
        from cio_kit.render import benefits
        from cio_kit.reports.benefits import benefits_report

        worth = benefits_report(sound, config.thresholds, situation_of(sound, config, as_written=as_written))
        as_json, as_markdown = partial(benefits.to_json, worth), partial(benefits.to_markdown, worth)
        text_view = partial(benefits.render_text, worth)
    elif name == "gaps":
        from cio_kit.reports.gaps import gaps_report

        gaps = gaps_report(sound, loaded.findings)
        as_json, as_markdown = partial(gaps_views.gaps_json, gaps), partial(gaps_views.gaps_markdown, gaps)
        text_view = partial(gaps_views.gaps_text, gaps)
        export_view = partial(gaps_views.gaps_text, gaps, per_lesson=None)  # an email has room for all
    else:  # budget and evm measure progress, against a baseline when there is one
        from cio_kit.rules.context import Context

        enterprise = sound.enterprise
        if name == "evm" and (enterprise.status_date is None or enterprise.plan_start is None):
            usage_error("report evm needs enterprise.status_date and enterprise.plan_start in the plan")
        baseline = load_baseline(baseline_spec, loaded, config)
        situation = situation_of(sound, config, baseline, as_written=as_written)
        context = Context(sound, loaded.data, config.thresholds, situation=situation)
        if name == "evm":
            from cio_kit.render import evm

            earned = context.earned_value
            if earned is None:
                usage_error("the baseline has no plan_start, so planned value cannot be placed in time")
            as_json, as_markdown = partial(evm.to_json, earned), partial(evm.to_markdown, earned)
            text_view = partial(evm.render_text, earned)
        else:
            from cio_kit.reports.budget import budget_report

            money = budget_report(sound, context)
            as_json = partial(budget_views.budget_json, money)
            as_markdown = partial(budget_views.budget_markdown, money)
            text_view = partial(budget_views.budget_text, money)
    emit(
        output_format,
        {ReportFormat.json: as_json, ReportFormat.markdown: as_markdown},
        text_view,
        output,
        export,
        export_view,
    )
    check_fail_on(loaded, fail_on)


@app.command("readiness")
def report_readiness(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Per stage: done, in progress, ready, waiting or blocked, and why; ADKAR barriers per group."""
    _run("readiness", plan, output_format, output, export, config_path, fail_on)


@app.command("budget")
def report_budget(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    as_written: AsWrittenOption = False,
    baseline: BaselineOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Spend by class against the limits, by category, year, quarter, stage and goal; plan vs actual; EVM."""
    _run("budget", plan, output_format, output, export, config_path, fail_on, baseline, as_written=as_written)


@app.command("evm")
def report_evm(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    baseline: BaselineOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Earned value at status_date: PV, EV, AC, SPI, CPI, EAC, TCPI, earned schedule, S-curve.

    Planned value comes from the baseline (--baseline or baseline: in
    cio-kit.yaml), else from the plan as written. Needs status_date.
    """
    _run("evm", plan, output_format, output, export, config_path, fail_on, baseline)


@app.command("benefits")
def report_benefits(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    as_written: AsWrittenOption = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Each goal's KPI against its line to the target; NPV and payback; ADKAR over time.

    A KPI is on track at or past the straight line from its baseline at
    plan_start to its target at the goal's due date, at risk within
    benefit_tolerance, off track beyond. Benefits and planned spend are
    discounted at enterprise.discount_rate (default 8%).
    """
    _run("benefits", plan, output_format, output, export, config_path, fail_on, as_written=as_written)


@app.command("gaps")
def report_gaps(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Findings grouped by lesson, worst first, with coverage figures.

    The terminal shows the three worst of each lesson and how many more there
    are; JSON, Markdown and --export FILE.html carry every finding.
    """
    _run("gaps", plan, output_format, output, export, config_path, fail_on)


class LoadPeriod(str, enum.Enum):
    """Periods of ``report capacity``."""

    month = "month"
    quarter = "quarter"


LevelOption = Annotated[
    bool, typer.Option("--level", help="Delay stages until no resource is over capacity on any day.")
]


@app.command("capacity")
def report_capacity(
    plan: PlanArgument = None,
    level: LevelOption = False,
    by: Annotated[
        LoadPeriod, typer.Option("--by", help="Sum load by month or fiscal quarter.")
    ] = LoadPeriod.month,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    as_written: AsWrittenOption = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """People's time per resource and period: capacity, demand, load, over-allocation.

    On the plan as it stands at status_date (--as-written: as written).
    With --level (or level: true in cio-kit.yaml), stages are delayed until
    no resource is over capacity on any day, and the report shows the
    delays and the finish before and after. Needs resources and stage
    effort (plan_start for dates).
    """
    from functools import partial

    from cio_kit.render import capacity as render
    from cio_kit.reports.capacity import capacity_report

    config = load_config_or_exit(config_path)
    loaded, sound = load_one(plan, config, rules=fail_on is not None)
    for written in (output, export):
        check_output(written, [Path(loaded.file)])
    if sound.enterprise.plan_start is None:
        usage_error("report capacity needs enterprise.plan_start in the plan")
    from cio_kit.analysis.capacity import TooLarge

    try:
        situation = situation_of(sound, config, as_written=as_written, level=level)
        report = capacity_report(situation, by=by.value)
    except TooLarge as error:
        usage_error(f"{loaded.file}: {error}")
    emit(
        output_format,
        {
            ReportFormat.json: partial(render.to_json, report),
            ReportFormat.markdown: partial(render.to_markdown, report),
        },
        partial(render.render_text, report),
        output,
        export,
    )
    check_fail_on(loaded, fail_on)


class BoardFormat(str, enum.Enum):
    """Output of ``report board``: the document (by --output's suffix), or its figures as JSON."""

    document = "document"
    json = "json"


@app.command("trend")
def report_trend(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    since: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--since", metavar="REF", help="Only commits after git REF (and the plan at REF)."),
    ] = None,
    baseline: BaselineOption = None,
    config_path: ConfigOption = None,
) -> None:
    """The plan's figures at each status date in its git history, newest first.

    One row per commit that moved status_date (at most 200): SPI, CPI,
    SPI(t), the forecast's last day, P80 (2,000 runs, seed 1), the range of
    the estimates at completion, errors and warnings. History is read, never
    written, and no git hook or file-system monitor runs.
    """
    from functools import partial

    from cio_kit.analysis.baseline import BaselineError
    from cio_kit.render import trend as views
    from cio_kit.reports.trend import trend

    config = load_config_or_exit(config_path)
    loaded, _ = load_one(plan, config, rules=False)
    check_output(output, [Path(loaded.file)])
    against = load_baseline(baseline, loaded, config)
    try:
        with progress_on_stderr("Reading the plan's history") as progress:
            found = trend(Path(loaded.file), config, since, against, progress)
    except BaselineError as error:
        usage_error(f"report trend: {error}")
    as_data = {
        ReportFormat.json: partial(views.to_json, found),
        ReportFormat.markdown: partial(views.to_markdown, found),
    }
    emit(output_format, as_data, partial(views.render_text, found), output, None)


@app.command("board")
def report_board(
    plan: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(
            metavar="PLAN|DIR", help="A plan, or a folder of plans (a portfolio). Default: the default plan."
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="FILE.html or FILE.pdf to write.")
    ] = Path("board.html"),
    output_format: Annotated[
        BoardFormat,
        typer.Option("--format", "-f", help="document: write --output; json: every figure on stdout."),
    ] = BoardFormat.document,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=1_000_000, metavar="N", help="Monte Carlo runs.")
    ] = 2_000,  # situation.BOARD_RUNS, written out: --help must not load the analyses
    seed: Annotated[int, typer.Option("--seed", min=0, metavar="N", help="Random seed.")] = 1,
    since: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--since", metavar="REF", help="The last board's git ref: the trend since (board_since:)."
        ),
    ] = None,
    as_written: AsWrittenOption = False,
    baseline: BaselineOption = None,
    config_path: ConfigOption = None,
) -> None:
    """One self-contained document for a board: HTML, or PDF for A4; or its figures as JSON.

    Page one: six red/amber/green tiles with their reasons, a headline, the
    decisions asked for, the five largest risks and the open high issues.
    Then milestones, the trend since the last board (--since), the Gantt,
    money, benefits, people, fairness, the finish and cost distributions
    with what drives them, and the findings by lesson. Every figure is of
    the plan as it stands at status_date (--as-written: as written).
    Nothing in the file fetches anything.
    """
    import importlib.util

    from cio_kit.cli.atomic import write_atomic
    from cio_kit.render import board as render

    suffix = output.suffix.lower()
    as_json = output_format is BoardFormat.json
    if not as_json and suffix not in (".html", ".htm", ".pdf"):
        usage_error(f"{output}: report board writes .html or .pdf")
    needed = [] if as_json else ["matplotlib", "weasyprint"] if suffix == ".pdf" else ["matplotlib"]
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        usage_error(f"report board needs {' and '.join(missing)}: pip install 'cio-kit[board]'")
    config = load_config_or_exit(config_path)
    since = since if since is not None else config.board_since
    with progress_on_stderr("Building the board pack") as progress:
        boards, title = _boards(
            plan,
            config,
            baseline,
            as_written=as_written,
            runs=runs,
            seed=seed,
            since=since,
            progress=progress,
        )
    if not as_json:
        check_output(output, [Path(board.file) for board in boards])
    if as_json:
        sys.stdout.write(render.to_json(boards, title))
        return
    document = render.to_html(boards, title)
    if suffix == ".pdf":
        try:
            pdf = render.to_pdf(document)
        except OSError as error:  # WeasyPrint loads Pango when first used
            usage_error(f"WeasyPrint cannot run here ({error}); install Pango (Debian: libpango-1.0-0)")
        write_atomic(output, pdf)
    else:
        write_atomic(output, document)
    typer.echo(f"cio-kit: wrote {output}", err=True)


def _trend_since(
    file: str, config: Config, since: str | None, against: Baseline | None
) -> tuple[tuple[TrendPoint, ...], str | None]:
    """The plan's trend since the last board, or why there is none (a note for the pack)."""
    if since is None:
        return (), "No trend: name the last board's git ref with --since REF or board_since: in cio-kit.yaml."
    from cio_kit.analysis.baseline import BaselineError
    from cio_kit.reports.trend import trend

    try:
        points = trend(Path(file), config, since, against).points
    except BaselineError as error:
        return (), f"No trend since {since}: {error}"
    return points, None if points else f"No commit since {since} sets a status date."


def _boards(
    plan: Path | None,
    config: Config,
    baseline: str | None,
    *,
    as_written: bool,
    runs: int,
    seed: int,
    since: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[PlanBoard], PortfolioBoard | None]:
    """The board of one plan, or of every plan of a folder on the portfolio's schedule and its own figures."""
    from cio_kit.reports.board import board, portfolio_board

    if plan is not None and plan.is_dir():
        from cio_kit.portfolio.merge import members
        from cio_kit.portfolio.situations import portfolio_situations

        _, loaded, settings, _ = load_portfolio(plan, config.path)
        portfolio = members(loaded)
        if not portfolio:
            usage_error("no plan in the folder can be read soundly; run cio-kit plan validate")
        merged, situations = portfolio_situations(portfolio, settings, as_written=as_written)
        boards = []
        for done, m in enumerate(portfolio, start=1):
            points, note = _trend_since(m.loaded.file, config, since, None)
            boards.append(
                board(m.plan, m.loaded.data, m.loaded.findings, m.loaded.file, config.thresholds,
                      situation=situations[m.id], runs=runs, seed=seed, trend=points, trend_note=note)
            )  # fmt: skip
            if progress is not None:
                progress(done, len(portfolio))
        title = (settings.name if settings and settings.name else None) or f"Portfolio of {len(boards)} plans"
        return boards, portfolio_board(title, merged, config.thresholds)
    # The rules judge the situation the board shows, computed once.
    shared = rules_share_situation(config, as_written=as_written, baseline=baseline)
    entry, sound = load_one(plan, config, rules=not shared)
    against = load_baseline(baseline, entry, config)
    situation = situation_of(sound, config, against, as_written=as_written)
    if shared:
        from cio_kit.validate import analyse

        analyse(entry, config, situation=situation)
    points, note = _trend_since(entry.file, config, since, against)
    one = board(sound, entry.data, entry.findings, entry.file, config.thresholds, situation=situation,
                runs=runs, seed=seed, trend=points, trend_note=note)  # fmt: skip
    return [one], None
