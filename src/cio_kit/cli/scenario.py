"""``cio-kit scenario``: what-if overlays of the portfolio, compared with the base (SPEC §12)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cio_kit.cli.common import ConfigOption, load_portfolio, usage_error

app = typer.Typer(
    rich_markup_mode=None,
    help="What-if scenarios (scenarios/NAME.yaml) compared with the portfolio as it stands.",
    no_args_is_help=True,
)


class CompareFormat(str, enum.Enum):
    """Output formats of ``scenario compare``."""

    text = "text"
    json = "json"


@app.command("compare")
def scenario_compare(
    names: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(
            metavar="NAME...",
            help="Scenarios: a name under scenarios/ or a file. Default: every scenario there.",
            show_default=False,
        ),
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=1_000_000, metavar="N", help="Simulated runs for the P80.")
    ] = 2_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="N", help="Random seed, for reproducible numbers.")
    ] = 0,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CompareFormat.text,
    config_path: ConfigOption = None,
) -> None:
    """The base and each scenario side by side.

    Finish, forecast finish and P80; spend by class and by year against the
    envelope; goals served; findings introduced and fixed, as plan diff
    matches them. A scenario lists changes: delay, drop, set, scale_budget,
    envelope, add_capacity; it never edits a plan.
    """
    from cio_kit.portfolio.scenario import SCENARIO_DIR, ScenarioError, read_scenario, scenario_files
    from cio_kit.render import scenario as render
    from cio_kit.reports.scenario import compare
    from cio_kit.validate import apply_scenario

    config, loaded, settings, home = load_portfolio(None, config_path)
    blocked = [entry.file for entry in loaded if entry.blocked and not entry.skipped]
    if blocked:
        usage_error(f"{', '.join(blocked)}: blocking findings; run cio-kit plan validate first")
    if names:
        files = [_scenario_path(home / SCENARIO_DIR, name) for name in names]
    else:
        files = scenario_files(home)
        if not files:
            usage_error(
                f"no scenario in {home / SCENARIO_DIR}; write one, or let "
                "cio-kit portfolio optimize --write-scenario NAME write it"
            )
    try:
        applied = [apply_scenario(read_scenario(path), loaded, config) for path in files]
    except ScenarioError as error:
        usage_error(str(error))
    comparison = compare(loaded, applied, settings, runs=runs, seed=seed)
    if output_format is CompareFormat.json:
        typer.echo(render.to_json(comparison), nl=False)
    else:
        from cio_kit.cli.common import console

        render.render_text(comparison, console(), runs)


def _scenario_path(folder: Path, name: str) -> Path:
    """A scenario named on the command line: NAME under scenarios/, else a file path."""
    for candidate in (folder / f"{name}.yaml", folder / f"{name}.yml", Path(name)):
        if candidate.is_file():
            return candidate
    usage_error(f"no scenario {name!r}: neither {folder / name}.yaml nor a file {name}")
