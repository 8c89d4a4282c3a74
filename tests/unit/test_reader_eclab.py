"""EC-Lab reader: real public files (used in place) and one test per bad-input class.

The real files live in ``../shared/data/public/eclab`` beside the checkout (see PROVENANCE.md there);
tests that need them skip when that folder is absent. Corrupted inputs are always small COPIES written
into ``tmp_path``; the shared files are never modified.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batrepro.readers import _table, eclab
from batrepro.readers._common import RawDataError, RawTable
from batrepro.readers.eclab import canonical_name, read_eclab, read_mpr, read_mpt
from batrepro.readers.eclab import columns as eclab_columns
from batrepro.readers.eclab import mpr as eclab_mpr

PUBLIC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "public"
ECLAB = PUBLIC / "eclab"
needs_public = pytest.mark.skipif(not ECLAB.is_dir(), reason=f"public EC-Lab files not found at {ECLAB}")

PAIRS = ["peis", "gcpl.issue_149", "mb.issue_95", "cv"]
GCPL = ECLAB / "gcpl.issue_149.mpt"  # decimal comma, N = 81
MB = ECLAB / "mb.issue_95.mpt"  # decimal point, N = 93


# ------------------------------------------------------------------------------------------------
# helpers


def _lines(src: Path) -> list[bytes]:
    return src.read_bytes().split(b"\n")


def _write(tmp_path: Path, name: str, lines: list[bytes]) -> Path:
    out = tmp_path / name
    out.write_bytes(b"\n".join(lines))
    return out


def _n_header(lines: list[bytes]) -> int:
    return int(re.search(rb"\d+", lines[1]).group())


def _raises(path: Path, *words: str, line: int | None = None, reader=read_mpt, **kw) -> str:
    """Assert a RawDataError with a one-line message naming the file, the line and the problem."""
    with pytest.raises(RawDataError) as info:
        reader(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(str(path)), msg
    if line is not None:
        assert msg.startswith(f"{path}:{line}: "), msg
        assert info.value.line == line
    for w in words:
        assert w.lower() in msg.lower(), f"{w!r} not in {msg!r}"
    return msg


# ------------------------------------------------------------------------------------------------
# real files


@needs_public
@pytest.mark.parametrize("stem", PAIRS)
def test_mpr_and_mpt_give_the_same_table(stem):
    mpt = read_mpt(ECLAB / f"{stem}.mpt")
    # gcpl.issue_149.mpr was recorded without I: its measured current exists only in the export
    mpr = read_mpr(ECLAB / f"{stem}.mpr", required=())
    assert mpt.technique == mpr.technique
    assert len(mpt.data) == len(mpr.data) > 0
    shared = [c for c in mpr.data.columns if c in mpt.data.columns]
    # everything the binary holds is also in the export ('cycle number' is usually .mpt-only)
    assert set(mpr.data.columns) <= set(mpt.data.columns)
    assert {"time_s", "voltage_V"} <= set(shared) or {"frequency_Hz", "z_imag_ohm"} <= set(shared)
    for c in shared:
        a, b = mpt.data[c].to_numpy(), mpr.data[c].to_numpy()
        assert a.dtype == b.dtype, c
        if a.dtype.kind == "i":
            np.testing.assert_array_equal(a, b, err_msg=c)
        else:
            # float32 values are printed with 8 significant digits, float64 with 16
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-30, err_msg=c)


@needs_public
def test_gcpl_mpr_without_current_is_read_and_the_set_point_never_substituted():
    """A GCPL record without I is read (the cycling ingest derives I from dq); the reader itself never puts
    control/V/mA in its place, and a caller that needs a measured current still gets the one-line refusal."""
    raw = read_mpr(ECLAB / "gcpl.issue_149.mpr")
    assert "current_mA" not in raw.data.columns and raw.header["current_column"] is None
    assert "control_V_mA" in raw.data.columns
    need = ("time_s", "voltage_V", "current_mA")
    msg = _raises(
        ECLAB / "gcpl.issue_149.mpr", "current_mA", "control/V/mA", "not substituted", reader=read_mpr, required=need
    )
    assert "required=()" in msg


@needs_public
def test_german_locale_gives_the_same_numbers():
    en, de = read_mpt(MB), read_mpt(ECLAB / "mb.issue_95.de.mpt")
    assert en.header["decimal_separator"] == "." and de.header["decimal_separator"] == ","
    pd.testing.assert_frame_equal(en.data, de.data, check_exact=True)
    for key in (
        "mass_of_active_material_mg",
        "characteristic_mass_g",
        "battery_capacity_Ah",
        "electrode_surface_area_cm2",
    ):
        assert en.header[key] == de.header[key]
    assert de.header["mass_of_active_material_mg"] == pytest.approx(0.001)
    assert de.header["battery_capacity_Ah"] == pytest.approx(1.3)
    assert de.header["Mass of active material"] == "0,001 mg"  # raw string kept


@needs_public
def test_gcpl_decimal_comma_export():
    d = read_mpt(GCPL)
    assert d.technique == "GCPL"
    assert d.header["nb_header_lines"] == 81 and d.header["decimal_separator"] == ","
    assert d.header["characteristic_mass_g"] == pytest.approx(0.001)
    assert d.header["Electrode surface area"] == "0,000 cm²"  # cp1252 decoded
    assert len(d.data) == 132
    for c in (
        "time_s",
        "voltage_V",
        "current_mA",
        "mode",
        "ox_red",
        "ns",
        "half_cycle",
        "cycle_number",
        "dq_mAh",
        "q_minus_q0_mAh",
        "charge_discharge_mAh",
        "q_discharge_mAh",
        "q_charge_mAh",
        "capacity_mAh",
        "efficiency_pct",
        "energy_charge_Wh",
        "energy_discharge_Wh",
        "control_V_mA",
        "control_V",
        "control_mA",
    ):
        assert c in d.data.columns, c
    assert d.data["time_s"].iloc[0] == pytest.approx(30.15299923827115)
    assert d.data["voltage_V"].iloc[0] == pytest.approx(3.4228721)
    for c in ("mode", "ox_red", "ns", "half_cycle", "cycle_number", "i_range"):
        assert d.data[c].dtype == np.int64, c
    assert (
        d.data.drop(
            columns=[
                "mode",
                "ox_red",
                "error",
                "control_changes",
                "ns_changes",
                "counter_inc",
                "ns",
                "i_range",
                "half_cycle",
                "cycle_number",
            ]
        ).dtypes
        == np.float64
    ).all()
    assert set(d.data["mode"]) <= {1, 2, 3}
    # unknown columns kept under sanitised names
    assert {"p_W", "capacitance_charge_uF", "step_time_s", "i_range"} <= set(d.data.columns)
    # the current is the measured <I>/mA, not the control column
    assert not np.allclose(d.data["current_mA"], d.data["control_V_mA"])


@needs_public
def test_impedancepy_biologic_export():
    d = read_mpt(ECLAB / "impedancepy_exampleDataBioLogic.mpt")
    assert d.technique == "PEIS"
    f = d.data["frequency_Hz"].to_numpy()
    assert len(f) == 43 and f[0] > 1e3 - 1 and (np.diff(f) < 0).all()  # high -> low
    assert d.data["cs_uF"].dtype == np.float64  # 'Cs/µF' read from cp1252
    # -Im(Z)/Ohm of the first row is +0.38998979: the signed imaginary part is negative
    assert d.data["z_imag_ohm"].iloc[0] == pytest.approx(-0.38998979)
    # consistency of the signed convention: phase = atan2(Im, Re), |Z| = hypot
    z = d.data["z_real_ohm"].to_numpy() + 1j * d.data["z_imag_ohm"].to_numpy()
    np.testing.assert_allclose(np.degrees(np.angle(z)), d.data["phase_deg"], atol=1e-4)
    np.testing.assert_allclose(np.abs(z), d.data["z_mod_ohm"], rtol=1e-6)
    assert (d.data["z_imag_ohm"] < 0).sum() > 30  # mostly capacitive


@needs_public
def test_peis_export():
    d = read_mpt(ECLAB / "peis.mpt")
    assert d.technique == "PEIS" and len(d.data) == 32
    assert d.header["Device"].startswith("SP-240")
    z = d.data["z_real_ohm"].to_numpy() + 1j * d.data["z_imag_ohm"].to_numpy()
    np.testing.assert_allclose(np.degrees(np.angle(z)), d.data["phase_deg"], atol=1e-4)
    assert "minus_im_zce_ohm" in d.data.columns  # unknown columns keep the file's sign, named so


@needs_public
def test_cv_and_dispatch():
    d = read_eclab(ECLAB / "cv.mpt")
    assert d.technique == "CV" and isinstance(d, RawTable)
    assert d.source == str(ECLAB / "cv.mpt")
    assert read_eclab(ECLAB / "cv.mpr").technique == "CV"
    assert d.data["cycle_number"].min() == 1


def test_unknown_suffix(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a")
    _raises(p, "suffix", reader=read_eclab)


def test_canonical_names():
    assert canonical_name("-Im(Z)/Ohm") == "z_imag_ohm"
    assert canonical_name("Cs/µF") == "cs_uF"
    assert canonical_name("|Ewe|/V") == "abs_ewe_V"
    assert canonical_name("<Ece>/V") == "ece_avg_V"
    assert canonical_name("Re(Y)/Ohm-1") == "re_y_S"
    assert canonical_name("counter inc.") == "counter_inc"
    # both Ewe and <Ewe>: the instantaneous one is voltage_V, the other keeps a sanitised name
    assert [c for c, _ in eclab_columns.map_columns(("<Ewe>/V", "Ewe/V"))] == ["ewe_avg_V", "voltage_V"]


# ------------------------------------------------------------------------------------------------
# bad inputs: one per class, each on a corrupted copy


@needs_public
@pytest.mark.parametrize("delta", [-1, +1])
def test_header_line_count_mismatch(tmp_path, delta):
    lines = _lines(GCPL)
    n = _n_header(lines)
    lines[1] = lines[1].replace(str(n).encode(), str(n + delta).encode())
    p = _write(tmp_path, "bad_n.mpt", lines)
    msg = _raises(p, "header line count", f"expected {n + delta}", line=2)
    assert f"found {n}" in msg


@needs_public
def test_header_ends_early(tmp_path):
    lines = _lines(GCPL)[:40]
    _raises(_write(tmp_path, "short.mpt", lines), "inside the header")


@needs_public
def test_truncated_last_row(tmp_path):
    lines = _lines(GCPL)
    n_lines = len(lines)
    lines[-1] = b"\t".join(lines[-1].split(b"\t")[:12])
    p = _write(tmp_path, "trunc.mpt", lines)
    _raises(p, "truncated", "12 of 29 fields", line=n_lines)


@needs_public
def test_truncated_mid_cell_row(tmp_path):
    data = GCPL.read_bytes()
    p = tmp_path / "cut.mpt"
    p.write_bytes(data[: len(data) - 300])  # the kill -9 / full-disk case: cut inside the last row
    _raises(p, "truncated", line=len(_lines(p)))


@needs_public
def test_row_with_extra_field(tmp_path):
    lines = _lines(MB)
    n = _n_header(lines)
    lines[n + 5] += b"\t1.0"
    _raises(_write(tmp_path, "wide.mpt", lines), "30 fields, expected 29", line=n + 6)


@needs_public
def test_unknown_technique(tmp_path):
    lines = _lines(GCPL)
    lines[3] = b"Galvanostatic Intermittent Something"
    _raises(_write(tmp_path, "tech.mpt", lines), "unknown technique", "Galvanostatic Intermittent Something", line=4)


@needs_public
def test_missing_current_column_in_gcpl(tmp_path):
    lines = _lines(GCPL)
    n = _n_header(lines)
    j = lines[n - 1].split(b"\t").index(b"<I>/mA")
    for k in range(n - 1, len(lines)):
        f = lines[k].split(b"\t")
        del f[j]
        lines[k] = b"\t".join(f)
    p = _write(tmp_path, "noI.mpt", lines)
    # a GCPL record without I is read (the cycling ingest derives it from dq); control/V/mA never stands in
    assert "current_mA" not in read_mpt(p).data.columns
    need = ("time_s", "voltage_V", "current_mA")
    _raises(p, "GCPL", "current_mA", "control/V/mA", "not substituted", line=n, required=need)


@needs_public
@pytest.mark.parametrize("src,row", [(GCPL, 40), (MB, 7)])
def test_locale_change_within_file(tmp_path, src, row):
    lines = _lines(src)
    n = _n_header(lines)
    k = n + row  # 0-based index -> file line k + 1
    comma = b"," in lines[n]
    lines[k] = lines[k].replace(b",", b".") if comma else lines[k].replace(b".", b",")
    p = _write(tmp_path, "locale.mpt", lines)
    _raises(p, "decimal separator changes", "locale", line=k + 1)


@needs_public
def test_non_monotonic_time(tmp_path):
    lines = _lines(MB)
    n = _n_header(lines)
    j = lines[n - 1].split(b"\t").index(b"time/s")
    k = n + 10
    f = lines[k].split(b"\t")
    f[j] = b"1.000000000000000E-003"
    lines[k] = b"\t".join(f)
    _raises(_write(tmp_path, "time.mpt", lines), "time/s", "monotonic", line=k + 1)


@needs_public
@pytest.mark.parametrize(
    "cell,words",
    [
        (b"NaN", ["NaN", "Ewe/V"]),
        (b"nan", ["NaN"]),
        (b"", ["empty cell", "Ewe/V"]),
        (b"abc", ["non-numeric", "'abc'"]),
        (b"inf", ["infinite"]),
    ],
)
def test_bad_cells(tmp_path, cell, words):
    lines = _lines(MB)
    n = _n_header(lines)
    j = lines[n - 1].split(b"\t").index(b"Ewe/V")
    k = n + 20
    f = lines[k].split(b"\t")
    f[j] = cell
    lines[k] = b"\t".join(f)
    _raises(_write(tmp_path, "cell.mpt", lines), *words, line=k + 1)


@needs_public
def test_blank_line_in_data(tmp_path):
    lines = _lines(MB)
    n = _n_header(lines)
    lines.insert(n + 3, b"")
    _raises(_write(tmp_path, "blank.mpt", lines), "empty line", line=n + 4)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.mpt"
    p.write_bytes(b"")
    _raises(p, "empty")
    _raises(p, "empty", reader=read_mpr)


def test_missing_file(tmp_path):
    _raises(tmp_path / "nope.mpt", "does not exist")


@needs_public
def test_header_only_no_rows(tmp_path):
    lines = _lines(MB)
    n = _n_header(lines)
    _raises(_write(tmp_path, "norows.mpt", lines[:n] + [b""]), "no data rows", line=n + 1)


def test_not_an_eclab_file(tmp_path):
    p = tmp_path / "x.mpt"
    p.write_text("time,voltage\n1,2\n")
    _raises(p, "not an EC-Lab ASCII export", line=1)


@needs_public
def test_binary_file_renamed(tmp_path):
    p = tmp_path / "renamed.mpt"
    p.write_bytes((ECLAB / "peis.mpr").read_bytes())
    _raises(p, "EC-Lab", line=1)


@needs_public
def test_wrong_encoding_utf8_resaved(tmp_path):
    text = GCPL.read_bytes().decode("cp1252")
    p = tmp_path / "utf8.mpt"
    p.write_bytes(text.encode("utf-8"))
    _raises(p, "UTF-8", "encoding='utf-8'")
    # with the right encoding it reads and gives the same table
    pd.testing.assert_frame_equal(read_mpt(p, encoding="utf-8").data, read_mpt(GCPL).data)


@needs_public
def test_wrong_encoding_undefined_byte(tmp_path):
    lines = _lines(GCPL)
    lines[30] = lines[30] + b" \x81"  # undefined in Windows-1252
    _raises(_write(tmp_path, "enc.mpt", lines), "not valid cp1252", "0x81", line=31)


@needs_public
def test_headerless_export(tmp_path):
    lines = _lines(MB)
    n = _n_header(lines)
    p = _write(tmp_path, "nohdr.mpt", lines[n - 1 :])
    _raises(p, "without header", "technique=", line=1)
    d = read_mpt(p, technique="MB")
    pd.testing.assert_frame_equal(d.data, read_mpt(MB).data)


@needs_public
def test_trailing_tab_on_every_row(tmp_path):
    """Some exports end every data row with a tab, like the column line."""
    lines = _lines(MB)
    n = _n_header(lines)
    lines = lines[:n] + [ln + b"\t" for ln in lines[n:]]
    pd.testing.assert_frame_equal(read_mpt(_write(tmp_path, "tabs.mpt", lines)).data, read_mpt(MB).data)


@needs_public
def test_crlf_line_endings(tmp_path):
    p = tmp_path / "crlf.mpt"
    p.write_bytes(MB.read_bytes().replace(b"\n", b"\r\n"))
    pd.testing.assert_frame_equal(read_mpt(p).data, read_mpt(MB).data)


@needs_public
def test_max_bytes(tmp_path):
    _raises(MB, "limit", max_bytes=1000)


@needs_public
def test_threaded_parse_matches_and_locates_errors(tmp_path, monkeypatch):
    """Large files are parsed in two chunks: the result and the error lines must not change."""
    ref = read_mpt(ECLAB / "cv.mpt")
    monkeypatch.setattr(_table, "THREADED_PARSE_BYTES", 1000)
    pd.testing.assert_frame_equal(read_mpt(ECLAB / "cv.mpt").data, ref.data)
    lines = _lines(ECLAB / "cv.mpt")
    n = _n_header(lines)
    k = len(lines) - 100  # in the second chunk
    lines[k] = lines[k].replace(b"E+000", b"E+000x", 1)
    _raises(_write(tmp_path, "cv_bad.mpt", lines), "non-numeric", line=k + 1)
    lines = _lines(ECLAB / "cv.mpt")
    lines[k] += b"\t0"
    _raises(_write(tmp_path, "cv_wide.mpt", lines), "fields", line=k + 1)
    assert n == 58


@needs_public
def test_mpr_corrupted(tmp_path):
    raw = (ECLAB / "mb.issue_95.mpr").read_bytes()
    p = tmp_path / "cut.mpr"
    p.write_bytes(raw[: len(raw) // 2])
    _raises(p, "not a readable EC-Lab .mpr", reader=read_mpr)
    p.write_bytes(b"hello world" * 10)
    _raises(p, "not a readable EC-Lab .mpr", reader=read_mpr)


@needs_public
def test_mpr_unknown_technique_id(tmp_path):
    raw = bytearray((ECLAB / "peis.mpr").read_bytes())
    # first byte of the settings module data = technique id (0x1d PEIS); find it after the module header
    i = raw.index(b"VMP Set   ")
    k = raw.index(b"\x1d\x00\x07", i)
    raw[k] = 0xEE
    p = tmp_path / "tech.mpr"
    p.write_bytes(bytes(raw))
    _raises(p, "unknown technique id 0xee", reader=read_mpr)


@needs_public
def test_mpr_flags_unpacked():
    d = read_mpr(ECLAB / "mb.issue_95.mpr")
    assert d.technique == "MB"
    assert set(d.data["mode"]) <= {1, 2, 3} and set(d.data["ox_red"]) <= {0, 1}
    assert d.header["technique_id"] == "0x7f"


def _patch_mpr_record(tmp_path: Path, stem: str, field: str, row: int, value) -> Path:
    """Copy ``stem``.mpr with one value of its record array replaced (record located by its bytes)."""
    from galvani import BioLogic

    src = ECLAB / f"{stem}.mpr"
    raw = bytearray(src.read_bytes())
    with open(src, "rb") as fh:
        rec = BioLogic.MPRfile(fh).data
    base = bytes(raw).index(rec.tobytes())
    dt, off = rec.dtype.fields[field][:2]
    at = base + row * rec.dtype.itemsize + off
    raw[at : at + dt.itemsize] = np.array([value], dtype=dt).tobytes()
    out = tmp_path / f"{stem}.patched.mpr"
    out.write_bytes(bytes(raw))
    return out


@needs_public
@pytest.mark.parametrize("stem", PAIRS)
def test_mpr_table_matches_galvani_records_column_by_column(stem):
    """Independent check of the .mpr block filling (runs of adjacent fields, flag unpacking,
    rescaling): every output column equals galvani's record field converted one at a time."""
    from galvani import BioLogic

    with open(ECLAB / f"{stem}.mpr", "rb") as fh:
        mpr = BioLogic.MPRfile(fh)
    d = read_mpr(ECLAB / f"{stem}.mpr", required=()).data
    names = [n for n in mpr.data.dtype.names if n != "flags"]
    flags = list(mpr.flags_dict) if "flags" in mpr.data.dtype.names else []
    assert len(d.columns) == len(names) + len(flags)
    for name in flags:
        mask = int(mpr.flags_dict[name][0])
        shift = (mask & -mask).bit_length() - 1
        expect = (mpr.data["flags"].astype(np.int64) & mask) >> shift
        np.testing.assert_array_equal(d[canonical_name(name)].to_numpy(), expect, err_msg=name)
    for name in names:
        canon = canonical_name(name)
        scale = eclab.COLUMN_MAP.get(name, (canon, 1.0))[1]
        got = d[canon].to_numpy()
        np.testing.assert_array_equal(got, mpr.data[name].astype(got.dtype) * scale, err_msg=name)


@needs_public
@pytest.mark.parametrize("stem", PAIRS)
def test_mpr_chunked_fill_gives_the_same_table(stem, monkeypatch):
    whole = read_mpr(ECLAB / f"{stem}.mpr", required=()).data
    monkeypatch.setattr(eclab_mpr, "_MPR_CHUNK", 7)  # many chunks, the last one partial
    chunked = read_mpr(ECLAB / f"{stem}.mpr", required=()).data
    pd.testing.assert_frame_equal(whole, chunked, check_exact=True)


@needs_public
def test_mpr_non_finite_value(tmp_path):
    p = _patch_mpr_record(tmp_path, "cv", "Ewe/V", 17, np.nan)
    msg = _raises(p, "non-finite", "Ewe/V", "record 17", reader=read_mpr)
    assert "nan" in msg.lower()


@needs_public
def test_mpr_time_not_monotonic(tmp_path):
    p = _patch_mpr_record(tmp_path, "cv", "time/s", 100, 0.5)
    _raises(p, "'time/s' is not monotonic", reader=read_mpr)


@needs_public
def test_mpr_fractional_cycle_number(tmp_path):
    p = _patch_mpr_record(tmp_path, "cv", "cycle number", 3, 1.5)
    _raises(p, "cycle number", "whole numbers", "1.5", reader=read_mpr)


@needs_public
def test_mpr_impossible_potential(tmp_path):
    p = _patch_mpr_record(tmp_path, "cv", "Ewe/V", 5, 250.0)
    _raises(p, "impossible value 250 in column 'Ewe/V'", "working-electrode potential", reader=read_mpr)


@needs_public
def test_segment_ids_reproduce_eclab_half_cycles():
    """On the real GCPL export (charge first), cycling.segment_ids recomputes EC-Lab's own 'half cycle'
    counter for every point after the first non-rest point (the opening rest has id -1)."""
    from batrepro.analysis.cycling import segment_ids

    d = read_mpt(GCPL).data
    ids, signs = segment_ids(d["current_mA"].to_numpy())
    started = ids >= 0
    assert started.sum() > len(ids) - 20
    np.testing.assert_array_equal(ids[started], d["half_cycle"].to_numpy()[started])
    assert signs[0] == 1 and (np.diff(signs) != 0).all()  # charge first, then alternating


def _mpt_text(header_lines: list[str], names: list[str], rows: np.ndarray, decimal: str) -> bytes:
    """A minimal writer in EC-Lab's layout (3-digit exponents), for round-trip tests only."""

    def fmt(x):
        s = f"{x:.15E}"
        mant, exp = s.split("E")
        s = f"{mant}E{exp[0]}{int(exp[1:]):03d}"
        return s.replace(".", ",") if decimal == "," else s

    body = ["\t".join(fmt(x) for x in row) for row in rows]
    head = ["EC-Lab ASCII FILE", "", "", "Galvanostatic Cycling with Potential Limitation", ""] + header_lines
    head.append("\t".join(names) + "\t")
    head[1] = f"Nb header lines : {len(head)}                          "
    return ("\n".join(head) + "\n" + "\n".join(body)).encode("cp1252")


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(0, 2**31), decimal=st.sampled_from([".", ","]))
def test_round_trip_random_tables(tmp_path_factory, n, seed, decimal):
    """Random GCPL tables written in EC-Lab's layout (either locale) read back to the last digit."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(10.0, n))
    v = rng.uniform(-5, 5, n)
    i = rng.normal(0, 1, n) * 10.0 ** rng.integers(-6, 3, n)
    z = -rng.uniform(0, 1e3, n)
    rows = np.column_stack([t, v, i, z])
    mass = "0,5" if decimal == "," else "0.5"
    p = tmp_path_factory.mktemp("rt") / "rt.mpt"
    p.write_bytes(
        _mpt_text(
            [f"Mass of active material : {mass} mg", "Electrode surface area : 1 cm²"],
            ["time/s", "Ewe/V", "I/mA", "-Im(Z)/Ohm"],
            rows,
            decimal,
        )
    )
    d = read_mpt(p)
    assert d.header["mass_of_active_material_mg"] == 0.5
    np.testing.assert_allclose(d.data["time_s"], t, rtol=1e-15)
    np.testing.assert_allclose(d.data["voltage_V"], v, rtol=1e-15)
    np.testing.assert_allclose(d.data["current_mA"], i, rtol=1e-15)
    np.testing.assert_allclose(d.data["z_imag_ohm"], -z, rtol=1e-15)


def test_decimal_detected_past_integer_only_rows(tmp_path):
    rows = np.array([[0.0, 0.0, 0.0, 0.0]] * 3 + [[1.5, 3.25, 0.5, 1.0]])
    text = _mpt_text([], ["time/s", "Ewe/V", "I/mA", "x"], rows, ",")
    text = text.replace(b"0,000000000000000E+000", b"0")  # first rows are bare integers
    p = tmp_path / "ints.mpt"
    p.write_bytes(text)
    d = read_mpt(p)
    assert d.header["decimal_separator"] == ","
    assert d.data["voltage_V"].tolist() == [0, 0, 0, 3.25]
