"""The EC-Lab ``.mpt`` text path: header, locale, then the shared block parse of :mod:`.._table`.

The file is memory-mapped; the header is decoded line by line (cp1252, with a check that the file was not
re-saved as UTF-8), the decimal separator is detected from the data, and the data block is parsed by
``pandas.read_csv`` (C engine, in two threads for large files). Numbers are checked column-wise with numpy;
the text is re-read only to locate and describe a bad cell.
"""

from __future__ import annotations

import mmap
import os
import re

from .. import _table
from .._common import RawDataError, RawTable, check_file, duplicates, quote, quote_names
from .columns import COLUMN_MAP, KNOWN, REQUIRED, TECHNIQUES, current_source, map_columns, sanitise

__all__ = ["read_mpt", "MPT_MAX_BYTES"]

#: A .mpt larger than this is refused before it is read (a 1,000,000-row GCPL export is ~450 MB). Set from
#: measurement (benchmarks/bench_reader_limits.py): a 753 MiB file peaked at 2,014 MB of RSS (two-thread parse,
#: then the table), so the limit is 640 MiB, within the 2,000 MB the technique jobs declare.
MPT_MAX_BYTES = 640 * 1024**2

_HEADER_NUMBER = {
    ".": re.compile(r"^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?:\s+(\S+))?$", re.ASCII),  # ASCII digits only
    ",": re.compile(r"^([+-]?\d+(?:,\d+)?(?:[eE][+-]?\d+)?)(?:\s+(\S+))?$", re.ASCII),
}
_MAX_HEADER_LINES = 5000


def _is_column_line(line: str) -> bool:
    fields = [f.strip() for f in line.rstrip("\r\n").split("\t") if f.strip()]
    return len(fields) >= 2 and any(f in COLUMN_MAP or "/" in f for f in fields)


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
        name = sanitise(key) if m.group(2) is None else f"{sanitise(key)}_{sanitise('x/' + m.group(2))[2:]}"
        name = name.replace("_g_mol", "_g_per_mol").replace("_g_eq", "_g_per_eq")
        out.setdefault(name, num)
    return out


def _detect_decimal(sample: bytes) -> str | None:
    """'.' or ',' from the first numbers with a fractional part in the data block sample."""
    m = re.search(rb"\d([.,])\d", sample)
    return None if m is None else m.group(1).decode()


def read_mpt(
    path: str | os.PathLike,
    *,
    encoding: str = "cp1252",
    max_bytes: int = MPT_MAX_BYTES,
    technique: str | None = None,
    required=None,
) -> RawTable:
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
            raise RawDataError(
                path,
                f"header is UTF-8 encoded, but EC-Lab exports are {encoding} (the file was re-saved); "
                "pass encoding='utf-8'",
                line,
            )
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise RawDataError(path, f"not valid {encoding} text (byte 0x{raw[err.start]:02x})", line) from None


def _read_mpt_mm(path, mm, encoding: str, technique_arg, required) -> RawTable:
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
            raise RawDataError(
                path,
                "export without header (line 1 is the column line): the technique is unknown; pass technique=...",
                1,
            )
        else:
            raise RawDataError(
                path, f"not an EC-Lab ASCII export: line 1 is {first[:40]!r}, expected 'EC-Lab ASCII FILE'", 1
            )
    else:
        if not next_line():
            raise RawDataError(path, "file ends after line 1 (no 'Nb header lines' line)", 1)
        m = re.match(r"^\s*Nb header lines\s*:\s*([0-9]{1,9})\s*$", lines[1])
        if not m:
            raise RawDataError(path, f"expected 'Nb header lines : N', found {lines[1].strip()[:60]!r}", 2)
        n_header = int(m.group(1))
        if not 3 <= n_header <= _MAX_HEADER_LINES:
            raise RawDataError(path, f"implausible 'Nb header lines : {n_header}'", 2)
        while len(lines) < n_header and next_line():
            pass
        if len(lines) < n_header:
            raise RawDataError(
                path, f"file ends at line {len(lines)}, inside the header ('Nb header lines : {n_header}')", len(lines)
            )
        # validate N: the column-name line must be line N
        found = next((i + 1 for i in range(2, len(lines)) if _is_column_line(lines[i])), None)
        if found is None:
            while len(lines) < n_header + 200 and next_line():
                if _is_column_line(lines[-1]):
                    found = len(lines)
                    break
        if found != n_header:
            where = f"found it at line {found}" if found else "found no column-name line"
            raise RawDataError(
                path,
                f"header line count mismatch: 'Nb header lines : {n_header}' puts the column names on line "
                f"{n_header}, {where} (expected {n_header}, found {found})",
                2,
            )
        tech_name = lines[3].strip() if n_header > 4 else ""
        if tech_name not in TECHNIQUES:
            raise RawDataError(path, f"unknown technique {quote(tech_name)} on line 4; known: {sorted(TECHNIQUES)}", 4)
        technique = TECHNIQUES[tech_name]
        header_lines = lines[4 : n_header - 1]
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
    dup = duplicates(names)
    if dup:
        raise RawDataError(path, f"duplicate column name(s) {quote_names(dup)}", n_header)
    start = ends[n_header - 1]
    if start >= n_total or not mm[start : start + 4096].strip() and not mm[start:n_total].strip():
        raise RawDataError(path, "no data rows after the header", n_header + 1)
    # --- locale -------------------------------------------------------------------------------
    first_line_end = mm.find(b"\n", start)
    first_row = mm[start : first_line_end if first_line_end >= 0 else n_total]
    decimal = _detect_decimal(first_row) or _detect_decimal(mm[start : start + (1 << 20)])
    if decimal is None:  # integers only in the data: fall back on the header's numbers
        hdr = "\n".join(header_lines)
        decimal = "," if re.search(r"\d,\d", hdr) and not re.search(r"\d\.\d", hdr) else "."
    header["decimal_separator"] = decimal
    header.update(_header_numbers(header_lines, decimal))
    # --- data ---------------------------------------------------------------------------------
    first_line = n_header + 1
    df = _table.parse_block(path, mm, start, n_total, names, decimal, first_line)
    arrays = _table.validate_numeric(path, df, names, mm, start, decimal, first_line)
    del df
    need = REQUIRED.get(technique, ()) if required is None else tuple(required)
    header["current_column"] = current_source(names)
    return _table.finish(
        path, technique, header, names, arrays, first_line, need, map_columns(tuple(names)), KNOWN, "eclab"
    )
