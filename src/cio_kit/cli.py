"""The ``cio-kit`` command line: parse options, call the pipeline, render, exit.

Each command is thin: no checking logic and no formatting lives here. Heavy
modules (pydantic models, Rich rendering, networkx) are imported inside the
commands so that ``cio-kit --help`` starts fast.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer

from cio_kit import __version__

app = typer.Typer(
    name="cio-kit",
    help="Decision support for enterprise informatization plans kept as YAML.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
plan_app = typer.Typer(help="Check and manage plan files.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
report_app = typer.Typer(
    help="Decision reports for a steering committee: readiness, budget, gaps.", no_args_is_help=True
)
app.add_typer(report_app, name="report")
roadmap_app = typer.Typer(
    help="Order the stages: critical path, waves, Gantt, schedule risk.", no_args_is_help=True
)
app.add_typer(roadmap_app, name="roadmap")


class OutputFormat(str, enum.Enum):
    """Output formats of ``plan validate``."""

    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    auto = "auto"


class FailLevel(str, enum.Enum):
    """Values of ``--fail-on``."""

    warning = "warning"
    error = "error"
    never = "never"


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
) -> None:
    """cio-kit checks informatization plans against four hard-won lessons.

    Exit codes: 0 success, 1 findings at or above the fail level, 2 usage
    error (bad option, missing path, no plan found), 3 internal error.
    """


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"cio-kit: {message}", err=True)
    raise typer.Exit(2)


ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--config", help="Configuration file. Default: the nearest cio-kit.yaml up to the repo root."
    ),
]


def _config(path: Path | None) -> Any:
    from cio_kit.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as error:
        _usage_error(str(error))


@plan_app.command("validate")
def validate(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(
            help="Plan files or directories (searched recursively). Default: config paths, else plans/."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    fail_on: Annotated[
        FailLevel,
        typer.Option("--fail-on", help="Lowest severity that makes the command exit 1."),
    ] = FailLevel.error,
    config_path: ConfigOption = None,
    max_file_mib: Annotated[
        Optional[float],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--max-file-mib", min=0.001, help="Refuse files larger than this (MiB). Default: 10."),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--output",
            "-o",
            help="Write the chosen format to this file (replaced atomically); stdout gets text "
            "(GitHub annotations under GitHub Actions).",
        ),
    ] = None,
) -> None:
    """Validate plan files: schema, references, cycles and the lesson rules.

    Findings go to stdout in the chosen format (auto: GitHub annotations under
    GitHub Actions, else text); exit 1 when any finding is at or above
    --fail-on. With --output, one run can save SARIF and print text.
    """
    from dataclasses import replace

    from cio_kit.engine import NoPlanError, UsageError, load_all, report_of
    from cio_kit.findings import FailOn
    from cio_kit.loader import Limits

    config = _config(config_path)
    if max_file_mib is not None:
        config = replace(config, limits=Limits(max_file_mib=max_file_mib))
    targets = list(paths) if paths else list(config.paths) or [Path("plans")]
    level = FailOn(fail_on.value)
    if output_format is OutputFormat.auto:
        output_format = OutputFormat.github if os.environ.get("GITHUB_ACTIONS") else OutputFormat.text
    try:
        loaded = load_all(targets, config)
    except NoPlanError as error:
        _print_text(report_of(error.loaded), to_stderr=True)
        _usage_error(str(error))
    except UsageError as error:
        _usage_error(str(error))
    report = report_of(loaded)
    if output is None:
        _print_report(report, output_format, level)
    else:
        from cio_kit.atomic import write_atomic

        write_atomic(output, _formatted(report, output_format, level))
        if output_format is not OutputFormat.text:
            # The saved file is for machines; stdout stays for people (or for
            # GitHub's annotations when running under GitHub Actions).
            if os.environ.get("GITHUB_ACTIONS"):
                _print_report(report, OutputFormat.github, level)
            else:
                _print_text(report)
    raise typer.Exit(report.exit_code(level))


def _formatted(report: Any, output_format: OutputFormat, level: Any) -> str:
    """The report in a machine format, or plain text."""
    if output_format is OutputFormat.json:
        from cio_kit.render import json_format

        return json_format.render(report)
    if output_format is OutputFormat.sarif:
        from cio_kit.render import sarif

        return sarif.render(report)
    if output_format is OutputFormat.junit:
        from cio_kit.render import junit

        return junit.render(report, level)
    if output_format is OutputFormat.github:
        from cio_kit.render import github

        return github.render(report)
    from io import StringIO

    from rich.console import Console

    from cio_kit.render import text

    buffer = StringIO()
    text.render(report, Console(file=buffer, width=100, color_system=None))
    return buffer.getvalue()


def _print_report(report: Any, output_format: OutputFormat, level: Any) -> None:
    if output_format is OutputFormat.text:
        _print_text(report)
    else:
        sys.stdout.write(_formatted(report, output_format, level))


def _print_text(report: Any, to_stderr: bool = False) -> None:
    if to_stderr and not report.findings:
        return
    from rich.console import Console

    from cio_kit.render import text

    text.render(report, Console(stderr=to_stderr))


@plan_app.command("schema")
def plan_schema_command(
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--output", "-o", help="Write the schema to this file instead of stdout."),
    ] = None,
) -> None:
    """Print the JSON Schema of the plan format, for editors (generated from the model)."""
    import json

    from cio_kit.schema import plan_schema

    text = json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from cio_kit.atomic import write_atomic

        write_atomic(output, text)


@plan_app.command("init")
def plan_init(
    folder: Annotated[Path, typer.Argument(help="Where to create the plan repository content.")] = Path("."),
    name: Annotated[str, typer.Option("--name", help="The enterprise's name.")] = "Example Enterprise",
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 currency code.")] = "USD",
    start: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--start", help="plan_start as YYYY-MM-DD. Default: the first Monday of next month."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write a starter plan, cio-kit.yaml and the editor schema; never overwrites without --force."""
    import datetime as dt
    import re

    from cio_kit.atomic import write_atomic
    from cio_kit.starter import default_start, starter_files

    if not re.fullmatch(r"[A-Z]{3}", currency):
        _usage_error(f"--currency must be a three-letter ISO 4217 code such as USD, not {currency!r}")
    try:
        plan_start = dt.date.fromisoformat(start) if start else default_start(dt.date.today())
    except ValueError:
        _usage_error(f"--start must be a date written YYYY-MM-DD, not {start!r}")
    files = starter_files(name, currency, plan_start)
    existing = [str(folder / path) for path in files if (folder / path).exists()]
    if existing and not force:
        _usage_error(f"{', '.join(existing)} already exist; use --force to overwrite")
    for path, content in files.items():
        write_atomic(folder / path, content)
        typer.echo(f"wrote {folder / path}", err=True)
    typer.echo(f"next: cio-kit plan validate {folder / 'plans'}", err=True)


class DiffFormat(str, enum.Enum):
    """Output formats of ``plan diff``."""

    text = "text"
    json = "json"
    markdown = "markdown"


@plan_app.command("diff")
def plan_diff_command(
    old: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(help="The old plan file (or, with --git, the plan file to compare)."),
    ] = None,
    new: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(help="The new plan file."),
    ] = None,
    git_ref: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option("--git", help="Compare the working tree with this git revision (e.g. HEAD~1, main)."),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """What changed between two plan versions: stages, budget, finish date, findings.

    `cio-kit plan diff OLD NEW` compares two files; `cio-kit plan diff --git
    REF [PLAN]` compares the working tree with the version at REF.
    """
    from cio_kit.engine import check_bytes, check_file
    from cio_kit.render import diff as render_diff
    from cio_kit.reports.diff import plan_diff

    config = _config(config_path)
    if git_ref is not None:
        if new is not None:
            _usage_error("with --git, name at most one plan file")
        current = _load_one(old, config_path)
        old_loaded = check_bytes(_git_show(git_ref, Path(current.file)), f"{git_ref}:{current.file}", config)
        new_loaded = current
    else:
        if old is None or new is None:
            _usage_error("name the OLD and NEW plan files, or use --git REF")
        for path in (old, new):
            if not path.exists():
                _usage_error(f"{path}: no such file")
        old_loaded, new_loaded = check_file(old, True, config), check_file(new, True, config)
    for loaded in (old_loaded, new_loaded):
        _stop_if_blocked(loaded)
    diff = plan_diff(
        old_loaded.plan,
        new_loaded.plan,
        old_loaded.findings,
        new_loaded.findings,
        old_loaded.file,
        new_loaded.file,
    )
    if output_format is DiffFormat.text:
        from rich.console import Console

        render_diff.render_text(diff, Console())
    else:
        render = render_diff.to_json if output_format is DiffFormat.json else render_diff.to_markdown
        sys.stdout.write(render(diff))
    _check_fail_on(new_loaded, fail_on)


def _git_show(ref: str, path: Path) -> bytes:
    """The content of ``path`` at git revision ``ref``."""
    import subprocess

    absolute = path.resolve()
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=absolute.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = absolute.relative_to(Path(top).resolve()).as_posix()
        return subprocess.run(
            ["git", "show", f"{ref}:{relative}"], cwd=top, capture_output=True, check=True
        ).stdout
    except FileNotFoundError:
        _usage_error("git is not installed")
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").strip()
        message = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
        _usage_error(f"git cannot show {path} at {ref}: {message.splitlines()[-1] if message else 'failed'}")
    except ValueError:
        _usage_error(f"{path} is not inside a git repository")


def _stop_if_blocked(loaded: Any) -> None:
    """Print a plan's blocking findings on stderr and exit 1."""
    if loaded.blocked:
        from rich.console import Console

        from cio_kit.engine import report_of
        from cio_kit.render import text

        text.render(report_of([loaded]), Console(stderr=True))
        raise typer.Exit(1)


class RoadmapFormat(str, enum.Enum):
    """Output formats of ``roadmap show``."""

    text = "text"
    json = "json"
    mermaid = "mermaid"
    markdown = "markdown"
    csv = "csv"


PlanArgument = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Argument(help="The plan file. Default: the only plan under plans/."),
]


def _load_one(path: Path | None, config_path: Path | None = None, rules: bool = True) -> Any:
    """Load the plan a command is about; exit 2 on usage errors, 1 on a blocking finding.

    With ``rules`` false only the loader's blocking checks run: the roadmap
    needs a sound graph, not the whole catalogue.
    """
    from cio_kit.engine import UsageError, check_file, discover

    config = _config(config_path)
    if path is None:
        try:
            found = [p for p, _ in discover(list(config.paths) or [Path("plans")])]
        except UsageError as error:
            _usage_error(f"{error}; name the plan file")
        candidates = [check_file(p, False, config, rules=rules) for p in found]
        plans = [entry for entry in candidates if not entry.skipped]
        if len(plans) != 1:
            names = ", ".join(entry.file for entry in plans) or "none"
            _usage_error(f"expected exactly one plan under plans/, found {len(plans)} ({names}); name one")
        loaded = plans[0]
    else:
        if not path.exists():
            _usage_error(f"{path}: no such file")
        loaded = check_file(path, True, config, rules=rules)
    _stop_if_blocked(loaded)
    return loaded


@roadmap_app.command("show")
def roadmap_show(
    plan: PlanArgument = None,
    output_format: Annotated[
        RoadmapFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RoadmapFormat.text,
    forecast: Annotated[
        bool,
        typer.Option("--forecast", help="Schedule from status_date with actual dates and progress."),
    ] = False,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Show the schedule: waves, critical path, float and a Gantt chart.

    Durations are whole days from plan_start; dependencies are
    finish-to-start. With --forecast, done stages keep their actual dates and
    nothing unfinished starts before status_date.
    """
    from cio_kit.render import roadmap
    from cio_kit.schedule import compute

    loaded = _load_one(plan, config_path, rules=fail_on is not None)
    if forecast and (loaded.plan.enterprise.status_date is None or loaded.plan.enterprise.plan_start is None):
        _usage_error("--forecast needs enterprise.status_date and enterprise.plan_start in the plan")
    schedule = compute(loaded.plan, forecast=forecast)
    if output_format is RoadmapFormat.text:
        from rich.console import Console

        roadmap.render_text(loaded.plan, schedule, Console())
        _check_fail_on(loaded, fail_on)
        return
    render = {
        RoadmapFormat.json: roadmap.to_json,
        RoadmapFormat.mermaid: roadmap.to_mermaid,
        RoadmapFormat.markdown: roadmap.to_markdown,
        RoadmapFormat.csv: roadmap.to_csv,
    }[output_format]
    sys.stdout.write(render(loaded.plan, schedule))
    _check_fail_on(loaded, fail_on)


class RiskFormat(str, enum.Enum):
    """Output formats of ``roadmap risk``."""

    text = "text"
    json = "json"


@roadmap_app.command("risk")
def roadmap_risk(
    plan: PlanArgument = None,
    output_format: Annotated[
        RiskFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RiskFormat.text,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=1_000_000, help="Number of simulated runs.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed, for reproducible numbers.")] = 0,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Monte Carlo schedule risk: P50/P80/P95 finish, criticality, deadline odds.

    Stages with an estimate are sampled from the PERT-beta distribution;
    the others keep their fixed duration. The same seed gives the same numbers.
    """
    from cio_kit.render import risk as risk_render
    from cio_kit.risk import simulate

    loaded = _load_one(plan, config_path, rules=fail_on is not None)
    result = simulate(loaded.plan, runs=runs, seed=seed)
    if output_format is RiskFormat.json:
        sys.stdout.write(risk_render.to_json(loaded.plan, result))
    else:
        from rich.console import Console

        risk_render.render_text(loaded.plan, result, Console())
    _check_fail_on(loaded, fail_on)


class CatalogueFormat(str, enum.Enum):
    """Output formats of ``rules``."""

    text = "text"
    json = "json"


@app.command("rules")
def rules_command(
    rule_id: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(help="A rule ID, e.g. DEP002, to explain in full."),
    ] = None,
    output_format: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CatalogueFormat.text,
) -> None:
    """The rule catalogue: what each rule checks, why it matters, and the fix."""
    from cio_kit.render import catalogue
    from cio_kit.rules import all_rules

    rules = all_rules()
    if rule_id is not None:
        wanted = rule_id.upper()
        if wanted not in rules:
            _usage_error(f"unknown rule {rule_id}; `cio-kit rules` lists them")
        rules = {wanted: rules[wanted]}
    if output_format is CatalogueFormat.json:
        sys.stdout.write(catalogue.to_json(rules))
        return
    from rich.console import Console

    console = Console()
    if rule_id is not None:
        catalogue.render_rule(rules[rule_id.upper()], console)
    else:
        catalogue.render_table(rules, console)


class ReportFormat(str, enum.Enum):
    """Output formats of the reports."""

    text = "text"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--output", "-o", help="Write the report to this file (replaced atomically) instead of stdout."
    ),
]
ExportOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option("--export", help="Also save the text report as FILE.html or FILE.svg, e.g. for an email."),
]
FailOnOption = Annotated[
    Optional[FailLevel],  # noqa: UP045 - Typer needs Optional here
    typer.Option("--fail-on", help="Exit 1 when the plan has findings at or above this level."),
]


def _emit(
    output_format: ReportFormat,
    as_data: dict[ReportFormat, Callable[[], str]],
    as_text: Callable[[Any], None],
    output: Path | None,
    export: Path | None,
) -> None:
    """Write a report in the chosen format to stdout or --output, and the text view to --export."""
    from io import StringIO

    from rich.console import Console

    from cio_kit.atomic import write_atomic

    if export is not None and export.suffix.lower() not in (".html", ".htm", ".svg"):
        _usage_error(f"{export}: --export writes .html or .svg files")
    if output_format is ReportFormat.text:
        if output is None:
            as_text(Console())
        else:
            buffer = StringIO()
            as_text(Console(file=buffer, width=100, color_system=None))
            write_atomic(output, buffer.getvalue())
    else:
        document = as_data[output_format]()
        if output is None:
            sys.stdout.write(document)
        else:
            write_atomic(output, document)
    if export is not None:
        recorder = Console(record=True, file=StringIO(), width=110, force_terminal=True)
        as_text(recorder)
        exported = (
            recorder.export_svg(title="cio-kit")
            if export.suffix.lower() == ".svg"
            else recorder.export_html()
        )
        write_atomic(export, exported)


def _check_fail_on(loaded: Any, fail_on: FailLevel | None) -> None:
    from cio_kit.findings import FailOn

    if fail_on is not None and any(FailOn(fail_on.value).fails(f.severity) for f in loaded.findings):
        raise typer.Exit(1)


@report_app.command("readiness")
def report_readiness(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Per stage: done, in progress, ready, waiting or blocked, and why; ADKAR barriers per group."""
    from cio_kit.render import reports
    from cio_kit.reports.readiness import readiness

    loaded = _load_one(plan, config_path, rules=fail_on is not None)
    report = readiness(loaded.plan)
    _emit(
        output_format,
        {
            ReportFormat.json: lambda: reports.readiness_json(report),
            ReportFormat.markdown: lambda: reports.readiness_markdown(report),
        },
        lambda console: reports.readiness_text(report, console),
        output,
        export,
    )
    _check_fail_on(loaded, fail_on)


@report_app.command("budget")
def report_budget(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """Spend by class against the limits, by category, year, quarter, stage and goal; plan vs actual; EVM."""
    from cio_kit.render import reports
    from cio_kit.reports.budget import budget_report
    from cio_kit.rules.context import Context

    loaded = _load_one(plan, config_path, rules=fail_on is not None)
    report = budget_report(loaded.plan, Context(loaded.plan, loaded.data, _config(config_path).thresholds))
    _emit(
        output_format,
        {
            ReportFormat.json: lambda: reports.budget_json(report),
            ReportFormat.markdown: lambda: reports.budget_markdown(report),
        },
        lambda console: reports.budget_text(report, console),
        output,
        export,
    )
    _check_fail_on(loaded, fail_on)


@report_app.command("gaps")
def report_gaps(
    plan: PlanArgument = None,
    output_format: FormatOption = ReportFormat.text,
    output: OutputOption = None,
    export: ExportOption = None,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """All findings grouped by lesson, worst first, with coverage figures."""
    from cio_kit.render import reports
    from cio_kit.reports.gaps import gaps_report

    loaded = _load_one(plan, config_path)
    report = gaps_report(loaded.plan, loaded.findings)
    _emit(
        output_format,
        {
            ReportFormat.json: lambda: reports.gaps_json(report),
            ReportFormat.markdown: lambda: reports.gaps_markdown(report),
        },
        lambda console: reports.gaps_text(report, console),
        output,
        export,
    )
    _check_fail_on(loaded, fail_on)


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
        sys.stderr.write(f"cio-kit: internal error: {type(error).__name__}: {error}\n")
        sys.exit(3)
