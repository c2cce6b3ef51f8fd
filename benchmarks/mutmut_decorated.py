"""mutmut, with decorated functions mutated too: ``python benchmarks/mutmut_decorated.py run ...``.

mutmut 3 leaves every decorated function alone (its source gives three reasons:
a copied decorator runs twice, a mutated decorator can break the import, and a
copied ``@property`` is not callable by its trampoline). That left the EVM
formulas, every ``@property`` and ``@cached_property`` figure, the CLI's
commands (``@app.command``) and context managers unmeasured (issue 31).

The three reasons concern the copies, not the body. So this keeps the
decorators on the trampoline alone, where they run once as written, and strips
them from the original's copy and from each mutant, which the trampoline calls
as plain functions. Decorators themselves are still never mutated. Functions
mutmut already handles (a lone ``@staticmethod`` or ``@classmethod``) are left
to it; a ``classmethod`` or ``staticmethod`` under another decorator is still
skipped (the trampoline cannot bind it). A cache (``lru_cache``) wraps the
trampoline, so what it holds from before the mutant is switched on (mutmut's
fork server imports and collects the tests first) can hide the mutant: keep
caches off code worth measuring, or expect its survivors to say so.

A mutant's tests run fastest first: mutmut hands pytest the tests that reach a
function in no particular order, and with ``-x`` the first failure ends the run,
so a kill costs the fast unit test that makes it, not a slow end-to-end one.

``mutation.py --most-tests N`` caps each mutant's tests at the N fastest (see
``_fastest_first``): its scores are then lower bounds of the whole suite's.

A run resumes: mutmut runs again every mutant a pattern names, judged or not,
so a stopped run of a module would start over. Here only mutants without a
result are run (``mutation.py --recheck`` clears survivors to judge them
again; mutmut itself clears a function's results when its code changes).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import libcst as cst
from mutmut.mutation import file_mutation

# mutmut binds a lone one of these itself; under another decorator the trampoline cannot.
_BINDING = {"staticmethod", "classmethod"}


def _name(decorator: cst.Decorator) -> str:
    """The decorator's last name: ``property``, ``command`` for ``@app.command(...)``."""
    node = decorator.decorator
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else ""


def _decorated(node: cst.CSTNode) -> bool:
    """A decorated function this launcher mutates (and mutmut alone would not)."""
    if not isinstance(node, cst.FunctionDef) or not node.decorators:
        return False
    return not {_name(decorator) for decorator in node.decorators} & _BINDING


_skip = file_mutation.MutationVisitor._skip_node_and_children
_arrange = file_mutation.function_trampoline_arrangement


def _skip_node_and_children(self: Any, node: cst.CSTNode) -> bool:
    if _decorated(node):
        # mutmut's own checks, as for the undecorated function: pragmas and names never mutated.
        assert isinstance(node, cst.FunctionDef)
        position = self.get_metadata(file_mutation.PositionProvider, node, None)
        if position and position.start.line in self._ignored_node_lines:
            self.ignored_functions.add(node.name.value)
            return True
        return node.name.value in file_mutation.NEVER_MUTATE_FUNCTION_NAMES
    return bool(_skip(self, node))


def _function_trampoline_arrangement(function: cst.FunctionDef, mutants: Any, class_name: str | None) -> Any:
    declarations, methods, assignments, names = _arrange(function, mutants, class_name)
    if _decorated(function):
        # The trampoline (first) keeps the decorators; the copies it calls are plain functions.
        methods = [methods[0], *(method.with_changes(decorators=[]) for method in methods[1:])]
    return declarations, methods, assignments, names


def _unjudged(collect: Any) -> Any:
    """mutmut's choice of mutants to run, less those that already have a result."""

    def collect_unjudged(*args: Any, **kwargs: Any) -> Any:
        mutants, data_by_path = collect(*args, **kwargs)
        return [entry for entry in mutants if entry[2] is None], data_by_path

    return collect_unjudged


def _fastest_first(arguments: Any) -> Any:
    """mutmut's pytest arguments for a run, its tests ordered by their recorded duration.

    With ``CIO_KIT_MUTATION_MOST_TESTS=N`` only the N fastest of them run, so a mutant of a
    function that a thousand tests reach (the loader, the model) costs N tests when it survives,
    not the whole suite; a mutant only a slower test would kill then counts as a survivor.
    """
    most = int(os.environ.get("CIO_KIT_MUTATION_MOST_TESTS") or 0) or None

    def ordered(self: Any, tests: Any) -> Any:
        from mutmut.state import state

        took = state().duration_by_test
        return arguments(self, sorted(tests, key=lambda test: (took.get(test, 0.0), test))[:most])

    return ordered


file_mutation.MutationVisitor._skip_node_and_children = _skip_node_and_children  # type: ignore[method-assign]
file_mutation.function_trampoline_arrangement = _function_trampoline_arrangement

if __name__ == "__main__":
    import mutmut.__main__
    from mutmut.__main__ import cli
    from mutmut.runners import harness

    harness.PytestRunner._pytest_args_regular_run = _fastest_first(  # type: ignore[method-assign]
        harness.PytestRunner._pytest_args_regular_run
    )
    mutmut.__main__.collect_source_file_mutation_data = _unjudged(
        mutmut.__main__.collect_source_file_mutation_data
    )

    sys.argv[0] = "mutmut"
    cli()
