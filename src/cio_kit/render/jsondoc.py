"""JSON documents that stay readable and fast when they hold thousands of rows.

``json.dumps(indent=2)`` falls back to the pure-Python encoder, which costs
more than scheduling a 10,000-stage plan. Here the top level is laid out one
key per line, each row of the big arrays (stages, findings) is one line
encoded by the C encoder, and the output is still valid, diffable JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping


def dump(document: Mapping[str, object], rows: tuple[str, ...] = ()) -> str:
    """``document`` with one top-level key per line and one element per line in the ``rows`` arrays."""
    parts = []
    for key, value in document.items():
        name = json.dumps(key)
        if key in rows and isinstance(value, list) and value:
            inner = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"  {name}: [\n{inner}\n  ]")
        else:
            parts.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def pretty(document: object) -> str:
    """``document`` indented two spaces, for the small documents (reports, rules, SARIF) a person reads."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
