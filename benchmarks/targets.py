"""Issue 32's figures, each beside its floor, side by side in one run.

    python benchmarks/targets.py [--stages 10000] [--runs 10000] [--repeat 3]

On one generated plan (a risk register of one risk per 50 stages, a status
date six months in): a bare interpreter and ``cio-kit --help``; a plain
libyaml load, ``plan validate``, ``roadmap show``, ``roadmap risk`` as the
plan stands and as written, ``export xlsx`` and ``report board`` (HTML); and
drawing the run's PERT-beta samples alone, by numpy's beta and by the tables
``roadmap risk`` uses. Each command is a whole process; medians of
``--repeat``. Prints a Markdown table of seconds, peak MiB and each ratio the
issue names, and writes ``benchmarks/out/targets.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_text
from run import FLOOR, _script, measure

SAMPLES = """\
import sys, time, numpy as np
sys.path.insert(0, {source!r})
from cio_kit.analysis.pert import PertSampler
from cio_kit.plan.loader import load_plan
from pathlib import Path
plan = load_plan(Path({path!r}), explicit=True).plan
shapes = []
for stage in plan.stages:
    if stage.estimate is not None:
        o, m, p = stage.estimate.optimistic, stage.estimate.likely, stage.estimate.pessimistic
        shapes.append((1 + 4 * (m - o) / (p - o), 1 + 4 * (p - m) / (p - o)) if p > o else (1.0, 1.0))
alpha, beta = np.array(shapes).T
runs, block = {runs}, max(1, 4_000_000 // len(shapes))
sampler = PertSampler(alpha, beta)
for name, draw in (("beta", lambda rng, n: rng.beta(alpha, beta, size=(n, len(alpha))).T),
                   ("table", sampler.draw)):
    rng = np.random.default_rng(0)
    began = time.perf_counter()
    done = 0
    while done < runs:
        draw(rng, min(block, runs - done)); done += block
    print(name, time.perf_counter() - began)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"targets-{args.stages}.yaml"
    path.write_text(plan_text(args.stages, seed=args.stages, register=True), encoding="utf-8")
    cli, repeat = _script(), args.repeat
    with tempfile.TemporaryDirectory() as scratch:
        measured: dict[str, Any] = {
            "bare": measure([sys.executable, "-c", "pass"], max(repeat, 5)),
            "help": measure([*cli, "--help"], max(repeat, 5)),
            "load": measure([*FLOOR, str(path)], repeat),
            "validate": measure([*cli, "plan", "validate", str(path), "--format", "json"], repeat),
            "show": measure([*cli, "roadmap", "show", str(path), "--format", "json"], repeat),
            "risk": measure(
                [*cli, "roadmap", "risk", str(path), "--runs", str(args.runs), "-f", "json"], repeat
            ),
            "risk_as_written": measure(
                [*cli, "roadmap", "risk", str(path), "--runs", str(args.runs), "--as-written", "-f", "json"],
                repeat,
            ),
            "xlsx": measure([*cli, "export", "xlsx", str(path), "-o", f"{scratch}/plan.xlsx"], repeat),
            "board": measure([*cli, "report", "board", str(path), "-o", f"{scratch}/board.html"], repeat),
        }
    source = str(Path(__file__).resolve().parent.parent / "src")
    code = SAMPLES.format(source=source, path=str(path), runs=args.runs)
    began = time.perf_counter()
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    measured["samples"] = {line.split()[0]: float(line.split()[1]) for line in printed.splitlines()}
    measured["samples"]["wall"] = time.perf_counter() - began
    (args.out / "targets.json").write_text(json.dumps(measured, indent=1), encoding="utf-8")

    def s(key: str) -> float:
        return float(measured[key]["seconds"])

    rows = [
        (
            "`cio-kit --help`",
            "help",
            f"{s('help') / s('bare'):.1f}× a bare interpreter ({s('bare'):.3f} s)",
            "≤ 7×",
        ),
        ("libyaml load (floor)", "load", "", ""),
        ("`plan validate`", "validate", f"{s('validate') / s('load'):.2f}× the load", "≤ 0.40×"),
        ("`roadmap show`", "show", f"{s('show') / s('load'):.2f}× the load", ""),
        ("`roadmap risk` (as it stands)", "risk", f"{s('risk') / s('show'):.2f}× show", "≤ 2×"),
        (
            "`roadmap risk --as-written`",
            "risk_as_written",
            f"{s('risk_as_written') / s('show'):.2f}× show",
            "≤ 2×",
        ),
        ("`export xlsx`", "xlsx", f"{s('xlsx') / s('validate'):.2f}× validate", "≤ 1.5×"),
        ("`report board` (HTML)", "board", f"{s('board'):.2f} s", "< 5 s"),
    ]
    samples = measured["samples"]
    print(
        f"{args.stages:,} stages (with {args.stages // 50} risks), {args.runs:,} runs, medians of {repeat}:\n"
    )
    print("| command | seconds | peak MiB | ratio | target |")
    print("|---|--:|--:|---|---|")
    for label, key, ratio, target in rows:
        print(f"| {label} | {s(key):.3f} | {measured[key]['peak_mib']:.0f} | {ratio} | {target} |")
    print(
        f"\nThe samples alone ({args.runs:,} runs × the estimated stages): numpy's beta "
        f"{samples['beta']:.2f} s, the tables {samples['table']:.2f} s."
    )


if __name__ == "__main__":
    main()
