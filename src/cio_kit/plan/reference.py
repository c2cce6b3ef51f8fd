"""``docs/plan-format.md``: the plan format's reference, generated from the models (never by hand).

Every section and field with its type, whether it is required, its default,
its bounds and the model's own description, in the order a plan is written.
``tests/test_real_data.py`` fails when the file drifts from the models; run
``python -m cio_kit.plan.reference > docs/plan-format.md`` after a change.
"""

from __future__ import annotations

import json
from typing import Any

_BOUNDS = {
    "minimum": "≥ {}",
    "exclusiveMinimum": "> {}",
    "maximum": "≤ {}",
    "exclusiveMaximum": "< {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} items",
    "pattern": "matches `{}`",
}

_EXAMPLE = """\
cio_kit: 1
enterprise: {name: Acme Manufacturing, currency: EUR, plan_start: 2027-01-04, status_date: 2027-06-30}
goals:
  - {id: G-COST, title: Lower order-handling cost, kpi: {name: cost_per_order, unit: EUR,
     baseline: 12, target: 8}, due: 2028-12-31}
processes:
  - {id: P-O2C, name: Order to cash}
stakeholders:
  - {id: SG-CLERKS, name: Order clerks, level: staff, headcount: 40}
stages:
  - id: S-O2C-REDESIGN
    title: Redesign order to cash
    kind: process-redesign
    processes: [P-O2C]
    serves: [G-COST]
    duration_weeks: 8
    owner: Sales director
    budget: [{amount: 60000, class: transform, category: process-redesign}]
    status: done
    actual_start: 2027-01-04
    actual_finish: 2027-02-26
    actual_cost: 58000
  - {id: S-ERP, title: Roll out the ERP, kind: system-rollout, processes: [P-O2C], serves: [G-COST],
     duration_weeks: 20, depends_on: [S-O2C-REDESIGN, D-HOSTING], owner: CIO}
risks:
  - {id: R-DATA, title: Customer data is dirtier than assumed, owner: Data lead, probability: 0.4,
     impact: {weeks: {optimistic: 1, likely: 3, pessimistic: 6}, cost: 40000}, stages: [S-ERP],
     mitigation: {action: Profile the data now, owner: Data lead, due: 2027-07-31}}
issues:
  - {id: I-KEYUSER, title: Two key users left sales, owner: Sales director, raised: 2027-06-01,
     due: 2027-07-15, severity: medium, stages: [S-ERP]}
decisions:
  - {id: D-HOSTING, title: Cloud or on premises, owner: IT steering board, needed_by: 2027-07-31,
     options: [Public cloud, On premises]}
"""


def reference() -> str:
    """The Markdown reference of the plan format."""
    from cio_kit.plan.schema import plan_schema

    schema = plan_schema()
    definitions = schema["$defs"]
    lines = [
        "# The plan format (version 1)",
        "",
        "Generated from cio-kit's models by `python -m cio_kit.plan.reference`; a test fails when it",
        "drifts. A plan is one YAML file; unknown keys are errors (PLAN002), `null` is the same as",
        "absent. `cio-kit plan schema` prints the same format as a JSON Schema for editors.",
        "",
        "A small plan:",
        "",
        "```yaml",
        _EXAMPLE.rstrip(),
        "```",
        "",
        "## The plan",
        "",
        *_table(schema),
    ]
    for name in sorted(definitions):
        lines += [
            "",
            f"## {name}",
            "",
            *_description(definitions[name]),
            *_table(definitions[name]),
        ]
    return "\n".join(lines) + "\n"


def _description(definition: dict[str, Any]) -> list[str]:
    text = " ".join(str(definition.get("description", "")).split())
    return [text, ""] if text else []


def _table(definition: dict[str, Any]) -> list[str]:
    properties = definition.get("properties")
    if not properties:
        return ["(no fields)"]
    required = set(definition.get("required", []))
    rows = ["| field | type | required | default | bounds | what it is |", "|---|---|---|---|---|---|"]
    for name, spec in properties.items():
        default = spec.get("default")
        shown = "" if default is None else f"`{json.dumps(default, ensure_ascii=False)}`"
        description = " ".join(str(spec.get("description", "")).split()).replace("|", "\\|")
        rows.append(
            f"| `{name}` | {_type(spec)} | {'yes' if name in required else ''} | {shown} | "
            f"{_bounds(spec)} | {description} |"
        )
    return rows


def _type(spec: dict[str, Any]) -> str:
    """A field's type in words: a section links to its own heading."""
    if "$ref" in spec:
        name = spec["$ref"].split("/")[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    if "enum" in spec:
        return " \\| ".join(f"`{value}`" for value in spec["enum"])
    options = [option for option in spec.get("anyOf", []) if option != {"type": "null"}]
    if options:
        return " or ".join(_type(option) for option in options)
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object" and "additionalProperties" in spec and isinstance(spec["additionalProperties"], dict):
        return f"map to {_type(spec['additionalProperties'])}"
    if spec.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return str(kind)


def _bounds(spec: dict[str, Any]) -> str:
    found = [template.format(spec[key]) for key, template in _BOUNDS.items() if key in spec]
    for option in spec.get("anyOf", []):
        found += [template.format(option[key]) for key, template in _BOUNDS.items() if key in option]
    return ", ".join(found).replace("|", "\\|")


if __name__ == "__main__":
    import sys

    sys.stdout.write(reference())
