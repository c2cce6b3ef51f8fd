"""Mutation score per module: does a plausible one-line bug fail a test?

Runs mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) and keeps
every module's counts in ``benchmarks/mutation.json``:

    {"commit": SHA, "tool": "mutmut 3.8.1",
     "modules": {"cio_kit.analysis.evm": {"mutants": N, "killed": K, "survived": S,
                 "timeout": T, "equivalent": E, "not_checked": 0}, ...}}

Score = (killed + timeout) / (mutants − equivalent). mutmut stops a mutant's
tests at ten times their time on the code as committed
(``timeout_multiplier``), so a timeout is a run over ten times the baseline
and counts as a kill; timeouts are still reported on their own. A mutant
shown to change nothing is listed in ``benchmarks/equivalent-mutants.md``
with a one-line reason. A mutant not yet checked stays in the denominator.

    python benchmarks/mutation.py analysis.pert rules.budget   # run them, record, print
    python benchmarks/mutation.py --part 3/8                   # every module, the third of eight parts
    python benchmarks/mutation.py --report-only analysis.pert  # record and print the last results
    python benchmarks/mutation.py --recheck render.sarif       # judge the survivors again (new tests)
    python benchmarks/mutation.py --changed main               # only functions changed since main
    python benchmarks/mutation.py --table                      # the README table, from the JSON
    python benchmarks/mutation.py --exact analysis render      # two packages' __init__ alone
    python benchmarks/mutation.py --most-tests 300 plan.model  # each mutant's 300 fastest tests only
    python benchmarks/mutation.py --list-style-case render.gaps  # list survivors rich cannot tell apart

A run resumes where the last one stopped (mutmut keeps each mutant's result
under ``mutants/``); ``--recheck`` marks survivors not checked, so they count
against the score until they are judged again, never leave it (a survivor
listed as equivalent is left as it is).

A module that most tests reach (the loader, the model, the rules' checks)
costs the whole suite for every mutant that survives: days of two-core time.
``--most-tests N`` runs each mutant's N fastest tests only (fastest first, as
always), so a survivor costs N tests; a mutant only a slower test would kill
is counted as a survivor, so the score is a lower bound of the suite's. The
row records ``"most_tests": N`` and the table shows the score as "≥"
(``--report-only`` takes the same ``--most-tests`` as the run it records; a
later ``--recheck`` without it judges the survivors by the whole suite, and
its record is exact again).

mutmut 3 does not mutate decorated functions (it says so in its source:
``@property`` breaks its trampoline). It runs here through
``benchmarks/mutmut_decorated.py``, which keeps the decorators on the
trampoline alone, so ``@property``, ``@cached_property``, ``@app.command``
and context-manager bodies are measured too; rules are registered by a call,
not a decorator. Run from the repository root.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "benchmarks" / "mutation.json"
EQUIVALENT = ROOT / "benchmarks" / "equivalent-mutants.md"
README = ROOT / "benchmarks" / "README.md"
# mutmut itself, patched to mutate decorated functions as well.
MUTMUT = [sys.executable, str(ROOT / "benchmarks" / "mutmut_decorated.py")]
TABLE_START, TABLE_END = "<!-- mutation table: start -->", "<!-- mutation table: end -->"

# mutmut names a mutant <module>.x_<function>__mutmut_<n> or <module>.xǁ<Class>ǁ<method>__mutmut_<n>.
MUTANT = re.compile(r"^\s*(?P<name>(?P<module>[\w.]+?)\.x(?:_|ǁ)\S*__mutmut_\d+): (?P<status>.+)$")
LISTED = re.compile(r"^- `(?P<name>[^`]+__mutmut_\d+)`")


def statuses() -> dict[str, tuple[str, str]]:
    """Each mutant's (module, status), from ``mutmut results --all true``."""
    out = subprocess.run(
        [*MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return {m["name"]: (m["module"], m["status"]) for line in out.splitlines() if (m := MUTANT.match(line))}


def equivalent() -> set[str]:
    """The mutants listed as equivalent, each with its reason, in ``equivalent-mutants.md``."""
    if not EQUIVALENT.exists():
        return set()
    return {
        m["name"] for line in EQUIVALENT.read_text(encoding="utf-8").splitlines() if (m := LISTED.match(line))
    }


def counts(found: dict[str, tuple[str, str]], modules: set[str]) -> dict[str, dict[str, int]]:
    """Per module: mutants, killed, survived, timeout, equivalent and not checked."""
    same = equivalent()
    # A module with nothing to mutate (documentation only, or re-exports) gets its row of zeros.
    table: dict[str, Counter[str]] = {module: Counter() for module in modules}
    for name, (module, status) in found.items():
        if module not in modules:
            continue
        row = table[module]
        row["mutants"] += 1
        if status in ("killed", "caught by type check", "segfault"):
            row["killed"] += 1  # a kill wins over a listing left over from code since changed
        elif status == "timeout":
            row["timeout"] += 1
        elif name in same:
            row["equivalent"] += 1
        elif status in ("survived", "no tests", "suspicious"):
            row["survived"] += 1  # a mutant no test reaches survives too
        else:  # not checked, skipped
            row["not_checked"] += 1
    keys = ("mutants", "killed", "survived", "timeout", "equivalent", "not_checked")
    return {module: {key: row[key] for key in keys} for module, row in sorted(table.items())}


def score(row: dict[str, int]) -> float | None:
    judged = row["mutants"] - row["equivalent"]
    return (row["killed"] + row["timeout"]) / judged if judged else None


def every_module() -> list[str]:
    """Every module under src/cio_kit, dotted, without the package prefix; a package's ``__init__``
    by the package's name, as mutmut names its mutants (``cli`` holds the root command)."""
    source = ROOT / "src" / "cio_kit"
    found = []
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name:  # the top package's __init__ holds only __version__
            found.append(name)
    return found


def record(rows: dict[str, dict[str, int]]) -> None:
    """Merge ``rows`` into mutation.json, at the commit checked out."""
    import importlib.metadata

    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    before = json.loads(RECORD.read_text(encoding="utf-8"))["modules"] if RECORD.exists() else {}
    kept = {
        "commit": commit,
        "tool": f"mutmut {importlib.metadata.version('mutmut')}",
        "modules": dict(sorted({**before, **rows}.items())),
    }
    RECORD.write_text(json.dumps(kept, indent=1) + "\n", encoding="utf-8")


def table(rows: dict[str, dict[str, int]]) -> str:
    lines = [
        "| module | mutants | killed | timeout | survived | equivalent | not checked | score |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for module, row in rows.items():
        value = score(row)
        shown = f"{100 * value:.1f}%" if value is not None else "—"
        if value is not None and row.get("most_tests"):
            shown = f"≥ {shown} ({row['most_tests']} tests)"
        lines.append(
            f"| {module.removeprefix('cio_kit.')} | {row['mutants']} | {row['killed']} | {row['timeout']} "
            f"| {row['survived']} | {row['equivalent']} | {row['not_checked']} | {shown} |"
        )
    return "\n".join(lines)


def write_readme_table() -> None:
    """Put the table of mutation.json between the markers of benchmarks/README.md."""
    kept = json.loads(RECORD.read_text(encoding="utf-8"))
    body = f"From `benchmarks/mutation.json` ({kept['tool']}, commit {kept['commit'][:10]}):\n\n"
    body += table(kept["modules"])
    text = README.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    README.write_text(f"{text[:start]}\n{body}\n{text[end:]}", encoding="utf-8")


def style_case_edit(diff: str) -> tuple[str, str] | None:
    """The (old, new) style of a mutant that only changes the case of a rich style name, else None.

    mutmut upper-cases string literals. rich reads style names in any case (``Style.parse``
    lower-cases them), so ``style="BOLD RED"`` prints as ``style="bold red"`` does: the mutant is
    equivalent. It is judged here by rich itself, on the one string the diff changes, on a line
    that sets a style.
    """
    import io
    import tokenize

    from rich.errors import StyleSyntaxError
    from rich.style import Style

    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    # Only a line that sets a style: "red" may also be a status word a reader sees.
    if len(removed) != 1 or len(added) != 1 or "style" not in removed[0]:
        return None

    def tokens(line: str) -> list[tokenize.TokenInfo]:
        try:
            found = tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
            return [t for t in found if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
        except (tokenize.TokenError, SyntaxError):
            return []

    before, after = tokens(removed[0]), tokens(added[0])
    differing = [(a, b) for a, b in zip(before, after, strict=False) if a.string != b.string]
    if len(before) != len(after) or not before or len(differing) != 1:
        return None
    ((old_token, new_token),) = differing
    if old_token.type != tokenize.STRING or new_token.type != tokenize.STRING:
        return None
    try:
        old, new = ast.literal_eval(old_token.string), ast.literal_eval(new_token.string)
    except ValueError:  # an f-string: not a style name
        return None
    if not isinstance(old, str) or not old.strip() or new != old.upper():
        return None
    try:
        return (old, new) if Style.parse(old) == Style.parse(new) else None
    except StyleSyntaxError:
        return None


def list_style_case(modules: set[str]) -> int:
    """Append the modules' survivors that only change a rich style's case to equivalent-mutants.md."""
    listed = equivalent()
    lines = []
    for name, (module, status) in sorted(statuses().items()):
        if module not in modules or status != "survived" or name in listed:
            continue
        shown = subprocess.run([*MUTMUT, "show", name], capture_output=True, text=True, check=True, cwd=ROOT)
        edit = style_case_edit(shown.stdout)
        if edit is not None:
            old, new = edit
            lines.append(f"- `{name}`: style `{new}` for `{old}`: rich reads style names in any case.")
    if lines:
        with EQUIVALENT.open("a", encoding="utf-8") as kept:
            kept.write("\n".join(lines) + "\n")
    return len(lines)


def changed_functions(ref: str) -> list[str]:
    """mutmut name patterns of the functions and methods with a line changed since ``ref``."""
    diff = subprocess.run(
        ["git", "diff", "-U0", ref, "--", "src/cio_kit"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    lines: dict[str, set[int]] = defaultdict(set)
    current = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") and line.endswith(".py") else None
        elif line.startswith("@@") and current is not None:
            start, _, length = re.match(r"@@ -\S+ \+(\d+)(,(\d+))?", line).groups()  # type: ignore[union-attr]
            count = int(length) if length is not None else 1
            lines[current].update(range(int(start), int(start) + max(count, 1)))
    patterns = []
    for file, changed in lines.items():
        module = ".".join(Path(file).relative_to("src").with_suffix("").parts).removesuffix(".__init__")
        for name, first, last in functions((ROOT / file).read_text(encoding="utf-8")):
            if changed & set(range(first, last + 1)):
                patterns.append(f"{module}.{name}__mutmut_*")
    return patterns


def functions(source: str) -> list[tuple[str, int, int]]:
    """Each function and method of a module as mutmut names it, with its first and last line."""
    found = []
    for node in ast.parse(source).body:
        methods = (
            [(node.name, item) for item in node.body] if isinstance(node, ast.ClassDef) else [(None, node)]
        )
        for owner, item in methods:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"xǁ{owner}ǁ{item.name}" if owner else f"x_{item.name}"
                found.append((name, item.lineno, item.end_lineno or item.lineno))
    return found


def new_functions(ref: str, patterns: list[str]) -> list[str]:
    """The changed functions that did not exist at ``ref``.

    mutmut maps a test to the functions it reaches only when it first sees the test, so no test
    seen before reaches a function added since (one split out of another, say): its mutants would
    all "survive" unless the map is recorded again.
    """
    fresh = []
    for pattern in patterns:
        module, name = pattern.removesuffix("__mutmut_*").rsplit(".", 1)
        path = Path("src", *module.split(".")).with_suffix(".py")
        if not (ROOT / path).exists():
            path = Path("src", *module.split("."), "__init__.py")
        before = subprocess.run(
            ["git", "show", f"{ref}:{path.as_posix()}"], capture_output=True, text=True, check=False, cwd=ROOT
        )
        if before.returncode != 0 or name not in {found for found, _, _ in functions(before.stdout)}:
            fresh.append(f"{module}.{name}")
    return fresh


def run(patterns: list[str], children: int, most_tests: int | None = None) -> None:
    env = {**os.environ, "CIO_KIT_MUTATION": "1"}
    if most_tests:
        env["CIO_KIT_MUTATION_MOST_TESTS"] = str(most_tests)  # read by mutmut_decorated.py
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [*MUTMUT, "run", "--max-children", str(children), *patterns]
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False, cwd=ROOT)


def recheck(modules: set[str]) -> None:
    """Mark the modules' survivors (and mutants no test reached) not checked, to be judged again.

    mutmut keeps each mutant's result in ``mutants/**/*.py.meta`` and runs only
    the tests it saw reach a function (``mutmut-stats.json``); it records which
    functions a new test reaches when it first sees the test, so the record is
    kept (recording the whole suite again takes minutes). A test edited to reach
    more code is seen after ``rm mutants/mutmut-stats.json``. A survivor listed
    as equivalent is left as it is: no test can kill it, and judging it again
    runs every test that reaches it to the end.
    """
    listed = equivalent()
    for meta in (ROOT / "mutants" / "src").rglob("*.py.meta"):
        module = ".".join(meta.relative_to(ROOT / "mutants" / "src").with_suffix("").with_suffix("").parts)
        if module.removesuffix(".__init__") not in modules:
            continue
        kept = json.loads(meta.read_text())
        codes = kept["exit_code_by_key"]
        for key, code in codes.items():
            if code in (0, 33) and key not in listed:  # survived, or no test reached it
                codes[key] = None
        meta.write_text(json.dumps(kept))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="*", help="modules or packages under cio_kit, e.g. analysis.evm rules"
    )
    parser.add_argument("--part", help="K/N: the K-th of N equal parts of every module under src/cio_kit")
    parser.add_argument("--changed", metavar="REF", help="only the functions with a line changed since REF")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--report-only", action="store_true", help="record and print the last run's results")
    parser.add_argument("--recheck", action="store_true", help="judge the survivors again (after new tests)")
    parser.add_argument(
        "--most-tests",
        type=int,
        metavar="N",
        help="run each mutant's N fastest tests only; the score recorded is a lower bound",
    )
    parser.add_argument("--table", action="store_true", help="write the README table from mutation.json")
    parser.add_argument(
        "--list-style-case",
        action="store_true",
        help="list survivors that only change a rich style's case as equivalent",
    )
    parser.add_argument(
        "--exact", action="store_true", help="a name is that module alone (a package: its __init__)"
    )
    args = parser.parse_args()
    if args.table:
        write_readme_table()
        return 0
    if args.changed:
        patterns = changed_functions(args.changed)
        if not patterns:
            print(f"no function changed since {args.changed}")
            return 0
        fresh = new_functions(args.changed, patterns)
        stats = ROOT / "mutants" / "mutmut-stats.json"
        if fresh and stats.exists():
            print(f"new since {args.changed}: {', '.join(fresh)}; mapping the tests again (minutes)")
            stats.unlink()
        run(patterns, args.max_children)
        found = statuses()
        chosen = {name: entry for name, entry in found.items() if any(fnmatch(name, p) for p in patterns)}
        survivors = sorted(name for name, (_, status) in chosen.items() if status in ("survived", "no tests"))
        print(f"{len(chosen)} mutants in {len(patterns)} changed functions; {len(survivors)} survived")
        print("\n".join(survivors))
        return 1 if survivors else 0
    everything = {f"cio_kit.{m}" for m in every_module()}
    # A name given is a module or a package (all under it); a part is its modules exactly.
    modules = {
        m
        for m in everything
        for name in args.modules
        if m == f"cio_kit.{name}" or (not args.exact and m.startswith(f"cio_kit.{name}."))
    }
    if args.part:
        part, parts = (int(n) for n in args.part.split("/"))
        modules |= {f"cio_kit.{m}" for m in every_module()[part - 1 :: parts]}
    if not modules:
        parser.error("name modules, or give --part K/N or --changed REF")
    if args.list_style_case:
        print(f"{list_style_case(modules)} listed as equivalent")
        return 0
    if args.recheck:
        recheck(modules)
    if not args.report_only:
        # A module's own mutants only (x_function, xǁClassǁmethod): "render.*" would take every module
        # under a package too, where --exact asks for its __init__ alone.
        patterns = [f"{module}.{kind}*" for module in sorted(modules) for kind in ("x_", "xǁ")]
        run(patterns, args.max_children, args.most_tests)
    rows: dict[str, dict[str, int]] = counts(statuses(), modules)
    for row in rows.values():
        if args.most_tests:
            row["most_tests"] = args.most_tests
    record(rows)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
