"""``cio-kit plan``: validate, init, schema and diff."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cio_kit.cli.common import (
    ConfigOption,
    FailLevel,
    FailOnOption,
    check_fail_on,
    check_output,
    console,
    load_config_or_exit,
    load_one,
    stop_if_blocked,
    usage_error,
)

if TYPE_CHECKING:
    from cio_kit.config import Config
    from cio_kit.findings import FailOn, Report

app = typer.Typer(rich_markup_mode=None, help="Check and manage plan files.", no_args_is_help=True)


class OutputFormat(str, enum.Enum):
    """Output formats of ``plan validate``."""

    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    auto = "auto"


@app.command("validate")
def validate(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(
            metavar="PATH...",
            help="Plan files or directories (searched recursively). Default: config paths, else plans/.",
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
        typer.Option(
            "--max-file-mib",
            min=0.001,
            max=4096,  # config.MAX_FILE_MIB: inf and nan are out of range, not "no limit"
            metavar="MIB",
            help="Refuse files larger than this (MiB). Default: 10.",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
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

    from cio_kit.findings import FailOn
    from cio_kit.plan.loader import FileLimits
    from cio_kit.validate import UsageError, load_all, report_of

    config = load_config_or_exit(config_path)
    if max_file_mib is not None:
        config = replace(config, limits=FileLimits(max_file_mib=max_file_mib))
    targets = list(paths) if paths else list(config.paths) or [Path("plans")]
    level = FailOn(fail_on.value)
    if output_format is OutputFormat.auto:
        output_format = OutputFormat.github if os.environ.get("GITHUB_ACTIONS") else OutputFormat.text
    try:
        loaded = load_all(targets, config)
    except UsageError as error:  # among them NoPlanError: no plan among the paths given
        usage_error(str(error))
    check_output(output, [Path(entry.file) for entry in loaded])
    report = replace(report_of(loaded), config=_shown_path(config.path))
    if output is None:
        _print_report(report, output_format, level)
    else:
        from cio_kit.cli.atomic import write_atomic

        write_atomic(output, _formatted(report, output_format, level))
        if output_format is not OutputFormat.text:
            # The saved file is for machines; stdout stays for people (or for
            # GitHub's annotations when running under GitHub Actions).
            if os.environ.get("GITHUB_ACTIONS"):
                _print_report(report, OutputFormat.github, level)
            else:
                _print_text(report)
    raise typer.Exit(report.exit_code(level))


def _shown_path(path: Path | None) -> str | None:
    """A path as findings show files: relative to the current directory when it can be, ``/``-separated."""
    if path is None:
        return None
    import os

    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _formatted(report: Report, output_format: OutputFormat, level: FailOn) -> str:
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

    from cio_kit.render import text

    buffer = StringIO()
    text.render(report, console(file=buffer, width=100, plain=True))
    return buffer.getvalue()


def _print_report(report: Report, output_format: OutputFormat, level: FailOn) -> None:
    if output_format is OutputFormat.text:
        _print_text(report)
    else:
        sys.stdout.write(_formatted(report, output_format, level))


def _print_text(report: Report) -> None:
    from cio_kit.render import text

    text.render(report, console())


@app.command("schema")
def plan_schema_command(
    output: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the schema to this file instead of stdout."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the plan format, for editors (generated from the model)."""
    import json

    from cio_kit.plan.schema import plan_schema

    text = json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from cio_kit.cli.atomic import write_atomic

        check_output(output, [])
        write_atomic(output, text)


@app.command("init")
def plan_init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to create the plan repository content.")
    ] = Path("."),
    name: Annotated[
        str, typer.Option("--name", metavar="TEXT", help="The enterprise's name.")
    ] = "Example Enterprise",
    currency: Annotated[
        str, typer.Option("--currency", metavar="CODE", help="ISO 4217 currency code.")
    ] = "USD",
    start: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--start",
            metavar="DATE",
            help="plan_start as YYYY-MM-DD. Default: the first Monday of next month.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write a starter plan, cio-kit.yaml and the editor schema; never overwrites without --force."""
    import datetime as dt
    import re

    from cio_kit.cli.atomic import write_atomic
    from cio_kit.plan.starter import default_start, starter_files

    if not re.fullmatch(r"[A-Z]{3}", currency):
        usage_error(f"--currency must be a three-letter ISO 4217 code such as USD, not {currency!r}")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 reach Python as lone surrogates
        usage_error("--name must be text in UTF-8; nothing was written")
    try:
        plan_start = dt.date.fromisoformat(start) if start else default_start(dt.date.today())
    except ValueError:
        usage_error(f"--start must be a date written YYYY-MM-DD, not {start!r}")
    files = starter_files(name, currency, plan_start)
    existing = [str(folder / path) for path in files if (folder / path).exists()]
    if existing and not force:
        usage_error(f"{', '.join(existing)} already exist; use --force to overwrite")
    for path, content in files.items():
        write_atomic(folder / path, content)
        typer.echo(f"wrote {folder / path}", err=True)
    typer.echo(f"next: cio-kit plan validate {folder / 'plans'}", err=True)


class DiffFormat(str, enum.Enum):
    """Output formats of ``plan diff``."""

    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("diff")
def plan_diff_command(
    old: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(
            metavar="OLD",
            help="The old plan file (or, with --git, the plan file to compare; default: every plan).",
        ),
    ] = None,
    new: Annotated[
        Optional[Path],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(metavar="NEW", help="The new plan file."),
    ] = None,
    git_ref: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Option(
            "--git",
            metavar="REF",
            help="Compare the working tree with this git revision (e.g. HEAD~1, main).",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    config_path: ConfigOption = None,
    fail_on: FailOnOption = None,
) -> None:
    """What changed between two plan versions: stages, budget, finish date, findings.

    `cio-kit plan diff OLD NEW` compares two files; `cio-kit plan diff --git
    REF [PLAN]` compares the working tree with the version at REF: one plan,
    or, without PLAN, every plan (added and removed ones included).
    """
    from cio_kit.render import diff as render_diff
    from cio_kit.reports.diff import plan_diff
    from cio_kit.validate import check_bytes, check_file

    config = load_config_or_exit(config_path)
    if git_ref is not None and old is None:
        _diff_every_plan(git_ref, config, output_format, fail_on)
        return
    if git_ref is not None:
        if new is not None:
            usage_error("with --git, name at most one plan file")
        current, _ = load_one(old, config)
        old_loaded = check_bytes(_git_show(git_ref, Path(current.file)), f"{git_ref}:{current.file}", config)
        new_loaded = current
    else:
        if old is None or new is None:
            usage_error("name the OLD and NEW plan files, or use --git REF")
        for path in (old, new):
            if not path.exists():
                usage_error(f"{path}: no such file")
        old_loaded, new_loaded = check_file(old, True, config), check_file(new, True, config)
    if output_format is DiffFormat.markdown:
        # A job summary must stay Markdown, even when a version cannot be compared.
        blocked = [loaded.file for loaded in (old_loaded, new_loaded) if loaded.blocked]
        if blocked:
            sys.stdout.write(render_diff.many_to_markdown([], blocked))
    old_plan, new_plan = (stop_if_blocked(loaded) for loaded in (old_loaded, new_loaded))
    diff = plan_diff(
        old_plan,
        new_plan,
        old_loaded.findings,
        new_loaded.findings,
        old_loaded.file,
        new_loaded.file,
    )
    if output_format is DiffFormat.text:
        render_diff.render_text(diff, console())
    else:
        render = render_diff.to_json if output_format is DiffFormat.json else render_diff.to_markdown
        sys.stdout.write(render(diff))
    check_fail_on(new_loaded, fail_on)


def _diff_every_plan(ref: str, config: Config, output_format: DiffFormat, fail_on: FailLevel | None) -> None:
    """``plan diff --git REF`` with no plan: every plan under the configured paths, now against REF.

    A plan added since REF is compared with an empty plan (all added), one
    removed since with an empty plan (all removed). A plan with blocking
    findings is named in the output, in its format, and makes the exit 1.
    """
    from cio_kit.analysis.baseline import BaselineError
    from cio_kit.findings import FailOn
    from cio_kit.plan.model import Plan
    from cio_kit.render import diff as render_diff
    from cio_kit.reports.diff import plan_diff
    from cio_kit.validate import versions_since

    try:
        versions = versions_since(ref, list(config.paths) or [Path("plans")], config)
    except BaselineError as error:
        revision = "not a git revision" in str(error)
        usage_error(
            f"{error}"
            + ("" if revision else f"; fetch {ref} first (a shallow clone has only its own commit)")
        )
    diffs, blocked, failed = [], [], False
    for name, old, new in versions:
        sides = [side for side in (old, new) if side is not None]
        plans = [side.plan for side in sides if not side.blocked and side.plan is not None]
        if len(plans) < len(sides):
            blocked.append(name)
            failed = True
            continue
        # An absent side is an empty plan of the same enterprise: everything added, or removed.
        empty = Plan(cio_kit=1, enterprise=plans[0].enterprise)
        diffs.append(
            plan_diff(
                plans[0] if old is not None else empty,
                plans[-1] if new is not None else empty,
                old.findings if old is not None else [],
                new.findings if new is not None else [],
                f"{ref}:{name}" if old is not None else f"{ref}:{name} (no such plan)",
                name if new is not None else f"{name} (removed)",
            )
        )
        if new is not None and fail_on is not None:
            failed = failed or any(FailOn(fail_on.value).fails(f.severity) for f in new.findings)
    if output_format is DiffFormat.json:
        sys.stdout.write(render_diff.many_to_json(diffs, blocked))
    elif output_format is DiffFormat.markdown:
        sys.stdout.write(render_diff.many_to_markdown(diffs, blocked))
    else:
        render_diff.many_to_text(diffs, blocked, console())
    if failed:
        raise typer.Exit(1)


def _git_show(ref: str, path: Path) -> bytes:
    """The content of ``path`` at git revision ``ref`` (exit 2 when git cannot give it)."""
    from cio_kit.analysis.baseline import BaselineError, git_show

    try:
        return git_show(ref, path)
    except BaselineError as error:
        usage_error(str(error))
