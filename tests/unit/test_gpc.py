"""GPC: calibration fit, slice averages on known distributions, the stand-ins against the paper, and bad input."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis.gpc import fit_calibration, slice_averages
from batrepro.readers import RawDataError
from batrepro.readers.gpc import read_gpc_calibration, read_gpc_trace
from batrepro.simulate.gpc import lognormal_trace, sliced_averages
from batrepro.techniques import process_runs
from tests.conftest import schema_settings

REPO = Path(__file__).resolve().parents[2]
COEF = [8.68055556e-04, -4.53125e-02, 2.98536706e-01, 9.13638393]  # the stand-ins' "true" column calibration
V = np.round(np.arange(8.0, 25.0 + 1e-9, 0.01), 6)


def _calibration(scatter=0.0, seed=0):
    rng = np.random.default_rng(seed)
    ve = np.linspace(11.0, 22.5, 14)
    return fit_calibration(10 ** np.polyval(COEF, ve), ve + rng.normal(0, scatter, ve.size), 3)


def _kw(**over):
    s = schema_settings("gpc")
    kw = {k: s[k] for k in ("baseline_fraction", "limit_fraction", "limit_smoothing_points")}
    return {**kw, **over}


def test_calibration_fit_of_exact_standards_is_exact():
    cal = _calibration()
    assert np.allclose(cal.coefficients, COEF, rtol=1e-6)
    assert cal.residual_dex < 1e-9


def test_slice_averages_of_a_noise_free_trace_equal_the_direct_sums():
    h = 20 * lognormal_trace(V, COEF, 6.2, 0.25)
    r = slice_averages(V, h, _calibration(), **_kw(limit_smoothing_points=1))
    mn, mw = sliced_averages(V, h, COEF, _kw()["limit_fraction"])  # the same limits, summed independently
    assert r.mn_g_mol == pytest.approx(mn, rel=1e-6)
    assert r.mw_g_mol == pytest.approx(mw, rel=1e-6)
    # a log-normal in log10 M with SD s has Mw/Mn = exp((s ln 10)^2), when the limits take in all of it
    wide = slice_averages(V, h, _calibration(), **_kw(limit_smoothing_points=1, limit_fraction=1e-6))
    assert wide.dispersity == pytest.approx(np.exp((0.25 * np.log(10)) ** 2), rel=1e-3)
    assert r.dispersity < wide.dispersity  # limits at 0.5 % of the peak cut both tails


def test_noise_is_reflected_in_the_uncertainty():
    rng = np.random.default_rng(3)
    h = 20 * lognormal_trace(V, COEF, 6.5, 0.3)
    clean = slice_averages(V, h, _calibration(), **_kw())
    values = [slice_averages(V, h + rng.normal(0, 0.04, V.size), _calibration(), **_kw()).mw_g_mol for _ in range(20)]
    noisy = slice_averages(V, h + rng.normal(0, 0.04, V.size), _calibration(), **_kw())
    assert np.std(values) < 3 * noisy.mw_uncertainty_g_mol
    assert abs(np.mean(values) - clean.mw_g_mol) < 3 * noisy.mw_uncertainty_g_mol


def test_stand_ins_reproduce_mn_and_mw_near_not_exactly():
    """Kim et al.: Mn 4526 and 2629 kDa, Mw 5400 and 7672 kDa (printed to 1 kDa: ±0.5 + 2u)."""
    runs = pd.read_csv(REPO / "config/samples/gpc.tsv", sep="\t", dtype=str, keep_default_na=False)
    for col in ("path", "calibration_path"):
        runs[col] = [str(REPO / p) for p in runs[col]]
    runs["flow_rate_mL_min"] = runs["flow_rate_mL_min"].astype(float)
    *_, summary = process_runs("gpc", "kim2026", runs.to_dict("records"), schema_settings("gpc"))
    rows = summary.set_index(["sample", "quantity"])
    for (sample, quantity), printed in {("PI", "mn"): 4526, ("PAID", "mn"): 2629, ("PI", "mw"): 5400,
                                        ("PAID", "mw"): 7672}.items():  # fmt: skip
        x, u = rows.loc[(sample, quantity), ["value", "uncertainty"]]
        assert abs(x - printed) <= 0.5 + 2 * u, (sample, quantity, x, u)
        assert abs(x - printed) > 0.01
    assert rows.loc[("PAID", "dispersity"), "value"] == pytest.approx(7672 / 2629, rel=0.02)


# -- bad input -------------------------------------------------------------------------------------------


def _trace_file(tmp_path, v, y, name="t.csv", header="elution_volume_mL,ri_signal_mV"):
    p = tmp_path / name
    p.write_text(header + "\n" + "\n".join(f"{a:.3f},{b:.5f}" for a, b in zip(v, y)) + "\n", encoding="utf-8")
    return p


def test_trace_outside_the_calibration_range_is_an_error(tmp_path):
    h = 20 * lognormal_trace(V, COEF, 8.2, 0.2)  # elutes before the largest standard
    with pytest.raises(ValueError, match=r"outside the calibrated range 11\.000–22\.500 mL of the standards"):
        slice_averages(V, h, _calibration(), **_kw())


def test_wrong_columns_are_an_error(tmp_path):
    p = _trace_file(tmp_path, V, V * 0, header="volume,signal")
    with pytest.raises(RawDataError, match=r"t\.csv:1: header must name one of \['elution_volume_mL'"):
        read_gpc_trace(p)
    c = tmp_path / "cal.csv"
    c.write_text("name,M\nA,1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"cal\.csv:1: calibration header must name"):
        read_gpc_calibration(c)


def test_non_increasing_volume_is_an_error(tmp_path):
    v = V.copy()
    v[100] = v[98]
    p = _trace_file(tmp_path, v, np.ones_like(v))
    with pytest.raises(RawDataError, match=r"t\.csv:\d+: elution_volume_mL must increase"):
        read_gpc_trace(p)


def test_time_axis_without_a_flow_rate_is_an_error(tmp_path):
    p = _trace_file(tmp_path, V, 20 * lognormal_trace(V, COEF, 6.5, 0.3), header="elution_time_min,ri_signal_mV")
    run = {"paper": "p", "sample": "S", "run": "r", "condition": "", "path": str(p), "format": "gpc_csv",
           "calibration_path": str(REPO / "resources/raw/kim2026/gpc/PS_calibration.csv")}  # fmt: skip
    with pytest.raises(ValueError, match="no flow_rate_mL_min"):
        process_runs("gpc", "p", [run], schema_settings("gpc"))


def test_analysis_never_reads_the_registry_or_the_simulators():
    for mod in ("analysis/gpc.py", "techniques/gpc.py", "readers/gpc.py"):
        src = (REPO / "workflow/scripts/batrepro" / mod).read_text(encoding="utf-8")
        names = {n.module or "" for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
        assert not any("simulate" in n for n in names), mod
        assert "resources/reported" not in src and "resources/simulate" not in src, mod


@settings(max_examples=12, deadline=None)
@given(mu=st.floats(4.5, 6.8), sigma=st.floats(0.08, 0.45))
def test_round_trip_any_log_normal_gives_the_sliced_averages(mu, sigma):
    """Any log-normal trace inside the calibration: the analysis equals the independent slice sums."""
    h = 20 * lognormal_trace(V, COEF, mu, sigma)
    r = slice_averages(V, h, _calibration(), **_kw(limit_smoothing_points=1))
    mn, mw = sliced_averages(V, h, COEF, _kw()["limit_fraction"])
    assert r.mn_g_mol == pytest.approx(mn, rel=1e-6) and r.mw_g_mol == pytest.approx(mw, rel=1e-6)
    assert r.dispersity >= 1
