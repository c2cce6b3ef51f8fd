"""Property tests: random plans round-trip; random damage never crashes the loader or the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cio_kit.cli import app
from cio_kit.loader import load_plan

BUNDLED = (Path(__file__).resolve().parent.parent / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
# Printable text without line-break characters, which YAML folds (a PyYAML dumper quirk, not ours).
TEXT = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85")
KINDS = ["process-redesign", "system-rollout", "training", "change-management", "milestone"]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
