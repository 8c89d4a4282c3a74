"""Generic CSV reader for cyclers and impedance analysers that are not BioLogic.

The format (documented here and in ``config/README.md`` when a lab points the workflow at it)
---------------------------------------------------------------------------------------------
* UTF-8 text, comma-separated, ``.`` as the decimal separator, no thousands separator, no quotes.
* Optional comment lines starting with ``#`` at the very top (ignored).
* One header row of column names, then one row per data point.
* ``kind='cycling'``: required ``time_s, voltage_V, current_mA``; optional ``cycle_number``,
  ``half_cycle`` (whole numbers) and any other canonical column name
  (:mod:`batrepro.vocab.columns`). Current sign: negative = reduction/lithiation of the
  working electrode (discharge of a half-cell), as EC-Lab writes it. ``time_s`` must not decrease.
* ``kind='eis'``: required ``frequency_Hz, z_real_ohm, z_imag_ohm`` where ``z_imag_ohm`` is the
  SIGNED imaginary part (negative for a capacitive response; *not* ``-Im(Z)``); frequencies > 0.
* Any further column must be a snake_case name with a unit suffix (``temperature_C``) and is kept
  as it is; anything else is an error (an unknown layout is never guessed).

Example (cycling)::

    # cell A12, 25 degC
    time_s,voltage_V,current_mA,cycle_number
    0,3.012,0,1
    10,2.981,-0.15,1

Returns a :class:`~batrepro.readers.RawTable` with technique ``csv-cycling`` or ``csv-eis`` (what the file
is: a generic CSV, not an EC-Lab technique) and an empty header. Values are range-checked against the
canonical column table (:mod:`batrepro.vocab.columns`, profile ``generic_csv``). Errors are
:class:`RawDataError` (``<path>:<line>: <problem>``).
"""

from __future__ import annotations

import mmap
import os
import re

from ..vocab import columns as vcolumns
from . import _table
from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, check_file, duplicates, quote, quote_names

__all__ = ["read_generic_csv", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = {
    "cycling": ("time_s", "voltage_V", "current_mA"),
    "eis": ("frequency_Hz", "z_real_ohm", "z_imag_ohm"),
}
#: technique of the RawTable per kind
TECHNIQUE = {"cycling": "csv-cycling", "eis": "csv-eis"}
#: canonical columns take their dtype from the column table; any other column is int64 if it holds integers
_KNOWN = frozenset(vcolumns.COLUMNS)
_EXTRA_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_[A-Za-z0-9]+$")


def read_generic_csv(path: str | os.PathLike, kind: str = "cycling", *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read a generic CSV (see the module docstring for the format)."""
    if kind not in REQUIRED_COLUMNS:
        raise ValueError(f"kind must be one of {sorted(REQUIRED_COLUMNS)}, not {kind!r}")
    check_file(path, max_bytes, "generic CSV files")
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        pos, lineno = 0, 0
        while True:
            if pos >= len(mm):
                raise RawDataError(path, "no header row (only comments or blank lines)", lineno)
            end = mm.find(b"\n", pos)
            stop = len(mm) if end < 0 else end + 1
            raw = mm[pos:stop]
            lineno += 1
            pos = stop
            if b"\x00" in raw:
                raise RawDataError(path, "NUL byte: this is a binary file, not a CSV", lineno)
            try:
                text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
            except UnicodeDecodeError:
                raise RawDataError(path, "not valid UTF-8 text", lineno) from None
            if text and not text.startswith("#"):
                break
        names = [n.strip() for n in text.split(",")]
        while len(names) > 1 and names[-1] == "":  # a trailing comma (spreadsheet export)
            names.pop()
        dup = duplicates(names)
        if dup:
            raise RawDataError(path, f"duplicate column name(s) {quote_names(dup)}", lineno)
        missing = [c for c in REQUIRED_COLUMNS[kind] if c not in names]
        if missing:
            raise RawDataError(
                path,
                f"missing required {kind} column(s) {missing}; found {quote_names(names)} "
                f"(header must name {list(REQUIRED_COLUMNS[kind])})",
                lineno,
            )
        for n in names:
            if n not in vcolumns.COLUMNS and (len(n) > 100 or not _EXTRA_NAME.match(n)):
                raise RawDataError(
                    path, f"column name {quote(n)} is neither canonical nor snake_case with a unit suffix", lineno
                )
        if pos >= len(mm) or not mm[pos:].strip():
            raise RawDataError(path, "no data rows after the header", lineno + 1)
        first_line = lineno + 1
        df = _table.parse_block(path, mm, pos, len(mm), names, ".", first_line, sep=",")
        arrays = _table.validate_numeric(path, df, names, mm, pos, ".", first_line, sep=",")
    mapping = tuple((n, 1.0) for n in names)
    return _table.finish(
        path, TECHNIQUE[kind], {}, names, arrays, first_line, REQUIRED_COLUMNS[kind], mapping, _KNOWN, "generic_csv"
    )


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"generic_csv": "read_generic_csv"}
