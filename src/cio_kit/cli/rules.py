"""``cio-kit rules``: the rule catalogue."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from cio_kit.cli.common import console, usage_error


class CatalogueFormat(str, enum.Enum):
    """Output formats of ``rules``."""

    text = "text"
    json = "json"


def rules_command(
    rule_id: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional here
        typer.Argument(metavar="RULE", help="A rule ID, e.g. DEP002, to explain in full."),
    ] = None,
    output_format: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CatalogueFormat.text,
) -> None:
    """The rule catalogue: what each rule checks, why it matters, and the fix."""
    from cio_kit.render import catalogue
    from cio_kit.rules import all_rules

    rules = all_rules()
    if rule_id is not None:
        wanted = rule_id.upper()
        if wanted not in rules:
            usage_error(f"unknown rule {rule_id}; `cio-kit rules` lists them")
        rules = {wanted: rules[wanted]}
    if output_format is CatalogueFormat.json:
        sys.stdout.write(catalogue.to_json(rules))
        return

    terminal = console()
    if rule_id is not None:
        catalogue.render_rule(rules[rule_id.upper()], terminal)
    else:
        catalogue.render_table(rules, terminal)
