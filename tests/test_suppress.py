"""Inline suppressions: only real comments, on the finding's line or its element's id line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cio_kit.plan.suppress import find_suppressions
from cio_kit.validate import check_file, validate

PLAN = """\
cio_kit: 1
enterprise: {name: Example Co}
goals: [{id: G-A, kpi: {name: k, baseline: 1, target: 2}}]
stages:
  - title: "Portal # cio-kit: ignore[STRAT001] not a comment"
    id: S-PORTAL  # cio-kit: ignore[STRAT001, STRAT004] intranet, agreed with the CEO
    kind: system-rollout
    duration_weeks: 2
    owner: IT
    budget: [{amount: 10, class: grow, category: software}, {amount: 5, class: grow, category: training}]
  - {id: S-A, title: A, kind: training, duration_weeks: 1, serves: [G-A]}  # cio-kit: ignore[STRAT004] later
"""


def test_quoted_hash_is_not_a_comment() -> None:
    found = find_suppressions(PLAN)
    assert [(s.line, s.rules) for s in found] == [(6, ("STRAT001", "STRAT004")), (11, ("STRAT004",))]
    assert found[0].reason == "intranet, agreed with the CEO"


def test_which_hash_starts_the_comment() -> None:
    """A ``#`` at the line's start or after a space, outside every scalar, starts the comment."""
    text = (
        '"x # cio-kit: ignore[STRAT001] inside the first scalar": 1\n'
        "# cio-kit: ignore[PLAN008] at the first column\n"
        "title: a#b # cio-kit: ignore[STRAT004] after a hash in a word, with #3 later\n"
        "owner: v #cio-kit: ignore[BUDGET004] no space after the hash\n"
        'flow: {title: "x # cio-kit: ignore[STRAT002] quoted", id: S-B}\n'
        "note: |\n"
        "  # cio-kit: ignore[STRAT003] inside a block scalar\n"
        "# cio-kit: ignore[DEP001] the line after a block scalar\n"
    )
    found = [(s.line, s.column, s.rules, s.reason) for s in find_suppressions(text)]
    assert found == [
        (2, 1, ("PLAN008",), "at the first column"),
        (3, 12, ("STRAT004",), "after a hash in a word, with #3 later"),
        (4, 10, ("BUDGET004",), "no space after the hash"),
        (8, 1, ("DEP001",), "the line after a block scalar"),
    ]


def test_suppressed_findings_are_left_out_and_kept_for_sarif(write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN)
    loaded = check_file(Path("plan.yaml"), True)
    assert [f.rule for f in loaded.findings] == []
    # STRAT001 and STRAT004 point at stages[0] (line 5); the comment sits on its id line.
    assert sorted(f.rule for f, _ in loaded.suppressed) == ["STRAT001", "STRAT004", "STRAT004"]
    assert {reason for _, reason in loaded.suppressed} == {"intranet, agreed with the CEO", "later"}
    report = validate([Path("plan.yaml")])
    assert report.findings == []
    assert len(report.files[0].suppressed) == 3


def test_suppression_without_reason_silences_nothing(write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN.replace(" intranet, agreed with the CEO", ""))
    loaded = check_file(Path("plan.yaml"), True)
    assert sorted(f.rule for f in loaded.findings) == ["PLAN008", "STRAT001", "STRAT004"]


def test_no_stale_report_in_a_blocked_file(write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN.replace("duration_weeks: 2", "duration_weeks: two"))
    loaded = check_file(Path("plan.yaml"), True)
    assert [f.rule for f in loaded.findings] == ["PLAN002"]


def test_many_suppressions_are_linear_and_count_before_the_cap(tmp_path: Path) -> None:
    """2,000 suppressed findings: none left over, no stale PLAN008, none counted as truncated."""
    from cio_kit.validate import check_file

    lines = ["cio_kit: 1", "enterprise: {name: T}", "stages:"]
    lines += [
        f"  - {{id: S-{n}, title: 'x # cio-kit: ignore[STRAT004] in a string', kind: training,"
        f" duration_weeks: 1}}  # cio-kit: ignore[STRAT004] agreed"
        for n in range(2000)
    ]
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = check_file(path, True)
    assert loaded.findings == [] and loaded.truncated == 0
    assert len(loaded.suppressed) == 2000


def test_a_finding_on_an_element_without_an_id_is_suppressed_on_its_own_line(
    write_plan: Callable[..., Path],
) -> None:
    """The CIO's time split has no id line to carry the comment; the finding's own line does."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: Example Co}\ncio:\n"
        "  time_split: {maintenance: 70, strategy: 30}  # cio-kit: ignore[CIO002] year of the migration\n"
    )
    loaded = check_file(Path("plan.yaml"), True)
    assert "CIO002" not in [f.rule for f in loaded.findings]
    assert [(f.rule, reason) for f, reason in loaded.suppressed if f.rule == "CIO002"] == [
        ("CIO002", "year of the migration")
    ]
