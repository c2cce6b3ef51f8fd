"""What the command modules share: options, plan loading and exit handling."""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

if TYPE_CHECKING:  # for the type checker only: the commands import what they use when they run
    from rich.console import Console

    from cio_kit.analysis.baseline import Baseline
    from cio_kit.config import Config
    from cio_kit.plan.loader import Loaded
    from cio_kit.plan.model import Plan
    from cio_kit.portfolio.merge import Settings
    from cio_kit.situation import Situation


class FailLevel(str, enum.Enum):
    """Values of ``--fail-on``."""

    warning = "warning"
    error = "error"
    never = "never"


def usage_error(message: str) -> NoReturn:
    """Print a usage error on stderr and exit 2 (file names in it shown on one line, escaped)."""
    from cio_kit.render.escape import terminal

    typer.echo(f"cio-kit: {terminal(message)}", err=True)
    raise typer.Exit(2)


ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--config",
        metavar="FILE",
        help="Configuration file. Default: the nearest cio-kit.yaml up to the repo root.",
    ),
]


def load_config_or_exit(path: Path | None) -> Config:
    """The configuration, or exit 2 when it cannot be used."""
    from cio_kit.config import ConfigError, load_config
    from cio_kit.validate import known_rules_only

    try:
        return known_rules_only(load_config(path))
    except ConfigError as error:
        usage_error(str(error))


def console(
    *,
    stderr: bool = False,
    file: IO[str] | None = None,
    width: int | None = None,
    plain: bool = False,
    record: bool = False,
    force_terminal: bool | None = None,
) -> Console:
    """A Rich console for plan text, with no highlighter.

    Rich's highlighter colours digit groups apart from their commas and is
    quadratic on long runs of digits; colour still follows the terminal and
    NO_COLOR, and ``plain`` drops it (for files).
    Under GitHub Actions lines are not wrapped: a wrapped line could start with
    plan text such as "::error …", which GitHub would run as a command (SPEC §15).
    """
    import os

    from rich.console import Console

    return Console(
        highlight=False,
        emoji=False,  # plan text, file names and positions are printed as written (SPEC §19)
        stderr=stderr,
        file=file,
        width=width,
        color_system=None if plain else "auto",
        record=record,
        force_terminal=force_terminal,
        soft_wrap=bool(os.environ.get("GITHUB_ACTIONS")),
    )


def stop_if_blocked(loaded: Loaded) -> Plan:
    """The plan of a file that loaded soundly; else print its blocking findings on stderr and exit 1."""
    if loaded.blocked or loaded.plan is None:
        from cio_kit.render import text
        from cio_kit.validate import report_of

        text.render(report_of([loaded]), console(stderr=True))
        raise typer.Exit(1)
    return loaded.plan


PlanArgument = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Argument(
        metavar="PLAN",
        help="The plan file, or a folder holding one plan. Default: default_plan in cio-kit.yaml, "
        "else the only plan under plans/.",
    ),
]


def load_one(path: Path | None, config: Config, rules: bool = True) -> tuple[Loaded, Plan]:
    """Load the plan a command is about and its model; exit 2 on usage errors, 1 on a blocking finding.

    With ``rules`` false only the loader's blocking checks run: the roadmap
    needs a sound graph, not the whole catalogue.
    """
    from cio_kit.validate import UsageError, check_file, discover

    if path is None and config.default_plan is not None:
        path = config.default_plan  # several plans, one named the default (SPEC §12)
    if path is None or path.is_dir():
        # A folder (or none: the configured paths, else plans/) must hold exactly one plan (SPEC §15).
        folders = [path] if path is not None else list(config.paths) or [Path("plans")]
        where = ", ".join(str(folder) for folder in folders)
        try:
            found = [p for p, _ in discover(folders)]
        except UsageError as error:
            usage_error(f"{error}; name the plan file")
        candidates = [check_file(p, False, config, rules=rules) for p in found]
        plans = [entry for entry in candidates if not entry.skipped]
        if len(plans) != 1:
            names = ", ".join(entry.file for entry in plans) or "none"
            usage_error(f"expected exactly one plan under {where}, found {len(plans)} ({names}); name one")
        loaded = plans[0]
    else:
        if not path.exists():
            usage_error(f"{path}: no such file")
        loaded = check_file(path, True, config, rules=rules)
    return loaded, stop_if_blocked(loaded)


FailOnOption = Annotated[
    Optional[FailLevel],  # noqa: UP045 - Typer needs Optional here
    typer.Option("--fail-on", help="Exit 1 when the plan has findings at or above this level."),
]


def check_fail_on(loaded: Loaded, fail_on: FailLevel | None) -> None:
    """Exit 1 when --fail-on was given and the plan has findings at or above it."""
    from cio_kit.findings import FailOn

    if fail_on is not None and any(FailOn(fail_on.value).fails(f.severity) for f in loaded.findings):
        raise typer.Exit(1)


BaselineOption = Annotated[
    Optional[str],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--baseline",
        metavar="REF|FILE",
        help="An earlier version of the plan: a git ref (e.g. a tag) or a plan file. "
        "Default: baseline: in cio-kit.yaml.",
    ),
]


def load_baseline(spec: str | None, loaded: Loaded, config: Config) -> Baseline | None:
    """The baseline to use, or None.

    One given on the command line that cannot be read is a usage error; a
    configured one falls back to the plan as written, saying so on stderr,
    so that CI does not fail for want of history (SPEC §10).
    """
    from cio_kit.analysis.baseline import BaselineError, read_baseline

    chosen = spec if spec is not None else config.baseline
    if chosen is None:
        return None
    try:
        return read_baseline(chosen, Path(loaded.file), config.limits)
    except BaselineError as error:
        if spec is not None:
            usage_error(f"--baseline {spec}: {error}")
        from cio_kit.render.escape import terminal

        typer.echo(
            f"cio-kit: the configured baseline cannot be read ({terminal(str(error))}); "
            "using the plan as written",
            err=True,
        )
        return None


def check_output(path: Path | None, inputs: list[Path]) -> None:
    """An output that is a folder or an input is a usage error (SPEC §15).

    The inputs are the command's own files and every file of the repository's
    configuration: ``cio-kit.yaml``, ``portfolio.yaml``, the scenarios and the
    plans it names, and a baseline file.
    """
    if path is None:
        return
    if path.is_dir():
        usage_error(f"{path}: is a folder; name a file to write")
    target = path.resolve()
    for source in [*inputs, *_repository_inputs()]:
        if source.resolve() == target:
            usage_error(f"{path}: is an input of this command; writing it would destroy it")


def _repository_inputs() -> list[Path]:
    """The configuration, portfolio.yaml, the scenarios, the configured plans and a baseline file."""
    from cio_kit.config import ConfigError, find_config, load_config

    found = find_config()
    if found is None:
        return []
    home = found.parent
    files = [found, home / "portfolio.yaml", *sorted((home / "scenarios").glob("*.y*ml"))]
    try:
        config = load_config(found)
    except ConfigError:
        return files
    for configured in config.paths:
        files += sorted(configured.rglob("*.y*ml")) if configured.is_dir() else [configured]
    if config.baseline is not None and Path(config.baseline).is_file():
        files.append(Path(config.baseline))
    if config.default_plan is not None:
        files.append(config.default_plan)
    return files


class ReportFormat(str, enum.Enum):
    """Output formats of the reports."""

    text = "text"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file (replaced atomically) instead of stdout.",
    ),
]
ExportOption = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional here
    typer.Option(
        "--export",
        metavar="FILE",
        help="Also save the text report as FILE.html or FILE.svg, e.g. for an email.",
    ),
]


def emit(
    output_format: ReportFormat,
    as_data: Mapping[ReportFormat, Callable[[], str]],
    as_text: Callable[[Console], None],
    output: Path | None,
    export: Path | None,
    as_export: Callable[[Console], None] | None = None,
) -> None:
    """Write a report in the chosen format to stdout or --output, and the text view to --export.

    ``as_export`` is the view for the exported file, when it differs from the terminal's
    (an email has room for every finding).
    """
    from io import StringIO

    from cio_kit.cli.atomic import write_atomic

    if export is not None and export.suffix.lower() not in (".html", ".htm", ".svg"):
        usage_error(f"{export}: --export writes .html or .svg files")
    if output_format is ReportFormat.text:
        if output is None:
            as_text(console())
        else:
            buffer = StringIO()
            as_text(console(file=buffer, width=100, plain=True))
            write_atomic(output, buffer.getvalue())
    else:
        document = as_data[output_format]()
        if output is None:
            sys.stdout.write(document)
        else:
            write_atomic(output, document)
    if export is not None:
        recorder = console(record=True, file=StringIO(), width=110, force_terminal=True)
        (as_export or as_text)(recorder)
        exported = (
            recorder.export_svg(title="cio-kit", code_format=_offline_svg_format())
            if export.suffix.lower() == ".svg"
            else recorder.export_html()
        )
        write_atomic(export, exported)


def _offline_svg_format() -> str:
    """Rich's SVG template without the web font it fetches from a CDN: an exported file makes no request."""
    import re

    import rich.console

    template: str = getattr(rich.console, "CONSOLE_SVG_FORMAT")  # noqa: B009 - re-exported, not declared
    return re.sub(r',\s*url\("https?://[^"]*"\)\s*format\("[^"]*"\)', "", template)


def load_portfolio(
    folder: Path | None, config_path: Path | None
) -> tuple[Config, list[Loaded], Settings | None, Path]:
    """The configuration, every plan file under the folder, portfolio.yaml, and the folder it is in."""
    from cio_kit.portfolio.merge import PortfolioError, read_settings
    from cio_kit.validate import UsageError, load_all

    config = load_config_or_exit(config_path)
    folders = [folder] if folder is not None else list(config.paths) or [Path("plans")]
    try:
        loaded = load_all(folders, config)
    except UsageError as error:
        usage_error(str(error))
    home = config.path.parent if config.path is not None else Path(".")
    try:
        return config, loaded, read_settings(home), home
    except PortfolioError as error:
        usage_error(str(error))


AsWrittenOption = Annotated[
    bool,
    typer.Option(
        "--as-written",
        help="Show the plan as written (the v1 view), not as it stands at its status_date.",
    ),
]
ForecastOption = Annotated[
    bool,
    typer.Option(
        "--forecast",
        hidden=True,
        help="Accepted for v1.1 scripts: with a status_date the forecast is already the basis.",
    ),
]


def rules_share_situation(config: Config, *, as_written: bool, baseline: str | None = None) -> bool:
    """Whether the rules would judge the same situation the command shows, so it is computed once.

    The rules see the plan as it stands, not levelled, judged against the configured baseline; a
    command that shows it as written, levelled or against another baseline needs its own.
    """
    return not as_written and not config.level and baseline is None and config.baseline is None


def situation_of(
    plan: Plan,
    config: Config,
    baseline: Baseline | None = None,
    *,
    as_written: bool = False,
    level: bool = False,
) -> Situation:
    """The plan as this command sees it: one basis for every figure it shows (SPEC §16).

    Levelled when the command asks (``--level``) or the configuration does (``level: true``).
    """
    from cio_kit.situation import Situation

    if level and plan.enterprise.plan_start is None:
        usage_error("--level needs enterprise.plan_start in the plan")
    return Situation(plan, baseline, as_written=as_written, level=level or config.level)


def levelled_or_exit(situation: Situation, where: str) -> None:
    """Level the situation now, so a plan too large to level is a usage error, not a traceback."""
    from cio_kit.analysis.capacity import TooLarge

    if not situation.level:
        return
    try:
        _ = situation.schedule
    except TooLarge as error:
        usage_error(f"{where}: {error}")


@contextlib.contextmanager
def progress_on_stderr(what: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback drawing a bar on stderr when it is a terminal, else None.

    Long work (a plan's whole history) says how far it is; a pipe or a CI log gets nothing.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
