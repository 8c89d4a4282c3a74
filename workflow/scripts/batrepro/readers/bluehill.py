"""Instron Bluehill raw-data CSV exports (tensile and peel tests).

Layout (techniques.md §7): an optional title line and a block of quoted ``"Name : value"``
parameter lines, then a quoted column-name row (``"Time","Extension","Load"``), a quoted unit row
(``"(s)","(mm)","(N)"``) and quoted numbers. Specimen geometry is read from the parameter block
(``Specimen width``, ``Specimen thickness``, ``Gauge length``); the sample sheet may override it.
"""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pandas as pd

from ..vocab import columns as vcolumns
from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, parse_rows, read_text, require_columns

COLUMNS = {
    "time": ("time_s", {"s": 1.0, "min": 60.0}),
    "extension": ("extension_mm", {"mm": 1.0, "m": 1e3, "um": 1e-3, "µm": 1e-3}),
    "load": ("load_N", {"N": 1.0, "kN": 1e3, "mN": 1e-3, "kgf": 9.80665}),
}
GEOMETRY = {  # parameter name -> canonical key
    "specimen width": "width_mm",
    "width": "width_mm",
    "specimen thickness": "thickness_mm",
    "thickness": "thickness_mm",
    "gauge length": "gauge_length_mm",
    "grip separation": "gauge_length_mm",
}
LENGTH_UNITS = {"mm": 1.0, "um": 1e-3, "µm": 1e-3, "m": 1e3, "cm": 10.0}


def _parameter(path, line_no: int, name: str, value: str) -> float:
    parts = value.split()
    if len(parts) != 2:
        raise RawDataError(path, f"parameter '{name}' should be '<number> <unit>', got '{value}'", line_no)
    number = parse_rows([[parts[0]]], line_no, [name], path)[0, 0]
    if parts[1] not in LENGTH_UNITS:
        raise RawDataError(path, f"impossible unit '{parts[1]}' for parameter '{name}'", line_no)
    return number * LENGTH_UNITS[parts[1]]


#: technique of the RawTable
TECHNIQUE = "tensile"


def read_bluehill(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read one specimen: a :class:`RawTable` of time_s, extension_mm, load_N whose header is the parameter
    block (geometry under ``width_mm``, ``thickness_mm``, ``gauge_length_mm``; see :func:`specimen_geometry`)."""
    text = read_text(path, "utf-8-sig", max_bytes)
    rows = list(csv.reader(io.StringIO(text)))
    params: dict = {}
    head = None
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if cells and cells[0].lower() == "time":
            head = i
            break
        if len(cells) == 1 and " : " in cells[0]:
            name, _, value = cells[0].partition(" : ")
            key = GEOMETRY.get(name.strip().lower())
            if key:
                params[key] = _parameter(path, i + 1, name.strip(), value.strip())
            else:
                params[name.strip()] = value.strip()
    if head is None:
        raise RawDataError(
            path, 'no column-name row starting with "Time": not a Bluehill raw-data CSV, or columns renamed'
        )
    names = [c.strip() for c in rows[head]]
    keys = [n.lower() for n in names]
    require_columns(keys, list(COLUMNS), path, head + 1, "Bluehill")
    if head + 1 >= len(rows):
        raise RawDataError(path, "file ends after the column-name row (truncated)", head + 1)
    units = [c.strip().strip("()") for c in rows[head + 1]]
    data_rows = [r for r in rows[head + 2 :] if any(c.strip() for c in r)]
    first = head + 3
    if not data_rows:
        raise RawDataError(path, "no data rows after the unit row", first)
    idx = [keys.index(k) for k in COLUMNS]
    widths = {len(r) for r in data_rows}
    if min(widths) < len(names):
        bad = next(i for i, r in enumerate(data_rows) if len(r) < len(names))
        raise RawDataError(
            path, f"row has {len(data_rows[bad])} of {len(names)} fields: file is truncated", first + bad
        )
    values = parse_rows([[r[j] for j in idx] for r in data_rows], first, [names[j] for j in idx], path)
    table = {}
    for col, key in enumerate(COLUMNS):
        canonical, factors = COLUMNS[key]
        unit = units[idx[col]] if idx[col] < len(units) else ""
        if unit not in factors:
            raise RawDataError(
                path,
                f"impossible unit '({unit})' for column '{names[idx[col]]}' (expected one of {sorted(factors)})",
                head + 2,
            )
        table[canonical] = values[:, col] * factors[unit]
    df = pd.DataFrame(table)
    labels = {COLUMNS[key][0]: names[idx[col]] for col, key in enumerate(COLUMNS)}
    vcolumns.check_columns(path, {c: df[c].to_numpy() for c in df}, "bluehill", first, labels)
    if len(df) < 10:
        raise RawDataError(path, f"only {len(df)} data rows: too few for a tensile test")
    return RawTable(df, TECHNIQUE, params, str(path))


def specimen_geometry(params: dict, overrides: dict, path) -> dict:
    """Width, thickness and gauge length (mm): sample-sheet overrides first, then the file."""
    geometry = {}
    for key, hi in (("width_mm", 1000.0), ("thickness_mm", 1.0), ("gauge_length_mm", 1000.0)):
        value = overrides.get(key, params.get(key))
        if value is None or (isinstance(value, float) and np.isnan(value)):
            raise RawDataError(path, f"specimen {key} is given neither in the file nor in the sample sheet")
        value = float(value)
        if not 0 < value <= hi:
            raise RawDataError(
                path,
                f"impossible specimen {key} = {value:g} (must be in (0, {hi:g}]; ASTM D882 films are under 1 mm thick)",
            )
        geometry[key] = value
    return geometry


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"bluehill_csv": "read_bluehill"}
