"""The readiness report's figures on a plan worked by hand (SPEC §7, Lessons 1 and 3).

Status date 2027-03-01. One rollout meets every reason a stage can be stopped for at once; the
shares count stages and money that can go (ready) or have gone (done), cancelled work apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cio_kit.reports.readiness import Readiness, Reason, readiness
from cio_kit.validate import check_file

PLAN = """\
cio_kit: 1
enterprise: {name: Worked, plan_start: 2027-01-04, status_date: 2027-03-01}
processes:
  - {id: P-O2C, name: Order to cash}
  - {id: P-P2P, name: Procure to pay}
  - {id: P-R2R, name: Record to report}
stakeholders:
  - {id: SG-SALES, adkar: {awareness: 4, desire: 3, knowledge: 2, ability: 4, reinforcement: 1},
     actions: [{type: briefing, stage: S-BRIEF}, {type: training, stage: S-TRAIN}]}
  - {id: SG-FIN, adkar: {awareness: 5, desire: 5, knowledge: 4, ability: 4, reinforcement: 1}}
  - {id: SG-NEW}
stages:
  - {id: S-REDO-O2C, title: Redesign O2C, kind: process-redesign, duration_weeks: 2, owner: A,
     processes: [P-O2C], status: done, budget: [{amount: 300, class: grow, category: services}]}
  - {id: S-REDO-P2P, title: Redesign P2P, kind: process-redesign, duration_weeks: 2, owner: A,
     processes: [P-P2P], budget: [{amount: 100, class: grow, category: services}]}
  - {id: S-REDO-P2P-B, title: Redesign P2P again, kind: process-redesign, duration_weeks: 1, owner: A,
     processes: [P-P2P], budget: [{amount: 100, class: grow, category: services}]}
  - {id: S-REDO-P2P-OLD, title: First P2P redesign, kind: process-redesign, duration_weeks: 1, owner: A,
     processes: [P-P2P], status: done, budget: [{amount: 100, class: grow, category: services}]}
  - {id: S-BRIEF, title: Brief, kind: change-management, duration_weeks: 1, owner: A,
     budget: [{amount: 50, class: grow, category: training}]}
  - {id: S-ROLL, title: Roll out, kind: system-rollout, duration_weeks: 4,
     depends_on: [S-REDO-O2C, S-REDO-P2P, S-REDO-P2P-B, S-REDO-P2P-OLD, S-BRIEF],
     processes: [P-O2C, P-P2P, P-R2R, P-O2C], affects: [SG-NEW, SG-FIN, SG-SALES]}
  - {id: S-TRAIN, title: Train, kind: training, duration_weeks: 1, owner: A, depends_on: [S-ROLL],
     budget: [{amount: 50, class: grow, category: training}]}
  - {id: S-LATER, title: Later, kind: infrastructure, duration_weeks: 1, owner: A,
     not_before: 2027-06-01, budget: [{amount: 400, class: grow, category: hardware}]}
  - {id: S-HELD, title: Held, kind: infrastructure, duration_weeks: 1, owner: A, status: blocked,
     budget: [{amount: 7, class: grow, category: hardware}]}
  - {id: S-GONE, title: Gone, kind: infrastructure, duration_weeks: 1, owner: A, status: cancelled,
     budget: [{amount: 9000, class: grow, category: hardware}]}
  - {id: S-RUN, title: Running, kind: infrastructure, duration_weeks: 8, owner: A, status: in-progress,
     actual_start: 2027-01-04, budget: [{amount: 93, class: grow, category: hardware}]}
"""


@pytest.fixture
def load(write_plan: Callable[..., Path]) -> Callable[[str], Readiness]:
    def read(text: str) -> Readiness:
        plan = check_file(write_plan(text), True).plan
        assert plan is not None
        return readiness(plan)

    return read


def test_each_stage_gets_its_state_and_every_reason_in_words(load: Callable[[str], Readiness]) -> None:
    report = load(PLAN)
    by_id = {stage.id: stage for stage in report.stages}
    assert {ident: stage.state for ident, stage in by_id.items()} == {
        "S-REDO-O2C": "done",
        "S-REDO-P2P": "ready",
        "S-REDO-P2P-B": "ready",
        "S-REDO-P2P-OLD": "done",
        "S-BRIEF": "ready",
        "S-ROLL": "waiting",
        "S-TRAIN": "waiting",
        "S-LATER": "waiting",
        "S-HELD": "blocked",
        "S-GONE": "cancelled",
        "S-RUN": "in-progress",
    }
    # Each process once, in the order written; O2C's redesign is done, P2P's two open ones are
    # named (its first, done, is not), R2R has none; SG-NEW has no profile and the groups after it
    # still count: SG-FIN scores 4-5 before go-live (reinforcement comes after it), SG-SALES stops at
    # its first barrier (desire 3, before knowledge 2).
    assert by_id["S-ROLL"].reasons == (
        Reason("predecessor-not-done", "waiting for S-REDO-P2P, S-REDO-P2P-B, S-BRIEF"),
        Reason("process-not-redesigned", "P-P2P redesign not done (S-REDO-P2P, S-REDO-P2P-B)"),
        Reason("process-not-redesigned", "P-R2R has no process-redesign stage before it"),
        Reason("adkar-barrier", "SG-SALES is at an ADKAR barrier point: desire 3/5"),
        Reason("no-owner", "S-ROLL has no owner"),
        Reason("no-budget", "S-ROLL (system-rollout) has no budget"),
    )
    assert by_id["S-LATER"].reasons == (Reason("not-before", "cannot start before 2027-06-01"),)
    assert by_id["S-HELD"].reasons == (Reason("status-blocked", "S-HELD is marked blocked"),)
    assert by_id["S-TRAIN"].reasons == (Reason("predecessor-not-done", "waiting for S-ROLL"),)
    for ident in ("S-REDO-O2C", "S-REDO-P2P", "S-REDO-P2P-B", "S-REDO-P2P-OLD", "S-GONE", "S-RUN"):
        assert by_id[ident].reasons == ()
    assert (by_id["S-GONE"].budget, by_id["S-RUN"].budget, by_id["S-REDO-O2C"].budget) == (0.0, 93.0, 300.0)
    assert report.counts == {
        "done": 2,
        "ready": 3,
        "waiting": 3,
        "blocked": 1,
        "cancelled": 1,
        "in-progress": 1,
    }
    assert [stage.id for stage in report.next_up] == ["S-REDO-P2P", "S-REDO-P2P-B", "S-BRIEF"]


def test_the_shares_count_ready_and_done_of_the_live_stages_and_their_money(
    load: Callable[[str], Readiness],
) -> None:
    """Live: ten stages (S-GONE is cancelled), five ready or done (the four redesigns and the
    brief): 5/10. Their money: 300 + 3 × 100 + 50 = 650 of that and 0 + 50 + 400 + 7 + 93 = 1,200."""
    report = load(PLAN)
    assert report.stage_share == 5 / 10
    assert report.budget_share == 650 / 1200


def test_with_nothing_live_or_no_money_the_shares_are_nought(load: Callable[[str], Readiness]) -> None:
    gone = load(
        "cio_kit: 1\nenterprise: {name: Gone}\nstages:\n"
        "  - {id: S-A, title: A, kind: infrastructure, duration_weeks: 1, owner: A, status: cancelled}\n"
    )
    assert (gone.stage_share, gone.budget_share) == (0.0, 0.0)
    unfunded = load(
        "cio_kit: 1\nenterprise: {name: Unfunded}\nstages:\n  - {id: M-A, title: A, kind: milestone}\n"
    )
    assert unfunded.stages[0].state == "ready"
    assert (unfunded.stage_share, unfunded.budget_share) == (1.0, 0.0)


def test_a_rollout_of_a_process_no_plan_declares_is_not_taken_as_redesigned(
    load: Callable[[str], Readiness],
) -> None:
    """P-GHOST has no bit of its own; the first declared process (redesigned, done) must not stand in."""
    report = load(PLAN.replace("processes: [P-O2C, P-P2P, P-R2R, P-O2C]", "processes: [P-GHOST]"))
    roll = next(stage for stage in report.stages if stage.id == "S-ROLL")
    assert Reason("process-not-redesigned", "P-GHOST has no process-redesign stage before it") in roll.reasons


def test_a_group_says_which_of_its_actions_come_before_every_rollout_affecting_it(
    load: Callable[[str], Readiness],
) -> None:
    groups = {group.id: group for group in load(PLAN).groups}
    sales = groups["SG-SALES"]
    assert (sales.first_barrier, sales.rollouts) == ("desire", ("S-ROLL",))
    assert [(a.type, a.stage, a.before_rollouts) for a in sales.actions] == [
        ("briefing", "S-BRIEF", True),
        ("training", "S-TRAIN", False),
    ]
    assert sales.adkar == {"awareness": 4, "desire": 3, "knowledge": 2, "ability": 4, "reinforcement": 1}
    assert (groups["SG-NEW"].adkar, groups["SG-NEW"].first_barrier, groups["SG-NEW"].actions) == (
        None,
        None,
        (),
    )


EDGES = """\
cio_kit: 1
enterprise: {name: Edges, plan_start: 2027-01-04, status_date: 2027-03-01}
processes:
  - {id: P-O2C, name: Order to cash}
  - {id: P-P2P, name: Procure to pay}
stages:
  - {id: S-REDO, title: Redesign both, kind: process-redesign, duration_weeks: 2, owner: A,
     processes: [P-O2C, P-P2P], status: done, budget: [{amount: 1, class: grow, category: services}]}
  - {id: S-GHOST, title: Redesign what is not declared, kind: process-redesign, duration_weeks: 1, owner: A,
     processes: [P-GHOST], status: done, budget: [{amount: 1, class: grow, category: services}]}
  - {id: S-ROLL, title: Roll out, kind: system-rollout, duration_weeks: 2, owner: A, depends_on: [S-REDO],
     processes: [P-O2C, P-P2P], budget: [{amount: 1, class: grow, category: software}]}
  - {id: S-ROLL-LONE, title: Roll out alone, kind: system-rollout, duration_weeks: 2, owner: A,
     depends_on: [S-GHOST], processes: [P-O2C], budget: [{amount: 1, class: grow, category: software}]}
  - {id: S-DROPPED, title: Dropped, kind: infrastructure, duration_weeks: 1, owner: A, status: cancelled}
  - {id: S-AFTER, title: After the dropped one, kind: infrastructure, duration_weeks: 1, owner: A,
     depends_on: [S-DROPPED], not_before: 2027-03-01, budget: [{amount: 1, class: grow, category: hardware}]}
  - {id: S-OPEN, title: Open, kind: infrastructure, duration_weeks: 1, owner: A,
     budget: [{amount: 1, class: grow, category: hardware}]}
  - {id: S-HELD, title: Held, kind: infrastructure, duration_weeks: 1, owner: A, status: blocked,
     depends_on: [S-OPEN], budget: [{amount: 1, class: grow, category: hardware}]}
"""


def test_one_redesign_of_two_processes_cancelled_work_and_the_status_day_itself(
    load: Callable[[str], Readiness],
) -> None:
    """A redesign of both processes clears a rollout of both; one of an undeclared process clears
    none; a cancelled predecessor is out of the way; a stage may start on its not_before day; a
    stage marked blocked stays blocked while it also waits."""
    by_id = {stage.id: stage for stage in load(EDGES).stages}
    assert (by_id["S-ROLL"].state, by_id["S-ROLL"].reasons) == ("ready", ())
    assert by_id["S-ROLL-LONE"].reasons == (
        Reason("process-not-redesigned", "P-O2C has no process-redesign stage before it"),
    )
    assert (by_id["S-AFTER"].state, by_id["S-AFTER"].reasons) == ("ready", ())
    assert (by_id["S-HELD"].state, by_id["S-HELD"].reasons) == (
        "blocked",
        (
            Reason("status-blocked", "S-HELD is marked blocked"),
            Reason("predecessor-not-done", "waiting for S-OPEN"),
        ),
    )
