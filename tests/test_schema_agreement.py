"""The editor schema agrees with the loader: check-jsonschema, as editors and pre-commit run it.

Where a schema can say a rule, both reject or both accept; where it cannot
(estimate order, references, duplicate ids), the schema may accept what the
loader rejects, but it never rejects a plan the loader accepts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.plan.schema import plan_schema
from cio_kit.validate import check_file

ROOT = Path(__file__).resolve().parent.parent
CHECKER = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")

pytestmark = pytest.mark.skipif(not Path(CHECKER).exists(), reason="check-jsonschema is not installed")

#: PLAN002 messages a schema cannot express (cross-field or cross-object rules, and bounds on computed dates).
UNSAYABLE = (
    "optimistic ≤ likely ≤ pessimistic",
    "needs enterprise.plan_start",
    "adds up to",
    "beyond the calendar",
)


def schema_errors(files: list[Path], tmp_path: Path) -> dict[str, list[str]]:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(plan_schema()))
    result = subprocess.run(
        [CHECKER, "--schemafile", str(schema), "-o", "json", *map(str, files)], capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    found: dict[str, list[str]] = {str(path): [] for path in files}
    for error in report.get("errors", []) + report.get("parse_errors", []):
        found[error["filename"]].append(error.get("message", ""))
    return found


def loader_rejects_shape(path: Path) -> bool:
    """True when plan validate finds a schema-level problem a JSON Schema can express."""
    findings = check_file(path, True).findings
    return any(
        f.rule in ("PLAN002", "PLAN006") and not any(text in f.message for text in UNSAYABLE)
        for f in findings
    )


def test_every_example_plan_agrees(tmp_path: Path) -> None:
    plans = [
        path
        for path in sorted([*ROOT.glob("plans/*.yaml"), *ROOT.glob("examples/**/*.yaml")])
        if "cio_kit:" in path.read_text(encoding="utf-8", errors="replace")
        and "plan001" not in path.name
        and "plan003" not in path.name
        and "plan007" not in path.name
    ]
    assert len(plans) >= 15
    errors = schema_errors(plans, tmp_path)
    for path in plans:
        assert bool(errors[str(path)]) == loader_rejects_shape(path), (path.name, errors[str(path)][:1])


BUNDLED = (ROOT / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
MUTATIONS: list[tuple[str, Callable[[str], str], bool]] = [
    # (what, how, whether the loader rejects it)
    (
        "an empty depends_on is absent",
        lambda t: t.replace("depends_on: [S-KICKOFF]", "depends_on:", 1),
        False,
    ),
    ("a null owner is absent", lambda t: t.replace("owner: CIO office", "owner: null", 1), False),
    ("cio_kit 2", lambda t: t.replace("cio_kit: 1", "cio_kit: 2", 1), True),
    ("an infinite amount", lambda t: t.replace("total: 75000000", "total: .inf", 1), True),
    (
        "a milestone with a duration",
        lambda t: t.replace("kind: milestone", "kind: milestone\n    duration_weeks: 1", 1),
        True,
    ),
    (
        "a date on a non-milestone",
        lambda t: t.replace("kind: training", "kind: training\n    date: 2027-05-01", 1),
        True,
    ),
    ("a stage without a duration", lambda t: t.replace("    duration_weeks: 3\n", "", 1), True),
    ("a text number", lambda t: t.replace("total: 75000000", "total: '75000000'", 1), True),
    ("an unknown key", lambda t: t.replace("  revenue:", "  revenu:", 1), True),
    (
        "a KPI above the bounds",
        lambda t: t.replace("baseline: 82, target: 95", "baseline: 1e20, target: 95", 1),
        True,
    ),
]


@pytest.mark.parametrize("what, mutate, rejected", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutations_of_the_bundled_plan_agree(
    what: str, mutate: Callable[[str], str], rejected: bool, tmp_path: Path
) -> None:
    text = mutate(BUNDLED)
    assert text != BUNDLED, what
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert loader_rejects_shape(path) is rejected, what
    assert bool(schema_errors([path], tmp_path)[str(path)]) is rejected, what


def test_an_estimate_out_of_order_is_the_loader_s_alone(tmp_path: Path, write_plan: Any) -> None:
    """A schema cannot compare fields: the schema accepts, the loader says PLAN002."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, estimate: {optimistic: 5, likely: 2, pessimistic: 9}}\n"
    )
    assert schema_errors([path], tmp_path)[str(path)] == []
    assert [f.rule for f in check_file(path, True).findings if f.rule == "PLAN002"] == ["PLAN002"]
