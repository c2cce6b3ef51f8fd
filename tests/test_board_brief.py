"""Page one of the board pack: plain words, a headline from the figures, the register (SPEC §17)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cio_kit.reports.brief import plain


def test_plain_words_drop_the_command_line() -> None:
    assert plain("R-A is over-allocated; level the plan (report capacity --level) or change the effort") == (
        "R-A is over-allocated; level the plan or change the effort"
    )
    assert plain("CPI is 0.78: find the overrunning stages in `cio-kit report evm` and cut scope") == (
        "CPI is 0.78: find the overrunning stages and cut scope"
    )
    assert plain("S-A (system-rollout for P-O2C) is late") == "S-A (system-rollout for P-O2C) is late"
    assert plain("S-A ends (the plan as written) late") == "S-A ends (the plan as written) late"
    # A command named without "in", "with" or "run" before it stands as the report it gives.
    assert plain("see `cio-kit report evm --as-written` for the figures") == "see the report for the figures"
    # Where a hint stood before a comma, no blank is left before it.
    assert plain("tight (report capacity --level) , then re-plan") == "tight, then re-plan"


def _risk(**fields: Any) -> Any:
    from cio_kit.plan.model import Risk

    written = {"id": "R-A", "title": "Vendor late", "probability": 0.5, "impact": {"days": 10}}
    return Risk.model_validate({**written, **fields})


def test_a_risk_line_sizes_the_risk_and_reads_what_the_runs_made_of_it() -> None:
    """Exposure is probability × impact, certain once occurred; the runs' figures only when measured."""
    import numpy as np

    from cio_kit.analysis.risk import RiskEffect, RiskResult
    from cio_kit.reports.brief import _risk_line

    status = dt.date(2027, 3, 1)
    open_risk = _risk(
        impact={"days": 10, "cost": 10.01}, mitigation={"action": "Escrow", "due": "2027-03-01"}
    )
    line = _risk_line(open_risk, None, status)
    # 0.5 × 10.01 = 5.005 to the cent (not 5.005 to the tenth of a cent); due on the status date is
    # not yet overdue.
    assert (line.probability, line.exposure_days, line.exposure_cost, line.overdue) == (0.5, 5.0, 5.0, False)
    assert (line.occurred_share, line.p80_effect_days, line.mitigation, line.due) == (
        None,
        None,
        "Escrow",
        dt.date(2027, 3, 1),
    )
    assert _risk_line(open_risk, None, dt.date(2027, 3, 2)).overdue
    occurred = _risk(status="occurred", impact={"days": 10, "cost": 300})
    runs = RiskResult(3, 1, np.zeros(3), (), (), events=(RiskEffect("R-OTHER", 0.3, 2.0),))
    line = _risk_line(occurred, runs, status)
    assert (line.probability, line.exposure_days, line.exposure_cost) == (1.0, 10.0, 300.0)
    assert (line.occurred_share, line.p80_effect_days) == (None, None)  # the runs hold no figure for it
    measured = RiskResult(3, 1, np.zeros(3), (), (), events=(RiskEffect("R-A", 1.0, 7.5),))
    line = _risk_line(occurred, measured, status)
    assert (line.occurred_share, line.p80_effect_days) == (1.0, 7.5)


def test_a_decision_names_two_waiting_stages_and_counts_the_rest() -> None:
    from cio_kit.reports.brief import _few

    titles = ["Rollout", "Training", "Cutover", "Decommission"]
    assert _few(titles[:1]) == "rollout"
    assert _few(titles[:2]) == "rollout and training"
    assert _few(titles[:3]) == "rollout and training and 1 more"
    assert _few(titles) == "rollout and training and 2 more"


def test_the_bundled_page_one(in_root: Path, cli: Callable[..., Any]) -> None:
    """The headline's figures are the pack's own: forecast, slip, P80, EAC range, decisions, largest risk."""
    document = json.loads(cli("report", "board", "--format", "json").stdout)
    (plan,) = document["plans"]
    headline = plan["headline"]
    assert 3 <= len(headline) <= 5
    when = headline[0]
    assert f"forecast to finish on {plan['forecast_last_day']}" in when
    assert f"P80 is {plan['p80']}" in when and f"SPI(t) {plan['spi_t']:.2f}" in when
    slip = (
        dt.date.fromisoformat(plan["forecast_last_day"]) - dt.date.fromisoformat(plan["last_day_as_written"])
    ).days
    assert f"{slip} days after the plan as written ({plan['last_day_as_written']})" in when
    assert "data centre and network refresh is running" in when  # the late critical stage, by title
    eac = plan["eac"]
    lines = 16_200_000
    assert f"{eac['low'] + lines:,.0f} (bottom-up) to {eac['high'] + lines:,.0f} CNY" in headline[1]
    assert "its high end is over the 75,000,000 envelope" in headline[1]
    assert headline[3].startswith("The board is asked for 2 decisions: Award the MES contract")
    # The register: decisions by needed_by, what waits; risks largest first, closed ones left out.
    assert [d["id"] for d in plan["decisions"]] == ["D-MES-AWARD", "D-ARCHIVE"]
    assert plan["decisions"][0]["waiting"] == ["MES training for operators and planners"]
    exposures = [(r["exposure_days"], r["exposure_cost"]) for r in plan["risks"]]
    assert exposures == sorted(exposures, key=lambda e: (-e[0], -e[1]))
    assert len(plan["risks"]) == 10 and "R-SPONSOR-CHANGE" not in {r["id"] for r in plan["risks"]}
    assert plan["risks"][0] == {
        "id": "R-DC-STORAGE", "title": "Storage for the upgraded data centre arrives late",
        "owner": "IT infrastructure manager", "status": "occurred", "probability": 1.0,
        "exposure_days": 14.0, "exposure_cost": 150000.0, "occurred_share": 1.0,
        "p80_effect_days": plan["risks"][0]["p80_effect_days"],
        "mitigation": "Landing zone built on loan storage from the vendor", "due": "2027-07-31",
        "overdue": False,
    }  # fmt: skip
    overdue = {r["id"] for r in plan["risks"] if r["overdue"]}
    assert overdue == {"R-CUSTOMISATION"}  # the RISK002 of validate
    assert [i["id"] for i in plan["issues"]] == ["I-KEYUSER-LOAD"]
    assert all("cio-kit" not in tile["reason"] and "--" not in tile["reason"] for tile in plan["tiles"])
    costs = plan["cost"]
    assert costs["p50"] <= costs["p80"] <= costs["p95"]


def test_a_plan_without_status_or_envelope_says_so(
    cli: Callable[..., Any], write_plan: Callable[..., Path], golden: Callable[[str, str], None]
) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\n"
        "stages: [{id: S-A, title: A, kind: training, duration_weeks: 2,\n"
        "          budget: [{amount: 1000, class: grow, category: training}]}]\n"
    )
    plan = json.loads(cli("report", "board", "plan.yaml", "--format", "json").stdout)["plans"][0]
    assert plan["headline"][0].startswith("As written, the plan's last day of work is 2027-01-17")
    assert plan["headline"][1] == "Planned spend is 1,000 USD; the plan sets no envelope."
    assert "No decision is waiting for the board." in plan["headline"]
    assert plan["risks"] == [] and plan["decisions"] == [] and plan["issues"] == []
    page = cli("report", "board", "plan.yaml", "--output", "b.html")
    assert page.exit_code == 0
    html = Path("b.html").read_text(encoding="utf-8")
    assert "The plan keeps no risk register" in html and "No trend: name the last board" in html
    assert "<div>Planned spend <b>1k</b> USD</div>" in html  # no "of" an envelope
    # Every section that has nothing to show says so, in the page's own words: pinned whole.
    start, end = html.index('<div class="page-one">'), html.index('<div class="landscape">')
    golden("board-page-one-empty.html", html[start:end].replace("><", ">\n<") + "\n")
    assert "Cost P50/P80/P95" not in html  # no risk register: the cost has no spread to show


def test_a_decision_lists_each_unfinished_stage_waiting_for_it_once_in_plan_order() -> None:
    from cio_kit.plan.model import Plan
    from cio_kit.reports.brief import decisions_needed

    week = {"kind": "training", "duration_weeks": 1}
    done = {"status": "done", "actual_start": "2027-01-04", "actual_finish": "2027-01-08"}
    plan = Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": "2027-01-04"},
            "decisions": [
                {"id": "D-DONE", "title": "c", "owner": "Board", "status": "taken", "taken": "2027-01-10"},
                {"id": "D-B", "title": "b", "owner": "Board", "needed_by": "2027-03-01"},
                {"id": "D-A", "title": "a", "owner": "CFO", "needed_by": "2027-02-01"},
                {"id": "D-C", "title": "d", "owner": "CIO", "needed_by": "2027-02-15"},
            ],
            "stages": [
                {"id": "S-1", "title": "one", **week, "depends_on": ["D-B", "D-A", "D-B"]},
                {"id": "S-2", "title": "two", **week, "depends_on": ["D-B"], **done},
                {"id": "S-3", "title": "three", **week, "depends_on": ["D-B"]},
                {"id": "S-4", "title": "four", **week, "depends_on": ["D-DONE"]},
                {"id": "S-5", "title": "five", **week, "depends_on": ["D-B"], "status": "cancelled"},
            ],
        }
    )
    found = decisions_needed(plan, dt.date(2027, 2, 15))
    # D-C is needed on the status date itself: not overdue yet, and nothing waits for it.
    assert [(d.id, d.owner, d.waiting, d.overdue) for d in found] == [
        ("D-A", "CFO", ("one",), True),
        ("D-C", "CIO", (), False),
        ("D-B", "Board", ("one", "three"), False),
    ]


def test_the_trend_says_how_each_figure_moved_since_the_oldest_point() -> None:
    """Three status dates, newest first: the change is newest − oldest, the middle one ignored."""
    from types import SimpleNamespace

    from cio_kit.render.board_brief import trend
    from cio_kit.reports.trend import TrendPoint

    def point(day: str, spi_t: float | None, cpi: float | None, last: str, p80: str | None) -> TrendPoint:
        when = dt.date.fromisoformat
        return TrendPoint(
            when(day), "c0ffee" + day, 0.9, cpi, spi_t, when(last), None if p80 is None else when(p80),
            None, None, 0, 1,
        )  # fmt: skip

    def since(*points: TrendPoint) -> str:
        return trend(SimpleNamespace(trend=points, trend_note=None))  # type: ignore[arg-type]

    newest = point("2027-06-30", 0.80, 1.05, "2028-03-31", "2028-05-01")
    middle = point("2027-05-31", 0.70, 0.50, "2027-12-31", "2027-12-31")
    oldest = point("2027-04-30", 0.95, 1.00, "2028-03-01", "2028-04-16")
    assert since(newest, middle, oldest).startswith(
        "<p>Since 2027-04-30: SPI(t) 0.80 (-0.15), CPI 1.05 (+0.05), forecast last day 2028-03-31 (+30 d), "
        "P80 2028-05-01 (+15 d).</p>"
    )
    # A figure missing at either end, or a single point, moves by nothing shown.
    gap = point("2027-04-30", None, 1.00, "2028-03-01", None)
    assert "SPI(t) 0.80, CPI 1.05 (+0.05)" in since(newest, gap)
    assert "P80 2028-05-01.</p>" in since(newest, gap)
    assert since(newest).startswith(
        "<p>Since 2027-06-30: SPI(t) 0.80, CPI 1.05, forecast last day 2028-03-31, P80 2028-05-01."
    )
    blank = point("2027-06-30", None, None, "2028-03-31", None)
    assert "SPI(t) n/a, CPI n/a," in since(blank, oldest)


def test_page_one_milestones_and_money_figures_golden(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: Any, golden: Callable[[str, str], None]
) -> None:
    """The HTML of page one (tiles, headline, decisions, the risk register with an occurred risk, an
    overdue one and mitigation owners, issues), the milestones and the money figures of the bundled
    group plan, pinned as the reader gets them. Outside git, as board.json, so there is no trend."""
    import shutil

    from tests.conftest import ROOT

    shutil.copy(ROOT / "plans" / "hengda-group.yaml", tmp_path / "hengda-group.yaml")
    monkeypatch.chdir(tmp_path)
    done = cli("report", "board", "hengda-group.yaml", "--runs", "500", "-o", "board.html")
    assert done.exit_code == 0, done.stderr
    html = (tmp_path / "board.html").read_text(encoding="utf-8")
    start = html.index('<div class="page-one">')
    page_one = html[start : html.index('<div class="landscape">')]
    money = html[html.index("<h2>Money</h2>") : html.index("</div></div>", html.index("<h2>Money</h2>")) + 12]
    golden("board-page-one.html", page_one.replace("><", ">\n<") + "\n")
    golden("board-money-figures.html", money.replace("><", ">\n<") + "\n")


def test_a_risk_row_shows_what_was_not_measured_and_what_is_overdue() -> None:
    from cio_kit.render.board_brief import _date, _risk_row
    from cio_kit.reports.brief import RiskLine

    due = dt.date(2027, 5, 1)
    line = RiskLine("R-A", "Vendor <late>", None, "open", 0.25, 3.0, 0.0, None, None, None, None, due, True)
    row = _risk_row(line)
    # No owner, no cost, no measured effect, no mitigation: dashes; the due date red and marked.
    assert row == (
        "<tr><td><b>Vendor &lt;late&gt;</b><br><small>R-A</small></td><td>–</td>"
        "<td class=n>25%</td><td class=n>3 d</td><td class=n>–</td>"
        '<td class=n>–</td><td>–</td><td class="d late">2027-05-01</td></tr>'
    )
    # A date cell: red when late; red and "(overdue)" when overdue; plain otherwise.
    assert _date(dt.date(2027, 5, 1)) == '<td class="d">2027-05-01</td>'
    assert _date(None, late=True) == '<td class="d late">–</td>'
    assert _date(dt.date(2027, 5, 1), overdue=True) == '<td class="d late">2027-05-01 (overdue)</td>'


def test_page_one_of_a_small_register(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    """Six live risks (five shown, "1 more"), two high issues (one overdue), two decisions: one
    overdue that two stages wait for, one nothing waits for."""
    risks = "".join(
        f"  - {{id: R-{n}, title: Risk {n}, probability: 0.5, impact: {{weeks: {n}}}, stages: [S-A]}}\n"
        for n in range(1, 7)
    )
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-03-01}\n"
        f"risks:\n{risks}"
        "issues:\n"
        "  - {id: I-A, title: Key users busy, severity: high, due: 2027-02-01}\n"
        "  - {id: I-B, title: Licences short, severity: high, due: 2027-04-01}\n"
        "decisions:\n"
        "  - {id: D-A, title: Cloud or not, needed_by: 2027-02-15, options: [Cloud, On premises]}\n"
        "  - {id: D-B, title: Archive, needed_by: 2027-06-01}\n"
        "stages:\n"
        "  - {id: S-A, title: Build, kind: infrastructure, duration_weeks: 20, depends_on: [D-A]}\n"
        "  - {id: S-B, title: Train, kind: training, duration_weeks: 2, depends_on: [D-A, S-A]}\n"
    )
    assert cli("report", "board", "plan.yaml", "--runs", "50", "-o", "b.html").exit_code == 0
    html = Path("b.html").read_text(encoding="utf-8")
    assert '<p class="note">1 more live risk is in the plan.</p>' in html
    assert '<td class="d late">2027-02-01 (overdue)</td>' in html  # I-A
    assert '<td class="d">2027-04-01</td>' in html  # I-B, not yet due
    assert "Key users busy" in html and "</tr><tr>" in html.split("Key users busy")[1].split("</table>")[0]
    assert '<td class="d late">2027-02-15 (overdue)</td><td>Build; Train</td>' in html
    assert '<td class="d">2027-06-01</td><td>–</td>' in html
    assert "<b>Cloud or not</b><br><small>D-A · options: Cloud; On premises</small>" in html
    assert "<b>Archive</b><br><small>D-B</small>" in html  # no options: nothing after the id
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-03-01}\n"
        f"risks:\n{''.join(risks.splitlines(keepends=True)[:5])}"  # five: every one shown
        "stages: [{id: S-A, title: Build, kind: infrastructure, duration_weeks: 20}]\n"
    )
    assert cli("report", "board", "plan.yaml", "--runs", "50", "-o", "b.html").exit_code == 0
    html = Path("b.html").read_text(encoding="utf-8")
    assert "more live risks" not in html
    assert "</table><h2>Open high issues</h2>" in html  # nothing after the five
    assert "<p>No open issue of high severity.</p>" in html


def test_the_trend_table_row_by_row_and_its_note() -> None:
    from types import SimpleNamespace

    from cio_kit.render.board_brief import _or_dash, trend
    from cio_kit.reports.trend import TrendPoint

    when = dt.date.fromisoformat
    newest = TrendPoint(
        when("2027-06-30"), "c0ffee1234", 0.9, 1.05, 0.8, when("2028-03-31"), when("2028-05-01"),
        1000.0, 2000.0, 2, 3,
    )  # fmt: skip
    oldest = TrendPoint(
        when("2027-04-30"), "abcdef9876", None, None, None, when("2028-03-01"), None, None, None, 0, 1
    )
    shown = trend(SimpleNamespace(trend=(newest, oldest), trend_note=None))  # type: ignore[arg-type]
    assert (
        "</p><table class=wide><tr><th>Status date</th><th>Commit</th><th>SPI</th><th>CPI</th>"
        "<th>SPI(t)</th><th>Forecast</th><th>P80</th><th>EAC</th><th>Errors</th><th>Warnings</th></tr>"
    ) in shown
    assert shown.endswith(
        "</th></tr>"
        '<tr><td class="d">2027-06-30</td><td><code>c0ffee1</code></td><td class=n>0.90</td>'
        '<td class=n>1.05</td><td class=n>0.80</td><td class="d">2028-03-31</td><td class="d">2028-05-01</td>'
        "<td>1k..2k</td><td class=n>2</td><td class=n>3</td></tr>"
        '<tr><td class="d">2027-04-30</td><td><code>abcdef9</code></td><td class=n>n/a</td>'
        '<td class=n>n/a</td><td class=n>n/a</td><td class="d">2028-03-01</td><td class="d">–</td>'
        "<td>–</td><td class=n>0</td><td class=n>1</td></tr></table>"
    )
    empty = SimpleNamespace(trend=(), trend_note=None)
    assert trend(empty) == '<p class="note">No trend.</p>'  # type: ignore[arg-type]
    noted = SimpleNamespace(trend=(), trend_note="Since <v1>: no commit")
    assert trend(noted) == '<p class="note">Since &lt;v1&gt;: no commit</p>'  # type: ignore[arg-type]
    assert _or_dash("") == _or_dash(None) == "–" and _or_dash("a&b") == "a&amp;b"


def test_an_undated_milestone_has_dashes_for_its_dates_and_slip(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
        "  - {id: M-A, title: Live, kind: milestone, depends_on: [S-A]}\n"
    )
    assert cli("report", "board", "plan.yaml", "--runs", "50", "-o", "b.html").exit_code == 0
    html = Path("b.html").read_text(encoding="utf-8")
    assert (
        '<tr><td>Live<br><small>M-A</small></td><td class="d">–</td><td class="d">–</td><td class="d">–</td>'
        '<td class="d">–</td><td class=n>–</td><td class="">on plan</td></tr>'
    ) in html


CHAIN = """\
cio_kit: 1
enterprise: {name: T, plan_start: 2027-01-04, status_date: STATUS}
stages:
  - {id: S-A, title: Build, kind: infrastructure, duration_weeks: 2}
  - {id: S-B, title: Rollout, kind: infrastructure, duration_weeks: 1, depends_on: [S-A]}
"""


def test_the_cause_of_a_slip_is_the_first_critical_stage_that_moved_most(
    write_plan: Callable[..., Path],
) -> None:
    """Build (two weeks from 4 January) has not started: from the status date it starts that much
    later, and Rollout after it moves as far. The cause is Build, the first of the two."""
    from cio_kit.reports.brief import _cause
    from cio_kit.situation import Situation
    from cio_kit.validate import check_file

    def cause(text: str) -> str:
        plan = check_file(write_plan(text), True).plan
        assert plan is not None
        return _cause(Situation(plan))

    assert cause(CHAIN.replace("STATUS", "2027-02-01")) == ", mainly because build is starting 28 days late"
    assert cause(CHAIN.replace("STATUS", "2027-01-05")) == ", mainly because build is starting 1 day late"
    running = "duration_weeks: 2, status: in-progress, actual_start: 2027-01-04, percent_complete: 10}"
    assert cause(CHAIN.replace("STATUS", "2027-02-01").replace("duration_weeks: 2}", running)) == (
        ", mainly because build is running 27 days late"
    )
    assert cause(CHAIN.replace("STATUS", "2027-01-04")) == ""  # nothing moved
    assert cause(CHAIN.replace(", status_date: STATUS", "")) == ""  # no forecast


def test_a_title_inside_a_sentence_starts_lower_case_unless_it_is_an_acronym() -> None:
    from cio_kit.reports.brief import _lower

    assert [_lower(t) for t in ("Ab", "A", "ERP go-live", "Rollout", "rollout", "")] == [
        "ab",
        "A",
        "ERP go-live",
        "rollout",
        "rollout",
        "",
    ]


def test_in_a_portfolio_the_cause_names_the_other_plans_it_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ERP's build has not started by the status date (1 March, eight weeks late). The MES rollout
    waits for ERP's go-live and CRM's: as the MES plan has it (after its four-week preparation) it
    starts on day 28; in the portfolio on day 126, after ERP's ten weeks from 1 March."""
    from cio_kit.portfolio.merge import members
    from cio_kit.portfolio.situations import portfolio_situations
    from cio_kit.reports.brief import _cause
    from cio_kit.validate import load_all

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "erp.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: ERP, plan_start: 2027-01-04, status_date: 2027-03-01}\nstages:\n"
        "  - {id: S-BUILD, title: Build, kind: infrastructure, duration_weeks: 10}\n"
        "  - {id: S-GOLIVE, title: Go-live, kind: milestone, depends_on: [S-BUILD]}\n"
    )
    (plans / "crm.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: CRM, plan_start: 2027-01-04}\nstages:\n"
        "  - {id: S-CRM, title: CRM build, kind: infrastructure, duration_weeks: 4}\n"
        "  - {id: S-CRM-LIVE, title: CRM live, kind: milestone, depends_on: [S-CRM]}\n"
    )
    (plans / "mes.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: MES, plan_start: 2027-01-04}\nstages:\n"
        "  - {id: S-PREP, title: Prepare, kind: infrastructure, duration_weeks: 4}\n"
        "  - {id: S-ROLL, title: Roll out, kind: infrastructure, duration_weeks: 6,\n"
        "     depends_on: [S-PREP, erp:S-GOLIVE, crm:S-CRM-LIVE]}\n"
    )
    monkeypatch.chdir(tmp_path)
    _, situations = portfolio_situations(members(load_all([Path("plans")])))
    assert _cause(situations["mes"]) == (
        ", mainly because roll out is starting 98 days late, waiting for erp:S-GOLIVE, crm:S-CRM-LIVE"
    )
    assert _cause(situations["erp"]) == ", mainly because build is starting 56 days late"
    assert _cause(situations["crm"]) == ", mainly because CRM build is starting 56 days late"


def _figures(**changed: Any) -> Any:
    from cio_kit.reports.brief import Figures

    written = {
        "as_written": dt.date(2027, 3, 1),
        "forecast": None,
        "reference": None,
        "reference_label": "the plan as written",
        "p80": None,
        "spi_t": None,
        "eac": {},
        "lines": 0.0,
        "planned": 1000.0,
        "envelope": None,
        "currency": "CNY",
        "goals_status": "red",
        "goals_reason": "at risk: Lower cost",
    }
    return Figures(**{**written, **changed})


def _decision(title: str, needed_by: dt.date | None, *waiting: str, overdue: bool = False) -> Any:
    from cio_kit.reports.brief import DecisionNeeded

    return DecisionNeeded(f"D-{title[:3].upper()}", title, None, needed_by, (), waiting, overdue)


def _risk_row(ident: str, title: str, effect: float | None, owner: str | None = None) -> Any:
    from cio_kit.reports.brief import RiskLine

    return RiskLine(ident, title, owner, "open", 0.5, 5.0, 0.0, 0.5, effect, None, None, None, False)


def test_the_headline_says_when_what_it_costs_the_goals_the_decisions_and_the_largest_risk(
    write_plan: Callable[..., Path],
) -> None:
    from cio_kit.reports.brief import headline
    from cio_kit.situation import Situation
    from cio_kit.validate import check_file

    plan = check_file(write_plan(CHAIN.replace(", status_date: STATUS", "")), True).plan
    assert plan is not None
    situation = Situation(plan)
    decisions = [
        _decision("Choose vendor", dt.date(2027, 2, 1), "Rollout", "Training", "Cutover", overdue=True),
        _decision("Fund phase two", None),
        _decision("Approve design", dt.date(2027, 4, 1)),
        _decision("Fourth", dt.date(2027, 5, 1)),
    ]
    risks = [
        _risk_row("R-A", "ERP vendor slips", 3.0, "Ops"),
        _risk_row("R-B", "Data is dirty", 7.4),
        _risk_row("R-C", "Unmeasured", None),
    ]
    assert headline(_figures(), situation, decisions, risks) == (
        "As written, the plan's last day of work is 2027-03-01.",
        "Planned spend is 1,000 CNY; the plan sets no envelope.",
        "Goals at risk: Lower cost.",
        "The board is asked for 4 decisions: Choose vendor by 2027-02-01 (overdue), which holds up rollout "
        "and training and 1 more; Fund phase two by a date to set; Approve design by 2027-04-01.",
        "The largest schedule risk is that data is dirty: it adds 7 days to P80.",
    )
    # The goals sentence by the tile's colour and reason; one decision or none; a risk's holder.
    goals = {
        ("amber", "off track: Faster close"): ("Goals off track: Faster close.",),
        ("red", "no goal is measured"): ("No goal is measured.",),
        ("green", "every goal on track"): ("Every goal is served by live work and none is behind its line.",),
        ("grey", "no status date"): (),
    }
    for (status, reason), said in goals.items():
        sentences = headline(_figures(goals_status=status, goals_reason=reason), situation, [], risks[:1])
        assert sentences == (
            "As written, the plan's last day of work is 2027-03-01.",
            "Planned spend is 1,000 CNY; the plan sets no envelope.",
            *said,
            "No decision is waiting for the board.",
            "The largest schedule risk is that ERP vendor slips, held by Ops: it adds 3 days to P80.",
        )
    one = headline(_figures(goals_status="grey"), situation, decisions[2:3], risks[2:])
    assert one[2:] == ("The board is asked for 1 decision: Approve design by 2027-04-01.",)


def test_page_one_lists_open_high_issues_the_earliest_due_first_and_says_which_are_overdue(
    write_plan: Callable[..., Path],
) -> None:
    from cio_kit.reports.brief import open_high_issues
    from cio_kit.validate import check_file

    plan = check_file(
        write_plan(
            CHAIN.replace(", status_date: STATUS", "") + "issues:\n"
            "  - {id: I-LATER, title: Later, severity: high}\n"
            "  - {id: I-DUE, title: Due today, severity: high, due: 2027-03-01, stages: [S-B, S-A]}\n"
            "  - {id: I-PAST, title: Past, severity: high, due: 2027-02-28, owner: PMO}\n"
            "  - {id: I-LOW, title: Low, severity: medium, due: 2027-01-01}\n"
            "  - {id: I-SHUT, title: Closed, severity: high, status: closed, due: 2027-01-01}\n"
        ),
        True,
    ).plan
    assert plan is not None
    issues = open_high_issues(plan, dt.date(2027, 3, 1))
    assert [(i.id, i.owner, i.due, i.overdue, i.stages) for i in issues] == [
        ("I-PAST", "PMO", dt.date(2027, 2, 28), True, ()),
        ("I-DUE", None, dt.date(2027, 3, 1), False, ("S-B", "S-A")),
        ("I-LATER", None, None, False, ()),
    ]
    assert [i.overdue for i in open_high_issues(plan, None)] == [False, False, False]


def test_when_the_plan_finishes_against_its_reference_in_words(write_plan: Callable[..., Path]) -> None:
    from cio_kit.reports.brief import _when
    from cio_kit.situation import Situation
    from cio_kit.validate import check_file

    plan = check_file(write_plan(CHAIN.replace(", status_date: STATUS", "")), True).plan
    assert plan is not None
    undated = Situation(plan)  # no forecast: no cause to name
    march, april = dt.date(2027, 3, 1), dt.date(2027, 4, 1)
    assert _when(_figures(as_written=None), undated) == (
        "As written, the plan's last day of work is an undated finish."
    )
    assert _when(_figures(p80=april), undated) == (
        "As written, the plan's last day of work is 2027-03-01; with the register's risks, P80 is 2027-04-01."
    )
    on_time = _figures(forecast=march, reference=march, reference_label="the baseline")
    assert (
        _when(on_time, undated) == "The plan is forecast to finish on 2027-03-01, on or before the baseline."
    )
    late = _figures(forecast=dt.date(2027, 3, 2), reference=march, reference_label="the baseline", spi_t=0.8)
    assert _when(late, undated) == (
        "The plan is forecast to finish on 2027-03-02, 1 day after the baseline (2027-03-01). "
        "The work done was planned to take 80% of the time spent (SPI(t) 0.80)."
    )
    for spi_t in (None, 1.0, 1.5):  # not behind: no second sentence
        assert _when(replace(late, spi_t=spi_t, p80=april), undated) == (
            "The plan is forecast to finish on 2027-03-02, 1 day after the baseline (2027-03-01); "
            "with the register's risks, P80 is 2027-04-01."
        )


def test_what_it_costs_against_the_envelope_as_a_range_of_estimates() -> None:
    from cio_kit.reports.brief import _cost

    methods = {"cpi": 900.0, "composite": 1200.0, "bottom-up": 1000.0}
    assert _cost(_figures(eac={"cpi": 900.0}, lines=100.0)) == (
        "The estimate at completion, with 100 of budget lines, is 1,000 CNY (at the cost efficiency so far); "
        "the plan sets no envelope."
    )
    assert _cost(_figures(eac=methods, envelope=1100.0)) == (
        "The estimate at completion is 900 (at the cost efficiency so far) to 1,200 CNY (with the schedule "
        "pressure): its high end is over the 1,100 envelope."
    )
    assert _cost(_figures(eac=methods, envelope=800.0)).endswith(
        ", over the 800 envelope even at its lowest."
    )
    assert _cost(_figures(eac=methods, envelope=1200.0)).endswith(", within the 1,200 envelope.")
    assert _cost(_figures(eac=methods, envelope=900.0)).endswith(": its high end is over the 900 envelope.")
    assert _cost(_figures()) == "Planned spend is 1,000 CNY; the plan sets no envelope."
    assert _cost(_figures(envelope=999.0)) == "Planned spend is 1,000 CNY, over the 999 envelope."
    assert _cost(_figures(envelope=1000.0)) == "Planned spend is 1,000 CNY, within the 1,000 envelope."


def test_live_risks_rank_by_time_exposure_then_by_money_then_by_id(write_plan: Callable[..., Path]) -> None:
    """R-B and R-C both expose 5 days (0.5 × 10); R-C's 0.5 × 800 = 400 outranks R-B's 50. R-D is
    closed and not listed; R-A exposes 9 days (occurred, certain)."""
    from cio_kit.reports.brief import risk_lines
    from cio_kit.validate import check_file

    plan = check_file(
        write_plan(
            CHAIN.replace(", status_date: STATUS", "") + "risks:\n"
            "  - {id: R-B, title: B, probability: 0.5, impact: {days: 10, cost: 100}}\n"
            "  - {id: R-D, title: D, probability: 0.9, impact: {days: 90}, status: closed}\n"
            "  - {id: R-C, title: C, probability: 0.5, impact: {days: 10, cost: 800}}\n"
            "  - {id: R-A, title: A, probability: 0.1, impact: {days: 9}, status: occurred}\n"
            "  - {id: R-E, title: E, probability: 0.5, impact: {days: 10, cost: 100}}\n"
        ),
        True,
    ).plan
    assert plan is not None
    assert [(r.id, r.exposure_days, r.exposure_cost) for r in risk_lines(plan, None, None)] == [
        ("R-A", 9.0, 0.0),
        ("R-C", 5.0, 400.0),
        ("R-B", 5.0, 50.0),
        ("R-E", 5.0, 50.0),
    ]
