"""PERT-beta draws by table: the inverse CDF of each distinct shape, looked up with float32 uniforms.

numpy's ``Generator.beta`` with a shape per stage costs about eight times a
table lookup, and on a 10,000-stage plan at 10,000 runs it was most of
``roadmap risk``. A plan has few distinct PERT shapes (α, β): estimates are
written in round weeks, so a 10,000-stage plan holds tens of them. For each
shape a table holds the quantiles of B(α, β) at the midpoints of
``TABLE_POINTS`` equal slices of probability, computed once from the density
by the trapezoid rule; a draw is the quantile of the slice a uniform falls
in. The draws then follow B(α, β) to within 1/``TABLE_POINTS`` in
probability, which a Kolmogorov–Smirnov test against numpy's beta holds.
A plan with more than ``MOST_SHAPES`` shapes (the tables would not stay
small) is drawn by numpy's beta, as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Quantiles per shape: a draw is within 1/4096 of B(α, β) in probability.
TABLE_POINTS = 4096
#: Beyond this many distinct shapes the tables (32 KiB each) give way to numpy's beta.
MOST_SHAPES = 1024
#: Points of the density integrated per table: the trapezoid rule's error is far below a slice.
_GRID = 8193


class PertSampler:
    """Draws of B(α, β), one per stage (α and β per stage, each at least 1), for a block of runs."""

    def __init__(self, alpha: Any, beta: Any) -> None:
        self.alpha, self.beta = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
        shapes, shape_of = np.unique(np.stack([self.alpha, self.beta], axis=1), axis=0, return_inverse=True)
        self.tabled = len(shapes) <= MOST_SHAPES
        if self.tabled:
            # float64, so a lookup is the duration's own type: 32 KiB a shape, in cache for tens of them.
            self.table = quantile_tables(shapes).ravel()
            self.offset = (shape_of.reshape(-1) * TABLE_POINTS).astype(np.int32)

    def draw(self, rng: np.random.Generator, size: int, runs: Any = None) -> Any:
        """``size`` runs of every stage, stage-major (a row per stage), as float64.

        Drawn run by run, so the numbers do not depend on how runs are split into blocks.
        With ``runs`` (positions among the ``size``), all are drawn and only those returned.
        """
        stages = len(self.alpha)
        if not self.tabled:
            drawn = rng.beta(self.alpha, self.beta, size=(size, stages))
            return (drawn if runs is None else drawn[runs]).T
        uniform = rng.random((size, stages), dtype=np.float32)
        if runs is not None:
            uniform = uniform[runs]
        uniform *= TABLE_POINTS  # below 4096: a float32 uniform is at most 1 − 2⁻²⁴
        slot = uniform.astype(np.int32)
        slot += self.offset
        return np.take(self.table, slot.T)  # stage-major, a fresh C-ordered array


def quantile_tables(shapes: Any) -> Any:
    """Per (α, β) row of ``shapes``: B(α, β)'s quantiles at the midpoints of ``TABLE_POINTS`` slices."""
    x = np.linspace(0.0, 1.0, _GRID)
    inner = x[1:-1]
    wanted = (np.arange(TABLE_POINTS) + 0.5) / TABLE_POINTS
    tables = np.empty((len(shapes), TABLE_POINTS))
    for number, (alpha, beta) in enumerate(shapes):
        density = np.empty_like(x)
        density[1:-1] = np.exp((alpha - 1) * np.log(inner) + (beta - 1) * np.log1p(-inner))
        # At the ends x^(α−1)(1 − x)^(β−1) is 1 for a shape parameter of exactly 1, else 0.
        density[0], density[-1] = float(alpha == 1), float(beta == 1)
        cumulative = np.concatenate(([0.0], np.cumsum(density[1:] + density[:-1])))
        tables[number] = np.interp(wanted, cumulative / cumulative[-1], x)
    return tables
