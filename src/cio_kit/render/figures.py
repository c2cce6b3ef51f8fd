"""How the report renderers write a figure: ratios, shares, bars and severity colours, one way each."""

from __future__ import annotations

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan", "ok": "green"}
"""Rich style of a status or finding severity."""


def index(value: float | None) -> str:
    """A performance index (SPI, CPI, SPI(t)) to two decimals; "n/a" when there is none (SPEC §16)."""
    return "n/a" if value is None else f"{value:.2f}"


def percent(share: float | None) -> str:
    """A share as a whole percentage; "n/a" when there is none."""
    return "n/a" if share is None else f"{share:.0%}"


def bar(share: float, width: int) -> str:
    """A bar of ``share`` × ``width`` cells, in eighths for a smooth end."""
    eighths = max(0, round(share * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


def json_ratio(value: float | None) -> float | None:
    """A ratio as JSON gives it: four decimals, null when there is none."""
    return None if value is None else round(value, 4)


def json_amount(value: float | None) -> float | None:
    """An amount (or days) as JSON gives it: two decimals, null when there is none."""
    return None if value is None else round(value, 2)
