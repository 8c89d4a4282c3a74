"""Kill and resume: a run killed with SIGKILL at any moment, then resumed as the README says (`--unlock`,
then `--rerun-incomplete`), ends byte-identical to a clean run, and no raw file is touched."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from .conftest import SMALL, copy_repo, snakemake

pytestmark = pytest.mark.slow

#: kill moments (s after start) drawn once from a fixed seed, so CI kills at the same moments every time
KILL_AFTER_S = sorted(round(random.Random(20261206).uniform(1.0, 9.0), 2) for _ in range(5))


def _raw_digests(work):
    return {
        p.relative_to(work).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((work / "resources/raw").rglob("*"))
        if p.is_file()
    }


def _start(work, targets):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2", *SMALL, *targets],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the running jobs with it
    )


def _outputs(work):
    return {
        p.relative_to(work).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((work / "results").rglob("*"))
        if p.is_file()
    }


def test_sigkill_at_five_moments_then_resume_gives_the_clean_outputs(small_run, tmp_path):
    """The technique jobs (every reader and analysis; the rest of the DAG only reads their outputs) of the tiny
    configuration, killed at five moments, each time resumed and compared file by file with a clean run."""
    targets = sorted(
        p.relative_to(small_run).as_posix() for p in (small_run / "results").glob("*/metrics/*/summary.csv")
    )
    kinds = {"data", "metrics", "curves"}  # results/<paper>/<kind>/...: what the technique jobs write
    clean = {path: d for path, d in _outputs(small_run).items() if set(path.split("/")[2:3]) & kinds}
    work = copy_repo(tmp_path / "repo")
    raw_before = _raw_digests(work)
    killed = 0
    for delay in KILL_AFTER_S:
        proc = _start(work, targets)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        # the documented resume: release the lock a killed run leaves, then redo the incomplete jobs
        snakemake(work, "--unlock", *SMALL)
        snakemake(work, "--cores", "2", *SMALL, "--rerun-incomplete", *targets)
        assert _outputs(work) == clean, f"after a kill at {delay} s"
        # the next kill hits a run that has work to do again
        for path in sorted((work / "results").rglob("*")):
            if path.is_file():
                path.unlink()
    assert killed >= 5, f"only {killed} of the runs were still going when killed ({KILL_AFTER_S})"
    assert _raw_digests(work) == raw_before
