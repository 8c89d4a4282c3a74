"""The canonical column table (batrepro.vocab.columns): every reader's columns are in it, and a value outside a
column's range gives the one-line RawDataError from every reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from batrepro.readers import RawDataError, anton_paar, bluehill, generic_csv, saicas, trios
from batrepro.readers.eclab import columns as eclab_columns
from batrepro.readers.eclab import read_mpr, read_mpt
from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text
from batrepro.simulate.tensile import FilmSpecimen, bluehill_csv, simulate_test
from batrepro.vocab import columns as vcolumns

REPO = Path(__file__).resolve().parents[2]
ECLAB = REPO.parent / "shared" / "data" / "public" / "eclab"
BUNDLED_MPT = REPO / "resources/raw/kim2026/rate/PI_rate.mpt"


def test_every_reader_column_is_in_the_table():
    readers = {
        "eclab": set(eclab_columns.KNOWN),
        "generic_csv": {c for cols in generic_csv.REQUIRED_COLUMNS.values() for c in cols},
        "trios": {canon for canon, _ in trios.COLUMNS.values()},
        "bluehill": {canon for canon, _ in bluehill.COLUMNS.values()},
        "anton_paar": {canon for canon, _ in anton_paar.COLUMNS.values()},
        "saicas": {canon for canon, _ in saicas.COLUMNS.values()},
    }
    for reader, names in readers.items():
        assert names <= set(vcolumns.COLUMNS), (reader, sorted(names - set(vcolumns.COLUMNS)))
    assert set(vcolumns.CHECKED) == set(readers)
    for instrument, names in vcolumns.CHECKED.items():
        assert set(names) <= set(vcolumns.COLUMNS), instrument
        assert all(vcolumns.spec(n, instrument).checked for n in names), instrument
    for instrument, limits in vcolumns.LIMITS.items():
        assert set(limits) <= set(vcolumns.CHECKED[instrument]), instrument


def test_table_entries_are_well_formed():
    for name, col in vcolumns.COLUMNS.items():
        assert col.name == name
        assert col.dtype in ("float64", "int64")
        assert col.lo <= col.hi
        assert col.order in (None, "non-decreasing", "increasing")
        suffix = name.rsplit("_", 1)[-1] if "_" in name else ""
        if col.unit not in ("", "V or mA", "°C", "%", "ohm", "deg") and col.dtype == "float64":
            assert suffix == col.unit, name  # the name carries its unit
    ints = {c for c, col in vcolumns.COLUMNS.items() if col.dtype == "int64"}
    assert ints == {"mode", "ox_red", "ns", "half_cycle", "cycle_number"}


def test_instrument_limits_tighten_the_physical_range():
    assert vcolumns.spec("frequency_Hz").bounds() == "(0, 1e+09]"
    assert vcolumns.spec("frequency_Hz", "trios").bounds() == "[1e-06, 10000]"
    assert vcolumns.spec("time_s", "bluehill").order == "increasing"
    assert vcolumns.spec("time_s", "eclab").order == "non-decreasing"


@pytest.mark.parametrize(
    "name, values, bad_row, words",
    [
        ("voltage_V", [1.0, 250.0], 1, ["impossible value 250", "'voltage_V'", "[-100, 100] V"]),
        ("frequency_Hz", [1.0, 0.0], 1, ["impossible value 0", "(0, 1e+09] Hz"]),
        ("current_mA", [1.0, -1e308], 1, ["impossible value -1e+308", "[-1e+06, 1e+06] mA"]),
        ("time_s", [0.0, 2.0, 1.0], 2, ["not monotonic (non-decreasing)", "2 then 1"]),
        ("time_s", [-1.0, 2.0], 0, ["impossible value -1", "[0, 1e+10] s"]),
        ("temperature_C", [20.0, float("nan")], 1, ["impossible value nan"]),
    ],
)
def test_check_names_value_column_and_line(name, values, bad_row, words):
    with pytest.raises(RawDataError) as info:
        vcolumns.check("f.txt", name, np.array(values), 10)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(f"f.txt:{10 + bad_row}: "), msg
    assert info.value.line == 10 + bad_row
    for w in words:
        assert w in msg, (w, msg)


def test_check_passes_good_values_and_unchecked_columns():
    vcolumns.check("f", "voltage_V", np.array([-5.0, 0.0, 5.0]), 1)
    vcolumns.check("f", "current_mA", np.array([-1e5, 1e5]), 1)  # 100 A: a booster channel, accepted
    vcolumns.check("f", "mode", np.array([0, 1, 3]), 1)


def test_every_canonical_column_has_a_range():
    """Issue 14: a current of -1e308 was accepted because current had no range; now every column has one
    and every reader checks every canonical column it writes."""
    for name, col in vcolumns.COLUMNS.items():
        assert col.lo > -np.inf and col.hi < np.inf, name
    assert set(vcolumns.CHECKED["generic_csv"]) == set(vcolumns.COLUMNS)
    assert set(eclab_columns.KNOWN) <= set(vcolumns.CHECKED["eclab"])
    vcolumns.check("f", "time_s", np.array([]), 1)


# ---------------------------------------------------------------------------------------------------------------
# one out-of-range value per reader


def _mpt_with(tmp_path: Path, column: str, row: int, value: str) -> tuple[Path, int]:
    raw = read_mpt(BUNDLED_MPT)
    n_header = int(raw.header["nb_header_lines"])
    lines = BUNDLED_MPT.read_bytes().split(b"\n")
    names = lines[n_header - 1].decode("cp1252").rstrip("\r").split("\t")
    j = names.index(column)
    cells = lines[n_header + row].split(b"\t")
    cells[j] = value.encode()
    lines[n_header + row] = b"\t".join(cells)
    out = tmp_path / "bad.mpt"
    out.write_bytes(b"\n".join(lines))
    return out, n_header + row + 1


def _trios_with(tmp_path: Path) -> tuple[Path, int]:
    film = DmaFilm("X", 380.0, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
    lines = trios_text(film, simulate_ramp(film, seed=1)).splitlines()
    first = lines.index("[step]") + 4
    row = lines[first + 10].split("\t")
    row[2] = "2e6"  # storage modulus above 1e6 MPa
    lines[first + 10] = "\t".join(row)
    out = tmp_path / "bad.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out, first + 11


def _bluehill_with(tmp_path: Path) -> tuple[Path, int]:
    spec = FilmSpecimen("X", 1, 3500.0, 120.0, 160.0, 8.0)
    lines = bluehill_csv(spec, simulate_test(spec, seed=1)).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith('"(s)"')) + 1
    cells = lines[first + 20].split(",")
    lines[first + 20] = ",".join([cells[0], '"-50"', cells[2]])  # extension below -10 mm
    out = tmp_path / "bad.csv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out, first + 21


def _csv_with(tmp_path: Path) -> tuple[Path, int]:
    out = tmp_path / "bad.csv"
    out.write_text("time_s,voltage_V,current_mA\n0,3.0,0\n1,3.1,0.1\n2,-250,0.1\n", encoding="utf-8")
    return out, 4


def _assert_one_line(err: RawDataError, path: Path, line: int | None, *words: str) -> None:
    msg = str(err)
    assert "\n" not in msg, msg
    assert msg.startswith(f"{path}:{line}: " if line is not None else f"{path}: "), msg
    assert err.line == line
    for w in words:
        assert w in msg, (w, msg)


def test_eclab_mpt_out_of_range(tmp_path):
    path, line = _mpt_with(tmp_path, "Ewe/V", 5, "250")
    with pytest.raises(RawDataError) as info:
        read_mpt(path)
    _assert_one_line(info.value, path, line, "impossible value 250 in column 'Ewe/V'", "[-100, 100] V")


@pytest.mark.skipif(not ECLAB.is_dir(), reason="public EC-Lab files absent")
def test_eclab_mpr_out_of_range(tmp_path):
    from galvani import BioLogic

    src = ECLAB / "cv.mpr"
    raw = bytearray(src.read_bytes())
    with open(src, "rb") as fh:
        rec = BioLogic.MPRfile(fh).data
    dt, off = rec.dtype.fields["Ewe/V"][:2]
    at = bytes(raw).index(rec.tobytes()) + 5 * rec.dtype.itemsize + off
    raw[at : at + dt.itemsize] = np.array([-250.0], dtype=dt).tobytes()
    path = tmp_path / "bad.mpr"
    path.write_bytes(bytes(raw))
    with pytest.raises(RawDataError) as info:
        read_mpr(path)
    _assert_one_line(info.value, path, None, "impossible value -250 in column 'Ewe/V'")


def test_generic_csv_out_of_range(tmp_path):
    path, line = _csv_with(tmp_path)
    with pytest.raises(RawDataError) as info:
        generic_csv.read_generic_csv(path)
    _assert_one_line(info.value, path, line, "impossible value -250 in column 'voltage_V'")


def test_trios_out_of_range(tmp_path):
    path, line = _trios_with(tmp_path)
    with pytest.raises(RawDataError) as info:
        trios.read_trios_dma(path)
    _assert_one_line(info.value, path, line, "impossible value 2e+06 in column 'Storage modulus'", "[1e-06, 1e+06]")


def test_bluehill_out_of_range(tmp_path):
    path, line = _bluehill_with(tmp_path)
    with pytest.raises(RawDataError) as info:
        bluehill.read_bluehill(path)
    _assert_one_line(info.value, path, line, "impossible value -50 in column 'Extension'", "[-10, 10000] mm")


def test_time_order_per_instrument(tmp_path):
    """EC-Lab time may repeat (non-decreasing); a Bluehill time column must increase strictly."""
    path = tmp_path / "t.csv"
    path.write_text("time_s,voltage_V,current_mA\n0,3.0,0\n1,3.1,0\n1,3.1,0\n", encoding="utf-8")
    assert len(generic_csv.read_generic_csv(path).data) == 3
    with pytest.raises(RawDataError, match="not monotonic"):
        vcolumns.check("b.csv", "time_s", np.array([0.0, 1.0, 1.0]), 1, instrument="bluehill")
