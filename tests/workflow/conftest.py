"""Runs of the whole workflow in temporary copies of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "results", "logs", ".snakemake", "__pycache__", ".pytest_cache", ".hypothesis", "benchmarks"
)
#: the tiny test configuration (.test/config): both papers, one or two runs per technique, every rule
SMALL = ("--configfile", ".test/config/config.yaml", "--replace-workflow-config")


def copy_repo(dest: Path, source: Path = REPO, with_results: bool = False) -> Path:
    """A copy of the repository (or of an earlier run's copy, with its results and Snakemake metadata)."""
    ignore = IGNORE if not with_results else shutil.ignore_patterns(".git", ".venv", "__pycache__", "benchmarks")
    shutil.copytree(source, dest, ignore=ignore, symlinks=True)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", *args], cwd=workdir, capture_output=True, text=True, env=env
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="session")
def full_run(tmp_path_factory) -> Path:
    """A clean copy of the repository after a complete default run with 2 cores."""
    work = copy_repo(tmp_path_factory.mktemp("run2") / "repo")
    snakemake(work, "--cores", "2")
    return work


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Path:
    """A clean copy of the repository after a run of the tiny test configuration with 2 cores."""
    work = copy_repo(tmp_path_factory.mktemp("small2") / "repo")
    snakemake(work, "--cores", "2", *SMALL)
    return work
