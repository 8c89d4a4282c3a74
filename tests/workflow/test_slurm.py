"""The cluster path: the same workflow submitted to a real SLURM gives the same bytes as a local run.

CI starts a single-node SLURM on localhost (../shared/tools/slurm-local-cluster.sh, from .ci/run). Elsewhere
the test runs when `sinfo` finds an idle node and skips, saying so, when there is no SLURM.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .conftest import copy_repo, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.slurm]

TARGETS = [
    "results/kim2026/figures/fig1d.svg",
    "results/kim2026/figures/fig1d.png",
    "results/kim2026/tables/tensile_summary.csv",
]


def _slurm_ready() -> bool:
    if shutil.which("sinfo") is None:
        return False
    proc = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, timeout=30)
    return proc.returncode == 0 and any(s.strip("*~#") in ("idle", "mix", "alloc") for s in proc.stdout.split())


def test_slurm_run_is_byte_identical_to_the_local_run(full_run, tmp_path):
    if not _slurm_ready():
        if os.environ.get("CI"):
            pytest.fail("no idle SLURM node in CI: .ci/run starts one with ../shared/tools/slurm-local-cluster.sh")
        pytest.skip("no SLURM cluster reachable (sinfo)")
    work = copy_repo(tmp_path / "repo")
    # The local test cluster keeps no accounting database, so job states come from squeue, not sacct.
    proc = snakemake(
        work,
        "--workflow-profile",
        "profiles/slurm",
        "--jobs",
        "4",
        "--slurm-status-command",
        "squeue",
        "--slurm-init-seconds-before-status-checks",
        "1",
        "--slurm-no-account",
        *TARGETS,
    )
    assert "submitted with SLURM jobid" in proc.stdout + proc.stderr, "no job went through SLURM"
    for target in TARGETS:
        assert (work / target).read_bytes() == (full_run / target).read_bytes(), target
