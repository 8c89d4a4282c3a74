"""The whole workflow: outputs, determinism across core counts, no-op re-runs, bad input, the CI check.

One test session makes one full reproduction (`full_run`) and one run of the tiny test configuration
(`small_run`, .test/config); everything that does not need every paper's number runs on the tiny one."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from .conftest import REPO, SMALL, copy_repo, snakemake

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
    assert list(audit.columns[:11]) == [
        "paper",
        "figure",
        "technique",
        "sample",
        "quantity",
        "condition",
        "unit",
        "reported",
        "reproduced",
        "tolerance",
        "verdict",
    ]
    assert set(audit["verdict"]) <= {"reproduced", "deviates", "echoed input", "not yet reproduced", "not derivable"}
    films = audit[
        (audit["paper"] == "kim2026") & audit["quantity"].isin(["tg", "tensile_strength", "elongation_at_break"])
    ]
    got = {(r.quantity, r.sample): (r.reported, r.verdict) for r in films.itertuples()}
    expected = {
        ("tg", "PI"): "408.8",
        ("tg", "PI-P"): "382.2",
        ("tg", "PAID-P"): "338.5",
        ("tensile_strength", "PI"): "165",
        ("tensile_strength", "PI-P"): "279",
        ("tensile_strength", "PAID-P"): "144",
        ("elongation_at_break", "PI"): "8.1",
        ("elongation_at_break", "PI-P"): "11.7",
        ("elongation_at_break", "PAID-P"): "1.3",
    }
    for key, reported in expected.items():
        assert got[key] == (reported, "reproduced"), key


def test_consistency_audit_flags_contradictions_with_arithmetic(full_run):
    checks = pd.read_csv(full_run / "results/reproduction/consistency.csv", keep_default_na=False)
    bad = checks[checks["verdict"] == "contradiction"]
    assert len(bad) > 0 and (bad["arithmetic"].str.len() > 0).all()


def test_one_core_and_two_cores_give_byte_identical_results(small_run, tmp_path):
    work = copy_repo(tmp_path / "repo")
    snakemake(work, "--cores", "1", *SMALL)
    one = (work / "results/manifest.sha256").read_text()
    two = (small_run / "results/manifest.sha256").read_text()
    assert one == two
    assert len(one.splitlines()) > 30


def test_batches_of_one_run_give_byte_identical_results(small_run, tmp_path):
    """`batch_runs` only shapes the jobs: with one run per job (and a summarise job per technique and paper)
    every output equals the one-job-per-technique run."""
    work = copy_repo(tmp_path / "repo")
    proc = snakemake(work, "--cores", "2", *SMALL, "--config", "batch_runs=1")
    assert "summarise_" in proc.stdout + proc.stderr
    assert (work / "results/manifest.sha256").read_text() == (small_run / "results/manifest.sha256").read_text()


def test_the_manifest_hashes_the_declared_outputs_not_stale_files(small_run, tmp_path):
    work = copy_repo(tmp_path / "repo", small_run, with_results=True)
    stale = work / "results/kim2026/figures/renamed_in_config.svg"
    stale.write_text("<svg/>")
    (work / "results/manifest.sha256").unlink()
    snakemake(work, "--cores", "2", *SMALL, "results/manifest.sha256")
    manifest = (work / "results/manifest.sha256").read_text()
    assert "renamed_in_config" not in manifest
    assert manifest == (small_run / "results/manifest.sha256").read_text()
    listed = {line.split("  ", 1)[1] for line in manifest.splitlines()}
    assert "kim2026/figures/fig1e.svg" in listed and "kim2026/metrics/dma/PI.json" in listed


def test_a_second_run_has_nothing_to_do(small_run):
    proc = snakemake(small_run, "--cores", "2", *SMALL, "--dry-run")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_a_moved_project_has_nothing_to_do(small_run, tmp_path):
    """Job inputs are recorded relative to the working directory, so a project copied or moved elsewhere (another
    mount on a cluster, a fresh clone with its results) is up to date, not re-run from scratch."""
    work = copy_repo(tmp_path / "moved", small_run, with_results=True)
    proc = snakemake(work, "--cores", "2", *SMALL, "--dry-run")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_expected_manifest_matches_and_the_check_passes(full_run):
    proc = snakemake(full_run, "--cores", "2", "check")
    assert "check: OK" in proc.stderr


def test_the_check_names_what_changed_when_a_raw_file_changes(full_run, tmp_path):
    work = copy_repo(tmp_path / "repo", full_run, with_results=True)
    # halve every load of the three PI specimens: PI's strength changes far beyond its interval (one specimen
    # alone would not do: the SD it adds widens the interval h + 2·SD/√3 until the mean lies inside it)
    for k in (1, 2, 3):
        raw = work / f"resources/raw/kim2026/tensile/PI_specimen{k}.csv"
        lines = raw.read_text().splitlines()
        lines = [
            l if i < 14 else l.rsplit(",", 1)[0] + ',"' + f'{float(l.rsplit(",", 1)[1].strip(chr(34))) * 0.5:.4f}"'
            for i, l in enumerate(lines)
        ]
        raw.write_text("\n".join(lines) + "\n")
    proc = snakemake(work, "--cores", "2", "check", check=False)
    assert proc.returncode != 0
    assert "changed: kim2026/metrics/tensile/PI_s1.json" in proc.stderr
    assert "no longer reproduced: kim2026.fig2b.tensile_strength.PI" in proc.stderr


def test_the_check_names_a_missing_and_a_stale_output(full_run, tmp_path):
    """The check hashes the files on disk, so an expected output that the workflow no longer makes (a panel
    dropped from the config) and a stale file from an earlier configuration are both named. (A deleted output
    is simply made again: `check` re-runs what changed.)"""
    work = copy_repo(tmp_path / "repo", full_run, with_results=True)
    expected = work / "resources/expected/manifest.sha256"
    expected.write_text(expected.read_text() + f"{'0' * 64}  kim2026/figures/dropped_panel.svg\n")
    (work / "results/kim2026/figures/renamed_in_config.svg").write_text("<svg/>")
    proc = snakemake(work, "--cores", "2", "check", check=False)
    assert proc.returncode != 0
    assert "check: missing: kim2026/figures/dropped_panel.svg" in proc.stderr
    assert "check: extra: kim2026/figures/renamed_in_config.svg" in proc.stderr
    assert "changed:" not in proc.stderr


def test_bad_raw_file_stops_the_run_with_one_line_and_leaves_nothing_behind(tmp_path):
    work = copy_repo(tmp_path / "repo")
    raw = work / "resources/raw/kim2026/dma/PI_DMA_ramp.txt"
    text = raw.read_text(encoding="utf-8").replace("\t30.0", "\tNaN", 1)
    raw.write_text(text, encoding="utf-8")
    before = hashlib.sha256(raw.read_bytes()).hexdigest()
    proc = snakemake(work, "--cores", "2", *SMALL, "results/kim2026/metrics/dma/summary.csv", check=False)
    assert proc.returncode != 0
    errors = [l for l in proc.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1 and "resources/raw/kim2026/dma/PI_DMA_ramp.txt:" in errors[0] and "NaN" in errors[0]
    # no output of the failed job is left, for any run (outputs are written atomically, and only after every
    # run succeeded)
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


def test_python_is_ruff_clean_and_formatted():
    """ruff (lint rules and formatter, settings in pyproject.toml) over the package, the rule scripts, tests and
    benchmarks: the same gate snakefmt is for the rules."""
    paths = ["workflow/scripts", "tests", "benchmarks"]
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run([*ruff, "check", *paths], cwd=REPO, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = subprocess.run([*ruff, "format", "--check", *paths], cwd=REPO, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def test_snakefmt_is_clean():
    files = ["Snakefile", *sorted(str(p.relative_to(REPO)) for p in (REPO / "workflow/rules").glob("*.smk"))]
    proc = subprocess.run(
        [sys.executable, "-m", "snakefmt", "--check", *files], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "module, rule",
    [
        ("plots/mechanics.py", "panels_dma_kim2026"),
        ("techniques/dma.py", "panels_dma_kim2026"),
        ("analysis/dma.py", "process_dma_kim2026"),
        ("vocab/summary.py", "process_eis_guan_hrposs"),
        ("audit/reproduction.py", "audit"),
    ],
)
def test_editing_an_analysis_module_reruns_the_rules_that_import_it(small_run, module, rule):
    """Modules are declared inputs (derived from the imports), so an edit re-runs what depends on it."""
    assert rule in _rerun_after_touching(small_run, module)


def test_editing_one_technique_reruns_only_its_own_jobs(small_run):
    jobs = _rerun_after_touching(small_run, "techniques/tensile.py")
    assert "process_tensile_kim2026" in jobs
    assert not {j for j in jobs if j.startswith("process_") and j != "process_tensile_kim2026"}, jobs


def _rerun_after_touching(work, module) -> set[str]:
    """The jobs a dry run would run after `module` is edited (a comment appended; restored afterwards). A bare
    `touch` is not an edit: Snakemake compares the checksum it recorded for a small input whose mtime moved."""
    import os

    path = work / "workflow/scripts/batrepro" / module
    before, text = path.stat(), path.read_bytes()
    path.write_bytes(text + b"\n# edited\n")
    try:
        proc = snakemake(work, "--cores", "2", *SMALL, "--dry-run")
    finally:
        path.write_bytes(text)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return {line.split()[0] for line in proc.stdout.splitlines() if line and not line.startswith((" ", "-"))}


def test_config_overrides_reach_the_jobs_through_params(small_run, tmp_path):
    """`--config 'block={key: value}'` and a `--configfile` overlay are merged into the config (and validated);
    the job whose settings changed re-runs ('params changed'), nothing else."""
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("dma:\n  tg_convention: loss_peak\n")
    variants = (
        [*SMALL, "--config", "dma={tg_convention: loss_peak}"],
        ["--configfile", ".test/config/config.yaml", str(overlay), "--replace-workflow-config"],
    )
    for args in variants:
        proc = snakemake(small_run, "--cores", "1", *args, "--dry-run")
        jobs = {line.split()[0] for line in proc.stdout.splitlines() if line and not line.startswith((" ", "-"))}
        assert "process_dma_kim2026" in jobs, proc.stdout[-1500:]
        assert not {j for j in jobs if j.startswith("process_")} - {"process_dma_kim2026"}
    bad = snakemake(
        small_run, "--cores", "1", *SMALL, "--config", "dma={tg_convention: midpoint}", "--dry-run", check=False
    )
    assert bad.returncode != 0 and "midpoint" in bad.stdout + bad.stderr


def test_the_documented_sweep_column_is_text_and_validates(small_run, tmp_path):
    """`sweep` was turned into a number by the sheet loader and then failed its string schema."""
    work = copy_repo(tmp_path / "repo")
    sheet = work / ".test/config/samples/eis.tsv"
    lines = sheet.read_text().splitlines()
    out = [lines[0]] + [lines[1] + "\tsweep"] + [line + "\t1" for line in lines[2:]]
    sheet.write_text("\n".join(out) + "\n")
    proc = snakemake(work, "--cores", "1", *SMALL, "--dry-run", "results/guan_hrposs/metrics/eis/summary.csv")
    assert "process_eis_guan_hrposs" in proc.stdout


def test_a_sheet_saved_with_a_byte_order_mark_reads_as_without(small_run, tmp_path):
    """Excel's "CSV UTF-8" starts the file with a byte-order mark; it must not become part of the first column."""
    work = copy_repo(tmp_path / "repo")
    sheet = work / ".test/config/samples/dma.tsv"
    sheet.write_bytes(
        b"\xef\xbb\xbf" + b"\n".join(ln for ln in sheet.read_bytes().split(b"\n") if not ln.startswith(b"#"))
    )
    proc = snakemake(work, "--cores", "1", *SMALL, "--dry-run", "results/kim2026/metrics/dma/summary.csv")
    assert "process_dma_kim2026" in proc.stdout


def test_a_technique_without_a_sheet_schema_or_plugin_is_a_clear_error(tmp_path):
    work = copy_repo(tmp_path / "repo")
    config = work / ".test/config/config.yaml"
    config.write_text(config.read_text().replace("samples:\n", "samples:\n  xrd: .test/config/samples/dma.tsv\n", 1))
    proc = snakemake(work, "--cores", "1", *SMALL, "--dry-run", check=False)
    assert proc.returncode != 0
    assert "no sheet schema workflow/schemas/samples/xrd.schema.yaml" in proc.stdout + proc.stderr


BAD_SHEETS = {
    "invalid cell": (
        lambda text: text.replace(b"\ttrios_txt\t", b"\ttrios_xlsx\t", 1),
        "dma.tsv: data row 1 (run PI): format: 'trios_xlsx' is not one of",
    ),
    "decimal comma": (
        lambda text: text.replace(b"\ttrios_txt\t1\n", b"\ttrios_txt\t1,5\n", 1),
        "dma.tsv: column frequency_Hz must hold numbers, found '1,5'",
    ),
    "Latin-1 byte": (
        lambda text: text.replace(b"tiny", b"tin\xe9", 1),
        "dma.tsv: not UTF-8 text (line 1, byte offset 5)",
    ),
    "extra cell": (
        lambda text: text.replace(b"\ttrios_txt\t1\n", b"\ttrios_txt\t1\t2\n", 1),
        "dma.tsv: data row 1 has 8 cells, the header 7",
    ),
    "duplicated column": (
        lambda text: text.replace(b"\tfrequency_Hz", b"\tformat", 1),
        "dma.tsv: duplicated columns ['format']",
    ),
    "duplicated run": (
        lambda text: text.replace(b"\tPI-P\tPI-P\t", b"\tPI-P\tPI\t", 1),
        "dma.tsv: duplicated run id 'PI' in paper 'kim2026'",
    ),
}


@pytest.mark.parametrize("defect", sorted(BAD_SHEETS))
def test_a_bad_sheet_is_one_line_naming_the_sheet_and_the_defect(tmp_path, defect):
    """Sheets are read with the csv module and validated by one compiled validator per sheet (not one per
    row); each defect is one line naming the sheet and what is wrong (the row, the run and the column where
    there is one)."""
    edit, expected = BAD_SHEETS[defect]
    work = copy_repo(tmp_path / "repo")
    sheet = work / ".test/config/samples/dma.tsv"
    text = sheet.read_bytes()
    assert edit(text) != text, "the edit must change the sheet"
    sheet.write_bytes(edit(text))
    proc = snakemake(work, "--cores", "1", *SMALL, "--dry-run", check=False)
    assert proc.returncode != 0
    message = proc.stdout + proc.stderr
    assert f".test/config/samples/{expected}" in message, message[-800:]
    assert "Traceback" not in message
