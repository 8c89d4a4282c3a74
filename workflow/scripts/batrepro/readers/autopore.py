"""Micromeritics AutoPore (IV/V) mercury-intrusion export: pressure (psia) against cumulative intrusion (mL/g).

The layout accepted (the AutoPore "Tabular Report" exported as text; tab-separated, ``.`` decimals, UTF-8)
------------------------------------------------------------------------------------------------------------
::

    AutoPore V 9620 Version 2.03.00                       <- line 1: instrument
    Sample: PI electrode
    Sample Mass: 0.2512 g
    Penetrometer: 07-0914 (3 Bulb, 0.412 Stem), Solid
    Hg Surface Tension: 485.000 dynes/cm
    Hg Contact Angle: 130.000 degrees
    Bulk Density at 0.52 psia: 1.3200 g/mL
    (any further "Label: value" lines)

    Intrusion Data                                        <- optional section title
    Pressure (psia)<TAB>Pore Size Diameter (µm)<TAB>Cumulative Intrusion (mL/g)<TAB>Incremental Intrusion (mL/g)
    0.52<TAB>347.8<TAB>0.0000<TAB>0.0000
    ...

Header lines are ``Label: value unit``. The column row must hold ``Pressure (psia)`` and
``Cumulative Intrusion (mL/g)``; other columns (the instrument's pore diameter, incremental intrusion, log
differential intrusion) are kept but not used: the analysis recomputes pore sizes from pressure with the
configured surface tension and contact angle. Rows are the intrusion branch (pressure rising); an extrusion
section after it (pressure falling), if present, ends the intrusion data at the highest pressure.
``Bulk Density at <p> psia`` (g/mL), the sample's bulk density measured by the penetrometer at the filling
pressure, is required (it turns intrusion volume into porosity).

Returns a :class:`RawTable` with columns ``pressure_psia``, ``cumulative_intrusion_mL_g`` and header keys
``sample``, ``sample_mass_g``, ``bulk_density_g_mL``, ``surface_tension_mN_m``, ``contact_angle_deg``.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from ._common import DEFAULT_MAX_BYTES, PLAIN_NUMBER, RawDataError, RawTable, parse_number, quote, read_text

__all__ = ["read_autopore_txt"]

PRESSURE, CUMULATIVE = "Pressure (psia)", "Cumulative Intrusion (mL/g)"
_NUMERIC_HEADER = {
    "sample mass": "sample_mass_g",
    "hg surface tension": "surface_tension_mN_m",  # dynes/cm = mN/m
    "hg contact angle": "contact_angle_deg",
    "bulk density": "bulk_density_g_mL",
}
_AT_PRESSURE = re.compile(r"\bat\s+(\S+)\s*psia\s*$", re.IGNORECASE)


def read_autopore_txt(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read an AutoPore text export (see the module docstring)."""
    lines = read_text(path, "utf-8", max_bytes).splitlines()
    if not lines or "autopore" not in lines[0].lower():
        raise RawDataError(path, "first line does not name an AutoPore instrument: not an AutoPore export", 1)
    header: dict = {"instrument": lines[0].strip()}
    k = 1
    while k < len(lines) and PRESSURE not in lines[k]:
        text = lines[k]
        if ":" in text:
            label, value = (s.strip() for s in text.split(":", 1))
            low = label.lower()
            if low == "sample":
                header["sample"] = value
            for prefix, key in _NUMERIC_HEADER.items():
                if low.startswith(prefix):
                    header[key] = parse_number(value.split()[0] if value else "", path, k + 1, label)
                    if key == "bulk_density_g_mL":
                        at = _AT_PRESSURE.search(label)
                        if at is None:
                            raise RawDataError(path, f"{quote(label)}: expected 'Bulk Density at <p> psia'", k + 1)
                        header["bulk_density_pressure_psia"] = parse_number(at.group(1), path, k + 1, label)
        k += 1
    if k == len(lines):
        raise RawDataError(path, f"no column row with '{PRESSURE}': not an AutoPore intrusion export")
    names = [c.strip() for c in lines[k].split("\t")]
    if CUMULATIVE not in names:
        raise RawDataError(path, f"missing column '{CUMULATIVE}'; found {names}", k + 1)
    if "bulk_density_g_mL" not in header:
        raise RawDataError(path, "no 'Bulk Density at <p> psia' line in the header: porosity needs it")
    ip, iv = names.index(PRESSURE), names.index(CUMULATIVE)
    p, v = [], []
    for i, line in enumerate(lines[k + 1 :], start=k + 2):
        if not line.strip():
            after = next((ln for ln in lines[i:] if ln.strip()), "")
            if PLAIN_NUMBER.match(after.split("\t")[0].strip()):
                raise RawDataError(path, "blank line inside the intrusion data: the rows after it would be lost", i)
            break  # the end of the table (a further section may follow)
        cells = line.split("\t")
        if len(cells) < len(names):
            raise RawDataError(path, f"row has {len(cells)} fields, expected {len(names)} (truncated file?)", i)
        pi = parse_number(cells[ip], path, i, PRESSURE)
        vi = parse_number(cells[iv], path, i, CUMULATIVE)
        if p and pi < p[-1]:
            break  # the extrusion branch starts
        if pi <= 0:
            raise RawDataError(path, f"pressure {pi:g} psia is not positive", i)
        if p and pi == p[-1]:
            raise RawDataError(path, f"pressure {pi:g} psia repeated: pressures must rise along intrusion", i)
        if vi < 0:
            raise RawDataError(path, f"negative cumulative intrusion volume {vi:g} mL/g", i)
        p.append(pi)
        v.append(vi)
    if len(p) < 3:
        raise RawDataError(path, f"only {len(p)} intrusion point(s)", k + 2)
    data = pd.DataFrame({"pressure_psia": np.array(p), "cumulative_intrusion_mL_g": np.array(v)})
    return RawTable(data, "MIP intrusion", header, str(path))


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"autopore_txt": "read_autopore_txt"}
