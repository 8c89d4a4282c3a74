"""DFT: the Gaussian log reader (against cclib), E_bind, the checks, bad logs, and the stand-ins."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from batrepro.analysis.dft import HARTREE_KCAL_MOL, binding_energy, log_energy
from batrepro.readers import RawDataError
from batrepro.readers.gaussian import read_gaussian_log
from batrepro.simulate.gaussian import _coords, formula_atoms, gaussian_log
from batrepro.techniques import process_runs
from tests.conftest import schema_settings

REPO = Path(__file__).resolve().parents[2]
LOGS = REPO / "resources/raw/kim2026/dft"
#: Kim et al. Fig. 2f (kcal mol-1): sample -> (condition, printed value)
REPORTED = {"PI": -11.22, "PAID": -17.72, "PI-P": -17.81, "PAID-P": -31.04}


def _write(tmp_path, name="w", energy=-76.4, freqs_ok=True, cp=None, seed=0) -> Path:
    rng = np.random.default_rng(seed)
    atoms = formula_atoms({"O": 1, "H": 2})
    text = gaussian_log(name, "test water", atoms, _coords(atoms, rng), energy, rng, cp=cp)
    path = tmp_path / f"{name}.log"
    path.write_text(text, encoding="utf-8")
    return path


def _energy(path, max_imag=0.0):
    raw = read_gaussian_log(path)
    return log_energy(raw.data, raw.header["job_steps"], max_imag)


def test_final_energy_is_the_optimised_scf_energy(tmp_path):
    path = _write(tmp_path, energy=-76.4197412345)
    e = _energy(path)
    assert e["energy_hartree"] == pytest.approx(-76.4197412345, abs=1e-10)
    assert e["optimised"] and e["frequency_job"] and e["n_imaginary"] == 0
    assert 0 < e["energy_uncertainty_hartree"] < 1e-5


def test_binding_energy_arithmetic_in_kcal_per_mol():
    a = {"energy_hartree": -100.0, "energy_uncertainty_hartree": 0.0, "counterpoise_energy_hartree": None}
    b = {"energy_hartree": -50.0, "energy_uncertainty_hartree": 0.0, "counterpoise_energy_hartree": None}
    ab = {"energy_hartree": -150.01, "energy_uncertainty_hartree": 1e-6, "counterpoise_energy_hartree": -150.005}
    e = binding_energy({**ab, "bsse_hartree": 0.005}, a, b)
    assert e["binding_energy_kcal_mol"] == pytest.approx(-0.01 * 627.509474, rel=1e-9)
    assert e["binding_energy_cp_kcal_mol"] == pytest.approx(-0.005 * 627.509474, rel=1e-9)
    assert e["uncertainty_kcal_mol"] == pytest.approx(1e-6 * HARTREE_KCAL_MOL)


def test_counterpoise_summary_and_fragment_energies_are_kept_apart(tmp_path):
    path = _write(tmp_path, energy=-152.9, cp=(0.004, -76.45, -76.44))
    raw = read_gaussian_log(path)
    assert set(raw.data["counterpoise_fragment"]) == {0, 1, 2, -1, -2}
    e = log_energy(raw.data, raw.header["job_steps"], 0.0)
    assert e["energy_hartree"] == pytest.approx(-152.9, abs=1e-9)  # not the last SCF (a fragment's)
    assert e["counterpoise_energy_hartree"] == pytest.approx(-152.896, abs=1e-9)
    assert e["bsse_hartree"] == pytest.approx(0.004)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("BSSE energy =       0.003600000000", "BSSE energy =       0.003900000000", r"'BSSE energy' = 0.0039 Hartree"),
        (
            "corrected energy =   -1598.719216178665",
            "corrected energy =   -1598.718216178665",
            r"'Counterpoise corrected",
        ),
        ("-12.60 kcal/mole (raw)", "-12.70 kcal/mole (raw)", r"'complexation energy \(raw\)' = -12.7 kcal/mol, but"),
        ("-10.34 kcal/mole (corrected)", "-10.43 kcal/mole (corrected)", r"'complexation energy \(corrected\)'"),
    ],
)
def test_a_counterpoise_summary_that_disagrees_with_the_scf_energies_is_an_error(tmp_path, old, new, message):
    """The summary restates the complex's and fragments' SCF energies (BSSE, corrected energy, complexation
    energies); an edited or spliced log whose summary disagrees was read silently."""
    text = (LOGS / "PI_dimer.log").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "spliced.log"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"spliced.log: " + message):
        read_gaussian_log(path)


def test_reader_agrees_with_cclib_on_the_stand_in_logs():
    cclib = pytest.importorskip("cclib")
    for path in sorted(LOGS.glob("*.log")):
        data = cclib.io.ccread(str(path), loglevel=logging.ERROR)
        raw = read_gaussian_log(path)
        ours = raw.data["scf_energy_hartree"].to_numpy()
        theirs = cclib.parser.utils.convertor(np.asarray(data.scfenergies), "eV", "hartree")
        assert len(ours) == len(theirs), path.name
        assert np.allclose(ours, theirs, atol=1e-8, rtol=0), path.name
        freqs = [f for s in raw.header["job_steps"] for f in s["frequencies_cm-1"]]
        assert np.allclose(freqs, data.vibfreqs), path.name
        assert bool(data.optdone) and raw.header["job_steps"][0]["converged"]
        assert data.metadata["success"]


def test_stand_ins_give_the_papers_binding_energies_near_not_exactly():
    runs = pd.read_csv(REPO / "config/samples/dft.tsv", sep="\t", dtype=str, keep_default_na=False)
    runs["path"] = [str(REPO / p) for p in runs["path"]]
    *_, summary = process_runs("dft", "kim2026", runs.to_dict("records"), schema_settings("dft"))
    plain = summary[~summary["condition"].str.contains("reading=")].set_index("sample")
    for sample, printed in REPORTED.items():
        x, u = plain.loc[sample, "value"], plain.loc[sample, "uncertainty"]
        assert abs(x - printed) <= 0.005 + 2 * u, sample  # half the last printed digit + 2u
        assert x != pytest.approx(printed, abs=1e-6), sample  # a computed number, not the printed one
    cp = summary[summary["condition"].str.contains("reading=counterpoise")].set_index("sample")
    assert sorted(cp.index) == ["PAID", "PI"]  # the H-bonded dimers carry a counterpoise step
    assert (cp["value"] > plain.loc[cp.index, "value"]).all()  # BSSE makes the raw binding too strong


# -- bad input: one test per class -----------------------------------------------------------------------


def test_truncated_log_is_a_one_line_error_naming_the_file(tmp_path):
    full = _write(tmp_path).read_text(encoding="utf-8")
    cut = tmp_path / "cut.log"
    cut.write_text(full[: len(full) // 2], encoding="utf-8")
    with pytest.raises(RawDataError, match=r"cut\.log:\d+: job step 1 of 1 did not terminate normally") as err:
        read_gaussian_log(cut)
    assert "\n" not in str(err.value)


def test_error_termination_is_reported(tmp_path):
    text = _write(tmp_path).read_text(encoding="utf-8")
    bad = tmp_path / "err.log"
    bad.write_text(text.replace(" Normal termination of Gaussian 16", " Error termination via Lnk1e in l9999.exe", 1))
    with pytest.raises(RawDataError, match=r"err\.log:\d+: Gaussian stopped with 'Error termination via Lnk1e"):
        read_gaussian_log(bad)


def test_unconverged_optimisation_is_an_error(tmp_path):
    text = _write(tmp_path).read_text(encoding="utf-8")
    bad = tmp_path / "stop.log"
    bad.write_text(text.replace("    -- Stationary point found.", " Optimization stopped."), encoding="utf-8")
    with pytest.raises(ValueError, match="did not converge"):
        _energy(bad)


def test_imaginary_frequency_is_an_error_unless_tolerated(tmp_path):
    text = _write(tmp_path).read_text(encoding="utf-8")
    head, _, tail = text.partition(" Frequencies --")
    first = tail.split()[0]
    bad = tmp_path / "ts.log"
    bad.write_text(head + " Frequencies --" + tail.replace(first, f"-{float(first) + 40:.4f}", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"1 imaginary frequency \(\d+\.\di cm-1\) in job step 2: not a minimum"):
        _energy(bad)
    assert _energy(bad, max_imag=5000.0)["n_imaginary"] == 1


def test_not_a_gaussian_log(tmp_path):
    p = tmp_path / "x.log"
    p.write_text("hello\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="not a Gaussian output log"):
        read_gaussian_log(p)


def test_a_missing_role_names_the_sample(tmp_path):
    path = str(_write(tmp_path))
    runs = [
        {"paper": "p", "sample": "S", "run": r, "condition": "bond=hydrogen", "path": path, "format": "gaussian_log",
         "role": role}
        for r, role in (("ab", "AB"), ("a", "A"))
    ]  # fmt: skip
    with pytest.raises(ValueError, match=r"sample S \[bond=hydrogen\] has no run with role \['B'\]"):
        process_runs("dft", "p", runs, schema_settings("dft"))


def test_analysis_never_reads_the_registry_or_the_simulators():
    for mod in ("analysis/dft.py", "techniques/dft.py", "readers/gaussian.py"):
        src = (REPO / "workflow/scripts/batrepro" / mod).read_text(encoding="utf-8")
        names = {n.module or "" for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
        assert not any("simulate" in n for n in names), mod
        assert "resources/reported" not in src and "resources/simulate" not in src, mod
