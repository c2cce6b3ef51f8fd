"""Page one of the board pack in HTML, and the register's sections: what a board reads first (SPEC §17).

Page one holds the tiles, the headline, the key dates and figures, the
decisions the board is asked for, the five largest risks and the open high
issues. Plan text is escaped once, here, as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from cio_kit.money import compact, money
from cio_kit.render.figures import index
from cio_kit.render.trend import eac_range
from cio_kit.reports.board import PlanBoard
from cio_kit.reports.brief import TOP_RISKS, RiskLine
from cio_kit.reports.trend import TrendPoint

COLOURS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32", "grey": "#78909c"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _or_dash(value: object) -> str:
    return "–" if value is None or value == "" else _e(value)


def _date(value: object, late: bool = False, overdue: bool = False) -> str:
    """A date cell: never wrapped, red when late, "(overdue)" when it says so."""
    text = _or_dash(value) + (" (overdue)" if overdue else "")
    return f'<td class="d{" late" if late or overdue else ""}">{text}</td>'


def tiles(board: PlanBoard) -> str:
    """The six colours, each with its reason in plain words."""
    cells = "".join(
        f'<div class="tile" style="background:{COLOURS[d.status]}"><b>{_e(d.name)}: {_e(d.status)}</b>'
        f"<span>{_e(d.reason)}</span></div>"
        for d in board.dimensions
    )
    return f'<div class="tiles">{cells}</div>'


def key_figures(board: PlanBoard) -> str:
    """The dates and indexes behind the tiles, on one line."""
    figures = [f"<div>As written <b>{_or_dash(board.last_day_as_written)}</b></div>"]
    if board.forecast_last_day is not None:
        figures.append(f"<div>Forecast <b>{_e(board.forecast_last_day)}</b></div>")
    for label, when in (("P50", board.p50), ("P80", board.p80), ("P95", board.p95)):
        if when is not None:
            figures.append(f"<div>{label} <b>{_e(when)}</b></div>")
    if board.earned is not None:
        for label, value in (("SPI(t)", board.earned.spi_t), ("CPI", board.earned.cpi)):
            figures.append(f"<div>{label} <b>{index(value)}</b></div>")
    envelope = board.money.envelope
    spend = f"{compact(board.money.total)}" + (f" of {compact(envelope)}" if envelope is not None else "")
    figures.append(f"<div>Planned spend <b>{_e(spend)}</b> {_e(board.currency)}</div>")
    return f'<div class="figures">{"".join(figures)}</div>'


def decisions(board: PlanBoard) -> str:
    """The open decisions, the earliest needed first, with their options and what waits."""
    brief = board.brief
    if not brief.decisions:
        return "<p>No decision is waiting for the board.</p>"
    rows = "".join(
        f"<tr><td><b>{_e(d.title)}</b><br><small>{_e(d.id)}"
        + (f" · options: {_e('; '.join(d.options))}" if d.options else "")
        + "</small></td>"
        + f"<td>{_or_dash(d.owner)}</td>"
        + _date(d.needed_by, overdue=d.overdue)
        + f"<td>{_e('; '.join(d.waiting)) if d.waiting else '–'}</td></tr>"
        for d in brief.decisions
    )
    return (
        "<table class=wide><tr><th>Decision</th><th>Owner</th><th>Needed by</th><th>Holds up</th></tr>"
        f"{rows}</table>"
    )


def _risk_row(risk: RiskLine) -> str:
    effect = "–" if risk.p80_effect_days is None else f"+{risk.p80_effect_days:.0f} d"
    mitigation = _or_dash(risk.mitigation)
    if risk.mitigation_owner:
        mitigation += f" <small>({_e(risk.mitigation_owner)})</small>"
    chance = "occurred" if risk.status == "occurred" else f"{risk.probability:.0%}"
    cost = f"{compact(risk.exposure_cost)}" if risk.exposure_cost else "–"
    return (
        f"<tr><td><b>{_e(risk.title)}</b><br><small>{_e(risk.id)}</small></td><td>{_or_dash(risk.owner)}</td>"
        f"<td class=n>{chance}</td><td class=n>{risk.exposure_days:.0f} d</td><td class=n>{_e(cost)}</td>"
        f"<td class=n>{effect}</td><td>{mitigation}</td>" + _date(risk.due, late=risk.overdue) + "</tr>"
    )


def top_risks(board: PlanBoard) -> str:
    """The five largest live risks by probability × impact."""
    brief = board.brief
    if not brief.risks:
        return "<p>The plan keeps no risk register (add <code>risks:</code>).</p>"
    rows = "".join(_risk_row(risk) for risk in brief.risks[:TOP_RISKS])
    more = len(brief.risks) - TOP_RISKS
    counted = "1 more live risk is" if more == 1 else f"{more} more live risks are"
    tail = f'<p class="note">{counted} in the plan.</p>' if more > 0 else ""
    return (
        "<table class=wide><tr><th>Risk</th><th>Owner</th><th>Chance</th><th>Exposure</th>"
        f"<th>Cost exp. ({_e(board.currency)})</th><th>On P80</th><th>Mitigation</th><th>Due</th></tr>"
        f"{rows}</table>{tail}"
    )


def issues(board: PlanBoard) -> str:
    """The open issues of high severity."""
    brief = board.brief
    if not brief.issues:
        return "<p>No open issue of high severity.</p>"
    rows = "".join(
        f"<tr><td><b>{_e(i.title)}</b><br><small>{_e(i.id)}</small></td><td>{_or_dash(i.owner)}</td>"
        + _date(i.due, overdue=i.overdue)
        + "</tr>"
        for i in brief.issues
    )
    return f"<table class=wide><tr><th>Issue</th><th>Owner</th><th>Due</th></tr>{rows}</table>"


def page_one(board: PlanBoard, heading: str) -> str:
    """Everything a board reads first, on one page."""
    brief = board.brief
    headline = "".join(f"<li>{_e(sentence)}</li>" for sentence in brief.headline)
    return (
        '<div class="page-one">'
        f"<h1>{_e(heading)}</h1>"
        f"<p class=sub>{_e(board.file)} · {_e(board.described)} · amounts in {_e(board.currency)}</p>"
        + tiles(board)
        + f'<ul class="headline">{headline}</ul>'
        + key_figures(board)
        + "<h2>Decisions for the board</h2>" + decisions(board)
        + "<h2>The largest risks</h2>" + top_risks(board)
        + "<h2>Open high issues</h2>" + issues(board)
        + "</div>"
    )  # fmt: skip


def milestones(board: PlanBoard) -> str:
    """Every milestone and every stage with a deadline: baseline, as written, forecast, slip, status."""
    if not board.milestones:
        return "<p>The plan has no milestone and no stage with a deadline.</p>"
    rows = "".join(
        f"<tr><td>{_e(m.title)}<br><small>{_e(m.id)}</small></td>"
        + "".join(_date(day) for day in (m.baseline, m.as_written, m.forecast, m.deadline))
        + f"<td class=n>{'–' if m.slip_days is None else f'{m.slip_days:+d}'}</td>"
        f'<td class="{"late" if m.status == "late" else ""}">{_e(m.status)}</td></tr>'
        for m in board.milestones
    )
    return (
        "<table class=wide><tr><th>Milestone</th><th>Baseline</th><th>As written</th><th>Forecast</th>"
        f"<th>Deadline</th><th>Slip (days)</th><th>Status</th></tr>{rows}</table>"
    )


def _change(points: Sequence[TrendPoint], name: str) -> str:
    newest, oldest = getattr(points[0], name), getattr(points[-1], name)
    if newest is None or oldest is None or len(points) < 2:
        return ""
    if isinstance(newest, float):
        return f" ({newest - oldest:+.2f})"
    return f" ({(newest - oldest).days:+d} d)"


def trend(board: PlanBoard) -> str:
    """The figures at each status date since the last board, and how each moved since then."""
    points = board.trend
    if not points:
        return f'<p class="note">{_e(board.trend_note or "No trend.")}</p>'
    rows = "".join(
        f"<tr>{_date(p.status_date)}<td><code>{_e(p.commit[:7])}</code></td>"
        + "".join(f"<td class=n>{index(value)}</td>" for value in (p.spi, p.cpi, p.spi_t))
        + _date(p.forecast_last_day)
        + _date(p.p80)
        + f"<td>{_e(eac_range(p, missing='–'))}</td>"
        + f"<td class=n>{p.errors}</td><td class=n>{p.warnings}</td></tr>"
        for p in points
    )
    since = (
        f"<p>Since {_e(points[-1].status_date)}: SPI(t) {index(points[0].spi_t)}{_change(points, 'spi_t')}, "
        f"CPI {index(points[0].cpi)}{_change(points, 'cpi')}, forecast last day "
        f"{_or_dash(points[0].forecast_last_day)}{_change(points, 'forecast_last_day')}, P80 "
        f"{_or_dash(points[0].p80)}{_change(points, 'p80')}.</p>"
    )
    return (
        since
        + "<table class=wide><tr><th>Status date</th><th>Commit</th><th>SPI</th><th>CPI</th><th>SPI(t)</th>"
        "<th>Forecast</th><th>P80</th><th>EAC</th><th>Errors</th><th>Warnings</th></tr>"
        f"{rows}</table>"
    )


def money_figures(board: PlanBoard) -> str:
    """Spend to date, each estimate at completion by its method, and the cost over the runs."""
    parts = [f"<div>Planned <b>{_e(money(board.money.total))}</b></div>"]
    if board.money.envelope is not None:
        parts.append(f"<div>Envelope <b>{_e(money(board.money.envelope))}</b></div>")
    earned = board.earned
    if earned is not None:
        parts.append(f"<div>Spent to date <b>{_e(money(earned.ac))}</b></div>")
        names = {"cpi": "EAC (CPI)", "composite": "EAC (composite, SPI(t))", "bottom-up": "EAC (bottom-up)"}
        for method, value in earned.eac_methods.items():
            parts.append(f"<div>{names[method]} <b>{_e(money(value))}</b></div>")
        parts.append(f"<div>Budget lines <b>{_e(money(board.money.lines_total))}</b></div>")
    p50, p80, p95 = board.costs
    if p80 is not None and board.brief.risks:
        shown = " / ".join(compact(cost) for cost in (p50, p80, p95))
        parts.append(f"<div>Cost P50/P80/P95 with risks <b>{shown}</b></div>")
    return f'<div class="figures">{"".join(parts)}</div>'
