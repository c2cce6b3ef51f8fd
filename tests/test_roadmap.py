"""roadmap show and roadmap risk: formats, goldens, exit codes, and the Monte Carlo's statistics."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cio_kit.analysis.risk import simulate
from cio_kit.analysis.schedule import compute
from cio_kit.plan.loader import load_plan
from cio_kit.plan.model import Plan
from cio_kit.render import risk as risk_render
from cio_kit.render import roadmap

from .conftest import ROOT

SMALL = Path(__file__).parent / "data" / "roadmap-small.yaml"


@pytest.fixture(scope="module")
def small() -> Plan:
    loaded = load_plan(SMALL, explicit=True)
    assert not loaded.blocked
    return loaded.plan  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("roadmap.json", roadmap.to_json),
        ("roadmap.mmd", roadmap.to_mermaid),
        ("roadmap.md", roadmap.to_markdown),
        ("roadmap.csv", roadmap.to_csv),
    ],
)
def test_roadmap_goldens(small: Plan, golden: Callable[[str, str], None], name: str, render: Any) -> None:
    golden(name, render(small, compute(small)))


@pytest.mark.parametrize("width", [80, 140])
def test_roadmap_text_golden(small: Plan, golden: Callable[[str, str], None], width: int) -> None:
    buffer = StringIO()
    roadmap.render_text(small, compute(small), Console(file=buffer, width=width, color_system=None))
    golden(f"roadmap-{width}.txt", buffer.getvalue())
    assert all(len(line) <= width for line in buffer.getvalue().splitlines())


def test_forecast_golden(small: Plan, golden: Callable[[str, str], None]) -> None:
    golden("roadmap-forecast.json", roadmap.to_json(small, compute(small, forecast=True)))


def test_json_matches_the_spec(small: Plan) -> None:
    document = json.loads(roadmap.to_json(small, compute(small)))
    assert list(document) == [
        "plan",
        "finish_week",
        "finish_date",
        "last_day",
        "critical_path",
        "waves",
        "stages",
        "basis",
    ]
    assert document["basis"] == "as-written"  # the small plan has no status date
    assert list(document["stages"][0]) == [
        "id",
        "wave",
        "duration_weeks",
        "earliest_start",
        "earliest_finish",
        "latest_start",
        "latest_finish",
        "total_float",
        "free_float",
        "critical",
        "start_date",
        "finish_date",
        "last_day",
        "deadline_float",
    ]
    forecast = json.loads(roadmap.to_json(small, compute(small, forecast=True)))
    assert forecast["forecast"] is True and forecast["status_date"] == "2027-02-15"


def test_mermaid_tasks_carry_their_tags_and_links(small: Plan) -> None:
    """Tags and links; tests/test_mermaid.py checks with the real Mermaid what it draws."""
    text = roadmap.to_mermaid(small, compute(small))
    tasks = [line.strip() for line in text.splitlines() if line.startswith("    \u200b")]
    assert [line.split(" :")[0].lstrip("\u200b") for line in tasks] == [
        "Kickoff", "Redesign order to cash", "Servers", "Old approach", "Build | test", "Live"
    ]  # fmt: skip
    assert tasks[0].endswith(":done, t0, 2027-01-04, 7d")
    assert tasks[1].endswith(":active, t1, after t0, 32d")
    assert tasks[4].endswith(":t4, after t1 t2 t3, 42d")
    assert tasks[5].endswith(":crit, milestone, t5, 2027-05-03, 0d")


def test_plan_without_plan_start_shows_weeks_only(write_plan: Callable[..., Path], cli: Any) -> None:
    from .conftest import MINIMAL

    write_plan(MINIMAL.replace("  plan_start: 2027-01-04\n", ""))
    result = cli("roadmap", "show", "plan.yaml", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["finish_date"] is None and document["stages"][0]["start_date"] is None
    assert cli("roadmap", "show", "plan.yaml").exit_code == 0


def test_blocking_finding_stops_the_roadmap(write_plan: Callable[..., Path], cli: Any) -> None:
    from .conftest import MINIMAL

    write_plan(MINIMAL + "    depends_on: [S-A]\n")
    result = cli("roadmap", "show", "plan.yaml", "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "DEP001" in result.stderr


def test_forecast_is_accepted_and_changes_nothing(write_plan: Callable[..., Path], cli: Any) -> None:
    write_plan()
    assert (
        cli("roadmap", "show", "plan.yaml", "--forecast").stdout == cli("roadmap", "show", "plan.yaml").stdout
    )


def test_default_plan_is_the_only_plan(cli: Any, in_root: Path) -> None:
    assert cli("roadmap", "show", "--format", "csv").exit_code == 0


def test_several_plans_need_a_name(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(name="plans/a.yaml")
    write_plan(name="plans/b.yaml")
    result = cli("roadmap", "show")
    assert result.exit_code == 2
    assert "plans/a.yaml" in result.stderr and "plans/b.yaml" in result.stderr


def test_every_format_runs_on_the_bundled_plan(cli: Any, in_root: Path) -> None:
    for output in ("text", "json", "mermaid", "markdown", "csv"):
        result = cli("roadmap", "show", "--format", output)
        assert result.exit_code == 0, (output, result.output)
        # Every format lists the stages: the first and the last of the bundled plan, by id or title.
        for ident, title in (("S-KICKOFF", "Programme kickoff"), ("M-PROGRAMME-CLOSE", "Programme closed")):
            assert ident in result.stdout or title in result.stdout, (output, ident)


# -- Monte Carlo ------------------------------------------------------------


def chain(count: int, estimate: dict[str, float]) -> Plan:
    stages = [
        {
            "id": f"S-{n}",
            "title": "x",
            "kind": "training",
            "estimate": estimate,
            **({"depends_on": [f"S-{n - 1}"]} if n else {}),
        }
        for n in range(count)
    ]
    return Plan.model_validate(
        {"cio_kit": 1, "enterprise": {"name": "T", "plan_start": "2027-01-04"}, "stages": stages}
    )


def test_same_seed_same_numbers(small: Plan) -> None:
    first = risk_render.to_json(small, simulate(small, runs=2000, seed=1))
    assert first == risk_render.to_json(small, simulate(small, runs=2000, seed=1))
    assert first != risk_render.to_json(small, simulate(small, runs=2000, seed=2))


def test_long_chain_median_is_close_to_the_sum_of_pert_means() -> None:
    plan = chain(40, {"optimistic": 2, "likely": 4, "pessimistic": 10})
    result = simulate(plan, runs=4000, seed=3)
    pert_sum_days = 40 * 7 * (2 + 16 + 10) / 6
    assert abs(result.percentile(0.5) - pert_sum_days) / pert_sum_days < 0.01
    assert result.percentile(0.5) < result.percentile(0.8) < result.percentile(0.95)
    assert all(share == 1.0 for _, share in result.criticality)


def test_without_estimates_the_simulation_is_the_cpm(small: Plan) -> None:
    plan = Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": "2027-01-04"},
            "stages": [
                {"id": "A", "title": "a", "kind": "training", "duration_weeks": 1},
                {"id": "B", "title": "b", "kind": "training", "duration_weeks": 3, "depends_on": ["A"]},
                {"id": "C", "title": "c", "kind": "training", "duration_weeks": 1, "depends_on": ["A"]},
                {
                    "id": "D",
                    "title": "d",
                    "kind": "training",
                    "duration_weeks": 1,
                    "depends_on": ["B", "C"],
                    "deadline": "2027-02-07",
                },
                {"id": "E", "title": "e", "kind": "training", "duration_weeks": 1, "deadline": "2027-01-09"},
            ],
        }
    )
    result = simulate(plan, runs=50, seed=0)
    assert result.percentile(0.5) == result.percentile(0.95) == compute(plan).finish == 35
    assert dict(result.criticality) == {"A": 1.0, "B": 1.0, "C": 0.0, "D": 1.0, "E": 0.0}
    # D's last day is 2027-02-07 exactly (met); E's is 2027-01-10, a day late.
    assert {d.id: d.probability for d in result.deadlines} == {"D": 1.0, "E": 0.0}


def test_constant_estimate_is_a_constant() -> None:
    result = simulate(chain(3, {"optimistic": 2, "likely": 2, "pessimistic": 2}), runs=100, seed=0)
    assert result.percentile(0.05) == result.percentile(0.95) == 42


def test_blocks_give_the_same_answer_as_one_pass(small: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    import cio_kit.analysis.risk

    whole = simulate(small, runs=500, seed=4)
    monkeypatch.setattr(cio_kit.analysis.risk, "BLOCK_ELEMENTS", 60)
    split = simulate(small, runs=500, seed=4)
    assert whole.criticality == split.criticality
    assert whole.deadlines == split.deadlines


def test_risk_cli(cli: Any, in_root: Path) -> None:
    result = cli("roadmap", "risk", "--seed", "1", "--runs", "500", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == [
        "plan",
        "runs",
        "seed",
        "finish_weeks",
        "finish_dates",
        "finish_last_days",
        "stages",
        "deadlines",
        "risks",
        "cost",
        "basis",
        "forecast",
        "status_date",
    ]
    assert document["basis"] == "forecast"
    assert list(document["finish_weeks"]) == ["mean", "p50", "p80", "p95"]
    again = cli("roadmap", "risk", "--seed", "1", "--runs", "500", "--format", "json")
    assert again.stdout == result.stdout
    text = cli("roadmap", "risk", "--seed", "1", "--runs", "500")
    assert text.exit_code == 0 and "P80" in text.stdout


def _shape(text: str) -> str:
    """The layout of a Monte Carlo report without its sampled numbers: digits and bar lengths vary."""
    import re

    return re.sub(r"█+", "█", re.sub(r"\d", "#", text))


def _close(actual: Any, expected: Any, path: str = "") -> None:
    """The same document, numbers within what another sample stream could give (1,000 runs)."""
    import datetime as dt

    if isinstance(expected, dict):
        assert list(actual) == list(expected), path
        for key in expected:
            _close(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), path
        for number, (mine, theirs) in enumerate(zip(actual, expected, strict=True)):
            _close(mine, theirs, f"{path}[{number}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        tolerance = 0.6 if "weeks" in path else 0.08  # weeks; shares of runs
        assert actual == pytest.approx(expected, abs=tolerance), path
    elif isinstance(expected, str) and len(expected) == 10 and expected[4] == "-" and expected[7] == "-":
        days = (dt.date.fromisoformat(actual) - dt.date.fromisoformat(expected)).days
        assert abs(days) <= 5, path  # a date drawn from the sampled finishes
    else:
        assert actual == expected, path


def test_risk_goldens_survive_another_sample_stream(small: Plan, golden: Callable[[str, str], None]) -> None:
    """An exact golden of one seed, and other seeds within the golden's tolerances, so a wrong
    simulation (a stage never critical, weeks off) fails while the sample stream may vary.

    Exact: the draws are table lookups of float32 uniforms (cio_kit.analysis.pert), not numpy's
    beta, whose algorithm a numpy release may change."""
    buffer = StringIO()
    risk_render.render_text(small, simulate(small, runs=1000, seed=7), Console(file=buffer, width=80))
    golden("risk-shape.txt", _shape(buffer.getvalue()))
    golden("risk.json", risk_render.to_json(small, simulate(small, runs=1000, seed=7)))
    golden_path = ROOT / "tests" / "golden" / "risk.json"
    for seed in (1, 2):  # other streams stay within the tolerances of the golden
        expected = {**json.loads(golden_path.read_text()), "seed": seed}
        _close(json.loads(risk_render.to_json(small, simulate(small, runs=1000, seed=seed))), expected)


def test_text_at_80_columns_keeps_titles_drivers_and_a_date_axis(cli: Any, in_root: Path) -> None:
    result = cli("roadmap", "show", "--sort", "start")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 100 for line in lines)  # the cli fixture runs at 100 columns
    narrow = roadmap_text_at(80)
    assert all(len(line) <= 80 for line in narrow)
    header = next(line for line in narrow if "Stage / title" in line)
    assert header.rstrip().endswith("Status")  # no column cut off
    text = "\n".join(narrow)
    assert "Programme ki" in text and "← S-KICKOFF" in text  # title and driver, not dropped
    assert "2027-07" in text and "2028-01" in text  # the Gantt's date axis
    assert "█ done  ▓ critical  ░ to do  ◆ milestone  × cancelled  * critical stage" in text
    starts = [line.split("│")[2].strip() for line in lines if line[:3].strip().isdigit()]
    assert starts == sorted(starts)  # --sort start


def roadmap_text_at(width: int) -> list[str]:
    from cio_kit.validate import check_file

    plan = check_file(ROOT / "plans" / "hengda-group.yaml", True).plan
    buffer = StringIO()
    roadmap.render_text(plan, compute(plan), Console(file=buffer, width=width, color_system=None))
    return buffer.getvalue().splitlines()


@pytest.mark.parametrize(
    ("name", "status_date", "levelled", "forecast_last_day"),
    [
        ("risk-fixed-written", None, False, "2028-03-31"),
        ("risk-fixed-forecast", "2027-06-30", True, None),
    ],
)
def test_risk_report_of_known_runs_golden(
    small: Plan,
    golden: Callable[[str, str], None],
    name: str,
    status_date: str | None,
    levelled: bool,
    forecast_last_day: str | None,
) -> None:
    """The risk report's layout, colours and JSON for runs given by hand, so no generator is involved:
    ten finishes of 70..133 days (one a week), deadlines in the red, yellow and green bands."""
    import datetime as dt

    import numpy as np

    from cio_kit.analysis.risk import DeadlineRisk, RiskResult

    finishes = np.arange(70.0, 140.0, 7.0)
    result = RiskResult(
        runs=len(finishes),
        seed=42,
        finish_days=finishes,
        criticality=(("S-A", 1.0), ("S-B", 0.0), ("S-C", 0.35), ("S-D", 0.8)),
        deadlines=(
            DeadlineRisk("S-B", dt.date(2027, 3, 1), 0.3),
            DeadlineRisk("G-1", dt.date(2027, 5, 1), 0.79),
            DeadlineRisk("S-D", dt.date(2027, 6, 1), 0.8),
        ),
        last_days=finishes - 3,
        status_date=dt.date.fromisoformat(status_date) if status_date else None,
        levelled=levelled,
    )
    buffer = StringIO()
    console = Console(file=buffer, width=60, force_terminal=True, color_system="standard", highlight=False)
    risk_render.render_text(small, result, console, forecast_last_day)
    golden(f"{name}.ansi", buffer.getvalue())
    golden(f"{name}.json", risk_render.to_json(small, result))


def test_the_forecasts_last_day_is_named_only_beside_the_plan_as_written(cli: Any, in_root: Path) -> None:
    """As it stands the view is the forecast, so it does not name it again; as written it does."""
    plan = "plans/hengda-group.yaml"
    for command, note in (
        (
            ("roadmap", "show", "-f", "markdown"),
            "the forecast's last day is 2029-04-21 (without --as-written)",
        ),
        (("roadmap", "risk", "--runs", "20"), "forecast last day 2029-04-21 (without --as-written)"),
    ):
        assert "without --as-written" not in cli(*command, plan).stdout, command
        assert note in " ".join(cli(*command, plan, "--as-written").stdout.split()), command


def test_roadmap_risk_fails_on_the_findings_asked_and_reads_its_configuration(
    cli: Any, in_root: Path, tmp_path: Path
) -> None:
    """The group plan has warnings: --fail-on warning makes the exit 1. --config names the plan,
    and --seed moves the draws."""
    plan = "plans/hengda-group.yaml"
    assert cli("roadmap", "risk", plan, "--runs", "20").exit_code == 0
    failed = cli("roadmap", "risk", plan, "--runs", "20", "--fail-on", "warning")
    assert failed.exit_code == 1 and isinstance(failed.exception, SystemExit)
    assert failed.stdout.startswith("Hengda Machinery Group — schedule risk")
    settings = tmp_path / "settings.yaml"
    settings.write_text("default_plan: plans/plant-two-mes.yaml\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plant-two-mes.yaml").write_bytes(
        (in_root / "plans" / "plant-two-mes.yaml").read_bytes()
    )
    named = cli("roadmap", "risk", "--runs", "20", "-f", "json", "--config", str(settings))
    assert named.exit_code == 0, named.stderr
    assert json.loads(named.stdout)["plan"] == "Hengda Wuxi Plant MES"
    seeds = [
        json.loads(cli("roadmap", "risk", plan, "--runs", "50", "-f", "json", *extra).stdout)["finish_dates"]
        for extra in ((), ("--seed", "0"), ("--seed", "1"))
    ]
    assert seeds[0] == seeds[1] != seeds[2]


def test_roadmap_show_fails_on_the_findings_asked_and_reads_its_configuration(
    cli: Any, in_root: Path, tmp_path: Path
) -> None:
    plan = "plans/hengda-group.yaml"
    assert cli("roadmap", "show", plan).exit_code == 0
    failed = cli("roadmap", "show", plan, "--fail-on", "warning")
    assert failed.exit_code == 1 and isinstance(failed.exception, SystemExit)
    settings = tmp_path / "settings.yaml"
    settings.write_text("default_plan: plans/plant-two-mes.yaml\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plant-two-mes.yaml").write_bytes(
        (in_root / "plans" / "plant-two-mes.yaml").read_bytes()
    )
    named = cli("roadmap", "show", "-f", "json", "--config", str(settings))
    assert named.exit_code == 0, named.stderr
    assert json.loads(named.stdout)["plan"] == "Hengda Wuxi Plant MES"


@pytest.mark.parametrize("command", [("roadmap", "show"), ("roadmap", "risk", "--runs", "5")])
def test_a_plan_too_long_to_level_is_a_usage_error_naming_it(
    cli: Any, write_plan: Callable[..., Path], command: tuple[str, ...]
) -> None:
    """Two stages of 2,700 weeks, levelled: 217 years, past the century followed day by day."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: Long, plan_start: 2027-01-04}\nresources: [{id: R, capacity: 1}]\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 2700, effort: {R: 10}}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 2700, depends_on: [S-A], effort: {R: 10}}\n"
    )
    refused = cli(*command, "plan.yaml", "--level")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "cio-kit: plan.yaml: 217 years is past the century cio-kit follows day by day; "
        "shorten the stages or split the plan\n"
    )


def test_roadmap_show_writes_mermaid_and_csv_as_asked(cli: Any, in_root: Path) -> None:
    plan = "plans/hengda-group.yaml"
    mermaid = cli("roadmap", "show", plan, "-f", "mermaid").stdout
    table = cli("roadmap", "show", plan, "-f", "csv").stdout
    assert mermaid.startswith("gantt\n    title Hengda Machinery Group roadmap\n")
    assert table.startswith("id,title,kind,owner,status,percent_complete,wave,duration_weeks,")


def test_roadmap_json_against_a_baseline_reads_the_baseline_as_written(
    cli: Any, in_root: Path, tmp_path: Path
) -> None:
    """Each stage's baseline dates are the baseline plan's own dates as written, and each variance is
    the days between them and the dates shown; without a baseline the keys are not there."""
    import datetime as dt

    bundled = (in_root / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
    slower = bundled.replace("    duration_weeks: 4\n", "    duration_weeks: 6\n", 1)
    assert slower != bundled
    (tmp_path / "base.yaml").write_text(slower, encoding="utf-8")
    plan = "plans/hengda-group.yaml"
    shown = json.loads(
        cli("roadmap", "show", plan, "--baseline", str(tmp_path / "base.yaml"), "-f", "json").stdout
    )
    base = json.loads(
        cli("roadmap", "show", str(tmp_path / "base.yaml"), "--as-written", "-f", "json").stdout
    )
    moved = 0
    for stage, then in zip(shown["stages"], base["stages"], strict=True):
        assert (stage["baseline_start"], stage["baseline_last_day"]) == (then["start_date"], then["last_day"])
        days = {
            key: (dt.date.fromisoformat(stage[now]) - dt.date.fromisoformat(then[was])).days
            for key, now, was in (
                ("start_variance_days", "start_date", "start_date"),
                ("finish_variance_days", "last_day", "last_day"),
            )
        }
        assert {key: stage[key] for key in days} == days, stage["id"]
        moved += days["start_variance_days"] != 0
    assert moved >= 10
    plain = json.loads(cli("roadmap", "show", plan, "-f", "json").stdout)["stages"][0]
    assert not {key for key in plain if "baseline" in key or "variance" in key}


def _bundled_in_colour(tmp_path: Path, width: int, *, as_written: bool) -> str:
    """The bundled plan against a baseline whose first four-week stage took six, in colour: the
    console the CLI gives a colour terminal."""
    from cio_kit.analysis.baseline import variances
    from cio_kit.situation import Situation

    from .conftest import printed

    bundled = (ROOT / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
    (tmp_path / "base.yaml").write_text(
        bundled.replace("    duration_weeks: 4\n", "    duration_weeks: 6\n", 1), encoding="utf-8"
    )
    plan = load_plan(ROOT / "plans" / "hengda-group.yaml", explicit=True).plan
    base = load_plan(tmp_path / "base.yaml", explicit=True).plan
    forecast = Situation(plan, None).schedule
    schedule = Situation(plan, None, as_written=True).schedule if as_written else forecast
    last_day = str(forecast.project_last_day) if as_written else None
    slips = variances(schedule, compute(base))
    return printed(
        lambda console: roadmap.render_text(
            plan, schedule, console, forecast_last_day=last_day, variances=slips
        ),
        width,
        colour=True,
    )


@pytest.mark.parametrize(("width", "as_written"), [(80, False), (200, True)])
def test_roadmap_in_colour_against_a_baseline(
    tmp_path: Path, golden: Callable[[str, str], None], width: int, as_written: bool
) -> None:
    """Critical rows and bars are red, done and cancelled rows dim, done work green, the rest blue,
    and the baseline bar under each stage dim: word for word, colour for colour."""
    text = _bundled_in_colour(tmp_path, width, as_written=as_written)
    golden(f"roadmap-colour-{width}.ansi", text)
    bars = [line for line in text.splitlines() if "│" in line and ("█" in line or "░" in line or "▓" in line)]
    assert any("32m█" in line for line in bars) and any("34m░" in line for line in bars)
    assert all("31m▓" in line for line in bars if "▓" in line)
    assert sum("▓" in line for line in bars) >= 5
    assert any(line.startswith("\x1b[2m") and line.endswith("─\x1b[0m") for line in text.splitlines())
