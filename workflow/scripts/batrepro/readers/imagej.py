"""ImageJ/Fiji "Results" tables of manual line measurements (File > Save As... from the Results window).

Layout accepted: comma-separated, one header row, one row per measured straight line. ImageJ writes a first
column without a name (the row number, header ``" "``); the columns that follow depend on *Analyze > Set
Measurements*. The reader needs ``Length`` (the line's length, in the unit set with *Analyze > Set Scale*;
the file does not say which, so the sample sheet does) and reads, when present, ``Angle`` (degrees,
counter-clockwise from the x axis, as ImageJ reports it for a straight line) and ``Label``. Other ImageJ
columns (the bounding rectangle ``BX``, ``BY``, ``Width``, ``Height``, and ``Area``, ``Mean``, ``X``, ``Y``,
``Slice``, ...) are ignored: no analysis uses where a line lies. A table without ``Length`` (e.g. an area
measurement) is refused.

Columns: ``line`` (1..n), ``length`` (file unit) and, where the file has it, ``angle_deg`` (-180..180).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._common import RawDataError, RawTable, csv_rows, parse_number, read_text

FORMATS = {"imagej_results_csv": "read_imagej_results"}

#: ImageJ measurement columns this reader understands (anything else is ignored)
KNOWN = ("Label", "Angle", "Length")


def read_imagej_results(path: str | Path) -> RawTable:
    """Read an ImageJ Results CSV of line measurements (see the module doc for the columns)."""
    text = read_text(path)
    rows = csv_rows(path, text)
    if not rows or not any(c.strip() for c in rows[0]):
        raise RawDataError(path, "no header row", 1)
    header = [c.strip() for c in rows[0]]
    if "Length" not in header:
        raise RawDataError(
            path,
            f"not an ImageJ Results table of line measurements: no 'Length' column (columns {header}); "
            "measure straight-line selections with Analyze > Measure",
            1,
        )
    col = {name: header.index(name) for name in KNOWN if name in header}
    out: dict[str, list] = {"line": [], "length": []}
    if "Angle" in col:
        out["angle_deg"] = []
    label = None
    for i, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise RawDataError(path, f"row has {len(row)} fields, the header {len(header)}", i)
        length = parse_number(row[col["Length"]], path, i, "Length")
        if length <= 0:
            raise RawDataError(path, f"line length {length:g} is not positive", i)
        out["line"].append(len(out["line"]) + 1)
        out["length"].append(length)
        if "angle_deg" in out:
            angle = parse_number(row[col["Angle"]], path, i, "Angle")
            if not -180 <= angle <= 180:
                raise RawDataError(path, f"line angle {angle:g}° is outside ImageJ's -180..180°", i)
            out["angle_deg"].append(angle)
        if "Label" in col and label is None:
            label = row[col["Label"]].strip()
    if not out["line"]:
        raise RawDataError(path, "no measurement rows after the header", 2)
    data = pd.DataFrame(out)
    return RawTable(data, "ImageJ line measurements", {"label": label or "", "columns": header}, str(path))
