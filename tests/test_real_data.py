"""Real data in, real text out (SPEC §19, issue 28): what new users' own files and programs showed."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples

ROOT = Path(__file__).resolve().parent.parent
PLAN = "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nstages:\n"


def test_a_number_written_with_a_comma_in_a_flow_mapping_is_a_finding(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """`{amount: 70,000}` is `amount: 70` and a key `000`: PLAN002 at that key, never a budget of 70."""
    write_plan(
        PLAN + "  - {id: S-A, title: A, kind: training, duration_weeks: 2,\n"
        "     budget: [{amount: 70,000, class: run, category: services}]}\n"
    )
    findings = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("PLAN002", 5)]
    assert "write 70000" in findings[0]["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False), st.dates()))
def test_no_key_of_the_input_is_dropped_without_a_finding(key: object, tmp_path: Path) -> None:
    from cio_kit.plan.loader import load_bytes

    document = yaml.safe_load(PLAN + "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n")
    document["stages"][0][key] = 1
    loaded = load_bytes(yaml.safe_dump(document).encode(), "plan.yaml")
    assert loaded.blocked and any(f.rule == "PLAN002" for f in loaded.findings)


def test_positions_and_plan_text_print_as_written(cli: Any, write_plan: Callable[..., Path]) -> None:
    """`plan.yaml:100:5` is a position, not the 💯 emoji; `:smile:` and `[bold]` are a title's text."""
    lines = [
        "cio_kit: 1",
        "enterprise: {name: T, plan_start: 2027-01-04}",
        "stages:",
        *(
            f"  - {{id: S-{n}, title: t, kind: training, duration_weeks: 1, objective: o, "
            "exit_criteria: [e]}"
            for n in range(1240)
        ),
    ]
    lines[99] = "  - {id: S-96, title: ':smile: [bold]x[/bold]', kind: training, duration_weeks: 1}"
    lines[1233] = "  - {id: S-1230, title: ':100:', kind: training, duration_weeks: 1}"
    write_plan("\n".join(lines) + "\n")
    shown = cli("plan", "validate", "plan.yaml").stdout
    assert "plan.yaml:100:5 warning STRAT004" in shown and "plan.yaml:1234:5 warning STRAT004" in shown
    assert "💯" not in shown
    roadmap = cli("roadmap", "show", "plan.yaml", "--format", "markdown").stdout
    assert ":smile: \\[bold\\]x\\[/bold\\]" in roadmap or ":smile: [bold]x[/bold]" in roadmap


def test_a_semicolon_table_with_decimal_commas_reads_them(cli: Any, write_plan: Callable[..., Path]) -> None:
    """German or French Excel: `;` with `1,5` is one and a half weeks, not 15; `1,500` is ambiguous."""
    write_plan()
    Path("t.csv").write_text("id;title;kind;duration_weeks\nS-A;A;training;1,5\n", encoding="utf-8")
    result = cli("import", "csv", "t.csv")
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["stages"][0]["duration_weeks"] == 1.5
    Path("t.csv").write_text("id;title;kind;duration_weeks\nS-A;A;training;1,500\n", encoding="utf-8")
    ambiguous = cli("import", "csv", "t.csv")
    assert ambiguous.exit_code == 1 and "t.csv:2:4" in ambiguous.stderr and "--decimal" in ambiguous.stderr
    told = cli("import", "csv", "t.csv", "--decimal", ",")
    assert told.exit_code == 0 and yaml.safe_load(told.stdout)["stages"][0]["duration_weeks"] == 1.5


def test_import_takes_the_currency_it_is_given(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan()
    Path("t.csv").write_text("id,title,kind,duration_weeks\nS-A,A,training,2\n", encoding="utf-8")
    result = cli("import", "csv", "t.csv", "--currency", "EUR")
    assert yaml.safe_load(result.stdout)["enterprise"]["currency"] == "EUR"
    assert cli("import", "csv", "t.csv", "--currency", "euro").exit_code == 2


def test_an_imported_plan_without_currency_is_the_one_refused(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The USD an import falls back to is said on stderr, and PLAN002 lands on the imported plan."""
    monkeypatch.chdir(tmp_path)
    Path("plans").mkdir()
    Path("plans/zz-erp.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: E, currency: EUR}\n"
        "stages: [{id: S-A, title: A, kind: training, duration_weeks: 1}]\n",
        encoding="utf-8",
    )
    Path("t.csv").write_text("id,title,kind,duration_weeks\nS-B,B,training,2\n", encoding="utf-8")
    imported = cli("import", "csv", "t.csv", "--output", "plans/a-import.yaml")
    assert imported.exit_code == 0 and "no currency given" in imported.stderr and "USD" in imported.stderr
    result = cli("plan", "validate", "plans/a-import.yaml", "plans/zz-erp.yaml", "--format", "json")
    findings = [
        (f["file"], f["rule"]) for f in json.loads(result.stdout)["findings"] if f["rule"] == "PLAN002"
    ]
    assert findings == [("plans/a-import.yaml", "PLAN002")]


def _project(tasks: str, header: str = "", resources: str = "") -> str:
    return (
        f'<Project xmlns="http://schemas.microsoft.com/project">{header}<Tasks>{tasks}</Tasks>'
        f"<Resources>{resources}</Resources></Project>"
    )


def test_mspdi_import_keeps_every_figure(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Day lengths, Cost, Notes, an inactive task, a fixed milestone date, a material resource."""
    write_plan()
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><Name>Build</Name><WBS>S-A</WBS><Duration>PT75H0M0S</Duration>"
        "<Cost>1234500</Cost><Notes>Ledger live</Notes></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Dropped</Name><WBS>S-B</WBS><Active>0</Active>"
        "<Duration>PT37H30M0S</Duration></Task>"
        "<Task><UID>3</UID><ID>3</ID><Name>Go</Name><WBS>M-A</WBS><Milestone>1</Milestone>"
        "<Duration>PT0H0M0S</Duration><ConstraintType>2</ConstraintType>"
        "<ConstraintDate>2027-03-01T08:00:00</ConstraintDate></Task>"
    )
    header = (
        "<StartDate>2027-01-04T08:00:00</StartDate>"
        "<MinutesPerDay>450</MinutesPerDay><MinutesPerWeek>2250</MinutesPerWeek>"
    )
    resources = "<Resource><UID>1</UID><Name>Steel</Name><Type>0</Type></Resource>"
    Path("p.xml").write_text(_project(tasks, header, resources), encoding="utf-8")
    result = cli("import", "mspdi", "p.xml", "--class", "transform")
    assert result.exit_code == 0, result.stderr
    stages = {s["id"]: s for s in yaml.safe_load(result.stdout)["stages"]}
    assert stages["S-A"]["duration_weeks"] == 2  # ten 7.5-hour days, not thirteen
    assert stages["S-A"]["budget"] == [{"amount": 12345.0, "class": "transform", "category": "other"}]
    assert stages["S-A"]["objective"] == "Ledger live"
    assert stages["S-B"]["status"] == "cancelled" and stages["S-B"]["duration_weeks"] == 1
    assert str(stages["M-A"]["date"]) == "2027-03-01" and "not_before" not in stages["M-A"]
    assert "Steel is material, not people" in result.stderr


def test_an_effort_driven_task_comes_in_effort_driven_and_says_so(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Project's effort-driven 15 days of 10 person-days: the effort drives the stage, not a fixed 15 days."""
    write_plan()
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><Name>Build</Name><WBS>S-A</WBS><Duration>PT120H0M0S</Duration>"
        "<EffortDriven>1</EffortDriven></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Train</Name><WBS>S-B</WBS><Duration>PT40H0M0S</Duration></Task>"
    )
    resources = (
        "<Resource><UID>1</UID><Name>Team</Name><Initials>R-TEAM</Initials><Type>1</Type>"
        "<MaxUnits>1</MaxUnits></Resource>"
    )
    assignments = "".join(
        f"<Assignment><UID>{n}</UID><TaskUID>{n}</TaskUID><ResourceUID>1</ResourceUID>"
        f"<Work>PT{hours}H0M0S</Work></Assignment>"
        for n, hours in ((1, 80), (2, 16))
    )
    Path("p.xml").write_text(
        _project(tasks, "<StartDate>2027-01-04T08:00:00</StartDate>", resources).replace(
            "</Project>", f"<Assignments>{assignments}</Assignments></Project>"
        ),
        encoding="utf-8",
    )
    result = cli("import", "mspdi", "p.xml")
    assert result.exit_code == 0, result.stderr
    stages = {s["id"]: s for s in yaml.safe_load(result.stdout)["stages"]}
    assert stages["S-A"]["effort"] == {"R-TEAM": 10} and "duration_weeks" not in stages["S-A"]
    assert "p.xml:1: left out: task S-A is effort-driven" in result.stderr
    assert stages["S-B"]["effort"] == {"R-TEAM": 2} and stages["S-B"]["duration_weeks"] == 1


def test_a_cancelled_stage_is_exported_as_an_inactive_task(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(
        PLAN + "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 3, status: cancelled}\n"
    )
    exported = cli("export", "mspdi", "plan.yaml").stdout
    Path("back.xml").write_text(exported, encoding="utf-8")
    back = yaml.safe_load(cli("import", "mspdi", "back.xml").stdout)
    dropped = next(s for s in back["stages"] if s["id"] == "S-B")
    assert dropped["status"] == "cancelled" and dropped["kind"] != "milestone"
    assert dropped["duration_weeks"] == 3


@pytest.mark.skipif(shutil.which("tj3") is None, reason="TaskJuggler (tj3) is not installed")
@pytest.mark.parametrize("plan", sorted((ROOT / "plans").glob("*.yaml")), ids=lambda p: p.name)
def test_tj3_schedules_every_bundled_plan_without_a_warning(plan: Path, cli: Any, tmp_path: Path) -> None:
    result = cli("export", "tjp", str(plan))
    assert result.exit_code == 0, result.stderr
    (tmp_path / "plan.tjp").write_text(result.stdout, encoding="utf-8")
    done = subprocess.run(["tj3", "--no-color", "plan.tjp"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    names = (tmp_path / "cio-kit.csv").read_text(encoding="utf-8")
    first = yaml.safe_load(plan.read_text(encoding="utf-8"))["stages"][0]
    assert first["title"] in names  # tasks named by title


def test_an_adkar_score_out_of_range_is_one_message_in_the_plans_words(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(
        PLAN.replace(
            "stages:\n",
            "stakeholders:\n  - {id: SG-A, name: A, adkar: {awareness: 6, desire: 3, "
            "knowledge: 3, ability: 3, reinforcement: 3}}\nstages:\n",
        )
        + "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    )
    findings = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    assert [f["message"] for f in findings] == [
        "stakeholders[0].adkar.awareness: Input should be less than or equal to 5 (got 6)"
    ]


def test_an_unknown_reference_gets_a_did_you_mean(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(
        PLAN + "  - {id: S-ERP-BUILD, title: A, kind: training, duration_weeks: 2}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 2, depends_on: [S-ERP-BIULD]}\n"
    )
    findings = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    assert any(f["rule"] == "PLAN005" and "did you mean S-ERP-BUILD?" in f["message"] for f in findings)


def test_plan_update_changes_one_line_and_nothing_else(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The README's example: a one-line diff with --dry-run; without it, exactly that line changes."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "cio-kit.yaml", tmp_path / "cio-kit.yaml")
    before = (tmp_path / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
    args = ["plan", "update", "plans/hengda-group.yaml", "--set", "S-DC-UPGRADE.percent_complete=97"]
    dry = cli(*args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    changed = [
        line for line in dry.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["-    percent_complete: 95", "+    percent_complete: 97"]
    assert (tmp_path / "plans" / "hengda-group.yaml").read_text(encoding="utf-8") == before
    assert cli(*args).exit_code == 0
    after = (tmp_path / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "    status: in-progress\n    percent_complete: 95\n",
        "    status: in-progress\n    percent_complete: 97\n",
        1,
    )


def test_plan_update_from_a_progress_sheet_and_its_refusals(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(
        PLAN + "  # the kick-off\n  - {id: S-A, title: A, kind: training, duration_weeks: 2}  # first\n"
        "  - id: S-B\n    title: 'B'\n    kind: training\n    duration_weeks: 2\n"
    )
    Path("progress.csv").write_text(
        "id,status,percent_complete,actual_start\nS-A,done,,2027-01-04\nS-B,in-progress,40,2027-01-18\n",
        encoding="utf-8",
    )
    result = cli("plan", "update", "plan.yaml", "--from", "progress.csv", "--status-date", "2027-02-01")
    assert result.exit_code == 0, result.stderr
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert "  # the kick-off\n" in text and "# first" in text and "title: 'B'" in text
    assert "status: done, actual_start: 2027-01-04}" in text
    assert (
        "  - id: S-B\n    status: in-progress\n    percent_complete: 40\n    actual_start: 2027-01-18\n"
        in text
    )
    assert "status_date: 2027-02-01" in text
    unknown = cli("plan", "update", "plan.yaml", "--set", "S-NOPE.status=done")
    assert unknown.exit_code == 1 and "no stage S-NOPE" in unknown.stderr
    assert Path("plan.yaml").read_text(encoding="utf-8") == text
    bad = cli("plan", "update", "plan.yaml", "--set", "S-A.owner=me")
    assert bad.exit_code == 1 and "not a progress field" in bad.stderr


@st.composite
def stage_tables(draw: st.DrawFn) -> dict[str, Any]:
    """Plans of stages only (a table carries no goals or groups), with every field a table holds."""
    import datetime as dt

    count = draw(st.integers(1, 6))
    start = dt.date(2027, 1, 4)
    stages = []
    for number in range(count):
        kind = draw(st.sampled_from(["training", "system-rollout", "milestone", "governance"]))
        status = draw(st.sampled_from(["planned", "in-progress", "done", "cancelled"]))
        title = draw(st.sampled_from(["A", "B, c", "=x", "é"]))
        stage: dict[str, Any] = {"id": f"S-{number}", "title": title, "kind": kind, "status": status}
        if kind != "milestone":
            length = draw(st.sampled_from(["duration", "estimate", "effort-driven"]))
            if length == "duration":
                stage["duration_weeks"] = draw(st.sampled_from([1, 2.5, 4]))
            elif length == "estimate":
                stage["estimate"] = {"optimistic": 1, "likely": 2, "pessimistic": 4}
            stage["budget"] = [{"amount": draw(st.sampled_from([0.5, 1000, 12345.67])), "class": "grow",
                                "category": "software", "capex": draw(st.booleans())}]  # fmt: skip
            if length == "effort-driven" or draw(st.booleans()):
                stage["effort"] = {"R-A": draw(st.sampled_from([1, 2.5]))}
        if draw(st.booleans()):
            stage["deadline"] = str(start + dt.timedelta(days=draw(st.integers(30, 300))))
        if draw(st.booleans()):
            stage["not_before"] = str(start + dt.timedelta(days=draw(st.integers(0, 50))))
        if status == "in-progress":
            stage["percent_complete"] = 40
            stage["actual_start"] = str(start)
        if status == "done":
            stage["actual_start"], stage["actual_finish"] = str(start), str(start + dt.timedelta(days=6))
            stage["actual_cost"] = 900
        if number and draw(st.booleans()):
            stage["depends_on"] = [f"S-{draw(st.integers(0, number - 1))}"]
        if draw(st.booleans()):
            stage["phase"] = "PH-1"
        stages.append(stage)
    document: dict[str, Any] = {"cio_kit": 1, "enterprise": {"name": "T", "plan_start": str(start)}}
    if any("phase" in stage for stage in stages):
        document["phases"] = [{"id": "PH-1", "title": "Phase one"}]
    if any("effort" in stage for stage in stages):
        document["resources"] = [{"id": "R-A"}]
    document["stages"] = stages
    return document


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=stage_tables(), kind=st.sampled_from(["csv", "xlsx"]))
def test_export_then_import_gives_back_the_same_stages(
    document: dict[str, Any], kind: str, tmp_path: Path
) -> None:
    """CSV and XLSX carry every stage field; what they cannot carry (capacity) is said on stderr."""
    from typer.testing import CliRunner

    from cio_kit.cli import app
    from cio_kit.plan.loader import load_bytes

    runner = CliRunner()
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    table = tmp_path / f"plan.{kind}"
    exported = runner.invoke(app, ["export", kind, str(source), "-o", str(table), "--as-written"])
    assert exported.exit_code == 0, exported.output
    back = runner.invoke(app, ["import", kind, str(table)])
    assert back.exit_code == 0, back.output
    original = load_bytes(source.read_bytes(), "a.yaml").plan
    again = load_bytes(back.stdout.encode(), "b.yaml").plan
    assert original is not None and again is not None
    fields = (
        "id", "title", "kind", "phase", "status", "duration_weeks", "estimate", "depends_on", "not_before",
        "date", "deadline", "percent_complete", "actual_start", "actual_finish", "actual_cost", "budget",
        "effort", "objective", "exit_criteria", "mandatory", "priority",
    )  # fmt: skip
    for before, after in zip(original.stages, again.stages, strict=True):
        assert {f: getattr(before, f) for f in fields} == {f: getattr(after, f) for f in fields}
    assert [p.title for p in original.phases or []] == [p.title for p in again.phases or []]
    if original.resources:
        assert "capacity" in back.stderr


def _mspdi_view(stage: Any) -> dict[str, Any]:
    """What a stage is in Project's terms: MSPDI has no kinds, estimates, actuals or budget classes."""
    cancelled = stage.status == "cancelled"
    length = stage.model_copy(update={"status": "planned"}).days if cancelled else stage.days
    return {
        "id": stage.id,
        "title": stage.title,
        "phase": stage.phase,
        "status": stage.status,
        "milestone": stage.kind == "milestone",
        "days": None if stage.effort_driven else length,
        "effort_driven": stage.effort_driven,
        "effort": stage.effort or None,
        "depends_on": stage.depends_on,
        "floor": max([when for when in (stage.not_before, stage.date) if when], default=None),
        "deadline": stage.deadline,
        "percent": 100 if stage.status == "done" else stage.percent_complete if not cancelled else 0,
        "spend": round(stage.planned_spend, 2),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=stage_tables())
def test_mspdi_export_then_import_gives_back_what_project_holds(
    document: dict[str, Any], tmp_path: Path
) -> None:
    """Every figure MSPDI can hold comes back: lengths, effort (effort-driven too), links, dates, cost."""
    from typer.testing import CliRunner

    from cio_kit.cli import app
    from cio_kit.plan.loader import load_bytes

    runner = CliRunner()
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    exported = runner.invoke(app, ["export", "mspdi", str(source), "-o", str(tmp_path / "p.xml")])
    assert exported.exit_code == 0, exported.output
    back = runner.invoke(app, ["import", "mspdi", str(tmp_path / "p.xml")])
    assert back.exit_code == 0, back.output
    original = load_bytes(source.read_bytes(), "a.yaml").plan
    again = load_bytes(back.stdout.encode(), "b.yaml").plan
    assert original is not None and again is not None

    # Project lists a phase's tasks under its summary task, so the order may differ; the stages may not.
    def by_id(stages: Any) -> list[dict[str, Any]]:
        return sorted((_mspdi_view(stage) for stage in stages), key=lambda view: view["id"])

    assert by_id(again.stages) == by_id(original.stages)


def test_the_format_reference_is_the_models() -> None:
    """docs/plan-format.md is generated from the models; regenerate it when they change."""
    from cio_kit.plan.reference import reference

    assert (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8") == reference(), (
        "run: python -m cio_kit.plan.reference > docs/plan-format.md"
    )


def test_the_format_references_example_is_a_sound_plan() -> None:
    from cio_kit.plan.loader import load_bytes
    from cio_kit.plan.reference import _EXAMPLE

    loaded = load_bytes(_EXAMPLE.encode(), "example.yaml")
    assert not loaded.blocked, [f"{f.rule} {f.message}" for f in loaded.findings]


def test_ids_are_never_cut_at_80_columns(in_root: Path) -> None:
    """Each stage id whole in the table, with the critical mark: titles wrap instead."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    shown = CliRunner().invoke(app, ["roadmap", "show"], env={"NO_COLOR": "1", "COLUMNS": "80"}).stdout
    table = shown.split("* critical.")[0]
    assert all(len(line) <= 80 for line in table.splitlines())
    plan = yaml.safe_load((ROOT / "plans" / "hengda-group.yaml").read_text(encoding="utf-8"))
    for stage in plan["stages"]:
        assert f"│ {stage['id']} " in table, stage["id"]
    assert " 5* │ S-ERP-BUILD " in table  # critical: marked with its wave at 80 columns


def test_a_long_finding_wraps_at_words_under_its_place_in_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from cio_kit.findings import FileResult, Finding, Report, Severity
    from cio_kit.render import text

    message = "a long message " * 12
    finding = Finding("plan.yaml", 100, 5, "STRAT004", "", message.strip(), Severity.WARNING)
    report = Report((FileResult("plan.yaml", "T", (finding,), False, (), 0),))
    screen = StringIO()
    text.render(report, Console(file=screen, width=80, force_terminal=True, color_system=None))
    lines = screen.getvalue().splitlines()
    assert lines[1] == "  plan.yaml:100:5 warning STRAT004"
    body = lines[2:-1]
    assert len(body) > 1 and all(line.startswith("    ") and len(line) <= 80 for line in body)
    assert " ".join(" ".join(body).split()) == message.strip()  # wrapped at words: none is split
    piped = StringIO()
    text.render(report, Console(file=piped, width=80))
    assert piped.getvalue().splitlines()[1].startswith("  plan.yaml:100:5 warning STRAT004 a long message")


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime (default-jre-headless) to run MPXJ")
def test_mpxj_reads_the_re_export_of_an_imported_foreign_project(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """A Project file with 7.5-hour days and costs: imported, exported, read by MPXJ with its figures."""
    import importlib.util
    import sys

    if importlib.util.find_spec("mpxj") is None or importlib.util.find_spec("jpype") is None:
        pytest.skip("the mpxj and JPype1 packages (test extra) are not installed")
    write_plan()
    tasks = (
        "<Task><UID>1</UID><ID>1</ID><Name>Build</Name><WBS>S-A</WBS><Duration>PT75H0M0S</Duration>"
        "<Cost>1234500</Cost></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Go</Name><WBS>M-A</WBS><Milestone>1</Milestone>"
        "<Duration>PT0H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "</PredecessorLink></Task>"
    )
    header = "<StartDate>2027-01-04T08:00:00</StartDate><MinutesPerWeek>2250</MinutesPerWeek>"
    Path("foreign.xml").write_text(_project(tasks, header), encoding="utf-8")
    assert cli("import", "mspdi", "foreign.xml", "-o", "imported.yaml").exit_code == 0
    assert cli("export", "mspdi", "imported.yaml", "-o", "again.xml").exit_code == 0
    read = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "read_mspdi.py"), str(tmp_path / "again.xml")],
        capture_output=True,
        text=True,
        check=True,
    )
    project = {task["wbs"]: task for task in json.loads(read.stdout)["tasks"]}
    assert (project["S-A"]["duration"], project["S-A"]["cost"]) == (14.0, 12345.0)  # two weeks, elapsed
    assert project["M-A"]["milestone"] and project["M-A"]["predecessors"] == [1]


def test_plan_update_names_what_a_sheet_holds_that_it_does_not_read(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """A misspelt progress column or a row without an id is said on stderr, not silently dropped; the
    columns `export` writes besides the progress fields (title, start …) are expected and pass quietly."""
    write_plan(PLAN + "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n")
    Path("progress.csv").write_text(
        "id,Title,start,status,pct_complete,notes\nS-A,A,2027-01-04,done,40,\n,,,in-progress,,\n,,,,,\n",
        encoding="utf-8",
    )
    result = cli("plan", "update", "plan.yaml", "--from", "progress.csv", "--status-date", "2027-02-01")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "cio-kit: warning: progress.csv: column 'pct_complete' is not a progress field; left out",
        "cio-kit: warning: progress.csv: column 'notes' is not a progress field; left out",
        "cio-kit: warning: progress.csv:3: a row with no id; left out",
    ]
    assert "status: done" in Path("plan.yaml").read_text(encoding="utf-8")


def test_a_progress_sheet_of_known_columns_leaves_nothing_out() -> None:
    """Without the export's columns, only id and the progress fields are read; a header of punctuation
    is still a named column; a short row is read as far as it goes."""
    from cio_kit.plan.update import left_out

    assert left_out([["id", "Status", "percent complete"], ["S-A", "done"], ["S-B"]], "s.csv") == []
    assert left_out([["id", "?", ""], ["S-A", "x", "y"]], "s.csv") == [
        "s.csv: column '?' is not a progress field; left out"
    ]
    assert left_out([["id", "title"], ["", "A"]], "s.csv", expected=["Title"]) == [
        "s.csv:2: a row with no id; left out"
    ]
    assert left_out([], "s.csv") == []
    assert left_out([["status"], ["done"]], "s.csv") == ["s.csv:2: a row with no id; left out"]


PROGRESS_CELLS = st.sampled_from(
    ["S-A", "S-B", "S-NOPE", "done", "in-progress", "planned", "cancelled", "40", "-5", "150", "1,5", "x",
     "2027-01-04", "2027-02-30", "", "=1+1", "\u202e", "nan", "1e400", "40%"]
)  # fmt: skip


@settings(
    max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(
        st.sampled_from(
            ["id", "status", "percent_complete", "actual_start", "actual_finish", "actual_cost", "owner"]
        ),
        min_size=1,
        max_size=5,
    ),
    rows=st.lists(st.lists(PROGRESS_CELLS, min_size=0, max_size=6), max_size=4),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_plan_update_from_any_sheet_answers_or_refuses_and_never_half_writes(
    header: list[str], rows: list[list[str]], delimiter: str, tmp_path: Path
) -> None:
    """Whatever the progress sheet holds, `plan update --from` exits 0, 1 or 2 with no traceback; when it
    refuses, the plan is untouched, and what it writes still loads."""
    from typer.testing import CliRunner

    from cio_kit.cli import app
    from cio_kit.plan.loader import load_bytes

    plan = tmp_path / "plan.yaml"
    original = PLAN + "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    original += "  - {id: S-B, title: B, kind: training, duration_weeks: 2, depends_on: [S-A]}\n"
    plan.write_text(original, encoding="utf-8")
    sheet = tmp_path / "progress.csv"
    sheet.write_text("\n".join(delimiter.join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["plan", "update", str(plan), "--from", str(sheet), "--status-date", "2027-02-01"]
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        assert plan.read_text(encoding="utf-8") == original
    else:
        assert load_bytes(plan.read_bytes(), "plan.yaml").plan is not None


def test_the_format_reference_words_every_kind_of_field() -> None:
    """The generator on the shapes a model may grow: a section without fields or description, a field
    without a type or description, a list without items, a $ref, non-ASCII defaults and a
    `|` that would end a Markdown cell."""
    from cio_kit.plan.reference import _description, _table, _type

    assert _description({}) == [] and _description({"description": " Two\n  lines "}) == ["Two lines", ""]
    assert _table({}) == ["(no fields)"]
    section = {
        "properties": {
            "name": {"type": "string", "default": "Zürich", "description": "a | b"},
            "loose": {},
            "tags": {"type": "array"},
        },
        "required": ["name"],
    }
    assert _table(section)[2:] == [
        '| `name` | string | yes | `"Zürich"` |  | a \\| b |',
        "| `loose` | any |  |  |  |  |",
        "| `tags` | list of any |  |  |  |  |",
    ]
    assert _type({"$ref": "#/$defs/Stage"}) == "[Stage](#stage)"
