"""The budget report in Markdown, text and JSON, and the figures behind it (SPEC §7, §10).

Most tests use PLAN, which sets no approved envelope: S-OVER had 1,000 budgeted and cost 1,500 so
far (an overrun of 500); S-FREE is done at no cost against a budget of 200 (nothing over). With a
baseline the earned-value line names it. The last tests write their own plans: amounts with a third
decimal, a one-off budget line, the class limits at their edges.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

PLAN = """\
cio_kit: 1
enterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-02-01}
stages:
  - {id: S-OVER, title: Over, kind: infrastructure, duration_weeks: 8, status: in-progress,
     actual_start: 2027-01-04, percent_complete: 50, actual_cost: 1500,
     budget: [{amount: 1000, class: grow, category: hardware}]}
  - {id: S-FREE, title: Free, kind: training, duration_weeks: 1, status: done,
     actual_start: 2027-01-04, actual_finish: 2027-01-08, actual_cost: 0,
     budget: [{amount: 200, class: grow, category: services}]}
"""


def test_markdown_without_an_envelope_lists_the_overrun(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN)
    markdown = cli("report", "budget", "plan.yaml", "-f", "markdown").stdout
    assert "Planned spend **1,200 USD**: stage budgets 1,200," in markdown
    assert (
        "\n\n| Overrun | Planned | Actual | Over |\n|---|---:|---:|---:|\n| S-OVER | 1,000 | 1,500 | 500 |\n"
        in markdown
    )
    assert "| S-FREE |" not in markdown.split("| Overrun |")[1]
    assert "(no baseline: planned value from the plan as written; stage budgets only)" in markdown


def test_text_without_an_envelope(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN)
    text = cli("report", "budget", "plan.yaml").stdout
    assert "Planned 1,200 = stage budgets 1,200 + " in text
    assert "approved" not in text
    # Shares and amounts right-aligned, names and limits left: "0%" under "100%", "0" under "1,200".
    split = text[text.index("Run / grow / transform\n") :].splitlines()[1:4]
    assert split == [
        "run       " + " " * 40 + "   0%     0 ≤ 70% (alarm 80%)",
        "grow      " + "█" * 40 + " 100% 1,200                  ",
        "transform " + " " * 40 + "   0%     0 ≥ 10%            ",
    ]


def test_the_earned_value_line_names_the_baseline(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN)
    write_plan(PLAN, name="v1.yaml")
    markdown = cli("report", "budget", "plan.yaml", "--baseline", "v1.yaml", "-f", "markdown").stdout
    assert "Earned value at 2027-02-01 (baseline v1.yaml; stage budgets only): PV " in markdown
    text = cli("report", "budget", "plan.yaml", "--baseline", "v1.yaml").stdout
    assert "\nEarned value at 2027-02-01 (baseline v1.yaml)\n" in text


def test_text_names_the_overrun_under_a_red_heading(write_plan: Callable[..., Path]) -> None:
    from cio_kit.render.budget import budget_text
    from cio_kit.reports.budget import budget_report
    from cio_kit.validate import check_file
    from tests.conftest import printed

    plan = check_file(write_plan(PLAN), True).plan
    assert plan is not None
    report = budget_report(plan)
    assert "\nOverruns\nS-OVER: planned 1,000, actual 1,500 (+500)\n" in printed(
        lambda c: budget_text(report, c)
    )
    assert "\x1b[1;31mOverruns\x1b[0m\n" in printed(lambda c: budget_text(report, c), colour=True)


def test_a_year_is_red_only_when_it_spends_more_than_its_envelope(write_plan: Callable[..., Path]) -> None:
    from cio_kit.render.budget import year_table
    from cio_kit.reports.budget import budget_report
    from cio_kit.validate import check_file
    from tests.conftest import printed

    def total_cell(envelope: int) -> str:
        text = PLAN.replace("stages:\n", f"budget: {{years: {{2027: {envelope}}}}}\nstages:\n")
        plan = check_file(write_plan(text), True).plan
        assert plan is not None
        shown = printed(lambda console: console.print(year_table(budget_report(plan))), colour=True)
        (row,) = [line for line in shown.splitlines() if "2027" in line]
        return row

    assert "\x1b[1;31m1,200\x1b[0m" in total_cell(1199)  # 1,200 planned against 1,199
    assert "\x1b[1;31m" not in total_cell(1200) and "1,200" in total_cell(1200)  # exactly the envelope


def test_json_keeps_every_amount_to_the_cent(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Amounts with a third decimal, each rounded to two: 1,000.004 → 1,000.0, 10.007 → 10.01."""
    import json

    write_plan(
        "cio_kit: 1\n"
        "enterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-02-01}\n"
        "goals: [{id: G-A, title: A}]\n"
        "resources: [{id: R-A, capacity: 1, day_rate: 100.0006}]\n"
        "budget:\n  lines: [{id: B-A, amount: 10.007, year: 2027, class: run, category: maintenance}]\n"
        "stages:\n"
        "  - {id: S-OVER, title: Over, kind: infrastructure, duration_weeks: 8, status: in-progress,\n"
        "     actual_start: 2027-01-04, percent_complete: 50, actual_cost: 1500.006, serves: [G-A],\n"
        "     effort: {R-A: 1},\n"
        "     budget: [{amount: 1000.004, class: grow, category: hardware, capex: true}]}\n"
    )
    document = json.loads(cli("report", "budget", "plan.yaml", "-f", "json").stdout)
    assert (document["total"], document["stage_total"], document["lines_total"]) == (1010.01, 1000.0, 10.01)
    assert (document["actual_total"], document["capex"], document["opex"]) == (1500.01, 1000.0, 10.01)
    assert [c["amount"] for c in document["classes"]] == [10.01, 1000.0, 0.0]
    assert document["categories"] == {"hardware": 1000.0, "maintenance": 10.01}
    assert document["goals_unsplit"] == {"G-A": 1000.0}
    (stage,) = document["stages"]
    assert (stage["planned"], stage["overrun"]) == (1000.0, 500.0)
    earned = document["earned_value"]
    assert (earned["earned_value"], earned["actual_cost"]) == (500.0, 1500.01)
    assert document["personnel_estimate"] == {"total": 100.0, "stages": {"S-OVER": 100.0}}


def test_a_one_off_line_counts_once_in_the_first_year_and_capex_adds_up(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """A two-year plan (2027-2028): a one-off line with no year counts once, in 2027's quarters; a
    capex line adds to the capex of a capex stage budget (600 + 400 = 1,000)."""
    import json

    write_plan(
        "cio_kit: 1\n"
        "enterprise: {name: T, plan_start: 2027-01-04}\n"
        "budget:\n  lines:\n"
        "    - {id: B-ONCE, amount: 800, class: run, category: software}\n"
        "    - {id: B-KIT, amount: 400, year: 2028, class: grow, category: hardware, capex: true}\n"
        "stages:\n"
        "  - {id: S-A, title: A, kind: infrastructure, duration_weeks: 70,\n"
        "     budget: [{amount: 600, class: grow, category: hardware, capex: true}]}\n"
    )
    document = json.loads(cli("report", "budget", "plan.yaml", "-f", "json").stdout)
    assert document["categories"]["software"] == 800
    assert document["capex"] == 1000 and document["opex"] == 800
    quarters = document["quarters"]
    assert all(quarters[f"2027-Q{q}"] >= 200 for q in range(1, 5))  # 800 / 4 in each of 2027's
    assert sum(quarters.values()) == 1800
    assert set(quarters) == {f"{year}-Q{q}" for year in (2027, 2028) for q in range(1, 5)}


def test_class_limits_hold_at_their_edges(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Run at exactly 70% is within the 70% warning line and at exactly 80% within the 80% alarm;
    transform at exactly 10% meets its minimum; with nothing planned nothing is short; half a unit
    of run alone leaves transform short."""
    import json

    def statuses(**amounts: float) -> dict[str, str]:
        budget = ", ".join(
            f"{{amount: {amount}, class: {name}, category: services}}" for name, amount in amounts.items()
        )
        write_plan(
            "cio_kit: 1\nenterprise: {name: T}\nstages:\n"
            f"  - {{id: S-A, title: A, kind: infrastructure, duration_weeks: 1, budget: [{budget}]}}\n"
        )
        document = json.loads(cli("report", "budget", "plan.yaml", "-f", "json").stdout)
        return {c["class"]: c["status"] for c in document["classes"]}

    assert statuses(run=70, grow=20, transform=10) == {"run": "ok", "grow": "ok", "transform": "ok"}
    assert statuses(run=80, transform=20)["run"] == "warning"
    assert statuses()["transform"] == "ok"
    assert statuses(run=0.5)["transform"] == "warning"
