"""Galvanostatic cycling: capacities, Coulombic efficiency, retention and rate capability.

Input is a canonical cycling table (``time_s``, ``voltage_V``, ``current_mA``; EC-Lab's sign: a
negative current reduces the working electrode). No standard governs half-cell cycling analysis
(docs/techniques.md §3); the conventions used here are stated explicitly:

* **Half-cycles** are maximal runs of one current sign; points with ``|I|`` at or below
  ``rest_fraction`` × max ``|I|`` are rests and belong to the half-cycle they follow. The cycler's
  own step columns (``ns``, ``half_cycle``) are not needed, so files from any cycler work.
* **Capacity** of a half-cycle is ∫|I| dt. With ``integration="rectangle"`` (default) each point's
  current is taken as the mean over the interval that ends at it (EC-Lab's averaged current, the
  same definition as its ``dq`` column), so ``dq_k = I_k (t_k − t_{k−1})``; ``"trapezoid"`` is the
  alternative for instantaneous currents. When the table has the cycler's capacity column
  (``charge_discharge_mAh`` or ``dq_mAh``) the two are compared and the largest relative
  difference is reported.
* **Anode half-cell convention** (``cell="anode_half"``): a cycle is a lithiation (negative current)
  followed by a delithiation. CE = Q_delithiation / Q_lithiation of the same cycle and ICE is the CE
  of cycle 1. Kim et al. call the lithiation "charge" and the delithiation "discharge" ("initial
  charge capacities (lithiation) ... initial discharge capacity of 2820 mAh g⁻¹"), so the
  summary's ``discharge_capacity`` of a half-cell is its delithiation capacity.
  **Full cells** (``cell="full"``): a cycle is a charge (positive current) then a discharge;
  CE = Q_discharge / Q_charge. A leading half-cycle of the other sign (a cell that starts in the
  wrong state) is skipped.
* **Specific capacity** divides by the active mass from the sample sheet; it must be positive.
* **Retention** of cycle N is reported against several references, because papers rarely say
  which one they use: ``cycle1_delithiation`` (the first reversible capacity), ``cycle2_delithiation``
  (after the formation cycle), ``cycle1_lithiation``, ``max_delithiation`` and the configured
  ``reference_cycle``. The one named by the configuration feeds the audit's main row; every other
  reading is its own row (``reference=...`` in the condition).
* **Rate steps** are runs of consecutive cycles whose C-rate (|I| / (m · C_ref)) rounds to the
  same value (two significant digits); the current, not the protocol file, defines the steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

REQUIRED = ("time_s", "voltage_V", "current_mA")
CAPACITY_COLUMNS = ("charge_discharge_mAh", "dq_mAh")
READINGS = ("cycle1_delithiation", "cycle2_delithiation", "cycle1_lithiation", "max_delithiation")


@dataclass(frozen=True)
class CycleSettings:
    """Analysis settings (config ``cycling:``; the schema holds the defaults, so every field is required)."""

    rest_fraction: float
    integration: str
    retention_reference: str
    reference_cycle: int
    report_cycles: tuple[int, ...]
    curve_cycles: tuple[int, ...]
    curve_points: int
    initial_cycle_condition: str
    capacity_check_tolerance: float

    @classmethod
    def from_dict(cls, d: dict) -> CycleSettings:
        d = dict(d)
        for key in ("report_cycles", "curve_cycles"):
            if key in d:
                d[key] = tuple(int(v) for v in d[key])
        return cls(**d)


# --------------------------------------------------------------------------------- helpers
def active_mass_g(active_mass_mg) -> float:
    """The active mass in g; a zero, negative, missing or non-numeric mass is an error."""
    try:
        value = float(active_mass_mg)
    except (TypeError, ValueError):
        raise ValueError(f"active_mass_mg must be a positive number of mg, got {active_mass_mg!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"active_mass_mg must be a positive number of mg, got {active_mass_mg!r}")
    return value / 1000.0


def rate_label(c_rate: float) -> str:
    """0.2 -> '0.2C', 15 -> '15C' (two significant digits)."""
    return f"{float(f'{c_rate:.2g}'):g}C"


def _check(data: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise ValueError(f"cycling data lack column(s) {missing}; found {list(data.columns)}")
    if len(data) < 2:
        raise ValueError("cycling data have fewer than two points")
    t = data["time_s"].to_numpy(float)
    if np.any(np.diff(t) < 0):
        i = int(np.argmax(np.diff(t) < 0)) + 1
        raise ValueError(f"time_s decreases at row {i} ({t[i - 1]:g} s then {t[i]:g} s)")


def point_charge_mAh(data: pd.DataFrame, integration: str = "auto") -> np.ndarray:
    """Signed charge of each point's interval (mAh); the first point carries none. ``auto``: the plug-in picks
    the rule per file from its current column (techniques/cycling.py); a bare table is taken as interval means
    (rectangle)."""
    t = data["time_s"].to_numpy(float)
    i = data["current_mA"].to_numpy(float)
    dt = np.diff(t, prepend=t[0])
    if integration in ("rectangle", "auto"):
        return i * dt / 3600.0
    if integration == "trapezoid":
        i_prev = np.r_[i[0], i[:-1]]
        return 0.5 * (i + i_prev) * dt / 3600.0
    raise ValueError(f"integration must be 'auto', 'rectangle' or 'trapezoid', got {integration!r}")


def segment_ids(current_mA: np.ndarray, rest_fraction: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """(segment id per point, sign per segment). Rests join the preceding segment; points before the
    first non-rest point get id -1."""
    i = np.asarray(current_mA, float)
    threshold = rest_fraction * np.max(np.abs(i)) if len(i) else 0.0
    s = np.where(np.abs(i) > threshold, np.sign(i), 0.0)
    nz = np.flatnonzero(s)
    if len(nz) == 0:
        return np.full(len(i), -1), np.array([])
    s_nz = s[nz]
    change = np.r_[True, s_nz[1:] != s_nz[:-1]]
    seg_nz = np.cumsum(change) - 1
    ids = np.full(len(i), -1)
    ids[nz] = seg_nz
    ids = np.maximum.accumulate(ids)  # forward fill over rests (ids never decrease)
    return ids, s_nz[change]


# --------------------------------------------------------------------------------- half-cycles
def half_cycles(data: pd.DataFrame, rest_fraction: float = 1e-3, integration: str = "auto") -> pd.DataFrame:
    """One row per half-cycle: sign, time span, capacity (mAh, positive), mean current, end voltages,
    and the cycler's own capacity where the table has it."""
    _check(data)
    ids, signs = segment_ids(data["current_mA"].to_numpy(float), rest_fraction)
    dq = point_charge_mAh(data, integration)
    keep = ids >= 0
    n = len(signs)
    idx = ids[keep]
    q_signed = np.bincount(idx, weights=dq[keep], minlength=n)
    t = data["time_s"].to_numpy(float)
    v = data["voltage_V"].to_numpy(float)
    i = data["current_mA"].to_numpy(float)
    rows = np.flatnonzero(keep)
    first = np.full(n, len(data))
    np.minimum.at(first, idx, rows)
    last = np.zeros(n, dtype=int)
    np.maximum.at(last, idx, rows)
    threshold = rest_fraction * np.max(np.abs(i))
    active = keep & (np.abs(i) > threshold)
    dt = np.diff(t, prepend=t[0])
    on_time = np.bincount(ids[active], weights=dt[active], minlength=n)
    out = pd.DataFrame(
        {
            "half_cycle": np.arange(n),
            "sign": signs.astype(int),
            "first_row": first,
            "last_row": last,
            "start_s": t[np.maximum(first - 1, 0)],
            "end_s": t[last],
            "capacity_mAh": np.abs(q_signed),
            "mean_current_mA": np.divide(q_signed * 3600.0, on_time, out=np.zeros(n), where=on_time > 0),
            "voltage_start_V": v[first],
            "voltage_end_V": v[last],
        }
    )
    out["cycler_capacity_mAh"] = _cycler_capacity(data, ids, n)
    return out


def _cycler_capacity(data: pd.DataFrame, ids: np.ndarray, n: int) -> np.ndarray:
    keep = ids >= 0
    if "charge_discharge_mAh" in data.columns:
        q = np.abs(data["charge_discharge_mAh"].to_numpy(float))
        out = np.zeros(n)
        np.maximum.at(out, ids[keep], q[keep])
        return out
    if "dq_mAh" in data.columns:
        dq = data["dq_mAh"].to_numpy(float)
        return np.abs(np.bincount(ids[keep], weights=dq[keep], minlength=n))
    return np.full(n, np.nan)


def capacity_check(halves: pd.DataFrame) -> dict:
    """Largest relative difference between ∫I dt and the cycler's capacity column."""
    ref = halves["cycler_capacity_mAh"].to_numpy(float)
    ours = halves["capacity_mAh"].to_numpy(float)
    ok = np.isfinite(ref) & (ref > 0)
    if not ok.any():
        return {"checked": False, "max_rel_diff": None, "n_half_cycles": 0}
    rel = np.abs(ours[ok] - ref[ok]) / ref[ok]
    return {"checked": True, "max_rel_diff": float(rel.max()), "n_half_cycles": int(ok.sum())}


# --------------------------------------------------------------------------------- cycles
def cycle_summary(
    halves: pd.DataFrame, mass_g: float, cell: str = "anode_half", c_rate_mAh_g: float | None = None
) -> pd.DataFrame:
    """One row per cycle: capacity in (lithiation/charge) and out (delithiation/discharge), mAh and
    mAh g⁻¹, CE (%), current density and C-rate of the out half-cycle."""
    if mass_g <= 0:
        raise ValueError(f"active mass must be positive, got {mass_g!r} g")
    if cell not in ("anode_half", "full"):
        raise ValueError(f"cell must be 'anode_half' or 'full', got {cell!r}")
    sign_in = -1 if cell == "anode_half" else 1
    signs = halves["sign"].to_numpy(int)
    start = int(np.argmax(signs == sign_in)) if (signs == sign_in).any() else len(signs)
    h = halves.iloc[start:].reset_index(drop=True)
    n_in = (len(h) + 1) // 2
    q_in = h["capacity_mAh"].to_numpy(float)[0::2][:n_in]
    q_out = np.full(n_in, np.nan)
    out_part = h["capacity_mAh"].to_numpy(float)[1::2]
    q_out[: len(out_part)] = out_part
    i_out = np.full(n_in, np.nan)
    i_out[: len(out_part)] = np.abs(h["mean_current_mA"].to_numpy(float)[1::2])
    i_in = np.abs(h["mean_current_mA"].to_numpy(float)[0::2][:n_in])
    summary = pd.DataFrame(
        {
            "cycle": np.arange(1, n_in + 1),
            "in_mAh": q_in,
            "out_mAh": q_out,
            "in_mAh_g": q_in / mass_g,
            "out_mAh_g": q_out / mass_g,
            "ce_pct": 100.0 * q_out / q_in,
            "in_current_mA_g": i_in / mass_g,
            "out_current_mA_g": np.where(np.isfinite(i_out), i_out, i_in) / mass_g,
        }
    )
    if c_rate_mAh_g:
        summary["c_rate"] = summary["out_current_mA_g"] / c_rate_mAh_g
    return summary


def retention_readings(summary: pd.DataFrame, cycle: int, reference_cycle: int = 1) -> dict[str, float]:
    """Capacity retention (%) of ``cycle``'s out capacity against every reference reading."""
    q = summary.set_index("cycle")
    if cycle not in q.index:
        raise ValueError(f"cycle {cycle} not in data (1..{int(q.index.max())})")
    qn = float(q.loc[cycle, "out_mAh_g"])
    refs = {
        "cycle1_delithiation": q["out_mAh_g"].get(1, np.nan),
        "cycle2_delithiation": q["out_mAh_g"].get(2, np.nan),
        "cycle1_lithiation": q["in_mAh_g"].get(1, np.nan),
        "max_delithiation": float(np.nanmax(q["out_mAh_g"].to_numpy(float))),
        f"cycle{reference_cycle}_delithiation": q["out_mAh_g"].get(reference_cycle, np.nan),
    }
    return {k: 100.0 * qn / float(v) if v and np.isfinite(v) else None for k, v in refs.items()}


def rate_steps(summary: pd.DataFrame) -> pd.DataFrame:
    """Consecutive cycles at one C-rate, found from the current (needs ``c_rate`` in the summary)."""
    if "c_rate" not in summary.columns:
        raise ValueError("rate steps need the reference capacity for 1 C (c_rate_mAh_g)")
    labels = [rate_label(c) for c in summary["c_rate"]]
    rows, seen = [], {}
    start = 0
    for k in range(1, len(labels) + 1):
        if k == len(labels) or labels[k] != labels[start]:
            block = summary.iloc[start:k]
            lab = labels[start]
            seen[lab] = seen.get(lab, 0) + 1
            q = block["out_mAh_g"].to_numpy(float)
            rows.append(
                {
                    "step": len(rows) + 1,
                    "rate": lab,
                    "repeat": seen[lab],
                    "c_rate": float(block["c_rate"].mean()),
                    "first_cycle": int(block["cycle"].iloc[0]),
                    "last_cycle": int(block["cycle"].iloc[-1]),
                    "n_cycles": len(block),
                    "out_mAh_g_mean": float(np.nanmean(q)),
                    "out_mAh_g_sd": float(np.nanstd(q, ddof=1)) if np.isfinite(q).sum() > 1 else None,
                    "out_mAh_g_last": float(q[-1]),
                }
            )
            start = k
    return pd.DataFrame(rows)


def _downsample(x: np.ndarray, n: int) -> np.ndarray:
    if len(x) <= n:
        return np.arange(len(x))
    return np.unique(np.linspace(0, len(x) - 1, n).round().astype(int))


def voltage_capacity_curves(
    data: pd.DataFrame,
    halves: pd.DataFrame,
    mass_g: float,
    cycles,
    cell: str = "anode_half",
    integration: str = "auto",
    max_points: int = 150,
) -> pd.DataFrame:
    """Voltage against specific capacity (from 0 at the start of each half) for chosen cycles, as a long
    table (``cycle``, ``half`` = in/out, ``capacity_mAh_g``, ``voltage_V``)."""
    columns = ["cycle", "half", "capacity_mAh_g", "voltage_V"]
    sign_in = -1 if cell == "anode_half" else 1
    signs = halves["sign"].to_numpy(int)
    if not (signs == sign_in).any():
        return pd.DataFrame(columns=columns)
    h = halves.iloc[int(np.argmax(signs == sign_in)) :].reset_index(drop=True)
    dq = np.abs(point_charge_mAh(data, integration))
    v = data["voltage_V"].to_numpy(float)
    parts = []
    for cyc in cycles:
        for name, k in (("in", 2 * (cyc - 1)), ("out", 2 * (cyc - 1) + 1)):
            if k >= len(h):
                continue
            a, b = int(h.loc[k, "first_row"]), int(h.loc[k, "last_row"])
            q = np.r_[0.0, np.cumsum(dq[a : b + 1])] / mass_g
            vv = np.r_[v[a - 1] if a > 0 else v[a], v[a : b + 1]]
            keep = _downsample(q, max_points)
            parts.append(pd.DataFrame({"cycle": cyc, "half": name, "capacity_mAh_g": q[keep], "voltage_V": vv[keep]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


# --------------------------------------------------------------------------------- per run
def analyse_run(data: pd.DataFrame, meta: dict, settings: CycleSettings | dict) -> dict:
    """All cycling metrics of one run: per-cycle table, first cycle, retention, rate steps, and under
    ``curves`` the voltage–capacity curves (a long table, which the plug-in writes apart from the metrics)."""
    s = settings if isinstance(settings, CycleSettings) else CycleSettings.from_dict(settings)
    mass_g = active_mass_g(meta.get("active_mass_mg"))
    cell = meta.get("cell", "anode_half") or "anode_half"
    c_ref = meta.get("c_rate_mAh_g")
    c_ref = float(c_ref) if c_ref not in (None, "") else None
    halves = half_cycles(data, s.rest_fraction, s.integration)
    summary = cycle_summary(halves, mass_g, cell, c_ref)
    if summary.empty:
        raise ValueError("no complete half-cycle of the expected sign in the data")
    n = int(summary["cycle"].max())
    complete = summary.dropna(subset=["out_mAh_g"])
    last = int(complete["cycle"].max()) if not complete.empty else None
    report = sorted({1} | {c for c in s.report_cycles if c <= n} | ({last} if last else set()))
    retention = {str(c): retention_readings(summary, c, s.reference_cycle) for c in report if c > 1}
    first = summary.iloc[0]
    metrics = {
        "run": meta.get("run"),
        "sample": meta.get("sample"),
        "condition": meta.get("condition", ""),
        "cell": cell,
        "active_mass_mg": mass_g * 1000.0,
        "c_rate_mAh_g": c_ref,
        "area_cm2": meta.get("area_cm2"),
        "n_cycles": n,
        "last_complete_cycle": last,
        "report_cycles": report,
        "first_cycle": {
            "in_mAh_g": float(first["in_mAh_g"]),
            "out_mAh_g": float(first["out_mAh_g"]),
            "ce_pct": float(first["ce_pct"]),
        },
        "cycles": {col: summary[col].to_numpy() for col in summary.columns},
        "retention_pct": retention,
        "capacity_check": capacity_check(halves),
        "curves": voltage_capacity_curves(data, halves, mass_g, s.curve_cycles, cell, s.integration, s.curve_points),
        "method": f"integral_I_dt_{s.integration}",
    }
    if c_ref:
        steps = rate_steps(summary)
        metrics["rate_steps"] = {col: steps[col].to_list() for col in steps.columns}
    return metrics
