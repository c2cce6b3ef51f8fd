"""The rule catalogue: every rule family, registered in :mod:`cio_kit.rules.registry`.

Importing a family module registers its rules; :func:`all_rules` imports
them all and gives the catalogue in order (lesson by lesson, then by ID).
"""

from __future__ import annotations

from cio_kit.rules.registry import FAMILY_LESSON, REGISTRY, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule, in catalogue order (importing the rule modules on first use)."""
    # Always import: one family may already be loaded on its own (REGISTRY not
    # empty, yet incomplete); a module already imported costs a lookup.
    from cio_kit.rules import (  # noqa: F401 - importing registers the rules
        benefits,
        budget,
        cio,
        deps,
        governance,
        people,
        plan,
        res,
        risk,
        sched,
        strategy,
    )

    order = {family: n for n, family in enumerate(FAMILY_LESSON)}
    return dict(sorted(REGISTRY.items(), key=lambda item: (order[item[1].family], item[0])))
