"""Risks, issues and decisions in the plan, and schedule risk analysis from them (SPEC §17)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEAD = "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\n"
TEN_WEEKS = (
    "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 10,\n"
    "     budget: [{amount: 5000, class: grow, category: services}]}\n"
)


def _risk(cli: Any, write_plan: Callable[..., Path], risks: str, *extra: str) -> dict[str, Any]:
    write_plan(HEAD + risks + TEN_WEEKS)
    result = cli("roadmap", "risk", "plan.yaml", "--format", "json", "--runs", "4000", "--seed", "3", *extra)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_a_certain_two_week_risk_moves_p50_and_p95_by_two_weeks(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    without = _risk(cli, write_plan, "")
    certain = _risk(
        cli,
        write_plan,
        "risks:\n  - {id: R-A, title: A, probability: 1, impact: {weeks: 2, cost: 1000}, stages: [S-A]}\n",
    )
    assert without["finish_weeks"]["p50"] == without["finish_weeks"]["p95"] == 10
    assert certain["finish_weeks"]["p50"] == certain["finish_weeks"]["p95"] == 12
    assert certain["risks"] == [{"id": "R-A", "occurred_share": 1.0, "p80_effect_days": 14.0}]
    assert without["cost"] == {"p50": 5000, "p80": 5000, "p95": 5000}
    assert certain["cost"] == {"p50": 6000, "p80": 6000, "p95": 6000}


def test_a_half_likely_four_week_risk_occurs_in_half_the_runs_and_moves_p80(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    document = _risk(
        cli,
        write_plan,
        "risks:\n  - {id: R-A, title: A, probability: 0.5, impact: {weeks: 4}, stages: [S-A]}\n",
    )
    (risk,) = document["risks"]
    assert abs(risk["occurred_share"] - 0.5) < 0.03
    assert risk["p80_effect_days"] == 28
    assert document["finish_weeks"]["p50"] in (10, 14) and document["finish_weeks"]["p80"] == 14


def test_a_risk_off_the_longest_path_moves_p80_only_by_what_it_pushes_past_it(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    # S-A takes 10 weeks and S-B, beside it, 4. A certain 4-week risk on S-B leaves it 2 weeks
    # short of S-A: the finish stays at 10 weeks and the risk's effect is 0. An 8-week risk makes
    # S-B 12 weeks, the longest path: finish 12 weeks, and without the risk 10, so 14 days.
    def finish_and_effect(weeks: int) -> tuple[float, float]:
        write_plan(
            HEAD
            + "risks:\n  - {id: R-B, title: B, probability: 1, stages: [S-B],\n"
            + f"     impact: {{weeks: {weeks}}}}}\n"
            + TEN_WEEKS
            + "  - {id: S-B, title: B, kind: training, duration_weeks: 4,\n"
            "     budget: [{amount: 5000, class: grow, category: services}]}\n"
        )
        result = cli("roadmap", "risk", "plan.yaml", "--format", "json", "--runs", "500")
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        return document["finish_weeks"]["p80"], document["risks"][0]["p80_effect_days"]

    assert finish_and_effect(4) == (10, 0)
    assert finish_and_effect(8) == (12, 14)


def test_closed_risks_are_ignored_occurred_ones_are_certain_and_days_are_days(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    document = _risk(
        cli,
        write_plan,
        "risks:\n"
        "  - {id: R-A, title: A, probability: 0.1, impact: {days: 3}, stages: [S-A], status: occurred}\n"
        "  - {id: R-B, title: B, probability: 1, impact: {weeks: 9}, stages: [S-A], status: closed}\n",
    )
    assert document["finish_weeks"]["p95"] == round(73 / 7, 2)
    assert [r["id"] for r in document["risks"]] == ["R-A"]


def test_a_three_point_impact_is_sampled_between_its_ends(cli: Any, write_plan: Callable[..., Path]) -> None:
    document = _risk(
        cli,
        write_plan,
        "risks:\n  - {id: R-A, title: A, probability: 1, stages: [S-A],\n"
        "     impact: {weeks: {optimistic: 1, likely: 2, pessimistic: 5}}}\n",
    )
    weeks = document["finish_weeks"]
    assert 11 < weeks["p50"] < weeks["p80"] < weeks["p95"] < 15
    assert abs(weeks["mean"] - (10 + (1 + 4 * 2 + 5) / 6)) < 0.1  # the PERT mean, 2.33 weeks


def test_the_tornado_ranks_risks_by_what_they_do_to_p80(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(
        HEAD + "risks:\n"
        "  - {id: R-SMALL, title: Small slip, probability: 1, impact: {weeks: 1}, stages: [S-A]}\n"
        "  - {id: R-BIG, title: Big slip, probability: 1, impact: {weeks: 3}, stages: [S-A]}\n" + TEN_WEEKS
    )
    text = cli("roadmap", "risk", "plan.yaml", "--runs", "500").stdout
    tornado = text[text.index("What drives the P80") :].splitlines()
    assert "R-BIG" in tornado[1] and "+21.0 d" in tornado[1] and "Big slip" in tornado[1]
    assert "R-SMALL" in tornado[2] and "+7.0 d" in tornado[2]


def test_a_decision_past_needed_by_is_risk003_naming_what_waits(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-03-01}\n"
        "decisions:\n  - {id: D-HOSTING, title: Cloud or not, owner: Board, needed_by: 2027-02-01}\n"
        "stages:\n"
        "  - {id: S-A, title: A, kind: infrastructure, duration_weeks: 2, depends_on: [D-HOSTING]}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 2, depends_on: [S-A]}\n"
    )
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "RISK003"]
    assert finding["severity"] == "error" and result.exit_code == 1
    assert "S-A waits for it" in finding["message"] and "S-B" not in finding["message"]
    assert finding["line"] == 4


def test_a_taken_decision_holds_its_successors_until_the_day_it_was_taken(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(
        HEAD + "decisions:\n  - {id: D-A, title: A, status: taken, taken: 2027-03-01, outcome: Cloud}\n"
        "stages:\n"
        "  - {id: S-A, title: A, kind: infrastructure, duration_weeks: 1, depends_on: [D-A]}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 1}\n"
    )
    rows = json.loads(cli("roadmap", "show", "plan.yaml", "--format", "json").stdout)["stages"]
    starts = {row["id"]: row["start_date"] for row in rows}
    assert starts == {"S-A": "2027-03-01", "S-B": "2027-01-04"}
    risk = json.loads(cli("roadmap", "risk", "plan.yaml", "--format", "json", "--runs", "50").stdout)
    assert risk["finish_last_days"]["p50"] == "2027-03-07"


def test_the_register_is_checked_like_the_rest_of_the_plan(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(
        HEAD + "risks:\n"
        "  - {id: R-A, title: A, owner: X, probability: 0.5, impact: {weeks: 1, days: 2}, stages: [S-Z],\n"
        "     mitigation: {action: Act}}\n"
        "issues:\n  - {id: S-A, title: Clash}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 1, depends_on: [D-NONE]}\n"
    )
    result = cli("plan", "validate", "plan.yaml", "--format", "json")
    found = sorted((f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"])
    assert found == [("PLAN002", 4), ("PLAN004", 7), ("PLAN005", 4), ("PLAN005", 9)]


def test_a_risks_effect_counts_the_branch_it_does_not_touch(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Two branches after the kickoff: A (8 weeks, the risk's) and B (9 weeks, in progress at the status
    date, so its start is history). The certain 3-week risk makes A end at week 11; without it the
    finish is B's week 9, not A's week 8: the effect on P80 is 2 weeks (14 days). Only A is computed
    again without the risk; B's finish is still counted, pinned start and all."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-01-05}\n"
        "risks:\n  - {id: R-A, title: A, probability: 1, impact: {weeks: 3}, stages: [S-A]}\n"
        "stages:\n"
        "  - {id: M-GO, title: Go, kind: milestone, status: done, actual_start: 2027-01-04,\n"
        "     actual_finish: 2027-01-04}\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 8, depends_on: [M-GO]}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 9, depends_on: [M-GO],\n"
        "     status: in-progress, percent_complete: 0, actual_start: 2027-01-04}\n"
    )
    result = cli("roadmap", "risk", "plan.yaml", "--format", "json", "--runs", "500")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["risks"] == [{"id": "R-A", "occurred_share": 1.0, "p80_effect_days": 14.0}]
