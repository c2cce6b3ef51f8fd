"""Benchmark harness: whole-process time and peak memory of cio-kit next to a plain libyaml load.

Usage: python benchmarks/run.py [--sizes 100,1000,10000,100000] [--repeat 3] [--out benchmarks/out]

For each synthetic plan size it measures, as separate processes, the plain
``yaml.load(..., Loader=yaml.CSafeLoader)`` of the file (the floor), then
``plan validate`` (the plan is behind at its status date, so it has
findings; and once more with the status date at plan start, where the status
rules run and find nothing), ``roadmap show --format json``, ``roadmap risk``
and ``roadmap risk --forecast`` (next to numpy drawing the same PERT-beta
samples, the floor), ``report evm`` and ``report gaps``; then a plan repository of 500 small files, cold start
against yamllint, and roadmap show against TaskJuggler (tj3) on 2,000 stages
when tj3 is installed. It prints a Markdown table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import plan_text, write_repository

CIO_KIT = [sys.executable, "-m", "cio_kit"]
FLOOR = [
    sys.executable,
    "-c",
    "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
]
# numpy drawing runs x stages PERT-beta samples in blocks of 8 million, as roadmap risk does.
SAMPLES = [
    sys.executable,
    "-c",
    "import sys, numpy as np; stages, runs = int(sys.argv[1]), int(sys.argv[2]); "
    "rng = np.random.default_rng(0); a = rng.uniform(1.5, 4, stages); b = rng.uniform(1.5, 4, stages); "
    "block = max(1, min(runs, 8_000_000 // stages)); done = 0\n"
    "while done < runs:\n    rng.beta(a, b, size=(min(block, runs - done), stages)); done += block",
]


# Users' Pythons cache bytecode; a PYTHONDONTWRITEBYTECODE set for the
# development shell would make every cold start compile every module anew.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], repeat: int) -> dict[str, float]:
    """Median wall time (s) and the largest peak RSS (MiB) over ``repeat`` runs of a process."""
    times, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise RuntimeError(f"{' '.join(command)} exited {code}")
    return {"seconds": statistics.median(times), "peak_mib": max(peaks)}


def machine() -> dict[str, Any]:
    """What the numbers were taken on."""
    import yaml

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyyaml": yaml.__version__,
        "libyaml": yaml.__with_libyaml__,
    }


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    parser.add_argument("--runs", type=int, default=10_000, help="Monte Carlo runs")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # The stress size is above the default 10 MiB limit; raise it so the limit
    # never makes a benchmark fast.
    config = out / "bench-config.yaml"
    config.write_text("max_file_mib: 512\n")
    results: dict[str, Any] = {"machine": machine(), "sizes": [], "repository": None, "cold_start": None}

    measure([*CIO_KIT, "--version"], 1)  # warm the bytecode cache
    for size in [int(s) for s in args.sizes.split(",")]:
        path = out / f"plan-{size}.yaml"
        if not path.exists():
            path.write_text(plan_text(size, seed=size))
        repeat = args.repeat if size <= 10_000 else 1
        runs = args.runs if size <= 10_000 else args.runs // 10
        row: dict[str, Any] = {"stages": size, "mib": path.stat().st_size / 2**20, "risk_runs": runs}
        row["floor"] = measure([*FLOOR, str(path)], repeat)
        common = ["--config", str(config)]
        row["validate"] = measure([*CIO_KIT, "plan", "validate", str(path), *common], repeat)
        on_plan = out / f"plan-{size}-on-plan.yaml"
        if not on_plan.exists():
            on_plan.write_text(path.read_text().replace("status_date: 2027-06-30", "status_date: 2027-01-04"))
        row["validate_on_plan"] = measure([*CIO_KIT, "plan", "validate", str(on_plan), *common], repeat)
        row["roadmap"] = measure(
            [*CIO_KIT, "roadmap", "show", str(path), "--format", "json", *common], repeat
        )
        row["risk"] = measure(
            [*CIO_KIT, "roadmap", "risk", str(path), "--runs", str(runs), "--format", "json", *common], repeat
        )
        row["risk_forecast"] = measure(
            [
                *CIO_KIT,
                "roadmap",
                "risk",
                str(path),
                "--forecast",
                "--runs",
                str(runs),
                "--format",
                "json",
                *common,
            ],
            repeat,
        )
        row["samples"] = measure([*SAMPLES, str(size), str(runs)], repeat)
        row["evm"] = measure([*CIO_KIT, "report", "evm", str(path), "--format", "json", *common], repeat)
        row["gaps"] = measure([*CIO_KIT, "report", "gaps", str(path), *common], repeat)
        results["sizes"].append(row)
        print(f"measured {size} stages", file=sys.stderr)

    repository = out / "repository"
    if not repository.exists():
        write_repository(repository)
    results["repository"] = {
        "files": 500,
        "validate": measure([*CIO_KIT, "plan", "validate", str(repository)], args.repeat),
        "floor": measure(
            [
                sys.executable,
                "-c",
                "import sys, yaml, pathlib; [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) "
                "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml'))]",
                str(repository),
            ],
            args.repeat,
        ),
    }

    small = out / "plan-100.yaml"
    if not small.exists():
        small.write_text(plan_text(100, seed=100))
    measure([*_script(), "--help"], 1)  # warm the bytecode cache
    cold: dict[str, Any] = {
        "bare": measure([sys.executable, "-c", "pass"], 5),  # the floor: the interpreter alone
        "help": measure([*_script(), "--help"], 5),
        "validate_small": measure([*_script(), "plan", "validate", str(small)], 5),
    }
    sibling = Path(sys.executable).parent / "yamllint"
    yamllint = str(sibling) if sibling.exists() else shutil.which("yamllint")
    if yamllint:
        cold["yamllint_small"] = measure([yamllint, "-d", "relaxed", str(small)], 5)
    results["cold_start"] = cold

    if shutil.which("tj3"):
        results["taskjuggler"] = _taskjuggler(out, args.repeat)

    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(table(results))


def _script() -> list[str]:
    """The installed console script, as CI and users run it (cold start includes its own start-up)."""
    script = Path(sys.executable).parent / "cio-kit"
    return [str(script)] if script.exists() else CIO_KIT


def _taskjuggler(out: Path, repeat: int) -> dict[str, Any]:
    """roadmap show versus tj3 scheduling the same 2,000 tasks (duration Nd, depends), same dates."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from cio_kit.analysis.schedule import compute
    from cio_kit.plan.loader import load_plan

    path = out / "plan-2000.yaml"
    if not path.exists():
        path.write_text(plan_text(2000, seed=2000))
    plan = load_plan(path, explicit=True).plan
    lines = [f'project p "p" {plan.enterprise.plan_start} +2000w {{\n  timezone "UTC"\n}}']
    for stage in plan.stages:
        ident = "t_" + stage.id.replace("-", "_")
        depends = ", ".join("t_" + d.replace("-", "_") for d in stage.depends_on)
        body = (f"depends {depends} " if depends else "") + (
            "milestone" if stage.days == 0 else f"duration {stage.days}d"
        )
        lines.append(f'task {ident} "{stage.id}" {{ {body} }}')
    lines.append('taskreport out "tj3-out" { formats csv columns id, start, end }')
    folder = out / "tj3"
    folder.mkdir(exist_ok=True)
    (folder / "plan.tjp").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    subprocess.run(["tj3", "--no-color", "plan.tjp"], cwd=folder, check=True, capture_output=True)
    tj3_seconds = time.perf_counter() - started
    import csv

    with (folder / "tj3-out.csv").open() as handle:
        theirs = {row[0]: (row[1], row[2]) for row in list(csv.reader(handle, delimiter=";"))[1:]}
    schedule = compute(plan)
    same = all(
        theirs["t_" + t.id.replace("-", "_")]
        == (str(schedule.date(t.earliest_start)), str(schedule.date(t.earliest_finish)))
        for t in schedule.timings
    )
    ours = measure([*CIO_KIT, "roadmap", "show", str(path), "--format", "json"], repeat)
    floor = measure([*FLOOR, str(path)], repeat)
    return {"stages": 2000, "tj3_seconds": tj3_seconds, "roadmap": ours, "floor": floor, "same_dates": same}


def table(results: dict[str, Any]) -> str:
    """The results as Markdown."""
    lines = [
        "| stages | MiB | libyaml load (floor) | validate | roadmap show json | roadmap risk | report gaps |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["sizes"]:
        floor = row["floor"]["seconds"]

        def cell(key: str, row: dict[str, Any] = row, floor: float = floor) -> str:
            m = row[key]
            return f"{m['seconds']:.2f} s ({m['seconds'] / floor:.2f}×), {m['peak_mib']:.0f} MiB"

        risk = cell("risk") + ("" if row["risk_runs"] >= 10_000 else f" [{row['risk_runs']} runs]")
        lines.append(
            f"| {row['stages']:,} | {row['mib']:.1f} | {floor:.2f} s, {row['floor']['peak_mib']:.0f} MiB | "
            f"{cell('validate')} | {cell('roadmap')} | {risk} | {cell('gaps')} |"
        )
    lines += [
        "",
        "| stages | validate, behind (findings) | validate, on plan (no findings) | roadmap risk --forecast "
        "| × roadmap show | numpy samples alone | report evm |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["sizes"]:
        show = row["roadmap"]["seconds"]
        forecast = row["risk_forecast"]["seconds"]
        lines.append(
            f"| {row['stages']:,} | {row['validate']['seconds']:.2f} s "
            f"| {row['validate_on_plan']['seconds']:.2f} s "
            f"| {forecast:.2f} s, {row['risk_forecast']['peak_mib']:.0f} MiB | {forecast / show:.2f}× "
            f"| {row['samples']['seconds']:.2f} s | {row['evm']['seconds']:.2f} s, "
            f"{row['evm']['peak_mib']:.0f} MiB |"
        )
    repo = results["repository"]
    lines += [
        "",
        f"Plan repository of {repo['files']} files: validate {repo['validate']['seconds']:.2f} s, "
        f"{repo['validate']['peak_mib']:.0f} MiB; libyaml load of all files "
        f"{repo['floor']['seconds']:.2f} s.",
    ]
    cold = results["cold_start"]
    text = (
        f"Cold start: `cio-kit --help` {cold['help']['seconds']:.3f} s, "
        f"{cold['help']['seconds'] / cold['bare']['seconds']:.1f}× a bare `python -c pass` "
        f"({cold['bare']['seconds']:.3f} s); "
        f"`cio-kit plan validate` on the 100-stage plan {cold['validate_small']['seconds']:.3f} s"
    )
    if "yamllint_small" in cold:
        lint = cold["yamllint_small"]["seconds"]
        text += (
            f"; yamllint on the same file {lint:.3f} s (ratios {cold['help']['seconds'] / lint:.2f}× and "
            f"{cold['validate_small']['seconds'] / lint:.2f}×)"
        )
    lines += ["", text + "."]
    tj = results.get("taskjuggler")
    if tj:
        lines += [
            "",
            f"TaskJuggler on {tj['stages']:,} stages: tj3 {tj['tj3_seconds']:.2f} s; roadmap show "
            f"{tj['roadmap']['seconds']:.2f} s ({tj['tj3_seconds'] / tj['roadmap']['seconds']:.1f}× faster; "
            f"plain load {tj['floor']['seconds']:.2f} s); same dates: {tj['same_dates']}.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
