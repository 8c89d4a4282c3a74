"""Tensile (ASTM D882): known answers, break detection and simulate → Bluehill → analyse round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from batrepro.analysis.tensile import analyse_specimen, engineering_curve, find_break, summarise, youngs_modulus
from batrepro.readers import RawDataError
from batrepro.readers.bluehill import read_bluehill, specimen_geometry
from batrepro.simulate.tensile import FilmSpecimen, bluehill_csv, simulate_test


def test_linear_elastic_brittle_curve_known_answers():
    strain = np.linspace(0, 2.0, 201)  # %
    stress = 5000 * strain / 100  # E = 5 GPa
    stress = np.concatenate([stress, [0.1, 0.0, 0.05]])
    strain = np.concatenate([strain, [2.01, 2.02, 2.03]])
    res = analyse_specimen(pd.DataFrame({"strain_pct": strain, "stress_MPa": stress}))
    assert res.youngs_modulus_MPa == pytest.approx(5000, rel=1e-9)
    assert res.tensile_strength_MPa == pytest.approx(100.0)
    assert res.elongation_at_break_pct == pytest.approx(2.0)
    assert res.toughness_MJ_m3 == pytest.approx(0.5 * 100 * 0.02, rel=1e-6)  # triangle
    assert res.break_detected


def test_break_detector_ignores_noise_and_finds_the_fall():
    load = np.concatenate([np.linspace(0, 10, 50), [10.02, 9.98, 10.01], [0.1, 0.0]])
    i, found = find_break(load, 0.5, 5)
    assert found and i == 50
    i, found = find_break(np.linspace(0, 10, 50), 0.5, 5)
    assert not found and i == 49


def test_toe_compensation_shifts_strain_origin():
    strain = np.linspace(0, 3, 301)
    stress = np.where(strain < 0.2, 0.0, 4000 * (strain - 0.2) / 100)
    modulus, r2, toe = youngs_modulus(strain, stress, 0.4, 0.6)
    assert modulus == pytest.approx(4000, rel=1e-6) and toe == pytest.approx(0.2, abs=1e-6) and r2 > 0.999


def test_geometry_comes_from_the_file_and_a_conflicting_sheet_is_an_error(tmp_path):
    spec = FilmSpecimen("PI", 1, 3000, 100, 160, 8.0)
    path = tmp_path / "s.csv"
    path.write_text(bluehill_csv(spec, simulate_test(spec)), encoding="utf-8")
    params = read_bluehill(path).header
    g = specimen_geometry(params, {}, path)
    assert g == {"width_mm": 10.0, "thickness_mm": 0.03, "gauge_length_mm": 50.0}
    assert specimen_geometry(params, {"thickness_mm": 0.03}, path)["thickness_mm"] == 0.03  # restated: fine
    with pytest.raises(RawDataError, match=r"thickness_mm: the sample sheet says 0.025, the file's parameter lines"):
        specimen_geometry(params, {"thickness_mm": 0.025}, path)
    no_geometry = {k: v for k, v in params.items() if k != "thickness_mm"}
    assert specimen_geometry(no_geometry, {"thickness_mm": 0.025}, path)["thickness_mm"] == 0.025


def test_summary_is_mean_and_sample_sd():
    metrics = {
        f"r{i}": {
            "youngs_modulus_MPa": 1000.0 * i,
            "tensile_strength_MPa": 10.0 * i,
            "elongation_at_break_pct": float(i),
            "toughness_MJ_m3": 1.0,
        }
        for i in (1, 2, 3)
    }
    runs = [{"run": f"r{i}", "sample": "S"} for i in (1, 2, 3)]
    s = summarise("p", runs, metrics).set_index("quantity")
    assert s.loc["tensile_strength", "value"] == 20.0
    assert s.loc["tensile_strength", "uncertainty"] == pytest.approx(10.0)
    assert s.loc["youngs_modulus", "unit"] == "GPa" and s.loc["youngs_modulus", "value"] == 2.0


@settings(max_examples=15, deadline=None)
@given(
    strength=st.floats(60, 300), elong=st.floats(1.0, 15.0), modulus=st.floats(2000, 9000), seed=st.integers(0, 9999)
)
def test_round_trip_random_films(tmp_path_factory, strength, elong, modulus, seed):
    """Recovered strength within 0.5 %, elongation within 0.05 % strain, modulus within 3 % of the initial
    slope E + H."""
    yield_scale = 0.8 * strength
    assume(yield_scale / modulus >= 0.015)  # a linear region of at least 1.5 % strain, as D882 presumes
    spec = FilmSpecimen("X", 1, modulus, yield_scale, strength, elong)
    path = tmp_path_factory.mktemp("t") / "s.csv"
    path.write_text(bluehill_csv(spec, simulate_test(spec, seed=seed)), encoding="utf-8")
    table = read_bluehill(path)
    raw, params = table.data, table.header
    res = analyse_specimen(engineering_curve(raw, **specimen_geometry(params, {}, path)))
    assert res.tensile_strength_MPa == pytest.approx(strength, rel=0.005)
    assert res.elongation_at_break_pct == pytest.approx(elong, abs=0.05)
    assert res.youngs_modulus_MPa == pytest.approx(modulus + spec.hardening_MPa, rel=0.03)
