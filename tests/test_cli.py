"""The command line through its exit codes, its JSON and its golden outputs."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cio_kit.render import json_format, text
from cio_kit.validate import validate

from .conftest import MINIMAL

FLAWED = """\
cio_kit: 1
enterprise:
  name: Example Co
stages:
  - id: S-A
    title: Kickoff
    kind: change-management
    duration_weeks: 2
    depends_on: [S-NOPE]
  - id: S-A
    title: Duplicate
    kind: training
    duration_weeks: "2"
"""


def test_validate_bundled_plans_passes(cli: Callable[..., Any], in_root: Path) -> None:
    result = cli("plan", "validate")
    assert result.exit_code == 0, result.output
    assert "plans/hengda-group.yaml" in result.stdout
    assert "0 errors" in result.stdout


def test_findings_exit_1(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(FLAWED)
    result = cli("plan", "validate", "plan.yaml")
    assert result.exit_code == 1
    assert "plan.yaml:13:5 error PLAN002" in result.stdout


def test_fail_on_never_exits_0(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(FLAWED)
    assert cli("plan", "validate", "plan.yaml", "--fail-on", "never").exit_code == 0


def test_fail_on_warning_fails_on_a_warning(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(MINIMAL.replace("    objective: Everyone knows the plan\n", ""), name="plans/good.yaml")
    assert cli("plan", "validate", "plans").exit_code == 0
    assert cli("plan", "validate", "plans", "--fail-on", "warning").exit_code == 1


def test_a_mistyped_plan_fails_ci(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    """SPEC §15: a typo in `cio_kit` is an error that counts, even alone in a directory."""
    write_plan(MINIMAL.replace("cio_kit:", "cio-kit:"), name="plans/typo.yaml")
    result = cli("plan", "validate", "plans", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == 1 and document["summary"]["errors"] == 1
    assert [(f["rule"], f["severity"]) for f in document["findings"]] == [("PLAN006", "error")]
    write_plan("name: docker\nservices: {}\n", name="plans/compose.yml")  # not plan-like: still skipped
    assert json.loads(cli("plan", "validate", "plans", "--format", "json").stdout)["summary"]["skipped"] == 1


def test_missing_path_is_exit_2(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    result = cli("plan", "validate", "nowhere.yaml")
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr
    assert result.stdout == ""


def test_no_plan_found_is_exit_2(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan("name: not a plan\n", name="dir/other.yaml")
    result = cli("plan", "validate", "dir")
    assert result.exit_code == 2
    assert "no cio-kit plan found" in result.stderr


def test_default_path_missing_is_exit_2(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    assert cli("plan", "validate").exit_code == 2


def test_unknown_option_is_exit_2(cli: Callable[..., Any], in_root: Path) -> None:
    assert cli("plan", "validate", "--frobnicate").exit_code == 2
    assert cli("plan", "validate", "--format", "yaml").exit_code == 2


def test_json_matches_the_spec_key_for_key(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(FLAWED)
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == ["tool", "version", "schema", "config", "files", "findings", "summary"]
    assert document["tool"] == "cio-kit" and document["schema"] == 1 and document["config"] is None
    assert list(document["files"][0]) == ["file", "plan", "errors", "warnings", "infos"]
    assert document["files"][0]["plan"] == "Example Co"
    assert list(document["summary"]) == ["files", "skipped", "errors", "warnings", "infos", "truncated"]
    for finding in document["findings"]:
        assert list(finding) == [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "path",
            "subject",
            "related",
        ]
    assert result.stderr == ""


def test_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], write_plan: Callable[..., Path]
) -> None:
    import cio_kit.validate
    from cio_kit import cli

    write_plan()

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cio_kit.validate, "load_all", explode)
    monkeypatch.setattr(sys, "argv", ["cio-kit", "plan", "validate", "plan.yaml"])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "boom" in err and "Traceback" not in err
    # --debug (or CIO_KIT_DEBUG=1) shows where it came from, and still exits 3.
    monkeypatch.setattr(sys, "argv", ["cio-kit", "--debug", "plan", "validate", "plan.yaml"])
    monkeypatch.delenv("CIO_KIT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "explode" in err and err.rstrip().endswith("RuntimeError: boom")
    os.environ.pop("CIO_KIT_DEBUG", None)  # set by --debug itself, not by monkeypatch


def test_ctrl_c_exits_130_as_a_shell_counts_sigint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], write_plan: Callable[..., Path]
) -> None:
    import cio_kit.validate
    from cio_kit import cli

    write_plan()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cio_kit.validate, "load_all", interrupted)
    monkeypatch.setattr(sys, "argv", ["cio-kit", "plan", "validate", "plan.yaml"])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 130  # 128 + SIGINT (2); inside a command Typer says nothing
    assert capsys.readouterr() == ("", "")
    # Before Typer has the command line (its commands still being imported), one line of our own.
    monkeypatch.setattr(cli, "app", interrupted)
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 130
    assert capsys.readouterr() == ("", "cio-kit: interrupted\n")


def test_module_entry_point_and_version(in_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cio_kit", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "cio-kit 0.1.0"


def _flawed_report(write_plan: Callable[..., Path]) -> Any:
    write_plan(FLAWED, name="plans/flawed.yaml")
    write_plan(name="plans/clean.yaml")
    write_plan(MINIMAL.replace("cio_kit:", "cio-kit:"), name="plans/typo.yaml")
    return validate([Path("plans")])


def test_text_golden(write_plan: Callable[..., Path], golden: Callable[[str, str], None]) -> None:
    buffer = StringIO()
    text.render(_flawed_report(write_plan), Console(file=buffer, width=100, color_system=None))
    golden("validate.txt", buffer.getvalue())


def test_json_golden(write_plan: Callable[..., Path], golden: Callable[[str, str], None]) -> None:
    golden("validate.json", json_format.render(_flawed_report(write_plan)))


def test_ci_format_goldens(write_plan: Callable[..., Path], golden: Callable[[str, str], None]) -> None:
    """SARIF (results and every rule's help), JUnit and GitHub workflow commands, word for word."""
    from cio_kit.findings import FailOn
    from cio_kit.render import github, junit, sarif

    report = _flawed_report(write_plan)
    # The run's base URI is the directory the tests run in.
    golden("validate.sarif", sarif.render(report).replace(Path.cwd().resolve().as_uri(), "file:///ROOT"))
    golden("validate.junit.xml", junit.render(report, FailOn.ERROR))
    golden("validate.github.txt", github.render(report))


def test_text_respects_no_color(write_plan: Callable[..., Path], in_root: Path) -> None:
    env = {"NO_COLOR": "1", "FORCE_COLOR": "", "TERM": "xterm-256color"}
    result = subprocess.run(
        [sys.executable, "-m", "cio_kit", "plan", "validate", "examples/loader/plan003-duplicate-key.yaml"],
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, **env},
    )
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout


def test_written_files_follow_the_umask_and_never_replace_an_input(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """SPEC §15: a new file gets 0666 less the umask (not mkstemp's 0600); a folder or an input is exit 2."""
    plan = write_plan(MINIMAL)
    old = os.umask(0o022)
    try:
        assert (
            cli("plan", "validate", "plan.yaml", "--format", "sarif", "--output", "out.sarif").exit_code == 0
        )
        assert (
            cli("report", "gaps", "plan.yaml", "--output", "gaps.txt", "--export", "gaps.html").exit_code == 0
        )
        assert cli("plan", "schema", "--output", "schema.json").exit_code == 0
    finally:
        os.umask(old)
    for name in ("out.sarif", "gaps.txt", "gaps.html", "schema.json"):
        assert stat.S_IMODE(Path(name).stat().st_mode) == 0o644, name
    Path("gaps.txt").chmod(0o600)  # a replaced file keeps its own mode
    assert cli("report", "gaps", "plan.yaml", "--output", "gaps.txt").exit_code == 0
    assert stat.S_IMODE(Path("gaps.txt").stat().st_mode) == 0o600
    before = plan.read_text()
    Path("folder").mkdir()
    for args in (
        ("plan", "validate", "plan.yaml", "--format", "json", "--output", "plan.yaml"),
        ("report", "budget", "plan.yaml", "--output", "plan.yaml"),
        ("report", "gaps", "plan.yaml", "--export", "./plan.yaml"),
        ("report", "gaps", "plan.yaml", "--output", "folder"),
        ("plan", "schema", "--output", "folder"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
    assert plan.read_text() == before


def test_a_folder_where_one_plan_is_wanted(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    """SPEC §15: the only plan in a folder is used; with several, they are named and it is exit 2."""
    write_plan(name="one/plan.yaml")
    write_plan("name: docker\nservices: {}\n", name="one/compose.yml")
    for command in (("roadmap", "show"), ("report", "budget"), ("report", "readiness")):
        result = cli(*command, "one")
        assert result.exit_code == 0, (command, result.output)
    write_plan(name="one/other.yaml")
    several = cli("roadmap", "show", "one")
    assert several.exit_code == 2
    assert "one/other.yaml" in several.stderr and "one/plan.yaml" in several.stderr
    assert "PLAN001" not in several.output


@pytest.mark.parametrize(
    "command",
    [(), ("plan", "validate"), ("plan", "diff"), ("roadmap", "show"), ("roadmap", "risk"), ("report", "evm")],
)
def test_help_reads_well_at_80_columns(command: tuple[str, ...]) -> None:
    from typer.testing import CliRunner

    from cio_kit.cli import app

    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines()), result.output
    if command == ("plan", "validate"):
        assert "<text|json|sarif|junit|github|auto>" in result.output  # choices never broken mid-word


def test_configuration_discovery_and_its_bounds(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §15: no .git → only the current folder; paths stay inside; the config used is named."""
    outer = tmp_path / "outer"
    inner = outer / "export"
    (inner / "plans").mkdir(parents=True)
    (inner / "plans" / "plan.yaml").write_text(FLAWED)
    (outer / "cio-kit.yaml").write_text("severity: {PLAN002: warning}\n")  # would silence the error
    monkeypatch.chdir(inner)
    result = cli("plan", "validate", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["config"] is None
    (inner / "cio-kit.yaml").write_text("paths: [plans]\n")
    named = json.loads(cli("plan", "validate", "--format", "json").stdout)
    assert named["config"] == "cio-kit.yaml"
    sarif = json.loads(cli("plan", "validate", "--format", "sarif").stdout)
    assert sarif["runs"][0]["properties"]["config"] == "cio-kit.yaml"
    for bad in ("paths: [/etc/passwd]", "paths: [../..]", "max_file_mib: .inf", "max_file_mib: .nan",
                "run_warn: .nan", "cpi_warn: .inf", "max_file_mib: 1e308"):  # fmt: skip
        (inner / "cio-kit.yaml").write_text(bad + "\n")
        assert cli("plan", "validate").exit_code == 2, bad
    (inner / "cio-kit.yaml").write_text("paths: [plans]\n")
    for flag in ("inf", "nan", "1e308"):
        refused = cli("plan", "validate", "plans", "--max-file-mib", flag)
        assert refused.exit_code == 2 and "max-file-mib" in refused.output, flag


def test_file_size_limit_from_the_option_and_the_configuration(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """A 2 MiB plan passes the default 10 MiB limit, and is PLAN007 under a 1 MiB one, set either way."""
    write_plan(MINIMAL + "# " + "x" * (2 * 1024 * 1024) + "\n", "plans/plan.yaml")
    assert cli("plan", "validate", "plans").exit_code == 0
    limited = cli("plan", "validate", "plans", "--max-file-mib", "1", "--format", "json")
    assert limited.exit_code == 1 and [f["rule"] for f in json.loads(limited.stdout)["findings"]] == [
        "PLAN007"
    ]
    Path("cio-kit.yaml").write_text("max_file_mib: 1\n")
    configured = cli("plan", "validate", "plans", "--format", "json")
    assert configured.exit_code == 1 and "1 MiB" in json.loads(configured.stdout)["findings"][0]["message"]
    assert cli("plan", "validate", "plans", "--max-file-mib", "3").exit_code == 0  # the option wins


def test_validate_text_of_a_folder_golden(
    write_plan: Callable[..., Path], golden: Callable[[str, str], None]
) -> None:
    """A clean plan with a long name, a file skipped with a finding, one with findings, in colour at 40
    columns: every file line stays whole (a CI log greps it), the clean plan gets its tick."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    long_name = MINIMAL.replace("Example Co", "Example Company of Very Long Names Holdings")
    write_plan(long_name, name="plans/a-clean-plan-with-a-long-file-name.yaml")
    write_plan(": : broken [\n", name="plans/b-notes.yaml")
    write_plan(FLAWED, name="plans/c-a-flawed-plan-with-a-long-file-name.yaml")
    env = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm", "COLORTERM": None, "COLUMNS": "40"}
    result = CliRunner().invoke(app, ["plan", "validate", "plans"], env=env)
    assert result.exit_code == 1
    golden("validate-folder-40.ansi", result.stdout)


def test_summary_line_counts_and_words() -> None:
    from cio_kit.findings import FileResult, Finding, Report, Severity

    info = Finding("a.yaml", 1, 1, "PLAN009", "", "alone", Severity.INFO)
    clean = FileResult("a.yaml", "A", (), False, (), 0)
    assert text.summary_line(Report((clean,))) == "[green]✓[/] 0 errors, 0 warnings, 0 infos in 1 plan file"
    noted = FileResult("a.yaml", "A", (info,), False, (), 0)
    skipped = [FileResult(f"n{n}.yaml", None, (), True, (), 0) for n in range(2)]
    assert text.summary_line(Report((noted, *skipped))) == (
        "[green]✓[/] 0 errors, 0 warnings, 1 info in 1 plan file (2 YAML files skipped)"
    )
    cut = FileResult("a.yaml", "A", (info,), False, (), 7)
    assert text.summary_line(Report((cut, skipped[0]))) == (
        "[green]✓[/] 0 errors, 0 warnings, 1 info in 1 plan file (1 YAML file skipped); "
        "7 more left out (at most 200 findings of one rule per file)"
    )


def test_help_imports_neither_the_commands_nor_the_heavy_libraries() -> None:
    """`cio-kit --help` pays for Typer and the root command only (SPEC §9, start-up): no command
    module, no plan model, no Rich, numpy, networkx, pydantic, matplotlib, openpyxl or HiGHS."""
    import subprocess
    import sys

    code = (
        "import sys\nsys.argv = ['cio-kit', '--help']\nfrom cio_kit.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.splitlines()[-1].split())
    heavy = {"numpy", "networkx", "pydantic", "matplotlib", "openpyxl", "highspy", "rich", "yaml"}
    assert not heavy & loaded
    assert not {name for name in loaded if name.startswith("cio_kit.") and name != "cio_kit.cli"}
    assert "typer" in loaded  # the check above would pass on a process that printed nothing


def test_each_line_of_the_command_list_is_the_commands_own_help() -> None:
    """The root help lists the commands without building them; each line is what the command says."""
    from cio_kit.cli import COMMANDS, command

    for name, (_, line) in COMMANDS.items():
        built = command(name)
        assert built.name == name
        assert built.get_short_help_str(500) == line, name

    # Once built, a command is listed once, not again beside its line.
    import typer

    from cio_kit.cli import app

    group = typer.main.get_command(app)
    assert group.get_command(None, "plan") is not None  # type: ignore[arg-type]
    assert group.list_commands(None) == list(COMMANDS)  # type: ignore[arg-type, attr-defined]


def test_the_root_help_lists_every_command_with_its_line_at_80_columns(
    golden: Callable[[str, str], None],
) -> None:
    """`cio-kit --help` as a user sees it at 80 columns: the Commands section, each command's line cut
    to fit as click cuts it (built from cli.COMMANDS, without building the commands)."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    from cio_kit.cli import COMMANDS

    listed = result.output.split("\nCommands:\n", 1)[1].splitlines()
    assert [row[:13] for row in listed] == [f"  {name:<9}  " for name in COMMANDS]
    assert all(row[13:].rstrip(".") in line for row, (_, line) in zip(listed, COMMANDS.values(), strict=True))
    golden("help-root.txt", result.output)


def test_every_commands_help_at_80_columns(golden: Callable[[str, str], None]) -> None:
    """Each command's --help as a user sees it at 80 columns, word for word: the options, their
    defaults and choices are the CLI's documentation, and no line is wider than the terminal."""
    from typer.testing import CliRunner

    from cio_kit.cli import COMMANDS, app, command

    shown = []
    for name in COMMANDS:
        subcommands = getattr(command(name), "commands", {})  # a group's, in the order it lists them
        for args in ([name], *([name, sub] for sub in subcommands)):
            result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
            assert result.exit_code == 0, args
            assert all(len(line) <= 80 for line in result.output.splitlines()), result.output
            shown.append(f"$ cio-kit {' '.join(args)} --help\n{result.output}")
    assert len(shown) >= 20
    golden("help-every-command-80.txt", "\n".join(shown))
