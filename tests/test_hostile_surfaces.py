"""Hostile inputs, round three (issue 27): the v1.1 surfaces; each attack a clear message, no traceback.

Each test names what must hold; the comment names the row of the attack it stands for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DATED = """\
cio_kit: 1
enterprise: {name: "Programme $(SECRET_TOKEN) ${x} \\"q\\" back\\\\slash", plan_start: 2027-01-04}
stages:
  - {id: S-A, title: "Build\\n::error file=x::owned", kind: training, duration_weeks: 2,
     owner: "::add-mask::s"}
  - {id: M-A, title: Live, kind: milestone, depends_on: [S-A], deadline: 2027-03-01}
"""


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "cio_kit", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60
    )


def test_an_input_that_is_not_a_regular_file_is_refused_at_once(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 4: /dev/zero, a FIFO, a sparse 3 GB file: refused without reading (or hanging)."""
    write_plan()
    fifo = Path("table.csv")
    os.mkfifo(fifo)
    sparse = Path("big.csv")
    with sparse.open("wb") as handle:
        handle.truncate(3 * 1024**3)
    for source in ("/dev/zero", str(fifo), str(sparse)):
        result = cli("import", "csv", source)
        assert result.exit_code == 2, (source, result.output)
        assert "not a regular file" in result.stderr or "larger than" in result.stderr
    result = cli("roadmap", "show", "plan.yaml", "--baseline", str(sparse))
    assert result.exit_code == 2 and "larger than" in result.stderr


def test_tjp_strings_cannot_reach_the_environment(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """Row 7: `$(` and `${` are neutralised, quotes and backslashes escaped as tj3 reads them."""
    write_plan(DATED)
    text = cli("export", "tjp", "plan.yaml").stdout
    assert "$(" not in text and "${" not in text
    assert '"Programme $ (SECRET_TOKEN) $ {x} \\"q\\" back\\\\slash"' in text
    if not os.environ.get("PATH") or subprocess.run(["which", "tj3"], capture_output=True).returncode:
        pytest.skip("tj3 (Debian package tj3) is not installed")
    (tmp_path / "p.tjp").write_text(text + 'taskreport "r" { formats csv columns name }\n', encoding="utf-8")
    done = subprocess.run(
        ["tj3", "--silent", "p.tjp"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_TOKEN": "leaked"},
    )
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stdout + done.stderr + (tmp_path / "r.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ("roadmap", "show", "plan.yaml", "--format", "csv"),
        ("export", "mspdi", "plan.yaml"),
        ("export", "tjp", "plan.yaml"),
        ("plan", "validate", "plan.yaml", "--format", "junit"),
    ],
)
def test_no_output_line_begins_a_workflow_command(
    command: tuple[str, ...], cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 8: plan text with line breaks and `::` cannot start a line of any output with `::`."""
    write_plan(DATED)
    result = cli(*command)
    # The plan is in the output (its title's text kept, or, in JUnit, the stage a finding names) ...
    assert ("S-A" if command[-1] == "junit" else "owned") in result.stdout
    # ... and no line of it starts a workflow command.
    assert [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")] == []


def test_an_imported_table_cannot_print_a_workflow_command(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Row 8: `import csv` to stdout writes the text, but no line of YAML begins with `::`."""
    write_plan()
    Path("t.csv").write_text(
        'id,title,kind,duration_weeks\nS-A,"x\n::error file=a::b",training,2\n', encoding="utf-8"
    )
    result = cli("import", "csv", "t.csv")
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")] == []


@pytest.mark.parametrize(
    "args",
    [
        ("report", "budget", "--output", "cio-kit.yaml"),
        ("report", "capacity", "--output", "portfolio.yaml"),
        ("portfolio", "report", "--output", "plans/a.yaml"),
        ("report", "evm", "--baseline", "old.yaml", "--output", "old.yaml"),
        ("report", "readiness", "--output", "plans/a.yaml"),
    ],
)
def test_an_output_never_replaces_an_input(
    args: tuple[str, ...], cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 9: a report written over the configuration, portfolio.yaml, a plan or the baseline: exit 2."""
    plan = (
        "cio_kit: 1\nenterprise: {name: A, plan_start: 2027-01-04, status_date: 2027-02-01}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    )
    write_plan(plan, name="plans/a.yaml")
    write_plan(plan, name="old.yaml")
    write_plan("paths: [plans]\ndefault_plan: plans/a.yaml\n", name="cio-kit.yaml")
    write_plan("cio_kit_portfolio: 1\nname: P\n", name="portfolio.yaml")
    before = {
        name: Path(name).read_bytes()
        for name in ("cio-kit.yaml", "portfolio.yaml", "plans/a.yaml", "old.yaml")
    }
    result = cli(*args)
    assert result.exit_code == 2 and "is an input" in result.stderr, result.output
    assert {name: Path(name).read_bytes() for name in before} == before


def test_writing_to_a_device_link_writes_through_it(write_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Row 10: `-o` a link to stdout prints the calendar and leaves the link a link."""
    write_plan(DATED)
    (tmp_path / "out.ics").symlink_to("/dev/stdout")
    done = _run("export", "ics", "plan.yaml", "-o", "out.ics", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "BEGIN:VCALENDAR" in done.stdout and (tmp_path / "out.ics").is_symlink()


@pytest.mark.parametrize("target", ["/etc/passwd/x.ics", "/proc/version", "/sys/kernel/x.ics"])
def test_an_output_that_cannot_be_written_is_a_usage_error(
    target: str, cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 11: exit 2 with "cannot write", not exit 3."""
    write_plan(DATED)
    result = cli("export", "ics", "plan.yaml", "-o", target)
    assert result.exit_code == 2 and "cannot write" in result.stderr, result.output


@pytest.mark.parametrize(
    "task",
    [
        "<UID>1</UID><ID>\u00b2</ID><Name>x</Name><Duration>PT8H0M0S</Duration>",
        "<UID>1</UID><ID>1</ID><Name>x</Name><OutlineLevel>"
        + "9" * 5000
        + "</OutlineLevel><Duration>PT8H0M0S</Duration>",
        "<UID>1</UID><ID>1</ID><Name>x</Name><Duration>PT8H0M0S</Duration><Deadline>0001-01-01T00:00:00</Deadline>",
    ],
)
def test_odd_numbers_in_a_project_file_are_problems_not_crashes(
    task: str, cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 14: a superscript digit, a 5,000-digit level, a deadline before the calendar."""
    write_plan()
    body = (
        f'<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task>{task}</Task></Tasks></Project>'
    )
    Path("p.xml").write_text(body, encoding="utf-8")
    result = cli("import", "mspdi", "p.xml")
    assert result.exit_code in (0, 1), result.output
    if "Deadline" in task:
        assert result.exit_code == 1 and "before the calendar starts" in result.stderr


@pytest.mark.parametrize("scale", ["inf", "1e300"])
def test_an_envelope_past_any_budget_is_a_usage_error(scale: str, cli: Any, in_root: Path) -> None:
    """Row 16: --budget-scale inf or 1e300 never reaches the solver or a scenario."""
    result = cli("portfolio", "optimize", "--budget-scale", scale, "-f", "json")
    assert result.exit_code == 2 and "finite amount" in result.stderr, result.output


def test_a_dtd_is_found_in_any_encoding_anywhere(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Row 17: a UTF-16 file with a DTD, and a DOCTYPE after byte 4,096, are refused."""
    write_plan()
    ns = 'xmlns="http://schemas.microsoft.com/project"'
    utf16 = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        f'<!DOCTYPE p [<!ENTITY a "aaaa">]><Project {ns}><Name>&a;</Name></Project>'
    )
    Path("u.xml").write_bytes(utf16.encode("utf-16"))
    late = f'<?xml version="1.0"?><!--{"x" * 5000}--><!DOCTYPE p [<!ENTITY a "aa">]><Project {ns}/>'
    Path("l.xml").write_text(late, encoding="utf-8")
    for name in ("u.xml", "l.xml"):
        result = cli("import", "mspdi", name)
        assert result.exit_code == 1 and "DOCTYPE" in result.stderr, result.output


def test_a_baseline_outside_the_repository_is_refused(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """Row 20: `baseline:` in cio-kit.yaml names a file of this repository, not ../../secret.yaml."""
    secret = tmp_path.parent / "secret.yaml"
    secret.write_text("cio_kit: 1\nenterprise: {name: SECRET-VALUE}\nstages: []\n", encoding="utf-8")
    write_plan()
    write_plan(f"baseline: ../{secret.name}\n", name="cio-kit.yaml")
    result = cli("roadmap", "show", "plan.yaml")
    assert result.exit_code == 2 and "outside" in result.stderr and "SECRET-VALUE" not in result.output


def test_plan_diff_reads_a_chinese_file_name_at_a_ref(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """Row 19: git would quote the name; read with -z, the old side is found and nothing shows as added."""
    write_plan(name="plans/财务共享.yaml")
    write_plan("paths: [plans]\n", name="cio-kit.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=tmp_path, check=True)
    subprocess.run([*git, "tag", "v1"], cwd=tmp_path, check=True)
    result = cli("plan", "diff", "--git", "v1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "added" not in result.stdout or '"added": []' in result.stdout


def _commit_all(folder: Path, tag: str) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"]
    if not (folder / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "."], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", tag], cwd=folder, check=True)
    subprocess.run([*git, "tag", tag], cwd=folder, check=True)


def test_many_files_at_a_ref_are_read_in_one_batch(write_plan: Callable[..., Path], tmp_path: Path) -> None:
    """Row 13: every file's content at the ref, byte for byte, from two git processes."""
    from cio_kit.analysis.baseline import git_blobs

    paths = [write_plan(f"# plan {n}\n" + "x: 1\n" * n, name=f"plans/p{n:03}.yaml") for n in range(60)]
    _commit_all(tmp_path, "v1")
    for path in paths:
        path.write_text("changed\n", encoding="utf-8")
    blobs = git_blobs("v1", paths, limit=10_000)
    assert [blobs[path] for path in paths] == [(f"# plan {n}\n" + "x: 1\n" * n).encode() for n in range(60)]
    assert git_blobs("v1", paths[-1:], limit=10)[paths[-1]] is None  # over the limit: not read


def test_a_plan_too_large_at_the_ref_is_plan007_not_a_new_plan(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """Row 12: the old side over the size limit is reported, unread, instead of vanishing."""
    big = "cio_kit: 1\nenterprise: {name: Big}\nstages: []\n" + "# padding\n" * 200
    write_plan(big, name="plans/big.yaml")
    write_plan("paths: [plans]\nmax_file_mib: 0.001\n", name="cio-kit.yaml")
    _commit_all(tmp_path, "v1")
    write_plan("cio_kit: 1\nenterprise: {name: Big}\nstages: []\n", name="plans/big.yaml")
    result = cli("plan", "diff", "--git", "v1", "--format", "json")
    document = json.loads(result.stdout)
    # The old side has a blocking finding (PLAN007): the diff says so, and shows no plan as added.
    assert document == {"plans": [], "blocked": ["plans/big.yaml"]}


def test_a_repeated_csv_column_is_named_and_nothing_is_written(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan()
    Path("t.csv").write_text("id,title,kind,duration_weeks,Title\nS-A,a,training,2,b\n", encoding="utf-8")
    result = cli("import", "csv", "t.csv")
    assert result.exit_code == 1 and "t.csv:1:5" in result.stderr and "repeats column 2" in result.stderr


def test_imported_task_ids_never_clash(cli: Any, write_plan: Callable[..., Path]) -> None:
    """A task whose WBS is T-2 next to the task of UID 2: two stages, two ids, no PLAN004."""
    write_plan()
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><Name>a</Name><WBS>T-2</WBS><Duration>PT8H0M0S</Duration></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>b</Name><WBS>bad id!</WBS><Duration>PT8H0M0S</Duration></Task>"
    )
    project = f'<Project xmlns="http://schemas.microsoft.com/project"><Tasks>{tasks}</Tasks></Project>'
    Path("p.xml").write_text(project, encoding="utf-8")
    result = cli("import", "mspdi", "p.xml")
    assert result.exit_code == 0, result.stderr
    assert "id: T-2\n" in result.stdout and "id: T-2-2\n" in result.stdout


@pytest.mark.parametrize("fiscal", ["02-29", "12-31"])
@pytest.mark.parametrize(
    "command",
    [
        ("report", "budget"),
        ("report", "benefits"),
        ("report", "capacity", "--by", "quarter"),
        ("report", "board", "--format", "json", "--runs", "50"),
    ],
)
def test_a_plan_that_starts_in_year_one_is_reported_or_refused(
    command: tuple[str, ...], fiscal: str, cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Row 15: plan_start 0001-01-01 with a fiscal year starting 02-29 or 12-31: never exit 3."""
    write_plan(
        f"cio_kit: 1\nenterprise: {{name: Old, plan_start: 0001-01-01, fiscal_year_start: {fiscal}}}\n"
        "resources:\n  - {id: R-A}\n"
        "goals:\n  - {id: G-A, title: G, kpi: {name: k, unit: x, baseline: 1, target: 2}, due: 0003-01-01,\n"
        "     benefit: {value_per_year: 100, starts_after: S-A, years: 2}}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 2, serves: [G-A],\n"
        "     effort: {R-A: 3},\n"
        "     budget: [{amount: 100, class: run, category: training}]}\n"
    )
    result = cli(*command, "plan.yaml")
    assert result.exit_code in (0, 1, 2), (result.output, result.exception)
    assert "Traceback" not in result.output
