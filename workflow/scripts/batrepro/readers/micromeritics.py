"""Micromeritics gas-sorption report (.xls, BIFF8) and a documented isotherm CSV.

Micromeritics report ``.xls`` (3Flex, ASAP 2020/2460, TriStar II "Export to Excel"), as in
``../shared/data/public/bet/micromeritics_Sample_C.xls`` (3Flex 5.02)
-----------------------------------------------------------------------------------------------------------
* One worksheet (or a sheet named ``Isotherm Tabular Report``) holding the report's sections side by side,
  separated by columns of ``|``. Header cells are ``Label:`` with the value in the cell to the right
  (``Sample mass:`` ``1.0000 g``, ``Analysis adsorptive:`` ``N2``, ``Analysis bath temp.:`` ``77.300 K``).
* The summary section has ``BET Surface Area:`` ``594.9649 m²/g`` and ``t-Plot Micropore Area:`` ``532.9160 m²/g``;
  they are kept in the header (``reported_*``) for validation only, never used by the analysis.
* The cell ``Isotherm Tabular Report`` starts the data; two rows below it are the column titles
  ``Relative Pressure (p/p°)``, ``Quantity Adsorbed (cm³/g STP)`` (and ``Saturation Pressure (…)``, whose first
  value may sit one row higher). Data rows follow until the relative-pressure cell is empty: the adsorption
  branch with p/p⁰ rising to its maximum, then the desorption branch falling.

Isotherm CSV (for other instruments; UTF-8, ``,``-separated, ``.`` decimals, ``#`` comment lines at the top)
------------------------------------------------------------------------------------------------------------
::

    # sample: HRPOSS-6, N2 at 77 K, sample mass 0.1523 g
    relative_pressure,quantity_adsorbed_cm3_g_stp,branch
    0.0101,1.023,adsorption
    ...
    0.9901,9.87,desorption

``branch`` is ``adsorption`` or ``desorption``; within a branch p/p⁰ must rise (adsorption) or fall (desorption).

Both return a :class:`RawTable` with columns ``relative_pressure``, ``quantity_adsorbed_cm3_g`` (cm³ STP g⁻¹),
``branch``. Errors are :class:`RawDataError` naming the file, the row and the problem.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, check_file, parse_number, quote, read_text

__all__ = ["read_micromeritics_xls", "read_isotherm_csv"]

_HEADER = {
    "sample:": "sample",
    "sample mass:": "sample_mass_g",
    "analysis adsorptive:": "adsorptive",
    "analysis bath temp.:": "bath_temperature_K",
    "bet surface area:": "reported_bet_area_m2_g",
    "t-plot micropore area:": "reported_tplot_micropore_area_m2_g",
    "t-plot external surface area:": "reported_tplot_external_area_m2_g",
}
_NUMBER = re.compile(r"^\s*([+-]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?)")


def _number(text: str) -> float | None:
    m = _NUMBER.match(str(text))
    return float(m.group(1).replace(",", "")) if m else None


def check_branches(path, x: np.ndarray, branch: np.ndarray, line: np.ndarray) -> None:
    """p/p⁰ rises along the adsorption branch and falls along the desorption branch."""
    for name, sign in (("adsorption", 1), ("desorption", -1)):
        idx = np.flatnonzero(branch == name)
        if idx.size > 1:
            bad = np.flatnonzero(sign * np.diff(x[idx]) <= 0)
            if bad.size:
                k = idx[bad[0] + 1]
                raise RawDataError(
                    path,
                    f"relative pressure not monotonic in the {name} branch: {x[k]:g} after {x[idx[bad[0]]]:g}",
                    int(line[k]),
                )


def read_micromeritics_xls(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read a Micromeritics report .xls (see the module docstring for the layout)."""
    import xlrd

    check_file(path, max_bytes, "Micromeritics reports")
    try:
        book = xlrd.open_workbook(str(path), encoding_override="latin-1")
    except Exception as err:  # xlrd raises XLRDError, struct.error, CompDocError, AssertionError, ...
        raise RawDataError(path, f"not a readable Excel .xls workbook ({type(err).__name__}: {quote(err)})") from None
    names = book.sheet_names()
    if not names:
        raise RawDataError(path, "the workbook has no worksheet")
    sheet = (
        book.sheet_by_name("Isotherm Tabular Report") if "Isotherm Tabular Report" in names else book.sheet_by_index(0)
    )
    header: dict = {"instrument": str(sheet.cell_value(1, 0)) if sheet.nrows > 1 else ""}
    start = None
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            v = sheet.cell_value(r, c)
            if not isinstance(v, str) or not v.strip():
                continue
            key = _HEADER.get(v.strip().lower())
            if key and key not in header and c + 1 < sheet.ncols:
                val = sheet.cell_value(r, c + 1)
                header[key] = val.strip() if key in ("sample", "adsorptive") else _number(val)
            if v.strip() == "Isotherm Tabular Report" and start is None:
                start = (r, c)
    if start is None:
        raise RawDataError(path, "no 'Isotherm Tabular Report' section: not a Micromeritics isotherm report")
    r0, c0 = start
    titles = {}
    for c in range(c0, min(c0 + 6, sheet.ncols)):
        t = str(sheet.cell_value(r0 + 2, c)).lower() if r0 + 2 < sheet.nrows else ""
        if t.startswith("relative pressure"):
            titles.setdefault("x", c)
        elif t.startswith("quantity adsorbed"):
            if "cm³/g stp" not in t and "cm3/g stp" not in t:
                raise RawDataError(path, f"quantity adsorbed in '{t}', expected cm³/g STP", r0 + 3)
            titles.setdefault("n", c)
    if set(titles) != {"x", "n"}:
        found = [str(sheet.cell_value(r0 + 2, c)) for c in range(c0, min(c0 + 6, sheet.ncols))]
        raise RawDataError(
            path, f"missing columns 'Relative Pressure (p/p°)' and/or 'Quantity Adsorbed'; found {found}", r0 + 3
        )
    x, n, first = [], [], None
    for r in range(r0 + 3, sheet.nrows):
        cx, cn = sheet.cell_value(r, titles["x"]), sheet.cell_value(r, titles["n"])
        if cx == "" and not x:
            continue  # the saturation-pressure row above the first point
        if cx == "":
            after = (sheet.cell_value(k, titles["x"]) for k in range(r + 1, sheet.nrows))
            if isinstance(next((v for v in after if v != ""), ""), float):  # not a further section's title
                raise RawDataError(
                    path, "empty row inside the tabular report: the points after it would be lost", r + 1
                )
            break
        first = r if first is None else first
        for v, col in ((cx, "Relative Pressure"), (cn, "Quantity Adsorbed")):
            if not isinstance(v, float) or not np.isfinite(v):
                raise RawDataError(path, f"non-numeric value {quote(v)} in column '{col}'", r + 1)
        x.append(cx)
        n.append(cn)
    if len(x) < 3:
        raise RawDataError(path, f"only {len(x)} isotherm point(s) in the tabular report", r0 + 4)
    x, n = np.array(x), np.array(n)
    top = int(np.argmax(x))
    branch = np.where(np.arange(x.size) <= top, "adsorption", "desorption")
    return _finish(path, x, n, branch, first + 1 + np.arange(x.size), header, "Micromeritics N2 isotherm")


def _finish(path, x, n, branch, line, header, technique) -> RawTable:
    bad = np.flatnonzero((x <= 0) | (x > 1.05))
    if bad.size:
        raise RawDataError(path, f"relative pressure {x[bad[0]]:g} outside (0, 1]", int(line[bad[0]]))
    bad = np.flatnonzero(n < 0)
    if bad.size:
        raise RawDataError(path, f"negative quantity adsorbed {n[bad[0]]:g} cm³/g STP", int(line[bad[0]]))
    check_branches(path, x, branch, line)
    data = pd.DataFrame({"relative_pressure": x, "quantity_adsorbed_cm3_g": n, "branch": branch})
    return RawTable(data, technique, header, str(path))


CSV_COLUMNS = ("relative_pressure", "quantity_adsorbed_cm3_g_stp", "branch")


def read_isotherm_csv(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read the documented isotherm CSV (module docstring)."""
    lines = read_text(path, "utf-8-sig", max_bytes).splitlines()
    k = 0
    while k < len(lines) and (not lines[k].strip() or lines[k].lstrip().startswith("#")):
        k += 1
    if k == len(lines):
        raise RawDataError(path, "no header row (only comments or blank lines)", k)
    names = [c.strip() for c in lines[k].split(",")]
    if names != list(CSV_COLUMNS):
        raise RawDataError(path, f"columns {names}, expected {list(CSV_COLUMNS)}", k + 1)
    x, n, br, where = [], [], [], []
    for i, line in enumerate(lines[k + 1 :], start=k + 2):
        if not line.strip():
            continue
        cells = line.split(",")
        if len(cells) != 3:
            raise RawDataError(path, f"row has {len(cells)} fields, expected 3", i)
        x.append(parse_number(cells[0], path, i, CSV_COLUMNS[0]))
        n.append(parse_number(cells[1], path, i, CSV_COLUMNS[1]))
        b = cells[2].strip()
        if b not in ("adsorption", "desorption"):
            raise RawDataError(path, f"branch '{b}' is neither 'adsorption' nor 'desorption'", i)
        br.append(b)
        where.append(i)
    if len(x) < 3:
        raise RawDataError(path, f"only {len(x)} data row(s)", k + 2)
    return _finish(path, np.array(x), np.array(n), np.array(br), np.array(where), {}, "isotherm CSV")


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"micromeritics_xls": "read_micromeritics_xls", "isotherm_csv": "read_isotherm_csv"}
