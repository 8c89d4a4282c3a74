"""What all readers share: the RawTable they return, the one-line RawDataError, size, encoding and numeric-cell checks.

Physical range checks are data: :mod:`batrepro.vocab.columns`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: Default upper bound on a raw file's size. A file above it is rejected before it is read,
#: so a mis-pointed path (a video, a disk image) cannot exhaust memory.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$")


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
        self.problem = " ".join(str(problem).split())  # always a single line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {self.problem}")


def check_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "this format") -> int:
    """Check that a raw file exists, is not empty and not above `max_bytes`; return its size."""
    p = Path(path)
    if not p.is_file():
        raise RawDataError(path, "file does not exist")
    size = p.stat().st_size
    if size == 0:
        raise RawDataError(path, "file is empty (0 bytes)")
    if size > max_bytes:
        raise RawDataError(path, f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit for {what}")
    return size


def read_text(path: str | os.PathLike, encoding: str = "utf-8", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a whole text file after checking that it exists, is not empty and not too large."""
    check_file(path, max_bytes)
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


def parse_number(cell: str, path: str | os.PathLike, line: int, column: str) -> float:
    """Parse one numeric cell with a '.' decimal separator; reject decimal commas, text and NaN."""
    text = cell.strip().strip('"').strip()
    if text == "":
        raise RawDataError(path, f"empty cell in column '{column}'", line)
    if _DECIMAL_COMMA.match(text):
        raise RawDataError(
            path, f"decimal comma in column '{column}' ('{text}'): export with '.' as the decimal separator", line
        )
    try:
        value = float(text)
    except ValueError:
        raise RawDataError(path, f"non-numeric value '{text}' in column '{column}'", line) from None
    if not math.isfinite(value):
        raise RawDataError(path, f"{text} in column '{column}'", line)
    return value


def parse_rows(
    rows: Sequence[Sequence[str]], first_line: int, columns: Sequence[str], path: str | os.PathLike
) -> np.ndarray:
    """Parse a block of text rows into a float array, with a precise error for the first bad cell."""
    out = np.empty((len(rows), len(columns)))
    for i, row in enumerate(rows):
        line = first_line + i
        if len(row) < len(columns):
            raise RawDataError(path, f"row has {len(row)} fields, expected {len(columns)} (truncated file?)", line)
        for j, name in enumerate(columns):
            out[i, j] = parse_number(row[j], path, line, name)
    return out


def require_columns(
    found: Iterable[str], required: Iterable[str], path: str | os.PathLike, line: int | None = None, what: str = ""
) -> None:
    found = list(found)
    missing = [c for c in required if c not in found]
    if missing:
        raise RawDataError(path, f"missing {what + ' ' if what else ''}column(s) {missing}; found {found}", line)
