"""Known-answer, property and bad-input tests of batrepro.analysis.eis (spectrum checks, circuits, fitting, Lin-KK)."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis.eis.circuits import circuit_impedance, parse_circuit
from batrepro.analysis.eis.fit import fit_circuit, initial_guess
from batrepro.analysis.eis.linkk import lin_kk
from batrepro.analysis.eis.spectrum import check_spectrum
from tests.unit.test_eis_defaults import eis_settings

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "public"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared public data not found at {SHARED}")

F70 = np.geomspace(1e5, 1e-2, 70)
# Schönleber's time-constant range (no widening): with the workflow's extend_decades = 0.5 this valid 2-ZARC
# spectrum stops at M = 6 (μ = 0.79 < c) and fails with 12 % RMS residuals
LINKK = {**eis_settings("linkk"), "extend_decades": 0.0}


# ---------------------------------------------------------------- parser and elements


@pytest.mark.parametrize(
    "text, n",
    [
        ("R0", 1),
        ("R0-p(R1,C1)", 3),
        ("R0-p(R1,CPE1)-p(R2,CPE2)-Wo1", 9),
        ("R0-p(R1,C1)-p(R2-Wo1,C2)", 7),
        ("L0-R0-Zarc1-Zarc2-Ws1", 10),
        ("R0-ZARC1", 4),
        ("p(R1,p(R2,C2),C1)", 4),
        ("R0 - p(R1, C1)", 3),
    ],
)
def test_parse_counts_parameters(text, n):
    assert parse_circuit(text).n_params == n


@pytest.mark.parametrize("text", ["", "R0-", "p(R1)", "R0-X1", "R0-p(R1,C1", "R0-R0", "R0;import os", "R0-p(R1,,C1)"])
def test_parse_rejects_bad_strings(text):
    with pytest.raises(ValueError):
        parse_circuit(text)


def test_element_formulas_match_impedancepy_conventions():
    f = np.array([0.1, 10.0, 1e3])
    w = 2 * np.pi * f
    cases = {
        "R1": ([5.0], 5.0 + 0 * w),
        "C1": ([1e-3], 1 / (1j * w * 1e-3)),
        "L1": ([1e-6], 1j * w * 1e-6),
        "CPE1": ([1e-3, 0.8], 1 / (1e-3 * (1j * w) ** 0.8)),
        "W1": ([2.0], 2.0 * (1 - 1j) / np.sqrt(w)),
        "Wo1": ([3.0, 10.0], 3.0 / (np.sqrt(1j * w * 10) * np.tanh(np.sqrt(1j * w * 10)))),
        "Ws1": ([3.0, 10.0], 3.0 * np.tanh(np.sqrt(1j * w * 10)) / np.sqrt(1j * w * 10)),
        "Zarc1": ([7.0, 0.01, 0.85], 7.0 / (1 + (1j * w * 0.01) ** 0.85)),
    }
    for name, (p, expected) in cases.items():
        np.testing.assert_allclose(circuit_impedance(name, p, f), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "circuit, p",
    [
        ("R0-p(R1,CPE1)-Wo1", [1.0, 5.0, 1e-3, 0.8, 4.0, 20.0]),
        ("L0-R0-Zarc1-p(R2-Ws1,C2)", [1e-6, 2.0, 5.0, 1e-3, 0.9, 3.0, 8.0, 50.0, 1e-3]),
        ("R0-W1-p(R1,C1)", [1.0, 2.0, 3.0, 1e-4]),
    ],
)
def test_analytic_jacobian_matches_finite_differences(circuit, p):
    p = np.asarray(p, float)
    _, jac = circuit_impedance(circuit, p, F70, jacobian=True)
    for k in range(p.size):
        h = 1e-6 * max(abs(p[k]), 1e-12)
        up, dn = p.copy(), p.copy()
        up[k] += h
        dn[k] -= h
        fd = (circuit_impedance(circuit, up, F70) - circuit_impedance(circuit, dn, F70)) / (2 * h)
        np.testing.assert_allclose(jac[:, k], fd, rtol=1e-5, atol=1e-9 * np.abs(fd).max())


def test_finite_warburg_does_not_overflow_at_high_frequency():
    z = circuit_impedance("Wo1", [1.0, 1e4], np.array([1e6, 1e9]))
    assert np.isfinite(z).all()


# ---------------------------------------------------------------- fitting


@needs_shared
def test_fit_reproduces_impedancepy_documented_result():
    """impedance.py's getting-started fit of exampleData.csv, from its documented start, within 1 %."""
    d = np.loadtxt(SHARED / "eis" / "impedancepy_exampleData.csv", delimiter=",")
    sp = check_spectrum(d[:, 0], d[:, 1] + 1j * d[:, 2], "exampleData.csv")
    assert sp.frequency_Hz.size == 57 and sp.n_dropped_inductive == 9
    fit = fit_circuit(
        sp.frequency_Hz, sp.z, "R0-p(R1,C1)-p(R2-Wo1,C2)", [0.01, 0.01, 100, 0.01, 0.05, 100, 1], weights="unit"
    )
    documented = [1.65e-2, 8.68e-3, 3.32, 5.39e-3, 6.31e-2, 2.33e2, 0.220]
    np.testing.assert_allclose(fit.values, documented, rtol=0.01)
    assert fit.success and np.all(fit.stderr > 0)


@needs_shared
def test_automatic_start_reaches_the_same_minimum():
    d = np.loadtxt(SHARED / "eis" / "impedancepy_exampleData.csv", delimiter=",")
    sp = check_spectrum(d[:, 0], d[:, 1] + 1j * d[:, 2])
    ref = fit_circuit(
        sp.frequency_Hz, sp.z, "R0-p(R1,C1)-p(R2-Wo1,C2)", [0.01, 0.01, 100, 0.01, 0.05, 100, 1], weights="unit"
    )
    auto = fit_circuit(sp.frequency_Hz, sp.z, "R0-p(R1,C1)-p(R2-Wo1,C2)", weights="unit")
    assert auto.chi2 <= ref.chi2 * 1.001


def test_fit_recovers_known_circuit_with_standard_errors():
    truth = [2.0, 10.0, 1e-4, 0.9, 20.0, 1e-2, 0.8, 15.0, 50.0]
    c = "R0-Zarc1-Zarc2-Ws1"
    f = np.geomspace(1e5, 1e-2, 50)
    rng = np.random.default_rng(1)
    z = circuit_impedance(c, truth, f)
    z = z + 0.002 * np.abs(z) * (rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size))
    fit = fit_circuit(f, z, c, weights="modulus")
    for k in (0, 1, 4, 7):  # resistances
        assert abs(fit.values[k] - truth[k]) < max(4 * fit.stderr[k], 0.03 * truth[k])
    assert abs(np.log(fit.values[5] / truth[5])) < 0.1


@settings(max_examples=25, deadline=None)
@given(r0=st.floats(0.5, 20), r1=st.floats(2, 100), log_tau=st.floats(-4.5, -0.5), phi=st.floats(0.7, 1.0))
def test_round_trip_random_zarc(r0, r1, log_tau, phi):
    """Simulate R0-Zarc1 with random parameters, fit from automatic guesses, recover within 1 %."""
    f = np.geomspace(1e6, 1e-2, 65)
    truth = [r0, r1, 10**log_tau, phi]
    z = circuit_impedance("R0-Zarc1", truth, f)
    fit = fit_circuit(f, z, "R0-Zarc1", weights="modulus")
    np.testing.assert_allclose(fit.values, truth, rtol=0.01)


def test_initial_guess_finds_intercept_and_arcs():
    truth = [5.0, 20.0, 1e-3, 1.0, 40.0, 1e-1, 1.0]
    f = np.geomspace(1e6, 1e-3, 80)
    z = circuit_impedance("R0-Zarc1-Zarc2", truth, f)
    g = initial_guess("R0-Zarc1-Zarc2", f, z)
    assert abs(g[0] - 5.0) < 0.5
    assert abs(np.log10(g[2] / 1e-3)) < 0.3 and abs(np.log10(g[5] / 1e-1)) < 0.3
    assert 0.5 < g[1] / 20 < 2 and 0.5 < g[4] / 40 < 2


# ---------------------------------------------------------------- Lin-KK


def test_linkk_passes_a_valid_spectrum_and_fails_a_drifting_one():
    f = np.geomspace(1e5, 1e-2, 60)
    z = circuit_impedance("R0-Zarc1-Zarc2", [2.0, 10.0, 1e-4, 0.9, 20.0, 1e-2, 0.8], f)
    ok = lin_kk(f, z, **LINKK)
    assert ok.passed and ok.rms_residual < 1e-3
    drift = z * (1 + 0.5 * np.linspace(0, 1, f.size) ** 2)  # the cell changed during the sweep
    bad = lin_kk(f, drift, **LINKK)
    assert not bad.passed


# ---------------------------------------------------------------- bad input, one test per class


def test_inductive_points_are_dropped_and_counted():
    f = np.geomspace(1e6, 1e-1, 50)
    z = circuit_impedance("L0-R0-Zarc1", [5e-7, 1.0, 5.0, 1e-3, 0.9], f)
    sp = check_spectrum(f, z, "cell A")
    assert sp.n_dropped_inductive == int((z.imag > 0).sum()) > 0
    assert (sp.z.imag <= 0).all()
    kept = check_spectrum(f, z, "cell A", drop_inductive=False)
    assert kept.n_dropped_inductive == 0 and kept.z.size == f.size


def test_duplicated_frequencies_are_an_error():
    f = np.array([1e3, 1e2, 1e2, 1e1])
    with pytest.raises(ValueError, match=r"^cell B: duplicated frequency 100 Hz"):
        check_spectrum(f, np.ones(4) - 0.1j, "cell B")


def test_unsorted_frequencies_are_an_error_and_rising_sweeps_are_reversed():
    with pytest.raises(ValueError, match=r"^cell C: frequencies are not sorted"):
        check_spectrum([1e3, 1e1, 1e2], np.ones(3) - 0.1j, "cell C")
    sp = check_spectrum([1e1, 1e2, 1e3], np.array([3, 2, 1]) - 0.1j, "cell C")
    assert list(sp.frequency_Hz) == [1e3, 1e2, 1e1] and list(sp.z.real) == [1, 2, 3]


def test_nan_is_an_error():
    with pytest.raises(ValueError, match=r"^cell D: 1 NaN or infinite value"):
        check_spectrum([1e3, 1e2, 1e1], np.array([1, np.nan, 1]) - 0.1j, "cell D")


def test_too_few_points_for_the_circuit_is_an_error():
    f = np.array([1e3, 1e2, 1e1])
    with pytest.raises(ValueError, match=r"^cell E: 3 points .* too few for the 7 parameters"):
        fit_circuit(f, np.ones(3) - 0.1j, "R0-p(R1,C1)-p(R2-Wo1,C2)", weights="unit", name="cell E")


@pytest.mark.parametrize("bad", [0.0, -10.0])
def test_zero_or_negative_frequency_is_an_error(bad):
    with pytest.raises(ValueError, match=r"^cell F: frequency .* is zero or negative"):
        check_spectrum([1e3, 1e2, bad], np.ones(3) - 0.1j, "cell F")


def test_errors_are_one_line():
    with pytest.raises(ValueError) as err:
        check_spectrum([1e3, np.nan], [1, 1], "file.mpt")
    assert "\n" not in str(err.value) and str(err.value).startswith("file.mpt:")
