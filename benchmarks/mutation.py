"""Mutation score per module: does a plausible one-line bug fail a test?

Runs mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) on the named
modules or packages and prints, per module, how many mutants the tests killed.
mutmut runs only the tests that reach each mutated function (it records which
tests call which function first), so a module takes minutes on two cores.

    python benchmarks/mutation.py spend yamlsafe rules.budget render
    python benchmarks/mutation.py --report-only spend   # the last run's results
    python benchmarks/mutation.py --retry render        # judge survivors again, after new tests

A name is a module or a package under ``cio_kit`` (``rules`` takes every rule
family). The score is (killed + timed out) / every mutant checked: a mutant no
test reaches counts against it. Run from the repository root.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

# mutmut names a mutant <module>.x_<function>__mutmut_<n> or <module>.xǁ<Class>ǁ<method>__mutmut_<n>.
MUTANT = re.compile(r"^\s*(?P<module>[\w.]+?)\.x(?:_|ǁ)\S*__mutmut_\d+: (?P<status>.+)$")
KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def results() -> dict[str, Counter[str]]:
    """Status counts per module, from ``mutmut results --all true``."""
    out = subprocess.run(
        ["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        match = MUTANT.match(line)
        if match:
            by_module[match["module"]][match["status"]] += 1
    return by_module


def selected(module: str, names: list[str]) -> bool:
    return any(module == f"cio_kit.{name}" or module.startswith(f"cio_kit.{name}.") for name in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="+", help="modules or packages under cio_kit, e.g. spend rules render"
    )
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--report-only", action="store_true", help="print the last run's results")
    parser.add_argument(
        "--retry",
        action="store_true",
        help="forget which tests reach what and judge the survivors again (after adding tests)",
    )
    args = parser.parse_args()
    if args.retry:
        retry(args.modules)
    if not args.report_only:
        env = {**os.environ, "CIO_KIT_MUTATION": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        globs = [f"cio_kit.{name}.*" for name in args.modules]
        command = ["mutmut", "run", "--max-children", str(args.max_children), *globs]
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    table = {module: counts for module, counts in results().items() if selected(module, args.modules)}
    print("| module | mutants | killed | survived | no tests | not checked | score |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    totals: Counter[str] = Counter()
    for module, counts in sorted(table.items()):
        totals.update(counts)
        print(row(module.removeprefix("cio_kit."), counts))
    if len(table) > 1:
        print(row("**all**", totals))
    return 0


def retry(names: list[str]) -> None:
    """Mark the modules' survivors (and mutants no test reached) as not checked.

    mutmut keeps each mutant's result in ``mutants/**/*.py.meta`` and runs only
    the tests it once saw reach a function, so new tests are seen only after its
    record of them (``mutmut-stats.json``) is dropped.
    """
    import json
    from pathlib import Path

    Path("mutants/mutmut-stats.json").unlink(missing_ok=True)
    for meta in Path("mutants/src").rglob("*.py.meta"):
        module = ".".join(meta.relative_to("mutants/src").with_suffix("").with_suffix("").parts)
        if not selected(module, names):
            continue
        record = json.loads(meta.read_text())
        codes = record["exit_code_by_key"]
        for key, code in codes.items():
            if code in (0, 33):  # survived, or no test reached it
                codes[key] = None
        meta.write_text(json.dumps(record))


def row(name: str, counts: Counter[str]) -> str:
    killed = sum(counts[status] for status in KILLED)
    unchecked = counts["not checked"]
    checked = sum(counts.values()) - unchecked - counts["skipped"]
    score = f"{100 * killed / checked:.1f}%" if checked else "—"
    return (
        f"| {name} | {sum(counts.values())} | {killed} | {counts['survived']} | {counts['no tests']} "
        f"| {unchecked} | {score} |"
    )


if __name__ == "__main__":
    sys.exit(main())
