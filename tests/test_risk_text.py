"""The text report of ``roadmap risk``, drawn from a result built by hand (SPEC §6, §17).

The simulation has its own tests (test_pert, test_raid, test_risk_runs); here the
figures are fixed, so every line of the report can be read and checked: the
title per basis, the percentile table, the cost line, the histogram's bins and
bars, the deadline colours, the tornado's order and bars, and what a narrow
terminal cuts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pytest

from cio_kit.analysis.risk import DeadlineRisk, RiskEffect, RiskResult
from cio_kit.plan.model import Plan
from cio_kit.render.risk import render_text, tornado
from cio_kit.validate import check_file
from tests.conftest import printed

PLAN = """\
cio_kit: 1
enterprise: {name: Hengda, plan_start: 2027-01-04, currency: CNY}
risks:
  - {id: R-VENDOR, title: "Vendor [late] again", probability: 0.5, impact: {weeks: 2}, stages: [S-A]}
  - {id: R-DATA, title: Data migration, probability: 0.5, impact: {weeks: 1}, stages: [S-A]}
  - {id: R-NONE, title: Never bites, probability: 0.5, impact: {weeks: 1}, stages: [S-A]}
stages:
  - {id: S-A, title: A, kind: training, duration_weeks: 10}
"""


@pytest.fixture
def plan(write_plan: Any) -> Plan:
    loaded = check_file(write_plan(PLAN), True).plan
    assert loaded is not None
    return loaded


def _result(**changes: Any) -> RiskResult:
    """Ten runs finishing at 70..79 days (10 to 11.3 weeks), each last day one before its finish."""
    finishes = np.arange(70.0, 80.0)
    fields: dict[str, Any] = {
        "runs": 10,
        "seed": 5,
        "finish_days": finishes,
        "criticality": (("S-A", 1.0), ("S-B", 0.25), ("S-C", 0.0)),
        "deadlines": (),
        "last_days": finishes - 1,
        **changes,
    }
    return RiskResult(**fields)


def _text(plan: Plan, result: RiskResult, width: int = 100, colour: bool = False, **kwargs: Any) -> str:
    return printed(lambda console: render_text(plan, result, console, **kwargs), width, colour)


def test_the_tornado_ranks_by_p80_effect_then_by_how_often_then_by_id(plan: Plan) -> None:
    result = _result(
        events=(
            RiskEffect("R-NONE", 0.9, 0.0),  # occurred often but moved nothing: last
            RiskEffect("R-DATA", 0.2, 3.5),
            RiskEffect("R-VENDOR", 0.6, 3.5),  # the same effect, more often: before R-DATA
            RiskEffect("R-GONE", 0.4, 3.5),  # not in the register: no title; same effect, between
            RiskEffect("R-FAR", 0.5, None),  # beyond the measured ones: not in the tornado
            RiskEffect("R-ZERO", 0.4, 0.5),  # half a day beats nothing
        )
    )
    assert tornado(plan, result) == [
        ("R-VENDOR", "Vendor [late] again", 3.5, 0.6),
        ("R-GONE", "", 3.5, 0.4),
        ("R-DATA", "Data migration", 3.5, 0.2),
        ("R-ZERO", "", 0.5, 0.4),
        ("R-NONE", "Never bites", 0.0, 0.9),
    ]
    # Equal effect and share: by id.
    tied = _result(events=(RiskEffect("R-B", 0.5, 2.0), RiskEffect("R-A", 0.5, 2.0)))
    assert [row[0] for row in tornado(plan, tied)] == ["R-A", "R-B"]


def test_the_whole_report_in_colour(plan: Plan, golden: Any) -> None:
    # Every part: the forecast title, the table with last days, the cost line with the currency, a
    # histogram of ten runs in twelve bins, deadlines at each colour, the tornado with a title that
    # looks like markup (printed as written), and the stages most often critical (none at 0%).
    result = _result(
        status_date=dt.date(2027, 2, 1),
        costs=np.linspace(1_000_000.0, 1_900_000.0, 10),
        deadlines=(
            DeadlineRisk("S-A", dt.date(2027, 3, 1), 0.3),
            DeadlineRisk("G-EARLY", dt.date(2027, 3, 8), 0.5),
            DeadlineRisk("G-LATER", dt.date(2027, 3, 15), 0.79),
            DeadlineRisk("G-LAST", dt.date(2027, 3, 22), 0.8),
        ),
        events=(RiskEffect("R-VENDOR", 0.6, 14.0), RiskEffect("R-DATA", 0.3, 7.0)),
    )
    text = _text(plan, result, colour=True)
    golden("risk-text.ansi", text)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert plain.splitlines()[:2] == [
        "Hengda — schedule risk (forecast from the status date 2027-02-01)",
        "10 runs, seed 5; durations from PERT-beta estimates and 2 risks of the register",
    ]
    assert (
        "Cost with the risks that occurred: P50 1,450,000 CNY, P80 1,720,000 CNY, P95 1,855,000 CNY" in plain
    )
    assert "Vendor [late] again" in plain


def test_one_run_and_one_risk_read_in_the_singular_and_many_runs_with_separators(plan: Plan) -> None:
    one = _result(
        runs=1,
        finish_days=np.array([70.0]),
        last_days=np.array([69.0]),
        events=(RiskEffect("R-VENDOR", 1.0, 3.0),),
    )
    assert _text(plan, one).splitlines()[1] == (
        "1 run, seed 5; durations from PERT-beta estimates and 1 risk of the register"
    )
    many = _result(runs=12_000)
    assert _text(plan, many).splitlines()[1].startswith("12,000 runs, seed 5;")


def test_the_table_rows_and_what_the_plan_as_written_says(plan: Plan) -> None:
    text = _text(plan, _result(), forecast_last_day="2027-03-20")
    lines = text.splitlines()
    assert lines[0] == (
        "Hengda — schedule risk of the plan as written; forecast last day 2027-03-20 (without --as-written)"
    )
    assert lines[1] == "10 runs, seed 5; durations from PERT-beta estimates"
    # Mean 74.5 days = 10.6 weeks; P50 74.5 (10.6), P80 77.2 (11.0), P95 78.55 (11.2). Last days by
    # the run at or above the share: P50 the 5th run's 73 (2027-03-18), P80 the 8th's 76, P95 78.
    assert [line.split("│") for line in lines[4:8]] == [
        ["mean ", "           10.6 ", "           "],
        ["P50  ", "           10.6 ", " 2027-03-18"],
        ["P80  ", "           11.0 ", " 2027-03-21"],
        ["P95  ", "           11.2 ", " 2027-03-23"],
    ]
    assert "Cost with" not in text  # no risk occurred, so the cost is the basis: not repeated
    assert "What drives the P80" not in text
    # The criticality list: the shares above 0, most critical first.
    assert text.endswith("Most often critical\n  100.0%  S-A\n   25.0%  S-B\n")
    assert "_as_written" not in text and _text(plan, _result()).splitlines()[0] == (
        "Hengda — schedule risk of the plan as written"
    )


def test_without_a_start_or_last_days_the_last_day_column_is_empty(plan: Plan) -> None:
    text = _text(plan, _result(last_days=None))
    assert text.splitlines()[4:8] == [
        "mean │           10.6 │         ",
        "P50  │           10.6 │         ",
        "P80  │           11.0 │         ",
        "P95  │           11.2 │         ",
    ]


def test_the_cost_line_needs_both_costs_and_risks(plan: Plan) -> None:
    costs = np.full(10, 500.0)
    assert "Cost with" not in _text(plan, _result(costs=costs))
    assert "Cost with" not in _text(plan, _result(events=(RiskEffect("R-DATA", 0.3, 7.0),)))
    both = _text(plan, _result(costs=costs, events=(RiskEffect("R-DATA", 0.3, 0.0),)))
    assert "Cost with the risks that occurred: P50 500 CNY, P80 500 CNY, P95 500 CNY\n" in both
    free = _text(plan, _result(costs=np.zeros(10), events=(RiskEffect("R-DATA", 0.3, 0.0),)))
    assert "Cost with the risks that occurred: P50 0 CNY, P80 0 CNY, P95 0 CNY\n" in free


def test_the_histogram_has_twelve_bins_and_one_when_every_run_ends_the_same_day(plan: Plan) -> None:
    # Finishes 70..79 days: 10 to 11.29 weeks in twelve bins of 0.107 weeks, ten runs, one each in
    # ten bins; the widest bar (a count of 1) is the full width, 100 − 26 = 74.
    text = _text(plan, _result())
    bins = text[text.index("Finish week distribution") :].split("\n\n")[0].splitlines()[1:]
    assert len(bins) == 12
    assert bins[0] == "   10.0–10.1    " + "█" * 74 + " 1"
    assert sum(int(line.split()[-1]) for line in bins) == 10
    same = _text(plan, _result(finish_days=np.full(10, 70.0)))
    (only,) = same[same.index("Finish week distribution") :].split("\n\n")[0].splitlines()[1:]
    assert only == "   10.0–11.0    " + "█" * 74 + " 10"


def test_the_histogram_keeps_ten_cells_of_bar_and_crops_on_a_narrow_terminal(plan: Plan) -> None:
    # At 36 columns the bar is 36 − 26 = 10; at 30 it stays 10 and the line (29 + count) still fits;
    # at 20 the line is cropped at the edge, never wrapped onto a second line.
    assert "   10.0–10.1    " + "█" * 10 + " 1\n" in _text(plan, _result(), width=36)
    assert "   10.0–10.1    " + "█" * 10 + " 1\n" in _text(plan, _result(), width=30)
    narrow = _text(plan, _result(), width=20)
    start = narrow.index("distribution\n")  # the heading itself wraps
    bins = narrow[start:].split("\n\n")[0].splitlines()[1:]
    assert len(bins) == 12 and bins[0] == "   10.0–10.1    ████"


def test_deadlines_are_red_under_half_yellow_under_four_fifths_green_above(plan: Plan) -> None:
    result = _result(
        deadlines=(
            DeadlineRisk("G-A", dt.date(2027, 3, 1), 0.49),
            DeadlineRisk("G-B", dt.date(2027, 3, 1), 0.5),
            DeadlineRisk("G-C", dt.date(2027, 3, 1), 0.8),
        )
    )
    text = _text(plan, result, colour=True)
    colour = {
        ident: re.search(r"\x1b\[(\d+)m" + ident, text).group(1)  # type: ignore[union-attr]
        for ident in ("G-A", "G-B", "G-C")
    }
    assert colour == {"G-A": "31", "G-B": "33", "G-C": "32"}  # red, yellow, green


def test_the_tornado_bars_scale_to_the_largest_and_to_the_terminal(plan: Plan) -> None:
    events = (
        RiskEffect("R-DATA", 0.3, 7.0),
        RiskEffect("R-VENDOR", 0.6, 14.0),
        RiskEffect("R-NONE", 0.9, 0.0),
    )

    def bars(width: int) -> dict[str, str]:
        text = _text(plan, _result(events=events), width=width)
        tornado_lines = text[text.index("What drives the P80") :].split("\n\n")[0].splitlines()[1:]
        return {line.split()[0]: line for line in tornado_lines if line.startswith("  R-")}

    # Ids are 8 wide: the bar is the width less 48, between 8 and 30 cells.
    wide = bars(200)
    assert wide["R-VENDOR"] == "  R-VENDOR " + "█" * 30 + "   +14.0 d   60%  Vendor [late] again"
    assert wide["R-DATA"] == "  R-DATA   " + "█" * 15 + " " * 15 + "    +7.0 d   30%  Data migration"
    assert wide["R-NONE"] == "  R-NONE   " + " " * 30 + "    +0.0 d   90%  Never bites"
    assert bars(68)["R-VENDOR"].count("█") == 20
    assert bars(40)["R-VENDOR"].count("█") == 8
    # Too narrow for the title: the line ends in '…' instead of folding onto the next line.
    narrow = bars(50)
    assert narrow["R-VENDOR"] == "  R-VENDOR " + "█" * 8 + "   +14.0 d   60%  Vendor [late…"


def test_the_ten_most_critical_stages_only(plan: Plan) -> None:
    criticality = tuple((f"S-{n:02d}", (n + 1) / 20) for n in range(12))
    text = _text(plan, _result(criticality=criticality))
    listed = text[text.index("Most often critical") :].splitlines()[1:]
    assert [line.split()[1] for line in listed] == [f"S-{n:02d}" for n in range(11, 1, -1)]


def test_json_lists_one_risk_a_line_and_no_dates_without_a_start(plan: Plan, write_plan: Any) -> None:
    import json

    from cio_kit.render.risk import to_json

    events = (RiskEffect("R-VENDOR", 0.6, 14.0), RiskEffect("R-DATA", 0.3, None))
    shown = to_json(plan, _result(events=events))
    assert (
        '  "risks": [\n'
        '    {"id": "R-VENDOR", "occurred_share": 0.6, "p80_effect_days": 14.0},\n'
        '    {"id": "R-DATA", "occurred_share": 0.3, "p80_effect_days": null}\n'
        "  ],\n"
    ) in shown
    undated = check_file(write_plan(PLAN.replace(", plan_start: 2027-01-04", "")), True).plan
    assert undated is not None
    document = json.loads(to_json(undated, _result()))
    assert document["finish_dates"] == {"p50": None, "p80": None, "p95": None}
    assert document["finish_last_days"] == {"p50": None, "p80": None, "p95": None}
    # The first whole day after the work: P50 74.5 days → day 75 → 2027-01-04 + 75 = 2027-03-20.
    assert json.loads(shown)["finish_dates"] == {
        "p50": "2027-03-20",
        "p80": "2027-03-23",
        "p95": "2027-03-24",
    }
