"""The JSON Schema of the plan format, generated from the pydantic models (never by hand)."""

from __future__ import annotations

from typing import Any

from cio_kit import __version__

SCHEMA_ID = "https://pypi.org/project/cio-kit/plan-v1.schema.json"


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version-1 plan, with a description on every field."""
    from cio_kit.model import Plan

    schema = Plan.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cio-kit plan, format version 1",
        "description": f"An informatization plan checked by cio-kit {__version__}.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }
