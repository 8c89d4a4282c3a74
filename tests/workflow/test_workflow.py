"""The whole workflow: outputs, determinism across core counts, no-op re-runs, bad input, the CI check."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from .conftest import REPO, copy_repo, snakemake

pytestmark = pytest.mark.slow


def _config():
    return yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))


def test_default_run_builds_every_declared_figure_table_and_audit(full_run):
    config = _config()
    for paper, figures in config["figures"].items():
        for fig in figures:
            for ext in ("svg", "png"):
                assert (full_run / f"results/{paper}/figures/{fig}.{ext}").stat().st_size > 1000
    for paper, tables in config["tables"].items():
        for table in tables:
            assert (full_run / f"results/{paper}/tables/{table}.csv").is_file()
            assert (full_run / f"results/{paper}/tables/{table}.md").is_file()
    for name in ("audit.csv", "audit.md", "consistency.csv", "consistency.md"):
        assert (full_run / "results/reproduction" / name).is_file()
    assert (full_run / "results/report.html").is_file()


def test_audit_reproduces_the_film_mechanics_numbers(full_run):
    audit = pd.read_csv(full_run / "results/reproduction/audit.csv", keep_default_na=False)
    assert list(audit.columns[:11]) == ["paper", "figure", "technique", "sample", "quantity", "condition", "unit",
                                        "reported", "reproduced", "tolerance", "verdict"]
    assert set(audit["verdict"]) <= {"reproduced", "deviates", "not yet reproduced", "not derivable"}
    films = audit[(audit["paper"] == "kim2026") & audit["quantity"].isin(["tg", "tensile_strength", "elongation_at_break"])]
    got = {(r.quantity, r.sample): (r.reported, r.verdict) for r in films.itertuples()}
    expected = {("tg", "PI"): "408.8", ("tg", "PI-P"): "382.2", ("tg", "PAID-P"): "338.5",
                ("tensile_strength", "PI"): "165", ("tensile_strength", "PI-P"): "279", ("tensile_strength", "PAID-P"): "144",
                ("elongation_at_break", "PI"): "8.1", ("elongation_at_break", "PI-P"): "11.7",
                ("elongation_at_break", "PAID-P"): "1.3"}
    for key, reported in expected.items():
        assert got[key] == (reported, "reproduced"), key


def test_consistency_audit_flags_contradictions_with_arithmetic(full_run):
    checks = pd.read_csv(full_run / "results/reproduction/consistency.csv", keep_default_na=False)
    bad = checks[checks["verdict"] == "contradiction"]
    assert len(bad) > 0 and (bad["arithmetic"].str.len() > 0).all()


def test_one_core_and_two_cores_give_byte_identical_results(full_run, tmp_path):
    work = copy_repo(tmp_path / "repo")
    snakemake(work, "--cores", "1")
    one = (work / "results/manifest.sha256").read_text()
    two = (full_run / "results/manifest.sha256").read_text()
    assert one == two
    assert len(one.splitlines()) > 30
    # the manifest covers every file under results/
    files = {p.relative_to(work / "results").as_posix() for p in (work / "results").rglob("*") if p.is_file()}
    assert files - {"manifest.sha256"} == {line.split("  ", 1)[1] for line in one.splitlines()}


def test_a_second_run_has_nothing_to_do(full_run):
    proc = snakemake(full_run, "--cores", "2", "--dry-run")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_expected_manifest_matches_and_the_check_passes(full_run):
    proc = snakemake(full_run, "--cores", "2", "check")
    assert "check: OK" in proc.stderr


def test_the_check_names_what_changed_when_a_raw_file_changes(tmp_path):
    work = copy_repo(tmp_path / "repo")
    raw = work / "resources/raw/kim2026/tensile/PI_specimen1.csv"
    lines = raw.read_text().splitlines()
    # halve every load after the maximum: the strength of PI specimen 1 changes
    lines = [l if i < 14 else l.rsplit(",", 1)[0] + ',"' + f'{float(l.rsplit(",", 1)[1].strip(chr(34))) * 0.5:.4f}"'
             for i, l in enumerate(lines)]
    raw.write_text("\n".join(lines) + "\n")
    proc = snakemake(work, "--cores", "2", "check", check=False)
    assert proc.returncode != 0
    assert "changed: kim2026/metrics/tensile/PI_s1.json" in proc.stderr
    assert "no longer reproduced: kim2026.fig2b.tensile_strength.PI" in proc.stderr


def test_bad_raw_file_stops_the_run_with_one_line_and_leaves_nothing_behind(tmp_path):
    work = copy_repo(tmp_path / "repo")
    raw = work / "resources/raw/kim2026/dma/PI_DMA_ramp.txt"
    text = raw.read_text(encoding="utf-8").replace("\t30.0", "\tNaN", 1)
    raw.write_text(text, encoding="utf-8")
    before = hashlib.sha256(raw.read_bytes()).hexdigest()
    proc = snakemake(work, "--cores", "2", "results/kim2026/metrics/dma/summary.csv", check=False)
    assert proc.returncode != 0
    errors = [l for l in proc.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1 and "resources/raw/kim2026/dma/PI_DMA_ramp.txt:" in errors[0] and "NaN" in errors[0]
    # no output of the failed job is left, for any run (outputs are written atomically, and only after every run succeeded)
    leftovers = [p for p in (work / "results").rglob("*") if p.is_file() and "/dma/" in p.as_posix()]
    assert leftovers == []
    assert not list((work / "results").rglob("*.tmp"))
    assert hashlib.sha256(raw.read_bytes()).hexdigest() == before


def test_regenerating_the_raw_files_reproduces_the_committed_bytes(tmp_path):
    work = copy_repo(tmp_path / "repo")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (work / "resources/raw").rglob("*") if p.is_file()}
    snakemake(work, "--cores", "2", "--config", "regenerate_raw=True", "--forceall", "simulate_raw")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (work / "resources/raw").rglob("*") if p.is_file()}
    assert after == before


def test_lint_is_clean():
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--lint"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Lints for" not in proc.stdout + proc.stderr


def test_snakefmt_is_clean():
    files = ["Snakefile", *sorted(str(p.relative_to(REPO)) for p in (REPO / "workflow/rules").glob("*.smk"))]
    proc = subprocess.run([sys.executable, "-m", "snakefmt", "--check", *files], cwd=REPO, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("module, rule", [("plots/mechanics.py", "figure"), ("tables.py", "table"),
                                          ("dma.py", "process_dma_kim2026"), ("audit.py", "audit")])
def test_editing_an_analysis_module_reruns_the_rules_that_import_it(full_run, module, rule):
    """Modules are declared inputs (lib()), so an edit re-runs what depends on it; the mtime is restored."""
    import os

    path = full_run / "workflow/scripts/batrepro" / module
    before = path.stat()
    os.utime(path, (before.st_atime + 3600, before.st_mtime + 3600))
    try:
        proc = snakemake(full_run, "--cores", "2", "--dry-run")
    finally:
        os.utime(path, (before.st_atime, before.st_mtime))
    jobs = {line.split()[0] for line in proc.stdout.splitlines() if line and not line.startswith((" ", "-"))}
    assert rule in jobs, proc.stdout[-2000:]
