"""``cio-kit portfolio``: the plans of a repository seen together (SPEC §12)."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from cio_kit.cli.common import (
    AsWrittenOption,
    ConfigOption,
    ExportOption,
    FailOnOption,
    FormatOption,
    OutputOption,
    ReportFormat,
    check_output,
    emit,
    load_portfolio,
    usage_error,
)

#: The largest envelope an answer may carry: beyond it a figure is no budget (SPEC §15).
MAX_ENVELOPE = 10**15

app = typer.Typer(
    rich_markup_mode=None,
    help="The plans of a repository together: status, the whole IT budget, cross-plan order.",
    no_args_is_help=True,
)


class AnswerFormat(str, enum.Enum):
    """Output formats of ``portfolio optimize``."""

    text = "text"
    json = "json"


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
    as_written: AsWrittenOption = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """One row per plan with a red/amber/green status and why; the whole IT budget.

    The run/grow/transform split is over every plan's money against
    portfolio.yaml's limits and years; the schedule follows dependencies
    across plans to one critical path, so each plan's forecast includes the
    knock-on of the plans it waits for; shared resources' load is summed.
    Red below spi_error/cpi_error, amber below spi_warn/cpi_warn (SPEC §16).
    """
    from cio_kit.findings import FailOn
    from cio_kit.portfolio.merge import members
    from cio_kit.render import portfolio as render
    from cio_kit.reports.portfolio import portfolio_report as build

    config, loaded, settings, _ = load_portfolio(folder, config_path)
    for written in (output, export):
        check_output(written, [Path(entry.file) for entry in loaded])
    if not members(loaded):
        usage_error("no plan in the portfolio can be read soundly; run cio-kit plan validate")
    left_out = [entry.file for entry in loaded if entry.blocked and not entry.skipped]
    if left_out:
        from cio_kit.render.escape import terminal

        names = terminal(", ".join(left_out))
        typer.echo(f"cio-kit: left out, with blocking findings: {names}; run cio-kit plan validate", err=True)
    from cio_kit.analysis.capacity import TooLarge

    try:
        report = build(loaded, settings, config.thresholds, as_written=as_written)
    except TooLarge as error:
        usage_error(f"portfolio report: {error}")
    as_data: dict[ReportFormat, Callable[[], str]] = {
        ReportFormat.json: partial(render.to_json, report),
        ReportFormat.markdown: partial(render.to_markdown, report),
    }
    emit(output_format, as_data, partial(render.render_text, report), output, export)
    if fail_on is not None and any(
        FailOn(fail_on.value).fails(f.severity) for entry in loaded for f in entry.findings
    ):
        raise typer.Exit(1)


class GoalValue(str, enum.Enum):
    """What ``portfolio optimize`` counts a goal as worth."""

    weight = "weight"
    npv = "npv"


@app.command("optimize")
def portfolio_optimize(
    folder: FolderArgument = None,
    budget_scale: Annotated[
        Optional[float],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--budget-scale",
            metavar="F",
            min=0.0,
            help="Scale the envelope: portfolio.yaml's it_budget years, else each plan's budget years.",
        ),
    ] = None,
    envelope: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--envelope", metavar="YEAR=AMOUNT", help="Set one fiscal year's envelope; repeatable."),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", metavar="S", min=0.1, help="Seconds for the solver.")
    ] = 60.0,
    max_shift: Annotated[
        int,
        typer.Option(
            "--max-shift", metavar="YEARS", min=0, max=10, help="Move a stage up to YEARS fiscal years later."
        ),
    ] = 2,
    value: Annotated[
        GoalValue,
        typer.Option(
            "--value",
            help="What a goal is worth: its weight, or the NPV of its benefits (moved later: less).",
        ),
    ] = GoalValue.weight,
    write_scenario: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--write-scenario", metavar="NAME", help="Write scenarios/NAME.yaml reproducing the answer."
        ),
    ] = None,
    output_format: Annotated[
        AnswerFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AnswerFormat.text,
    config_path: ConfigOption = None,
) -> None:
    """What to keep, move or drop when money is cut: the exact choice.

    Each stage not started is kept, moved later by whole fiscal years (up to
    --max-shift, default 2; 0: keep or drop only) or dropped, so that the most
    goal value is served within every year's envelope, then the least spend
    moved, then the most spend kept; a stage moves at least as far as what
    it depends on; done, in-progress and mandatory stages stay. Says whether
    the answer is proven optimal.
    """
    import re

    from cio_kit.portfolio.merge import members, merged_plan
    from cio_kit.portfolio.optimize import Infeasible, move_weeks, outcome, problem, solve
    from cio_kit.render import optimize as render

    if budget_scale is None and not envelope:
        usage_error("say how much money there is: --budget-scale F or --envelope YEAR=AMOUNT")
    if write_scenario is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", write_scenario):
        usage_error(f"--write-scenario {write_scenario!r}: a name of letters, digits, '-', '_' and '.'")
    _, loaded, settings, home = load_portfolio(folder, config_path)
    blocked = [entry.file for entry in loaded if entry.blocked and not entry.skipped]
    if blocked:
        usage_error(f"{', '.join(blocked)}: blocking findings; run cio-kit plan validate first")
    portfolio = members(loaded)
    whole = merged_plan(portfolio, settings)
    years = dict(whole.budget.years or {}) if whole.budget else {}
    if budget_scale is not None:
        if not years:
            usage_error("--budget-scale needs envelopes per fiscal year (it_budget.years or budget.years)")
        years = {year: amount * budget_scale for year, amount in years.items()}
    set_years: dict[int, float] = {}
    for entry in envelope or []:
        match = re.fullmatch(r"(\d{4})=(\d+(?:\.\d+)?)", entry.strip())
        if match is None:
            usage_error(f"--envelope {entry!r}: write YEAR=AMOUNT, e.g. 2028=5000000")
        years[int(match[1])] = set_years[int(match[1])] = float(match[2])
    if not all(math.isfinite(amount) and amount <= MAX_ENVELOPE for amount in years.values()):
        usage_error("--budget-scale and --envelope: an envelope must be a finite amount up to 10^15")
    try:
        from cio_kit.situation import Situation

        # Spend falls in the years of the plan as it stands: late work spends later (SPEC §16).
        situation = Situation(whole)
        data = problem(whole, years, situation.schedule, [(member.id, member.plan) for member in portfolio])
        if max_shift or value is GoalValue.npv:
            from cio_kit.portfolio.retime import Retiming, goal_npvs, solve_retiming

            npvs = None
            if value is GoalValue.npv:
                npvs = goal_npvs(whole, situation.schedule, [goal for goal, _, _ in data.goals], max_shift)
            choice = solve_retiming(Retiming(data, max_shift, npvs), time_limit)
        else:
            choice = solve(data, time_limit)
    except Infeasible as error:
        typer.echo(f"cio-kit: no choice fits: {error}", err=True)
        raise typer.Exit(1) from None
    if write_scenario is not None:
        from cio_kit.cli.atomic import write_atomic

        target = home / "scenarios" / f"{write_scenario}.yaml"
        target.parent.mkdir(exist_ok=True)
        asked = ["cio-kit portfolio optimize"]
        asked += [f"--budget-scale {budget_scale:g}"] if budget_scale is not None else []
        asked += [f"--envelope {year}={amount:g}" for year, amount in set_years.items()]
        weeks = move_weeks(choice, situation.schedule)
        write_atomic(target, render.scenario(write_scenario, choice, years, " ".join(asked), weeks))
        typer.echo(f"cio-kit: wrote {target}", err=True)
    after = outcome(portfolio, choice, situation.schedule)
    # The spend after is the written scenario's, as scenario compare shows it: the solver's own
    # count keeps yearly lines in a year a plan no longer reaches (a safe overestimate for its limits).
    choice = replace(
        choice, years=tuple((y, limit, was, after.spend_after[y]) for y, limit, was, _ in choice.years)
    )
    finish = (after.finish_before, after.finish_after)
    if output_format is AnswerFormat.json:
        typer.echo(render.to_json(choice, finish, whole), nl=False)
    else:
        from cio_kit.cli.common import console

        heading = f"{whole.enterprise.name} — what to keep under the envelope: {situation.described}"
        render.render_text(choice, whole, console(), finish, heading)
