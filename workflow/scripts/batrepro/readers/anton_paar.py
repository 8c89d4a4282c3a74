"""Anton Paar indentation (Step500 NHT3 / MCT3, Indentation software) load–displacement text exports.

No public Anton Paar export or parser exists (techniques.md §9), so this reader accepts a documented,
Anton Paar-like ASCII layout, one indent per file (UTF-8, ``.`` as the decimal separator):

.. code-block:: text

    Anton Paar Indentation - ASCII export          <- optional title line(s) without ':'
    Instrument: Step500 NHT3                        <- header lines 'Key: value' (kept as text in the header)
    Indenter type: Berkovich
    Max load [mN]: 9.218
    ...
                                                    <- blank lines are ignored
    Time [s]<TAB>Fn [mN]<TAB>Pd [nm]                <- column row: names with their unit in [ ]
    0.000<TAB>0.00000<TAB>0.00
    ...

* Columns are separated by tabs or by semicolons (one of them, the column row decides); their order is free and
  other columns are ignored. ``Fn`` (normal force) and ``Pd`` (penetration depth) are required, ``Time``
  optional. Units: ``Fn`` in mN, µN/uN or N; ``Pd`` in nm, µm/um; ``Time`` in s or min.
* The canonical table has ``force_mN``, ``depth_nm`` and ``time_s`` (when given); forces and depths are range
  checked (:mod:`batrepro.vocab.columns`), time must not decrease.
* ``Indenter type`` when present must be Berkovich (the analysis's ε = 0.75 and area function assume it).
"""

from __future__ import annotations

import os
import re

from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, parse_rows, read_text, unit_columns

# column name in the export -> (canonical name, {unit: factor to the canonical unit})
COLUMNS = {
    "fn": ("force_mN", {"mN": 1.0, "µN": 1e-3, "uN": 1e-3, "N": 1e3}),
    "pd": ("depth_nm", {"nm": 1.0, "µm": 1e3, "um": 1e3}),
    "time": ("time_s", {"s": 1.0, "min": 60.0}),
}
REQUIRED = ("fn", "pd")
_NAME = re.compile(r"^\s*([^\[\]]+?)\s*\[([^\[\]]*)\]\s*$")

#: technique of the RawTable
TECHNIQUE = "indentation"


def _split(line: str, sep: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\r\n").split(sep)]


def read_anton_paar_indentation(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read one indent: a :class:`RawTable` of force_mN, depth_nm (and time_s); the header holds the
    'Key: value' lines as text."""
    lines = read_text(path, "utf-8-sig", max_bytes).splitlines()
    header: dict[str, str] = {}
    head = None
    for i, line in enumerate(lines):
        if re.search(r"\bFn\s*\[", line) and re.search(r"\bPd\s*\[", line):
            head = i
            break
        key, sep, value = line.partition(":")
        if sep and key.strip():
            header[key.strip()] = value.strip()
    if head is None:
        raise RawDataError(
            path, "no column row with 'Fn [unit]' and 'Pd [unit]': not an Anton Paar indentation export, or renamed"
        )
    sep = "\t" if "\t" in lines[head] else ";" if ";" in lines[head] else None
    if sep is None:
        raise RawDataError(path, "column row is neither tab- nor semicolon-separated", head + 1)
    names, units = [], []
    for cell in _split(lines[head], sep):
        match = _NAME.match(cell)
        if not match:
            raise RawDataError(path, f"column '{cell}' is not 'Name [unit]'", head + 1)
        names.append(match.group(1).strip().lower())
        units.append(match.group(2).strip())
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RawDataError(path, f"missing column(s) {missing}; found {names}", head + 1)
    indenter = header.get("Indenter type")
    if indenter is not None and indenter.strip().lower() != "berkovich":
        raise RawDataError(path, f"indenter type '{indenter}': only Berkovich indents are analysed")
    keys = [k for k in COLUMNS if k in names]
    idx = [names.index(k) for k in keys]
    rows = [(n, _split(line, sep)) for n, line in enumerate(lines[head + 1 :], start=head + 2) if line.strip()]
    if len(rows) < 10:
        raise RawDataError(path, f"only {len(rows)} data rows after the column row: too few for an indent", head + 1)
    first = rows[0][0]
    for n, cells in rows:
        if len(cells) < len(names):
            raise RawDataError(path, f"row has {len(cells)} of {len(names)} fields: file is truncated", n)
    gaps = [n for (n, _), (m, _) in zip(rows, rows[1:]) if m != n + 1]
    if gaps:
        raise RawDataError(path, "blank line inside the data block", gaps[0] + 1)
    values = parse_rows([[cells[j] for j in idx] for _, cells in rows], first, [names[j] for j in idx], path)
    df = unit_columns(path, values, keys, [units[j] for j in idx], COLUMNS, "anton_paar", first, head + 1)
    return RawTable(df, TECHNIQUE, header, str(path))


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"anton_paar_indentation_txt": "read_anton_paar_indentation"}
