"""Time the whole reproduction from an empty results/ and a no-op re-run; print the medians.

Usage: .venv/bin/python benchmarks/bench_workflow.py [--repeats 3] [--noops 5] [--cores 2] [--scope all|films]

Each repetition runs in a fresh temporary copy of the repository, so nothing is cached between them.
`--scope films` trims the copy's config to the film mechanics (DMA, tensile: issue 2's scope).
Targets on 2 cores: full run of the film-mechanics scope < 20 s, no-op re-run < 3 s (issue 2); full run of
both papers <= 60 s, no-op re-run <= 2 s (issue 14). Start the local SLURM first if `scontrol` is installed
(README: without a controller the SLURM plug-in's import waits 10 s at every Snakemake start).
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

import yaml

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "results", "logs", ".snakemake", "__pycache__", ".pytest_cache", ".hypothesis", "benchmarks"
)


def run(workdir: Path, cores: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all"],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def trim_to_films(work: Path) -> None:
    """Keep only the DMA and tensile sample sheets, figures and tables in the copy's config."""
    path = work / "config/config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    keep = {"dma", "tensile"}
    config["samples"] = {k: v for k, v in config["samples"].items() if k in keep}
    for kind in ("figures", "tables"):
        config[kind] = {
            paper: {k: v for k, v in panels.items() if v["technique"] in keep} for paper, panels in config[kind].items()
        }
        config[kind] = {paper: panels for paper, panels in config[kind].items() if panels}
    config["composites"] = {
        paper: {
            cid: spec for cid, spec in comps.items() if set(spec["panels"]) <= set(config["figures"].get(paper, {}))
        }
        for paper, comps in config.get("composites", {}).items()
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--noops", type=int, default=5, help="no-op re-runs after each full run")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--scope", choices=["all", "films"], default="all")
    args = parser.parse_args()
    full, noop = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "repo"
            shutil.copytree(REPO, work, ignore=IGNORE)
            if args.scope == "films":
                trim_to_films(work)
            full.append(run(work, args.cores))
            for _ in range(args.noops):
                noop.append(run(work, args.cores))
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; scope {args.scope}, {args.cores} cores")
    print(f"{'case':<28}{'median s':>10}{'runs':>6}   all (s)")
    print(
        f"{'full run, empty results/':<28}{statistics.median(full):>10.2f}{len(full):>6}   "
        + " ".join(f"{t:.2f}" for t in full)
    )
    print(f"{'no-op re-run':<28}{statistics.median(noop):>10.2f}{len(noop):>6}   " + " ".join(f"{t:.2f}" for t in noop))


if __name__ == "__main__":
    main()
