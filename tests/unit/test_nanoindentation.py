"""Nanoindentation (ISO 14577-1, Oliver–Pharr): analytic answers, micromechanics' verification point, the
Anton Paar-like reader, round trips through the stand-in model, and bad input."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis.nanoindentation import analyse_indent, contact_area, oliver_pharr, summarise
from batrepro.readers import RawDataError
from batrepro.readers.anton_paar import read_anton_paar_indentation
from batrepro.simulate.nanoindentation import Indent, anton_paar_text, simulate_indent
from batrepro.techniques import process_runs

REPO = Path(__file__).resolve().parents[2]
SETTINGS = {
    "fit_range": [0.5, 0.98],
    "min_fit_points": 10,
    "epsilon": 0.75,
    "beta": 1.0,
    "area_coefficients": [24.5],
}
KW = dict(SETTINGS)


def analytic_curve(er_gpa: float, h_gpa: float, p_max: float, m: float, n_unload: int = 200):
    """A load–unload curve built from the Oliver–Pharr relations alone (not the stand-in simulator):
    A = P/H, h_c = √(A/24.5), S = 2 E_r √A/√π, h_max = h_c + 0.75 P/S, unloading P = α (h − h_f)^m."""
    er, hard = er_gpa * 1e-6, h_gpa * 1e-6  # mN/nm²
    area = p_max / hard
    hc = np.sqrt(area / 24.5)
    s = 2 * er * np.sqrt(area) / np.sqrt(np.pi)
    h_max = hc + 0.75 * p_max / s
    h_f = h_max - m * p_max / s
    p_load = np.linspace(0, p_max, 100)
    h_load = h_max * np.sqrt(p_load / p_max)
    p_un = np.linspace(p_max, 0, n_unload)
    h_un = h_f + (h_max - h_f) * (p_un / p_max) ** (1 / m)
    return np.concatenate([h_load, h_un]), np.concatenate([p_load, p_un]), h_max


@pytest.mark.parametrize(
    "er, hard, p_max, m", [(0.983, 0.022, 9.2, 1.5), (3.093, 0.09, 9.4, 1.35), (72.0, 9.0, 5, 1.6)]
)
def test_known_reduced_modulus_and_hardness_are_recovered_within_1_percent(er, hard, p_max, m):
    h, p, h_max = analytic_curve(er, hard, p_max, m)
    res = analyse_indent(h, p, **KW)
    assert res.reduced_modulus_GPa == pytest.approx(er, rel=0.01)
    assert res.hardness_GPa == pytest.approx(hard, rel=0.01)
    assert res.max_depth_nm == pytest.approx(h_max)
    assert res.unload_exponent == pytest.approx(m, rel=1e-4)


def test_known_answers_survive_realistic_noise():
    rng = np.random.default_rng(1)
    h, p, _ = analytic_curve(1.58, 0.034, 12.7, 1.45)
    h = h + rng.normal(0, 0.3, h.size)
    p = p + rng.normal(0, 0.002, p.size)
    res = analyse_indent(h, p, **KW)
    assert res.reduced_modulus_GPa == pytest.approx(1.58, rel=0.01)
    assert res.hardness_GPa == pytest.approx(0.034, rel=0.01)


@settings(max_examples=25, deadline=None)
@given(
    er=st.floats(0.5, 200.0),
    ratio=st.floats(0.005, 0.08),
    p_max=st.floats(0.5, 50.0),
    m=st.floats(1.2, 1.8),
)
def test_round_trip_any_contact(er, ratio, p_max, m):
    """H/E_r from soft polymers to ceramics; the unloading exponent over its usual span."""
    h, p, _ = analytic_curve(er, er * ratio, p_max, m)
    res = analyse_indent(h, p, **KW)
    assert res.reduced_modulus_GPa == pytest.approx(er, rel=0.01)
    assert res.hardness_GPa == pytest.approx(er * ratio, rel=0.01)


def test_micromechanics_verification_point_is_reproduced():
    """micromechanics' verification.py (MIT; values 'From Agilent software', Cu, one CSM point): S 159111.704268288
    N/m, P 0.491297865144331 mN, h 111.172457420282 nm with its six-term area function -> E_r 182.338858733495 GPa,
    H 0.82150309678705 GPa, A_c 598047.490101769 nm²."""
    coefficients = [32.9049, -6418.303798, 288484.8518, -989287.0625, 103588.5588, 675977.3345]
    c = oliver_pharr(
        159111.704268288 * 1e-6,
        0.491297865144331,
        111.172457420282,
        epsilon=0.75,
        beta=1.0,
        area_coefficients=coefficients,
    )
    assert c.reduced_modulus_GPa == pytest.approx(182.338858733495, rel=1e-5)
    assert c.hardness_GPa == pytest.approx(0.82150309678705, rel=1e-5)
    assert c.contact_area_nm2 == pytest.approx(598047.490101769, rel=1e-5)


def test_area_function_terms():
    assert contact_area(1000.0, [24.5]) == pytest.approx(24.5e6)
    assert contact_area(100.0, [24.5, 10.0, 4.0]) == pytest.approx(24.5e4 + 1000 + 40)


def test_beta_divides_the_modulus():
    c1 = oliver_pharr(0.03, 9.0, 4000, epsilon=0.75, beta=1.0, area_coefficients=[24.5])
    c2 = oliver_pharr(0.03, 9.0, 4000, epsilon=0.75, beta=1.034, area_coefficients=[24.5])
    assert c1.reduced_modulus_GPa / c2.reduced_modulus_GPa == pytest.approx(1.034)
    assert c1.hardness_GPa == c2.hardness_GPa


def _write(tmp_path, text, name="indent.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def indent_text():
    spec = Indent("PI", 1, 0.983, 0.022, 9.218)
    return spec, anton_paar_text(spec, simulate_indent(spec, seed=3))


def test_reader_and_stand_in_round_trip(tmp_path, indent_text):
    spec, text = indent_text
    raw = read_anton_paar_indentation(_write(tmp_path, text))
    assert list(raw.data.columns) == ["force_mN", "depth_nm", "time_s"]
    assert raw.header["Instrument"] == "Step500 NHT3" and raw.technique == "indentation"
    res = analyse_indent(raw.data["depth_nm"], raw.data["force_mN"], **KW)
    assert res.reduced_modulus_GPa == pytest.approx(0.983, rel=0.02)
    assert res.hardness_GPa == pytest.approx(0.022, rel=0.01)
    assert res.max_depth_nm == pytest.approx(spec.contact()["h_max_nm"], abs=2.0)


def test_reader_converts_units_and_accepts_semicolons(tmp_path, indent_text):
    _, text = indent_text
    head, _, body = text.partition("Time [s]\tFn [mN]\tPd [nm]\n")
    rows = [line.split("\t") for line in body.splitlines()]
    um = "".join(f"{float(d) / 1000:.6f};{t};{float(f) * 1000:.3f}\n" for t, f, d in rows)
    raw = read_anton_paar_indentation(_write(tmp_path, head + "Pd [µm];Time [s];Fn [µN]\n" + um))
    ref = read_anton_paar_indentation(_write(tmp_path, text, "ref.txt"))
    np.testing.assert_allclose(raw.data["depth_nm"], ref.data["depth_nm"], atol=1e-3)
    np.testing.assert_allclose(raw.data["force_mN"], ref.data["force_mN"], atol=1e-6)


BAD = {
    "wrong columns": (lambda t: t.replace("Pd [nm]", "Depth [nm]"), "no column row with 'Fn"),
    "unknown unit": (lambda t: t.replace("Fn [mN]", "Fn [kN]"), r"impossible unit '\[kN\]'"),
    "no unit": (lambda t: t.replace("Fn [mN]", "Fn"), "no column row"),
    "decimal comma": (lambda t: t.replace("0.200\t", "0,200\t", 1), "decimal comma"),
    "truncated row": (lambda t: t.rstrip("\n").rsplit("\t", 1)[0] + "\n", "truncated"),
    "not berkovich": (lambda t: t.replace("Indenter type: Berkovich", "Indenter type: Vickers"), "only Berkovich"),
    "impossible depth": (lambda t: t.replace("Pd [nm]", "Pd [µm]"), "outside"),
    "no data": (lambda t: t.split("Time [s]")[0] + "Time [s]\tFn [mN]\tPd [nm]\n", "too few"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_reader_bad_input_is_one_line_error(tmp_path, indent_text, case):
    edit, message = BAD[case]
    path = _write(tmp_path, edit(indent_text[1]))
    with pytest.raises(RawDataError, match=message) as err:
        read_anton_paar_indentation(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_an_unloading_curve_too_short_to_fit_is_a_clear_error():
    h, p, _ = analytic_curve(1.0, 0.02, 9.0, 1.5, n_unload=12)
    with pytest.raises(ValueError, match=r"unloading curve has \d+ points between 50% and 98% of P_max .* at least 10"):
        analyse_indent(h, p, **KW)


def test_too_short_unloading_through_the_plugin_names_the_file(tmp_path, indent_text):
    spec, text = indent_text
    lines = text.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("42.000\t"))  # 2 s into the unloading
    path = _write(tmp_path, "\n".join(lines[: cut + 1]) + "\n")
    run = {"paper": "p", "sample": "PI", "run": "PI_i1", "path": str(path), "format": "anton_paar_indentation_txt"}
    with pytest.raises(ValueError, match="too short|points between") as err:
        process_runs("nanoindentation", "p", [run], SETTINGS)
    assert str(path) in str(err.value) and "run PI_i1" in str(err.value)


def test_summary_is_mean_and_sd_over_indents_in_registry_units():
    runs = [{"sample": "A", "run": f"r{i}"} for i in range(3)]
    metrics = {
        f"r{i}": {"max_depth_nm": 4000.0 + 100 * i, "reduced_modulus_GPa": 1.0 + 0.1 * i, "hardness_GPa": 0.02}
        for i in range(3)
    }
    s = summarise("p", runs, metrics).set_index("quantity")
    assert s.loc["indentation_depth", "value"] == pytest.approx(4.1) and s.loc["indentation_depth", "unit"] == "um"
    assert s.loc["reduced_modulus", "uncertainty"] == pytest.approx(0.1)
    assert (s["n"] == 3).all() and (s["method"] == "oliver_pharr_iso14577").all()


PURE = [
    "analysis/nanoindentation.py",
    "analysis/adhesion.py",
    "techniques/nanoindentation.py",
    "techniques/peel.py",
    "techniques/saicas.py",
    "readers/anton_paar.py",
    "readers/saicas.py",
]


@pytest.mark.parametrize("module", PURE)
def test_analysis_never_sees_the_simulator_or_the_registry(module):
    source = (REPO / "workflow/scripts/batrepro" / module).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            assert "simulate" not in (node.module or ""), module
        if isinstance(node, ast.Import):
            assert not any("simulate" in a.name for a in node.names), module
    assert "resources/reported" not in source and "resources/simulate" not in source


def test_the_implied_load_finding_follows_from_the_printed_numbers():
    """The registry's indentation_load finding: the load at which an ideal Berkovich contact with the printed E_r
    and H reaches the printed depth (ε = 0.75, β = 1); PAID's is 38 % above the others'."""
    import yaml

    doc = yaml.safe_load((REPO / "resources/reported/kim2026.yaml").read_text(encoding="utf-8"))
    values = {(e["sample"], e["quantity"]): e["value"] for e in doc["values"] if e["technique"] == "nanoindentation"}
    loads = {}
    for sample in ("PI", "PAID", "PI-P", "PAID-P"):
        h = values[(sample, "indentation_depth")] * 1e3
        er, hard = values[(sample, "reduced_modulus")] * 1e-6, values[(sample, "hardness")] * 1e-6
        loads[sample] = (h / (1 / np.sqrt(24.5 * hard) + 0.75 * np.sqrt(np.pi * hard) / (2 * er))) ** 2
        assert oliver_pharr(
            2 * er * np.sqrt(loads[sample] / hard) / np.sqrt(np.pi),
            loads[sample],
            h,
            epsilon=0.75,
            beta=1.0,
            area_coefficients=[24.5],
        ).hardness_GPa == pytest.approx(hard * 1e6)
    finding = next(f for f in doc["findings"] if f["id"] == "kim2026.finding.indentation_load.PAID")
    assert finding["recomputed"] == pytest.approx(loads["PAID"], abs=0.005)
    assert [round(loads[s], 2) for s in ("PI", "PAID", "PI-P", "PAID-P")] == [9.22, 12.69, 9.01, 9.38]


def test_stand_ins_regenerate_byte_identical_and_match_the_sheets():
    """The simulate_indent_adhesion rule's files are exactly the three sheets' files, with the committed bytes."""
    import pandas as pd
    import yaml

    from batrepro.simulate.indent_adhesion import all_files

    params = yaml.safe_load((REPO / "resources/simulate/kim2026_indent_adhesion.yaml").read_text(encoding="utf-8"))
    files = all_files(params)
    sheets = [pd.read_csv(REPO / f"config/samples/{t}.tsv", sep="\t") for t in ("nanoindentation", "peel", "saicas")]
    assert sorted(files) == sorted(p for sheet in sheets for p in sheet["path"])
    for path, text in files.items():
        assert (REPO / path).read_bytes() == text.encode("utf-8"), path
