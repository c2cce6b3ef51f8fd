"""Each risk's effect on P80 (SPEC §17), computed exactly from the runs that can decide it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_kit.analysis import risk
from cio_kit.analysis.risk import RiskResult, deciding, simulate
from cio_kit.plan.model import Plan


def test_a_run_wholly_above_the_window_keeps_its_bound_and_nothing_is_computed() -> None:
    # Ten runs finishing on days 1..10. Switching the risk off could take 3 days off run 5 and
    # half a day off run 10: lower bounds 1 2 3 4 2 6 7 8 9 9.5. numpy's P80 of ten values reads
    # ranks 7 and 8 (0-based, 9 × 0.8 = 7.2). The lowest the rank-7 finish can be is the rank-7
    # lower bound, 8; the highest the rank-8 one can be is the rank-8 finish as drawn, 9. Run 5
    # (at most 5) lies below 8 and run 10 (at least 9.5) above 9: neither changes either rank, so
    # none is computed, and run 10 stands in at 9.5.
    finish = np.arange(1.0, 11.0)
    most = np.array([0, 0, 0, 0, 3, 0, 0, 0, 0, 0.5])
    stand_in, again = deciding(finish, most)
    assert not again.any()
    assert list(stand_in) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5]
    # The P80 is 8 + 0.2 × (9 − 8) = 8.2 with run 5 anywhere in [2, 5] and run 10 in [9.5, 10].
    assert np.percentile(stand_in, 80) == pytest.approx(8.2)


def test_a_run_whose_bounds_meet_the_window_is_computed() -> None:
    # Run 4 could lose 1 day and run 9 (finishing on day 9) 3: lower bounds 1 2 3 3 5 6 7 8 6 10,
    # sorted 1 2 3 3 5 6 6 7 8 10, so the rank-7 finish is at least 7 and the rank-8 one at most 9.
    # Run 9's bounds [6, 9] meet [7, 9]: it is computed. Run 4 (at most 4) lies below 7 and is
    # not, nor is run 10, which nothing can shorten.
    finish = np.arange(1.0, 11.0)
    most = np.array([0, 0, 0, 1, 0, 0, 0, 0, 3, 0])
    stand_in, again = deciding(finish, most)
    assert list(np.flatnonzero(again)) == [8]
    assert list(stand_in) == list(finish)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 60), st.sampled_from([0, 0, 0.5, 2, 7, 14, 30]), st.floats(0, 1), st.booleans()
        ),
        min_size=1,
        max_size=60,
    )
)
def test_the_stand_ins_with_the_computed_runs_have_the_exact_p80(
    runs: list[tuple[int, float, float, bool]],
) -> None:
    """Whatever each run's finish without the risk is, within its bounds, the P80 is the same."""
    finish = np.array([float(days) for days, *_ in runs])
    most = np.array([cut for _, cut, *_ in runs])
    # Exact finishes anywhere in [finish − most, finish], the ends included.
    exact = np.array([days - (cut if end else share * cut) for days, cut, share, end in runs])
    stand_in, again = deciding(finish, most)
    stand_in[again] = exact[again]
    assert np.percentile(stand_in, 80) == np.percentile(exact, 80)
    assert not again[most == 0].any()


def _plan() -> Plan:
    """Three chains of three PERT stages into one milestone, and four risks across them."""
    stages: list[dict[str, Any]] = []
    for chain in "ABC":
        for step in range(1, 4):
            stages.append(
                {
                    "id": f"S-{chain}{step}",
                    "title": "x",
                    "kind": "training",
                    "estimate": {"optimistic": 2, "likely": 3 + (chain == "B"), "pessimistic": 7},
                    **({"depends_on": [f"S-{chain}{step - 1}"]} if step > 1 else {}),
                }
            )
    stages.append(
        {"id": "M-END", "title": "end", "kind": "milestone", "depends_on": ["S-A3", "S-B3", "S-C3"]}
    )
    risks = [
        {"id": "R-CHAIN", "probability": 0.5, "impact": {"weeks": 2}, "stages": ["S-A1", "S-A3"]},
        {
            "id": "R-SHAPED",
            "probability": 0.3,
            "impact": {"weeks": {"optimistic": 1, "likely": 2, "pessimistic": 5}},
            "stages": ["S-B2"],
        },
        {"id": "R-ACROSS", "probability": 0.7, "impact": {"weeks": 1}, "stages": ["S-C1", "S-B1"]},
        {"id": "R-SMALL", "probability": 0.2, "impact": {"weeks": 1}, "stages": ["S-C3"]},
    ]
    return Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": "2027-01-04"},
            "stages": stages,
            "risks": [{"title": "x", "owner": "O", **entry} for entry in risks],
        }
    )


def _chosen_and_every(monkeypatch: pytest.MonkeyPatch, runs: int) -> tuple[RiskResult, RiskResult]:
    """The simulation as it is, and with every run a risk hit computed again without it."""
    plan = _plan()
    # 23 runs a block, so the second pass gathers runs across blocks and risks and flushes a rest.
    monkeypatch.setattr(risk, "BLOCK_ELEMENTS", 23 * len(plan.stages))
    chosen = simulate(plan, runs=runs, seed=5)
    monkeypatch.setattr(
        risk, "deciding", lambda finish, most: (finish.copy(), np.ones(len(finish), dtype=bool))
    )
    return chosen, simulate(plan, runs=runs, seed=5)


def test_each_effect_is_what_computing_every_run_again_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen, every = _chosen_and_every(monkeypatch, 3000)
    assert chosen.events == every.events
    assert list(chosen.finish_days) == list(every.finish_days)
    effects = {effect.id: effect.p80_effect_days for effect in chosen.events}
    # Every risk lengthens a chain that can be the longest, so each moves P80.
    assert all(days is not None and days > 0 for days in effects.values()), effects


def test_the_effects_are_exact_when_the_plan_has_too_many_shapes_for_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond MOST_SHAPES distinct PERT shapes the stages are drawn by numpy's beta, and the second
    pass takes only the runs it computes again from those draws too."""
    from cio_kit.analysis import pert

    monkeypatch.setattr(pert, "MOST_SHAPES", 0)
    chosen, every = _chosen_and_every(monkeypatch, 600)
    assert chosen.events == every.events
    assert all(effect.p80_effect_days for effect in chosen.events)
