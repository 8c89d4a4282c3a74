"""Known-answer tests of the DRT (batrepro.analysis.eis.drt) and of the EIS stand-in files.

The DRTs here penalise the 2nd derivative (pyDRTtools' and Wan et al.'s choice, which these known answers
were set with); the workflow's ``eis.drt.penalty_order`` is 1."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from batrepro.analysis.eis.circuits import circuit_impedance
from batrepro.analysis.eis.drt import drt, drt_matrices, peaks_by_process, rbf_epsilon, zarc_drt
from batrepro.analysis.eis.fit import fit_circuit

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "public"
ROOT = Path(__file__).resolve().parents[2]
ORDER = 2  # penalty order of the known answers (module docstring)
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared public data not found at {SHARED}")


def _one_zarc():
    import pandas as pd

    d = pd.read_csv(SHARED / "eis" / "pydrttools_1ZARC.csv")
    return d["Freq"].to_numpy(), d["Real"].to_numpy() + 1j * d["Imag"].to_numpy()


@needs_shared
@pytest.mark.parametrize("lam", [1e-3, "gcv"])
def test_pydrttools_one_zarc(lam):
    """pyDRTtools' 1ZARC: R_inf 10 Ω, R 50 Ω, τ0 0.1 s (σ = 0.5 Ω noise, and a series inductance
    of ~5 µH visible as Z″ > 0 above 10 kHz, so the inductance column is on)."""
    f, z = _one_zarc()
    res = drt(f, z, penalty_order=ORDER, lam=lam, inductance=True, tau_windows={"zarc": [1e-3, 1.0]})
    main = max(res.peaks, key=lambda p: p.area_ohm)
    assert main.process == "zarc"
    assert abs(main.tau_s / 0.1 - 1) < 0.05  # peak τ within 5 %
    assert abs(res.r_pol_ohm / 50 - 1) < 0.02  # area under γ within 2 %
    assert abs(res.r_inf_ohm / 10 - 1) < 0.02  # R_inf within 2 %
    assert abs(main.tau_max_s / 0.1 - 1) < 0.2  # the maximum itself is noisier (documented)


def test_noise_free_zarc_matches_analytic_drt():
    f = np.geomspace(1e6, 1e-2, 81)
    z = circuit_impedance("R0-Zarc1", [10.0, 50.0, 0.1, 0.8], f)
    res = drt(f, z, penalty_order=ORDER, lam=1e-6)
    exact = zarc_drt(res.tau_s, 50.0, 0.1, 0.8)
    core = (res.tau_s > 1e-3) & (res.tau_s < 10)
    assert np.max(np.abs(res.gamma_ohm[core] - exact[core])) < 0.05 * exact.max()
    assert abs(res.r_pol_ohm - 50) < 0.5 and abs(res.r_inf_ohm - 10) < 0.05


def test_kernel_table_matches_adaptive_quadrature():
    centres = np.linspace(-12, 4, 40)
    eps = rbf_epsilon(centres)
    f = np.array([1e5, 3.3, 1e-2])
    a_re, a_im = drt_matrices(f, centres[::9], eps)
    for i, fi in enumerate(f):
        w = 2 * np.pi * fi
        for j, c in enumerate(centres[::9]):
            re = quad(lambda y, c=c, w=w: np.exp(-((eps * (y - c)) ** 2)) / (1 + (w * np.exp(y)) ** 2), c - 8, c + 8)[0]
            im = quad(
                lambda y, c=c, w=w: -np.exp(-((eps * (y - c)) ** 2)) * w * np.exp(y) / (1 + (w * np.exp(y)) ** 2),
                c - 8,
                c + 8,
            )[0]
            assert abs(a_re[i, j] - re) < 1e-6 and abs(a_im[i, j] - im) < 1e-6


@settings(max_examples=15, deadline=None)
@given(
    r1=st.floats(5, 50), r2=st.floats(5, 50), t1=st.floats(-5, -4), t2=st.floats(-1.5, -0.5), phi=st.floats(0.8, 0.95)
)
def test_round_trip_two_zarcs(r1, r2, t1, t2, phi):
    """Two ZARCs 2.5–4.5 decades apart: both peaks found, τ within 15 %, areas within 5 % of R + 2 % of the total."""
    f = np.geomspace(1e6, 1e-3, 73)
    z = circuit_impedance("R0-Zarc1-Zarc2", [3.0, r1, 10**t1, phi, r2, 10**t2, phi], f)
    res = drt(
        f,
        z,
        penalty_order=ORDER,
        lam=1e-4,
        tau_windows={"a": [1e-7, 10 ** ((t1 + t2) / 2)], "b": [10 ** ((t1 + t2) / 2), 1e3]},
    )
    table = peaks_by_process(res.peaks, ["a", "b"])
    for name, r, t in (("a", r1, t1), ("b", r2, t2)):
        assert abs(np.log(table[name]["tau_s"] / 10**t)) < 0.15
        assert abs(table[name]["resistance_ohm"] - r) < 0.05 * r + 0.02 * (r1 + r2)  # tails leak across the split
    assert abs(res.r_inf_ohm - 3.0) < 0.1


def test_gcv_returns_a_lambda_inside_its_range():
    f = np.geomspace(1e5, 1e-2, 60)
    rng = np.random.default_rng(3)
    z = circuit_impedance("R0-Zarc1", [5.0, 20.0, 1e-2, 0.85], f) + 0.05 * (
        rng.standard_normal(60) + 1j * rng.standard_normal(60)
    )
    res = drt(f, z, penalty_order=ORDER, lam="gcv")
    assert res.lam_method == "gcv" and 1e-5 <= res.lam <= 10


def test_drt_rejects_bad_lambda_and_too_few_points():
    f = np.geomspace(1e3, 1, 10)
    z = circuit_impedance("R0-Zarc1", [1, 2, 1e-2, 0.9], f)
    with pytest.raises(ValueError, match="lambda"):
        drt(f, z, penalty_order=ORDER, lam=-1)
    with pytest.raises(ValueError, match="too few"):
        drt(f[:4], z[:4], penalty_order=ORDER, lam=1e-3)


def test_peaks_are_assigned_to_tau_windows():
    f = np.geomspace(1e6, 1e-3, 73)
    z = circuit_impedance("R0-Zarc1-Zarc2-Zarc3", [2, 5, 2e-5, 0.9, 10, 5e-4, 0.85, 20, 1e-1, 0.8], f)
    windows = {"tau1": [1e-6, 1e-4], "tau2": [1e-4, 2.5e-3], "tau4": [4e-2, 1.0]}
    res = drt(f, z, penalty_order=ORDER, lam=1e-3, tau_windows=windows)
    assert sorted(p.process for p in res.peaks) == ["tau1", "tau2", "tau4"]


# ---------------------------------------------------------------- the stand-in files


def test_stand_in_sheet_matches_the_simulation_parameters():
    import pandas as pd

    from batrepro.simulate.eis import stand_in_runs

    params = yaml.safe_load((ROOT / "resources" / "simulate" / "eis.yaml").read_text(encoding="utf-8"))
    runs = {(r["paper"], r["run"]): r for r in stand_in_runs(params)}
    sheet = pd.read_csv(ROOT / "config" / "samples" / "eis.tsv", sep="\t", dtype=str, comment="#")
    assert len(sheet) == len(runs)
    for row in sheet.itertuples():
        r = runs[(row.paper, row.run)]
        assert (row.sample, row.condition, row.path) == (r["sample"], r["condition"], r["path"])


def test_stand_in_file_round_trip():
    """Write one stand-in, read it with the EC-Lab reader, recover the circuit and the DRT."""
    from batrepro.readers.eclab import read_mpt
    from batrepro.simulate import eis as sim

    f = sim.frequencies(1e6, 1e-3, 8)
    zarcs = [(2.0, 2e-5, 0.9), (10.0, 5e-4, 0.85), (14.0, 8e-3, 0.85), (18.0, 0.15, 0.8)]
    z = sim.spectrum(f, 3.0, zarcs, (22.0, 200.0))
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "x.mpt"
    path.write_bytes(sim.peis_mpt_bytes(f, z))
    data = read_mpt(path).data
    np.testing.assert_allclose(data["z_imag_ohm"], z.imag, rtol=1e-6)
    fit = fit_circuit(
        data["frequency_Hz"],
        data["z_real_ohm"] + 1j * data["z_imag_ohm"],
        "R0-Zarc1-Zarc2-Zarc3-Zarc4-Ws1",
        weights="modulus",
    )
    np.testing.assert_allclose(fit.values[[0, 1, 4, 7, 10, 13]], [3.0, 2.0, 10.0, 14.0, 18.0, 22.0], rtol=0.01)
    res = drt(data["frequency_Hz"], data["z_real_ohm"] + 1j * data["z_imag_ohm"], penalty_order=ORDER, lam=1e-4)
    exact = sim.analytic_drt(res.tau_s, zarcs)
    core = (res.tau_s > 1e-5) & (res.tau_s < 3e-2)  # slower: the Warburg's Debye terms add to γ
    assert np.max(np.abs(res.gamma_ohm[core] - exact[core])) < 0.2 * exact.max()
