"""Cyclic voltammetry: sweeps and cycles separated, peak potentials and currents.

* **Sweeps** are maximal runs of one sign of dE/dt (a cathodic sweep lowers the potential).
  A **cycle** starts with each cathodic sweep that follows an anodic one (a CV that starts at
  open circuit and first goes down, as anode CVs do); a leading anodic sweep is cycle 1's first
  half. The cycler's ``cycle_number`` column is not needed.
* **Peaks**: in each sweep, local extrema of the current in the sweep's direction (minima of I
  on cathodic sweeps, maxima on anodic ones) with a prominence of at least
  ``prominence_fraction`` × the largest |I| of the run (scipy.signal.find_peaks), away from the
  vertices by ``vertex_margin_V``. The peak potential is refined by a parabola through the peak
  point and its two neighbours. Peaks are numbered by potential: cathodic from high to low,
  anodic from low to high (the order in which the sweep meets them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

REQUIRED = ("time_s", "voltage_V", "current_mA")


def sweeps(data: pd.DataFrame) -> pd.DataFrame:
    """Rows: sweep index, direction (-1 cathodic, +1 anodic), cycle, first and last row."""
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise ValueError(f"CV data lack column(s) {missing}; found {list(data.columns)}")
    e = data["voltage_V"].to_numpy(float)
    if len(e) < 3:
        raise ValueError("CV data have fewer than three points")
    d = np.sign(np.diff(e))
    # points with no potential change inherit the previous direction
    for k in range(1, len(d)):
        if d[k] == 0:
            d[k] = d[k - 1]
    if d[0] == 0:
        nz = np.flatnonzero(d)
        d[0] = d[nz[0]] if len(nz) else 1
    point_dir = np.r_[d[0], d]
    change = np.r_[True, point_dir[1:] != point_dir[:-1]]
    first = np.flatnonzero(change)
    last = np.r_[first[1:] - 1, len(e) - 1]
    direction = point_dir[first].astype(int)
    cycle = np.ones(len(first), dtype=int)
    for k in range(1, len(first)):
        cycle[k] = cycle[k - 1] + (1 if direction[k] == -1 and direction[k - 1] == 1 else 0)
    return pd.DataFrame(
        {
            "sweep": np.arange(1, len(first) + 1),
            "direction": direction,
            "cycle": cycle,
            "first_row": first,
            "last_row": last,
        }
    )


def find_sweep_peaks(
    e: np.ndarray, i: np.ndarray, direction: int, min_prominence: float, vertex_margin_V: float
) -> list[dict]:
    y = i * direction  # cathodic peaks are minima of I
    idx, props = find_peaks(y, prominence=min_prominence)
    lo, hi = min(e[0], e[-1]), max(e[0], e[-1])
    out = []
    for k, p in zip(idx, props["prominences"]):
        if e[k] < lo + vertex_margin_V or e[k] > hi - vertex_margin_V:
            continue
        ep = e[k]
        if 0 < k < len(e) - 1:
            x3, y3 = e[k - 1 : k + 2], y[k - 1 : k + 2]
            a, b, _ = np.polyfit(x3 - e[k], y3, 2)
            if a < 0:
                ep = e[k] - b / (2 * a)
        out.append({"potential_V": float(ep), "current_mA": float(i[k]), "prominence_mA": float(p)})
    out.sort(key=lambda p: -p["potential_V"] * direction if direction == -1 else p["potential_V"])
    if direction == -1:
        out.sort(key=lambda p: -p["potential_V"])
    return out


def analyse_run(data: pd.DataFrame, meta: dict, settings: dict) -> dict:
    s = dict(settings)
    sw = sweeps(data)
    e = data["voltage_V"].to_numpy(float)
    i = data["current_mA"].to_numpy(float)
    prom = s["prominence_fraction"] * float(np.max(np.abs(i)))
    peaks = []
    for row in sw.itertuples():
        a, b = row.first_row, row.last_row
        found = find_sweep_peaks(e[a : b + 1], i[a : b + 1], row.direction, prom, s["vertex_margin_V"])
        found = sorted(found, key=lambda p: -p["prominence_mA"])[: s["max_peaks"]]
        found.sort(key=lambda p: -p["potential_V"] if row.direction == -1 else p["potential_V"])
        for n, p in enumerate(found, start=1):
            peaks.append(
                {
                    "cycle": int(row.cycle),
                    "sweep": int(row.sweep),
                    "kind": "cathodic" if row.direction == -1 else "anodic",
                    "peak": n,
                    **p,
                }
            )
    return {
        "run": meta.get("run"),
        "sample": meta.get("sample"),
        "condition": meta.get("condition", ""),
        "voltage_min_V": float(e.min()),
        "voltage_max_V": float(e.max()),
        "max_abs_current_mA": float(np.max(np.abs(i))),
        "n_cycles": int(sw.cycle.max()),
        "sweeps": {c: sw[c].to_list() for c in sw.columns},
        "peaks": peaks,
        "settings": s,
        "method": "find_peaks_prominence",
    }


def summary_rows(paper: str, metrics: dict, technique: str = "cv") -> list:
    from ..vocab import conditions
    from ..vocab.summary import row as summary_row

    base = metrics.get("condition", "")
    merge_condition = conditions.merge
    rows = []

    def row(quantity, cond, unit, value, method):
        rows.append(summary_row(paper, technique, metrics["sample"], quantity, cond, unit, value, method))

    for p in metrics["peaks"]:
        cond = merge_condition(base, cycle=p["cycle"], peak=p["peak"])
        row(f"{p['kind']}_peak_potential", cond, "V", p["potential_V"], metrics["method"])
        row(f"{p['kind']}_peak_current", cond, "mA", p["current_mA"], metrics["method"])
    row("max_abs_current", merge_condition(base), "mA", metrics["max_abs_current_mA"], "max_abs")
    return rows
