"""PERT-beta draws by table (issue: sampling at the cost of a lookup) against numpy's beta."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cio_kit.analysis.pert import MOST_SHAPES, TABLE_POINTS, PertSampler, quantile_tables


def _ks(first: Any, second: Any) -> float:
    """The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs."""
    first, second = np.sort(first), np.sort(second)
    points = np.concatenate([first, second])
    gap = np.searchsorted(first, points, side="right") / len(first) - np.searchsorted(
        second, points, side="right"
    ) / len(second)
    return float(np.abs(gap).max())


# PERT shapes: symmetric, skewed either way, flat, and the extremes α or β = 1 with the other 5.
SHAPES = [(3.0, 3.0), (1.8, 4.2), (4.2, 1.8), (1.0, 1.0), (1.0, 5.0), (5.0, 1.0), (2.3333, 3.6667)]


def test_table_draws_follow_numpys_beta_by_kolmogorov_smirnov() -> None:
    """200,000 draws per shape, table against numpy's beta: the KS statistic stays under the 0.1%
    critical value 1.95·√(2/n) ≈ 0.0062, shape by shape. A table off by one slice, or built from the
    wrong tail, moves the statistic far past it: (1.8, 4.2) against its mirror (4.2, 1.8) gives 0.72."""
    n = 200_000
    alpha, beta = np.array(SHAPES).T
    sampler = PertSampler(alpha, beta)
    assert sampler.tabled
    table = sampler.draw(np.random.default_rng(1), n)  # a row per shape
    reference = np.random.default_rng(2).beta(alpha, beta, size=(n, len(SHAPES))).T
    critical = 1.95 * (2 / n) ** 0.5
    for row, shape in enumerate(SHAPES):
        assert _ks(table[row], reference[row]) < critical, shape
    # and the statistic can fail: a shape against its mirror image
    assert _ks(table[1], reference[2]) > 0.2


def test_the_tables_quantiles_by_hand() -> None:
    """B(1, 1) is uniform: its quantiles are the slice midpoints. B(2, 1) has CDF x², so the
    quantile of q is √q; B(1, 2) has CDF 1 − (1 − x)², so it is 1 − √(1 − q)."""
    uniform, rising, falling = quantile_tables(np.array([(1.0, 1.0), (2.0, 1.0), (1.0, 2.0)]))
    wanted = (np.arange(TABLE_POINTS) + 0.5) / TABLE_POINTS
    assert uniform == pytest.approx(wanted, abs=1e-6)
    assert rising == pytest.approx(np.sqrt(wanted), abs=1e-5)
    assert falling == pytest.approx(1 - np.sqrt(1 - wanted), abs=1e-5)


def test_draws_are_stage_major_and_the_same_however_runs_are_split() -> None:
    sampler = PertSampler([3.0, 1.0, 5.0], [3.0, 5.0, 1.0])
    whole = sampler.draw(np.random.default_rng(7), 10)
    assert whole.shape == (3, 10) and whole.dtype == np.float64 and whole.flags["C_CONTIGUOUS"]
    rng = np.random.default_rng(7)
    split = np.concatenate([sampler.draw(rng, 4), sampler.draw(rng, 6)], axis=1)
    assert (split == whole).all()
    assert whole[1].mean() < 0.5 < whole[2].mean()  # B(1, 5) sits low, B(5, 1) high


def test_many_shapes_are_drawn_by_numpys_beta() -> None:
    """Past MOST_SHAPES distinct shapes the tables would not stay small: numpy's beta draws them;
    at exactly MOST_SHAPES they are still tabled."""
    alpha = 1 + np.arange(MOST_SHAPES + 1) / MOST_SHAPES
    assert PertSampler(alpha[:MOST_SHAPES], alpha[:MOST_SHAPES]).tabled
    sampler = PertSampler(alpha, alpha[::-1])
    assert not sampler.tabled
    expected = np.random.default_rng(3).beta(alpha, alpha[::-1], size=(5, len(alpha))).T
    assert (sampler.draw(np.random.default_rng(3), 5) == expected).all()


# P50 / P80 / P95 last days of the bundled plans at 10,000 runs, drawn by numpy's beta before the
# tables (commit c28232f): the tables must keep each within a day.
BEFORE = {
    "finance-ssc.yaml": ("2028-06-21", "2028-06-24", "2028-07-23"),
    "hengda-group.yaml": ("2029-08-09", "2029-09-22", "2029-11-05"),
    "plant-two-mes.yaml": ("2029-04-15", "2029-04-29", "2029-05-05"),
}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_bundled_percentiles_stay_within_a_day_of_numpys_beta(
    cli: Callable[..., Any], in_root: Path, name: str
) -> None:
    import datetime as dt

    answer = json.loads(cli("roadmap", "risk", f"plans/{name}", "--runs", "10000", "-f", "json").stdout)
    found = answer["finish_last_days"]
    for key, before in zip(("p50", "p80", "p95"), BEFORE[name], strict=True):
        moved = dt.date.fromisoformat(found[key]) - dt.date.fromisoformat(before)
        assert abs(moved.days) <= 1, (key, found[key], before)
