"""Instron Bluehill raw-data CSV exports (tensile and peel tests).

Layout (techniques.md §7): an optional title line and a block of parameter lines, then a quoted column-name row
(``"Time","Extension","Load"``), a quoted unit row (``"(s)","(mm)","(N)"``) and quoted numbers. A parameter line
is one quoted ``"Name : value unit"`` cell (Bluehill 2/3) or ``"Name","value","unit"`` cells (Bluehill Universal),
the unit also accepted in the name (``"Width (mm)","10.0"``). Specimen geometry is read from the parameter lines
(``Specimen width``/``Width``, ``Specimen thickness``/``Thickness``, ``Gauge length``/``Grip separation``); the
sample sheet may state it too (for a file without it), and a sheet value that contradicts the file's is an error
(:func:`specimen_geometry`).

The data block is parsed by ``pandas.read_csv`` from a memory map (:mod:`._table`): a blank line, a short row or
a cell that is not a plain number is an error naming its line; a file that ends inside a quoted cell (a cut
export: the last load would read 4 N instead of 46.45 N) and a file with CR-only line endings are errors.
"""

from __future__ import annotations

import csv
import math
import mmap
import os
import re

import numpy as np
import pandas as pd

from ..vocab import columns as vcolumns
from . import _table
from ._common import RawDataError, RawTable, check_file, duplicates, parse_number, quote, require_columns

#: 1 kHz for 10 minutes is ~20 MB; larger files are refused before they are read.
BLUEHILL_MAX_BYTES = 64 * 1024**2
_MAX_HEADER_LINES = 1000

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
_NAME_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
#: a sheet value and the file's agree when within this relative difference (the file prints 3-4 digits)
GEOMETRY_RTOL = 1e-3


def _parameter(path, line_no: int, name: str, value: str, unit: str | None) -> float:
    parts = value.split()
    if unit is None and len(parts) == 2:
        parts, unit = parts[:1], parts[1]
    if len(parts) != 1 or unit is None:
        raise RawDataError(path, f"parameter {quote(name)} should be '<number> <unit>', got {quote(value)}", line_no)
    number = parse_number(parts[0], path, line_no, name)
    if unit not in LENGTH_UNITS:
        raise RawDataError(path, f"impossible unit {quote(unit)} for parameter {quote(name)}", line_no)
    return number * LENGTH_UNITS[unit]


def _cells(path, line: str, line_no: int) -> list[str]:
    try:
        row = next(csv.reader([line]), [])
    except csv.Error as err:
        raise RawDataError(path, f"malformed CSV line ({err})", line_no) from None
    return [c.strip() for c in row]


def _header_row(path, cells: list[str], line_no: int, params: dict) -> None:
    """One parameter line into ``params`` (geometry in mm under its canonical key, anything else as text)."""
    if len(cells) == 1 and " : " in cells[0]:
        name, _, value = cells[0].partition(" : ")
        unit = None
    elif len(cells) >= 2 and cells[0]:
        name, value = cells[0], cells[1]
        unit = cells[2] if len(cells) > 2 and cells[2] else None
    else:
        return
    name = name.strip()
    m = _NAME_UNIT.match(name) if len(name) <= 200 else None  # the lazy pattern is quadratic on long cells
    bare, unit = (m.group(1), unit or m.group(2)) if m else (name, unit)
    key = GEOMETRY.get(bare.strip().lower())
    if key:
        if key in params:
            raise RawDataError(path, f"parameter {quote(name)} is given twice", line_no)
        params[key] = _parameter(path, line_no, name, value.strip(), unit)
    else:
        params.setdefault(name, value.strip())


#: technique of the RawTable
TECHNIQUE = "tensile"


def read_bluehill(path: str | os.PathLike, *, max_bytes: int = BLUEHILL_MAX_BYTES) -> RawTable:
    """Read one specimen: a :class:`RawTable` of time_s, extension_mm, load_N whose header is the parameter
    block (geometry under ``width_mm``, ``thickness_mm``, ``gauge_length_mm``; see :func:`specimen_geometry`)."""
    check_file(path, max_bytes, "Bluehill CSV files")
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if b"\n" not in mm[: 1 << 16] and b"\r" in mm[: 1 << 16]:
            raise RawDataError(path, "CR-only line endings (classic Mac OS): re-export with CRLF or LF line endings")
        params: dict = {}
        pos, line_no, names = 0, 0, None
        while pos < len(mm) and line_no < _MAX_HEADER_LINES:
            end = mm.find(b"\n", pos)
            stop = len(mm) if end < 0 else end + 1
            raw = mm[pos:stop]
            pos, line_no = stop, line_no + 1
            if b"\x00" in raw:
                raise RawDataError(path, "file contains NUL bytes: it is binary, not a text export", line_no)
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError as err:
                raise RawDataError(
                    path, f"not valid utf-8 text (byte 0x{raw[err.start]:02x}); re-export the file as utf-8", line_no
                ) from None
            cells = _cells(path, line, line_no)
            if cells and cells[0].lower() == "time":
                names = cells
                break
            _header_row(path, cells, line_no, params)
        if names is None:
            raise RawDataError(
                path, 'no column-name row starting with "Time": not a Bluehill raw-data CSV, or columns renamed'
            )
        head = line_no
        while len(names) > 1 and names[-1] == "":  # a trailing comma (spreadsheet export)
            names.pop()
        keys = [n.lower() for n in names]
        dup = duplicates(keys)
        if dup:
            raise RawDataError(path, f"duplicate column name(s) {dup}", head)
        require_columns(keys, list(COLUMNS), path, head, "Bluehill")
        if pos >= len(mm):
            raise RawDataError(path, "file ends after the column-name row (truncated)", head)
        end = mm.find(b"\n", pos)
        stop = len(mm) if end < 0 else end + 1
        units = [c.strip("()") for c in _cells(path, mm[pos:stop].decode("utf-8", "replace").rstrip("\r\n"), head + 1)]
        start, first = stop, head + 2
        stop = len(mm)
        while stop > start and mm[stop - 1] in b"\r\n":
            stop -= 1
        if stop <= start:
            raise RawDataError(path, "no data rows after the unit row", first)
        _check_quotes(path, mm, start, stop, first)
        df = _table.parse_block(path, mm, start, stop, names, ".", first, sep=",", quoting=csv.QUOTE_MINIMAL)
        _check_quotes(path, mm, start, stop, first, len(df))
        idx = [keys.index(k) for k in COLUMNS]
        arrays = _table.validate_numeric(path, df, names, mm, start, ".", first, sep=",", columns=idx)
    table = {}
    for col, key in enumerate(COLUMNS):
        canonical, factors = COLUMNS[key]
        unit = units[idx[col]] if idx[col] < len(units) else ""
        if unit not in factors:
            raise RawDataError(
                path,
                f"impossible unit {quote('(' + unit + ')')} for column {quote(names[idx[col]])} "
                f"(expected one of {sorted(factors)})",
                head + 1,
            )
        values = np.asarray(arrays[col], dtype=np.float64)
        table[canonical] = values * factors[unit] if factors[unit] != 1.0 else values
    df = pd.DataFrame(table)
    labels = {COLUMNS[key][0]: names[idx[col]] for col, key in enumerate(COLUMNS)}
    vcolumns.check_columns(path, {c: df[c].to_numpy() for c in df}, "bluehill", first, labels)
    if len(df) < 10:
        raise RawDataError(path, f"only {len(df)} data rows: too few for a tensile test")
    return RawTable(df, TECHNIQUE, params, str(path))


def _check_quotes(path, mm, start: int, stop: int, first: int, nrows: int | None = None) -> None:
    """Every quote in the data block closes on its own line (a Bluehill cell never holds a line break). An odd
    total, or fewer parsed rows than lines (the CSV parser joined lines inside a quote), is located exactly:
    a cut export would otherwise give a cut last number, a stray quote silently merged rows."""
    block = mm[start:stop]
    if block.count(b'"') % 2 == 0 and (nrows is None or nrows == block.count(b"\n") + 1):
        return
    lines = block.split(b"\n")
    for i, line in enumerate(lines):
        if line.count(b'"') % 2:
            last = i == len(lines) - 1
            what = "file ends inside a quoted cell (truncated export)" if last else "unbalanced quote in the row"
            raise RawDataError(path, what, first + i)


def specimen_geometry(params: dict, overrides: dict, path) -> dict:
    """Width, thickness and gauge length (mm) from the file's parameter lines or the sample sheet.

    The sheet supplies what the file lacks and may restate what it has; a sheet value that differs from the
    file's by more than :data:`GEOMETRY_RTOL` is an error naming both (which one is right is the lab's call,
    and a silent choice would scale every stress)."""
    geometry = {}
    for key, hi in (("width_mm", 1000.0), ("thickness_mm", 1.0), ("gauge_length_mm", 1000.0)):
        sheet, file = overrides.get(key), params.get(key)
        if sheet is not None and isinstance(sheet, float) and np.isnan(sheet):
            sheet = None
        if sheet is not None and file is not None and not math.isclose(float(sheet), file, rel_tol=GEOMETRY_RTOL):
            raise RawDataError(
                path,
                f"specimen {key}: the sample sheet says {float(sheet):g}, the file's parameter lines say {file:g}; "
                "remove the sheet value or correct one of them",
            )
        value = sheet if sheet is not None else file
        if value is None:
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
