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
``Cumulative Intrusion (mL/g)``. The analysis recomputes pore sizes from pressure with the configured surface
tension and contact angle, so the instrument's redundant columns are only checked, within their printed
rounding: ``Incremental Intrusion (mL/g)`` must be the rise of the cumulative intrusion, and ``Pore Size
Diameter (µm)`` Washburn's 4γ|cos θ|/p with the header's γ and θ (:func:`check_redundant`). Other columns (log
differential intrusion) are ignored. Rows are the intrusion branch (pressure rising); an extrusion
section after it (pressure falling), if present, ends the intrusion data at the highest pressure.
``Bulk Density at <p> psia`` (g/mL), the sample's bulk density measured by the penetrometer at the filling
pressure, is required (it turns intrusion volume into porosity).

Returns a :class:`RawTable` with columns ``pressure_psia``, ``cumulative_intrusion_mL_g`` and header keys
``sample``, ``sample_mass_g``, ``bulk_density_g_mL``, ``surface_tension_mN_m``, ``contact_angle_deg``.
"""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pandas as pd

from ._common import (
    DEFAULT_MAX_BYTES,
    PLAIN_NUMBER,
    RawDataError,
    RawTable,
    half_unit,
    parse_number,
    quote,
    quote_names,
    read_text,
)

__all__ = ["read_autopore_txt"]

PRESSURE, CUMULATIVE = "Pressure (psia)", "Cumulative Intrusion (mL/g)"
INCREMENTAL, DIAMETER = "Incremental Intrusion (mL/g)", "Pore Size Diameter (µm)"
PSI_PA = 6894.757293168  # Pa per psi (exact, from the definition of the pound-force and the inch)
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
    for column in (PRESSURE, CUMULATIVE):
        if column not in names:
            raise RawDataError(path, f"missing column '{column}'; found {quote_names(names)}", k + 1)
    if "bulk_density_g_mL" not in header:
        raise RawDataError(path, "no 'Bulk Density at <p> psia' line in the header: porosity needs it")
    ip, iv = names.index(PRESSURE), names.index(CUMULATIVE)
    p, v, texts = [], [], []
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
        texts.append((i, dict(zip(names, (c.strip() for c in cells))), pi, vi))
    if len(p) < 3:
        raise RawDataError(path, f"only {len(p)} intrusion point(s)", k + 2)
    check_redundant(path, header, texts)
    data = pd.DataFrame({"pressure_psia": np.array(p), "cumulative_intrusion_mL_g": np.array(v)})
    return RawTable(data, "MIP intrusion", header, str(path))


def check_redundant(path, header: dict, rows: list[tuple[int, dict[str, str], float, float]]) -> None:
    """The instrument's own redundant columns, within their printed rounding: each incremental intrusion is the
    rise of the cumulative one, and each pore diameter is Washburn's 4γ|cos θ|/p with the header's γ and θ (the
    analysis recomputes diameters from p with the configured γ and θ, so a file whose columns disagree with its
    own header, e.g. a swapped column or a header edited by hand, must not pass)."""
    previous = None  # (value, text) of the cumulative intrusion on the row before
    for line, cells, pressure, cum in rows:
        if INCREMENTAL in cells:
            inc = parse_number(cells[INCREMENTAL], path, line, INCREMENTAL)
            rise = cum - (previous[0] if previous else 0.0)
            bound = half_unit(cells[INCREMENTAL]) + half_unit(cells[CUMULATIVE])
            bound += half_unit(previous[1]) if previous else 0.0
            if abs(inc - rise) > bound * (1 + 1e-9):
                raise RawDataError(
                    path, f"'{INCREMENTAL}' {inc:g} is not the rise of '{CUMULATIVE}' ({rise:.6g})", line
                )
        previous = (cum, cells[CUMULATIVE])
        if DIAMETER in cells and {"surface_tension_mN_m", "contact_angle_deg"} <= set(header):
            stated = parse_number(cells[DIAMETER], path, line, DIAMETER)
            gamma_cos = header["surface_tension_mN_m"] * 1e-3 * abs(math.cos(math.radians(header["contact_angle_deg"])))
            washburn = 4 * gamma_cos / (pressure * PSI_PA) * 1e6
            bound = washburn * half_unit(cells[PRESSURE]) / pressure + half_unit(cells[DIAMETER]) + 1e-4 * washburn
            if abs(stated - washburn) > bound:
                raise RawDataError(
                    path,
                    f"'{DIAMETER}' {stated:g} µm disagrees with Washburn's 4γ|cos θ|/p = {washburn:.6g} µm for the "
                    f"header's γ = {header['surface_tension_mN_m']:g} mN/m and θ = {header['contact_angle_deg']:g}°",
                    line,
                )


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"autopore_txt": "read_autopore_txt"}
