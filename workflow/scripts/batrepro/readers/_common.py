"""What all readers share: the RawTable they return, the one-line RawDataError, size, encoding and numeric-cell checks.

Physical range checks are data: :mod:`batrepro.vocab.columns`.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Default upper bound on a raw file's size. A file above it is rejected before it is read,
#: so a mis-pointed path (a video, a disk image) cannot exhaust memory.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]+,[0-9]+(?:[eE][+-]?[0-9]+)?$")
#: The only numbers a reader accepts: plain ASCII decimal (no '1_000', no non-ASCII digits, no hex, no 'inf').
#: (Unambiguous, so a failed match is linear: '[0-9]+\.?[0-9]*' was quadratic, 18 s on a 70,000-digit cell.)
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
#: An error message quotes at most this many characters of the file (a 10 MB cell gives a short message).
QUOTE_CHARS = 60
#: Safety net: no problem text is longer than this (names and quotes are bounded where they are built).
MAX_PROBLEM_CHARS = 600


def quote(text: object, limit: int = QUOTE_CHARS) -> str:
    """``text`` in single quotes, cut to ``limit`` characters with the full length stated."""
    s = str(text)
    if len(s) <= limit:
        return f"'{s}'"
    return f"'{s[:limit]}…' ({len(s):,} characters)"


def quote_names(names: Iterable[object], limit: int = QUOTE_CHARS) -> str:
    """A list of a file's column names, at most ``limit`` characters of them in all."""
    names = [str(n) for n in names]
    shown, used = [], 0
    for n in names:
        if used + len(n) > limit:
            break
        shown.append(n)
        used += len(n)
    more = len(names) - len(shown)
    text = ", ".join(f"'{n}'" for n in shown)
    if more:
        text += f"{', ' if shown else ''}… ({more} more)"
    return f"[{text}]"


def duplicates(names: Iterable[str]) -> list[str]:
    """The names that occur more than once, sorted (linear: a header of 100,000 names is not quadratic)."""
    return sorted(n for n, k in Counter(names).items() if k > 1)


def size_text(n: int) -> str:
    """A size in one stated unit, bytes, exact (no '209.8 MB, above the 210 MB limit')."""
    return f"{n:,} bytes"


@dataclass(frozen=True)
class RawTable:
    """What every reader returns: one file's data in canonical columns, and what its header states.

    ``data``
        canonical snake_case columns carrying their unit (``time_s``, ``voltage_V``,
        ``binding_energy_eV``); a file with many blocks (XPS regions x sputter cycles) is one long
        table with block-identifying columns.
    ``technique``
        the measurement as the file names it (EC-Lab ``GCPL``/``PEIS``, ``DMA ramp``, ``XPS``, ...).
    ``header``
        parsed header values under canonical keys (numbers converted to canonical units).
    ``source``
        the path that was read.
    """

    data: pd.DataFrame
    technique: str
    header: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""


class RawDataError(ValueError):
    """A raw instrument file cannot be used. ``str(err)`` is one line naming file and problem."""

    def __init__(self, path: str | os.PathLike, problem: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        problem = " ".join(str(problem).split())  # always a single line
        if len(problem) > MAX_PROBLEM_CHARS:
            problem = problem[:MAX_PROBLEM_CHARS] + "…"
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {self.problem}")


def check_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "this format") -> int:
    """Check that a raw file exists, is a regular file (a symlink to one is fine; a directory, FIFO or
    device is not: reading a FIFO would block for ever), is not empty and not above `max_bytes`; return its size.
    The path may lie anywhere (labs keep their data outside the repository)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise RawDataError(path, "file does not exist") from None
    except OSError as err:
        raise RawDataError(path, f"cannot access the file ({err.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file (a FIFO, socket or device)"
        raise RawDataError(path, f"path is {kind}; a sample sheet must point at a raw data file")
    size = st.st_size
    if size == 0:
        raise RawDataError(path, "file is empty (0 bytes)")
    if size > max_bytes:
        raise RawDataError(path, f"file is {size_text(size)}, above the limit of {size_text(max_bytes)} for {what}")
    return size


def read_text(
    path: str | os.PathLike, encoding: str = "utf-8", max_bytes: int = DEFAULT_MAX_BYTES, what: str = "this format"
) -> str:
    """Read a whole text file after checking that it exists, is not empty and not too large."""
    check_file(path, max_bytes, what)
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:65536]:
        raise RawDataError(path, "file contains NUL bytes: it is binary, not a text export")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise RawDataError(
            path, f"not valid {encoding} text (byte 0x{raw[err.start]:02x}); re-export the file as {encoding}", line
        ) from None


def csv_rows(path: str | os.PathLike, text: str) -> list[list[str]]:
    """The rows of a comma-separated text, read strictly: a malformed line (a cell above the csv module's
    131,072-character limit, a quote left open at the end of the file, a NUL) is the one-line error naming
    the line, not a csv traceback, and a file cut inside a quoted cell is not silently read to its end."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as err:
        raise RawDataError(path, f"malformed CSV ({quote(err)})", reader.line_num) from None
    return rows


def parse_number(cell: str, path: str | os.PathLike, line: int, column: str) -> float:
    """Parse one numeric cell with a '.' decimal separator; only plain ASCII decimal numbers parse
    (:data:`PLAIN_NUMBER`): decimal commas, text, NaN, inf, '1_000' and non-ASCII digits are errors."""
    text = cell.strip().strip('"').strip()
    col = quote(column)
    if text == "":
        raise RawDataError(path, f"empty cell in column {col}", line)
    if _DECIMAL_COMMA.match(text):
        raise RawDataError(
            path, f"decimal comma in column {col} ({quote(text)}): export with '.' as the decimal separator", line
        )
    if not PLAIN_NUMBER.match(text):
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            raise RawDataError(path, f"{text} in column {col}", line)
        raise RawDataError(path, f"non-numeric value {quote(text)} in column {col}", line)
    value = float(text)
    if not math.isfinite(value):
        raise RawDataError(path, f"number {quote(text)} in column {col} overflows a double (> 1.8e308)", line)
    return value


def half_unit(text: str) -> float:
    """Half a unit in the last printed digit of a number ('0.520' -> 0.0005, '1e-4' -> 5e-5): its rounding
    bound, for checking a file's redundant quantities against each other. The text must be a plain number."""
    return 0.5 * 10.0 ** Decimal(text.strip().strip('"').strip()).as_tuple().exponent


def parse_rows(
    rows: Sequence[Sequence[str]], first_line: int, columns: Sequence[str], path: str | os.PathLike
) -> np.ndarray:
    """Parse a block of text rows into a float array, with a precise error for the first bad cell."""
    out = np.empty((len(rows), len(columns)))
    for i, row in enumerate(rows):
        line = first_line + i
        if len(row) < len(columns):
            raise RawDataError(path, f"row has {len(row)} fields, expected {len(columns)}", line)
        for j, name in enumerate(columns):
            out[i, j] = parse_number(row[j], path, line, name)
    return out


def unit_columns(
    path: str | os.PathLike,
    values: np.ndarray,
    keys: Sequence[str],
    units: Sequence[str],
    columns: Mapping[str, tuple[str, Mapping[str, float]]],
    instrument: str,
    first_line: int,
    unit_line: int,
) -> pd.DataFrame:
    """The canonical table from parsed columns ``values`` (one per key) whose file units are ``units``:
    ``columns`` maps each key to its canonical name and the factor of every unit it may be given in; an
    unknown unit is an error, and every column is range-checked (:func:`batrepro.vocab.columns.check_columns`)."""
    from ..vocab import columns as vcolumns

    table, labels = {}, {}
    for col, (key, unit) in enumerate(zip(keys, units)):
        canonical, factors = columns[key]
        if unit not in factors:
            raise RawDataError(
                path, f"impossible unit '[{unit}]' for column '{key}' (expected one of {sorted(factors)})", unit_line
            )
        table[canonical] = values[:, col] * factors[unit]
        labels[canonical] = f"{key} [{unit}]"
    vcolumns.check_columns(path, table, instrument, first_line, labels)
    return pd.DataFrame(table)


def require_columns(
    found: Iterable[str], required: Iterable[str], path: str | os.PathLike, line: int | None = None, what: str = ""
) -> None:
    found = list(found)
    missing = [c for c in required if c not in found]
    if missing:
        raise RawDataError(
            path, f"missing {what + ' ' if what else ''}column(s) {missing}; found {quote_names(found)}", line
        )
