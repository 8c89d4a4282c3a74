"""SAICAS (Surface And Interfacial Cutting Analysis System, Daipia Wintes SAICAS EN/EN-EX) data logs as CSV.

No public SAICAS export or parser exists, so this reader accepts a documented CSV layout, one cut per file
(UTF-8, comma-separated, ``.`` as the decimal separator), as the instrument's software writes its log:

.. code-block:: text

    SAICAS EN-EX data log                                      <- optional title line(s)
    Instrument,SAICAS EN-EX                                    <- header rows 'Key,value' (kept as text)
    Blade width [mm],1.0
    Horizontal velocity [um/s],2.0
    ...
                                                               <- blank lines are ignored
    Time [s],Horizontal displacement [um],Vertical displacement [um],Horizontal force [N],Vertical force [N]
    0.0,0.000,0.000,0.00012,0.00030
    ...

* The column row is the first row that names a ``Horizontal force`` column; every column is ``Name [unit]``
  (or ``Name (unit)``). Required: ``Horizontal displacement``, ``Vertical displacement`` (the blade depth below
  the surface; ``Depth`` is accepted for it), ``Horizontal force``, ``Vertical force``; ``Time`` is optional,
  other columns are ignored. Units: displacements in µm/um, nm or mm; forces in N, mN, gf or kgf; time in s.
* Canonical columns: ``horizontal_displacement_um``, ``vertical_displacement_um``, ``horizontal_force_N``,
  ``vertical_force_N`` (and ``time_s``), range checked by :mod:`batrepro.vocab.columns`.
"""

from __future__ import annotations

import os
import re

from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, csv_rows, parse_rows, read_text, unit_columns

_LENGTH = {"um": 1.0, "µm": 1.0, "nm": 1e-3, "mm": 1e3}
_FORCE = {"N": 1.0, "mN": 1e-3, "gf": 9.80665e-3, "kgf": 9.80665}
# column name in the log (lower case) -> (canonical name, {unit: factor})
COLUMNS = {
    "horizontal displacement": ("horizontal_displacement_um", _LENGTH),
    "vertical displacement": ("vertical_displacement_um", _LENGTH),
    "horizontal force": ("horizontal_force_N", _FORCE),
    "vertical force": ("vertical_force_N", _FORCE),
    "time": ("time_s", {"s": 1.0, "min": 60.0}),
}
ALIASES = {"depth": "vertical displacement"}
REQUIRED = ("horizontal displacement", "vertical displacement", "horizontal force", "vertical force")
_NAME = re.compile(r"^\s*(.+?)\s*[\[(]([^\[\]()]*)[\])]\s*$")

#: technique of the RawTable
TECHNIQUE = "SAICAS"


def read_saicas_csv(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read one SAICAS log: a :class:`RawTable` of the canonical displacement and force columns."""
    text = read_text(path, "utf-8-sig", max_bytes)
    rows = csv_rows(path, text)
    header: dict[str, str] = {}
    head = None
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if any(c.lower().startswith("horizontal force") for c in cells):
            head = i
            break
        if len(cells) >= 2 and cells[0]:
            header[cells[0]] = ",".join(cells[1:]).strip()
    if head is None:
        raise RawDataError(path, "no column row naming 'Horizontal force': not a SAICAS log, or columns renamed")
    names, units = [], []
    for cell in (c.strip() for c in rows[head]):
        match = _NAME.match(cell)
        if not match:
            raise RawDataError(path, f"column '{cell}' is not 'Name [unit]'", head + 1)
        name = match.group(1).strip().lower()
        names.append(ALIASES.get(name, name))
        units.append(match.group(2).strip())
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RawDataError(path, f"missing column(s) {missing}; found {names}", head + 1)
    keys = [k for k in COLUMNS if k in names]
    idx = [names.index(k) for k in keys]
    data = [(n, r) for n, r in enumerate(rows[head + 1 :], start=head + 2) if any(c.strip() for c in r)]
    if len(data) < 10:
        raise RawDataError(path, f"only {len(data)} data rows after the column row: too few for a cut", head + 1)
    for n, r in data:
        if len(r) < len(names):
            raise RawDataError(path, f"row has {len(r)} of {len(names)} fields: file is truncated", n)
    first = data[0][0]
    values = parse_rows([[r[j] for j in idx] for _, r in data], first, [names[j] for j in idx], path)
    df = unit_columns(path, values, keys, [units[j] for j in idx], COLUMNS, "saicas", first, head + 1)
    return RawTable(df, TECHNIQUE, header, str(path))


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"saicas_csv": "read_saicas_csv"}
