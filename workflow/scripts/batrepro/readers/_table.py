"""The shared table machinery of the text readers: block parse, numeric validation, finish, range checks.

A public API inside :mod:`batrepro.readers` (the EC-Lab ``.mpt``/``.mpr`` and the generic CSV readers use it):

:func:`parse_block`
    parse the data lines ``mm[start:stop]`` of a memory-mapped file with ``pandas.read_csv`` (C engine, two
    threads above :data:`THREADED_PARSE_BYTES`); row ``i`` is line ``first_line + i``.
:func:`validate_numeric`
    one numeric array per column; the first bad cell (empty, NaN, text, other decimal separator, inf) is
    located in the text and described in a one-line :class:`RawDataError`.
:func:`finish`
    map to canonical names, convert dtypes (the canonical column table :mod:`batrepro.vocab.columns` says
    which are int64), range-check the columns the instrument checks, require the technique's columns, and
    assemble the :class:`RawTable` as two consolidated blocks (float64, int64).
:func:`layout`, :func:`check_whole`, :func:`check_required`
    the pieces of :func:`finish` that the ``.mpr`` path reuses.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

from ..vocab import columns as vcolumns
from ._common import RawDataError, RawTable, quote, quote_names

__all__ = [
    "THREADED_PARSE_BYTES",
    "parse_block",
    "validate_numeric",
    "layout",
    "finish",
    "check_whole",
    "check_required",
]

#: Data blocks above this size are parsed in two threads (pandas' C parser releases the GIL).
THREADED_PARSE_BYTES = 32 * 1024**2

_LOCALE_NUMBER = {
    ".": re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$"),
    ",": re.compile(r"^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$"),
}
_NAN_TEXT = {"nan", "-nan", "+nan", "na", "n/a", "#n/a", "null", "none", "<na>", "-1.#ind", "1.#qnan", "#na"}


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
        b[:n] = self._mm[self._pos : self._pos + n]
        self._pos += n
        return n


def _read_block(source, decimal: str, sep: str, quoting: int = csv.QUOTE_NONE):
    return pd.read_csv(
        source,
        sep=sep,
        header=None,
        decimal=decimal,
        engine="c",
        skip_blank_lines=False,
        quoting=quoting,
        encoding="utf-8",
        encoding_errors="replace",
        index_col=False,
        # empty cells (a blank line, a short row) and NaN text become NaN, so those columns stay numeric and the
        # first bad cell is found by numpy: the error path costs what the parse costs. (With pandas 3.1 this is
        # no slower than na_filter=False: 0.25 vs 0.34 s CPU on a 50 MB CSV, 0.15 vs 0.15 s on a 50 MB .mpt.)
        na_filter=True,
    )


_PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def parse_block(
    path,
    mm,
    start: int,
    stop: int,
    names: list[str],
    decimal: str,
    first_line: int,
    sep: str = "\t",
    quoting: int = csv.QUOTE_NONE,
) -> pd.DataFrame:
    """Parse ``mm[start:stop]`` (the data lines) into a DataFrame with positional columns.

    Row ``i`` of the result is line ``first_line + i`` of the file (blank lines are kept as rows
    of empty cells so that the mapping holds; they are reported by :func:`validate_numeric`).
    """
    size = stop - start
    cuts = [start, stop]
    if size > THREADED_PARSE_BYTES:
        mid = mm.find(b"\n", start + size // 2, stop)
        if 0 <= mid < stop - 1:
            cuts = [start, mid + 1, stop]
    chunks = list(zip(cuts[:-1], cuts[1:]))
    # pandas takes the width of a block from its first line: a first line of 140,000 fields would make every
    # row 140,000 cells wide (gigabytes on a large file) before any check, so it is refused first
    for a, _ in chunks:
        end = mm.find(b"\n", a, stop)
        first = mm[a : stop if end < 0 else end].rstrip(b"\r")
        width = first.count(sep.encode()) + 1
        if width > len(names) + 1 and quoting != csv.QUOTE_NONE and b'"' in first:
            try:
                width = len(next(csv.reader([first.decode("utf-8", "replace")], delimiter=sep)))
            except csv.Error:
                pass
        if width > len(names) + 1:
            line = first_line + mm[start:a].count(b"\n")
            raise RawDataError(path, f"row has {width} fields, expected {len(names)}", line)

    def parse(i):
        a, b = chunks[i]
        try:
            return _read_block(io.BufferedReader(_MMapSlice(mm, a, b), 1 << 20), decimal, sep, quoting)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        except pd.errors.ParserError as err:
            m = _PARSER_LINE.search(str(err))
            if m is None:
                raise RawDataError(path, f"cannot parse the data block: {quote(err)}", first_line) from None
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
            line = first_line + mm[start : chunks[k][0]].count(b"\n")
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
    """Text of the ``index``-th line (0-based) of the block starting at byte ``start``.

    Newlines are counted a megabyte at a time (``bytes.count`` in C), so locating a bad line near the end of a
    large file costs a fraction of its parse, not a Python loop over every line before it."""
    pos, left, size = start, index, len(mm)
    while left > 0:
        if pos >= size:
            return None
        chunk = mm[pos : pos + (1 << 20)]
        n = chunk.count(b"\n")
        if n < left:
            left, pos = left - n, pos + len(chunk)
            continue
        k = -1
        for _ in range(left):
            k = chunk.find(b"\n", k + 1)
        pos, left = pos + k + 1, 0
    end = mm.find(b"\n", pos)
    raw = mm[pos:] if end < 0 else mm[pos:end]
    try:
        return raw.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:  # an EC-Lab export is cp1252
        return raw.decode("latin-1").rstrip("\r")


def _describe_bad_cell(
    path, text: str | None, names: list[str], col: int, decimal: str, line: int, is_last: bool, sep: str = "\t"
) -> RawDataError:
    if text is None or text.strip() == "":
        return RawDataError(path, "empty line in the data block", line)
    fields = text.split(sep)
    if '"' in text:  # a quoted CSV row (Bluehill): split it as the parser did
        try:
            fields = next(csv.reader([text], delimiter=sep))
        except csv.Error:
            pass
    if len(fields) < len(names):
        what = "truncated file: last row" if is_last else "truncated row"
        return RawDataError(
            path,
            f"{what} has {len(fields)} of {len(names)} fields (column {quote(names[len(fields)])} onwards missing)",
            line,
        )
    cell = fields[col].strip().strip('"').strip()
    name = names[col] if len(names[col]) <= 60 else names[col][:60] + "…"
    other = "," if decimal == "." else "."
    if cell == "":
        return RawDataError(path, f"empty cell in column '{name}'", line)
    if cell.lower() in _NAN_TEXT:
        return RawDataError(path, f"NaN ({quote(cell)}) in column '{name}'", line)
    if _LOCALE_NUMBER[other].match(cell):
        return RawDataError(
            path,
            f"decimal separator changes inside the file: {quote(cell)} in column '{name}' uses '{other}' "
            f"but the data block started with '{decimal}' (locale change)",
            line,
        )
    if cell.lower().lstrip("+-") in {"inf", "infinity", "1.#inf"}:
        return RawDataError(path, f"infinite value {quote(cell)} in column '{name}'", line)
    if _LOCALE_NUMBER[decimal].match(cell) or re.fullmatch(r"[+-]?[0-9]+", cell):
        return RawDataError(path, f"number {quote(cell)} in column '{name}' overflows a double (> 1.8e308)", line)
    return RawDataError(path, f"non-numeric value {quote(cell)} in column '{name}'", line)


def _first_bad(col: pd.Series, decimal: str) -> tuple[int | None, np.ndarray]:
    """First cell of a text column that is not a plain ASCII decimal number in this locale, and the values.

    Vectorised (``pandas.to_numeric`` is a C loop that, unlike ``float``, refuses '1_000' and non-ASCII digits),
    so a blank line or a short row in a large file is located as fast as the file parses. Integers too large
    for int64 arrive as Python ints: they go through their text, so a 309-digit one becomes inf, not an
    OverflowError.
    """
    s = col if isinstance(col.dtype, pd.StringDtype) else col.astype(str)
    bad_sep = None
    if decimal == ",":
        bad_sep = s.str.contains(".", regex=False).to_numpy(dtype=bool, na_value=True)
        s = s.str.replace(",", ".", regex=False)
    conv = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(conv)
    if bad_sep is not None:
        bad |= bad_sep
    return (int(np.argmax(bad)) if bad.any() else None), conv


def validate_numeric(
    path,
    df: pd.DataFrame,
    names: list[str],
    mm,
    start: int,
    decimal: str,
    first_line: int,
    sep: str = "\t",
    columns: list[int] | None = None,
) -> list[np.ndarray]:
    """Return one numeric array per column (of ``columns`` only, when given: a file's text columns that the
    reader does not use are not validated); raise on the first non-numeric / NaN / inf cell."""
    arrays: list[np.ndarray] = []
    first_bad: tuple[int, int] | None = None  # (row, column)
    nrows = len(df)
    for j in range(df.shape[1]) if columns is None else columns:
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
        # a text column: only the rows above the first bad cell found so far can hold an earlier one
        stop = nrows if first_bad is None else first_bad[0] + 1
        bad_i, conv = _first_bad(col if stop == nrows else col.iloc[:stop], decimal)
        if bad_i is not None and (first_bad is None or (bad_i, j) < first_bad):
            first_bad = (bad_i, j)
        arrays.append(conv)
    if first_bad is not None:
        i, j = first_bad
        text = _line_text(mm, start, i)
        raise _describe_bad_cell(path, text, names, j, decimal, first_line + i, i == nrows - 1, sep)
    return arrays


@functools.lru_cache(maxsize=256)
def layout(
    names: tuple[str, ...], kinds: str, mapping: tuple[tuple[str, float], ...], known: frozenset, instrument: str
):
    """Output names, and (column, scale) positions of the float and the int block; cached per layout.

    ``mapping`` is (canonical name, scale) per file column; a column in ``known`` (the reader's canonical
    vocabulary) takes its dtype from :data:`batrepro.vocab.columns.COLUMNS`, any other one is int64 when
    the file holds integers. ``phys`` / ``iphys`` list (canonical name, float / int row, file name) of the
    columns that ``instrument`` range-checks.
    """
    canon = [c for c, _ in mapping]
    table = vcolumns.COLUMNS
    is_int = [table[c].dtype == "int64" if c in known else k in "iub" for c, k in zip(canon, kinds)]
    f_pos = np.array([j for j, x in enumerate(is_int) if not x], dtype=np.intp)
    i_pos = np.array([j for j, x in enumerate(is_int) if x], dtype=np.intp)
    f_fill = tuple((k, int(j), mapping[j][1]) for k, j in enumerate(f_pos))
    i_fill = tuple((k, int(j)) for k, j in enumerate(i_pos))
    checked = vcolumns.CHECKED[instrument]
    phys = tuple((canon[j], k, names[j]) for k, j in enumerate(f_pos) if canon[j] in checked)
    iphys = tuple((canon[j], k, names[j]) for k, j in enumerate(i_pos) if canon[j] in checked)
    return pd.Index(canon), canon, f_pos, i_pos, f_fill, i_fill, phys, iphys


def check_physics(path, fblock: np.ndarray, phys, instrument: str, first_line: int | None) -> None:
    """Range checks (:mod:`batrepro.vocab.columns`) on the block rows listed in ``phys``."""
    for name, k, label in phys:
        vcolumns.check(path, name, fblock[k], first_line, label=label, instrument=instrument)


def finish(
    path,
    technique: str,
    header: dict,
    names: list[str],
    arrays: list[np.ndarray],
    first_line: int | None,
    required: tuple[str, ...],
    mapping: tuple[tuple[str, float], ...],
    known: frozenset,
    instrument: str,
) -> RawTable:
    """Map to canonical names, convert dtypes, check ranges and requirements; the :class:`RawTable`.

    The table is assembled as two consolidated blocks (float64, int64) with
    ``pandas.api.internals.create_dataframe_from_blocks``: one copy per column, no inference.
    """
    kinds = "".join(a.dtype.kind for a in arrays)
    columns, canon, f_pos, i_pos, f_fill, i_fill, phys, iphys = layout(tuple(names), kinds, mapping, known, instrument)
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
        with np.errstate(invalid="ignore"):  # a float beyond int64 casts to garbage that check_whole names
            iblock[k] = a
        if a.dtype.kind == "f":
            check_whole(path, names[j], iblock[k], a, where)
    if n:
        check_physics(path, fblock, phys, instrument, first_line)
        check_physics(path, iblock, iphys, instrument, first_line)
    check_required(path, technique, names, canon, required, None if first_line is None else first_line - 1)
    blocks = [(blk, pos) for blk, pos in ((fblock, f_pos), (iblock, i_pos)) if len(pos)]
    data = create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=columns)
    return RawTable(data, technique, header, str(path))


def check_whole(path, name: str, ints: np.ndarray, floats: np.ndarray, where) -> None:
    """Raise unless the float column ``floats`` survived its conversion to ``ints`` unchanged."""
    if not (ints == floats).all():
        i = int(np.argmax(ints != floats))
        raise RawDataError(path, f"column {quote(name)} must hold whole numbers, found {floats[i]!r}", where(i))


def check_required(path, technique: str, names: list[str], canon: list[str], required: tuple[str, ...], line) -> None:
    """Raise when a column in ``required`` (the technique's analysis needs it) is absent."""
    need = tuple(required)
    missing = [c for c in need if c not in canon]
    if missing:
        hint = ""
        if "current_mA" in missing and "control_V_mA" in canon:
            hint = "; 'control/V/mA' is the set-point, not the measured current, and is not substituted"
        raise RawDataError(
            path,
            f"{technique} data lacks required column(s) {missing} (file columns {quote_names(names)}){hint}; "
            f"pass required=() to read it anyway",
            line,
        )
