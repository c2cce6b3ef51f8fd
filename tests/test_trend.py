"""``report trend``: the plan's figures at each status date in its own git history (SPEC §17)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import git_in

PLAN = """\
cio_kit: 1
enterprise: {name: Trend Co, plan_start: 2027-01-04, status_date: %s}
stages:
  - {id: S-A, title: A, kind: training, duration_weeks: 4, status: %s, percent_complete: %d,
     actual_start: 2027-01-04, actual_cost: %d,
     budget: [{amount: 40000, class: grow, category: training}]}
  - {id: S-B, title: B, kind: training, duration_weeks: 4, depends_on: [S-A],
     budget: [{amount: 40000, class: grow, category: training}]}
"""


def _bundled_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: tuple[str, str] | None) -> None:
    """A repository whose plan.yaml is the bundled group plan with each edit (None: as bundled) in
    turn, one commit each."""
    from .conftest import ROOT

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    git_in(tmp_path, "init", "-q")
    bundled = (ROOT / "plans" / "hengda-group.yaml").read_text(encoding="utf-8")
    for edit in edits:
        version = bundled if edit is None else bundled.replace(*edit, 1)
        assert (version == bundled) == (edit is None)
        (tmp_path / "plan.yaml").write_text(version, encoding="utf-8")
        git_in(tmp_path, "add", ".")
        git_in(tmp_path, "commit", "-qm", "plan")


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """Three commits and two status dates: a report, a correction of it, a later report."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git_in(tmp_path, "init", "-q")
    plan = tmp_path / "plan.yaml"
    commits = []
    for status, state, percent, cost in (
        ("2027-01-18", "in-progress", 25, 12000),
        ("2027-01-18", "in-progress", 40, 15000),  # the same status date, corrected
        ("2027-02-01", "done", 100, 46000),
    ):
        plan.write_text(PLAN % (status, state, percent, cost), encoding="utf-8")
        git_in(tmp_path, "add", ".")
        git_in(tmp_path, "commit", "-qm", f"status {status}")
        commits.append(git_in(tmp_path, "rev-parse", "HEAD"))
    monkeypatch.chdir(tmp_path)
    return plan, commits


def test_two_status_dates_give_two_points_that_equal_report_evm_then(
    cli: Callable[..., Any], history: tuple[Path, list[str]]
) -> None:
    plan, commits = history
    result = cli("report", "trend", "plan.yaml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["plan", "points"] and document["plan"] == "Trend Co"
    points = document["points"]
    assert [(p["status_date"], p["commit"]) for p in points] == [
        ("2027-02-01", commits[2]),
        ("2027-01-18", commits[1]),  # the last word for that date, not the report it corrected
    ]
    assert list(points[0]) == [
        "status_date", "commit", "spi", "cpi", "spi_t", "forecast_last_day", "p80", "eac_low", "eac_high",
        "errors", "warnings",
    ]  # fmt: skip
    for point in points:
        git_in(plan.parent, "checkout", "-q", point["commit"], "--", "plan.yaml")
        evm = json.loads(cli("report", "evm", "plan.yaml", "--format", "json").stdout)["total"]
        assert (point["spi"], point["cpi"], point["spi_t"]) == (evm["spi"], evm["cpi"], evm["spi_t"])
        board = json.loads(cli("report", "board", "plan.yaml", "--format", "json").stdout)
        assert point["p80"] == board["plans"][0]["p80"]
    # By hand, 2027-01-18 (day 14 of a 28-day stage, 40% done): EV 16,000, PV 20,000, AC 15,000.
    assert points[1]["spi"] == 0.8 and points[1]["cpi"] == round(16000 / 15000, 4)
    # EAC(CPI) = 80,000 / CPI = 75,000; bottom-up = AC + BAC − EV = 79,000; composite with SPI(t)
    # (ES 11.2 days of AT 14: 0.8) = 15,000 + 64,000 / (16/15 × 0.8) = 90,000.
    assert points[1]["spi_t"] == 0.8
    assert points[1]["eac_low"] == 75000 and points[1]["eac_high"] == 90000


def test_since_a_ref_and_the_text_and_markdown(
    cli: Callable[..., Any], history: tuple[Path, list[str]]
) -> None:
    _, commits = history
    since = json.loads(cli("report", "trend", "plan.yaml", "--since", commits[1], "--format", "json").stdout)
    assert [p["commit"] for p in since["points"]] == [commits[2], commits[1]]
    assert (
        json.loads(cli("report", "trend", "plan.yaml", "--since", commits[2], "-f", "json").stdout)["points"][
            0
        ]["commit"]
        == commits[2]
    )
    text = cli("report", "trend", "plan.yaml").stdout
    assert "2027-02-01" in text and "2027-01-18" in text and "SPI(t)" in text and "→" in text
    markdown = cli("report", "trend", "plan.yaml", "-f", "markdown").stdout
    assert markdown.count("\n| 2027-") == 2


def test_history_is_read_safely(cli: Callable[..., Any], history: tuple[Path, list[str]]) -> None:
    plan, _ = history
    hook = plan.parent / ".git" / "hooks" / "post-checkout"
    hook.write_text("#!/bin/sh\ntouch hooked\n")
    hook.chmod(0o755)
    before = git_in(plan.parent, "status", "--porcelain", "--ignored")
    git_in(plan.parent, "config", "core.fsmonitor", "touch monitored; echo")
    refused = cli("report", "trend", "plan.yaml", "--since", "--output=x")
    assert refused.exit_code == 2 and "not a git revision" in refused.stderr
    assert cli("report", "trend", "plan.yaml", "-f", "json").exit_code == 0
    assert not (plan.parent / "monitored").exists() and not (plan.parent / "hooked").exists()
    assert not (plan.parent / "x").exists()
    git_in(plan.parent, "config", "--unset", "core.fsmonitor")
    assert git_in(plan.parent, "status", "--porcelain", "--ignored") == before


def test_outside_git_is_a_usage_error(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN % ("2027-01-18", "in-progress", 25, 12000))
    result = cli("report", "trend", "plan.yaml")
    assert result.exit_code == 2 and "git" in result.stderr


def test_the_board_shows_the_trend_since_the_last_board(
    cli: Callable[..., Any], history: tuple[Path, list[str]]
) -> None:
    """--since (or board_since:) gives the pack the same points report trend gives."""
    _, commits = history
    trend = json.loads(cli("report", "trend", "plan.yaml", "--since", commits[0], "-f", "json").stdout)
    board = json.loads(cli("report", "board", "plan.yaml", "--since", commits[0], "-f", "json").stdout)
    assert board["plans"][0]["trend"] == trend["points"] and len(trend["points"]) == 2
    Path("cio-kit.yaml").write_text(f"board_since: {commits[0]}\n", encoding="utf-8")
    configured = json.loads(cli("report", "board", "plan.yaml", "-f", "json").stdout)
    assert configured["plans"][0]["trend"] == trend["points"]
    assert cli("report", "board", "plan.yaml", "--output", "b.html").exit_code == 0
    page = Path("b.html").read_text(encoding="utf-8")
    assert "Since 2027-01-18: SPI(t)" in page
    Path("cio-kit.yaml").write_text("board_since: no-such-ref\n", encoding="utf-8")
    assert cli("report", "board", "plan.yaml", "--output", "c.html").exit_code == 0
    assert "No trend since no-such-ref" in Path("c.html").read_text(encoding="utf-8")


def _dated_history(repo: Path) -> list[str]:
    """Three commits of plan.yaml (v1, v2, v3) on 2027-01-05, 2027-02-05 and 2027-03-05: their hashes."""
    git_in(repo, "init", "-q")
    commits = []
    for number, day in enumerate(("2027-01-05", "2027-02-05", "2027-03-05"), start=1):
        (repo / "plan.yaml").write_text(f"v{number}\n", encoding="utf-8")
        git_in(repo, "add", ".")
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", f"v{number}"],
            cwd=repo,
            check=True,
            env={**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"},
        )
        commits.append(git_in(repo, "rev-parse", "HEAD"))
    return commits


def test_versions_are_the_file_in_each_commit_newest_first_from_its_own_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read from another folder (not a repository): the file's own repository answers. Since a
    commit, the file as that commit left it is the oldest version, unless ``most`` is reached first."""
    from cio_kit.analysis.history import versions

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir(), elsewhere.mkdir()
    first, second, third = _dated_history(repo)
    monkeypatch.chdir(elsewhere)
    path = repo / "plan.yaml"

    found = versions(path, None, 1000)
    assert [(v.commit, v.committed.isoformat(), v.content) for v in found] == [
        (third, "2027-03-05", b"v3\n"),
        (second, "2027-02-05", b"v2\n"),
        (first, "2027-01-05", b"v1\n"),
    ]
    assert [v.content for v in versions(path, second, 1000)] == [b"v3\n", b"v2\n"]
    assert [v.content for v in versions(path, first, 1000)] == [b"v3\n", b"v2\n", b"v1\n"]
    # Two commits since the first fill most=2: the first's own version is not added.
    assert [v.content for v in versions(path, first, 1000, most=2)] == [b"v3\n", b"v2\n"]
    assert [v.content for v in versions(path, None, 2)] == [None, None, None]  # over the size limit


def test_versions_say_why_git_cannot_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git's own last line of complaint (undecodable bytes replaced), 'failed' when it said nothing,
    and the two cases git cannot say: not installed, and a file outside the repository found."""
    from cio_kit.analysis import history
    from cio_kit.analysis.baseline import BaselineError

    path = tmp_path / "plan.yaml"

    def complaining(stderr: bytes | None) -> Callable[[Path], Path]:
        def git_top(near: Path) -> Path:
            raise subprocess.CalledProcessError(128, ["git"], stderr=stderr)

        return git_top

    cases = [
        (complaining(b"warning: one\nhint: two\nfatal: bad \xff ref\n"), ": fatal: bad \ufffd ref"),
        (complaining(None), ": failed"),
        (complaining(b""), ": failed"),
    ]
    for git_top, said in cases:
        monkeypatch.setattr(history, "git_top", git_top)
        with pytest.raises(BaselineError) as raised:
            history.versions(path, None, 1000)
        assert str(raised.value) == f"git cannot read the history of {path}{said}"

    def missing(near: Path) -> Path:
        raise FileNotFoundError("git")

    monkeypatch.setattr(history, "git_top", missing)
    with pytest.raises(BaselineError, match=r"^git is not installed$"):
        history.versions(path, None, 1000)
    monkeypatch.setattr(history, "git_top", lambda near: tmp_path / "another")
    with pytest.raises(BaselineError) as raised:
        history.versions(path, None, 1000)
    assert str(raised.value) == f"{path} is not inside a git repository"


def _points() -> tuple[Any, ...]:
    """Three status dates, newest first: a recovery, a date nothing measured, a poor start."""
    import datetime as dt

    from cio_kit.reports.trend import TrendPoint

    day = dt.date.fromisoformat
    return (
        TrendPoint(day("2027-03-01"), "c" * 40, 0.95, 1.0049, 0.9651, day("2027-06-30"), day("2027-07-16"),
                   1_250_000.0, 1_312_345.678, 0, 2),
        TrendPoint(day("2027-02-01"), "b" * 40, None, None, None, None, None, None, None, 1, 0),
        TrendPoint(day("2027-01-18"), "a" * 40, 0.5, 0.75, 0.6, day("2027-08-02"), day("2027-09-01"),
                   999_999.0, 2_000_000.0, 3, 4),
    )  # fmt: skip


def test_the_trend_as_json_markdown_and_text(golden: Callable[[str, str], None]) -> None:
    """Newest first in the table; the lines run oldest to newest, a gap where nothing was measured.

    SPI(t) over the three dates is 0.6, none, 0.9651: the spark scales 0.6..0.9651 to its eight
    levels, so the oldest is the lowest bar, the newest the highest, and the unmeasured date a space.
    """
    from rich.console import Console

    from cio_kit.render import trend as render
    from cio_kit.reports.trend import Trend

    trend = Trend("Trend | Co", "EUR", _points(), unread=("d" * 40,))
    golden("trend.json", render.to_json(trend))
    golden("trend.md", render.to_markdown(trend))
    console = Console(record=True, width=80, color_system=None, highlight=False)
    render.render_text(trend, console)
    text = console.export_text()
    golden("trend-80.txt", text)
    assert "  SPI(t) ▁ █  0.60 → 0.97\n" in text and "  CPI    ▁ █  0.75 → 1.00\n" in text
    empty = Trend("Trend Co", "EUR", ())
    console = Console(record=True, width=80, color_system=None, highlight=False)
    render.render_text(empty, console)
    assert console.export_text() == (
        "Trend Co — trend at each status date in the plan's history\n"
        "No commit of this plan sets a status date; nothing to trend.\n"
    )
    assert render.to_markdown(empty).endswith(
        "| no commit of this plan sets a status date | | | | | | | | | |\n"
    )


def test_a_spark_line_scales_between_the_lowest_and_highest() -> None:
    from cio_kit.render.trend import spark

    assert spark([]) == "" and spark([None, None]) == ""
    assert spark([1.0, 1.0]) == "▁▁"  # one value throughout: the lowest bar, no division by nothing
    assert spark([0.0, 0.3, 0.7, None, 1.0]) == "▁▃▆ █"  # 0.3 is 2.1 steps of 1/7, 0.7 is 4.9
    assert spark([2.0, -5.0]) == "█▁"


def test_an_eac_range_in_full_or_compact() -> None:
    from cio_kit.render.trend import eac_range

    newest, unmeasured, oldest = _points()
    assert eac_range(newest) == "1.25M..1.31M"
    assert eac_range(newest, "EUR") == "1,250,000..1,312,346 EUR"
    assert eac_range(oldest) == "1M..2M"
    assert eac_range(unmeasured) == "n/a" and eac_range(unmeasured, "EUR", missing="-") == "-"


MESSY_HISTORY = (
    # Oldest first. No status date yet: no point, and not unread either.
    PLAN.replace("status_date: %s", "currency: USD") % ("in-progress", 0, 0),
    # The first status report, in dollars under the old name, with a deadline it will miss.
    (PLAN % ("2027-01-18", "in-progress", 25, 12000))
    .replace("Trend Co", "Old Co")
    .replace("[S-A],", "[S-A], deadline: 2027-02-10,"),
    "cio_kit: 1\nstages: [\n",  # a broken commit: unread, listed by its hash
    # The last report, renamed and in euros, without a plan start: no earned value to show.
    (PLAN % ("2027-02-01", "done", 100, 46000))
    .replace("plan_start: 2027-01-04, ", "currency: EUR, ")
    .replace("actual_start: 2027-01-04, ", ""),
)


def test_every_commit_is_judged_and_the_newest_names_the_plan(
    cli: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    golden: Callable[[str, str], None],
) -> None:
    """Four commits: the one without a status date gives no point, the broken one is unread by hash.

    The first report: S-A planned 40,000 over 20 working days, 10 of them by 2027-01-18, so PV 20,000;
    25% done, EV 10,000: SPI 0.5, CPI 10,000 / 12,000 = 0.8333. S-B waits for S-A, so its deadline
    (2027-02-10) is missed: SCHED002, and BUDGET007 (CPI under 0.90) and SCHED004 (SPI(t) 0.5): 3
    errors; BUDGET004 and STRAT004 on each stage: 4 warnings. EAC low: AC + the budget not yet earned,
    12,000 + 70,000 = 82,000; high: the composite, 12,000 + 70,000 / (0.8333 x 0.5) = 180,000. The
    newest has no plan start, so no earned value and no forecast date: nulls, not zeros; S-A done at
    46,000 of its 40,000 adds BUDGET005 (5 warnings). The plan is named as the newest point names it.
    """
    from cio_kit.config import load_config
    from cio_kit.reports.trend import trend

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    git_in(tmp_path, "init", "-q")
    plan = tmp_path / "plan.yaml"
    commits = []
    for text in MESSY_HISTORY:
        plan.write_text(text, encoding="utf-8")
        git_in(tmp_path, "add", ".")
        git_in(tmp_path, "commit", "-qm", "report")
        commits.append(git_in(tmp_path, "rev-parse", "HEAD"))
    done = cli("report", "trend", "plan.yaml", "-f", "json")
    assert done.exit_code == 0, done.stderr
    shown = done.stdout
    for number, commit in enumerate(commits):
        shown = shown.replace(commit, f"<commit {number}>")
    golden("trend-history.json", shown)
    calls: list[tuple[int, int]] = []
    found = trend(plan, load_config(None), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (found.plan, found.currency, found.unread) == ("Trend Co", "EUR", (commits[2],))
    assert [(p.errors, p.warnings) for p in found.points] == [(0, 5), (3, 4)]


def test_the_trend_in_a_narrow_colour_terminal(golden: Callable[[str, str], None]) -> None:
    """At 80 columns in colour every column shows, indices and counts right-aligned; at 60 the commit
    and EAC range give way so the dates and figures stay whole. A plan never measured has no line to
    draw."""
    import dataclasses

    from rich.console import Console

    from cio_kit.render import trend as render
    from cio_kit.reports.trend import Trend

    newest, unmeasured, oldest = _points()
    # A fourth, earliest point with two-digit counts: the counts align right, and the lines run
    # from it (SPI(t) 0.30) through 0.60 to 0.97.
    first = dataclasses.replace(oldest, status_date=oldest.status_date.replace(day=4), spi_t=0.3, errors=12)
    for width in (80, 60):
        console = Console(
            record=True, width=width, color_system="standard", force_terminal=True, highlight=False
        )
        render.render_text(Trend("Trend Co", "EUR", (newest, unmeasured, oldest, first)), console)
        golden(f"trend-colour-{width}.ansi", console.export_text(styles=True))
    # At 50 columns even that is too wide: the dates keep their ten characters, the rest is cut.
    console = Console(record=True, width=50, color_system=None)
    render.render_text(Trend("Trend Co", "EUR", (newest, unmeasured, oldest, first)), console)
    golden("trend-50.txt", console.export_text())
    console = Console(record=True, width=80, color_system=None)
    render.render_text(Trend("Trend Co", "EUR", (unmeasured,)), console)
    assert "  SPI(t)   n/a\n  CPI      n/a\n" in console.export_text()
    half = dataclasses.replace(newest, eac_high=None)
    assert (
        render.eac_range(half) == "n/a"
        and render.eac_range(dataclasses.replace(newest, eac_low=None)) == "n/a"
    )


def test_the_newest_point_is_the_board_at_that_commit(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled group plan (estimates, a status date) under a configuration that tightens the
    thresholds, against a baseline commit with one stage's budget doubled: its point is the board's
    own figures for the plan (EVM against the baseline, the forecast, P80 from the board's runs and
    seed) and validate's counts with the same configuration."""
    _bundled_history(tmp_path, monkeypatch, ("{amount: 450000,", "{amount: 900000,"), None)
    baseline = git_in(tmp_path, "rev-parse", "HEAD~1")
    (tmp_path / "cio-kit.yaml").write_text("cpi_warn: 0.999\nspi_warn: 0.999\n", encoding="utf-8")
    trend = json.loads(cli("report", "trend", "plan.yaml", "--baseline", baseline, "-f", "json").stdout)
    board = json.loads(cli("report", "board", "plan.yaml", "--baseline", baseline, "-f", "json").stdout)
    validated = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)
    newest, shown = trend["points"][0], board["plans"][0]
    assert [newest[key] for key in ("spi", "cpi", "spi_t", "p80")] == [
        shown[key] for key in ("spi", "cpi", "spi_t", "p80")
    ]
    assert newest["forecast_last_day"] == shown["forecast_last_day"]
    assert (newest["eac_low"], newest["eac_high"]) == (shown["eac"]["low"], shown["eac"]["high"])
    counts = validated["summary"]
    assert (newest["errors"], newest["warnings"]) == (counts["errors"], counts["warnings"])
    # Each of the three inputs moves the point: without the baseline or the thresholds, or with other
    # runs, the figures differ.
    alone = json.loads(cli("report", "trend", "plan.yaml", "-f", "json").stdout)["points"][0]
    assert alone["spi"] != newest["spi"]
    (tmp_path / "cio-kit.yaml").write_text("", encoding="utf-8")
    plain = json.loads(cli("report", "trend", "plan.yaml", "--baseline", baseline, "-f", "json").stdout)
    assert plain["points"][0]["warnings"] < newest["warnings"]
    other_runs = json.loads(cli("report", "board", "plan.yaml", "--runs", "50", "-f", "json").stdout)
    assert other_runs["plans"][0]["p80"] != plain["points"][0]["p80"]


def test_a_history_with_nothing_readable_names_the_file(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit whose plan parses but is blocked (a dependency cycle) and one a byte over the size
    limit (max_file_mib 0.001: int(0.001 x 1024 x 1024) = 1,048 bytes) are both unread; with no point
    the trend is named by the file, in the default currency."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    git_in(tmp_path, "init", "-q")
    cyclic = (PLAN % ("2027-01-18", "in-progress", 25, 12000)).replace(
        "duration_weeks: 4, status:", "duration_weeks: 4, depends_on: [S-B], status:"
    )
    dated = PLAN % ("2027-01-25", "in-progress", 25, 12000)
    oversized = dated + "#" * (1049 - len(dated.encode()) - 1) + "\n"
    assert len(oversized.encode()) == 1049
    commits = []
    for text in (cyclic, oversized):
        (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
        git_in(tmp_path, "add", "plan.yaml")
        git_in(tmp_path, "commit", "-qm", "plan")
        commits.append(git_in(tmp_path, "rev-parse", "HEAD"))
    (tmp_path / "cio-kit.yaml").write_text("max_file_mib: 0.001\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(dated, encoding="utf-8")  # the file as it stands is readable
    done = cli("report", "trend", "plan.yaml", "-f", "json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == {"plan": "plan.yaml", "points": []}
    text = cli("report", "trend", "plan.yaml").stdout
    assert "No commit of this plan sets a status date" in text
    from cio_kit.config import load_config
    from cio_kit.reports.trend import trend

    found = trend(tmp_path / "plan.yaml", load_config(tmp_path / "cio-kit.yaml"))
    assert (found.plan, found.currency, found.unread) == ("plan.yaml", "USD", tuple(reversed(commits)))


def test_level_true_levels_each_point(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``level: true`` configured, a point's forecast is the levelled one the board shows."""
    _bundled_history(tmp_path, monkeypatch, ("business, capacity: 6,", "business, capacity: 2,"))
    as_is = json.loads(cli("report", "trend", "plan.yaml", "-f", "json").stdout)["points"][0]
    (tmp_path / "cio-kit.yaml").write_text("level: true\n", encoding="utf-8")
    levelled = json.loads(cli("report", "trend", "plan.yaml", "-f", "json").stdout)["points"][0]
    board = json.loads(cli("report", "board", "plan.yaml", "-f", "json").stdout)["plans"][0]
    assert (as_is["forecast_last_day"], levelled["forecast_last_day"]) == ("2029-04-21", "2029-07-05")
    assert levelled["forecast_last_day"] == board["forecast_last_day"]
