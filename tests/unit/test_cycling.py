"""Cycling analysis: known answers, simulate -> analyse round trips, bad input, and the stand-in files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis import cycling as cy
from batrepro.analysis import cycling_summary as cys
from batrepro.simulate import cycling as sim
from batrepro.simulate.eclab_mpt import GCPL_DIGITS, MptMeta, ec_number, gcpl_columns, mpt_bytes
from tests.conftest import schema_settings

ROOT = Path(__file__).resolve().parents[2]


def square_wave(currents_mA, durations_s, points=10):
    """Constant-current steps, each logged at `points` evenly spaced ends of intervals."""
    t, i, v = [0.0], [0.0], [1.0]
    for cur, dur in zip(currents_mA, durations_s):
        for k in range(1, points + 1):
            t.append(t[-1] + dur / points)
            i.append(cur)
            v.append(0.5 - 0.4 * np.sign(cur) * k / points)
    return pd.DataFrame({"time_s": t, "voltage_V": v, "current_mA": i})


def test_known_capacities_and_ce():
    # 1 mA for 1 h = 1 mAh; lithiation 2 h at -1 mA (2 mAh), delithiation 1.5 h at +1 mA
    data = square_wave([-1.0, 1.0, -1.0, 1.0], [7200, 5400, 3600, 3420])
    halves = cy.half_cycles(data)
    assert halves["sign"].tolist() == [-1, 1, -1, 1]
    np.testing.assert_allclose(halves["capacity_mAh"], [2.0, 1.5, 1.0, 0.95], rtol=1e-12)
    summary = cy.cycle_summary(halves, mass_g=0.001)
    np.testing.assert_allclose(summary["in_mAh_g"], [2000.0, 1000.0])
    np.testing.assert_allclose(summary["ce_pct"], [75.0, 95.0])  # delithiation / lithiation


def test_trapezoid_and_rests_and_full_cell_convention():
    data = square_wave([1.0, 0.0, -1.0], [3600, 600, 1800])  # full cell: charge, rest, discharge
    halves = cy.half_cycles(data, integration="trapezoid")
    assert len(halves) == 2
    s = cy.cycle_summary(cy.half_cycles(data), 0.001, cell="full")
    np.testing.assert_allclose(s["ce_pct"], [50.0])
    # an anode record that starts with a delithiation skips it
    s = cy.cycle_summary(cy.half_cycles(square_wave([1.0, -1.0, 1.0], [100, 3600, 1800])), 0.001)
    np.testing.assert_allclose(s["in_mAh"], [1.0])


def test_retention_readings_and_summary_rows():
    q = sim.fade_curve(200, 2820.0, 1881.0, 200, 100.0)
    ce = sim.ce_curve(200, 2820 / 3915, 0.96, 0.995, 5.0)
    rec = sim.cycle_record(
        sim.CHEMISTRIES["si_anode"], 0.57, q / ce, q, np.full(200, 0.2), 3579.0, np.full(200, 6), seed=1
    )
    rec["current_mA"][0:0] = 0
    metrics = cy.analyse_run(
        pd.DataFrame(rec),
        {"active_mass_mg": 0.57, "sample": "PAID-P", "run": "r", "condition": "rate=0.2C"},
        schema_settings("cycling", report_cycles=[50], initial_cycle_condition="rate=0.2C"),
    )
    r200 = metrics["retention_pct"]["200"]
    assert r200["cycle1_delithiation"] == pytest.approx(100 * 1881 / 2820, rel=1e-6)
    assert r200["cycle1_lithiation"] == pytest.approx(100 * 1881 / 3915, rel=1e-6)
    rows = pd.DataFrame(
        cys.cycling_summary_rows("kim2026", metrics, schema_settings("cycling", initial_cycle_condition="rate=0.2C"))
    )
    key = rows.set_index(["quantity", "condition"])["value"]
    assert key[("lithiation_capacity", "cycle=1")] == pytest.approx(3915, rel=1e-6)
    assert key[("ice", "cycle=1")] == pytest.approx(100 * 2820 / 3915, rel=1e-6)
    assert key[("discharge_capacity", "cycle=1;rate=0.2C")] == pytest.approx(2820, rel=1e-6)
    assert key[("discharge_capacity", "cycle=200;rate=0.2C")] == pytest.approx(1881, rel=1e-6)
    assert key[("capacity_retention", "cycle=200;rate=0.2C")] == pytest.approx(66.70, abs=0.01)
    assert ("capacity_retention", "cycle=200;rate=0.2C;reference=cycle2_delithiation") in key.index


@settings(max_examples=25, deadline=None)
@given(
    q1=st.floats(200, 4000),
    ret=st.floats(0.05, 0.95),
    mass=st.floats(0.1, 5.0),
    rate=st.sampled_from([0.1, 0.2, 0.5, 1.0, 2.0]),
    n=st.integers(5, 60),
    ice=st.floats(0.4, 0.95),
)
def test_round_trip_recovers_model_capacities(q1, ret, mass, rate, n, ice):
    q = sim.fade_curve(n, q1, q1 * ret, n, n / 8)
    ce = sim.ce_curve(n, ice, 0.97, 0.995, 4.0)
    rec = sim.cycle_record(
        sim.CHEMISTRIES["si_anode"], mass, q / ce, q, np.full(n, rate), 3579.0, np.full(n, 4), seed=0
    )
    m = cy.analyse_run(pd.DataFrame(rec), {"active_mass_mg": mass, "c_rate_mAh_g": 3579.0}, schema_settings("cycling"))
    np.testing.assert_allclose(m["cycles"]["out_mAh_g"], q, rtol=1e-9)
    np.testing.assert_allclose(m["cycles"]["in_mAh_g"], q / ce, rtol=1e-9)
    np.testing.assert_allclose(m["cycles"]["c_rate"], rate, rtol=1e-9)


def test_rate_steps_found_from_current():
    rates = np.repeat([0.2, 0.5, 1.0, 15.0, 0.2], 3)
    q = sim.rate_capacity(rates, 2500.0, 1074.0, 15.0)
    rec = sim.cycle_record(sim.CHEMISTRIES["si_anode"], 0.55, q / 0.99, q, rates, 3579.0, np.full(len(rates), 6), 0)
    m = cy.analyse_run(
        pd.DataFrame(rec), {"active_mass_mg": 0.55, "c_rate_mAh_g": 3579.0, "sample": "X"}, schema_settings("cycling")
    )
    steps = m["rate_steps"]
    assert steps["rate"] == ["0.2C", "0.5C", "1C", "15C", "0.2C"]
    assert steps["repeat"] == [1, 1, 1, 1, 2]
    assert steps["out_mAh_g_mean"][3] == pytest.approx(1074.0, rel=1e-9)
    rows = {r.condition: r.value for r in cys.rate_summary_rows("kim2026", m)}
    assert rows["rate=15C"] == pytest.approx(1074.0, rel=1e-9)
    assert "rate=0.2C;repeat=2" in rows


def test_capacity_check_against_the_cyclers_column():
    q = np.array([1000.0, 900.0])
    rec = sim.cycle_record(sim.CHEMISTRIES["si_anode"], 1.0, q / 0.9, q, np.full(2, 0.5), 3579.0, np.full(2, 5), 0)
    cols = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    data = pd.DataFrame(rec).assign(charge_discharge_mAh=cols["Q charge/discharge/mA.h"])
    check = cy.capacity_check(cy.half_cycles(data))
    assert check["checked"] and check["max_rel_diff"] < 1e-12
    data["charge_discharge_mAh"] *= 1.02
    assert cy.capacity_check(cy.half_cycles(data))["max_rel_diff"] == pytest.approx(0.02 / 1.02, rel=1e-6)


@pytest.mark.parametrize("mass", [0, 0.0, -1.0, None, "", float("nan"), "abc"])
def test_zero_or_missing_active_mass_is_refused(mass):
    data = square_wave([-1.0, 1.0], [3600, 3600])
    with pytest.raises(ValueError, match=r"active_mass_mg must be a positive number of mg"):
        cy.analyse_run(data, {"active_mass_mg": mass}, schema_settings("cycling"))
    meta = {} if mass is None else {"active_mass_mg": mass}
    with pytest.raises(ValueError, match="active_mass_mg"):
        cy.analyse_run(data, meta, schema_settings("cycling"))


def test_missing_current_and_time_going_back():
    data = square_wave([-1.0, 1.0], [3600, 3600])
    with pytest.raises(ValueError, match=r"lack column\(s\) \['current_mA'\]"):
        cy.half_cycles(data.drop(columns="current_mA"))
    data.loc[5, "time_s"] = 0.0
    with pytest.raises(ValueError, match="time_s decreases"):
        cy.half_cycles(data)


def test_ec_number_format():
    assert ec_number(3.4228721) == "3.4228721E+000"
    assert ec_number(-0.0012, 3, decimal_comma=True) == "-1,200E-003"
    assert ec_number(30.15299923827115, 15) == "3.015299923827115E+001"


def test_written_mpt_layout(tmp_path):
    q = np.array([1000.0])
    rec = sim.cycle_record(sim.CHEMISTRIES["si_anode"], 0.5, q / 0.8, q, [0.2], 3579.0, [4], 0)
    cols = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    raw = mpt_bytes(MptMeta("gcpl", 0.5, 1.1), cols, decimal_comma=True, digits=GCPL_DIGITS)
    text = raw.decode("cp1252")
    lines = text.split("\n")
    n_header = int(lines[1].split(":")[1])
    assert lines[0] == "EC-Lab ASCII FILE"
    assert lines[3] == "Galvanostatic Cycling with Potential Limitation"
    assert lines[n_header - 1].startswith("mode\tox/red") and lines[n_header - 1].endswith("\t")
    assert "Mass of active material : 0,500 mg" in text and "cm²" in text
    assert b"\xb2" in raw  # cp1252 superscript two
    assert len(lines[n_header].split("\t")) == len(cols) + 1


def test_stand_in_files_match_the_sample_sheets():
    params = yaml.safe_load((ROOT / "resources/simulate/electrochem.yaml").read_text(encoding="utf-8"))
    from batrepro.simulate.electrochem import output_paths

    paths = set()
    masses = {}
    for technique in ("cycling", "rate", "cv", "gitt"):
        sheet = pd.read_csv(
            ROOT / f"config/samples/{technique}.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False
        )
        paths |= set(sheet["path"])
        for row in sheet.itertuples():
            if row.active_mass_mg:
                masses[row.run] = float(row.active_mass_mg)
    assert paths == set(output_paths(params))
    assert all((ROOT / p).is_file() for p in paths)
    assert sum((ROOT / p).stat().st_size for p in paths) < 10e6
    for cell in params["kim2026"]["cycling"] + params["kim2026"]["rate"]["cells"]:
        assert masses[cell["run"]] == cell["mass_mg"]
