"""The decision reports: figures worked out by hand on tests/data/report-small.yaml, goldens, CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cio_kit.render import budget as budget_views
from cio_kit.render import gaps as gaps_views
from cio_kit.render import readiness as readiness_views
from cio_kit.reports.budget import budget_report
from cio_kit.reports.gaps import gaps_report
from cio_kit.reports.readiness import readiness
from cio_kit.validate import check_file

SMALL = Path(__file__).parent / "data" / "report-small.yaml"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "lessons"


@pytest.fixture(scope="module")
def small() -> Any:
    loaded = check_file(SMALL, True)
    assert not loaded.blocked
    return loaded


def test_budget_figures_by_hand(small: Any) -> None:
    report = budget_report(small.plan)
    # Stages: S-A 1000 transform, S-B 4000 transform + 1000 grow, S-C 600 transform; S-X is cancelled.
    # B-RUN 2000 run per year; the plan spans fiscal year 2027 only.
    assert report.total == pytest.approx(8600)
    shares = {c.budget_class: c.share for c in report.classes}
    assert shares == pytest.approx({"run": 2000 / 8600, "grow": 1000 / 8600, "transform": 5600 / 8600})
    assert {c.budget_class: c.status for c in report.classes} == {
        "run": "ok",
        "grow": "ok",
        "transform": "ok",
    }
    assert report.capex == pytest.approx(4000) and report.opex == pytest.approx(4600)
    assert report.categories == pytest.approx(
        {"software": 4000, "maintenance": 2000, "process-redesign": 1000, "services": 1000, "training": 600}
    )
    assert report.years == {2027: pytest.approx({"run": 2000, "grow": 1000, "transform": 5600})}
    # S-C runs 2027-03-22 to 2027-04-05: 10 of its 14 days in Q1, 4 in Q2; B-RUN is 500 a quarter.
    assert report.quarters == pytest.approx(
        {
            "2027-Q1": 1000 + 5000 + 600 * 10 / 14 + 500,
            "2027-Q2": 600 * 4 / 14 + 500,
            "2027-Q3": 500,
            "2027-Q4": 500,
        }
    )
    # S-B serves both goals, so its 5000 is split 2500/2500; the unsplit view counts it twice.
    assert report.goals == pytest.approx({"G-1": 1000 + 2500, "G-2": 2500 + 600})
    assert report.goals_unsplit == pytest.approx({"G-1": 6000, "G-2": 5600})
    assert sum(report.goals.values()) + report.no_goal == pytest.approx(report.stage_total)
    assert report.stage_total == pytest.approx(6600) and report.lines_total == pytest.approx(2000)
    assert report.revenue_share == pytest.approx({2027: 0.0086})
    assert report.actual_total == pytest.approx(2900) and report.overruns == ()


def test_earned_value_by_hand(small: Any) -> None:
    ev = budget_report(small.plan).earned_value
    assert ev is not None
    # Day 28: S-A (days 0-28) fully planned; S-B starts on day 28; S-C on day 77.
    assert ev.pv == pytest.approx(1000)
    assert ev.ev == pytest.approx(1000 + 5000 * 0.25)
    assert ev.ac == pytest.approx(2900)
    assert ev.spi == pytest.approx(2.25)
    assert ev.cpi == pytest.approx(2250 / 2900)


def test_readiness_by_hand(small: Any) -> None:
    report = readiness(small.plan)
    states = {s.id: s.state for s in report.stages}
    assert states == {"S-A": "done", "S-B": "in-progress", "S-C": "waiting", "S-X": "cancelled"}
    [reason] = next(s for s in report.stages if s.id == "S-C").reasons
    assert reason.code == "not-before"
    assert report.next_up == ()
    assert report.stage_share == pytest.approx(1 / 3)
    assert report.budget_share == pytest.approx(1000 / 6600)
    [group] = report.groups
    assert group.first_barrier == "knowledge"
    assert group.rollouts == ("S-B",)
    assert [(a.type, a.before_rollouts) for a in group.actions] == [("training", False)]


def test_readiness_reasons(write_plan: Callable[..., Path]) -> None:
    path = write_plan(
        """\
cio_kit: 1
enterprise: {name: T}
processes: [{id: P-1}]
stakeholders:
  - {id: SG-1, adkar: {awareness: 4, desire: 2, knowledge: 4, ability: 4, reinforcement: 1}}
stages:
  - {id: S-A, title: A, kind: infrastructure, duration_weeks: 1}
  - {id: S-R, title: R, kind: process-redesign, processes: [P-1], duration_weeks: 1, status: in-progress}
  - {id: S-B, title: B, kind: system-rollout, processes: [P-1], depends_on: [S-R], duration_weeks: 1,
     owner: X, affects: [SG-1], budget: [{amount: 1, class: run, category: software}]}
  - {id: S-C, title: C, kind: training, duration_weeks: 1, owner: X, status: blocked}
"""
    )
    report = readiness(check_file(path, True).plan)
    reasons = {s.id: [r.code for r in s.reasons] for s in report.stages}
    assert reasons["S-A"] == ["no-owner", "no-budget"]
    assert reasons["S-B"] == ["predecessor-not-done", "process-not-redesigned", "adkar-barrier"]
    assert reasons["S-C"] == ["status-blocked"]
    assert {s.id: s.state for s in report.stages} == {
        "S-A": "blocked",
        "S-R": "in-progress",
        "S-B": "waiting",
        "S-C": "blocked",
    }


@pytest.mark.parametrize(
    ("example", "lesson", "coverage"),
    [
        # Three groups, none with the actions its impacts need; the one process redesigned first.
        ("lesson1-people.yaml", "people", {"goals": (1, 1), "groups": (0, 3), "processes": (1, 1)}),
        (
            "lesson2-driver.yaml",
            "driver",
            {"goals": (1, 1), "duties": (7, 7), "groups": (0, 0), "processes": (0, 0)},
        ),
        # The ERP rollout automates a process never redesigned (DEP002): 0 of 1.
        ("lesson3-chicken-and-egg.yaml", "order", {"goals": (1, 1), "groups": (0, 0), "processes": (0, 1)}),
        # The one offence judged is sanctioned by rank (GOV002): 0 of 1 uniform.
        (
            "lesson4-fairness.yaml",
            "fairness",
            {"goals": (0, 0), "groups": (1, 1), "processes": (0, 0), "offences": (0, 1)},
        ),
    ],
)
def test_each_lesson_example_tops_report_gaps(
    example: str, lesson: str, coverage: dict[str, tuple[int, int]]
) -> None:
    loaded = check_file(EXAMPLES / example, True)
    report = gaps_report(loaded.plan, loaded.findings)
    assert report.lessons[0].key == lesson
    assert report.lessons[0].findings
    assert {c.key.split("_")[0]: (c.covered, c.total) for c in report.coverage} == coverage


def test_gaps_coverage(small: Any) -> None:
    report = gaps_report(small.plan, small.findings)
    coverage = {c.key: (c.covered, c.total) for c in report.coverage}
    assert coverage == {
        "goals_served": (2, 2),
        "groups_prepared": (0, 1),  # SG-1 is trained only after the rollout (PEOPLE001)
        "processes_redesigned_first": (1, 1),
        "offences_uniform": (0, 0),
    }
    assert report.lessons[0].key == "people"


def test_a_cio_without_duties_owns_none_of_the_seven(write_plan: Callable[..., Path]) -> None:
    """With a CIO but no duties written, duty coverage is 0 of 7 (SPEC's seven duties), not left out."""
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: C}\ncio: {holder: Li Wei}\nstages:\n"
        "  - {id: S-A, title: Kickoff, kind: change-management, duration_weeks: 2, objective: o}\n"
    )
    loaded = check_file(path, True)
    assert loaded.plan is not None
    coverage = {c.key: (c.covered, c.total) for c in gaps_report(loaded.plan, loaded.findings).coverage}
    assert coverage["duties_owned"] == (0, 7)


@pytest.mark.parametrize("width", [80, 140])
def test_text_goldens(small: Any, golden: Callable[[str, str], None], width: int) -> None:
    for name, text in (
        ("readiness", lambda c: readiness_views.readiness_text(readiness(small.plan), c)),
        ("budget", lambda c: budget_views.budget_text(budget_report(small.plan), c)),
        ("gaps", lambda c: gaps_views.gaps_text(gaps_report(small.plan, small.findings), c)),
    ):
        buffer = StringIO()
        text(Console(file=buffer, width=width, color_system=None))
        golden(f"report-{name}-{width}.txt", buffer.getvalue())
        assert all(len(line) <= width for line in buffer.getvalue().splitlines()), name


def test_json_and_markdown_goldens(small: Any, golden: Callable[[str, str], None]) -> None:
    golden("report-readiness.json", readiness_views.readiness_json(readiness(small.plan)))
    golden("report-readiness.md", readiness_views.readiness_markdown(readiness(small.plan)))
    golden("report-budget.json", budget_views.budget_json(budget_report(small.plan)))
    golden("report-budget.md", budget_views.budget_markdown(budget_report(small.plan)))
    golden("report-gaps.json", gaps_views.gaps_json(gaps_report(small.plan, small.findings)))
    golden("report-gaps.md", gaps_views.gaps_markdown(gaps_report(small.plan, small.findings)))


@pytest.mark.parametrize("name", ["readiness", "budget", "gaps"])
def test_report_cli(cli: Any, in_root: Path, name: str) -> None:
    for output_format in ("text", "json", "markdown"):
        result = cli("report", name, "--format", output_format)
        assert result.exit_code == 0, result.output
        # Each format names the plan it reports on (the JSON as a value, the others in a heading).
        assert "Hengda" in result.stdout, output_format
    document = json.loads(cli("report", name, "--format", "json").stdout)
    assert document, name


def test_output_and_export(cli: Any, write_plan: Callable[..., Path], tmp_path: Path) -> None:
    write_plan(SMALL.read_text(encoding="utf-8"))
    (tmp_path / "out.json").write_text("old")
    result = cli("report", "budget", "plan.yaml", "-f", "json", "-o", "out.json", "--export", "budget.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads((tmp_path / "out.json").read_text())["total"] == 8600
    assert "<html" in (tmp_path / "budget.html").read_text().lower()
    assert cli("report", "gaps", "plan.yaml", "--export", "gaps.svg").exit_code == 0
    assert (tmp_path / "gaps.svg").read_text().startswith("<svg")
    assert cli("report", "gaps", "plan.yaml", "--export", "gaps.pdf").exit_code == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_fail_on(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(SMALL.read_text(encoding="utf-8"))
    assert cli("report", "gaps", "plan.yaml").exit_code == 0
    assert cli("report", "gaps", "plan.yaml", "--fail-on", "error").exit_code == 1


def test_exports_make_no_network_request_and_do_not_split_numbers(
    cli: Callable[..., Any], in_root: Path, tmp_path: Path
) -> None:
    """The SVG export carries no web-font URL; the HTML export keeps "1,234,567" in one span."""
    svg, html = tmp_path / "budget.svg", tmp_path / "budget.html"
    assert cli("report", "budget", "--export", str(svg)).exit_code == 0
    assert cli("report", "budget", "--export", str(html)).exit_code == 0
    assert "url(" not in svg.read_text().split("<style>")[1].split("</style>")[0]  # no font to fetch
    text = html.read_text()
    assert "75,000,000" in text  # the envelope, not broken apart by the number highlighter


def test_readiness_does_not_ask_a_milestone_for_an_owner(write_plan: Callable[..., Path]) -> None:
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T}\nstages:\n  - {id: M-A, title: M, kind: milestone}\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 1}\n"
    )
    reasons = {s.id: [r.code for r in s.reasons] for s in readiness(check_file(path, True).plan).stages}
    assert reasons == {"M-A": [], "S-A": ["no-owner"]}


def test_the_gaps_export_has_every_finding(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    """The terminal shows three findings a lesson; the file for an email shows them all."""
    stages = "".join(f"  - {{id: S-{n}, title: T, kind: training, duration_weeks: 1}}\n" for n in range(6))
    write_plan(f"cio_kit: 1\nenterprise: {{name: T}}\nstages:\n{stages}")
    terminal = cli("report", "gaps", "plan.yaml", "--export", "gaps.html")
    assert terminal.exit_code == 0 and "and 3 more" in terminal.stdout
    exported = Path("gaps.html").read_text()
    assert all(f"S-{n} has no objective" in exported for n in range(6)) and "more (see" not in exported


def test_budget_years_split_exactly_at_the_fiscal_year_boundary(write_plan: Callable[..., Path]) -> None:
    """Fiscal years start on 1 April: a 14-day stage from 25 March is 7 days in FY2026, 7 in FY2027."""
    import datetime as dt

    from cio_kit.analysis.schedule import compute
    from cio_kit.analysis.spend import fiscal_year, stage_years

    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-03-25, fiscal_year_start: 04-01}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    )
    plan = check_file(path, True).plan
    assert fiscal_year(plan, dt.date(2027, 3, 31)) == 2026 and fiscal_year(plan, dt.date(2027, 4, 1)) == 2027
    assert stage_years(plan, compute(plan), 0) == pytest.approx({2026: 0.5, 2027: 0.5})


def test_years_and_quarters_split_a_stage_the_same_way(write_plan: Callable[..., Path]) -> None:
    """One spreading function: a stage across 1 April (fiscal year start) splits alike into FY and Q."""
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-03-25, fiscal_year_start: 04-01}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 2,"
        " budget: [{amount: 1400, class: grow, category: training}]}\n"
    )
    report = budget_report(check_file(path, True).plan)
    assert report.years == {2026: pytest.approx({"run": 0, "grow": 700, "transform": 0}),
                            2027: pytest.approx({"run": 0, "grow": 700, "transform": 0})}  # fmt: skip
    assert report.quarters == pytest.approx({"2026-Q4": 700, "2027-Q1": 700})


def test_a_plan_in_the_calendar_s_last_year_still_has_a_budget(
    cli: Callable[..., Any], write_plan: Any
) -> None:
    """The fiscal year after 9999 has no first day; the spreading stops at the calendar's end."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 9999-10-04, fiscal_year_start: 04-01}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 2,"
        " budget: [{amount: 1, class: grow, category: training}]}\n"
    )
    result = cli("report", "budget", "plan.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["quarters"] == {"9999-Q3": 1.0}


def test_gaps_in_colour_at_every_level_of_coverage(golden: Callable[[str, str], None]) -> None:
    """Coverage is green when whole, yellow from half, red below half and dim without anything to
    cover; a lesson is bold red with an error, yellow with warnings, cyan with infos alone, and a
    tick with no gaps. At 64 columns the bars keep their least width of 10."""
    from rich.console import Console

    from cio_kit.findings import Finding, Severity
    from cio_kit.render.gaps import gaps_text
    from cio_kit.reports.gaps import Coverage, GapsReport, LessonGaps

    def finding(rule: str, severity: Severity) -> Finding:
        return Finding("plan.yaml", 3, 1, rule, "stages[0]", f"{rule} says [so]", severity, "S-A")

    report = GapsReport(
        "Acme",
        (
            LessonGaps("people", "People see it differently", (finding("PEOPLE001", Severity.ERROR),)),
            LessonGaps("cio", "The CIO drives", (finding("CIO001", Severity.WARNING),) * 5),
            LessonGaps("process", "Redesign first", (finding("DEP005", Severity.INFO),)),
            LessonGaps("fairness", "The same sanction", ()),
        ),
        (
            Coverage("a", "Stages with an owner", "cio", 4, 4),
            Coverage("d", "Offences with a sanction", "fairness", 0, 0),
            Coverage("b", "Rollouts after a redesign", "process", 1, 2),
            Coverage("c", "Groups briefed", "people", 49, 100),
        ),
    )
    console = Console(record=True, width=100, color_system="standard", force_terminal=True, highlight=False)
    gaps_text(report, console)
    golden("gaps-colour.ansi", console.export_text(styles=True, clear=False))
    assert "  … and 2 more (see `cio-kit plan validate`)\n" in console.export_text()
    narrow = Console(record=True, width=64, color_system=None)
    gaps_text(report, narrow, per_lesson=None)
    lines = narrow.export_text().splitlines()
    assert lines[1] == "Stages with an owner" + " " * 25 + "█" * 10 + " 4/4"
    assert lines[2] == "Offences with a sanction" + " " * 21 + "—" + " " * 9 + " n/a"
    assert lines[4].startswith("Groups briefed")  # the lines after one with nothing to cover still show
    assert "more (see" not in narrow.export_text()
    # One finding past the three shown is still counted; a share is given to four decimals in JSON.
    from cio_kit.render.gaps import gaps_json

    four = (finding("CIO001", Severity.WARNING),) * 4
    one_more = GapsReport(
        "Acme", (LessonGaps("cio", "The CIO drives", four),), (Coverage("a", "Owned", "cio", 1, 3),)
    )
    console = Console(record=True, width=100, color_system=None)
    gaps_text(one_more, console)
    assert "  … and 1 more (see `cio-kit plan validate`)\n" in console.export_text()
    assert json.loads(gaps_json(one_more))["coverage"][0]["share"] == 0.3333


# P-A is redesigned before the ERP automates it, P-B after (DEP002), P-C redesigned and never automated.
# OFF-A is sanctioned alike at both ranks; OFF-B's manager got less than the ladder's second step
# (GOV002 names the offence; GOV005 says the same of the ranks, naming nothing).
MIXED = """\
cio_kit: 1
enterprise: {name: Gaps Co, plan_start: 2027-01-04}
processes:
  - {id: P-A, name: Order to cash, owner: CFO}
  - {id: P-B, name: Procure to pay, owner: CFO}
  - {id: P-C, name: Hire to retire, owner: HR director}
stages:
  - {id: S-RED-A, title: Redesign O2C, kind: process-redesign, processes: [P-A], duration_weeks: 2,
     objective: o, exit_criteria: [e]}
  - {id: S-RED-C, title: Redesign H2R, kind: process-redesign, processes: [P-C], duration_weeks: 2,
     objective: o, exit_criteria: [e]}
  - {id: S-ROLL, title: ERP, kind: system-rollout, processes: [P-A, P-B], depends_on: [S-RED-A],
     duration_weeks: 4, objective: o, exit_criteria: [e]}
  - {id: S-RED-B, title: Redesign P2P, kind: process-redesign, processes: [P-B], depends_on: [S-ROLL],
     duration_weeks: 2, objective: o, exit_criteria: [e]}
governance:
  policy:
    {published: 2027-01-01, applies_to: all, counselling: {provider: HR, offered_to: []}}
  offences:
    - {id: OFF-A, name: Late entry, severity: minor, ladder: [coaching, verbal-warning]}
    - {id: OFF-B, name: Bypassing the system, severity: major, ladder: [verbal-warning, written-warning]}
  cases:
    - {id: C-1, offence: OFF-A, rank: staff, occurrence: 1, sanction: coaching, decided: 2027-02-01}
    - {id: C-2, offence: OFF-A, rank: manager, occurrence: 1, sanction: coaching, decided: 2027-02-02}
    - {id: C-3, offence: OFF-B, rank: staff, occurrence: 2, sanction: written-warning, decided: 2027-02-03}
    - {id: C-4, offence: OFF-B, rank: manager, occurrence: 2, sanction: verbal-warning, decided: 2027-02-04}
"""


def test_coverage_counts_only_what_its_own_rules_fault(write_plan: Callable[..., Path]) -> None:
    path = write_plan(MIXED)
    loaded = check_file(path, True)
    assert loaded.plan is not None
    assert sorted(f.rule for f in loaded.findings) == ["BUDGET004", "DEP002", "GOV002", "GOV005"]
    coverage = {c.key: (c.covered, c.total) for c in gaps_report(loaded.plan, loaded.findings).coverage}
    assert coverage["processes_redesigned_first"] == (1, 2)  # P-A of P-A and P-B; P-C is not automated
    assert coverage["offences_uniform"] == (1, 2)  # OFF-A of OFF-A and OFF-B
