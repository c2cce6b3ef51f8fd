"""``report board``: one self-contained HTML document (and PDF) for a board (SPEC §14).

The first screen is the summary: six red/amber/green dimensions with the
reason for each colour and the dates and ratios behind them. The charts are
drawn by matplotlib into inline SVG (text kept as text, no fonts or scripts
fetched); styles are inline; nothing in the file asks the network for
anything. WeasyPrint turns the same HTML into a PDF for A4.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cio_kit.analysis.spend import CLASSES
from cio_kit.money import money
from cio_kit.render import board_brief as brief
from cio_kit.render import jsondoc
from cio_kit.render.figures import json_amount, json_ratio
from cio_kit.render.trend import point_json
from cio_kit.reports.board import PlanBoard, PortfolioBoard
from cio_kit.reports.brief import plain

_COLOURS = brief.COLOURS
_CLASS_COLOURS = {"run": "#90a4ae", "grow": "#42a5f5", "transform": "#7e57c2"}
#: Above this many stages the Gantt draws one bar per phase (or per wave) instead of one per stage.
GANTT_STAGES = 60
SECTIONS = 8
"""Plans of a folder given a section of their own; every plan is in the summary table."""

_CSS = """
@page { size: A4; margin: 14mm; }
@page wide { size: A4 landscape; margin: 10mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2933;
       margin: 24px auto; max-width: 1180px; line-height: 1.4; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #d0d7de; }
.sub { color: #52606d; margin: 0 0 16px; }
.basis { color: #52606d; margin: 0 0 4px; font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.tile { border-radius: 6px; padding: 10px 12px; color: #fff; }
.tile b { font-size: 17px; display: block; } .tile span { font-size: 13px; }
.figures { display: flex; flex-wrap: wrap; gap: 18px; margin: 14px 0; font-size: 15px; }
.figures div { background: #f1f5f9; border-radius: 6px; padding: 8px 12px; }
.headline { font-size: 15px; margin: 12px 0; padding-left: 20px; } .headline li { margin: 3px 0; }
table { border-collapse: collapse; font-size: 13px; }
td, th { padding: 3px 8px; border-bottom: 1px solid #e4e7eb; }
th { text-align: left; } td.n { text-align: right; white-space: nowrap; }
table.wide { width: 100%; } table.wide td:first-child { width: 32%; }
td small { color: #52606d; } td.d { white-space: nowrap; } td.late { color: #c62828; font-weight: bold; }
.chart svg { max-width: 100%; height: auto; } .note { color: #52606d; font-style: italic; }
section.plan { page-break-before: always; }
.page-one { page-break-after: always; }
.landscape { page: wide; page-break-before: always; page-break-after: always; page-break-inside: avoid; }
@media print { body { margin: 0; font-size: 10px; line-height: 1.25; }
  h1 { font-size: 17px; } .sub { font-size: 9px; margin-bottom: 6px; }
  h2 { font-size: 12px; margin: 8px 0 3px; }
  .tiles { gap: 5px; } .tile { padding: 5px 7px; } .tile b { font-size: 11px; }
  .tile span { font-size: 8.5px; line-height: 1.2; display: block; }
  .headline { font-size: 10px; margin: 6px 0; } .headline li { margin: 1px 0; }
  .figures { font-size: 9.5px; gap: 6px; margin: 5px 0; } .figures div { padding: 3px 6px; }
  table { font-size: 8.5px; } td, th { padding: 2px 4px; } td small { font-size: 7.5px; }
  .landscape h2 { margin-top: 0; } .landscape .chart svg { max-height: 170mm; width: auto; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(figure: Any) -> str:
    """The figure as inline SVG: no XML prologue, no DOCTYPE, no creation date, text as text."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return f'<div class="chart">{svg}</div>'


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    # Plan text reaches the charts (stage titles on the Gantt): "$…$" in a title is text, not
    # mathtext to typeset, or a bad formula would stop the pack (SPEC §15).
    matplotlib.rcParams.update(
        {"svg.fonttype": "none", "svg.hashsalt": "cio-kit", "font.size": 9, "text.parse_math": False}
    )
    import matplotlib.pyplot as plt

    return plt


def _gantt(board: PlanBoard) -> str:
    schedule, plan = board.schedule, board.plan
    start = schedule.plan_start
    if start is None:
        return (
            '<p class="note">No Gantt chart: add enterprise.plan_start so stages can be placed in time.</p>'
        )
    plt = _pyplot()
    critical = set(schedule.critical_path)
    live = [(s, t) for s, t in zip(plan.stages, schedule.timings, strict=True) if not t.cancelled]
    bars, note = _bars(live, critical)
    height = max(2.5, 0.26 * len(bars) + 1)
    figure, axis = plt.subplots(figsize=(11, height))
    one_per_stage = len(live) <= GANTT_STAGES
    then = _baseline_bars(board) if one_per_stage else {}
    written = (
        {t.id: (t.earliest_start, max(t.days, 1)) for t in board.written.timings}
        if one_per_stage and board.basis == "forecast"
        else {}
    )
    for row, (ident, _label, first, days, hot, done) in enumerate(bars):
        if ident in then:  # the baseline's dates, as a thin grey bar under the plan's
            axis.barh(row + 0.34, then[ident][1], left=then[ident][0], color="#757575", height=0.12)
        if ident in written:  # the plan as written, as a pale bar under the forecast's
            axis.barh(row + 0.2, written[ident][1], left=written[ident][0], color="#bdbdbd", height=0.16)
        colour = "#c62828" if hot else "#5c7cfa"
        axis.barh(row - 0.1, days, left=first, color=colour, height=0.45, alpha=0.45)
        if done:  # the share of the work done, shaded solid from the bar's start
            axis.barh(row - 0.1, days * done, left=first, color=colour, height=0.45)
    axis.set_yticks(range(len(bars)), [label for _, label, *_ in bars])
    axis.invert_yaxis()
    if board.status_date is not None:
        day = (board.status_date - start).days
        axis.axvline(day, color="#111", linestyle="--", linewidth=1)
        axis.text(day, -0.8, f" status {board.status_date}", fontsize=8)
    ticks = list(range(0, schedule.finish + 1, max(30, schedule.finish // 10 or 1)))
    axis.set_xticks(ticks, [(start + dt.timedelta(days=t)).strftime("%Y-%m") for t in ticks], rotation=30)
    keys = ["solid: done", "pale: to do"]
    keys += ["light grey: as written"] if written else []
    keys += ["dark grey: the baseline"] if then else []
    axis.set_title(f"Roadmap, {board.described}: red on the critical path; {', '.join(keys)}", fontsize=9)
    axis.grid(axis="x", alpha=0.3)
    if board.baseline is None:
        note += (
            '<p class="note">No baseline bars: set baseline: in cio-kit.yaml (a git ref or a plan file).</p>'
        )
    return _svg(figure) + note


def _bars(
    live: list[tuple[Any, Any]], critical: set[str]
) -> tuple[list[tuple[str, str, int, int, bool, float]], str]:
    """(id, label, first day, days, critical, share done) per bar: a stage, or a group of too many."""
    if len(live) <= GANTT_STAGES:
        return [
            (s.id, s.title if len(s.title) <= 40 else s.title[:39] + "…", t.earliest_start, max(t.days, 1),
             s.id in critical, 1.0 if s.status == "done" else s.percent_complete / 100)
            for s, t in live
        ], ""  # fmt: skip
    groups: dict[str, list[Any]] = {}
    for stage, timing in live:  # too many to read: one bar per phase, else per wave
        groups.setdefault(stage.phase or f"wave {timing.wave + 1}", []).append((stage, timing))
    bars = []
    for label, members in list(groups.items())[:GANTT_STAGES]:
        first = min(t.earliest_start for _, t in members)
        last = max(t.earliest_finish for _, t in members)
        done = sum(1.0 if s.status == "done" else s.percent_complete / 100 for s, _ in members) / len(members)
        hot = any(s.id in critical for s, _ in members)
        bars.append((label, f"{label} ({len(members)})", first, max(last - first, 1), hot, done))
    return (
        bars,
        f'<p class="note">{len(live):,} stages, drawn as {len(bars)} groups (phases, else waves).</p>',
    )


def _baseline_bars(board: PlanBoard) -> dict[str, tuple[int, int]]:
    """Each stage's first day and length in the baseline, as day numbers of this plan's calendar."""
    then = board.baseline
    if then is None or then.plan_start is None or board.schedule.plan_start is None:
        return {}
    shift = (then.plan_start - board.schedule.plan_start).days
    return {t.id: (t.earliest_start + shift, max(t.days, 1)) for t in then.timings if not t.cancelled}


def _money_section(board: PlanBoard) -> str:
    years = board.money.years
    if not years:
        return (
            '<p class="note">No spend by year: add enterprise.plan_start so spend falls in fiscal years.</p>'
        )
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, 3.2))
    labels = [str(year) for year in years]
    bottom = [0.0] * len(labels)
    for name in CLASSES:
        values = [years[year].get(name, 0.0) / 1e6 for year in years]
        axis.bar(labels, values, bottom=bottom, label=name, color=_CLASS_COLOURS[name])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    envelopes = [board.money.year_envelopes.get(year) for year in years]
    if any(e is not None for e in envelopes):
        limits = [e / 1e6 if e is not None else float("nan") for e in envelopes]
        axis.scatter(labels, limits, marker="_", s=900, color="#111", label="envelope", zorder=3)
    axis.set_ylabel(f"million {board.currency}")
    axis.set_title("Run / grow / transform by fiscal year")
    axis.legend(frameon=False, ncol=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return _svg(figure)


def _s_curve(board: PlanBoard) -> str:
    earned = board.earned
    if earned is None:
        return '<p class="note">No S-curve: add enterprise.status_date, stage progress and actual costs.</p>'
    if earned.at_days <= 0:
        return f'<p class="note">No S-curve: not started at the status date {_e(earned.status_date)}.</p>'
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, 3.2))
    axis.plot(
        [p.date for p in earned.curve],
        [p.pv / 1e6 for p in earned.curve],
        label="PV (planned)",
        color="#5c7cfa",
    )
    axis.scatter(
        [earned.status_date],
        [earned.ev / 1e6],
        label=f"EV {earned.ev / 1e6:,.1f}M",
        color="#2e7d32",
        zorder=3,
    )
    axis.scatter(
        [earned.status_date],
        [earned.ac / 1e6],
        label=f"AC {earned.ac / 1e6:,.1f}M",
        color="#c62828",
        zorder=3,
    )
    axis.axvline(earned.status_date, color="#111", linestyle="--", linewidth=1)
    axis.set_ylabel(f"million {board.currency}")
    axis.set_title("Planned value, earned value and actual cost")
    axis.legend(frameon=False, fontsize=8)
    return _svg(figure)


def _risk(board: PlanBoard) -> str:
    start = board.schedule.plan_start
    if not board.finishes or start is None:
        return '<p class="note">No finish distribution: add enterprise.plan_start.</p>'
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, 2.8))
    # Day numbers, not dates: matplotlib converts 2,000 dates one by one, a tenth of a second a chart.
    low, high = min(board.finishes), max(board.finishes)
    axis.hist(board.finishes, bins=30 if high > low else 1, color="#90a4ae")
    marks = (("P50", board.p50, "#2e7d32"), ("P80", board.p80, "#ef8f00"), ("P95", board.p95, "#c62828"))
    for label, when, colour in marks:
        if when is not None:
            axis.axvline((when - start).days, color=colour, linewidth=2, label=f"{label} {when}")
    step = max(1, (high - low) // 5 or 1)
    ticks = list(range(low - (low % step), high + step, step))
    axis.set_xticks(ticks, [(start + dt.timedelta(days=day)).isoformat() for day in ticks], fontsize=8)
    runs = f"{board.runs:,} run{'s' * (board.runs != 1)}"
    axis.set_title(f"Monte Carlo last day of work, {runs}, {board.described}", fontsize=9)
    axis.legend(frameon=False, fontsize=8)
    return _svg(figure)


def _tornado(board: PlanBoard) -> str:
    """What drives P80: one bar per live risk, the days it adds, the largest on top."""
    rows = [r for r in board.brief.tornado if r.p80_effect_days is not None]
    if not rows:
        return '<p class="note">No tornado: the plan keeps no live risk (add <code>risks:</code>).</p>'
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(8, max(1.6, 0.3 * len(rows) + 0.8)))
    labels = [r.title if len(r.title) <= 48 else r.title[:47] + "…" for r in rows]
    axis.barh(range(len(rows)), [r.p80_effect_days or 0.0 for r in rows], color="#ef8f00")
    axis.set_yticks(range(len(rows)), labels)
    axis.invert_yaxis()
    axis.set_xlabel("days added to P80")
    axis.set_title("What drives P80: each risk switched off in the same runs", fontsize=9)
    axis.grid(axis="x", alpha=0.3)
    return _svg(figure)


def _benefits(board: PlanBoard) -> str:
    """Benefits against costs by fiscal year, with NPV and payback, on the basis schedule."""
    worth = board.appraisal
    if worth is None or not any(year.benefits for year in worth.years):
        return '<p class="note">No business case: give goals a benefit (value_per_year) and plan_start.</p>'
    rows = "".join(
        f"<tr><td>{year.year}</td>"
        + "".join(
            f"<td class=n>{_e(money(value))}</td>"
            for value in (year.costs, year.run_costs, year.benefits, year.net, year.discounted_net)
        )
        + "</tr>"
        for year in worth.years
    )
    payback = worth.discounted_payback_year or "not within the appraisal"
    irr = "none" if worth.irr is None else f"{worth.irr:.1%}"
    cases = "".join(
        f"<tr><td>{_e(case)}</td><td class=n>{_e(money(npv))}</td></tr>" for case, npv in worth.sensitivity
    )
    return (
        f"<p>NPV at {worth.rate:.0%}: <b>{_e(money(worth.npv))} {_e(board.currency)}</b>; IRR {_e(irr)}; "
        f"discounted payback {_e(payback)} ({_e(board.described)}; costs are whole-life: build and run).</p>"
        "<table><tr><th>Year</th><th>Costs</th><th>of which run</th><th>Benefits</th><th>Net</th>"
        f"<th>Discounted</th></tr>{rows}</table>"
        + (f"<p>NPV if:</p><table><tr><th>Case</th><th>NPV</th></tr>{cases}</table>" if cases else "")
    )


def _readiness(board: PlanBoard) -> str:
    counts: dict[str, int] = {}
    for stage in board.ready.stages:
        counts[stage.state] = counts.get(stage.state, 0) + 1
    rows = "".join(
        f"<tr><td>{_e(state)}</td><td class=n>{count}</td></tr>" for state, count in counts.items()
    )
    waiting = [s for s in board.ready.stages if s.state in ("waiting", "blocked")][:8]
    why = "".join(
        f"<tr><td>{_e(s.id)}</td><td>{_e(s.state)}</td>"
        f"<td>{_e('; '.join(r.text for r in s.reasons))}</td></tr>"
        for s in waiting
    )
    return f"<table><tr><th>State</th><th>Stages</th></tr>{rows}</table>" + (
        f"<p>Next in line and why they wait:</p><table>{why}</table>" if why else ""
    )


def _ranked(board: PlanBoard, findings: Sequence[Any]) -> list[Any]:
    """Worst first, and among equals what moves the finish first: the stage with the least float.

    A stage on the critical path has no float; one already late on it has less
    than none. A finding about the whole plan (SPI(t), a resource) ranks as critical.
    """
    slack = {t.id: t.total_float for t in board.schedule.timings if not t.settled and not t.cancelled}
    severity = {"error": 0, "warning": 1, "info": 2}

    def rank(finding: Any) -> tuple[int, bool, float, int, int]:
        float_days = slack.get(finding.subject or "", 0.0)
        return (
            severity.get(finding.severity.value, 3),
            float_days > 0,
            float_days,
            finding.line,
            finding.column,
        )

    return sorted(findings, key=rank)


def _findings(board: PlanBoard) -> str:
    parts = []
    for lesson in board.gaps.lessons:
        if not lesson.findings:
            continue
        top = _ranked(board, lesson.findings)[:3]
        items = "".join(f"<li>{_e(plain(f.message))} <small>{_e(f.rule)}</small></li>" for f in top)
        more = len(lesson.findings) - 3
        extra = f"<li>… and {more} more in the plan's validation report</li>" if more > 0 else ""
        parts.append(f"<h3>{_e(lesson.title)}</h3><ul>{items}{extra}</ul>")
    return "".join(parts) or "<p>No finding.</p>"


def _plan_section(board: PlanBoard, heading: str) -> str:
    """One plan's pack, in SPEC §17's order.

    Page one, milestones, trend, the Gantt (on a landscape page), money,
    benefits, people, fairness, when it will finish, then the findings by lesson.
    """
    return (
        brief.page_one(board, heading)
        + "<h2>Milestones</h2>" + brief.milestones(board)
        + "<h2>Since the last board</h2>" + brief.trend(board)
        + '<div class="landscape"><h2>Roadmap</h2>' + _gantt(board) + "</div>"
        + "<h2>Money</h2>" + brief.money_figures(board) + _money_section(board) + _s_curve(board)
        + "<h2>Benefits</h2>" + _benefits(board)
        + "<h2>People and readiness</h2>" + _readiness(board) + _lesson(board, "people")
        + "<h2>Fairness</h2>" + _lesson(board, "fairness")
        + "<h2>When it will finish</h2>" + _risk(board) + _tornado(board)
        + "<h2>Findings by lesson</h2>" + _findings(board)
    )  # fmt: skip


def _lesson(board: PlanBoard, key: str) -> str:
    """One lesson's findings, ranked, in plain words; or that there are none."""
    lesson = next((lesson for lesson in board.gaps.lessons if lesson.key == key), None)
    if lesson is None or not lesson.findings:
        return "<p>No finding.</p>"
    items = "".join(f"<li>{_e(plain(f.message))}</li>" for f in _ranked(board, lesson.findings)[:5])
    return f"<ul>{items}</ul>"


def _status_cell(status: str) -> str:
    return f'<td style="color:{_COLOURS[status]}"><b>{_e(status)}</b></td>'


def _whole_budget(portfolio: PortfolioBoard) -> str:
    """Every plan's spend by fiscal year, class by class, against the IT budget."""
    money_report = portfolio.money
    if not money_report.years:
        return '<p class="note">No spend by year: the plans need plan_start.</p>'
    rows = "".join(
        f"<tr><td>{year}</td>"
        + "".join(f"<td class=n>{_e(money(classes.get(name, 0.0)))}</td>" for name in CLASSES)
        + f"<td class=n><b>{_e(money(sum(classes.values())))}</b></td>"
        + f"<td class=n>{_e(money(money_report.year_envelopes.get(year)))}</td></tr>"
        for year, classes in money_report.years.items()
    )
    envelope = money_report.envelope
    total = f"{money(money_report.total)} {money_report.currency}" + (
        f" of an IT budget of {money(envelope)}" if envelope is not None else ""
    )
    heads = "".join(f"<th>{name}</th>" for name in CLASSES)
    return (
        f"<p>Planned spend of every plan: <b>{_e(total)}</b> ({_e(portfolio.described)}).</p>"
        f"<table><tr><th>Year</th>{heads}<th>Total</th><th>Envelope</th></tr>{rows}</table>"
    )


def _cross_plan_path(portfolio: PortfolioBoard) -> str:
    """The chain of stages, across plans, that sets the portfolio's last day."""
    if not portfolio.critical_path:
        return "<p>No critical path: the plans need plan_start.</p>"
    items = "".join(
        f"<li>{_e(title)} <small>{_e(ident)} · last day {_e(last or '–')}</small></li>"
        for ident, title, last in portfolio.critical_path
    )
    return (
        f"<p>The portfolio's last day of work is <b>{_e(portfolio.last_day or '–')}</b>.</p><ol>{items}</ol>"
    )


def to_html(boards: Sequence[PlanBoard], portfolio: PortfolioBoard | None = None) -> str:
    """The document: one plan, or a portfolio summary then one section per plan."""
    title = portfolio.name if portfolio is not None else (boards[0].name if boards else "cio-kit")
    basis = boards[0].described if boards else "the plan as written"
    body = [f'<p class="basis">Basis: {_e(basis)}</p>']
    if portfolio is not None:
        rows = "".join(
            "<tr><td>" + _e(b.name) + "</td>"
            + "".join(_status_cell(d.status) for d in b.dimensions)
            + f"<td>{_e(b.schedule.project_last_day or '–')}</td><td>{_e(b.p80 or '–')}</td></tr>"
            for b in boards
        )  # fmt: skip
        names = "".join(f"<th>{_e(d.name)}</th>" for d in boards[0].dimensions) if boards else ""
        body.append(
            f"<h1>{_e(portfolio.name)}</h1><p class=sub>{len(boards)} plans</p>"
            f"<table><tr><th>Plan</th>{names}<th>Last day</th><th>P80</th></tr>{rows}</table>"
            "<h2>The whole IT budget</h2>" + _whole_budget(portfolio)
            + "<h2>The critical path across plans</h2>" + _cross_plan_path(portfolio)
        )  # fmt: skip
        shown = boards[:SECTIONS]
        body += [f'<section class="plan">{_plan_section(b, b.name)}</section>' for b in shown]
        if len(boards) > len(shown):  # the table above has every plan; a section each would be a book
            rest = ", ".join(b.name for b in boards[len(shown) :])
            body.append(
                f'<p class="note">{len(boards) - len(shown)} more plans are in the table above without a '
                f"section of their own (a pack has at most {SECTIONS}): {_e(rest)}. "
                "Run report board on a plan for its pack.</p>"
            )
    else:
        body += [_plan_section(b, f"{b.name} — board report") for b in boards]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} — board report</title><style>{_CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def to_pdf(document: str) -> bytes:
    """The same document as a PDF, by WeasyPrint; nothing is fetched (every resource is inline)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    def refuse(url: str) -> dict[str, Any]:
        raise ValueError(f"the board pack fetches nothing: {url}")

    pdf: bytes = HTML(string=document, url_fetcher=refuse).write_pdf()
    return pdf


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


_ratio = json_ratio


def _plan_json(board: PlanBoard) -> dict[str, object]:
    earned = board.earned
    found = earned.eac_methods if earned is not None else {}
    methods = {
        "cpi": found.get("cpi"),
        "composite": found.get("composite"),
        "bottom_up": found.get("bottom-up"),
    }
    known = [value for value in methods.values() if value is not None]
    brief_json = _brief_json(board)
    return {
        "id": Path(board.file).stem,
        "title": board.name,
        "tiles": [{"dimension": d.name, "status": d.status, "reason": d.reason} for d in board.dimensions],
        "last_day_as_written": _iso(board.last_day_as_written),
        "forecast_last_day": _iso(board.forecast_last_day),
        "p50": _iso(board.p50),
        "p80": _iso(board.p80),
        "p95": _iso(board.p95),
        "spi": _ratio(earned.spi) if earned is not None else None,
        "cpi": _ratio(earned.cpi) if earned is not None else None,
        "spi_t": _ratio(earned.spi_t) if earned is not None else None,
        "eac": {
            "low": round(min(known), 2) if known else None,
            "high": round(max(known), 2) if known else None,
            **{name: None if value is None else round(value, 2) for name, value in methods.items()},
        },
        "milestones": [
            {
                "id": m.id,
                "title": m.title,
                "baseline": _iso(m.baseline),
                "as_written": _iso(m.as_written),
                "forecast": _iso(m.forecast),
                "deadline": _iso(m.deadline),
                "slip_days": m.slip_days,
                "status": m.status,
            }
            for m in board.milestones
        ],
        "cost": dict(zip(("p50", "p80", "p95"), (json_amount(c) for c in board.costs), strict=True)),
        **brief_json,
        "trend": [point_json(point) for point in board.trend],
    }


def _brief_json(board: PlanBoard) -> dict[str, object]:
    """Page one's figures: the headline, the risks (largest first), the decisions, the open high issues."""
    brief_data = board.brief
    return {
        "headline": list(brief_data.headline),
        "risks": [
            {
                "id": r.id,
                "title": r.title,
                "owner": r.owner,
                "status": r.status,
                "probability": r.probability,
                "exposure_days": r.exposure_days,
                "exposure_cost": r.exposure_cost,
                "occurred_share": r.occurred_share,
                "p80_effect_days": r.p80_effect_days,
                "mitigation": r.mitigation,
                "due": _iso(r.due),
                "overdue": r.overdue,
            }
            for r in brief_data.risks
        ],
        "decisions": [
            {
                "id": d.id,
                "title": d.title,
                "owner": d.owner,
                "needed_by": _iso(d.needed_by),
                "options": list(d.options),
                "waiting": list(d.waiting),
                "overdue": d.overdue,
            }
            for d in brief_data.decisions
        ],
        "issues": [
            {"id": i.id, "title": i.title, "owner": i.owner, "due": _iso(i.due), "overdue": i.overdue}
            for i in brief_data.issues
        ],
    }


def _portfolio_json(portfolio: PortfolioBoard, plans: int) -> dict[str, object]:
    """The folder's own figures: the whole IT budget by year and the critical path across plans."""
    money_report = portfolio.money
    return {
        "name": portfolio.name,
        "plans": plans,
        "last_day": _iso(portfolio.last_day),
        "critical_path": [ident for ident, _, _ in portfolio.critical_path],
        "it_budget": {
            "total": json_amount(money_report.total),
            "envelope": json_amount(money_report.envelope),
            "years": {str(year): json_amount(sum(c.values())) for year, c in money_report.years.items()},
            "year_envelopes": {str(year): json_amount(v) for year, v in money_report.year_envelopes.items()},
        },
    }


def to_json(boards: Sequence[PlanBoard], portfolio: PortfolioBoard | None = None) -> str:
    """``report board --format json``: every figure the pack shows (SPEC §16)."""
    first = boards[0] if boards else None
    document: dict[str, object] = {
        "basis": first.basis if first is not None else "as-written",
        "status_date": _iso(first.status_date if first is not None and first.basis == "forecast" else None),
        "runs": first.runs if first is not None else None,
        "seed": first.seed if first is not None else None,
        "plans": [_plan_json(board) for board in boards],
        "portfolio": None if portfolio is None else _portfolio_json(portfolio, len(boards)),
    }
    return jsondoc.dump(document, rows=("plans",))
