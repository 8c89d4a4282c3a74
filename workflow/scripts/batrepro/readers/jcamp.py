"""JCAMP-DX infrared spectra (McDonald & Wilks, Appl. Spectrosc. 42, 151 (1988); JCAMP-DX 4.24/5.01), and a
documented CSV for spectrometers that export no JCAMP-DX.

JCAMP-DX layout accepted
------------------------
Labelled data records ``##LABEL=value``, one per line (``$$`` starts a comment), the first being ``##TITLE=``
and the last ``##END=``. Required: ``##JCAMP-DX``, ``##XUNITS`` (``1/CM``), ``##YUNITS`` (``TRANSMITTANCE`` as
a fraction, ``%T``/``PERCENT TRANSMITTANCE`` or ``ABSORBANCE``), ``##FIRSTX``, ``##LASTX``, ``##NPOINTS``, and
the data: ``##XYDATA=(X++(Y..Y))`` (evenly spaced; optional ``##XFACTOR``/``##YFACTOR``, default 1) or
``##XYPOINTS=(XY..XY)`` (pairs). X++(Y..Y) lines may use every ASCII form of the standard: AFFN (free numbers),
PAC (``+``/``-`` as separators), SQZ (``@A-I``, ``a-i``: first digit and sign), DIF (``%J-R``, ``j-r``:
differences) and DUP (``S-Z``, ``s``: repeat counts, possibly followed by more digits: ``S2`` = 12). After a
line that ends in DIF form the next line repeats its last ordinate (the Y check); every line's X must match
the abscissa implied by FIRSTX, LASTX and NPOINTS (the X check). A failed check, an unknown character, a
missing record or a point count other than NPOINTS is a one-line :class:`RawDataError`.

Why not the ``jcamp`` package (1.3.2): it raises ``IndexError`` on a DUP count after an SQZ value
(``@V``, ``A10T``) and reads multi-digit DUP counts (``S2``) as single ones, so it loses points of compressed
files; its X and Y checks print to stdout instead of failing. ``tests/unit/test_ftir.py`` shows both.

CSV layout (``ftir_csv``): UTF-8, comma-separated, optional ``#`` comment lines, a header row naming
``wavenumber_per_cm`` and one of ``transmittance_pct`` or ``absorbance``, then one row per point.
"""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pandas as pd

from ._common import DEFAULT_MAX_BYTES, PLAIN_NUMBER, RawDataError, RawTable, half_unit, parse_number, quote, read_text

_SQZ = {c: (str(i), 1) for i, c in enumerate("@ABCDEFGHI")} | {c: (str(i), -1) for i, c in enumerate("abcdefghi", 1)}
_DIF = {c: (str(i), 1) for i, c in enumerate("%JKLMNOPQR")} | {c: (str(i), -1) for i, c in enumerate("jklmnopqr", 1)}
_DUP = {c: str(i) for i, c in enumerate("STUVWXYZs", 1)}
_REQUIRED = ("jcamp-dx", "xunits", "yunits", "firstx", "lastx", "npoints")
_NUMERIC = ("firstx", "lastx", "npoints", "xfactor", "yfactor", "deltax", "firsty", "miny", "maxy")
_Y_UNITS = {"TRANSMITTANCE": ("transmittance_pct", 100.0), "%T": ("transmittance_pct", 1.0)}
_Y_UNITS |= {"PERCENT TRANSMITTANCE": ("transmittance_pct", 1.0), "ABSORBANCE": ("absorbance", 1.0)}
_PLAIN = re.compile(r"[0-9.+\- \t,;]*")
_NUMBER = re.compile(r"[+-]?[0-9.]+")
_SCIENTIFIC = re.compile(r"\d[eE][+-]\d")
_TOKEN = re.compile(r"([@A-Ia-i%J-Rj-rS-Zs+\-]?)([0-9.]*)")
#: Most points a spectrum may state or expand to (a lying ##NPOINTS= or DUP count must not exhaust memory).
MAX_POINTS = 10_000_000
TECHNIQUE = "FT-IR spectrum"


def decode_line(line: str, path, lineno: int) -> tuple[float, list[tuple[float, str]]]:
    """One X++(Y..Y) line: the X value and the ordinates as (value, form) with form 'abs' or 'dif'.

    A line with exponents (``1.0E+02``) is read as plain AFFN numbers: ``E`` is also the SQZ digit +5, and the
    standard allows exponents only in uncompressed lines.
    """
    pos, tokens = 0, []
    text = line.strip()
    if _PLAIN.fullmatch(text):  # AFFN or PAC: numbers and signs only (the common, fast case)
        try:
            values = [float(v) for v in _NUMBER.findall(text)]
        except ValueError:
            raise RawDataError(path, f"unreadable number in {text[:40]!r}", lineno) from None
        if not values:
            raise RawDataError(path, "an X++(Y..Y) line must start with its X value", lineno)
        return values[0], [(v, "abs") for v in values[1:]]
    if _SCIENTIFIC.search(text):  # AFFN with exponents ('1.0E+02'): plain numbers, no compression
        try:
            values = [float(v) for v in re.split(r"[\s,;]+", text) if v]
        except ValueError:
            raise RawDataError(path, f"unreadable AFFN line {text[:40]!r}", lineno) from None
        return values[0], [(v, "abs") for v in values[1:]]
    while pos < len(text):
        ch = text[pos]
        if ch in " \t,;":
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        prefix, digits = m.group(1), m.group(2)
        if not prefix and not digits:
            raise RawDataError(path, f"unknown character {ch!r} in an X++(Y..Y) line", lineno)
        if prefix in _DUP:
            if not tokens:
                raise RawDataError(path, f"DUP count {prefix + digits!r} with no value before it", lineno)
            count = int(_DUP[prefix] + digits) if digits.isdigit() or not digits else 0
            if not 1 <= count <= MAX_POINTS:
                raise RawDataError(
                    path, f"DUP count {prefix + digits[:20]!r} is not between 1 and {MAX_POINTS:,}", lineno
                )
            tokens.append(("dup", count))
        elif digits.count(".") > 1:
            raise RawDataError(path, f"unreadable number {quote(prefix + digits)} (two decimal points)", lineno)
        elif prefix in _SQZ or prefix in _DIF:
            first, sign = _SQZ.get(prefix) or _DIF[prefix]
            tokens.append(("abs" if prefix in _SQZ else "dif", sign * float(first + digits)))
        else:  # AFFN or PAC: optional sign, digits
            if not digits or digits == ".":
                raise RawDataError(path, f"sign {prefix!r} without digits", lineno)
            tokens.append(("abs", -float(digits) if prefix == "-" else float(digits)))
        pos = m.end()
    if not tokens or tokens[0][0] != "abs":
        raise RawDataError(path, "an X++(Y..Y) line must start with its X value", lineno)
    x = tokens[0][1]
    ys: list[tuple[float, str]] = []
    last: tuple[str, float] | None = None
    for kind, value in tokens[1:]:
        if kind == "dup":
            if last is None:
                raise RawDataError(path, "DUP count right after the X value", lineno)
            for _ in range(int(value) - 1):
                ys.append((ys[-1][0] + last[1] if last[0] == "dif" else ys[-1][0], last[0]))
            continue
        if kind == "dif":
            if not ys:
                raise RawDataError(path, "DIF value with no ordinate before it on the line", lineno)
            ys.append((ys[-1][0] + value, "dif"))
        else:
            ys.append((value, "abs"))
        last = (kind, value)
    return x, ys


def _header(lines: list[str], path) -> tuple[dict, int]:
    """The labelled data records up to the data table; returns (records, index of the first data line)."""
    records: dict[str, str] = {}
    for i, raw in enumerate(lines):
        line = raw.split("$$", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith("##"):
            raise RawDataError(path, f"expected a '##LABEL=value' record before the data, found {line[:40]!r}", i + 1)
        label, eq, value = line[2:].partition("=")
        if not eq:
            raise RawDataError(path, f"record {line[:40]!r} has no '='", i + 1)
        key = re.sub(r"[\s\-_/]", "", label).lower().replace("jcampdx", "jcamp-dx")
        if not records and key != "title":
            raise RawDataError(path, f"the first record must be ##TITLE=, found ##{label}=", i + 1)
        records[key] = value.strip()
        if key in ("xydata", "xypoints"):
            for need in _REQUIRED:
                if need not in records:
                    raise RawDataError(path, f"header has no ##{need.upper()}= record before the data", i + 1)
            for k in _NUMERIC:
                if k in records:
                    value = float(records[k]) if PLAIN_NUMBER.match(records[k]) else math.nan
                    if not math.isfinite(value):
                        raise RawDataError(path, f"##{k.upper()}={quote(records[k])} is not a number", i + 1)
                    records.setdefault("_half_unit", {})[k] = half_unit(records[k])
                    records[k] = value
            npoints = records["npoints"]
            if npoints != int(npoints) or not 2 <= npoints <= MAX_POINTS:
                raise RawDataError(path, f"##NPOINTS={npoints:g} is not a whole number from 2 to {MAX_POINTS:,}", i + 1)
            for k in ("xfactor", "yfactor"):
                if records.get(k) == 0:
                    raise RawDataError(path, f"##{k.upper()}=0", i + 1)
            return records, i + 1
    raise RawDataError(path, "no ##XYDATA= or ##XYPOINTS= record: no spectrum in the file", len(lines))


def check_stated(path, rec: dict, x: np.ndarray, y: np.ndarray) -> None:
    """##FIRSTY=, ##MINY=, ##MAXY= and ##DELTAX= restate the data: each must agree with it within its printed
    rounding and, for Y, half a ##YFACTOR= unit (the stored integers are rounded to it). A disagreement (a lying
    header, a wrong ##YFACTOR=, a spectrum cut or padded) is the one-line error naming both values."""
    rounding = rec.get("_half_unit", {})
    stated = [("firsty", y[0], 0.5 * abs(rec.get("yfactor", 1.0)))]
    stated += [("miny", y.min(), stated[0][2]), ("maxy", y.max(), stated[0][2])] if y.size else []
    stated += [("deltax", (x[-1] - x[0]) / (x.size - 1), 0.0)] if x.size > 1 else []
    for key, actual, unit in stated:
        if key in rec and abs(rec[key] - actual) > unit + rounding[key] + 1e-9 * abs(actual):
            raise RawDataError(path, f"##{key.upper()}={rec[key]:g}, but the data give {actual:.8g}")


def read_jcamp(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read one JCAMP-DX IR spectrum (see the module docstring)."""
    lines = read_text(path, "latin-1", max_bytes).splitlines()
    rec, start = _header(lines, path)
    xunits, yunits = rec["xunits"].upper(), rec["yunits"].upper()
    if xunits != "1/CM":
        raise RawDataError(path, f"##XUNITS={rec['xunits']}: only wavenumbers (1/CM) are read")
    if yunits not in _Y_UNITS:
        raise RawDataError(path, f"##YUNITS={rec['yunits']}: not one of {sorted(_Y_UNITS)}")
    firstx, lastx, npoints = rec["firstx"], rec["lastx"], int(rec["npoints"])
    xfactor, yfactor = rec.get("xfactor", 1.0), rec.get("yfactor", 1.0)
    form = "xypoints" if "xypoints" in rec else "xydata"
    end = next((i for i in range(start, len(lines)) if lines[i].lstrip().startswith("##")), None)
    if end is None or not lines[end].lstrip().upper().startswith("##END"):
        raise RawDataError(path, "no ##END= record after the data: truncated file", len(lines))
    if form == "xypoints":
        vals = [
            parse_number(v, path, i + 1, "XYPOINTS")
            for i in range(start, end)
            for v in re.split(r"[,;\s]+", lines[i].split("$$")[0].strip())
            if v
        ]
        x, y = np.array(vals[0::2]) * xfactor, np.array(vals[1::2]) * yfactor
    else:
        if rec["xydata"].replace(" ", "").upper() != "(X++(Y..Y))":
            raise RawDataError(path, f"##XYDATA={rec['xydata']}: only (X++(Y..Y)) is read", start)
        deltax = (lastx - firstx) / (npoints - 1)
        y_list: list[float] = []
        previous_form = "abs"
        for i in range(start, end):
            line = lines[i].split("$$", 1)[0]
            if not line.strip():
                continue
            xv, ys = decode_line(line, path, i + 1)
            first_index = len(y_list)
            if previous_form == "dif" and y_list:
                first_index -= 1
                if not ys or abs(ys[0][0] - y_list[-1]) > 0.5:
                    raise RawDataError(path, f"Y check failed: line starts with {ys[0][0] if ys else None}, "
                                             f"the previous line ended with {y_list[-1]:g}", i + 1)  # fmt: skip
                ys = ys[1:]
            expected = firstx + first_index * deltax
            if abs(xv * xfactor - expected) > 0.5 * abs(deltax) + 1e-9 * abs(expected):
                raise RawDataError(path, f"X check failed: line X {xv * xfactor:g}, expected {expected:g} "
                                         f"(point {first_index + 1})", i + 1)  # fmt: skip
            y_list += [v for v, _ in ys]
            previous_form = ys[-1][1] if ys else previous_form
        x, y = np.linspace(firstx, lastx, len(y_list)), np.array(y_list) * yfactor
    if len(y) != npoints:
        raise RawDataError(path, f"{len(y)} points, but ##NPOINTS={npoints}")
    check_stated(path, rec, x, y)
    column, scale = _Y_UNITS[yunits]
    for name, values in (("X", x), ("Y", y * scale)):
        if not np.isfinite(values).all():
            raise RawDataError(path, f"an {name} value overflows a double (> 1.8e308) once scaled by ##{name}FACTOR=")
    data = pd.DataFrame({"wavenumber_per_cm": x, column: y * scale})
    header = {"title": rec.get("title", ""), "y_units": yunits, "origin": rec.get("origin", "")}
    return RawTable(data, TECHNIQUE, header, str(path))


def read_ftir_csv(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read the documented FT-IR CSV (module docstring)."""
    lines = read_text(path, "utf-8", max_bytes).splitlines()
    body = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]
    if not body:
        raise RawDataError(path, "no header row")
    head_line, head = body[0]
    names = [n.strip() for n in head.split(",")]
    y_cols = [n for n in names if n in ("transmittance_pct", "absorbance")]
    if "wavenumber_per_cm" not in names or len(y_cols) != 1:
        raise RawDataError(
            path,
            f"header must name wavenumber_per_cm and one of transmittance_pct/absorbance, found {names}",
            head_line,
        )
    cols = ["wavenumber_per_cm", y_cols[0]]
    idx = [names.index(c) for c in cols]
    rows = []
    for lineno, ln in body[1:]:
        cells = ln.split(",")
        if len(cells) != len(names):
            raise RawDataError(path, f"row has {len(cells)} fields, expected {len(names)}", lineno)
        rows.append([parse_number(cells[j], path, lineno, names[j]) for j in idx])
    if len(rows) < 10:
        raise RawDataError(path, f"only {len(rows)} data rows: not a spectrum", head_line + 1)
    data = pd.DataFrame(rows, columns=cols)
    if (data["wavenumber_per_cm"] <= 0).any():
        raise RawDataError(path, "wavenumber_per_cm must be positive")
    return RawTable(data, TECHNIQUE, {"title": "", "y_units": y_cols[0]}, str(path))


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"jcamp_dx": "read_jcamp", "ftir_csv": "read_ftir_csv"}
