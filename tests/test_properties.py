"""Property tests: random plans round-trip; random damage never crashes the loader or the CLI."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cio_kit.cli import app
from cio_kit.plan.loader import load_plan
from tests.conftest import examples

BUNDLED = (Path(__file__).resolve().parent.parent / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
# Printable text without line-break characters, which YAML folds (a PyYAML dumper quirk, not ours).
TEXT = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85")
KINDS = ["process-redesign", "system-rollout", "training", "change-management", "milestone"]
SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=12))
    stages = []
    for number in range(count):
        kind = draw(st.sampled_from(KINDS))
        stage: dict[str, Any] = {
            "id": f"S-{number}",
            "title": draw(st.text(TEXT, min_size=1, max_size=20)),
            "kind": kind,
        }
        if kind != "milestone":
            stage["duration_weeks"] = draw(st.floats(min_value=0.1, max_value=80, allow_nan=False))
        if number:
            earlier = draw(st.lists(st.integers(0, number - 1), max_size=3, unique=True))
            stage["depends_on"] = [f"S-{e}" for e in earlier]
        stages.append(stage)
    return {
        "cio_kit": 1,
        "enterprise": {"name": draw(st.text(TEXT, min_size=1, max_size=30)), "plan_start": "2027-01-04"},
        "stages": stages,
    }


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@SETTINGS
@given(plan=plans())
def test_random_valid_plans_round_trip(plan: dict[str, Any], tmp_path: Path) -> None:
    loaded = load_plan(_write(tmp_path, yaml.safe_dump(plan, allow_unicode=True)), explicit=True)
    assert not loaded.blocked, [f.message for f in loaded.findings]
    assert [s.id for s in loaded.plan.stages] == [s["id"] for s in plan["stages"]]
    assert [s.title for s in loaded.plan.stages] == [s["title"] for s in plan["stages"]]
    assert [list(s.depends_on) for s in loaded.plan.stages] == [
        s.get("depends_on", []) for s in plan["stages"]
    ]
    assert loaded.plan.enterprise.name == plan["enterprise"]["name"]


MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 40)),
    st.tuples(
        st.just("insert"), st.integers(0, 10_000), st.text(alphabet=":-[]{}&*!|>'\"#\t\n ,?%@`", max_size=6)
    ),
    st.tuples(st.just("duplicate-line"), st.integers(0, 10_000), st.just("")),
    st.tuples(st.just("swap-lines"), st.integers(0, 10_000), st.integers(0, 10_000)),
)


def _mutate(text: str, mutations: list[tuple[str, int, Any]]) -> str:
    for kind, where, extra in mutations:
        if kind == "delete":
            at = where % max(len(text), 1)
            text = text[:at] + text[at + extra :]
        elif kind == "insert":
            at = where % max(len(text), 1)
            text = text[:at] + extra + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            if not lines:
                continue
            first = where % len(lines)
            if kind == "duplicate-line":
                lines.insert(first, lines[first])
            else:
                second = extra % len(lines)
                lines[first], lines[second] = lines[second], lines[first]
            text = "".join(lines)
    return text


@SETTINGS
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_plans_never_raise_and_every_finding_has_a_place(
    mutations: list[tuple[str, int, Any]], tmp_path: Path
) -> None:
    loaded = load_plan(_write(tmp_path, _mutate(BUNDLED, mutations)), explicit=True)
    for finding in loaded.findings:
        assert finding.file.endswith("plan.yaml")
        assert finding.line >= 1 and finding.column >= 1
        assert finding.rule and finding.message


@settings(SETTINGS, max_examples=examples(25))
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_cli_exits_cleanly_on_mutated_plans(mutations: list[tuple[str, int, Any]], tmp_path: Path) -> None:
    path = _write(tmp_path, _mutate(BUNDLED, mutations))
    for output in ("text", "json"):
        result = CliRunner().invoke(app, ["plan", "validate", str(path), "--format", output])
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@SETTINGS
@given(
    document=st.dictionaries(st.sampled_from(["cio_kit", "enterprise", "stages", "goals", "x"]), YAML_VALUES)
)
def test_arbitrary_documents_never_raise(document: dict[str, Any], tmp_path: Path) -> None:
    loaded = load_plan(_write(tmp_path, yaml.safe_dump(document)), explicit=True)
    assert all(f.line >= 1 for f in loaded.findings)


DAY = st.dates(
    min_value=__import__("datetime").date(2026, 6, 1), max_value=__import__("datetime").date(2028, 6, 1)
)


@st.composite
def plans_under_way(draw: st.DrawFn) -> dict[str, Any]:
    """Random plans with random, often contradictory, progress data and a status date."""
    count = draw(st.integers(min_value=1, max_value=8))
    stages = []
    for number in range(count):
        kind = draw(st.sampled_from(["training", "infrastructure", "milestone"]))
        stage: dict[str, Any] = {"id": f"S-{number}", "title": "t", "kind": kind}
        if kind != "milestone":
            if draw(st.booleans()):
                low = draw(st.integers(1, 5))
                stage["estimate"] = {"optimistic": low, "likely": low + draw(st.integers(0, 4)),
                                     "pessimistic": low + draw(st.integers(4, 9))}  # fmt: skip
            else:
                stage["duration_weeks"] = draw(st.integers(1, 20))
            stage["status"] = draw(
                st.sampled_from(["planned", "in-progress", "done", "blocked", "cancelled"])
            )
            stage["percent_complete"] = draw(st.sampled_from([0, 10, 50, 99, 100]))
            for key in ("actual_start", "actual_finish", "deadline"):
                if draw(st.booleans()):
                    stage[key] = draw(DAY).isoformat()
            if draw(st.booleans()):
                stage["actual_cost"] = draw(st.integers(0, 5000))
            stage["budget"] = [
                {"amount": draw(st.integers(0, 5000)), "class": "grow", "category": "training"}
            ]
        elif draw(st.booleans()):
            stage["date"] = draw(DAY).isoformat()
        if number:
            earlier = draw(st.lists(st.integers(0, number - 1), max_size=3, unique=True))
            stage["depends_on"] = [f"S-{e}" for e in earlier]
        stages.append(stage)
    enterprise = {"name": "E", "plan_start": draw(DAY).isoformat(), "status_date": draw(DAY).isoformat()}
    return {"cio_kit": 1, "enterprise": enterprise, "stages": stages}


@settings(SETTINGS, max_examples=examples(30))
@given(plan=plans_under_way())
def test_progress_data_of_any_kind_never_breaks_a_status_command(
    plan: dict[str, Any], tmp_path: Path
) -> None:
    path = _write(tmp_path, yaml.safe_dump(plan, sort_keys=False))
    runner = CliRunner()
    for command in (
        ["plan", "validate", "--format", "json"],
        ["roadmap", "show", "--forecast", "--format", "json"],
        ["roadmap", "risk", "--forecast", "--runs", "50", "--format", "json"],
        ["report", "evm", "--format", "json"],
        ["report", "budget"],
    ):
        result = runner.invoke(app, [*command, str(path)])
        assert result.exit_code in (0, 1, 2), (command, result.output[-800:], result.exception)
        assert "Traceback" not in result.output


INJECTED = st.text(
    alphabet=st.sampled_from(
        ["\n", "\r", "\u2028", "\u0085", ":", ":", "e", "r", "o", "=", ",", " ", "[", "]"]
    ),
    min_size=1,
    max_size=12,
).map(lambda text: text + "\n::error file=README.md,line=1::approved")


@settings(SETTINGS, max_examples=examples(25))
@given(title=INJECTED, key=INJECTED, name=INJECTED)
def test_no_plan_text_starts_a_workflow_command_in_text_output(
    title: str, key: str, name: str, tmp_path: Path
) -> None:
    """SPEC §15: under GITHUB_ACTIONS, no line cio-kit prints starts with :: unless it is an annotation."""
    import json

    plan = (
        "cio_kit: 1\n"
        f"enterprise: {{name: {json.dumps(name)}, plan_start: 2027-01-04}}\n"
        f"{json.dumps(key)}: 1\n"
        f"stages:\n  - {{id: S-A, title: {json.dumps(title)}, kind: training, duration_weeks: 1}}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    clean = tmp_path / "clean.yaml"
    clean.write_text(plan.replace(f"{json.dumps(key)}: 1\n", ""), encoding="utf-8")
    runner = CliRunner()
    for command in (
        ["plan", "validate", str(path), "--format", "text"],
        ["roadmap", "show", str(clean)],
        ["report", "gaps", str(clean)],
        ["report", "budget", str(clean)],
        ["plan", "diff", str(clean), str(clean)],
    ):
        result = runner.invoke(app, command, env={"GITHUB_ACTIONS": "true", "COLUMNS": "60"})
        assert result.exit_code in (0, 1), (command, result.output[-500:])
        for line in result.output.splitlines():
            assert not line.lstrip().startswith("::"), (command, line)


ALL_KINDS = [
    "process-redesign", "system-rollout", "system-build", "infrastructure", "data-migration",
    "training", "change-management", "governance", "operations", "milestone",
]  # fmt: skip


@st.composite
def whole_plans(draw: st.DrawFn) -> dict[str, Any]:
    """The whole format: every kind and status, budgets, goals with due dates, processes, groups,
    dates, and dependencies that point forward as well as backward (acyclic by a hidden order)."""
    import datetime as dt

    count = draw(st.integers(min_value=1, max_value=10))
    order = draw(st.permutations(range(count)))  # stage i may depend on stages earlier in `order`
    rank = {stage: position for position, stage in enumerate(order)}
    start = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)))
    goals = [
        {"id": f"G-{n}", "due": str(start + dt.timedelta(days=draw(st.integers(30, 2000))))} for n in range(2)
    ]
    stages = []
    for number in range(count):
        kind = draw(st.sampled_from(ALL_KINDS))
        status = draw(st.sampled_from(["planned", "in-progress", "done", "blocked", "cancelled"]))
        stage: dict[str, Any] = {"id": f"S-{number}", "title": "t", "kind": kind, "status": status}
        if kind != "milestone":
            if draw(st.booleans()):
                stage["duration_weeks"] = draw(st.integers(1, 30))
            else:
                low = draw(st.integers(1, 5))
                stage["estimate"] = {"optimistic": low, "likely": low + 1, "pessimistic": low + 4}
            money = draw(st.integers(0, 10**6))
            budget_class = draw(st.sampled_from(["run", "grow", "transform"]))
            category = draw(st.sampled_from(["software", "training", "services"]))
            stage["budget"] = [{"amount": money, "class": budget_class, "category": category}]
        elif draw(st.booleans()):
            stage["date"] = str(start + dt.timedelta(days=draw(st.integers(0, 900))))
        if draw(st.booleans()):
            stage["not_before"] = str(start + dt.timedelta(days=draw(st.integers(0, 400))))
        if status == "in-progress":
            stage["percent_complete"] = draw(st.sampled_from([10, 50, 90]))
        stage["serves"] = draw(st.lists(st.sampled_from(["G-0", "G-1"]), max_size=2, unique=True))
        earlier = [other for other in range(count) if rank[other] < rank[number]]
        chosen = draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        stage["depends_on"] = [f"S-{other}" for other in chosen]
        stages.append(stage)
    return {
        "cio_kit": 1,
        "enterprise": {
            "name": "E",
            "plan_start": str(start),
            "status_date": str(start + dt.timedelta(days=draw(st.integers(0, 700)))),
        },
        "goals": goals,
        "stages": stages,
        "budget": {
            "total": draw(st.integers(0, 10**7)),
            "lines": [
                {"id": "B-RUN", "amount": 1000, "class": "run", "category": "maintenance", "per_year": True}
            ],
        },
    }


@settings(SETTINGS, max_examples=examples(60))
@given(document=whole_plans())
def test_the_whole_format_loads_and_schedules_by_the_rules(document: dict[str, Any], tmp_path: Path) -> None:
    """CPM invariants on any plan: starts after predecessors and date floors, floats never negative as
    written, the critical path is zero-float and chained; the forecast keeps done work; EV ≤ BAC."""
    from cio_kit.analysis.evm import earned_value
    from cio_kit.analysis.schedule import compute
    from cio_kit.validate import check_file

    loaded = check_file(_write(tmp_path, yaml.safe_dump(document, sort_keys=False)), True)
    assert not loaded.blocked, [f"{f.rule} {f.message}" for f in loaded.findings]
    plan = loaded.plan
    for schedule in (compute(plan), compute(plan, forecast=True)):
        timings = {t.id: t for t in schedule.timings}
        for stage in plan.stages:
            timing = timings[stage.id]
            assert timing.earliest_finish == timing.earliest_start + timing.days
            if stage.status not in ("done", "in-progress") or schedule.status_date is None:
                for pred in stage.depends_on:
                    assert timing.earliest_start >= timings[pred].earliest_finish, (stage.id, pred)
                if stage.not_before is not None:
                    assert schedule.date(timing.earliest_start) >= stage.not_before
        if schedule.status_date is None:
            assert all(t.total_float >= 0 and t.free_float >= 0 for t in schedule.timings)
        path = [timings[ident] for ident in schedule.critical_path]
        # Zero float all along; it may pass through a cancelled stage but never starts or ends at one.
        assert all(t.total_float == 0 for t in path)
        assert not path or (path[0].critical and path[-1].critical)
        assert all(after.earliest_start == before.earliest_finish for before, after in pairwise(path))
    report = earned_value(plan)
    assert 0 <= report.ev <= report.bac + 1e-6 and 0 <= report.pv <= report.bac + 1e-6


@settings(SETTINGS, max_examples=examples(15))
@given(document=whole_plans())
def test_every_command_that_reads_a_plan_exits_cleanly(document: dict[str, Any], tmp_path: Path) -> None:
    """Issues 27 and 31: every command that reads a plan — exports, the reports, the board, risk, a
    diff, a portfolio, its optimiser, a scenario — answers any valid plan with an exit code, no traceback."""
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    path = plans / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    (tmp_path / "scenarios").mkdir(exist_ok=True)
    (tmp_path / "scenarios" / "s.yaml").write_text(
        "cio_kit_scenario: 1\nname: s\nchanges:\n  - {delay: S-0, weeks: 3}\n  - {scale_budget: 0.5}\n",
        encoding="utf-8",
    )
    (tmp_path / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    runner = CliRunner()
    target = str(path)
    for command in (
        ["export", "mspdi", target],
        ["export", "tjp", target],
        ["export", "ics", target],
        ["export", "xlsx", target, "-o", str(tmp_path / "out.xlsx")],
        ["report", "board", target, "--format", "json", "--runs", "50"],
        ["report", "benefits", target, "--format", "json"],
        ["report", "capacity", target, "--format", "json"],
        ["roadmap", "show", target, "--format", "csv"],
        ["roadmap", "risk", target, "--runs", "50", "--format", "json"],
        ["report", "evm", target, "--format", "json"],
        ["report", "readiness", target, "--format", "json"],
        ["report", "budget", target, "--format", "json"],
        ["report", "gaps", target, "--format", "json"],
        ["plan", "diff", target, target],
        ["portfolio", "report", str(plans), "--config", str(tmp_path / "cio-kit.yaml"), "--format", "json"],
        [
            "portfolio",
            "optimize",
            str(plans),
            "--config",
            str(tmp_path / "cio-kit.yaml"),
            "--envelope",
            "2027=100000",
            "--time-limit",
            "5",
            "--format",
            "json",
        ],
        [
            "scenario",
            "compare",
            "--config",
            str(tmp_path / "cio-kit.yaml"),
            "--runs",
            "20",
            "--format",
            "json",
        ],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code in (0, 1, 2), (command, result.output[-800:], result.exception)
        assert "Traceback" not in result.output
    exported = runner.invoke(app, ["export", "xlsx", target, "-o", str(tmp_path / "back.xlsx")])
    if exported.exit_code == 0:
        back = runner.invoke(app, ["import", "xlsx", str(tmp_path / "back.xlsx")])
        assert back.exit_code in (0, 1), back.output[-800:]


@settings(SETTINGS, max_examples=examples(40))
@given(content=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
def test_imports_of_any_bytes_exit_cleanly(content: bytes, tmp_path: Path) -> None:
    """Issue 27: whatever a table or a project file holds, import answers with a message, no traceback."""
    source = tmp_path / "input"
    source.write_bytes(content)
    runner = CliRunner()
    for kind in ("csv", "mspdi", "xlsx"):
        result = runner.invoke(app, ["import", kind, str(source)])
        assert result.exit_code in (0, 1, 2), (kind, result.output[-500:], result.exception)
        assert "Traceback" not in result.output
