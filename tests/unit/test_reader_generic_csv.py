"""Generic CSV reader."""

from __future__ import annotations

import numpy as np
import pytest

from batrepro.readers._common import RawDataError, RawTable
from batrepro.readers.generic_csv import read_generic_csv


def _csv(tmp_path, text, name="run.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _raises(path, *words, line=None, **kw):
    with pytest.raises(RawDataError) as info:
        read_generic_csv(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    if line is not None:
        assert msg.startswith(f"{path}:{line}: "), msg
    for w in words:
        assert w.lower() in msg.lower(), f"{w!r} not in {msg!r}"
    return msg


CYC = """# cell A12
time_s,voltage_V,current_mA,cycle_number,temperature_C
0,3.0,0,1,25.0
10,2.9,-0.15,1,25.1
20,2.8,-0.15,1,25.1
30,3.1,0.15,1,25.0
"""


def test_cycling(tmp_path):
    d = read_generic_csv(_csv(tmp_path, CYC))
    assert isinstance(d, RawTable) and d.technique == "csv-cycling" and d.header == {}
    assert list(d.data.columns) == ["time_s", "voltage_V", "current_mA", "cycle_number", "temperature_C"]
    assert d.data["cycle_number"].dtype == np.int64 and d.data["voltage_V"].dtype == np.float64
    assert d.data["current_mA"].tolist() == [0, -0.15, -0.15, 0.15]


def test_eis(tmp_path):
    p = _csv(tmp_path, "frequency_Hz,z_real_ohm,z_imag_ohm\n1e5,10,-0.5\n1e3,12,-3\n1,40,-10\n")
    d = read_generic_csv(p, kind="eis")
    assert d.technique == "csv-eis" and d.data["z_imag_ohm"].iloc[-1] == -10


def test_trailing_commas_and_crlf(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"time_s,voltage_V,current_mA,\r\n0,3,0,\r\n1,3.1,-0.1,\r\n")
    d = read_generic_csv(p)
    assert list(d.data.columns) == ["time_s", "voltage_V", "current_mA"]
    assert d.data["voltage_V"].tolist() == [3.0, 3.1] and d.data["time_s"].dtype == np.float64


def test_missing_columns(tmp_path):
    p = _csv(tmp_path, "time_s,voltage_V\n0,3\n")
    _raises(p, "missing required cycling column", "current_mA", line=1)
    p = _csv(tmp_path, "frequency_Hz,z_real_ohm\n1,2\n", "e.csv")
    _raises(p, "z_imag_ohm", kind="eis", line=1)


def test_bad_column_name(tmp_path):
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA,Temp (C)\n0,3,0,25\n"), "Temp (C)", line=1)


def test_bad_cells_and_order(tmp_path):
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA\n0,3,0\n1,NaN,0\n"), "NaN", "voltage_V", line=3)
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA\n0,3,0\n1,3,x\n"), "non-numeric", line=3)
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA\n0,3,0\n1,3\n"), "truncated", line=3)
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA\n5,3,0\n1,3,0\n"), "monotonic", line=3)
    _raises(_csv(tmp_path, 'time_s,voltage_V,current_mA\n0,3,0\n1,"3,1",0\n'), line=3)
    _raises(_csv(tmp_path, "frequency_Hz,z_real_ohm,z_imag_ohm\n0,1,1\n"), "frequency", kind="eis", line=2)


def test_empty_and_header_only(tmp_path):
    p = tmp_path / "e.csv"
    p.write_bytes(b"")
    _raises(p, "empty")
    _raises(_csv(tmp_path, "# only a comment\n"), "no header")
    _raises(_csv(tmp_path, "time_s,voltage_V,current_mA\n"), "no data rows", line=2)
    with pytest.raises(ValueError):
        read_generic_csv(_csv(tmp_path, CYC), kind="xrd")
