"""Time the whole reproduction from an empty results/ and a no-op re-run; print the medians.

Usage: .venv/bin/python benchmarks/bench_workflow.py [--repeats 3] [--cores 2] [--target TARGET ...]

Each repetition runs in a fresh temporary copy of the repository, so nothing is cached between them.
Targets (issue 2, on 2 cores): full run of the film-mechanics scope < 20 s, no-op re-run < 3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", ".venv", "results", "logs", ".snakemake", "__pycache__", ".pytest_cache",
                                ".hypothesis", "benchmarks")


def run(workdir: Path, cores: int, targets: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all", *targets],
                   cwd=workdir, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--target", nargs="*", default=[], help="extra targets (default: the default target)")
    args = parser.parse_args()
    full, noop = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "repo"
            shutil.copytree(REPO, work, ignore=IGNORE)
            full.append(run(work, args.cores, args.target))
            for _ in range(2):
                noop.append(run(work, args.cores, args.target))
    n_jobs = len(list((REPO / "workflow/rules").glob("*.smk")))
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; {n_jobs} rule files")
    print(f"{'case':<28}{'median s':>10}{'runs':>6}   all (s)")
    print(f"{'full run, empty results/':<28}{statistics.median(full):>10.2f}{len(full):>6}   "
          + " ".join(f"{t:.2f}" for t in full))
    print(f"{'no-op re-run':<28}{statistics.median(noop):>10.2f}{len(noop):>6}   "
          + " ".join(f"{t:.2f}" for t in noop))


if __name__ == "__main__":
    main()
