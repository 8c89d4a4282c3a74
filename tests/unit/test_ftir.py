"""FT-IR: the JCAMP-DX reader on every ASDF form (and where the jcamp package is wrong), the CSV reader, band
positions on known spectra, the stand-ins against the paper's bands, and bad files."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.analysis.ftir import analyse_spectrum, refine_apex
from batrepro.readers import RawDataError
from batrepro.readers.jcamp import decode_line, read_ftir_csv, read_jcamp
from batrepro.simulate.ftir import difdup_lines, jcamp_text, spectrum
from batrepro.techniques import process_runs
from tests.conftest import schema_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "line, x, ys",
    [
        ("100 1 2 3", 100, [1, 2, 3]),  # AFFN
        ("100+5-3+2", 100, [5, -3, 2]),  # PAC
        ("100 A b C", 100, [1, -2, 3]),  # SQZ
        ("100 A10J0T", 100, [110, 120, 130]),  # DIF, DUP of a difference
        ("100 A10JS2", 100, [110 + k for k in range(13)]),  # multi-digit DUP count (S2 = 12)
        ("100 A10T", 100, [110, 110]),  # DUP of an SQZ value
        ("100 @V", 100, [0, 0, 0, 0]),
        ("1.0E+02 2.5E-01 3", 100, [0.25, 3]),  # AFFN with exponents
    ],
)
def test_decode_every_asdf_form(line, x, ys):
    got_x, got = decode_line(line, "f.jdx", 1)
    assert got_x == x
    assert [v for v, _ in got] == pytest.approx(ys)


def _flat_and_noisy(n=400, seed=1):
    """A spectrum with a flat stretch (long DUP runs), steps and noise, as integers."""
    rng = np.random.default_rng(seed)
    y = np.full(n, 90.0)
    y[50:80] = 12.5  # flat: DUP counts of 10 and more after an SQZ value
    y[200:] += np.cumsum(rng.integers(-3, 4, n - 200)) * 0.01
    return np.linspace(4000.0, 400.0, n), y


def test_compressed_round_trip_is_exact(tmp_path):
    x, t = _flat_and_noisy()
    path = tmp_path / "c.jdx"
    path.write_text(jcamp_text("c", x, t, compress=True), encoding="ascii")
    assert any("S" in ln or "T" in ln for ln in path.read_text().splitlines()[19:])  # DUP tokens are present
    raw = read_jcamp(path)
    assert np.allclose(raw.data["transmittance_pct"], np.round(t / 1e-4) * 1e-4, atol=1e-9)
    assert np.allclose(raw.data["wavenumber_per_cm"], x)


def test_jcamp_package_is_wrong_on_dup_after_sqz_and_long_dup_counts(tmp_path):
    """Why we do not use jcamp 1.3.2: on a compressed file we wrote (a flat stretch), it fails or loses points."""
    jcamp = pytest.importorskip("jcamp")
    lines = [
        "##TITLE=dup",
        "##JCAMP-DX=4.24",
        "##XUNITS=1/CM",
        "##YUNITS=ABSORBANCE",
        "##FIRSTX=100",
        "##LASTX=113",
        "##NPOINTS=14",
        "##YFACTOR=1",
        "##XYDATA=(X++(Y..Y))",
        "100 A10JS2%",  # 110, 111, ..., 122 (13 values), then 122
        "##END=",
    ]
    path = tmp_path / "dup.jdx"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    ours = read_jcamp(path).data["absorbance"].to_numpy()
    assert ours.tolist() == [110 + k for k in range(13)] + [122]
    assert len(jcamp.parse("100 A10JS2%")) - 1 != 14  # it reads S2 as a single repeat
    with pytest.raises(IndexError):
        jcamp.parse("100 A10T")  # and fails on a DUP count after an SQZ value


def test_refine_apex_recovers_a_parabola_vertex():
    x = np.arange(1700.0, 1740.0, 1.928)
    y = 1 - 0.002 * (x - 1719.37) ** 2
    pos, se = refine_apex(x, y, int(np.argmax(y)), 3)
    assert pos == pytest.approx(1719.37, abs=1e-6)
    assert se < 1e-6


def test_band_positions_of_a_known_spectrum_are_recovered():
    x = np.linspace(4000.0, 400.0, 1868)
    centers = {"a": 1771.6, "b": 1718.9, "c": 1370.2, "d": 1045.0}
    bands = [
        {"center": c, "height": h, "fwhm": w} for c, h, w in zip(centers.values(), (0.2, 1, 0.8, 0.9), (12, 20, 18, 50))
    ]
    t = spectrum(x, bands, [0.05, 0.05, 0.05], 0.0, np.random.default_rng(0))
    band_list = {k: {"window": [c - 10, c + 10]} for k, c in centers.items()}
    s = schema_settings("ftir")
    out = analyse_spectrum(
        x,
        t,
        "transmittance_pct",
        baseline_lam=s["baseline_lam"],
        peak_prominence=s["peak_prominence"],
        refine_half_width=s["refine_half_width"],
        bands=band_list,
        sample="X",
    )
    for k, c in centers.items():
        assert out["bands"][k]["wavenumber_per_cm"] == pytest.approx(c, abs=0.3), k


def test_stand_ins_reproduce_every_printed_band():
    """Kim et al.: C=O asym 1772, C=O sym 1719 (printed to 1 cm-1: ±0.5 + 2u), C-N-C 1368-1374 (all four);
    C-H 2850-2941 and Si-O-Si 1010-1083 (PI-P, PAID-P): the found peak lies inside the printed range."""
    runs = pd.read_csv(REPO / "config/samples/ftir.tsv", sep="\t", dtype=str, keep_default_na=False)
    runs["path"] = [str(REPO / p) for p in runs["path"]]
    *_, summary = process_runs("ftir", "kim2026", runs.to_dict("records"), schema_settings("ftir"))
    rows = summary.set_index(["sample", "condition"])
    for sample in ("PI", "PAID", "PI-P", "PAID-P"):
        for band, value in (("imide_co_asymmetric", 1772), ("imide_co_symmetric", 1719)):
            x, u = rows.loc[(sample, f"band={band}"), ["value", "uncertainty"]]
            assert abs(x - value) <= 0.5 + 2 * u, (sample, band, x, u)
            assert x != value
        assert 1368 <= rows.loc[(sample, "band=imide_cnc_symmetric"), "value"] <= 1374
    for sample in ("PI-P", "PAID-P"):
        assert 2850 <= rows.loc[(sample, "band=ch_stretch"), "value"] <= 2941
        assert 1010 <= rows.loc[(sample, "band=siosi_stretch"), "value"] <= 1083
    assert ("PI", "band=siosi_stretch") not in rows.index  # the POSS bands are reported for the -P polymers only


def test_csv_reader(tmp_path):
    p = tmp_path / "s.csv"
    rows = "\n".join(f"{4000 - 2 * i},{90 - (i % 7)}" for i in range(50))
    p.write_text(f"# OMNIC\nwavenumber_per_cm,transmittance_pct\n{rows}\n", encoding="utf-8")
    raw = read_ftir_csv(p)
    assert list(raw.data.columns) == ["wavenumber_per_cm", "transmittance_pct"] and len(raw.data) == 50


# -- bad input -------------------------------------------------------------------------------------------

GOOD = ["##TITLE=t", "##JCAMP-DX=4.24", "##XUNITS=1/CM", "##YUNITS=%T", "##FIRSTX=100", "##LASTX=103", "##NPOINTS=4",
        "##XYDATA=(X++(Y..Y))", "100 1 2 3 4", "##END="]  # fmt: skip


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda ls: [ln for ln in ls if not ln.startswith("##NPOINTS")], r"header has no ##NPOINTS= record"),
        (lambda ls: [ln.replace("##FIRSTX=100", "##FIRSTX=abc") for ln in ls], r"##FIRSTX='abc' is not a number"),
        (lambda ls: [ln.replace("##XUNITS=1/CM", "##XUNITS 1/CM") for ln in ls], r"record '##XUNITS 1/CM' has no '='"),
        (lambda ls: ls[1:], r"the first record must be ##TITLE="),
        (lambda ls: ls[:-1], r"no ##END= record after the data: truncated"),
        (lambda ls: [ln.replace("##NPOINTS=4", "##NPOINTS=5") for ln in ls], r"4 points, but ##NPOINTS=5"),
        (lambda ls: [ln.replace("100 1 2 3 4", "100 1 2\n101 2 3") for ln in ls], r"X check failed"),
        (lambda ls: [ln.replace("##YUNITS=%T", "##YUNITS=COUNTS") for ln in ls], r"##YUNITS=COUNTS: not one of"),
    ],
)
def test_broken_jcamp_header_or_data_is_a_one_line_error(tmp_path, edit, message):
    p = tmp_path / "bad.jdx"
    p.write_text("\n".join(edit(list(GOOD))) + "\n", encoding="ascii")
    with pytest.raises(RawDataError, match=r"bad\.jdx(:\d+)?: " + message) as err:
        read_jcamp(p)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("record", "lie", "message"),
    [
        ("##FIRSTY=", "##FIRSTY=70.5268", r"##FIRSTY=70.5268, but the data give 68.9403"),
        ("##MINY=", "##MINY=9.5172", r"##MINY=9.5172, but the data give 9.2172"),
        ("##MAXY=", "##MAXY=97.0334", r"##MAXY=97.0334, but the data give 87.0334"),
        ("##DELTAX=", "##DELTAX=-1.950000", r"##DELTAX=-1.95, but the data give -1.9282271"),
        ("##YFACTOR=", "##YFACTOR=0.001", r"##FIRSTY=68.9403, but the data give 689.403"),  # a wrong factor
    ],
)
def test_a_header_record_that_restates_the_data_must_agree_with_it(tmp_path, record, lie, message):
    """##FIRSTY=, ##MINY=, ##MAXY= and ##DELTAX= are redundant with the data (a lying one, or a wrong ##YFACTOR=
    that scales every ordinate, was read silently); they must agree within their printed rounding."""
    lines = (REPO / "resources/raw/kim2026/ftir/PAID.jdx").read_text(encoding="ascii").splitlines()
    assert sum(line.startswith(record) for line in lines) == 1
    p = tmp_path / "lying.jdx"
    p.write_text("\n".join(lie if line.startswith(record) else line for line in lines) + "\n", encoding="ascii")
    with pytest.raises(RawDataError, match=r"lying\.jdx: " + message):
        read_jcamp(p)


def test_failed_y_check_is_an_error(tmp_path):
    x = np.linspace(4000.0, 400.0, 30)
    lines = difdup_lines(x, np.arange(30) * 3)
    assert lines[1] == "2882.76B7Ls"  # X, the repeated last ordinate of line 1 (27, SQZ), differences
    lines[1] = "2882.76B8Ls"  # the repeated ordinate no longer matches
    p = tmp_path / "y.jdx"
    head = ["##TITLE=y", "##JCAMP-DX=4.24", "##XUNITS=1/CM", "##YUNITS=ABSORBANCE", "##FIRSTX=4000", "##LASTX=400",
            "##NPOINTS=30", "##XYDATA=(X++(Y..Y))"]  # fmt: skip
    p.write_text("\n".join(head + lines + ["##END="]) + "\n", encoding="ascii")
    with pytest.raises(RawDataError, match=r"y\.jdx:\d+: Y check failed"):
        read_jcamp(p)


def test_csv_with_wrong_columns_is_an_error(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("wavenumber,intensity\n" + "\n".join(f"{i},{i}" for i in range(20)), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"w\.csv:1: header must name wavenumber_per_cm"):
        read_ftir_csv(p)


def test_analysis_never_reads_the_registry_or_the_simulators():
    for mod in ("analysis/ftir.py", "techniques/ftir.py", "readers/jcamp.py"):
        src = (REPO / "workflow/scripts/batrepro" / mod).read_text(encoding="utf-8")
        names = {n.module or "" for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ImportFrom)}
        assert not any("simulate" in n for n in names), mod
        assert "resources/reported" not in src and "resources/simulate" not in src, mod


@settings(max_examples=12, deadline=None)
@given(center=st.floats(1705.0, 1735.0), fwhm=st.floats(10.0, 30.0), noise=st.floats(0.0, 0.05))
def test_round_trip_band_position_within_its_standard_error(center, fwhm, noise):
    """Simulate a band (pseudo-Voigt on a sloping baseline, white noise), write and read JCAMP-DX, analyse:
    the position comes back within 0.25 cm-1 + 3 standard errors."""
    x = np.linspace(4000.0, 400.0, 1868)
    t = spectrum(
        x, [{"center": center, "height": 0.8, "fwhm": fwhm}], [0.05, 0.05, 0.05], noise, np.random.default_rng(7)
    )
    s = schema_settings("ftir")
    out = analyse_spectrum(
        x,
        t,
        "transmittance_pct",
        baseline_lam=s["baseline_lam"],
        peak_prominence=s["peak_prominence"],
        refine_half_width=s["refine_half_width"],
        bands={"b": {"window": [1690, 1750]}},
        sample="X",
    )
    band = out["bands"]["b"]
    assert abs(band["wavenumber_per_cm"] - center) <= 0.25 + 3 * band["uncertainty_per_cm"]
