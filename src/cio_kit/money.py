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


def cents(amount: float) -> float | int:
    """An amount in whole cents, as an integer when it is one (YAML shows ``1500``, not ``1500.0``)."""
    rounded = round(amount, 2)
    return int(rounded) if rounded == int(rounded) else rounded
