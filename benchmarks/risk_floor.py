"""What a compiled kernel would make of ``roadmap risk``'s runs: the floor under issue 32's 2×.

    python benchmarks/risk_floor.py [--stages 10000] [--runs 10000] [--repeat 3]

On the plan ``targets.py`` generates (without its risk register, so that
every run is durations and passes alone), this times, in one process:
``simulate`` as ``roadmap risk --as-written`` runs it; numpy drawing the
runs' float32 uniforms alone; and the same runs through a C kernel compiled
here with ``gcc -O2 -fopenmp`` (the table lookup of each duration, the
forward pass, the backward pass and the criticality count, run by run with
each run's stages in cache), on one thread and on every core. The kernel
reads the same uniforms and the same tables, so its finishes must equal
``simulate``'s to the bit, and its criticality too; the script stops if
they do not. Needs gcc.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from generate import plan_text

from cio_kit.analysis import risk
from cio_kit.analysis.pert import TABLE_POINTS, PertSampler
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.loader import load_plan

KERNEL = r"""
#include <stdint.h>
#include <stdlib.h>
/* One run at a time: durations from the uniforms by table, then forward and backward passes
   over rows in topological order (each row's links as index ranges), as risk.simulate does. */
void runs(int64_t count, int64_t rows, int64_t nsampled, const float *uniform, const double *table,
          const int32_t *offset, const int64_t *sampled, const double *low, const double *span,
          const double *fixed, const double *floors, const int64_t *pptr, const int64_t *pidx,
          const int64_t *sptr, const int64_t *sidx, int64_t *critical, double *project) {
  #pragma omp parallel
  {
    double *dur = malloc(rows * sizeof(double)), *ear = malloc(rows * sizeof(double));
    double *fin = malloc(rows * sizeof(double)), *lat = malloc(rows * sizeof(double));
    int64_t *mine = calloc(rows, sizeof(int64_t));
    #pragma omp for schedule(static)
    for (int64_t r = 0; r < count; r++) {
      const float *u = uniform + r * nsampled;
      for (int64_t i = 0; i < rows; i++) dur[i] = fixed[i];
      for (int64_t j = 0; j < nsampled; j++) {
        int32_t slot = (int32_t)(u[j] * (float)TABLE_POINTS) + offset[j];
        dur[sampled[j]] = table[slot] * span[j] + low[j];
      }
      double end = -1e300;
      for (int64_t i = 0; i < rows; i++) {
        double e = floors[i];
        for (int64_t k = pptr[i]; k < pptr[i + 1]; k++) { double f = fin[pidx[k]]; e = f > e ? f : e; }
        ear[i] = e;
        fin[i] = e + dur[i];
        end = fin[i] > end ? fin[i] : end;
      }
      project[r] = end;
      for (int64_t i = rows - 1; i >= 0; i--) {
        double l = end;
        for (int64_t k = sptr[i]; k < sptr[i + 1]; k++) { double v = lat[sidx[k]]; l = v < l ? v : l; }
        lat[i] = l - dur[i];
        mine[i] += lat[i] - ear[i] < 1e-9;
      }
    }
    #pragma omp critical
    for (int64_t i = 0; i < rows; i++) critical[i] += mine[i];
    free(dur); free(ear); free(fin); free(lat); free(mine);
  }
}
"""


def _compiled(scratch: Path) -> Any:
    source, library = scratch / "kernel.c", scratch / "kernel.so"
    source.write_text(KERNEL.replace("TABLE_POINTS", str(TABLE_POINTS)), encoding="utf-8")
    subprocess.run(
        ["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(library), str(source)], check=True
    )
    return ctypes.CDLL(str(library))


def _links(order: Any, row_of: Any, links: tuple[tuple[int, ...], ...]) -> tuple[Any, Any]:
    """Each row's linked rows as one flat array and the offsets that bound each row's part."""
    offsets, flat = [0], []
    for node in order:
        flat.extend(int(row_of[other]) for other in links[node])
        offsets.append(len(flat))
    return np.array(offsets, dtype=np.int64), np.array(flat, dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        path = scratch / "plan.yaml"
        path.write_text(plan_text(args.stages, seed=args.stages), encoding="utf-8")
        plan = load_plan(path, explicit=True).plan
        kernel = _compiled(scratch)
    graph = StageGraph.build(plan.stages)
    order = np.array([node for wave in graph.waves() for node in wave], dtype=np.intp)
    row_of = np.empty(len(order), dtype=np.intp)
    row_of[order] = np.arange(len(order))
    inputs = risk._StageInputs(len(order))
    for node, stage in enumerate(plan.stages):
        inputs.add(plan, stage, row_of[node], None, None, None, None, node)
    sampled = np.array(inputs.sampled_rows, dtype=np.int64)
    low, span = np.array(inputs.lows), np.array(inputs.spans)
    pert = PertSampler(inputs.alphas, inputs.betas)
    assert pert.tabled, "the plan's shapes do not fit the tables"
    preds, succs = _links(order, row_of, graph.preds), _links(order, row_of, graph.succs)
    block = max(1, risk.BLOCK_ELEMENTS // len(order))

    def uniforms() -> list[Any]:
        rng = np.random.default_rng(0)  # simulate's stream for seed 0, drawn run by run
        return [
            rng.random((min(block, args.runs - done), len(sampled)), dtype=np.float32)
            for done in range(0, args.runs, block)
        ]

    def compiled(threads: int) -> Any:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read by libgomp at each parallel region
        project = np.empty(args.runs)
        critical = np.zeros(len(order), dtype=np.int64)
        pointer = ctypes.c_void_p
        done = 0
        for drawn in uniforms():
            arrays = (drawn, pert.table, pert.offset, sampled, low, span, inputs.fixed, inputs.floors)
            arrays += (*preds, *succs, critical, project[done:])
            sizes = (ctypes.c_int64(len(drawn)), ctypes.c_int64(len(order)), ctypes.c_int64(len(sampled)))
            kernel.runs(*sizes, *(pointer(array.ctypes.data) for array in arrays))
            done += len(drawn)
        return project, critical

    def timed(work: Any) -> tuple[float, Any]:
        seconds, result = [], None
        for _ in range(args.repeat):
            began = time.perf_counter()
            result = work()
            seconds.append(time.perf_counter() - began)
        return statistics.median(seconds), result

    simulated, result = timed(lambda: risk.simulate(plan, args.runs, 0, graph))
    drawn, _ = timed(uniforms)
    one, by_one = timed(lambda: compiled(1))
    cores = os.cpu_count() or 1
    every, by_every = timed(lambda: compiled(cores))
    criticality = [round(int(by_one[1][row_of[node]]) / args.runs, 4) for node in range(len(order))]
    for finishes, critical in (by_one, by_every):
        same_critical = np.array_equal(critical, by_one[1])
        if not np.array_equal(finishes, result.finish_days) or not same_critical:
            raise SystemExit("the kernel's finishes differ from simulate's: it measures something else")
    if criticality != [share for _, share in result.criticality]:
        raise SystemExit("the kernel's criticality differs from simulate's: it measures something else")
    print(f"{args.stages:,} stages × {args.runs:,} runs, medians of {args.repeat}; equal to simulate:\n")
    print("| what | seconds |")
    print("|---|--:|")
    print(f"| `simulate` (numpy, as `roadmap risk --as-written` runs it, no risks) | {simulated:.3f} |")
    print(f"| numpy's float32 uniforms alone | {drawn:.3f} |")
    print(f"| C kernel (uniforms included), one thread | {one:.3f} |")
    print(f"| C kernel (uniforms included), {cores} threads | {every:.3f} |")


if __name__ == "__main__":
    main()
