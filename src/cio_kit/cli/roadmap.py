"""``cio-kit roadmap``: the schedule and its risk."""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cio_kit.cli.common import (
    AsWrittenOption,
    BaselineOption,
    ConfigOption,
    FailOnOption,
    ForecastOption,
    PlanArgument,
    check_fail_on,
    console,
    levelled_or_exit,
    load_baseline,
    load_config_or_exit,
    load_one,
    situation_of,
)

if TYPE_CHECKING:
    from cio_kit.situation import Situation

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
    as_written: AsWrittenOption = False,
    forecast: ForecastOption = False,
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
    finish-to-start. With a status_date the plan is shown as it stands:
    done stages at their actual dates, nothing unfinished before
    status_date (--as-written: the plan as written). Dates shown are first
    and last days of work. With --baseline, each stage's slip against it.
    With --level (or level: true in cio-kit.yaml), the schedule levelled to
    the resources' capacity.
    """
    from cio_kit.analysis.schedule import compute
    from cio_kit.render import roadmap

    config = load_config_or_exit(config_path)
    loaded, sound = load_one(plan, config, rules=fail_on is not None)
    situation = situation_of(sound, config, as_written=as_written, level=level)
    levelled_or_exit(situation, loaded.file)
    schedule = situation.schedule
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
            forecast_last_day=_forecast_last_day(situation),
            variances=variances,
            order=sort.value,
            levelled=situation.level,
        )
    elif output_format is RoadmapFormat.json:
        sys.stdout.write(roadmap.to_json(sound, schedule, variances, situation.delays))
    elif output_format is RoadmapFormat.markdown:
        sys.stdout.write(roadmap.to_markdown(sound, schedule, _forecast_last_day(situation)))
    else:
        render = roadmap.to_mermaid if output_format is RoadmapFormat.mermaid else roadmap.to_csv
        sys.stdout.write(render(sound, schedule))
    check_fail_on(loaded, fail_on)


def _forecast_last_day(situation: Situation) -> str | None:
    """The forecast's last day, which a view of the plan as written names beside its own.

    A view of the forecast says so instead of naming the day twice (``render.roadmap._which``).
    """
    forecast = situation.forecast
    last = forecast.project_last_day if forecast is not None else None
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
    as_written: AsWrittenOption = False,
    forecast: ForecastOption = False,
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
    With a status_date the runs start from the plan as it stands: done
    stages keep their actual dates, in-progress stages run their remaining
    share from status_date, and nothing else starts before it (--as-written:
    from the plan as written). With --level (or level: true), no stage
    starts before its start in the schedule levelled to capacity.
    """
    from cio_kit.render import risk as risk_render

    config = load_config_or_exit(config_path)
    loaded, sound = load_one(plan, config, rules=fail_on is not None)
    situation = situation_of(sound, config, as_written=as_written, level=level)
    levelled_or_exit(situation, loaded.file)
    result = situation.risk(runs, seed)
    if output_format is RiskFormat.json:
        sys.stdout.write(risk_render.to_json(sound, result))
    else:
        risk_render.render_text(sound, result, console(), _forecast_last_day(situation))
    check_fail_on(loaded, fail_on)
