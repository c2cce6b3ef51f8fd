"""Lesson 2, the driver: the CIO steers, and is not buried in maintenance (CIO001–CIO003)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cio_kit.findings import Draft, Severity
from cio_kit.plan.model import DUTIES
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule


def duty_unowned(ctx: Context) -> Iterator[Draft]:
    """One of the seven CIO duties has no accountable owner.

    What it checks:
        When the plan has a `cio` section, each of strategy,
        resource_allocation, coordination, hardware_selection,
        investment_planning, maintenance and upgrades has an owner in
        `cio.duties`.

    Why it matters:
        Lesson 2: the CIO owns strategy, resource allocation, coordination
        between departments, hardware type selection, investment planning,
        maintenance and upgrading. A duty nobody owns falls back on the CIO
        by default — usually maintenance.

    Example:
        cio:
          duties: {strategy: CIO, maintenance: IT operations manager}

    Fix:
        Name an accountable owner for every duty, delegating the operational ones.

    """
    cio = ctx.plan.cio
    if cio is None:
        return
    duties = cio.duties
    missing = [duty for duty in DUTIES if duties is None or not getattr(duties, duty)]
    if missing:
        yield Draft(
            "CIO001",
            ("cio", "duties"),  # at cio when no duties are written
            f"no accountable owner for {', '.join(missing)}; name one in cio.duties",
            related=tuple(missing),
        )


rule("CIO001", "duty-unowned", Severity.WARNING, duty_unowned)


def cio_chasing_the_bus(ctx: Context) -> Iterator[Draft]:
    """The CIO spends too much time on maintenance and upgrades.

    What it checks:
        In `cio.time_split`, maintenance plus upgrades is at most
        `cio_ops_warn` (30%, a warning above) and `cio_ops_error` (50%, an
        error above).

    Why it matters:
        Lesson 2: a CIO buried in maintenance is "a driver chasing his own
        bus". The time goes to keeping systems up instead of steering the
        enterprise's informatization.

    Example:
        cio:
          time_split: {strategy: 10, coordination: 20, maintenance: 45, upgrades: 25}

    Fix:
        Delegate maintenance and upgrades to an IT operations owner and give
        the time back to strategy and coordination.

    """
    cio = ctx.plan.cio
    split = cio.time_split if cio else None
    if split is None:
        return
    ops = split.maintenance + split.upgrades
    warn, error = ctx.thresholds.cio_ops_warn * 100, ctx.thresholds.cio_ops_error * 100
    if ops > error:
        severity, limit = Severity.ERROR, error
    elif ops > warn:
        severity, limit = Severity.WARNING, warn
    else:
        return
    yield Draft(
        "CIO002",
        ("cio", "time_split", "maintenance"),  # at time_split when maintenance is not written
        f"maintenance and upgrades take {ops:g}% of the CIO's time, above {limit:g}%: a driver chasing "
        "his own bus; delegate them to IT operations",
        severity=severity,
    )


rule("CIO002", "cio-chasing-the-bus", Severity.WARNING, cio_chasing_the_bus)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def cio_owns_maintenance(ctx: Context) -> Iterator[Draft]:
    """The CIO personally holds the maintenance duty.

    What it checks:
        The owner of `cio.duties.maintenance` is not the CIO: not
        `cio.holder`, `CIO` or `Chief Information Officer` (ignoring case
        and extra spaces).

    Why it matters:
        Lesson 2: maintenance is a duty the CIO is accountable for, not one
        to carry personally; held by the CIO, it crowds out strategy.

    Example:
        cio:
          holder: Li Wei
          duties: {maintenance: Li Wei}

    Fix:
        Make the IT operations manager the owner of maintenance.

    """
    cio = ctx.plan.cio
    owner = cio.duties.maintenance if cio and cio.duties else None
    if owner is None or cio is None:
        return
    names = {"cio", "chief information officer"}
    if cio.holder:
        names.add(_squash(cio.holder))
    if _squash(owner) in names:
        yield Draft(
            "CIO003",
            ("cio", "duties", "maintenance"),
            f"maintenance is held by the CIO ({owner}); make the IT operations manager its owner",
        )


rule("CIO003", "cio-owns-maintenance", Severity.WARNING, cio_owns_maintenance)
