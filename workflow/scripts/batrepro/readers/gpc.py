"""GPC/SEC exports: a refractive-index (RI) detector trace and a polystyrene calibration table, both CSV.

Trace layout (``gpc_csv``), as GPC software writes an ASCII/CSV export of the raw chromatogram
----------------------------------------------------------------------------------------------
UTF-8, comma-separated, ``.`` decimals; optional ``#`` comment lines at the top (instrument, column, eluent,
flow rate); a header row naming the abscissa, ``elution_volume_mL`` or ``elution_time_min``, and the detector
signal ``ri_signal_mV``; then one row per sample point, abscissa strictly increasing. Example::

    # Agilent 1260 RID, 2 x PLgel 10 um MIXED-B, DMF + 0.05 M LiBr, 1.0 mL/min, 23 degC
    elution_volume_mL,ri_signal_mV
    8.000,0.0132
    8.005,0.0127

Calibration layout (``gpc_calibration_csv``, named by the sheet's ``calibration_path``)
--------------------------------------------------------------------------------------
Optional ``#`` comment lines; a header row ``standard,peak_molar_mass_g_mol,elution_volume_mL``; one row per
narrow standard (its peak molar mass Mp and the elution volume of its peak). At least four standards.

Both return a :class:`RawTable`; errors are one-line :class:`RawDataError` (``<path>:<line>: <problem>``).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, parse_number, read_text

TRACE_X = ("elution_volume_mL", "elution_time_min")
TRACE_Y = "ri_signal_mV"
CALIBRATION = ("standard", "peak_molar_mass_g_mol", "elution_volume_mL")


def _rows(path, encoding: str, max_bytes: int) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    lines = read_text(path, encoding, max_bytes).splitlines()
    comments = [ln.lstrip()[1:].strip() for ln in lines if ln.lstrip().startswith("#")]
    body = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]
    if not body:
        raise RawDataError(path, "no header row (only comments or blank lines)")
    names = [n.strip() for n in body[0][1].split(",")]
    rows = [(i, [c.strip() for c in ln.split(",")]) for i, ln in body[1:]]
    for i, cells in rows:
        if len(cells) != len(names):
            raise RawDataError(path, f"row has {len(cells)} fields, expected {len(names)} ({names})", i)
    return names, [(body[0][0], names)] + rows, comments


def read_gpc_trace(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read an RI trace (module docstring)."""
    names, rows, comments = _rows(path, "utf-8", max_bytes)
    header_line = rows[0][0]
    xs = [n for n in TRACE_X if n in names]
    if len(xs) != 1 or TRACE_Y not in names:
        raise RawDataError(path, f"header must name one of {list(TRACE_X)} and {TRACE_Y!r}; found {names}", header_line)
    x_name = xs[0]
    ix, iy = names.index(x_name), names.index(TRACE_Y)
    data = rows[1:]
    if len(data) < 50:
        raise RawDataError(path, f"only {len(data)} data rows: not a chromatogram", header_line + 1)
    x = np.array([parse_number(c[ix], path, i, x_name) for i, c in data])
    y = np.array([parse_number(c[iy], path, i, TRACE_Y) for i, c in data])
    bad = np.flatnonzero(np.diff(x) <= 0)
    if bad.size:
        raise RawDataError(path, f"{x_name} must increase; it does not after {x[bad[0]]:g}", data[bad[0] + 1][0])
    if x[0] < 0:
        raise RawDataError(path, f"negative {x_name} {x[0]:g}", data[0][0])
    return RawTable(pd.DataFrame({x_name: x, TRACE_Y: y}), "GPC RI trace", {"comments": comments}, str(path))


def read_gpc_calibration(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read a calibration table of narrow standards (module docstring)."""
    names, rows, comments = _rows(path, "utf-8", max_bytes)
    header_line = rows[0][0]
    if [n for n in CALIBRATION if n not in names]:
        raise RawDataError(path, f"calibration header must name {list(CALIBRATION)}; found {names}", header_line)
    im, iv = names.index(CALIBRATION[1]), names.index(CALIBRATION[2])
    data = rows[1:]
    if len(data) < 4:
        raise RawDataError(path, f"{len(data)} standards: at least 4 are needed for a calibration curve", header_line)
    mp = np.array([parse_number(c[im], path, i, CALIBRATION[1]) for i, c in data])
    ve = np.array([parse_number(c[iv], path, i, CALIBRATION[2]) for i, c in data])
    if (mp <= 0).any() or (ve <= 0).any():
        raise RawDataError(path, "peak molar masses and elution volumes must be positive")
    df = pd.DataFrame(
        {"standard": [c[names.index("standard")] for _, c in data], CALIBRATION[1]: mp, CALIBRATION[2]: ve}
    )
    return RawTable(df, "GPC calibration", {"comments": comments}, str(path))


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"gpc_csv": "read_gpc_trace"}
