"""Small helpers whose output reaches rule messages."""

from __future__ import annotations

import pytest

from cio_kit.rules.governance import _norm, _ordinal


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"),
        (13, "13th"), (20, "20th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"),
        (111, "111th"), (112, "112th"), (1013, "1013th"), (1021, "1021st"),
    ],
)  # fmt: skip
def test_ordinal_as_english_writes_it(number: int, written: str) -> None:
    assert _ordinal(number) == written


def test_sanctions_compare_without_case_or_spacing() -> None:
    assert _norm("  Verbal   WARNING ") == "verbal warning"
