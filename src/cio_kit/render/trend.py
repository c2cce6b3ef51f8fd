"""Output of ``report trend``: JSON (SPEC §17), Markdown and text with a small chart.

Ratios are rounded to 4 decimals and amounts to 2 in JSON, as ``report evm``
gives them, so a point equals ``report evm`` run at its commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_kit.money import compact, money
from cio_kit.render import jsondoc
from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.render.figures import index, json_amount, json_ratio
from cio_kit.reports.trend import Trend, TrendPoint

if TYPE_CHECKING:
    from rich.console import Console

_LEVELS = "▁▂▃▄▅▆▇█"


def _iso(value: object) -> str | None:
    return None if value is None else str(value)


def point_json(point: TrendPoint) -> dict[str, object]:
    """One point, key for key as SPEC §17 (the board pack's trend writes the same)."""
    return {
        "status_date": point.status_date.isoformat(),
        "commit": point.commit,
        "spi": json_ratio(point.spi),
        "cpi": json_ratio(point.cpi),
        "spi_t": json_ratio(point.spi_t),
        "forecast_last_day": _iso(point.forecast_last_day),
        "p80": _iso(point.p80),
        "eac_low": json_amount(point.eac_low),
        "eac_high": json_amount(point.eac_high),
        "errors": point.errors,
        "warnings": point.warnings,
    }


def to_json(trend: Trend) -> str:
    """The ``report trend --format json`` document, key for key as SPEC §17."""
    points = [point_json(point) for point in trend.points]
    return jsondoc.dump({"plan": trend.plan, "points": points}, rows=("points",))


def eac_range(point: TrendPoint, currency: str | None = None, missing: str = "n/a") -> str:
    """``low..high``: in full with the currency, or compact for a narrow column (the board's too)."""
    if point.eac_low is None or point.eac_high is None:
        return missing
    if currency is None:
        return f"{compact(point.eac_low)}..{compact(point.eac_high)}"
    return f"{money(point.eac_low)}..{money(point.eac_high)} {currency}"


def spark(values: list[float | None]) -> str:
    """One character per value, oldest first, scaled between the lowest and highest; a gap for none."""
    known = [value for value in values if value is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    step = (high - low) / (len(_LEVELS) - 1) or 1.0
    return "".join(" " if value is None else _LEVELS[round((value - low) / step)] for value in values)


def to_markdown(trend: Trend) -> str:
    """A Markdown table, newest first."""
    lines = [
        f"# {_md(trend.plan)} — trend",
        "",
        "| Status date | Commit | SPI | CPI | SPI(t) | Forecast last day | P80 | EAC range "
        "| Errors | Warnings |",
        "|---|---|---:|---:|---:|---|---|---|---:|---:|",
    ]
    for point in trend.points:
        lines.append(
            f"| {point.status_date} | `{point.commit[:12]}` | {index(point.spi)} | {index(point.cpi)} | "
            f"{index(point.spi_t)} | {point.forecast_last_day or 'n/a'} | {point.p80 or 'n/a'} | "
            f"{eac_range(point, trend.currency)} | {point.errors} | {point.warnings} |"
        )
    if not trend.points:
        lines.append("| no commit of this plan sets a status date | | | | | | | | | |")
    return "\n".join(lines) + "\n"


def render_text(trend: Trend, console: Console) -> None:
    """The points as a table, newest first, and a line per index from the oldest to the newest."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(
        Text(f"{terminal(trend.plan)} — trend at each status date in the plan's history", style="bold")
    )
    if not trend.points:
        console.print("No commit of this plan sets a status date; nothing to trend.")
        return
    # No rules and one space between columns: ten columns of dates and figures fit 80 columns. A
    # narrower terminal loses the commit and the EAC range rather than squeezing every figure.
    wide = console.width >= 80
    columns = ["Status date", "Commit", "SPI", "CPI", "SPI(t)", "Last day", "P80", "EAC", "E", "W"]
    if not wide:
        columns = [column for column in columns if column not in ("Commit", "EAC")]
    table = Table(box=None, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in ("SPI", "CPI", "SPI(t)", "E", "W") else "left",
            no_wrap=True,
            min_width=10 if column in ("Status date", "Last day", "P80") else None,
        )
    for point in trend.points:
        cells = {
            "Status date": str(point.status_date),
            "Commit": point.commit[:7],
            "SPI": index(point.spi),
            "CPI": index(point.cpi),
            "SPI(t)": index(point.spi_t),
            "Last day": str(point.forecast_last_day or "n/a"),
            "P80": str(point.p80 or "n/a"),
            "EAC": eac_range(point),
            "E": str(point.errors),
            "W": str(point.warnings),
        }
        table.add_row(*(cells[column] for column in columns))
    console.print(table)
    if wide:
        console.print(
            f"E errors, W warnings; EAC: the lowest..highest estimate at completion, {trend.currency}"
        )
    else:
        console.print("E errors, W warnings; commits and EAC ranges at 80 columns")
    oldest_first = list(reversed(trend.points))
    console.print()
    console.print(Text(f"From {oldest_first[0].status_date} to {oldest_first[-1].status_date}", style="bold"))
    for label, values in (
        ("SPI(t)", [p.spi_t for p in oldest_first]),
        ("CPI", [p.cpi for p in oldest_first]),
    ):
        known = [v for v in values if v is not None]
        ends = f"{index(known[0])} → {index(known[-1])}" if known else "n/a"
        console.print(f"  {label:<7}{spark(values)}  {ends}")
    if trend.unread:
        console.print(f"{len(trend.unread)} commit(s) of the file are not a sound plan and were left out.")
