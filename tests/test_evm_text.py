"""The text and Markdown of ``report evm`` for an earned-value report built by hand (SPEC §10).

The figures are worked here rather than computed from a plan: a plan 40 days in
of a 100-day baseline, BAC 1,000, PV 400, EV 450 (ahead), AC 500 (over cost).
SPI = 450/400 = 1.125, CPI = 450/500 = 0.90 (green: the red band is under 0.9),
earned schedule 45 days, so SV(t) = 45 − 40 = +5.0 days, shown with its sign.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from cio_kit.analysis.evm import CurvePoint, EarnedValue, StageValue
from cio_kit.render.evm import render_text, to_markdown
from tests.conftest import printed

AHEAD = EarnedValue(
    plan="Hengda",
    currency="CNY",
    status_date=dt.date(2027, 2, 10),
    baseline="v1",
    bac=1000.0,
    pv=400.0,
    ev=450.0,
    ac=500.0,
    pd_days=100,
    at_days=40,
    es_days=45.0,
    day0=dt.date(2027, 1, 1),
    stages=(
        StageValue(id="S-A", bac=600.0, pv=400.0, ev=450.0, ac=500.0),
        StageValue(id="S-B", bac=400.0, pv=0.0, ev=0.0, ac=0.0),
    ),
    curve=(
        CurvePoint(dt.date(2027, 1, 31), 300.0, None, None),
        CurvePoint(dt.date(2027, 2, 10), 400.0, 450.0, 500.0),
        CurvePoint(dt.date(2027, 2, 28), 1000.0, None, None),
    ),
    descoped=("S-OLD", "S-GONE"),
    unbaselined=("S-NEW", "S-LATE"),
)


def _text(report: EarnedValue, width: int = 100, colour: bool = False) -> str:
    return printed(lambda console: render_text(report, console), width, colour)


def test_a_schedule_gain_in_days_keeps_its_sign_in_both_outputs() -> None:
    assert "| SV(t) | +5.0 days | time-based schedule variance, ES − AT |" in to_markdown(AHEAD)
    row = next(line for line in _text(AHEAD).splitlines() if line.startswith("SV(t)"))
    assert row.split()[:3] == ["SV(t)", "│", "+5.0"]
    assert "| ES | 45.0 days |" in to_markdown(AHEAD)  # a duration has no sign


def test_markdown_names_every_stage_descoped_and_left_out() -> None:
    assert to_markdown(AHEAD).endswith(
        "\n\nDescoped since the baseline: S-OLD, S-GONE.\n\nNot in the baseline (left out): S-NEW, S-LATE.\n"
    )
    assert "Not in the baseline" not in to_markdown(replace(AHEAD, unbaselined=()))


def test_text_names_them_too() -> None:
    assert _text(AHEAD).endswith(
        "Descoped since the baseline: S-OLD, S-GONE\nNot in the baseline: S-NEW, S-LATE\n"
    )


def test_indices_are_red_under_nine_tenths_and_green_from_it() -> None:
    def colour(report: EarnedValue, figure: str) -> str:
        text = _text(report, colour=True)
        found = re.search(r"\x1b\[(\d+)m" + re.escape(figure) + r"\s", text)
        assert found is not None, figure
        return found.group(1)

    assert colour(AHEAD, "CPI") == "32"  # 0.90: green
    assert colour(AHEAD, "SPI") == "32"
    # The colour follows the figure shown: 450/501 = 0.898 reads 0.90, green; 450/520 = 0.87 is red.
    assert colour(replace(AHEAD, ac=501.0), "CPI") == "32"
    assert colour(replace(AHEAD, ac=520.0), "CPI") == "31"
    behind = replace(AHEAD, es_days=35.0)  # SPI(t) 35/40 = 0.875
    assert colour(behind, "SPI(t)") == "31"


def test_the_curve_marks_ev_and_ac_at_the_status_date_scaled_to_the_largest() -> None:
    # Width 100: bars of up to 74 cells for the largest amount, BAC 1,000.
    lines = _text(AHEAD).splitlines()
    start = lines.index("Cumulative planned value (█), with EV (E) and AC (A) at the status date")
    assert lines[start + 1 : start + 6] == [
        "2027-01-31          300 " + "█" * 22,  # 74 × 0.3 = 22.2
        "2027-02-10          400 " + "█" * 30,  # 29.6
        "         E          450 " + "█" * 33,  # 33.3
        "         A          500 " + "█" * 37,
        "2027-02-28        1,000 " + "█" * 74,
    ]


def test_the_curve_scales_to_the_actual_cost_when_it_passes_the_budget() -> None:
    curve = (AHEAD.curve[0], CurvePoint(dt.date(2027, 2, 10), 400.0, 450.0, 2000.0), AHEAD.curve[2])
    lines = _text(replace(AHEAD, ac=2000.0, curve=curve)).splitlines()
    assert "         A        2,000 " + "█" * 74 in lines
    assert "2027-02-28        1,000 " + "█" * 37 in lines


def test_the_curve_keeps_ten_cells_and_crops_on_a_narrow_terminal() -> None:
    at_35 = _text(AHEAD, width=35).splitlines()
    assert "2027-02-28        1,000 " + "█" * 10 in at_35
    assert "         A          500 " + "█" * 5 in at_35
    at_30 = _text(AHEAD, width=30).splitlines()
    assert "2027-02-28        1,000 " + "█" * 6 in at_30  # cut at the edge, not wrapped
    assert "         A          500 " + "█" * 5 in at_30
    at_20 = _text(AHEAD, width=20).splitlines()
    # At 20 even the amounts are cut: each line ends at the edge, nothing wraps onto a line of its own.
    assert "         A          " in at_20 and "2027-02-28        1," in at_20
    assert not [line for line in at_20 if line.lstrip().startswith(("500", "450", "█"))]


def test_the_ten_stages_furthest_behind_by_more_than_half_a_unit() -> None:
    # SV −1 to −11 for S-01..S-11, and S-HALF exactly −0.5 (not behind by more than half a unit).
    stages = tuple(
        StageValue(id=f"S-{n:02d}", bac=100.0, pv=50.0 + n, ev=50.0, ac=50.0) for n in range(1, 12)
    )
    half = StageValue(id="S-HALF", bac=100.0, pv=50.5, ev=50.0, ac=50.0)
    text = _text(replace(AHEAD, stages=(half, *stages)))
    table = text[text.index("Behind most") :].splitlines()[2:]
    ids = [line.split()[0] for line in table if line.startswith("S-")]
    assert ids == [f"S-{n:02d}" for n in range(11, 1, -1)]
    assert "S-HALF" not in text
    # Half a unit behind is on plan; 0.6 is behind, and so is 1.
    few = (half, StageValue(id="S-NEAR", bac=100.0, pv=50.6, ev=50.0, ac=50.0), *stages[:2])
    text = _text(replace(AHEAD, stages=few))
    table = text[text.index("Behind most") :].splitlines()[2:]
    assert [line.split()[0] for line in table if line.startswith("S-")] == ["S-02", "S-01", "S-NEAR"]
    # Ahead and on plan: no table.
    assert "Behind most" not in _text(AHEAD)
