"""One truth (SPEC §16): every view shows the plan as it stands, from one situation, one set of thresholds.

Each test named after a contradiction the views used to show; the invariants
run across commands on generated plans (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cio_kit.cli import app

START = dt.date(2027, 1, 4)


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})


@st.composite
def plans_under_way(draw: st.DrawFn) -> str:
    """A chain-and-branch plan at a status date: done stages before it, one in progress, the rest planned.

    Progress is consistent (no SCHED003): done stages end before the status date
    at their planned days or later, the running one started on its planned day.
    """
    count = draw(st.integers(2, 7))
    weeks = [draw(st.integers(1, 6)) for _ in range(count)]
    links = [[] if n == 0 else [draw(st.integers(0, n - 1))] for n in range(count)]
    budgets = [draw(st.sampled_from([0, 1000, 5000, 20000])) for _ in range(count)]
    starts: list[int] = []
    for n in range(count):  # the schedule as written, in days
        starts.append(max([starts[p] + 7 * weeks[p] for p in links[n]], default=0))
    finish = max(s + 7 * w for s, w in zip(starts, weeks, strict=True))
    status = draw(st.integers(1, finish))
    slack = draw(st.integers(0, 20))  # how many days late the done work finished
    lines = [
        "cio_kit: 1",
        f"enterprise: {{name: Gen Co, plan_start: {START}, "
        f"status_date: {START + dt.timedelta(days=status)}}}",
        "stages:",
    ]
    finished: set[int] = set()
    for n in range(count):
        fields = [f"id: S-{n}", f"title: Stage {n}", "kind: training", f"duration_weeks: {weeks[n]}"]
        if links[n]:
            fields.append(f"depends_on: [S-{links[n][0]}]")
        if budgets[n]:
            fields.append(f"budget: [{{amount: {budgets[n]}, class: transform, category: training}}]")
        begin, end = starts[n], starts[n] + 7 * weeks[n] + slack
        ready = all(p in finished for p in links[n])
        if ready and end < status:
            finished.add(n)
            fields += ["status: done", f"actual_start: {START + dt.timedelta(days=begin)}"]
            fields += [f"actual_finish: {START + dt.timedelta(days=end - 1)}"]
            fields.append(f"actual_cost: {round(budgets[n] * draw(st.sampled_from([0.8, 1.0, 1.3])))}")
        elif ready and begin < status:
            percent = draw(st.integers(1, 99))
            fields += ["status: in-progress", f"percent_complete: {percent}"]
            fields.append(f"actual_start: {START + dt.timedelta(days=begin)}")
            fields.append(
                f"actual_cost: {round(budgets[n] * percent / 100 * draw(st.sampled_from([0.9, 1.2])))}"
            )
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def _in_temp(text: str) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_under_way())
def test_board_risk_roadmap_and_validate_agree(text: str) -> None:
    """Board P-values are roadmap risk's; its forecast is roadmap show's; red tiles mean CI fails."""
    path = str(_in_temp(text))
    board = run("report", "board", path, "--format", "json", "--runs", "300", "--seed", "7")
    assert board.exit_code == 0, board.output
    [plan] = json.loads(board.stdout)["plans"]
    risk = json.loads(run("roadmap", "risk", path, "--format", "json", "--runs", "300", "--seed", "7").stdout)
    assert [plan[p] for p in ("p50", "p80", "p95")] == [
        risk["finish_last_days"][p] for p in ("p50", "p80", "p95")
    ]
    assert plan["p50"] <= plan["p80"] <= plan["p95"]
    shown = json.loads(run("roadmap", "show", path, "--format", "json").stdout)
    assert shown["basis"] == risk["basis"] == json.loads(board.stdout)["basis"] == "forecast"
    assert plan["forecast_last_day"] == shown["last_day"]
    # Every duration is fixed here, so no run ends before the forecast.
    assert plan["p50"] >= plan["forecast_last_day"]
    red = {tile["dimension"] for tile in plan["tiles"] if tile["status"] == "red"}
    if red & {"Schedule", "Cost"}:
        assert run("plan", "validate", path).exit_code == 1, plan["tiles"]


def test_the_bundled_board_shows_the_plan_as_it_stands(in_root: Path) -> None:
    """The pack's P80 is no longer earlier than its forecast, and both are those of the other commands."""
    board = json.loads(run("report", "board", "--format", "json").stdout)
    assert board["basis"] == "forecast" and board["status_date"] == "2027-06-30"
    [plan] = board["plans"]
    shown = json.loads(run("roadmap", "show", "--format", "json").stdout)
    risk = json.loads(run("roadmap", "risk", "--format", "json", "--runs", "2000", "--seed", "1").stdout)
    assert plan["forecast_last_day"] == shown["last_day"] == "2029-04-21"
    assert plan["p80"] == risk["finish_last_days"]["p80"]
    assert plan["forecast_last_day"] <= plan["p50"] <= plan["p80"] <= plan["p95"]
    tiles = {tile["dimension"]: tile for tile in plan["tiles"]}
    assert (
        tiles["Schedule"]["status"] == "amber" and tiles["Schedule"]["reason"] == "SPI(t) 0.87 is below 0.95"
    )
    assert plan["spi_t"] == pytest.approx(0.8713, abs=1e-4)
    assert plan["eac"]["cpi"] is not None and plan["eac"]["low"] <= plan["eac"]["high"]


def test_the_red_example_fails_ci_and_paints_the_board_red() -> None:
    red = str(Path(__file__).resolve().parents[1] / "examples" / "status" / "hengda-group-red.yaml")
    assert run("plan", "validate", red).exit_code == 1
    [plan] = json.loads(run("report", "board", red, "--format", "json", "--runs", "200").stdout)["plans"]
    schedule = next(tile for tile in plan["tiles"] if tile["dimension"] == "Schedule")
    assert (schedule["status"], schedule["reason"]) == ("red", "SPI(t) 0.61 is below 0.85")


def test_a_plans_forecast_in_the_portfolio_is_the_portfolio_schedules(in_root: Path) -> None:
    """portfolio report and the portfolio schedule agree on every plan's forecast last day."""
    from cio_kit.portfolio.merge import members, merged_plan
    from cio_kit.situation import Situation
    from cio_kit.validate import load_all

    document = json.loads(run("portfolio", "report", "--format", "json").stdout)
    portfolio = members(load_all([Path("plans")]))
    forecast = Situation(merged_plan(portfolio)).forecast
    assert forecast is not None
    for row in document["plans"]:
        days = [t.last_day for t in forecast.timings if t.id.startswith(f"{row['id']}:") and not t.cancelled]
        expected = forecast.date(max(days))
        assert row["forecast_finish_date"] == (expected.isoformat() if expected else None), row["id"]
    finance = next(row for row in document["plans"] if row["id"] == "finance-ssc")
    # The finance centre waits for the ERP: its portfolio forecast is later than its own plan as written.
    assert finance["forecast_finish_date"] > finance["finish_date"] or finance["status"] != "green"


def test_no_figure_from_nothing(write_plan: Any) -> None:
    """No money baselined: no SPI, CPI or SPI(t), and neither SCHED004 nor BUDGET007 speaks."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-03-15}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 10, status: in-progress, "
        "percent_complete: 5, actual_start: 2027-01-04, actual_cost: 500}\n"
    )
    evm = json.loads(run("report", "evm", "plan.yaml", "--format", "json").stdout)["total"]
    assert [evm[k] for k in ("spi", "cpi", "spi_t", "es_days", "sv_t_days", "ieac_t_days")] == [None] * 6
    rules = {
        f["rule"] for f in json.loads(run("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    }
    assert not rules & {"SCHED004", "BUDGET007"}


def test_a_status_date_before_the_start_is_one_finding_where_it_is(write_plan: Any) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-09-01, status_date: 2027-06-30}\nstages:\n"
        + "".join(
            f"  - {{id: S-{n}, title: A, kind: training, duration_weeks: 2, status: done, "
            f"actual_start: 2027-09-0{n + 1}, actual_finish: 2027-09-1{n}}}\n"
            for n in range(3)
        )
    )
    findings = json.loads(run("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("PLAN002", 2)]
    assert "status_date" in findings[0]["message"] and "before plan_start" in findings[0]["message"]


def test_the_ev_curve_lists_the_status_date_once(in_root: Path) -> None:
    curve = json.loads(run("report", "evm", "--format", "json").stdout)["curve"]
    dates = [point["date"] for point in curve]
    assert dates.count("2027-06-30") == 1 and dates == sorted(dates)


def test_one_set_of_thresholds_in_the_rule_docs() -> None:
    shown = run("rules", "SCHED004").stdout
    assert "spi_warn" in shown and "0.95" in shown and "spi_error" in shown and "0.85" in shown
    shown = run("rules", "BUDGET007").stdout
    assert "cpi_warn" in shown and "0.95" in shown and "cpi_error" in shown and "0.90" in shown


def test_configured_thresholds_move_rules_and_tiles_together(write_plan: Any) -> None:
    """With spi_error at 0.5, SPI(t) 0.61 is amber on the board and a warning in CI."""
    red = (Path(__file__).resolve().parents[1] / "examples" / "status" / "hengda-group-red.yaml").read_text()
    write_plan(red)
    write_plan("spi_error: 0.5\n", name="cio-kit.yaml")
    findings = json.loads(run("plan", "validate", "plan.yaml", "-f", "json").stdout)["findings"]
    assert [f["severity"] for f in findings if f["rule"] == "SCHED004"] == ["warning"]
    [plan] = json.loads(run("report", "board", "plan.yaml", "--format", "json", "--runs", "100").stdout)[
        "plans"
    ]
    schedule = next(tile for tile in plan["tiles"] if tile["dimension"] == "Schedule")
    assert (schedule["status"], schedule["reason"]) == ("amber", "SPI(t) 0.61 is below 0.95")


def _bundled_copy(tmp: Path) -> Path:
    import shutil

    root = Path(__file__).resolve().parents[1]
    for name in ("plans", "cio-kit.yaml", "portfolio.yaml"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp / name)
    (tmp / "scenarios").mkdir()
    return tmp


def _forecast_days(loaded: list[Any], stage: str) -> tuple[dt.date | None, dt.date | None]:
    """The stage's first and last day in the portfolio's forecast."""
    from cio_kit.portfolio.merge import members, merged_plan
    from cio_kit.situation import Situation

    forecast = Situation(merged_plan(members(loaded))).forecast
    assert forecast is not None
    timing = next(t for t in forecast.timings if t.id == stage)
    return forecast.date(timing.earliest_start), forecast.last_day(timing)


@pytest.mark.parametrize(
    ("stage", "weeks", "moved"),
    [
        # Planned, and already later in the forecast than as written: N weeks after its forecast start.
        ("hengda-group:S-ERP-TRAINING", 8, 56),
        # In progress: N more weeks of remaining work, so it ends N weeks later.
        ("hengda-group:S-DC-UPGRADE", 4, 28),
    ],
)
def test_a_scenario_delays_from_the_forecast(
    stage: str, weeks: int, moved: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cio_kit.config import load_config
    from cio_kit.portfolio.scenario import read_scenario
    from cio_kit.validate import apply_scenario, load_all

    monkeypatch.chdir(_bundled_copy(tmp_path))
    config = load_config()
    base = load_all([Path("plans")], config)
    path = Path("scenarios/late.yaml")
    path.write_text(f"cio_kit_scenario: 1\nname: late\nchanges: [{{delay: {stage}, weeks: {weeks}}}]\n")
    applied = apply_scenario(read_scenario(path), base, config)
    # A planned stage starts later; one in progress keeps its start and ends later.
    (first, last), (new_first, new_last) = _forecast_days(base, stage), _forecast_days(applied.loaded, stage)
    assert first is not None and last is not None and new_first is not None and new_last is not None
    assert ((new_first - first).days, (new_last - last).days) == (
        (moved, moved) if stage.endswith("TRAINING") else (0, moved)
    )


def test_a_done_stage_cannot_be_delayed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_bundled_copy(tmp_path))
    Path("scenarios/late.yaml").write_text(
        "cio_kit_scenario: 1\nname: late\nchanges:\n  - {delay: hengda-group:S-KICKOFF, weeks: 2}\n"
    )
    result = run("scenario", "compare")
    assert result.exit_code == 2 and "scenarios/late.yaml:4" in result.stderr and "is done" in result.stderr


def test_the_boards_top_findings_put_the_critical_path_first(in_root: Path, tmp_path: Path) -> None:
    """Among warnings of one lesson, a late critical stage comes before a late stage with float."""
    page = tmp_path / "board.html"
    assert run("report", "board", "--output", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    lesson = html[html.index("Findings by lesson") :]
    top = lesson[: lesson.index("</ul>")]
    # S-DC-UPGRADE is late and holds up the critical path (less than no float): it leads the lesson.
    assert top.index("S-DC-UPGRADE") < top.index("SCHED004") < top.index("RES001")


def test_the_levelled_view_is_the_plan_as_it_stands(in_root: Path) -> None:
    """--level levels the forecast, not the plan as written: nothing unfinished starts before status_date."""
    document = json.loads(run("roadmap", "show", "--level", "--format", "json").stdout)
    assert document["basis"] == "forecast" and document["levelled"] is True
    status = document["status_date"]
    plan = {s["id"]: s for s in json.loads(run("roadmap", "show", "--format", "json").stdout)["stages"]}
    late = [
        s["id"]
        for s in document["stages"]
        if s["start_date"] < status and plan[s["id"]]["start_date"] >= status
    ]
    assert late == []


def test_level_true_levels_every_view_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_bundled_copy(tmp_path))
    with Path("cio-kit.yaml").open("a", encoding="utf-8") as config:
        config.write("level: true\n")
    shown = json.loads(run("roadmap", "show", "--format", "json").stdout)
    flagged = json.loads(run("roadmap", "show", "--level", "--format", "json").stdout)
    assert shown == flagged and shown["levelled"] is True
    capacity = json.loads(run("report", "capacity", "--format", "json").stdout)
    assert capacity["basis"] == "forecast" and capacity["levelled"] is True
    first = " ".join(run("roadmap", "show").stdout.split("\n\n")[0].split())
    assert "forecast from the status date 2027-06-30, levelled to the resources' capacity" in first


def test_the_workbooks_findings_are_validates_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export xlsx computes the situation once for its figures and its Findings sheet; the sheet
    still holds exactly what `plan validate` reports, finding for finding."""
    import openpyxl

    from cio_kit.cli import app

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    runner = CliRunner()
    validated = json.loads(
        runner.invoke(app, ["plan", "validate", "plans/hengda-group.yaml", "-f", "json"]).stdout
    )
    expected = [[f["rule"], f["severity"], f["line"], f["message"]] for f in validated["findings"]]
    done = runner.invoke(
        app, ["export", "xlsx", "plans/hengda-group.yaml", "-o", str(tmp_path / "plan.xlsx")]
    )
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Findings"]
    found = [[row[0], row[1], row[3], row[6]] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(expected) >= 10 and sorted(found) == sorted(expected)


def test_a_p_date_is_read_from_the_runs_of_its_own_seed() -> None:
    # One estimated stage of 1..9 weeks: the P50 last day moves with the seed at 50 runs, and the
    # situation's P-date is the one its own runs (same runs, same seed) give.
    from cio_kit.analysis.risk import simulate
    from cio_kit.plan.loader import load_bytes
    from cio_kit.situation import Situation

    text = (
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 3,\n"
        "     estimate: {optimistic: 1, likely: 3, pessimistic: 9}}\n"
    )
    plan = load_bytes(text.encode(), "plan.yaml").plan
    assert plan is not None
    start = dt.date(2027, 1, 4)
    dates = {}
    for seed in (1, 2, 3):
        expected = start + dt.timedelta(days=int(simulate(plan, runs=50, seed=seed).last_day(0.5)))
        assert Situation(plan).risk_last_day(0.5, runs=50, seed=seed) == expected
        dates[seed] = expected
    assert len(set(dates.values())) > 1  # the seed matters, so reading another seed's runs would show


def test_the_boards_business_case_is_report_benefits(in_root: Path, tmp_path: Path) -> None:
    # Both read the appraisal of the situation's own schedule and planned spend: the board pack
    # shows, to the whole unit it prints, the NPV and each sensitivity case `report benefits` gives.
    import re

    benefits = json.loads(run("report", "benefits", "plans/hengda-group.yaml", "--format", "json").stdout)
    pack = tmp_path / "board.html"
    assert run("report", "board", "plans/hengda-group.yaml", "-o", str(pack)).exit_code == 0
    html = pack.read_text(encoding="utf-8")

    def shown(text: str) -> float:
        return float(text.replace(",", ""))

    [npv] = re.findall(r"NPV at \d+%: <b>(-?[\d,]+) ", html)
    assert abs(shown(npv) - benefits["npv"]) <= 0.5
    cases = dict(re.findall(r"<tr><td>([^<]+)</td><td class=n>(-?[\d,]+)</td></tr>", html))
    for case in benefits["sensitivity"]:
        assert abs(shown(cases[case["case"]]) - case["npv"]) <= 0.5, case
