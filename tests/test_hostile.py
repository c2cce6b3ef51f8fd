"""Hostile and broken input: every case gives its finding, nothing crashes, nothing hangs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from cio_kit.cli import app
from cio_kit.plan.loader import load_plan
from cio_kit.validate import check_file, validate

from .conftest import MINIMAL, ROOT

CORPUS = Path(__file__).parent / "corpus"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))


def _generated(folder: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Cases too big or too binary to keep in git, written on the fly."""
    cases: dict[str, tuple[Path, dict[str, Any]]] = {}

    def add(name: str, data: bytes, expect: dict[str, Any]) -> None:
        path = folder / name
        path.write_bytes(data)
        cases[name] = (path, expect)

    add("utf16.yaml", MINIMAL.encode("utf-16"), {"rule": "PLAN001", "line": 1})
    add(
        "latin1.yaml",
        MINIMAL.replace("Example Co", "Société Générale").encode("latin-1"),
        {"rule": "PLAN001", "line": 3},
    )
    add("bom.yaml", b"\xef\xbb\xbf" + MINIMAL.encode(), {"rule": "none"})
    add(
        "huge-50mib.yaml",
        MINIMAL.encode() + b"# " + b"x" * (50 * 2**20) + b"\n",
        {"rule": "PLAN007", "line": 1},
    )
    long_title = "x" * 1_000_000
    add(
        "long-line.yaml", MINIMAL.replace("title: Kickoff", f"title: {long_title}").encode(), {"rule": "none"}
    )
    add("deep-flow.yaml", b"cio_kit: 1\nx: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", {"rule": "PLAN007"})
    deep = "cio_kit: 1\nx:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(10_000))
    add("deep-block.yaml", deep.encode(), {"rule": "PLAN007"})
    add("deep-dash.yaml", b"cio_kit: 1\nx: " + b"- " * 10_000 + b"x\n", {"rule": "PLAN001"})
    return cases


def _all_cases(tmp_path: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    cases = {name: (CORPUS / name, expect) for name, expect in MANIFEST.items()}
    cases.update(_generated(tmp_path))
    return cases


def test_manifest_covers_every_corpus_file() -> None:
    assert set(MANIFEST) == {p.name for p in CORPUS.glob("*.yaml")} - {"manifest.yaml"}


def test_every_case_gives_its_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What each case gets; how fast is measured in benchmarks/hostile.py, not asserted here."""
    monkeypatch.chdir(tmp_path)
    for name, (path, expect) in _all_cases(tmp_path).items():
        loaded = load_plan(path, explicit=True)
        rules = {f.rule for f in loaded.findings}
        if expect["rule"] == "none":
            assert not loaded.blocked, (name, [f.message for f in loaded.findings])
            continue
        assert expect["rule"] in rules, (name, [f"{f.rule} {f.message}" for f in loaded.findings])
        for finding in loaded.findings:
            assert finding.line >= 1 and finding.column >= 1 and finding.file
        if "line" in expect:
            lines = {f.line for f in loaded.findings if f.rule == expect["rule"]}
            assert expect["line"] in lines, (name, lines)


def test_deep_dash_nesting_is_refused(tmp_path: Path) -> None:
    # "- - - - … x" nests 10,000 block sequences on one line; libyaml refuses it.
    path = _generated(tmp_path)["deep-dash.yaml"][0]
    assert {f.rule for f in load_plan(path, explicit=True).findings} & {"PLAN001", "PLAN007"}


def test_custom_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "plan.yaml"
    path.write_text(f"cio_kit: 1\nenterprise:\n  name: !!python/object/apply:os.system ['touch {marker}']\n")
    loaded = load_plan(path, explicit=True)
    assert {f.rule for f in loaded.findings} == {"PLAN002"}
    assert any("!!python/object/apply:os.system" in f.message for f in loaded.findings)
    assert not marker.exists()


COMMANDS: list[tuple[str, ...]] = [
    ("plan", "validate"),
    ("plan", "validate", "--format", "sarif"),
    ("roadmap", "show"),
    ("roadmap", "show", "--format", "mermaid"),
    ("roadmap", "risk", "--runs", "200"),
    ("roadmap", "risk", "--forecast", "--runs", "200"),
    ("report", "readiness"),
    ("report", "evm"),
    ("report", "budget"),
    ("report", "gaps", "--format", "markdown"),
]


@pytest.mark.slow
def test_every_command_exits_cleanly_on_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    good = ROOT / "plans" / "hengda-group.yaml"
    for name, (path, _expect) in _all_cases(tmp_path).items():
        # Reading 50 MiB eight times adds nothing beyond the first refusal.
        commands = [COMMANDS[0]] if name.startswith("huge") else [*COMMANDS, ("plan", "diff", str(good))]
        for command in commands:
            result = runner.invoke(app, [*command, str(path)])
            assert result.exit_code in (0, 1, 2), (name, command, result.exit_code, result.output[-500:])
            assert "Traceback" not in result.output, (name, command)


def test_directory_with_a_symlink_loop_and_unreadable_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "good.yaml").write_text(MINIMAL)
    (plans / "loop").symlink_to(plans)
    (plans / "self.yaml").symlink_to(plans / "self.yaml")  # a symlink loop in place of a file
    (plans / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (plans / "dir.yaml").mkdir()
    report = validate([Path("plans")])  # returns at all: the loop is not followed
    unreadable = {f.file for f in report.findings if f.rule == "PLAN001"}
    assert unreadable == {"plans/self.yaml", "plans/dangling.yaml"}
    assert [r.file for r in report.plans if not r.findings] == ["plans/good.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_file_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.yaml").write_text(MINIMAL)
    (tmp_path / "secret.yaml").chmod(0)
    loaded = load_plan(Path("secret.yaml"), explicit=True)
    assert [f.rule for f in loaded.findings] == ["PLAN001"]


def test_wide_characters_align_and_stay_unescaped(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cio_kit.analysis.schedule import compute
    from cio_kit.render import roadmap

    monkeypatch.chdir(ROOT)
    path = CORPUS / "cjk-valid.yaml"
    loaded = check_file(path, True)
    assert loaded.findings == [], [f.message for f in loaded.findings]
    buffer = StringIO()
    roadmap.render_text(loaded.plan, compute(loaded.plan), Console(file=buffer, width=140, color_system=None))
    table = [line for line in buffer.getvalue().splitlines() if line.lstrip()[:1].isdigit() and "│" in line]
    assert table and len({cell_len(line) for line in table}) == 1, table
    assert "项目启动与管理层宣贯" in buffer.getvalue()
    result = cli("roadmap", "show", str(path), "--format", "json")
    assert "恒达机械集团" in result.stdout
    report = cli("report", "gaps", str(path), "--format", "json")
    assert "恒达机械集团" in report.stdout and "\\u" not in report.stdout


def test_init_refuses_to_overwrite_any_file(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cio-kit.yaml").write_text("# mine\n")
    assert cli("plan", "init", ".").exit_code == 2
    assert (tmp_path / "cio-kit.yaml").read_text() == "# mine\n"
    assert not (tmp_path / "plans").exists()


def test_dates_beyond_the_calendar_are_plan002_not_a_crash(cli: Any, write_plan: Any) -> None:
    """SPEC §15 bounds: 1e30 weeks is refused at the value; a chain past 9999-12-31 at the crossing stage."""
    lines = [
        "cio_kit: 1",
        "enterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-02-01}",
        "stages:",
    ]
    lines += [
        f"  - {{id: S-{n}, title: A, kind: training, duration_weeks: 5200"
        + (f", depends_on: [S-{n - 1}]}}" if n else "}")
        for n in range(90)
    ]
    write_plan("\n".join(lines) + "\n")
    result = cli("plan", "validate", "plan.yaml", "--format", "json", "--output", "out.json")
    assert result.exit_code == 1
    saved = json.loads(Path("out.json").read_text())
    [finding] = [f for f in saved["findings"] if f["rule"] == "PLAN002"]
    # 2027 + 79 × 5200 weeks passes 9999-12-31 in the 80th stage: (9999 - 2027) × 52.18 / 5200 = 79.99.
    assert finding["path"] == "stages[79].duration_weeks" and finding["line"] == 3 + 80
    for command in (("roadmap", "show"), ("roadmap", "risk", "--forecast"), ("report", "evm")):
        assert cli(*command, "plan.yaml").exit_code == 1, command
    write_plan(
        "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 1e30}\n"
    )
    huge = cli("plan", "validate", "plan.yaml", "--format", "json")
    assert huge.exit_code == 1
    assert [f["path"] for f in json.loads(huge.stdout)["findings"]] == ["stages[0].duration_weeks"]


@pytest.fixture
def git_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding plans/plan.yaml, as the current folder."""
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").write_text(MINIMAL)
    return tmp_path


def test_a_git_ref_is_never_an_option(cli: Any, git_plans: Path) -> None:
    """`plan diff --git "--output=x"` made git write a file; refs starting with '-' are refused."""
    tmp_path = git_plans
    for args in (
        ("plan", "diff", "--git=--output=x", "plans/plan.yaml"),
        ("plan", "diff", "--git=--output=x"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
    assert not list(tmp_path.glob("x*"))
    assert "is not a git revision" in cli("plan", "diff", "--git=--output=x").stderr


def test_only_regular_files_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO, or a link to cio-kit's own stdout, hung the read; now each is a PLAN001."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    monkeypatch.chdir(tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "good.yaml").write_text(MINIMAL)
    os.mkfifo(plans / "fifo.yaml")
    (plans / "zz.yaml").symlink_to("/proc/self/fd/1")
    # As CI runs it: stdout is a pipe, so /proc/self/fd/1 is cio-kit's own output pipe.
    result = subprocess.run(
        [sys.executable, "-m", "cio_kit", "plan", "validate", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard; the time budget is asserted in benchmarks/hostile.py
        env={**os.environ, "GITHUB_ACTIONS": "true"},
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {(f["file"], f["rule"]) for f in findings} == {
        ("plans/fifo.yaml", "PLAN001"),
        ("plans/zz.yaml", "PLAN001"),
    }


def test_one_mistake_repeated_is_one_finding_and_findings_are_capped(cli: Any, write_plan: Any) -> None:
    """depends_on: [a, a, a, …] 200,000 times: one DEP003 naming the count; 1,000 bad stages: 200 listed."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 1}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 1, depends_on: ["
        + ", ".join(["S-A"] * 200_000)
        + "]}\n"
    )
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    dep003 = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "DEP003"]
    assert len(dep003) == 1 and "200000 times" in dep003[0]["message"]
    stages = "".join(f"  - {{id: S-{n}, title: T, kind: training, duration_weeks: 1}}\n" for n in range(1000))
    write_plan(f"cio_kit: 1\nenterprise: {{name: T}}\nstages:\n{stages}")
    document = json.loads(cli("plan", "validate", "plan.yaml", "--format", "json").stdout)
    strat004 = [f for f in document["findings"] if f["rule"] == "STRAT004"]
    assert len(strat004) == 200 and document["summary"]["truncated"] == 800
    assert document["summary"]["warnings"] == 200
    text = cli("plan", "validate", "plan.yaml").stdout
    assert "800 more left out" in text
    github = cli("plan", "validate", "plan.yaml", "--format", "github").stdout
    assert github.count("\n") == 200


def test_numbers_beyond_python_s_digit_limit_are_findings(cli: Any, write_plan: Any) -> None:
    """A 5,000-digit integer, or 0x and 4,000 hex digits: text in a free-text field, PLAN002 in a number."""
    digits, hexa = "9" * 5000, "0x" + "f" * 4000
    for owner in (digits, hexa):
        write_plan(
            "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
            f"  - {{id: S-A, title: A, kind: training, duration_weeks: 1, owner: {owner}}}\n"
        )
        for command in (("plan", "validate"), ("roadmap", "show"), ("report", "gaps")):
            assert cli(*command, "plan.yaml").exit_code == 0, command
    write_plan(f"cio_kit: 1\nenterprise: {{name: T, revenue: {digits}}}\n")
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    [finding] = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1 and finding["rule"] == "PLAN002" and finding["path"] == "enterprise.revenue"


def test_plan_init_refuses_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cio_kit", "plan", "init", str(tmp_path / "new"), "--name", b"A\xffB"],
        capture_output=True,
    )
    assert result.returncode == 2 and b"UTF-8" in result.stderr
    assert not (tmp_path / "new" / "plans" / "plan.yaml").exists()


def test_a_key_written_as_the_pydantic_key_marker_is_just_an_unknown_key(cli: Any, write_plan: Any) -> None:
    write_plan(
        'cio_kit: 1\nenterprise: {name: T}\n"[key]": 1\nstages:\n'
        '  - {id: S-A, title: A, kind: training, duration_weeks: 1, "[key]": 2}\n'
    )
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert [(f["path"], f["message"].split(";")[0]) for f in findings] == [
        ("[key]", "unknown key '[key]' in the top level"),
        ("stages[0].[key]", "unknown key '[key]' in stages[0]"),
    ]


def test_what_held_keeps_holding(cli: Any, git_plans: Path) -> None:
    """Shell text in a git ref is inert, a ref cannot reach outside the repository, --output onto a
    symbolic link replaces the link (not its target), and a control character in plan init's
    --name still gives a plan with no findings."""
    tmp_path = git_plans
    marker = tmp_path / "pwned"
    for ref in (f"$(touch {marker})", "HEAD:../../etc/passwd", "`touch pwned`"):
        assert cli("plan", "diff", "--git", ref, "plans/plan.yaml").exit_code == 2, ref
    assert not marker.exists() and not (tmp_path / "pwned").exists()
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    (tmp_path / "out.sarif").symlink_to(target)
    assert cli("plan", "validate", "plans", "--format", "sarif", "--output", "out.sarif").exit_code == 0
    assert target.read_text() == "keep me" and not (tmp_path / "out.sarif").is_symlink()
    assert cli("plan", "init", "starter", "--name", "A\x01B").exit_code == 0
    checked = cli("plan", "validate", "starter/plans", "--format", "json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["findings"] == []
