"""``report trend``: the plan's figures at every status date in its git history (SPEC §17).

Each point is the plan as one commit left it, judged as ``report evm`` and
``plan validate`` judge it now: earned value (against the same baseline),
the forecast's last day, the Monte Carlo P80 with the board's runs and seed,
the range of the estimates at completion, and the errors and warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cio_kit.analysis.baseline import Baseline
from cio_kit.analysis.history import Version, versions
from cio_kit.config import Config
from cio_kit.findings import Severity
from cio_kit.situation import BOARD_RUNS, BOARD_SEED, Situation


@dataclass(frozen=True)
class TrendPoint:
    """The plan's figures at one status date."""

    status_date: dt.date
    """The status date the commit set."""
    commit: str
    """The commit that set it (full hash)."""
    spi: float | None
    """Schedule performance index, EV / PV."""
    cpi: float | None
    """Cost performance index, EV / AC."""
    spi_t: float | None
    """Time-based schedule performance index, ES / AT."""
    forecast_last_day: dt.date | None
    """The forecast's last day of work."""
    p80: dt.date | None
    """The last day not exceeded in 80% of the runs (the board's runs and seed)."""
    eac_low: float | None
    """The lowest estimate at completion of the three methods."""
    eac_high: float | None
    """The highest estimate at completion."""
    errors: int
    """Errors in the plan at that commit."""
    warnings: int
    """Warnings in the plan at that commit."""


@dataclass(frozen=True)
class Trend:
    """The points of one plan's history, newest first."""

    plan: str
    """The enterprise name, as the newest point's plan gives it."""
    currency: str
    """The plan's currency."""
    points: tuple[TrendPoint, ...]
    """One per status date, newest first."""
    unread: tuple[str, ...] = ()
    """Commits whose version of the plan could not be read (too large, or not a sound plan)."""


def trend(
    path: Path,
    config: Config,
    since: str | None = None,
    baseline: Baseline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Trend:
    """The trend of the plan at ``path`` since git ``since`` (all its history without it), newest first.

    BaselineError when git cannot read the history. ``progress(done, total)``
    is called after each version that is judged.
    """
    from cio_kit.validate import check_bytes

    limit = int(config.limits.max_file_mib * 1024 * 1024)
    found = versions(path, since, limit)
    points: list[TrendPoint] = []
    unread: list[str] = []
    name, currency = path.name, "USD"  # the newest readable version's, below
    newer: dt.date | None = None
    # Newest first, a point where the status date differs from the newer commit's: the last word
    # for each status date, so a correction made after a status report is in its figures.
    for done, version in enumerate(found, start=1):
        raw = version.content
        loaded = None if raw is None else check_bytes(raw, _shown(version, path), config)
        plan = loaded.plan if loaded is not None and not loaded.blocked else None
        if loaded is None or plan is None:
            unread.append(version.commit)
        elif plan.enterprise.status_date is not None and plan.enterprise.status_date != newer:
            newer = plan.enterprise.status_date
            if not points:
                name, currency = plan.enterprise.name, plan.enterprise.currency
            errors = sum(1 for f in loaded.findings if f.severity is Severity.ERROR)
            warnings = sum(1 for f in loaded.findings if f.severity is Severity.WARNING)
            points.append(_point(Situation(plan, baseline, level=config.level), version, errors, warnings))
        if progress is not None:
            progress(done, len(found))
    return Trend(name, currency, tuple(points), tuple(unread))


def _shown(version: Version, path: Path) -> str:
    return f"{version.commit[:12]}:{path.as_posix()}"


def _point(situation: Situation, version: Version, errors: int, warnings: int) -> TrendPoint:
    plan = situation.plan
    status = plan.enterprise.status_date
    assert status is not None
    earned = situation.earned_value
    return TrendPoint(
        status_date=status,
        commit=version.commit,
        spi=earned.spi if earned else None,
        cpi=earned.cpi if earned else None,
        spi_t=earned.spi_t if earned else None,
        forecast_last_day=situation.schedule.project_last_day,
        p80=situation.risk_last_day(0.8, BOARD_RUNS, BOARD_SEED),
        eac_low=earned.eac_low if earned else None,
        eac_high=earned.eac_high if earned else None,
        errors=errors,
        warnings=warnings,
    )
