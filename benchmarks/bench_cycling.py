"""Benchmark of the cycling summary (``.venv/bin/python benchmarks/bench_cycling.py [--cycles N]``).

Builds, with a fixed seed, a 1,000-cycle record of a Si half-cell (40 logged points per half-cycle,
80,000 rows) with the forward model, then times ``batrepro.cycling``: half-cycle capacities
(∫I dt), the cycle summary (capacities, CE) and the whole per-run analysis (retention readings,
rate steps, voltage–capacity curves). Target (issue 3): cycle summary of 1,000 cycles <= 0.5 s.
Prints medians of repeated runs; writes nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))

from batrepro import cycling  # noqa: E402
from batrepro.simulate import cycling as sim  # noqa: E402


def median_time(fn, repeat=7):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--points", type=int, default=40)
    args = ap.parse_args()
    n = args.cycles
    q = sim.fade_curve(n, 2800.0, 1500.0, n, n / 2)
    rec = sim.cycle_record(sim.CHEMISTRIES["si_anode"], 0.55, q / 0.995, q, np.full(n, 0.2), 3579.0,
                           np.full(n, args.points), seed=1)
    data = pd.DataFrame(rec)
    meta = {"active_mass_mg": 0.55, "c_rate_mAh_g": 3579.0, "sample": "bench", "condition": "rate=0.2C"}
    halves = cycling.half_cycles(data)
    t_halves = median_time(lambda: cycling.half_cycles(data))
    t_summary = median_time(lambda: cycling.cycle_summary(cycling.half_cycles(data), 0.00055, "anode_half", 3579.0))
    t_run = median_time(lambda: cycling.analyse_run(data, meta, {"report_cycles": [100, 500]}), repeat=5)
    print(f"rows: {len(data):,}  cycles: {n}  half-cycles: {len(halves)}")
    print(f"{'step':<45}{'median (s)':>12}")
    print(f"{'half_cycles (∫I dt per half-cycle)':<45}{t_halves:>12.4f}")
    print(f"{'half_cycles + cycle_summary (target <= 0.5 s)':<45}{t_summary:>12.4f}")
    print(f"{'analyse_run (all metrics of one run)':<45}{t_run:>12.4f}")
    return 0 if t_summary <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
