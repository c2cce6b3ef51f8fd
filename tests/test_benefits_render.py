"""``report benefits`` as a reader meets it: colours at their edges, narrow terminals, no appraisal.

Built from reports made by hand (no plan), so that each case sits exactly on an
edge: a year that breaks even, an NPV of nothing, a score of exactly 3.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from rich.console import Console

from cio_kit.analysis.benefits import AT_RISK, NO_DATA, OFF_TRACK, Appraisal, Trajectory, YearFlow
from cio_kit.plan.model import Adkar, Measurement
from cio_kit.render import benefits as render
from cio_kit.reports.benefits import BenefitsReport, GroupReadings

from .conftest import printed

GREEN, RED, BOLD_GREEN, BOLD_RED = "32", "31", "1;32", "1;31"
STYLED = re.compile(r"\x1b\[([\d;]+)m([^\x1b]*)\x1b\[0m")


def _styled(line: str) -> list[tuple[str, str]]:
    """The coloured pieces of a line: (SGR code, text without its padding)."""
    return [(code, text.strip()) for code, text in STYLED.findall(line)]


def _report(
    years: tuple[YearFlow, ...] = (),
    npv: float = 0.0,
    *,
    irr: float | None = None,
    sensitivity: tuple[tuple[str, float], ...] = (),
    goals: tuple[Trajectory, ...] = (),
    groups: tuple[GroupReadings, ...] = (),
    appraised: bool = True,
) -> BenefitsReport:
    appraisal = Appraisal(0.08, years, npv, None, None, irr, sensitivity) if appraised else None
    return BenefitsReport("P-1", "EUR", 0.08, goals, appraisal, groups)


def _text(report: BenefitsReport, width: int = 80, colour: bool = True) -> str:
    return printed(lambda console: render.render_text(report, console), width, colour)


def _flow(year: int, net: float) -> YearFlow:
    return YearFlow(year, benefits=max(net, 0.0), costs=max(-net, 0.0), net=net, discounted_net=net)


def _goal(
    baseline: float | None = 1000.0,
    target: float | None = 800.0,
    latest: float | None = 900.0,
    expected: float | None = 900.0,
    status: str = AT_RISK,
    kpi: str | None = "cost per order",
) -> Trajectory:
    measured = Measurement(date=dt.date(2027, 6, 30), value=latest) if latest is not None else None
    return Trajectory("G-COST", kpi, baseline, target, dt.date(2028, 12, 31), measured, expected, 0.5, status)


def test_a_year_is_red_only_when_it_loses_money() -> None:
    """Net and cumulative: break-even is green, half a unit up is green, one unit down is red."""
    report = _report((_flow(2027, 0.0), _flow(2028, 0.4), _flow(2029, -1.0)))
    rows = {line[:4]: _styled(line) for line in _text(report).splitlines() if line[:2] == "20"}
    # Each row holds two coloured cells: the year's net and the running total.
    assert [code for code, _ in rows["2027"]] == [GREEN, GREEN]  # 0 and 0
    assert [code for code, _ in rows["2028"]] == [GREEN, GREEN]  # 0.4 and 0.4
    assert [code for code, _ in rows["2029"]] == [RED, RED]  # -1 and -0.6


@pytest.mark.parametrize(("npv", "code"), [(0.0, BOLD_GREEN), (0.4, BOLD_GREEN), (-0.4, BOLD_RED)])
def test_the_npv_is_red_only_below_nothing(npv: float, code: str) -> None:
    (line,) = [line for line in _text(_report(npv=npv)).splitlines() if "NPV" in line]
    assert _styled(line) == [(code, f"NPV {render.money(npv)} EUR")]


def test_a_sensitivity_case_is_red_only_when_its_npv_is_below_nothing() -> None:
    cases = (("break even", 0.0), ("just above", 0.4), ("a loss", -1.0))
    lines = _text(_report(sensitivity=cases)).splitlines()
    found = {case: _styled(line) for case, _ in cases for line in lines if line.startswith(case)}
    assert found == {"break even": [(GREEN, "0")], "just above": [(GREEN, "0")], "a loss": [(RED, "-1")]}


def test_no_irr_is_said_in_words() -> None:
    assert "IRR none: the flows never change sign or have no positive root\n" in _text(
        _report(), colour=False
    )
    assert "IRR 12.5%\n" in _text(_report(irr=0.125), colour=False)


def test_a_plan_with_no_start_has_no_appraisal_and_says_why() -> None:
    report = _report(appraised=False)
    text = _text(report, width=120, colour=False)
    assert (
        "No appraisal: give the plan an enterprise.plan_start to place costs and benefits in years.\n" in text
    )
    assert "NPV" not in text
    document = json.loads(render.to_json(report))
    assert {key: document[key] for key in ("years", "npv", "payback_year", "discounted_payback_year")} == {
        "years": [],
        "npv": None,
        "payback_year": None,
        "discounted_payback_year": None,
    }
    assert document["irr"] is None and document["sensitivity"] == []


def test_money_in_json_is_to_the_cent() -> None:
    flow = YearFlow(
        2027, benefits=10.004, costs=1234.5678, net=-1224.5638, discounted_net=-1133.8554, run_costs=0.125
    )
    (year,) = json.loads(render.to_json(_report((flow,), npv=-1133.8554)))["years"]
    assert year == {
        "year": 2027,
        "benefits": 10.0,
        "costs": 1234.57,
        "run_costs": 0.12,
        "net": -1224.56,
        "discounted_net": -1133.86,
    }


def test_each_year_keeps_one_line_at_60_columns() -> None:
    """A figure too wide for its column is cut with '…', never folded onto a second line."""
    figure = 12_345_678.0
    report = _report(tuple(YearFlow(2027 + n, figure, figure, 0.0, 0.0, figure) for n in range(3)))
    lines = _text(report, width=60, colour=False).splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("Y"))
    table = lines[header + 1 : next(n for n, line in enumerate(lines) if line.startswith("NPV"))]
    assert len(table) == 3 and all("…" in line for line in table)


def test_a_goal_keeps_its_values_status_and_chart_on_one_line_at_70_columns() -> None:
    goal = _goal(status=OFF_TRACK)
    lines = _text(_report(goals=(goal,), appraised=False), width=70, colour=False).splitlines()
    row = next(line for line in lines if "off-track" in line)
    assert "1,000 → 900 → 800" in row
    assert "█" * 10 + "│" + "·" * 9 in row


def test_the_chart_of_a_kpi_already_at_its_target_is_full() -> None:
    """Baseline equal to target: there is no way to travel, so the bar is full and the line at its end."""
    chart = render.chart(_goal(baseline=800.0, target=800.0, latest=800.0, expected=800.0))
    assert chart.plain == "█" * 20 + "│"
    console = Console(file=StringIO(), force_terminal=True, color_system="standard", width=40)
    with console.capture() as captured:
        console.print(chart, end="")
    assert _styled(captured.get())[-1] == ("1", "│")


def test_the_chart_is_empty_without_a_baseline_a_target_or_a_measurement() -> None:
    for goal in (_goal(baseline=None), _goal(target=None), _goal(latest=None, expected=None)):
        assert render.chart(goal).plain == "·" * 20


def test_a_goal_of_an_unknown_status_is_charted_uncoloured() -> None:
    console = Console(file=StringIO(), force_terminal=True, color_system="standard", width=40)
    with console.capture() as captured:
        console.print(render.chart(_goal(status=NO_DATA)), end="")
    assert captured.get().startswith("█" * 10)


def test_a_goal_with_no_kpi_shows_a_dash() -> None:
    report = _report(goals=(_goal(kpi=None),), appraised=False)
    lines = _text(report, width=100, colour=False).splitlines()
    row = next(n for n, line in enumerate(lines) if line.startswith("G-COST"))
    assert lines[row + 1].startswith("–  ")
    assert "| G-COST | – | 1,000 |" in render.to_markdown(report)


def _readings(*scores: int) -> GroupReadings:
    marks = [
        Adkar(
            awareness=score,
            desire=5,
            knowledge=5,
            ability=5,
            reinforcement=5,
            assessed=dt.date(2027, n + 1, 1),
        )
        for n, score in enumerate(scores)
    ]
    return GroupReadings("G-OPS", tuple(marks))


@pytest.mark.parametrize(("width", "header"), [(100, "┃ Awareness ┃"), (99, "┃ A ┃")])
def test_adkar_columns_are_named_in_full_from_100_columns(width: int, header: str) -> None:
    text = _text(_report(groups=(_readings(4),), appraised=False), width=width, colour=False)
    assert header in next(line for line in text.splitlines() if line.startswith("Group"))


@pytest.mark.parametrize(("score", "code"), [(3, RED), (4, GREEN)])
def test_an_adkar_score_of_three_or_below_is_a_barrier(score: int, code: str) -> None:
    text = _text(_report(groups=(_readings(5, score),), appraised=False), width=120)
    row = next(line for line in text.splitlines() if "G-OPS" in line)
    assert _styled(row)[1] == (code, f"5 → {score}")
