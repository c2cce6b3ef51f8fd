"""``cio-kit roadmap``: the schedule and its risk."""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cio_kit.cli.common import (
    BaselineOption,
    ConfigOption,
    FailOnOption,
    PlanArgument,
    check_fail_on,
    console,
    load_baseline,
    load_config_or_exit,
    load_one,
    usage_error,
)

if TYPE_CHECKING:
    from cio_kit.analysis.schedule import Schedule
    from cio_kit.plan.model import Plan

app = typer.Typer(
    rich_markup_mode=None,
    help="Order the stages: critical path, waves, Gantt, schedule risk.",
    no_args_is_help=True,
)


class RoadmapOrder(str, enum.Enum):
    """Row order of the text roadmap."""

    file = "file"
    start = "start"
    wave = "wave"


class RoadmapFormat(str, enum.Enum):
    """Output formats of ``roadmap show``."""

    text = "text"
    json = "json"
    mermaid = "mermaid"
    markdown = "markdown"
    csv = "csv"


@app.command("show")
def roadmap_show(
    plan: PlanArgument = None,
    output_format: Annotated[
        RoadmapFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RoadmapFormat.text,
    forecast: Annotated[
        bool,
        typer.Option("--forecast", help="Schedule from status_date with actual dates and progress."),
    ] = False,
    baseline: BaselineOption = None,
    sort: Annotated[
        RoadmapOrder, typer.Option("--sort", help="Row order of the table and the Gantt chart.")
    ] = RoadmapOrder.file,
    level: Annotated[
        bool, typer.Option("--level", help="Delay stages until no resource is over capacity on any day.")
    ] = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Show the schedule: waves, critical path, float and a Gantt chart.

    Durations are whole days from plan_start; dependencies are
    finish-to-start. With --forecast, done stages keep their actual dates and
    nothing unfinished starts before status_date. Dates shown are first and
    last days of work. With --baseline, each stage's slip against it. With
    --level, the schedule levelled to the resources' capacity.
    """
    from cio_kit.analysis.schedule import compute
    from cio_kit.render import roadmap

    config = load_config_or_exit(config_path)
    loaded, sound = load_one(plan, config, rules=fail_on is not None)
    _check_forecast(sound, forecast)
    schedule = compute(sound, forecast=forecast)
    delays = None
    if level:
        schedule, delays = _levelled(sound, schedule)
    reference = load_baseline(baseline, loaded, config)
    variances = None
    if reference is not None:
        from cio_kit.analysis.baseline import variances as compare

        variances = compare(schedule, compute(reference.plan))
    if output_format is RoadmapFormat.text:
        roadmap.render_text(
            sound,
            schedule,
            console(),
            forecast_last_day=_forecast_last_day(sound, forecast),
            variances=variances,
            order=sort.value,
            levelled=delays is not None,
        )
    elif output_format is RoadmapFormat.json:
        sys.stdout.write(roadmap.to_json(sound, schedule, variances, delays))
    elif output_format is RoadmapFormat.markdown:
        sys.stdout.write(roadmap.to_markdown(sound, schedule, _forecast_last_day(sound, forecast)))
    else:
        render = roadmap.to_mermaid if output_format is RoadmapFormat.mermaid else roadmap.to_csv
        sys.stdout.write(render(sound, schedule))
    check_fail_on(loaded, fail_on)


def _levelled(plan: Plan, schedule: Schedule) -> tuple[Schedule, tuple[int, ...]]:
    """The schedule levelled to the resources' capacity, and each stage's delay (SPEC §11)."""
    from cio_kit.analysis.capacity import TooLarge, has_effort, levelled

    if plan.enterprise.plan_start is None:
        usage_error("--level needs enterprise.plan_start in the plan")
    if not has_effort(plan):
        return schedule, (0,) * len(plan.stages)
    try:
        result = levelled(plan, schedule)
    except TooLarge as error:
        usage_error(f"--level: {error}")
    return result.after, result.delays


def _check_forecast(plan: Plan, forecast: bool) -> None:
    """--forecast needs a status date and a plan start (usage error otherwise)."""
    if forecast and (plan.enterprise.status_date is None or plan.enterprise.plan_start is None):
        usage_error("--forecast needs enterprise.status_date and enterprise.plan_start in the plan")


def _forecast_last_day(plan: Plan, forecast: bool) -> str | None:
    """The forecast's last day, for output that shows the plan as written beside it."""
    if forecast or plan.enterprise.status_date is None or plan.enterprise.plan_start is None:
        return None
    from cio_kit.analysis.schedule import compute

    last = compute(plan, forecast=True).project_last_day
    return last.isoformat() if last else None


class RiskFormat(str, enum.Enum):
    """Output formats of ``roadmap risk``."""

    text = "text"
    json = "json"


@app.command("risk")
def roadmap_risk(
    plan: PlanArgument = None,
    output_format: Annotated[
        RiskFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RiskFormat.text,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=1_000_000, metavar="N", help="Number of simulated runs.")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="N", help="Random seed, for reproducible numbers.")
    ] = 0,
    forecast: Annotated[
        bool,
        typer.Option("--forecast", help="Simulate from status_date: done work is history."),
    ] = False,
    level: Annotated[
        bool,
        typer.Option("--level", help="Keep the levelled order: no stage starts before its levelled start."),
    ] = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Monte Carlo schedule risk: P50/P80/P95 finish, criticality, deadline odds.

    Stages with an estimate are sampled from the PERT-beta distribution;
    the others keep their fixed duration. The same seed gives the same numbers.
    With --forecast, done stages keep their actual dates, in-progress stages
    run their remaining share from status_date, and nothing else starts
    before it. With --level, no stage starts before its start in the
    schedule levelled to the resources' capacity.
    """
    from cio_kit.analysis.risk import simulate
    from cio_kit.analysis.schedule import compute
    from cio_kit.render import risk as risk_render

    loaded, sound = load_one(plan, load_config_or_exit(config_path), rules=fail_on is not None)
    _check_forecast(sound, forecast)
    starts = None
    if level:
        schedule, _ = _levelled(sound, compute(sound, forecast=forecast))
        starts = [timing.earliest_start for timing in schedule.timings]
    result = simulate(sound, runs=runs, seed=seed, forecast=forecast, levelled_starts=starts)
    if output_format is RiskFormat.json:
        sys.stdout.write(risk_render.to_json(sound, result))
    else:
        risk_render.render_text(sound, result, console(), _forecast_last_day(sound, forecast))
    check_fail_on(loaded, fail_on)
