"""The layers of the README's architecture hold: no cycle, no import from a lower layer to a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cio_kit"

#: The layers, highest first, as pyproject.toml's import-linter contract lists them.
LAYERS = (
    ("cli",),
    ("interchange",),
    ("render",),
    ("reports",),
    ("validate",),
    ("rules",),
    ("portfolio",),
    ("situation",),
    ("analysis",),
    ("config",),
    ("plan",),
    ("findings", "money"),
)


def _imports() -> dict[str, set[str]]:
    """Every module of cio_kit and the cio_kit modules it imports, inside functions included."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[:-1]
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        targets = found.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name.startswith("cio_kit"))
            elif isinstance(node, ast.ImportFrom):
                base = (package[: len(package) - node.level + 1] if node.level else []) + (
                    [node.module] if node.module else []
                )
                module = ".".join(base)
                if module.startswith("cio_kit"):
                    targets.update(f"{module}.{alias.name}" for alias in node.names)
                    targets.add(module)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    for rank, names in enumerate(LAYERS):
        if parts[1] in names:
            return rank
    return None


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in _imports().items()
        for target in targets
        if (mine := _layer(module)) is not None and (theirs := _layer(target)) is not None and theirs < mine
    ]
    assert upward == []


def test_every_module_has_a_layer() -> None:
    assert [m for m in _imports() if m.count(".") and _layer(m) is None and m != "cio_kit.__main__"] == []


def test_import_linter_contracts_hold() -> None:
    lint = pytest.importorskip("importlinter.cli", reason="import-linter is in the dev extra")
    assert lint.lint_imports() == 0
