"""Amounts as every view writes them (``cio_kit.money``), against figures written out by hand."""

from __future__ import annotations

import pytest

from cio_kit.money import cents, compact, money


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (None, None, "n/a"),
        (1_250_000, None, "1,250,000"),
        (1_250_000.4, None, "1,250,000"),
        (1_250_000.5, "CNY", "1,250,000 CNY"),  # to even, as Python rounds
        (-2_500, "", "-2,500"),
        (999.6, "EUR", "1,000 EUR"),
    ],
)
def test_money_is_whole_units_with_separators(amount: float | None, currency: str | None, shown: str) -> None:
    assert money(amount, currency) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (None, "n/a"),
        (0, "0"),
        (999.4, "999"),
        (999.6, "1k"),
        (1_000, "1k"),
        (1_500, "1.5k"),
        (52_249_000, "52.2M"),
        (-1_234_000, "-1.23M"),
        (999_999, "1M"),  # three figures round it up a unit, not to "1e+03k"
        (999_500, "1M"),  # exactly where three figures reach the next unit
        (999_499, "999k"),
        (999_500_000, "1B"),
        (999.5e9, "1,000B"),  # past the largest unit: whole units with separators
        (1e12, "1,000B"),
        (2_500_000_000, "2.5B"),
        (1_234_567_000_000, "1,235B"),
    ],
)
def test_compact_is_three_figures_in_the_largest_unit(amount: float | None, shown: str) -> None:
    assert compact(amount) == shown


def test_cents_are_whole_cents_and_an_integer_when_whole() -> None:
    assert cents(1500.0) == 1500 and type(cents(1500.0)) is int
    assert cents(1500.256) == 1500.26 and type(cents(1500.256)) is float
    assert cents(0.004) == 0 and type(cents(0.004)) is int
    assert cents(-12.5) == -12.5
