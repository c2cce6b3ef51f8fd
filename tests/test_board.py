"""``report board`` (SPEC §14), opened in headless Chromium and printed to PDF.

The screenshots the test takes go to the test's temporary folder, not git.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cio_kit.reports.board import board
from cio_kit.validate import check_file

from .conftest import ROOT

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
browser = pytest.mark.skipif(
    shutil.which("node") is None
    or CHROMIUM is None
    or not (HERE / "js" / "node_modules" / "playwright-core").exists(),
    reason="needs Node.js, tests/js's playwright-core (npm ci) and Chromium (Debian package chromium)",
)


def open_in_chromium(page: Path, tmp_path: Path) -> dict[str, Any]:
    run = subprocess.run(
        ["node", str(HERE / "js" / "board-check.mjs"), str(page), str(tmp_path / "board")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHROMIUM": str(CHROMIUM)},
        check=True,
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@browser
def test_the_board_pack_reads_in_chromium(cli: Any, in_root: Path, tmp_path: Path) -> None:
    """No console error, no request of any kind, not blank; the summary on the first screen."""
    page = tmp_path / "board.html"
    result = cli("report", "board", "--output", str(page))
    assert result.exit_code == 0, result.stderr
    seen = open_in_chromium(page, tmp_path)
    assert seen["errors"] == [] and seen["requests"] == []
    assert seen["charts"] == 5  # roadmap, money by year, S-curve, finish distribution, tornado
    first = "\n".join(seen["firstScreen"])
    for dimension in ("Schedule: amber", "Cost: amber", "Goals: amber", "People: amber", "Order: green"):
        assert dimension in first
    # The headline, in sentences built from the figures of report evm and roadmap, on one basis.
    assert "The plan is forecast to finish on 2029-04-21, 19 days after the plan as written" in first
    assert "The board is asked for 2 decisions: Award the MES contract" in first
    assert "SPI(t) 0.87" in first and "Forecast 2029-04-21" in first
    text = seen["text"]
    assert text.index("Decisions for the board") < text.index("The largest risks") < text.index("Milestones")
    assert "Storage for the upgraded data centre arrives late" in text  # the occurred risk ranks first
    for shot in ("screen", "full", "a4"):
        assert (tmp_path / f"board-{shot}.png").stat().st_size > 20_000  # drawn, not blank


@browser
def test_a_portfolio_board_pack_has_a_section_per_plan(cli: Any, in_root: Path, tmp_path: Path) -> None:
    page = tmp_path / "portfolio.html"
    assert cli("report", "board", "plans", "--output", str(page)).exit_code == 0
    seen = open_in_chromium(page, tmp_path)
    assert seen["errors"] == [] and seen["requests"] == []
    # Five for the group; no S-curve for the finance centre and the plant, not started at the
    # portfolio's status date (SPEC §16: a plan before its start is "not started", never "ahead").
    assert seen["charts"] == 13
    assert "The whole IT budget" in seen["text"] and "The critical path across plans" in seen["text"]
    assert "No S-curve: not started at the status date 2027-06-30" in seen["text"]
    assert seen["text"].startswith("Basis: forecast from the status date 2027-06-30")
    assert "Hengda Group IT portfolio" in seen["text"]
    for name in ("Hengda Machinery Group", "Hengda Finance Shared Services", "Hengda Wuxi Plant MES"):
        assert name in seen["text"]


def test_the_pdf_is_a_pdf_and_its_first_page_renders(cli: Any, in_root: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "board.pdf"
    result = cli("report", "board", "--output", str(pdf))
    if result.exit_code == 2 and "Pango" in result.stderr:
        pytest.skip("WeasyPrint needs Pango (Debian package libpango-1.0-0), which is not installed")
    assert result.exit_code == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed to render the first page")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    (page,) = tmp_path.glob("page*.png")
    assert page.stat().st_size > 10_000


def test_sections_say_what_to_add_instead_of_an_empty_chart(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: Bare}\n"
        "stages: [{id: S-A, title: '<b>A</b>', kind: training, duration_weeks: 1}]\n"
    )
    assert cli("report", "board", "plan.yaml", "--output", "bare.html").exit_code == 0
    page = (tmp_path / "bare.html").read_text(encoding="utf-8")
    assert "No Gantt chart: add enterprise.plan_start" in page
    assert "No S-curve: add enterprise.status_date" in page
    assert "no status date: add enterprise.status_date" in page
    assert "<b>A</b>" not in page  # plan text is escaped
    assert cli("report", "board", "plan.yaml", "--output", "bare.txt").exit_code == 2


def test_dimension_colours_follow_the_findings() -> None:
    loaded = check_file(ROOT / "examples" / "lessons" / "lesson4-fairness.yaml", True)
    assert loaded.plan is not None
    colours = {
        d.name: d.status for d in board(loaded.plan, loaded.data, loaded.findings, loaded.file).dimensions
    }
    assert colours["Fairness"] == "red"  # GOV001 and GOV002
    assert colours["Schedule"] == colours["Cost"] == "grey"  # no status date
    chicken = check_file(ROOT / "examples" / "lessons" / "lesson3-chicken-and-egg.yaml", True)
    assert chicken.plan is not None
    order = next(
        d
        for d in board(chicken.plan, chicken.data, chicken.findings, chicken.file).dimensions
        if d.name == "Order"
    )
    # The reason is the finding's message in plain words, with no rule id and no command-line hint.
    assert order.status == "red" and "does not come after the redesign" in order.reason
    assert "DEP002" not in order.reason and "cio-kit" not in order.reason


def test_baseline_bars_when_there_is_a_baseline(cli: Any, write_plan: Any, tmp_path: Path) -> None:
    base = (
        "cio_kit: 1\nenterprise: {name: B, plan_start: 2027-01-04, status_date: 2027-02-01}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 2, depends_on: [S-A]}\n"
    )
    write_plan(base, name="base.yaml")
    write_plan(base.replace("duration_weeks: 2}", "duration_weeks: 5}", 1))
    assert (
        cli("report", "board", "plan.yaml", "--baseline", "base.yaml", "--output", "with.html").exit_code == 0
    )
    with_baseline = (tmp_path / "with.html").read_text(encoding="utf-8")
    assert "grey: the baseline" in with_baseline and "No baseline bars" not in with_baseline
    assert cli("report", "board", "plan.yaml", "--output", "without.html").exit_code == 0
    assert "No baseline bars: set baseline:" in (tmp_path / "without.html").read_text(encoding="utf-8")


def test_a_title_with_dollars_is_text_on_the_charts(cli: Any, write_plan: Any, tmp_path: Path) -> None:
    """Stage titles name the Gantt's bars: `$\\frac{$` is a title, not a formula that stops the pack."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nstages:\n"
        '  - {id: S-A, title: "budget $\\\\frac{$ cut $x^2$", kind: training, duration_weeks: 2}\n'
    )
    result = cli("report", "board", "plan.yaml", "--output", str(tmp_path / "b.html"))
    assert result.exit_code == 0, result.output
    assert "budget $\\frac{$ cut $x^2$" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_board_json_golden(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Any) -> None:
    """Every figure `report board --format json` gives for the bundled group plan, pinned: tiles,
    forecast and P-dates, SPI/CPI/SPI(t), the EAC range, milestones, money, headline, risks,
    decisions and issues. Outside git (a copy of the plan), so the trend is empty and the golden
    does not move with the repository's history; the draws are table lookups, so it is exact."""
    shutil.copy(ROOT / "plans" / "hengda-group.yaml", tmp_path / "hengda-group.yaml")
    monkeypatch.chdir(tmp_path)
    done = cli("report", "board", "hengda-group.yaml", "-f", "json", "--runs", "500")
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["plans"][0]["trend"] == []
    golden("board.json", done.stdout)
