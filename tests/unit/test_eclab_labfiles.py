"""A lab's own EC-Lab files (issue 13): GCPL .mpr records without a current, in every record layout galvani
0.5.0 reads, and Modulo Bat files with GCPL and PEIS sequences, written by the project's forward models and
.mpr writer (batrepro.simulate.eclab_mpr) and analysed through the plug-ins."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from galvani import BioLogic

from batrepro.readers.eclab import read_eclab
from batrepro.simulate import cycling as cyc
from batrepro.simulate import eis as sim_eis
from batrepro.simulate.eclab_mpr import LAYOUTS, mpr_bytes
from batrepro.simulate.eclab_mpt import gcpl_columns
from batrepro.techniques import process_runs
from tests.conftest import schema_settings
from tests.unit.test_eis_plugin import _config as eis_config

MASS_MG = 1.2
LITH = np.array([3300.0, 2900.0, 2850.0])
DELITH = np.array([2800.0, 2780.0, 2760.0])


def cycling_record(points=60):
    chem = cyc.CHEMISTRIES["si_anode"]
    return cyc.cycle_record(chem, MASS_MG, LITH, DELITH, np.full(3, 0.2), 3579.0, np.full(3, points), seed=5)


def gcpl_without_current(rec, layout):
    cols = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    cols.pop("<I>/mA")
    cols.pop("cycle number")  # EC-Lab computes it on export: not in the record
    if layout.startswith("v0"):  # single-byte column ids: the pre-11.50 capacity columns are not written
        cols.pop("Q charge/discharge/mA.h")
        cols.pop("half cycle")
    return cols


def cycling_run(path, fmt="eclab_mpr", **extra):
    return {
        "paper": "lab",
        "sample": "cell",
        "run": "cell",
        "condition": "",
        "path": str(path),
        "format": fmt,
        "active_mass_mg": MASS_MG,
        "cell": "anode_half",
        **extra,
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gcpl_mpr_without_current_round_trip(tmp_path, layout):
    """The GCPL record has dq/mA.h and (Q-Qo)/mA.h but no I (as EC-Lab writes it): the reader accepts it,
    the ingest derives I = dq/dt (an interval mean, checked against the Q counter) and the capacities are
    the forward model's. The file reads back with galvani, column by column."""
    rec = cycling_record()
    cols = gcpl_without_current(rec, layout)
    path = tmp_path / f"gcpl_{layout}.mpr"
    path.write_bytes(mpr_bytes("GCPL", cols, layout))
    mpr = BioLogic.MPRfile(io.BytesIO(path.read_bytes()))
    raw = read_eclab(path)
    assert "current_mA" not in raw.data.columns and raw.header["current_column"] is None
    np.testing.assert_array_equal(raw.data["time_s"], mpr.data["time/s"])
    np.testing.assert_array_equal(raw.data["dq_mAh"], mpr.data["dq/mA.h"])
    np.testing.assert_array_equal(raw.data["voltage_V"], mpr.data["Ewe/V"].astype(float))
    _, metrics, _, _ = process_runs("cycling", "lab", [cycling_run(path)], schema_settings("cycling"))
    m = metrics["cell"]
    cycles = pd.DataFrame(m["cycles"])
    np.testing.assert_allclose(cycles["out_mAh_g"], DELITH, rtol=1e-9)
    np.testing.assert_allclose(cycles["in_mAh_g"], LITH, rtol=1e-9)
    assert m["capacity_check"]["checked"] and m["capacity_check"]["max_rel_diff"] < 1e-9


def test_a_record_without_current_or_charge_is_a_one_line_error(tmp_path):
    rec = cycling_record(10)
    cols = gcpl_without_current(rec, "v3")
    for name in ("dq/mA.h", "(Q-Qo)/mA.h", "Q charge/discharge/mA.h"):
        cols.pop(name)
    path = tmp_path / "bare.mpr"
    path.write_bytes(mpr_bytes("GCPL", cols, "v3"))
    with pytest.raises(ValueError, match=r"bare.mpr: no current column \(I/mA, <I>/mA\) and no dq/mA.h"):
        process_runs("cycling", "lab", [cycling_run(path)], schema_settings("cycling"))


def test_public_gcpl_mpr_without_current_enters_the_workflow(public_data, caplog):
    """yadg's gcpl.issue_149.mpr (EC-Lab 11.50, GITT-like pulses, no I in the record, nor in its .mpt export):
    the current is derived from dq. The (Q-Qo) counter also counts the charge of each pulse's tail that no
    dq row carries (4.7e-8 mAh at the first pulse end): 0.12 % of |Q|, reported and warned about."""
    from batrepro.techniques._eclab import with_current

    raw = read_eclab(public_data / "eclab" / "gcpl.issue_149.mpr")
    with caplog.at_level("WARNING"):
        table, kind, check = with_current(raw.data, "gcpl.issue_149.mpr", raw.header["current_column"])
    assert kind == "interval_mean" and check == pytest.approx(1.2e-3, rel=0.05)
    assert "differs from (Q-Qo) by 0.0012" in caplog.text
    # inside the pulses the derived current is the set-point (control/V/mA) within 2 % (a pulse's first row
    # averages over an interval that began at rest); 0 at rest
    mode = table["mode"].to_numpy()
    ns = table["ns"].to_numpy()
    pulse = (mode == 1) & (np.r_[0, mode[:-1]] == 1) & (np.r_[-1, ns[:-1]] == ns)
    i = table["current_mA"].to_numpy()
    np.testing.assert_allclose(i[pulse], table["control_V_mA"].to_numpy()[pulse], rtol=0.02)
    assert np.all(i[mode != 1] == 0)


def modulo_bat(rec, spectrum_f, spectrum_z):
    """A Modulo Bat record: the GCPL sequences (Ns 0-2), then a PEIS sequence (Ns 3) opening with a 0 Hz row.
    Both kinds of row carry every column (zeros where a quantity does not apply), as EC-Lab writes MB files."""
    g = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    n_eis = spectrum_f.size + 1
    t_end = rec["time_s"][-1]
    f = np.r_[0.0, spectrum_f]
    z = np.r_[spectrum_z[0].real, spectrum_z]
    cols = {}
    for name in ("mode", "ox/red", "error", "control changes", "Ns changes", "counter inc."):
        cols[name] = np.r_[g[name], np.full(n_eis, 3 if name == "mode" else 0)]
    cols["Ns"] = np.r_[g["Ns"], np.full(n_eis, 3)]
    cols["time/s"] = np.r_[g["time/s"], t_end + 10.0 * np.arange(1, n_eis + 1)]
    cols["control/V/mA"] = np.r_[g["control/V/mA"], np.zeros(n_eis)]
    cols["Ewe/V"] = np.r_[g["Ewe/V"], np.full(n_eis, g["Ewe/V"][-1])]
    cols["<I>/mA"] = np.r_[g["<I>/mA"], np.zeros(n_eis)]
    cols["dq/mA.h"] = np.r_[g["dq/mA.h"], np.zeros(n_eis)]
    cols["(Q-Qo)/mA.h"] = np.r_[g["(Q-Qo)/mA.h"], np.full(n_eis, g["(Q-Qo)/mA.h"][-1])]
    cols["freq/Hz"] = np.r_[np.zeros(len(g["Ns"])), f]
    cols["Re(Z)/Ohm"] = np.r_[np.zeros(len(g["Ns"])), z.real]
    cols["-Im(Z)/Ohm"] = np.r_[np.zeros(len(g["Ns"])), -z.imag]
    return cols


def test_modulo_bat_with_gcpl_and_peis_round_trip(tmp_path):
    """One Modulo Bat .mpr: the cycling sheet row picks sequence GCPL, the EIS row sequence PEIS; each gets its
    rows (the 0 Hz row is dropped with a count), the capacities are the model's and the circuit fit returns
    the spectrum's R0 and arc."""
    rec = cycling_record()
    f = sim_eis.frequencies(1e5, 1e-1, 8)
    z = sim_eis.spectrum(f, 3.0, [(15.0, 1e-3, 0.9)])
    path = tmp_path / "mb.mpr"
    path.write_bytes(mpr_bytes("MB", modulo_bat(rec, f, z), "v3"))
    assert read_eclab(path).technique == "MB"
    _, metrics, _, _ = process_runs("cycling", "lab", [cycling_run(path, sequence="GCPL")], schema_settings("cycling"))
    np.testing.assert_allclose(pd.DataFrame(metrics["cell"]["cycles"])["out_mAh_g"], DELITH, rtol=1e-6)
    eis_run = {**cycling_run(path, sequence="PEIS"), "sweep": ""}
    papers = {"lab": {"circuit": "R0-Zarc1", "tau_windows": {"ct": [1e-5, 1e-1]}}}
    _, em, _, _ = process_runs("eis", "lab", [eis_run], eis_config(papers))
    params = em["cell"]["fit"]["parameters"]
    assert em["cell"]["n_points"] == f.size
    assert params["R0"]["value"] == pytest.approx(3.0, rel=1e-3)
    assert params["Zarc1_0"]["value"] == pytest.approx(15.0, rel=1e-3)
    _, by_ns, _, _ = process_runs("eis", "lab", [{**eis_run, "sequence": "3"}], eis_config(papers))
    assert by_ns["cell"]["fit"]["parameters"] == params  # Ns 3 is the PEIS sequence
    with pytest.raises(ValueError, match="a Modulo Bat file; set 'sequence'"):
        process_runs("eis", "lab", [{**eis_run, "sequence": ""}], eis_config(papers))


def cccv_file(tmp_path):
    from batrepro.simulate.cccv import cccv_record, instantaneous_gcpl_columns
    from batrepro.simulate.eclab_mpt import GCPL_DIGITS, MptMeta, mpt_bytes

    cc = np.array([[3000.0, 2900.0], [2950.0, 2880.0], [2940.0, 2870.0], [2930.0, 2860.0]])
    rec, lith, delith = cccv_record(0.5, cc, hold_tau_s=300.0)
    path = tmp_path / "cccv.mpt"
    path.write_bytes(mpt_bytes(MptMeta("gcpl", MASS_MG), instantaneous_gcpl_columns(rec), False, GCPL_DIGITS))
    return path, 100 * delith / lith


def test_instantaneous_current_with_cv_holds_round_trip(tmp_path, caplog):
    """An I/mA file (instantaneous samples) whose lithiations end in CV holds: the current column picks the
    trapezoid rule, every CE is the model's within 0.005 percentage points (measured -0.0009 pp), and the counter
    check (0.05 %; measured 0.001 %) stays silent. The rectangle rule (the old global default), forced by the
    sheet, gives CEs 0.14 pp too high and the counter check warns (0.165 %)."""
    path, ce_model = cccv_file(tmp_path)
    settings = schema_settings("cycling")
    with caplog.at_level("INFO"):
        _, metrics, _, _ = process_runs("cycling", "lab", [cycling_run(path, "eclab_mpt")], settings)
    m = metrics["cell"]
    assert m["integration"] == {
        "rule": "trapezoid",
        "source": "auto: instantaneous current",
        "current_kind": "instantaneous",
    }
    ce = pd.DataFrame(m["cycles"])["ce_pct"].to_numpy()
    np.testing.assert_allclose(ce, ce_model, atol=0.005, rtol=0)
    assert m["capacity_check"]["max_rel_diff"] < settings["capacity_check_tolerance"]
    assert "differs from the cycler's capacity counter" not in caplog.text
    assert "vs the cycler's capacity counter: largest difference" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING"):
        _, forced, _, _ = process_runs(
            "cycling", "lab", [cycling_run(path, "eclab_mpt", integration="rectangle")], settings
        )
    bias = pd.DataFrame(forced["cell"]["cycles"])["ce_pct"].to_numpy() - ce_model
    assert forced["cell"]["integration"]["source"] == "sample sheet"
    assert np.all(bias > 0.1)
    assert "differs from the cycler's capacity counter" in caplog.text


@pytest.mark.parametrize("layout", ["v2", "v3"])
def test_multi_sweep_peis_mpr_picks_the_sheet_sweep(tmp_path, layout):
    """A PEIS .mpr with three sweeps (no cycle number in the record, as EC-Lab writes it), each opening with a
    0 Hz row: the sheet's sweep column (text, 1-based) picks one; the 0 Hz rows are dropped."""
    f = sim_eis.frequencies(1e5, 1e-1, 6)
    freq, re, im = [], [], []
    for r1 in (10.0, 20.0, 30.0):
        z = sim_eis.spectrum(f, 2.0, [(r1, 1e-3, 0.9)])
        freq += [0.0, *f]
        re += [z[0].real, *z.real]
        im += [0.0, *(-z.imag)]
    n = len(freq)
    cols = {"freq/Hz": np.array(freq), "Re(Z)/Ohm": np.array(re), "-Im(Z)/Ohm": np.array(im)}
    cols["time/s"] = np.arange(n, dtype=float)
    path = tmp_path / "peis.mpr"
    path.write_bytes(mpr_bytes("PEIS", cols, layout))
    papers = {"lab": {"circuit": "R0-Zarc1", "tau_windows": {"ct": [1e-5, 1e-1]}}}
    run = {**cycling_run(path), "sweep": "2"}
    _, em, _, _ = process_runs("eis", "lab", [run], eis_config(papers))
    assert em["cell"]["n_points"] == f.size
    assert em["cell"]["fit"]["parameters"]["Zarc1_0"]["value"] == pytest.approx(20.0, rel=1e-3)
    with pytest.raises(ValueError, match="3 sweeps"):
        process_runs("eis", "lab", [{**run, "sweep": ""}], eis_config(papers))
