"""Benchmark of the cycling summary (``.venv/bin/python benchmarks/bench_cycling.py [--cycles N]``).

Builds, with a fixed seed, a 1,000-cycle record of a Si half-cell (40 logged points per half-cycle,
80,000 rows) with the forward model, then times ``batrepro.cycling``: half-cycle capacities
(∫I dt), the cycle summary (capacities, CE) and the whole per-run analysis (retention readings,
rate steps, voltage–capacity curves). Target (issue 3): cycle summary of 1,000 cycles <= 0.5 s.
Prints medians of repeated runs; writes nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow" / "scripts"))

from batrepro.analysis import cycling  # noqa: E402
from batrepro.readers.eclab import read_mpt  # noqa: E402
from batrepro.simulate import cycling as sim  # noqa: E402
from batrepro.simulate import eclab_mpt  # noqa: E402

# the cycling settings of config/config.yaml, with the 1,000-cycle run's report cycles
SETTINGS = dict(
    rest_fraction=0.001,
    integration="rectangle",
    retention_reference="cycle1_delithiation",
    reference_cycle=1,
    report_cycles=[100, 500],
    curve_cycles=[1, 2],
    curve_points=150,
    initial_cycle_condition="",
    capacity_check_tolerance=0.01,
)

PEER_VENV = Path(os.environ.get("BATREPRO_PEER_VENV", "/tmp/peer-venv"))
NAVANI = """
import statistics, sys, time
import navani.echem as ec
path = sys.argv[1]
times = []
for _ in range(5):
    t0 = time.perf_counter()
    ec.cycle_summary(ec.echem_file_loader(path))
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
"""


def peer_rows(data: pd.DataFrame) -> list[tuple[str, float]]:
    """File -> cycle summary for batrepro and navani on the same .mpt."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_gcpl.mpt"
        cols = eclab_mpt.gcpl_columns(data["time_s"], data["voltage_V"], data["current_mA"], data["ns"], data["mode"])
        path.write_bytes(eclab_mpt.mpt_bytes(eclab_mpt.MptMeta(technique="gcpl", active_mass_mg=0.55), cols))

        def ours():
            d = read_mpt(path).data
            cycling.cycle_summary(cycling.half_cycles(d), 0.00055, "anode_half", 3579.0)

        rows = [("batrepro read_mpt + cycle_summary", median_time(ours, repeat=5))]
        python = PEER_VENV / "bin" / "python"
        if python.exists():
            proc = subprocess.run([str(python), "-c", NAVANI, str(path)], capture_output=True, text=True)
            if proc.returncode == 0:
                rows.append(("navani echem_file_loader + cycle_summary", float(proc.stdout.strip())))
            else:
                rows.append((f"navani failed: {proc.stderr.strip().splitlines()[-1][:60]}", float("nan")))
        else:
            rows.append((f"navani not installed in {PEER_VENV}", float("nan")))
        return rows


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
    ap.add_argument("--peers", action="store_true", help="also time file -> summary against navani")
    args = ap.parse_args()
    n = args.cycles
    q = sim.fade_curve(n, 2800.0, 1500.0, n, n / 2)
    rec = sim.cycle_record(
        sim.CHEMISTRIES["si_anode"], 0.55, q / 0.995, q, np.full(n, 0.2), 3579.0, np.full(n, args.points), seed=1
    )
    data = pd.DataFrame(rec)
    meta = {"active_mass_mg": 0.55, "c_rate_mAh_g": 3579.0, "sample": "bench", "condition": "rate=0.2C"}
    halves = cycling.half_cycles(data)
    t_halves = median_time(lambda: cycling.half_cycles(data))
    t_summary = median_time(lambda: cycling.cycle_summary(cycling.half_cycles(data), 0.00055, "anode_half", 3579.0))
    t_run = median_time(lambda: cycling.analyse_run(data, meta, SETTINGS), repeat=5)
    print(f"rows: {len(data):,}  cycles: {n}  half-cycles: {len(halves)}")
    print(f"{'step':<45}{'median (s)':>12}")
    print(f"{'half_cycles (∫I dt per half-cycle)':<45}{t_halves:>12.4f}")
    print(f"{'half_cycles + cycle_summary (target <= 0.5 s)':<45}{t_summary:>12.4f}")
    print(f"{'analyse_run (all metrics of one run)':<45}{t_run:>12.4f}")
    if args.peers:
        for name, t in peer_rows(data):
            print(f"{name:<45}{t:>12.4f}")
    return 0 if t_summary <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
