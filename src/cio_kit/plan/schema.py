"""The JSON Schema of the plan format, generated from the pydantic models (never by hand).

The models give types, bounds and descriptions. Three things the loader does
beyond the models are added so that an editor agrees with ``plan validate``
wherever a schema can say it: ``null`` is absent (SPEC §9), so every optional
key also takes null; ``cio_kit`` is 1; and a milestone takes no duration while
only a milestone takes a date, and every other stage needs a duration or an
estimate. What a schema cannot say — optimistic ≤ likely ≤ pessimistic,
references, duplicate ids, dates that need ``plan_start`` — stays the
loader's (PLAN002, PLAN004, PLAN005).
"""

from __future__ import annotations

import ast
import inspect
import sys
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from cio_kit import __version__

if TYPE_CHECKING:
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import core_schema

SCHEMA_ID = "https://pypi.org/project/cio-kit/plan-v1.schema.json"


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version-1 plan, with a description on every field."""
    from pydantic.json_schema import GenerateJsonSchema

    from cio_kit.plan.model import Plan

    classes = _class_docs(Plan.__module__)

    class WithFieldDocs(GenerateJsonSchema):
        def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
            json_schema = super().model_schema(schema)
            model = schema["cls"]
            docs = _field_docs(model, classes)
            for name, field in model.model_fields.items():
                spec = json_schema["properties"][field.alias or name]
                if name in docs:
                    spec.setdefault("description", docs[name])
                if field.default_factory is list:  # an empty list, made afresh for each model
                    spec["default"] = []
            return json_schema

    schema = Plan.model_json_schema(schema_generator=WithFieldDocs)  # by alias, pydantic's default
    for definition in [schema, *schema["$defs"].values()]:
        _null_is_absent(definition)
    schema["properties"]["cio_kit"] = {
        "const": 1,
        "title": "Cio Kit",
        "description": schema["properties"]["cio_kit"]["description"],
    }
    schema["$defs"]["Stage"]["allOf"] = _STAGE_KIND_RULES
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cio-kit plan, format version 1",
        "description": f"An informatization plan checked by cio-kit {__version__}.",
        **{key: value for key, value in schema.items() if key not in ("title", "description")},
    }


def _field_docs(model: type, classes: dict[str, dict[str, str]]) -> dict[str, str]:
    """Each field's description: the docstring under it in its class's source (or a base class's).

    Read here rather than by pydantic's ``use_attribute_docstrings``, which parses the
    source every time the models are imported, and every command that reads a plan imports them.
    """
    docs: dict[str, str] = {}
    for base in reversed(model.__mro__):
        docs.update(classes.get(base.__name__, {}))
    return docs


def _class_docs(module: str) -> dict[str, dict[str, str]]:
    """Per class of ``module``, each annotated field's docstring."""
    tree = ast.parse(inspect.getsource(sys.modules[module]))
    return {
        node.name: {
            field.target.id: inspect.cleandoc(doc.value.value)
            for field, doc in pairwise(node.body)
            if isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(doc, ast.Expr)
            and isinstance(doc.value, ast.Constant)
            and isinstance(doc.value.value, str)
        }
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


_NULL = {"type": "null"}

_STAGE_KIND_RULES = [
    {
        "if": {"properties": {"kind": {"const": "milestone"}}, "required": ["kind"]},
        "then": {"properties": {"duration_weeks": _NULL, "estimate": _NULL, "effort": _NULL}},
        "else": {
            "properties": {"date": _NULL},
            "anyOf": [
                {"required": ["duration_weeks"], "properties": {"duration_weeks": {"type": "number"}}},
                {"required": ["estimate"], "properties": {"estimate": {"type": "object"}}},
                {"required": ["effort"], "properties": {"effort": {"type": "object", "minProperties": 1}}},
            ],
        },
    }
]
"""A milestone takes no time; only a milestone has a date; others need a duration or effort (PLAN002)."""


def _null_is_absent(definition: dict[str, Any]) -> None:
    """Let every optional property of an object definition also be null, as the loader does."""
    required = set(definition.get("required", []))
    for name, spec in definition["properties"].items():  # every definition is a model
        if name in required:
            continue
        options = spec.get("anyOf")
        if options is not None:
            if _NULL not in options:
                options.append(dict(_NULL))
            continue
        kept = {key: spec.pop(key) for key in ("title", "description", "default") if key in spec}
        definition["properties"][name] = {**kept, "anyOf": [spec, dict(_NULL)]}
