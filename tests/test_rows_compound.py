"""A stage table's compound cells read with the table's decimal separator, every part of them."""

from __future__ import annotations

from typing import Any

from cio_kit.interchange.rows import plan_from_rows

HEADER = ["id", "title", "kind", "duration_weeks", "estimate", "effort", "budget_items"]


def _stage(estimate: str, effort: str, budget: str, decimal: str | None) -> tuple[dict[str, Any], list[Any]]:
    row = ["S-1", "Rollout", "system-rollout", "2", estimate, effort, budget]
    document, problems = plan_from_rows([HEADER, row], "P", None, decimal=decimal)
    return (document["stages"] or [{}])[0], [(p.row, p.column) for p in problems if p.error]


def test_a_comma_told_as_the_decimal_mark_makes_points_thousands_in_every_part() -> None:
    """German figures: '1.200' is twelve hundred, not one point two, once the table says so."""
    stage, problems = _stage("1.000/1.500/2.000", "R-A: 1.200; R-B: 2,5", "1.250 grow software", ",")
    assert problems == []
    assert stage["estimate"] == {"optimistic": 1000.0, "likely": 1500.0, "pessimistic": 2000.0}
    assert stage["effort"] == {"R-A": 1200.0, "R-B": 2.5}
    assert stage["budget"] == [{"amount": 1250.0, "class": "grow", "category": "software"}]


def test_a_point_told_as_the_decimal_mark_makes_commas_thousands_in_every_part() -> None:
    stage, problems = _stage("1,000/1,500/2,000", "R-A: 1,200", "1,250 run maintenance capex", ".")
    assert problems == []
    assert stage["estimate"] == {"optimistic": 1000.0, "likely": 1500.0, "pessimistic": 2000.0}
    assert stage["effort"] == {"R-A": 1200.0}
    assert stage["budget"] == [{"amount": 1250.0, "class": "run", "category": "maintenance", "capex": True}]


def test_with_no_separator_told_a_compound_part_that_reads_two_ways_is_named() -> None:
    _, problems = _stage("1,000/1,500/2,000", "R-A: 1,200", "1,250 grow software", None)
    assert problems == [(2, 5), (2, 6), (2, 7)]


def test_an_effort_part_is_split_at_its_last_colon_so_the_name_is_what_is_refused() -> None:
    """'Ops: Basis: 5' is five days for 'Ops: Basis', refused as a resource id; not a number unread."""
    row = ["S-1", "Rollout", "system-rollout", "2", "1/2/3", "Ops: Basis: 5; R-B: 2", "100 grow software"]
    _, problems = plan_from_rows([HEADER, row], "P", None)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, 6, "effort: String should match pattern '^[A-Za-z][A-Za-z0-9_.-]*$'")
    ]
