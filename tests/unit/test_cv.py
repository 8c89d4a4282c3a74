"""CV: sweeps and cycles separated, peaks recovered from the thin-layer Butler–Volmer model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from batrepro.analysis import cv
from batrepro.simulate import cv as sim
from tests.conftest import schema_settings


def test_sweeps_and_cycles():
    e = np.r_[
        np.linspace(2.0, 0.0, 21), np.linspace(0.1, 3.0, 30), np.linspace(2.9, 0.0, 30), np.linspace(0.1, 3.0, 30)
    ]
    data = pd.DataFrame({"time_s": np.arange(len(e), dtype=float), "voltage_V": e, "current_mA": np.zeros(len(e))})
    sw = cv.sweeps(data)
    assert sw.direction.tolist() == [-1, 1, -1, 1]
    assert sw.cycle.tolist() == [1, 1, 2, 2]


@pytest.mark.parametrize("peaks", [(0.20, 0.35), (0.5, 0.9), (1.1, 1.6)])
def test_single_wave_peak_potential_recovered(peaks):
    ec, ea = peaks
    cell = sim.CvCell(waves=(sim.Wave(ec, 0.5, -1), sim.Wave(ea, 0.5, +1)), c_dl_mF=0.0, fade_per_cycle=0.0)
    rec = sim.simulate_cv(cell, 2.5, 0.0, 2.5, 0.1, 2, step_mV=5)
    m = cv.analyse_run(pd.DataFrame(rec), {"sample": "X"}, schema_settings("cv"))
    cath = [p for p in m["peaks"] if p["kind"] == "cathodic"]
    anod = [p for p in m["peaks"] if p["kind"] == "anodic"]
    assert len(cath) == 2 and len(anod) == 2  # one per cycle
    for p in cath:
        assert p["potential_V"] == pytest.approx(ec, abs=0.005)
        assert p["current_mA"] < 0
    for p in anod:
        assert p["potential_V"] == pytest.approx(ea, abs=0.005)


def test_si_anode_peaks_and_binder_currents():
    rec = sim.simulate_cv(sim.si_anode(0.55), 2.8, 0.05, 3.5, 0.1, 2, step_mV=10)
    m = cv.analyse_run(pd.DataFrame(rec), {"sample": "PI", "condition": "electrode=si"}, schema_settings("cv"))
    c2 = sorted(p["potential_V"] for p in m["peaks"] if p["cycle"] == 2 and p["kind"] == "cathodic")
    a2 = sorted(p["potential_V"] for p in m["peaks"] if p["cycle"] == 2 and p["kind"] == "anodic")
    assert c2 == pytest.approx([0.08, 0.20], abs=0.03)
    assert a2 == pytest.approx([0.35, 0.52], abs=0.03)
    c1 = [p["potential_V"] for p in m["peaks"] if p["cycle"] == 1 and p["kind"] == "cathodic"]
    assert any(abs(v - 0.70) < 0.03 for v in c1)  # SEI, first cycle only
    binder = cv.analyse_run(
        pd.DataFrame(sim.simulate_cv(sim.binder_only(), 2.8, 0.05, 3.5, 0.1, 2, 20)),
        {"sample": "PI"},
        schema_settings("cv"),
    )
    assert binder["max_abs_current_mA"] < 0.02 * m["max_abs_current_mA"]
    rows = pd.DataFrame(cv.summary_rows("kim2026", m))
    assert "cathodic_peak_potential" in set(rows.quantity)
    assert rows.condition.str.contains("electrode=si").all()


def test_missing_columns():
    with pytest.raises(ValueError, match="lack column"):
        cv.sweeps(pd.DataFrame({"time_s": [0, 1, 2], "voltage_V": [0, 1, 2]}))
