"""Campaign scale: DAG building and run time against the number of cells (cycling + EIS + GITT each).

Usage: .venv/bin/python benchmarks/bench_campaign.py [--dry 10 100 1000] [--run 10 100] [--cores 2] [--slurm 100]

For each N, a fresh campaign (benchmarks/campaign.py) is timed with `snakemake -n` (DAG building) and, for the
`--run` sizes, a full run from an empty results/ and a no-op re-run. Besides wall time it reports Snakemake's
own CPU time (its main process only, sampled with psutil; the jobs' CPU is not included), because that is
where a superlinear cost shows. The exponent is the slope of a log–log fit of time against N.
With `--slurm N`, the N-cell campaign is also run through SLURM (profiles/slurm; a reachable cluster, e.g. the
single-node one that .ci/run starts) and the SLURM jobs it submitted are counted: one per batch of cells (config
`batch_runs`) and per summary, audit and report job, never one per cell.
Targets (issue 14, 2 cores): `snakemake -n` for 1,000 cells ≤ 20 s; a 100-cell run ≤ 2 min; linear cost.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from campaign import make_campaign  # noqa: E402

SLURM = (
    "--workflow-profile",
    "profiles/slurm",
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "1",
    "--slurm-no-account",
)


def timed(work: Path, *args: str, log: list[str] | None = None) -> tuple[float, float]:
    """(wall s, CPU s of Snakemake's own process) of one snakemake invocation; its stderr lines into `log`."""
    start = time.perf_counter()
    err = tempfile.TemporaryFile()  # a file, not a pipe: a chatty run cannot block on a full pipe
    proc = psutil.Popen([sys.executable, "-m", "snakemake", *args], cwd=work, stdout=subprocess.DEVNULL, stderr=err)
    cpu = 0.0
    while proc.poll() is None:
        try:
            t = proc.cpu_times()
            cpu = t.user + t.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    err.seek(0)
    text = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"snakemake {' '.join(args)} failed:\n{text[-2000:]}")
    if log is not None:
        log.extend(text.splitlines())
    return time.perf_counter() - start, cpu


def slope(ns: list[int], ts: list[float]) -> float:
    xs, ys = [math.log(n) for n in ns], [math.log(t) for t in ts]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry", type=int, nargs="*", default=[10, 100, 1000])
    ap.add_argument("--run", type=int, nargs="*", default=[10, 100])
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--slurm", type=int, nargs="*", default=[])
    a = ap.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(a.dry) | set(a.run)):
            work = make_campaign(Path(tmp) / f"n{n}", n)
            rows[n] = {"dry": timed(work, "--cores", str(a.cores), "-n")}
            if n in a.run:
                rows[n]["run"] = timed(work, "--cores", str(a.cores))
                rows[n]["noop"] = timed(work, "--cores", str(a.cores))
            print(n, {k: f"{w:.1f} s wall, {c:.1f} s snakemake CPU" for k, (w, c) in rows[n].items()}, flush=True)
        for n in a.slurm:
            work = make_campaign(Path(tmp) / f"slurm{n}", n)
            log: list[str] = []
            wall, cpu = timed(work, *SLURM, "--jobs", str(a.cores * 2), log=log)
            jobs = [line for line in log if "submitted with SLURM jobid" in line]
            rules = sorted(
                {
                    line.split("rule ", 1)[1].split()[0].strip("'(),:")
                    for line in log
                    if "localrule" not in line and line.startswith("rule ")
                }
            )
            print(
                f"slurm {n} cells: {len(jobs)} SLURM jobs, {wall:.1f} s wall, {cpu:.1f} s snakemake CPU; rules: {rules}"
            )
    for kind in ("dry", "run", "noop"):
        ns = [n for n in sorted(rows) if kind in rows[n]]
        if len(ns) > 1:
            wall = slope(ns, [rows[n][kind][0] for n in ns])
            cpu = slope(ns, [max(rows[n][kind][1], 1e-3) for n in ns])
            print(f"{kind}: exponent {wall:.2f} (wall), {cpu:.2f} (Snakemake CPU) over N = {ns}")


if __name__ == "__main__":
    main()
