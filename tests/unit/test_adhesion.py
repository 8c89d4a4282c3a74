"""180° peel (ASTM D903 / ISO 8510-2) and SAICAS: known answers, window and regime detection, the Bluehill and
SAICAS readers on the stand-in models, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis.adhesion import batch_mean_se, peel_force, saicas_force, summarise
from batrepro.readers import RawDataError
from batrepro.readers.bluehill import read_bluehill
from batrepro.readers.saicas import read_saicas_csv
from batrepro.simulate.adhesion import PeelSpecimen, SaicasCut, peel_csv, saicas_text, simulate_peel, simulate_saicas
from batrepro.techniques import process_runs

PEEL = {"crack_fraction": 0.8, "window_offset_mm": 20.0, "window_length_mm": 60.0, "batches": 10}
SAICAS = {"tail_fraction": 0.1, "depth_tolerance_um": 0.2, "settle_um": 30.0, "min_peel_um": 100.0, "batches": 10}


def square_wave_peel(level=2.0, amplitude=0.3, total=100.0, dx=0.05):
    """A 2 mm linear ramp to 1.2 × level, then level ± amplitude (period 2 mm, exact zero mean)."""
    x = np.arange(0.0, total + dx / 2, dx)
    wave = level + amplitude * np.where((x // 1.0) % 2 == 0, 1.0, -1.0)
    f = np.where(x < 2.0, 1.2 * level * x / 2.0, wave)
    return x, f


def test_peel_mean_over_the_window_after_the_crack_point():
    x, f = square_wave_peel()
    res = peel_force(x, f, crack_fraction=0.8, window_offset_mm=20.0, window_length_mm=60.0, batches=10)
    # crack point: the first force >= 0.8 x max (2.4, the end of the ramp): 1.92 N, at 1.6 mm on the ramp
    assert res.crack_extension_mm == pytest.approx(1.6, abs=0.05)
    assert res.window_start_mm == pytest.approx(res.crack_extension_mm + 20.0)
    assert res.adhesion_force_N == pytest.approx(2.0, abs=0.3 / 60)  # at most one unpaired 0.05 mm sample
    assert res.force_sd_N == pytest.approx(0.3, rel=0.01)
    assert (res.force_min_N, res.force_max_N) == (pytest.approx(1.7), pytest.approx(2.3))


def test_peel_window_is_configurable():
    x, f = square_wave_peel()
    f = np.where(x > 50.0, f + 0.2, f)  # a step in the plateau moves the mean with the window
    early = peel_force(x, f, crack_fraction=0.8, window_offset_mm=5.0, window_length_mm=40.0, batches=10)
    late = peel_force(x, f, crack_fraction=0.8, window_offset_mm=55.0, window_length_mm=40.0, batches=10)
    assert early.adhesion_force_N == pytest.approx(2.0, abs=0.02)
    assert late.adhesion_force_N == pytest.approx(2.2, abs=0.02)


def test_a_peel_curve_that_never_reaches_the_window_is_a_clear_error():
    x, f = square_wave_peel(total=50.0)
    with pytest.raises(ValueError, match=r"record ends at 50\.00 mm extension, before the end of the averaging window"):
        peel_force(x, f, **PEEL)


def test_batch_means_standard_error():
    rng = np.random.default_rng(0)
    iid = rng.normal(0, 1, 10000)
    assert batch_mean_se(iid, 10) == pytest.approx(1 / 100, rel=0.5)
    slow = np.repeat(rng.normal(0, 1, 10), 1000)  # strongly correlated: SD/√n would be 30x too small
    assert batch_mean_se(slow, 10) > 10 * slow.std() / np.sqrt(slow.size)


def test_peel_stand_in_through_bluehill_reader_and_plugin(tmp_path):
    spec = PeelSpecimen("PI-P", 4.2)
    path = tmp_path / "peel.csv"
    path.write_text(peel_csv(spec, simulate_peel(spec, seed=7)), encoding="utf-8")
    assert read_bluehill(path).header["width_mm"] == 20.0
    run = {"paper": "p", "sample": "PI-P", "run": "r1", "path": str(path), "format": "bluehill_csv"}
    _, metrics, _, summary = process_runs("peel", "p", [run], PEEL)
    m = metrics["r1"]
    assert m["adhesion_force_N"] == pytest.approx(4.2, rel=0.01)
    assert m["peel_strength_N_mm"] == pytest.approx(m["adhesion_force_N"] / 20.0)
    row = summary.iloc[0]
    assert (row["quantity"], row["condition"], row["unit"], row["n"]) == ("adhesion_force", "method=peel", "N", 1)
    assert row["uncertainty"] == pytest.approx(m["standard_error_N"])


def test_short_peel_record_through_the_plugin_names_the_file(tmp_path):
    spec = PeelSpecimen("PI", 1.1, total_mm=40.0)
    path = tmp_path / "short.csv"
    path.write_text(peel_csv(spec, simulate_peel(spec, seed=1)), encoding="utf-8")
    run = {"paper": "p", "sample": "PI", "run": "r1", "path": str(path), "format": "bluehill_csv"}
    with pytest.raises(ValueError, match="before the end of the averaging window") as err:
        process_runs("peel", "p", [run], PEEL)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def cut_then_peel(force=0.25, depth=20.0, dx=1.0, cut_um=200.0, total=700.0):
    x = np.arange(0.0, total + dx / 2, dx)
    d = np.minimum(x / cut_um * depth, depth)
    fh = np.where(x <= cut_um, 1.5 * force * d / depth, force)
    fv = np.where(x <= cut_um, 0.1 * d / depth, 0.02)
    return x, d, fh, fv


def test_saicas_constant_depth_regime_known_answer():
    x, d, fh, fv = cut_then_peel()
    res = saicas_force(x, d, fh, fv, **SAICAS)
    assert res.constant_depth_start_um == pytest.approx(199.0, abs=1.0)  # within 0.2 µm of 20 µm from x = 198 µm
    assert res.window_start_um == pytest.approx(res.constant_depth_start_um + 30.0)
    assert res.adhesion_force_N == pytest.approx(0.25)
    assert res.vertical_force_N == pytest.approx(0.02)
    assert res.peel_depth_um == pytest.approx(20.0)
    assert res.max_cutting_force_N == pytest.approx(0.375, rel=0.02)


def test_a_saicas_log_that_never_reaches_constant_depth_is_a_clear_error():
    x, d, fh, fv = cut_then_peel(cut_um=700.0)  # still cutting at the end of the log
    with pytest.raises(ValueError, match="never reaches a constant depth"):
        saicas_force(x, d, fh, fv, **SAICAS)


def test_a_saicas_log_without_a_cutting_phase_is_a_clear_error():
    x = np.arange(0.0, 500.0)
    with pytest.raises(ValueError, match="no cutting phase"):
        saicas_force(x, np.full_like(x, 5.0), np.full_like(x, 0.1), np.zeros_like(x), **SAICAS)


@pytest.fixture()
def saicas_log(tmp_path):
    spec = SaicasCut("PAID-P", 0.30)
    path = tmp_path / "cut.csv"
    path.write_text(saicas_text(spec, simulate_saicas(spec, seed=5)), encoding="utf-8")
    return path


def test_saicas_stand_in_through_reader_and_plugin(saicas_log):
    raw = read_saicas_csv(saicas_log)
    assert raw.header["Instrument"].startswith("SAICAS EN-EX") and raw.technique == "SAICAS"
    run = {"paper": "p", "sample": "PAID-P", "run": "c1", "path": str(saicas_log), "format": "saicas_csv"}
    _, metrics, _, summary = process_runs("saicas", "p", [run], SAICAS)
    assert metrics["c1"]["adhesion_force_N"] == pytest.approx(0.30, rel=0.01)
    assert metrics["c1"]["peel_depth_um"] == pytest.approx(20.0, abs=0.05)
    assert summary.iloc[0]["condition"] == "method=saicas"


def test_saicas_reader_units_and_depth_alias(tmp_path, saicas_log):
    text = saicas_log.read_text(encoding="utf-8")
    head, _, body = text.partition("Vertical force [N]\n")
    rows = [r.split(",") for r in body.splitlines()]
    converted = "".join(f"{t},{float(x) / 1000:.6f},{d},{float(fh) * 1000:.3f},{fv}\n" for t, x, d, fh, fv in rows)
    head = head.replace("Horizontal displacement [um],Vertical displacement [um],Horizontal force [N],", "")
    new = head + "Horizontal displacement (mm),Depth [µm],Horizontal force [mN],Vertical force [N]\n" + converted
    path = tmp_path / "mm.csv"
    path.write_text(new, encoding="utf-8")
    a, b = read_saicas_csv(path).data, read_saicas_csv(saicas_log).data
    np.testing.assert_allclose(a["horizontal_displacement_um"], b["horizontal_displacement_um"], atol=1e-3)
    np.testing.assert_allclose(a["horizontal_force_N"], b["horizontal_force_N"], atol=1e-6)
    np.testing.assert_allclose(a["vertical_displacement_um"], b["vertical_displacement_um"])


BAD = {
    "wrong columns": (lambda t: t.replace("Vertical force [N]", "Normal force [N]"), "missing column"),
    "no force column": (lambda t: t.replace("Horizontal force", "Shear force"), "no column row naming"),
    "unknown unit": (lambda t: t.replace("Horizontal force [N]", "Horizontal force [lbf]"), "impossible unit"),
    "text cell": (lambda t: t.replace("\n10.00,", "\nten,", 1), "non-numeric"),
    "truncated": (lambda t: t.rstrip("\n").rsplit(",", 2)[0] + "\n", "truncated"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_saicas_reader_bad_input_is_one_line_error(tmp_path, saicas_log, case):
    edit, message = BAD[case]
    path = tmp_path / "bad.csv"
    path.write_text(edit(saicas_log.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RawDataError, match=message) as err:
        read_saicas_csv(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_summary_mean_and_sd_over_specimens():
    runs = [{"sample": "A", "run": f"r{i}"} for i in range(3)]
    metrics = {f"r{i}": {"adhesion_force_N": 1.0 + 0.1 * i, "standard_error_N": 0.001} for i in range(3)}
    row = summarise("p", "peel", runs, metrics, "astm_d903_peel").iloc[0]
    assert row["value"] == pytest.approx(1.1) and row["uncertainty"] == pytest.approx(0.1) and row["n"] == 3


@settings(max_examples=15, deadline=None)
@given(force=st.floats(0.2, 25.0), seed=st.integers(0, 2**31 - 1))
def test_peel_round_trip_any_force(force, seed):
    """Stick–slip (±12 %) averages out over the 60 mm window: the steady force within 1 %."""
    test = simulate_peel(PeelSpecimen("x", force), seed=seed)
    res = peel_force(test["extension_mm"], test["load_N"], **PEEL)
    assert res.adhesion_force_N == pytest.approx(force, rel=0.01)


@settings(max_examples=15, deadline=None)
@given(force=st.floats(0.02, 2.0), coating=st.floats(5.0, 60.0), seed=st.integers(0, 2**31 - 1))
def test_saicas_round_trip_any_force_and_coating(force, coating, seed):
    log = simulate_saicas(SaicasCut("x", force, coating_um=coating, noise_N=0.01 * force), seed=seed)
    args = [log[k] for k in ("horizontal_displacement_um", "vertical_displacement_um")]
    res = saicas_force(*args, log["horizontal_force_N"], log["vertical_force_N"], **SAICAS)
    assert res.adhesion_force_N == pytest.approx(force, rel=0.01)
    assert res.peel_depth_um == pytest.approx(coating, abs=0.05)
