"""The suite itself: no test can pass without asserting something that could fail (issue 31)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

#: Calls that fail a test by raising: pytest's own, and jsonschema's validation.
FAILING_CALLS = {"raises", "warns", "fail", "validate"}


def _called(node: ast.AST) -> set[str]:
    """The names of the functions called anywhere in ``node`` (``a.b(...)`` counts as ``b``)."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                names.add(call.func.id)
            elif isinstance(call.func, ast.Attribute):
                names.add(call.func.attr)
    return names


def _checks(node: ast.AST, helpers: set[str]) -> bool:
    """True when ``node`` asserts, calls what fails by raising, or calls a helper that asserts."""
    return any(isinstance(n, ast.Assert) for n in ast.walk(node)) or bool(
        _called(node) & (FAILING_CALLS | helpers)
    )


def _functions(sources: dict[str, str]) -> list[tuple[str, ast.FunctionDef]]:
    return [
        (name, node)
        for name, text in sources.items()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef)
    ]


def unchecked_tests(sources: dict[str, str]) -> list[str]:
    """The test functions of ``sources`` (file name: text) that neither assert nor call a checker.

    A helper (any function not named ``test_*``, fixtures' inner functions included) is a
    checker when it asserts or calls a checker itself, found to a fixed point.
    """
    functions = _functions(sources)
    helpers: set[str] = set()
    while True:
        found = {
            node.name
            for _, node in functions
            if not node.name.startswith("test_") and node.name not in helpers and _checks(node, helpers)
        }
        if not found:
            break
        helpers |= found
    return [
        f"{name}::{node.name}"
        for name, node in functions
        if node.name.startswith("test_") and not _checks(node, helpers)
    ]


def constant_asserts(sources: dict[str, str]) -> list[str]:
    """``assert`` statements whose condition is a constant (``assert True``, ``assert not 0``)."""
    found = []
    for name, text in sources.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Assert):
                test = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
                if isinstance(test, ast.Constant):
                    found.append(f"{name}:{node.lineno}")
    return found


def _suite() -> dict[str, str]:
    return {str(path.relative_to(TESTS)): path.read_text(encoding="utf-8") for path in TESTS.rglob("*.py")}


def test_every_test_asserts_something() -> None:
    assert unchecked_tests(_suite()) == []
    assert constant_asserts(_suite()) == []


def test_the_check_finds_a_test_that_checks_nothing() -> None:
    """It bites: a test that only runs code, or asserts a constant, is named."""
    sources = {
        "a.py": (
            "def helper(x):\n    assert x\n"
            "def wrapper(x):\n    helper(x)\n"
            "def test_runs_only():\n    print(1)\n"
            "def test_through_a_helper():\n    wrapper(2)\n"
            "def test_raises():\n    with pytest.raises(ValueError):\n        int('x')\n"
            "def test_constant():\n    assert True\n"
        )
    }
    assert unchecked_tests(sources) == ["a.py::test_runs_only"]
    assert constant_asserts(sources) == ["a.py:13"]
