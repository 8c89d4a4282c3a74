"""BioLogic EC-Lab reader: ``.mpt`` (ASCII export) and ``.mpr`` (binary, via galvani).

Public API
----------
``read_mpt(path)``, ``read_mpr(path)``, ``read_eclab(path)`` (dispatch on the suffix) all return
an :class:`EclabData` with

* ``technique``: canonical short name (``GCPL``, ``MB``, ``PEIS``, ``GEIS``, ``CV``, ``CA``, ``CP``,
  ``OCV``, ``LSV``, ``CVA``, ``WAIT``, ``ZIR``, ``LOOP``, ``MP``, ``COV``, ``COC``);
* ``header``: the ``key : value`` lines of the .mpt header as strings, plus numbers parsed with the
  file's decimal separator under a snake_case key carrying the unit (``mass_of_active_material_mg``,
  ``characteristic_mass_g``, ``electrode_surface_area_cm2``, ``battery_capacity_Ah``, ...), and
  ``technique_name`` (the long name), ``nb_header_lines``, ``decimal_separator``;
* ``data``: a DataFrame with the canonical columns below (only those present in the file; nothing is
  ever derived or substituted), float64 or int64;
* ``source``: the path as given.

Canonical columns (EC-Lab name -> canonical name)
-------------------------------------------------
==============================  ========================  =====================================
EC-Lab column                   canonical                 note
==============================  ========================  =====================================
``time/s``                      ``time_s``                checked non-decreasing, >= 0
``Ewe/V`` or ``<Ewe>/V``        ``voltage_V``             instantaneous preferred; the other
                                                          one is kept as ``ewe_avg_V``
``I/mA`` or ``<I>/mA``          ``current_mA``            (``I/A``, ``I/µA`` scaled to mA);
                                                          ``control/V/mA`` is NEVER substituted
``mode``, ``ox/red``, ``Ns``    ``mode``, ``ox_red``,     int64 (.mpr: unpacked from the flag
                                ``ns``                    byte)
``half cycle``                  ``half_cycle``            int64
``cycle number``                ``cycle_number``          int64 (EC-Lab computes it on export;
                                                          usually absent from .mpr)
``dq/mA.h``                     ``dq_mAh``
``(Q-Qo)/mA.h``                 ``q_minus_q0_mAh``
``Q charge/discharge/mA.h``     ``charge_discharge_mAh``
``Q discharge/mA.h``            ``q_discharge_mAh``
``Q charge/mA.h``               ``q_charge_mAh``
``Capacity/mA.h``               ``capacity_mAh``
``Efficiency/%``                ``efficiency_pct``
``Energy charge/W.h``           ``energy_charge_Wh``
``Energy discharge/W.h``        ``energy_discharge_Wh``
``control/V/mA``                ``control_V_mA``          set-point, V or mA depending on mode
``control/mA``, ``control/V``   ``control_mA``,
                                ``control_V``
``x``                           ``x``
``freq/Hz``                     ``frequency_Hz``          checked > 0
``Re(Z)/Ohm``                   ``z_real_ohm``
``-Im(Z)/Ohm``                  ``z_imag_ohm``            NEGATED: the signed imaginary part,
                                                          negative for a capacitive response
``|Z|/Ohm``                     ``z_mod_ohm``
``Phase(Z)/deg``                ``phase_deg``
==============================  ========================  =====================================

Every other column is kept under a sanitised snake_case name with a unit suffix and its values
unchanged (no sign flips): the quantity is lower-cased, ``<X>`` becomes ``x_avg``, ``|X|`` becomes
``abs_x``, a leading ``-`` becomes ``minus_``, other punctuation becomes ``_``; the unit (text after
the first ``/``) is appended with ``µ`` -> ``u``, ``.`` removed, ``%`` -> ``pct``, ``Ohm`` ->
``ohm``, ``Ohm-1`` -> ``S``.  Examples: ``I Range`` -> ``i_range``, ``Cs/µF`` -> ``cs_uF``,
``|Ewe|/V`` -> ``abs_ewe_V``, ``<Ece>/V`` -> ``ece_avg_V``, ``-Im(Zce)/Ohm`` -> ``minus_im_zce_ohm``,
``Re(Y)/Ohm-1`` -> ``re_y_S``, ``P/W`` -> ``p_W``, ``(Q-Qo)/C`` -> ``q_qo_C``.

A file whose columns lack what its technique needs (see :data:`REQUIRED`) is an error; pass
``required=()`` to read such a file anyway (e.g. a GCPL .mpr recorded without ``I``).

Every problem raises :class:`~batrepro.readers._common.RawDataError` whose message is one line,
``<path>:<line>: <problem>``.

Speed: the .mpt data block is parsed by ``pandas.read_csv`` (C engine, in two threads for large
files); numbers are checked column-wise with numpy and the text is only re-read to locate and
describe a bad cell.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import mmap
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

from ._common import RawDataError, RawTable, check_file

logger = logging.getLogger(__name__)

__all__ = [
    "EclabData",
    "read_mpt",
    "read_mpr",
    "read_eclab",
    "canonical_name",
    "TECHNIQUES",
    "REQUIRED",
]

#: A .mpt larger than this is refused before it is read (a 1,000,000-row GCPL export is ~450 MB).
MPT_MAX_BYTES = 2 * 1024**3

#: Data blocks above this size are parsed in two threads (pandas' C parser releases the GIL).
_THREADED_PARSE_BYTES = 32 * 1024**2

# ------------------------------------------------------------------------------------------------
# technique names

#: Long technique name on line 4 of an .mpt -> canonical short name.
TECHNIQUES: dict[str, str] = {
    "Galvanostatic Cycling with Potential Limitation": "GCPL",
    "Modulo Bat": "MB",
    "Potentio Electrochemical Impedance Spectroscopy": "PEIS",
    "Galvano Electrochemical Impedance Spectroscopy": "GEIS",
    "Cyclic Voltammetry": "CV",
    "Cyclic Voltammetry Advanced": "CVA",
    "Chronoamperometry / Chronocoulometry": "CA",
    "Chronopotentiometry": "CP",
    "Open Circuit Voltage": "OCV",
    "Linear Sweep Voltammetry": "LSV",
    "Wait": "WAIT",
    "IR compensation (PEIS)": "ZIR",
    "Loop": "LOOP",
    "Constant Current": "COC",
    "Constant Voltage": "COV",
}

#: Technique byte at offset 0 of the .mpr settings module -> canonical short name
#: (IDs as documented by dgbowl/yadg ``extractors/eclab/techniques.py``).
MPR_TECHNIQUE_IDS: dict[int, str] = {
    0x04: "GCPL",
    0x06: "CV",
    0x0B: "OCV",
    0x16: "MP",
    0x18: "CA",
    0x19: "CP",
    0x1C: "WAIT",
    0x1D: "PEIS",
    0x1E: "GEIS",
    0x30: "CV",
    0x32: "ZIR",
    0x33: "CVA",
    0x6C: "LSV",
    0x75: "COV",
    0x76: "COC",
    0x77: "GCPL",
    0x7F: "MB",
}

_CYCLING = ("time_s", "voltage_V", "current_mA")
_EIS = ("frequency_Hz", "z_real_ohm", "z_imag_ohm")
#: Canonical columns a technique's data must contain (anything else is optional).
REQUIRED: dict[str, tuple[str, ...]] = {
    "GCPL": _CYCLING,
    "MB": _CYCLING,
    "CP": _CYCLING,
    "CA": _CYCLING,
    "CV": _CYCLING,
    "CVA": _CYCLING,
    "LSV": _CYCLING,
    "COC": _CYCLING,
    "COV": _CYCLING,
    "OCV": ("time_s", "voltage_V"),
    "WAIT": ("time_s",),
    "LOOP": ("time_s",),
    "MP": ("time_s",),
    "PEIS": _EIS,
    "GEIS": _EIS,
    "ZIR": ("time_s",),
}

# ------------------------------------------------------------------------------------------------
# column names

# EC-Lab name -> (canonical name, scale factor). Entries earlier in a group win when a file has
# both (instantaneous Ewe/I over the averaged <Ewe>/<I>).
_COLUMN_MAP: dict[str, tuple[str, float]] = {
    "time/s": ("time_s", 1.0),
    "Ewe/V": ("voltage_V", 1.0),
    "<Ewe>/V": ("voltage_V", 1.0),
    "I/mA": ("current_mA", 1.0),
    "<I>/mA": ("current_mA", 1.0),
    "I/A": ("current_mA", 1e3),
    "<I>/A": ("current_mA", 1e3),
    "I/µA": ("current_mA", 1e-3),
    "<I>/µA": ("current_mA", 1e-3),
    "mode": ("mode", 1.0),
    "ox/red": ("ox_red", 1.0),
    "Ns": ("ns", 1.0),
    "half cycle": ("half_cycle", 1.0),
    "cycle number": ("cycle_number", 1.0),
    "dq/mA.h": ("dq_mAh", 1.0),
    "(Q-Qo)/mA.h": ("q_minus_q0_mAh", 1.0),
    "Q charge/discharge/mA.h": ("charge_discharge_mAh", 1.0),
    "Q discharge/mA.h": ("q_discharge_mAh", 1.0),
    "Q charge/mA.h": ("q_charge_mAh", 1.0),
    "Capacity/mA.h": ("capacity_mAh", 1.0),
    "Efficiency/%": ("efficiency_pct", 1.0),
    "Energy charge/W.h": ("energy_charge_Wh", 1.0),
    "Energy discharge/W.h": ("energy_discharge_Wh", 1.0),
    "control/V/mA": ("control_V_mA", 1.0),
    "control/mA": ("control_mA", 1.0),
    "control/V": ("control_V", 1.0),
    "x": ("x", 1.0),
    "freq/Hz": ("frequency_Hz", 1.0),
    "Re(Z)/Ohm": ("z_real_ohm", 1.0),
    "-Im(Z)/Ohm": ("z_imag_ohm", -1.0),
    "|Z|/Ohm": ("z_mod_ohm", 1.0),
    "Phase(Z)/deg": ("phase_deg", 1.0),
}
_PRIORITY = {name: i for i, name in enumerate(_COLUMN_MAP)}

#: Canonical columns stored as int64 (must hold whole numbers).
_INT_COLUMNS = frozenset({"mode", "ox_red", "ns", "half_cycle", "cycle_number"})
#: Canonical columns always stored as float64 (even when the file prints whole numbers).
_FLOAT_COLUMNS = frozenset(c for c, _ in _COLUMN_MAP.values()) - _INT_COLUMNS

_UNIT_MAP = {"µF": "uF", "µA": "uA", "µC": "uC", "µW": "uW", "µS": "uS", "%": "pct", "Ohm": "ohm",
             "Ohm-1": "S", "Ohm.cm": "ohm_cm", "mA.h": "mAh", "A.h": "Ah", "W.h": "Wh", "°C": "C"}


def _sanitise(name: str) -> str:
    """Snake_case name with unit suffix for an EC-Lab column that has no canonical name."""
    qty, _, unit = name.partition("/")
    q = qty.strip()
    q = re.sub(r"<([^>]*)>", r"\1 avg", q)
    q = re.sub(r"\|([^|]*)\|", r"abs \1", q)
    q = re.sub(r"^-", "minus ", q)
    q = re.sub(r"[^0-9A-Za-z]+", "_", q).strip("_").lower() or "column"
    if not unit:
        return q
    u = _UNIT_MAP.get(unit.strip(), unit.strip())
    u = u.replace("µ", "u").replace("²", "2").replace("³", "3").replace(".", "")
    u = re.sub(r"[^0-9A-Za-z]+", "_", u).strip("_")
    return f"{q}_{u}" if u else q


def canonical_name(name: str) -> str:
    """Canonical (or sanitised) name for one EC-Lab column name, ignoring conflicts."""
    return _COLUMN_MAP[name][0] if name in _COLUMN_MAP else _sanitise(name)


def _map_columns(names: list[str]) -> list[tuple[str, float]]:
    """(output name, scale) per input column; duplicates get the sanitised name or a suffix."""
    winner: dict[str, str] = {}
    for n in names:
        if n in _COLUMN_MAP:
            canon = _COLUMN_MAP[n][0]
            if canon not in winner or _PRIORITY[n] < _PRIORITY[winner[canon]]:
                winner[canon] = n
    out: list[tuple[str, float]] = []
    used: set[str] = set()
    for n in names:
        if n in _COLUMN_MAP and winner[_COLUMN_MAP[n][0]] == n:
            canon, scale = _COLUMN_MAP[n]
        else:
            canon, scale = _sanitise(n), 1.0
        base, k = canon, 2
        while canon in used or (canon != _COLUMN_MAP.get(n, ("",))[0] and canon in winner):
            canon, k = f"{base}_{k}", k + 1
        used.add(canon)
        out.append((canon, scale))
    return out


# ------------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True, eq=False)
class EclabData:
    """One EC-Lab (or generic CSV) file: canonical technique, header, tidy data, source path."""

    technique: str
    header: dict = field(repr=False)
    data: pd.DataFrame = field(repr=False)
    source: str

    def __repr__(self) -> str:  # pragma: no cover - convenience
        return f"EclabData(technique={self.technique!r}, rows={len(self.data)}, columns={list(self.data.columns)}, source={self.source!r})"


# ------------------------------------------------------------------------------------------------
# .mpt

_HEADER_NUMBER = {
    ".": re.compile(r"^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?:\s+(\S+))?$"),
    ",": re.compile(r"^([+-]?\d+(?:,\d+)?(?:[eE][+-]?\d+)?)(?:\s+(\S+))?$"),
}
_LOCALE_NUMBER = {
    ".": re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$"),
    ",": re.compile(r"^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$"),
}
_NAN_TEXT = {"nan", "-nan", "+nan", "na", "n/a", "#n/a", "null", "none", "<na>", "-1.#ind", "1.#qnan", "#na"}
_MAX_HEADER_LINES = 5000


def _is_column_line(line: str) -> bool:
    fields = [f.strip() for f in line.rstrip("\r\n").split("\t") if f.strip()]
    return len(fields) >= 2 and any(f in _COLUMN_MAP or "/" in f for f in fields)


def _header_numbers(lines: list[str], decimal: str) -> dict[str, float]:
    out: dict[str, float] = {}
    pat = _HEADER_NUMBER[decimal]
    for line in lines:
        key, sep, value = line.partition(" : ")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            continue
        m = pat.match(value)
        if not m:
            continue
        num = float(m.group(1).replace(",", "."))
        name = _sanitise(key) if m.group(2) is None else f"{_sanitise(key)}_{_sanitise('x/' + m.group(2))[2:]}"
        name = name.replace("_g_mol", "_g_per_mol").replace("_g_eq", "_g_per_eq")
        out.setdefault(name, num)
    return out


def _detect_decimal(sample: bytes) -> str | None:
    """'.' or ',' from the first numbers with a fractional part in the data block sample."""
    m = re.search(rb"\d([.,])\d", sample)
    return None if m is None else m.group(1).decode()


class _MMapSlice(io.RawIOBase):
    """Read-only file-like view of ``mm[start:stop]`` (no copy of the whole block)."""

    def __init__(self, mm, start: int, stop: int):
        self._mm, self._pos, self._stop = mm, start, stop

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), self._stop - self._pos)
        if n <= 0:
            return 0
        b[:n] = self._mm[self._pos:self._pos + n]
        self._pos += n
        return n


def _read_block(source, decimal: str, sep: str):
    return pd.read_csv(
        source, sep=sep, header=None, decimal=decimal, engine="c", skip_blank_lines=False,
        quoting=csv.QUOTE_NONE, encoding="utf-8", encoding_errors="replace", index_col=False,
        na_filter=False,  # ~20 % faster; empty and NaN cells are caught by the checks below
    )


_PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parse_block(path, mm, start: int, stop: int, names: list[str], decimal: str, first_line: int,
                 sep: str = "\t") -> pd.DataFrame:
    """Parse ``mm[start:stop]`` (the data lines) into a DataFrame with positional columns.

    Row ``i`` of the result is line ``first_line + i`` of the file (blank lines are kept as rows
    of empty cells so that the mapping holds; they are reported by ``_validate_numeric``).
    """
    size = stop - start
    cuts = [start, stop]
    if size > _THREADED_PARSE_BYTES:
        mid = mm.find(b"\n", start + size // 2, stop)
        if 0 <= mid < stop - 1:
            cuts = [start, mid + 1, stop]
    chunks = list(zip(cuts[:-1], cuts[1:]))

    def parse(i):
        a, b = chunks[i]
        try:
            return _read_block(io.BufferedReader(_MMapSlice(mm, a, b), 1 << 20), decimal, sep)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        except pd.errors.ParserError as err:
            m = _PARSER_LINE.search(str(err))
            if m is None:
                raise RawDataError(path, f"cannot parse the data block: {err}", first_line) from None
            offset = mm[start:a].count(b"\n")
            line = first_line + offset + int(m.group(2)) - 1
            raise RawDataError(path, f"row has {m.group(3)} fields, expected {len(names)}", line) from None

    if len(chunks) == 1:
        parts = [parse(0)]
    else:
        with ThreadPoolExecutor(len(chunks)) as ex:
            parts = list(ex.map(parse, range(len(chunks))))
        # the first line of a later chunk decides its own field count: make them agree
        widths = {p.shape[1] for p in parts}
        if len(widths) > 1:
            w = min(widths)
            k = next(i for i, p in enumerate(parts) if p.shape[1] != w)
            line = first_line + mm[start:chunks[k][0]].count(b"\n")
            raise RawDataError(path, f"row has {parts[k].shape[1]} fields, expected {len(names)}", line)
        parts = [p for p in parts if p.shape[1]]
    if not parts or not any(len(p) for p in parts):
        raise RawDataError(path, "no data rows after the header", first_line)
    df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    # A trailing tab on every row gives an extra all-empty column.
    n = len(names)
    if df.shape[1] == n + 1:
        last = df.iloc[:, n]
        if last.isna().all() or (last.dtype.kind not in "biuf" and last.eq("").all()):
            df = df.iloc[:, :n]
    if df.shape[1] > n:
        raise RawDataError(path, f"row has {df.shape[1]} fields, expected {n}", first_line)
    if df.shape[1] < n:
        raise RawDataError(path, f"row has {df.shape[1]} fields, expected {n} (columns {names})", first_line)
    return df


def _line_text(mm, start: int, index: int) -> str | None:
    """Text of the ``index``-th line (0-based) of the block starting at byte ``start``."""
    pos = start
    for _ in range(index):
        nxt = mm.find(b"\n", pos)
        if nxt < 0:
            return None
        pos = nxt + 1
    end = mm.find(b"\n", pos)
    raw = mm[pos:] if end < 0 else mm[pos:end]
    return raw.decode("latin-1").rstrip("\r")


def _describe_bad_cell(path, text: str | None, names: list[str], col: int, decimal: str, line: int,
                       is_last: bool, sep: str = "\t") -> RawDataError:
    if text is None or text.strip() == "":
        return RawDataError(path, "empty line in the data block", line)
    fields = text.split(sep)
    if len(fields) < len(names):
        what = "truncated file: last row" if is_last else "truncated row"
        return RawDataError(path, f"{what} has {len(fields)} of {len(names)} fields (column '{names[len(fields)]}' onwards missing)", line)
    cell = fields[col].strip()
    name = names[col]
    other = "," if decimal == "." else "."
    if cell == "":
        return RawDataError(path, f"empty cell in column '{name}'", line)
    if cell.lower() in _NAN_TEXT:
        return RawDataError(path, f"NaN ('{cell}') in column '{name}'", line)
    if _LOCALE_NUMBER[other].match(cell):
        return RawDataError(path, f"decimal separator changes inside the file: '{cell}' in column '{name}' uses '{other}' but the data block started with '{decimal}' (locale change)", line)
    if cell.lower().lstrip("+-") in {"inf", "infinity", "1.#inf"}:
        return RawDataError(path, f"infinite value '{cell}' in column '{name}'", line)
    return RawDataError(path, f"non-numeric value '{cell}' in column '{name}'", line)


def _validate_numeric(path, df: pd.DataFrame, names: list[str], mm, start: int, decimal: str,
                      first_line: int, sep: str = "\t") -> list[np.ndarray]:
    """Return one numeric array per column; raise on the first non-numeric / NaN / inf cell."""
    arrays: list[np.ndarray] = []
    first_bad: tuple[int, int] | None = None  # (row, column)
    nrows = len(df)
    for j in range(df.shape[1]):
        col = df.iloc[:, j]
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
            a = col.to_numpy()
            if a.dtype.kind == "f":
                ok = np.isfinite(a)
                if not ok.all():
                    i = int(np.argmin(ok))
                    if first_bad is None or (i, j) < first_bad:
                        first_bad = (i, j)
            arrays.append(a)
            continue
        # a text (or all-empty) column: find the first cell that is not a number in this locale
        vals = col.to_numpy(dtype=object)
        conv = np.empty(nrows, dtype=np.float64)
        bad_i = None
        for i, v in enumerate(vals):
            try:
                if isinstance(v, str):
                    s = v.strip()
                    if decimal == "," and "." in s:
                        raise ValueError
                    conv[i] = float(s.replace(",", ".") if decimal == "," else s)
                else:
                    conv[i] = float(v)
                if not np.isfinite(conv[i]):
                    raise ValueError
            except (TypeError, ValueError):
                bad_i = i
                break
        if bad_i is None:  # pragma: no cover - pandas would have parsed it
            arrays.append(conv)
            continue
        if first_bad is None or (bad_i, j) < first_bad:
            first_bad = (bad_i, j)
        arrays.append(conv)
    if first_bad is not None:
        i, j = first_bad
        text = _line_text(mm, start, i)
        raise _describe_bad_cell(path, text, names, j, decimal, first_line + i, i == nrows - 1, sep)
    return arrays


@functools.lru_cache(maxsize=256)
def _layout(names: tuple[str, ...], kinds: str, mapping: tuple[tuple[str, float], ...] | None):
    """Output names, and (column, scale) positions of the float and the int block; cached per layout."""
    if mapping is None:
        mapping = tuple(_map_columns(list(names)))
    canon = [c for c, _ in mapping]
    is_int = [c in _INT_COLUMNS or (k in "iub" and c not in _FLOAT_COLUMNS) for (c, _), k in zip(mapping, kinds)]
    f_pos = np.array([j for j, x in enumerate(is_int) if not x], dtype=np.intp)
    i_pos = np.array([j for j, x in enumerate(is_int) if x], dtype=np.intp)
    f_fill = tuple((k, int(j), mapping[j][1]) for k, j in enumerate(f_pos))
    i_fill = tuple((k, int(j)) for k, j in enumerate(i_pos))
    phys = tuple((name, k) for k, j in enumerate(f_pos) for name in (canon[j],)
                 if name in ("time_s", "frequency_Hz", "voltage_V"))
    return pd.Index(canon), canon, f_pos, i_pos, f_fill, i_fill, phys


def _finish(path, technique: str, header: dict, names: list[str], arrays: list[np.ndarray],
            first_line: int | None, required, mapping: list[tuple[str, float]] | None = None) -> EclabData:
    """Map to canonical names, convert dtypes, check physics and requirements.

    The table is assembled as two consolidated blocks (float64, int64) with
    ``pandas.api.internals.create_dataframe_from_blocks``: one copy per column, no inference.
    """
    kinds = "".join(a.dtype.kind for a in arrays)
    columns, canon, f_pos, i_pos, f_fill, i_fill, phys = _layout(
        tuple(names), kinds, None if mapping is None else tuple(mapping))
    n = len(arrays[0]) if arrays else 0

    def where(i):
        return None if first_line is None else first_line + int(i)

    fblock = np.empty((len(f_pos), n), dtype=np.float64)
    for k, j, scale in f_fill:
        if scale == 1.0:
            fblock[k] = arrays[j]
        else:
            np.multiply(arrays[j], scale, out=fblock[k])
    iblock = np.empty((len(i_pos), n), dtype=np.int64)
    for k, j in i_fill:
        a = arrays[j]
        iblock[k] = a
        if a.dtype.kind == "f":
            _check_whole(path, names[j], iblock[k], a, where)
    if n:
        _check_physics(path, {name: fblock[k] for name, k in phys}, where)
    _check_required(path, technique, names, canon, required, None if first_line is None else first_line - 1)
    blocks = [(blk, pos) for blk, pos in ((fblock, f_pos), (iblock, i_pos)) if len(pos)]
    data = create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=columns)
    return EclabData(technique=technique, header=header, data=data, source=str(path))


def _check_whole(path, name: str, ints: np.ndarray, floats: np.ndarray, where) -> None:
    """Raise unless the float column ``floats`` survived its conversion to ``ints`` unchanged."""
    if not (ints == floats).all():
        i = int(np.argmax(ints != floats))
        raise RawDataError(path, f"column '{name}' must hold whole numbers, found {floats[i]!r}", where(i))


def _check_required(path, technique: str, names: list[str], canon: list[str], required, line) -> None:
    """Raise when a column the technique's analysis needs is absent (``required=()`` skips it)."""
    need = REQUIRED.get(technique, ()) if required is None else tuple(required)
    missing = [c for c in need if c not in canon]
    if missing:
        hint = ""
        if "current_mA" in missing and "control_V_mA" in canon:
            hint = "; 'control/V/mA' is the set-point, not the measured current, and is not substituted"
        raise RawDataError(
            path,
            f"{technique} data lacks required column(s) {missing} (file columns {names}){hint}; "
            f"pass required=() to read it anyway",
            line,
        )


def _check_physics(path, cols: dict[str, np.ndarray], where) -> None:
    """Range checks on the float columns (the BEEP habit): time, frequency, potential.

    The good path costs one comparison or two reductions per column; the offending row is
    searched for only when a check fails.
    """
    t = cols.get("time_s")
    if t is not None:
        back = t[1:] < t[:-1]
        if back.any():
            i = int(np.argmax(back)) + 1
            raise RawDataError(path, f"time/s is not monotonic (non-decreasing): {t[i - 1]:.10g} then {t[i]:.10g}", where(i))
        if t[0] < 0:
            raise RawDataError(path, f"negative time {t[0]:g} s", where(0))
    f = cols.get("frequency_Hz")
    if f is not None and not f.min() > 0:
        i = int(np.argmin(f > 0))
        raise RawDataError(path, f"non-positive frequency {f[i]:g} Hz", where(i))
    v = cols.get("voltage_V")
    if v is not None and not (v.max() <= 100 and v.min() >= -100):
        i = int(np.argmin(np.abs(v) <= 100))
        raise RawDataError(path, f"impossible working-electrode potential {v[i]:g} V (|E| > 100 V)", where(i))


def read_mpt(path: str | os.PathLike, *, encoding: str = "cp1252", max_bytes: int = MPT_MAX_BYTES,
             technique: str | None = None, required=None) -> EclabData:
    """Read an EC-Lab ASCII export (.mpt).

    Parameters
    ----------
    path : the .mpt file.
    encoding : text encoding of the header (EC-Lab writes Windows-1252). A file that is valid
        UTF-8 with non-ASCII characters is rejected when ``cp1252`` is asked (it was re-saved by
        another program and ``µ``/``²`` would be mis-read).
    max_bytes : refuse larger files before reading them.
    technique : canonical technique for an export written without header (first line = column
        names); ignored otherwise.
    required : canonical columns that must be present; default :data:`REQUIRED` of the technique.
    """
    check_file(path, max_bytes, ".mpt files")
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return _read_mpt_mm(path, mm, encoding, technique, required)


def _decode(path, raw: bytes, encoding: str, line: int) -> str:
    if b"\x00" in raw:
        raise RawDataError(path, "NUL byte: this is a binary file, not an EC-Lab ASCII export", line)
    if encoding.lower().replace("-", "") in {"cp1252", "windows1252", "latin1", "iso88591"} and not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise RawDataError(path, f"header is UTF-8 encoded, but EC-Lab exports are {encoding} (the file was re-saved); pass encoding='utf-8'", line)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise RawDataError(path, f"not valid {encoding} text (byte 0x{raw[err.start]:02x})", line) from None


def _read_mpt_mm(path, mm, encoding: str, technique_arg, required) -> EclabData:
    # --- header -------------------------------------------------------------------------------
    lines: list[str] = []
    ends: list[int] = []  # byte offset just after each line
    pos = 0
    n_total = len(mm)

    def next_line() -> bool:
        nonlocal pos
        if pos >= n_total:
            return False
        end = mm.find(b"\n", pos)
        stop = n_total if end < 0 else end + 1
        lines.append(_decode(path, mm[pos:stop], encoding, len(lines) + 1).rstrip("\r\n"))
        ends.append(stop)
        pos = stop
        return True

    next_line()
    first = lines[0].strip()
    if first != "EC-Lab ASCII FILE":
        if _is_column_line(lines[0]) and technique_arg is not None:
            if technique_arg not in REQUIRED:
                raise RawDataError(path, f"unknown technique {technique_arg!r}; known: {sorted(REQUIRED)}", 1)
            n_header, technique, tech_name, header_lines = 1, technique_arg, "", []
            header: dict = {"nb_header_lines": 1.0}
        elif _is_column_line(lines[0]):
            raise RawDataError(path, "export without header (line 1 is the column line): the technique is unknown; pass technique=...", 1)
        else:
            raise RawDataError(path, f"not an EC-Lab ASCII export: line 1 is {first[:40]!r}, expected 'EC-Lab ASCII FILE'", 1)
    else:
        if not next_line():
            raise RawDataError(path, "file ends after line 1 (no 'Nb header lines' line)", 1)
        m = re.match(r"^\s*Nb header lines\s*:\s*(\d+)\s*$", lines[1])
        if not m:
            raise RawDataError(path, f"expected 'Nb header lines : N', found {lines[1].strip()[:60]!r}", 2)
        n_header = int(m.group(1))
        if not 3 <= n_header <= _MAX_HEADER_LINES:
            raise RawDataError(path, f"implausible 'Nb header lines : {n_header}'", 2)
        while len(lines) < n_header and next_line():
            pass
        if len(lines) < n_header:
            raise RawDataError(path, f"file ends at line {len(lines)}, inside the header ('Nb header lines : {n_header}')", len(lines))
        # validate N: the column-name line must be line N
        found = next((i + 1 for i in range(2, len(lines)) if _is_column_line(lines[i])), None)
        if found is None:
            while len(lines) < n_header + 200 and next_line():
                if _is_column_line(lines[-1]):
                    found = len(lines)
                    break
        if found != n_header:
            where = f"found it at line {found}" if found else "found no column-name line"
            raise RawDataError(path, f"header line count mismatch: 'Nb header lines : {n_header}' puts the column names on line {n_header}, {where} (expected {n_header}, found {found})", 2)
        tech_name = lines[3].strip() if n_header > 4 else ""
        if tech_name not in TECHNIQUES:
            raise RawDataError(path, f"unknown technique {tech_name!r} on line 4; known: {sorted(TECHNIQUES)}", 4)
        technique = TECHNIQUES[tech_name]
        header_lines = lines[4:n_header - 1]
        header = {}
        for line in header_lines:
            key, sep, value = line.partition(" : ")
            if sep and key.strip():
                header.setdefault(key.strip(), value.strip())
        header["technique_name"] = tech_name
        header["nb_header_lines"] = float(n_header)
    col_line = lines[n_header - 1]
    names = col_line.split("\t")
    while names and names[-1].strip() == "":
        names.pop()
    names = [n.strip() for n in names]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise RawDataError(path, f"duplicate column name(s) {dup}", n_header)
    start = ends[n_header - 1]
    if start >= n_total or not mm[start:start + 4096].strip() and not mm[start:n_total].strip():
        raise RawDataError(path, "no data rows after the header", n_header + 1)
    # --- locale -------------------------------------------------------------------------------
    first_line_end = mm.find(b"\n", start)
    first_row = mm[start:first_line_end if first_line_end >= 0 else n_total]
    decimal = _detect_decimal(first_row) or _detect_decimal(mm[start:start + (1 << 20)])
    if decimal is None:  # integers only in the data: fall back on the header's numbers
        hdr = "\n".join(header_lines)
        decimal = "," if re.search(r"\d,\d", hdr) and not re.search(r"\d\.\d", hdr) else "."
    header["decimal_separator"] = decimal
    header.update(_header_numbers(header_lines, decimal))
    # --- data ---------------------------------------------------------------------------------
    first_line = n_header + 1
    df = _parse_block(path, mm, start, n_total, names, decimal, first_line)
    arrays = _validate_numeric(path, df, names, mm, start, decimal, first_line)
    del df
    return _finish(path, technique, header, names, arrays, first_line, required)


# ------------------------------------------------------------------------------------------------
# .mpr


class _MprPlan(NamedTuple):
    """How one .mpr record layout becomes the float64 and int64 blocks of the table."""

    columns: pd.Index            # output column names, in file order
    names: list[str]             # the file's names (flags unpacked), for messages
    canon: list[str]             # canonical names, in file order
    f_pos: np.ndarray            # column positions of the float block rows
    i_pos: np.ndarray            # column positions of the int block rows
    f_runs: tuple                # (first row, end row, byte offset, dtype): float rows whose
                                 # fields sit side by side in the record, copied in one call
    f_scaled: tuple              # (float row, scale) for the rows that are rescaled after the copy
    i_src: tuple                 # (int row, record field, field kind) per non-flag int row
    flag_rows: slice | None      # int rows that take the unpacked flag byte (consecutive)
    masks: np.ndarray            # (n_flags, 1) uint8 bit masks, in flag_rows order
    shifts: np.ndarray           # (n_flags, 1) right shifts that bring each flag to bit 0
    phys: dict                   # canonical name -> float row, for the range checks


_MPR_PLANS: dict[tuple, _MprPlan] = {}
#: Rows filled per pass: all columns of one chunk are written while its records sit in cache.
_MPR_CHUNK = 65536


def _mpr_plan(key: tuple, dtype: np.dtype, flags: dict) -> _MprPlan:
    """The plan for one record layout, built once. ``key`` identifies the layout cheaply (the
    data module's column ids: galvani derives both the dtype and the flags from them); hashing a
    fresh structured dtype costs more than the rest of the lookup."""
    plan = _MPR_PLANS.get(key)
    if plan is not None:
        return plan
    names: list[str] = []
    kinds = ""
    src: list[str | None] = []  # the record field behind each column; None for a flag
    for name in dtype.names:
        if name == "flags":
            names.extend(flags)
            kinds += "u" * len(flags)
            src.extend([None] * len(flags))
        else:
            names.append(name)
            kinds += dtype[name].kind
            src.append(name)
    columns, canon, f_pos, i_pos, f_fill, i_fill, phys = _layout(tuple(names), kinds, None)
    if any(src[j] is None for _, j, _ in f_fill):  # pragma: no cover - no flag has a float name
        raise AssertionError(f"an EC-Lab flag maps to a float column: {names}")
    rows = [k for k, j in i_fill if src[j] is None]
    if rows and rows != list(range(rows[0], rows[0] + len(rows))):  # pragma: no cover
        raise AssertionError(f"EC-Lab flags are not consecutive: {names}")
    masks = np.array([int(flags[names[j]][0]) for _, j in i_fill if src[j] is None], dtype=np.uint8)
    runs: list[list] = []  # [first row, end row, byte offset, dtype]
    for k, j, _ in f_fill:
        dt, off = dtype.fields[src[j]][:2]
        last = runs[-1] if runs else None
        if last and last[1] == k and last[3] == dt and last[2] + (k - last[0]) * dt.itemsize == off:
            last[1] = k + 1
        else:
            runs.append([k, k + 1, off, dt])
    plan = _MprPlan(
        columns=columns, names=names, canon=canon, f_pos=f_pos, i_pos=i_pos,
        f_runs=tuple(runs),
        f_scaled=tuple((k, scale) for k, _, scale in f_fill if scale != 1.0),
        i_src=tuple((k, src[j], dtype[src[j]].kind) for k, j in i_fill if src[j] is not None),
        flag_rows=slice(rows[0], rows[-1] + 1) if rows else None,
        masks=masks[:, None],
        shifts=np.array([(int(m) & -int(m)).bit_length() - 1 for m in masks], dtype=np.uint8)[:, None],
        phys=dict(phys),
    )
    _MPR_PLANS[key] = plan
    return plan


def _mpr_table(path, technique: str, header: dict, rec: np.ndarray, flags: dict, required,
               key: tuple) -> EclabData:
    """The .mpr path of :func:`_finish`: both blocks filled straight from galvani's record array.

    Same table, checks and messages as the .mpt path, with less work per column: fields that
    sit side by side in the record with one dtype are copied as one strided 2-D view, the flag
    byte is unpacked once for all flags, and the record array is walked once, in chunks of
    :data:`_MPR_CHUNK` rows, instead of once per column (a 1,000,000-row GCPL record array is
    53 MB; per-column copies would read it from memory 16 times).
    """
    plan = _mpr_plan(key, rec.dtype, flags)
    n = len(rec)
    fblock = np.empty((len(plan.f_pos), n), dtype=np.float64)
    iblock = np.empty((len(plan.i_pos), n), dtype=np.int64)
    fr = plan.flag_rows
    whole = n <= _MPR_CHUNK
    size = rec.dtype.itemsize
    rec = np.ascontiguousarray(rec)  # the runs address the record bytes directly
    for i0 in range(0, n, _MPR_CHUNK):
        sl = slice(None) if whole else slice(i0, i0 + _MPR_CHUNK)
        for k0, k1, off, dt in plan.f_runs:
            run = np.ndarray((k1 - k0, n), dtype=dt, buffer=rec, offset=off, strides=(dt.itemsize, size))
            fblock[k0:k1, sl] = run[:, sl]
        for k, name, _ in plan.i_src:
            iblock[k, sl] = rec[name][sl]
        if fr is not None:  # unpacked as uint8 from a contiguous copy, then widened (fastest)
            flags_u8 = np.ascontiguousarray(rec["flags"][sl])
            iblock[fr, sl] = (flags_u8 & plan.masks) >> plan.shifts
    for k, scale in plan.f_scaled:
        fblock[k] *= scale
    # NaN and +-inf propagate into a sum, so a finite sum proves every value finite; a sum that
    # overflows from finite values only sends us to the exact search, which then finds nothing
    if n and not np.isfinite(fblock.sum()):
        bad = np.argwhere(~np.isfinite(fblock))
        if len(bad):
            k, i = bad[0]
            name = plan.names[plan.f_pos[k]]
            raise RawDataError(path, f"non-finite value {fblock[k, i]} in column '{name}' at record {i}")
    for k, name, kind in plan.i_src:
        if kind == "f":
            _check_whole(path, name, iblock[k], rec[name], lambda i: None)
    if n:
        _check_physics(path, {name: fblock[k] for name, k in plan.phys.items()}, lambda i: None)
    _check_required(path, technique, plan.names, plan.canon, required, None)
    blocks = [(blk, pos) for blk, pos in ((fblock, plan.f_pos), (iblock, plan.i_pos)) if len(pos)]
    data = create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=plan.columns)
    return EclabData(technique=technique, header=header, data=data, source=str(path))


def read_mpr(path: str | os.PathLike, *, required=None) -> EclabData:
    """Read an EC-Lab binary file (.mpr) with galvani and map its columns to canonical names.

    The flag byte is unpacked into ``mode``/``ox_red`` (and ``error``, ``control_changes``,
    ``ns_changes``, ``counter_inc``). ``cycle_number`` is usually absent (EC-Lab computes it on
    export). The header holds ``technique_id``, ``start_date``/``end_date``/``timestamp`` (ISO
    strings) and ``loop_index`` where present; the .mpr settings module's cell characteristics are
    not decoded (take the active mass from the sample sheet).
    """
    from galvani import BioLogic  # imported here: .mpt users do not pay for it

    try:
        fh = open(path, "rb")
    except OSError as err:
        raise RawDataError(path, f"file does not exist or cannot be opened ({err.strerror})") from None
    try:
        with fh:
            if os.fstat(fh.fileno()).st_size == 0:
                raise RawDataError(path, "file is empty (0 bytes)")
            mpr = BioLogic.MPRfile(fh)
    except RawDataError:
        raise
    except Exception as err:  # galvani raises ValueError, AssertionError, NotImplementedError, ...
        raise RawDataError(path, f"not a readable EC-Lab .mpr file (galvani: {type(err).__name__}: {err})") from None
    settings = next(m for m in mpr.modules if m["shortname"].strip() == b"VMP Set")
    tid = int(settings["data"][0])
    if tid not in MPR_TECHNIQUE_IDS:
        raise RawDataError(path, f"unknown technique id 0x{tid:02x} in the settings module; known: {sorted(hex(k) for k in MPR_TECHNIQUE_IDS)}")
    technique = MPR_TECHNIQUE_IDS[tid]
    header = {"technique_id": f"0x{tid:02x}", "start_date": str(mpr.startdate)}
    if getattr(mpr, "enddate", None) is not None:
        header["end_date"] = str(mpr.enddate)
    if getattr(mpr, "timestamp", None) is not None:
        header["timestamp"] = mpr.timestamp.isoformat()
    if mpr.loop_index is not None:
        header["loop_index"] = mpr.loop_index.tolist()
    key = (mpr.version, mpr.cols.tobytes())  # the column ids fix the record layout
    return _mpr_table(path, technique, header, mpr.data, mpr.flags_dict, required, key)


def read_eclab(path: str | os.PathLike, **kwargs) -> EclabData:
    """Read a .mpt or .mpr file, dispatching on the suffix (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".mpt":
        return read_mpt(path, **kwargs)
    if suffix == ".mpr":
        return read_mpr(path, **kwargs)
    raise RawDataError(path, f"unknown EC-Lab file suffix {suffix!r}: expected .mpt or .mpr")


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"eclab_mpt": "read_eclab_raw", "eclab_mpr": "read_eclab_raw"}


def read_eclab_raw(path: str | os.PathLike, **kwargs) -> RawTable:
    """:func:`read_eclab` as a :class:`RawTable` (the format registry's entry point)."""
    record = read_eclab(path, **kwargs)
    return RawTable(record.data, record.technique, record.header, str(path))
