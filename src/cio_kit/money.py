"""Amounts of money as every view writes them: one formatter, so no two views disagree on a figure.

Text shows whole currency units with thousands separators (a board reads
"1,250,000", not "1250000.0"); files that are read back (scenarios, JSON)
keep whole cents.
"""

from __future__ import annotations


def money(amount: float | None, currency: str | None = None) -> str:
    """``amount`` in whole units with thousands separators, then the currency if given; "n/a" for None."""
    if amount is None:
        return "n/a"
    text = f"{amount:,.0f}"
    return f"{text} {currency}" if currency else text


def compact(amount: float | None) -> str:
    """``amount`` in three significant figures with k, M or B, for a narrow column: "52.2M"."""
    if amount is None:
        return "n/a"
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        shown = amount / scale
        # 999,999 is "1M", not "1e+03k": the unit is the largest that three figures round up to.
        if abs(shown) >= 0.9995:
            return f"{shown:.3g}{suffix}" if abs(shown) < 999.5 else f"{shown:,.0f}{suffix}"
    return f"{amount:,.0f}"


def cents(amount: float) -> float | int:
    """An amount in whole cents, as an integer when it is one (YAML shows ``1500``, not ``1500.0``)."""
    rounded = round(amount, 2)
    return int(rounded) if rounded == int(rounded) else rounded
