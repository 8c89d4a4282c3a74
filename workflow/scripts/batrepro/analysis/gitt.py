"""GITT: Li⁺ chemical diffusion coefficient by Weppner–Huggins, per titration.

Method (W. Weppner and R. A. Huggins, J. Electrochem. Soc. 124 (1977) 1569; no ASTM/ISO standard
exists). For a constant-current pulse of duration τ on an electrode of active mass m_B, molar mass
M_B, molar volume V_M and electrode/electrolyte interface S, in the short-time regime
τ ≪ L²/D with L = m_B V_M / (M_B S):

    D = 4/(π τ) · (m_B V_M / (M_B S))² · (ΔE_s / ΔE_τ)²

with the mass/volume term **squared** (it is L², a length squared). Eq. (S1) of Guan et al.'s ESI
prints it without the square; that reading is computed too (``eq_s1_as_printed``, unit cm s⁻¹,
dimensionally not a diffusion coefficient) so the audit can show the difference.

Per titration (a current pulse followed by a rest):

* E_0: the last voltage of the rest before the pulse; E_s: the last voltage of the rest after it;
  ΔE_s = E_s − E_0 (the steady-state change).
* The pulse transient is fitted as E = b + m √(t − t_0) + c (t − t_0) over the points with
  t − t_0 ≥ ``fit_start_fraction`` · τ: the short-time expansion of the surface concentration of a
  particle under constant flux (c = 0 for a planar, semi-infinite electrode; a straight √t line
  when there are fewer than four points). The intercept b removes the iR drop: iR = b − E_0, and
  ΔE_τ = E(t_0 + τ) − b is the change during the pulse after the iR drop. The drop seen at the
  current interruption (first rest point − last pulse point) is reported as a check.
* ``weppner_huggins``: the formula above. ``sqrt_t``: the √t-slope variant,
  D = 4/(π τ²) · L² · (ΔE_s / m)², which uses the fitted slope instead of ΔE_τ (the same in the
  ideal case, ΔE_τ = m √τ). ``tau_relaxation``: τ replaced by the rest duration, the ESI's own
  definition of τ ("τ is the relaxation time") — a misreading kept only to show its effect.
* Composition: x (Li per formula unit of the host) from the cumulative charge, Δx = ΔQ M_B/(F m_B);
  voltage: E_s. "discharge" titrations carry negative (lithiating) current, "charge" positive.
* The regime indicator D τ / L² is reported per titration; Weppner–Huggins holds where it is ≪ 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

FARADAY = 96485.33212
REQUIRED = ("time_s", "voltage_V", "current_mA")


@dataclass(frozen=True)
class Electrode:
    """m_B (mg), M_B (g mol⁻¹), V_M (cm³ mol⁻¹), S (cm²), from the sample sheet."""

    mass_mg: float
    molar_mass_g_mol: float
    molar_volume_cm3_mol: float
    area_cm2: float

    def __post_init__(self):
        for name in ("mass_mg", "molar_mass_g_mol", "molar_volume_cm3_mol", "area_cm2"):
            value = getattr(self, name)
            try:
                ok = value is not None and math.isfinite(float(value)) and float(value) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ValueError(f"GITT needs a positive {name}, got {value!r}")

    @property
    def length_cm(self) -> float:
        """L = m_B V_M / (M_B S): active volume per interface area."""
        return self.mass_mg / 1000.0 * self.molar_volume_cm3_mol / (self.molar_mass_g_mol * self.area_cm2)

    @classmethod
    def from_meta(cls, meta: dict) -> Electrode:
        return cls(
            meta.get("active_mass_mg"),
            meta.get("molar_mass_g_mol"),
            meta.get("molar_volume_cm3_mol"),
            meta.get("area_cm2"),
        )


def weppner_huggins(tau_s, length_cm, delta_es_V, delta_et_V, squared: bool = True):
    """D = 4/(πτ) · L^k · (ΔE_s/ΔE_τ)², k = 2 (Weppner–Huggins) or 1 (Eq. S1 as printed)."""
    k = 2 if squared else 1
    return (
        4.0 / (np.pi * np.asarray(tau_s, float)) * length_cm**k * (np.asarray(delta_es_V) / np.asarray(delta_et_V)) ** 2
    )


def steps(current_mA: np.ndarray, rest_fraction: float = 1e-3) -> pd.DataFrame:
    """Runs of constant current sign (-1, 0, +1): first and last row of each."""
    i = np.asarray(current_mA, float)
    thr = rest_fraction * np.max(np.abs(i)) if len(i) else 0.0
    s = np.where(np.abs(i) > thr, np.sign(i), 0).astype(int)
    change = np.r_[True, s[1:] != s[:-1]]
    first = np.flatnonzero(change)
    last = np.r_[first[1:] - 1, len(s) - 1]
    return pd.DataFrame({"sign": s[first], "first_row": first, "last_row": last})


def titrations(
    data: pd.DataFrame, electrode: Electrode, fit_start_fraction: float = 0.2, rest_fraction: float = 1e-3
) -> pd.DataFrame:
    """One row per pulse that has a rest before and after it."""
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise ValueError(f"GITT data lack column(s) {missing}; found {list(data.columns)}")
    t = data["time_s"].to_numpy(float)
    if np.any(np.diff(t) < 0):
        raise ValueError("time_s is not monotonically increasing")
    v = data["voltage_V"].to_numpy(float)
    i = data["current_mA"].to_numpy(float)
    dq = i * np.diff(t, prepend=t[0]) / 3600.0  # mAh, interval-mean current
    q = np.cumsum(dq)
    st = steps(i, rest_fraction)
    L = electrode.length_cm
    rows = []
    for k in range(1, len(st) - 1):
        if st.sign[k] == 0 or st.sign[k - 1] != 0 or st.sign[k + 1] != 0:
            continue
        a, b = int(st.first_row[k]), int(st.last_row[k])
        r_end = int(st.last_row[k + 1])
        t0 = t[a - 1]
        tau = t[b] - t0
        rest = t[r_end] - t[b]
        e0, es = v[a - 1], v[r_end]
        el = t[a : b + 1] - t0
        sel = el >= fit_start_fraction * tau
        if sel.sum() < 2:
            sel = np.ones_like(el, dtype=bool)
        if sel.sum() < 2:
            continue
        x = np.sqrt(el[sel])
        if sel.sum() >= 4:  # short-time expansion E = b + m√t + c t
            _, slope, intercept = np.polyfit(x, v[a : b + 1][sel], 2)[[0, 1, 2]]
        else:
            slope, intercept = np.polyfit(x, v[a : b + 1][sel], 1)
        d_es = es - e0
        d_et = v[b] - intercept
        x_factor = electrode.molar_mass_g_mol / (FARADAY * electrode.mass_mg / 1000.0) * 3.6  # per mAh
        rows.append(
            {
                "titration": len(rows) + 1,
                "direction": "discharge" if st.sign[k] < 0 else "charge",
                "current_mA": float(np.mean(i[a : b + 1])),
                "start_s": t0,
                "tau_s": tau,
                "rest_s": rest,
                "e0_V": e0,
                "es_V": es,
                "delta_es_V": d_es,
                "delta_et_V": d_et,
                "ir_drop_V": intercept - e0,
                "ir_interruption_V": v[b + 1] - v[b],
                "sqrt_t_slope_V_s05": slope,
                "x_start": -q[a - 1] * x_factor,
                "x_end": -q[b] * x_factor,
            }
        )
    tit = pd.DataFrame(rows)
    if tit.empty:
        return tit
    tit["x_change"] = tit["x_end"] - tit["x_start"]
    tit["D_weppner_huggins_cm2_s"] = weppner_huggins(tit.tau_s, L, tit.delta_es_V, tit.delta_et_V)
    tit["D_sqrt_t_cm2_s"] = 4.0 / (np.pi * tit.tau_s**2) * L**2 * (tit.delta_es_V / tit.sqrt_t_slope_V_s05) ** 2
    tit["D_tau_relaxation_cm2_s"] = weppner_huggins(tit.rest_s, L, tit.delta_es_V, tit.delta_et_V)
    tit["D_eq_s1_as_printed_cm_s"] = weppner_huggins(tit.tau_s, L, tit.delta_es_V, tit.delta_et_V, squared=False)
    tit["regime_D_tau_over_L2"] = tit["D_weppner_huggins_cm2_s"] * tit.tau_s / L**2
    return tit


READINGS = {
    "weppner_huggins": ("D_weppner_huggins_cm2_s", "cm2 s-1"),
    "sqrt_t": ("D_sqrt_t_cm2_s", "cm2 s-1"),
    "tau_relaxation": ("D_tau_relaxation_cm2_s", "cm2 s-1"),
    "eq_s1_as_printed": ("D_eq_s1_as_printed_cm_s", "cm s-1"),
}


def analyse_run(data: pd.DataFrame, meta: dict, settings: dict) -> dict:
    s = dict(settings)
    electrode = Electrode.from_meta(meta)
    tit = titrations(data, electrode, s["fit_start_fraction"], s["rest_fraction"])
    if tit.empty:
        raise ValueError("no current pulse with a rest before and after it: not a GITT record")
    return {
        "run": meta.get("run"),
        "sample": meta.get("sample"),
        "condition": meta.get("condition", ""),
        "electrode": {
            "active_mass_mg": electrode.mass_mg,
            "molar_mass_g_mol": electrode.molar_mass_g_mol,
            "molar_volume_cm3_mol": electrode.molar_volume_cm3_mol,
            "area_cm2": electrode.area_cm2,
            "length_cm": electrode.length_cm,
        },
        "settings": s,
        "titrations": {col: tit[col].to_list() for col in tit.columns},
        "method": "weppner_huggins",
    }


def summary_rows(paper: str, metrics: dict, technique: str = "gitt") -> list:
    """Per direction: geometric-mean D over the titrations inside the regime (D τ/L² < limit),
    per reading; plus the pulse and rest durations (median)."""
    tit = pd.DataFrame(metrics["titrations"])
    limit = metrics["settings"]["regime_limit"]
    base = metrics.get("condition", "")
    from ..vocab.conditions import merge as merge_condition
    from ..vocab.summary import row as summary_row

    rows = []
    for direction, g in tit.groupby("direction", sort=True):
        ok = g[(g.regime_D_tau_over_L2 < limit) & (g.delta_es_V.abs() > 0)]
        for reading, (col, unit) in READINGS.items():
            vals = ok[col].to_numpy(float)
            vals = vals[np.isfinite(vals) & (vals > 0)]
            if not len(vals):
                continue
            logs = np.log10(vals)
            cond = merge_condition(base, direction=direction, reading=None if reading == "weppner_huggins" else reading)
            rows.append(
                summary_row(
                    paper,
                    technique,
                    metrics["sample"],
                    "diffusion_coefficient",
                    cond,
                    unit,
                    float(10 ** logs.mean()),
                    f"{reading}_geometric_mean",
                    n=len(vals),
                )
            )
        for quantity, col in (("pulse_duration", "tau_s"), ("relaxation_time", "rest_s")):
            rows.append(
                summary_row(
                    paper,
                    technique,
                    metrics["sample"],
                    quantity,
                    merge_condition(base, direction=direction),
                    "s",
                    float(g[col].median()),
                    "median_over_titrations",
                    n=len(g),
                )
            )
    return rows


TABLE_COLUMNS = (
    "titration",
    "direction",
    "tau_s",
    "rest_s",
    "e0_V",
    "es_V",
    "delta_es_V",
    "delta_et_V",
    "ir_drop_V",
    "x_start",
    "x_end",
    "D_weppner_huggins_cm2_s",
    "D_sqrt_t_cm2_s",
    "D_eq_s1_as_printed_cm_s",
    "regime_D_tau_over_L2",
)


def titration_table(spec: dict, runs: list[dict], metrics: dict[str, dict], summary: pd.DataFrame) -> pd.DataFrame:
    """Every titration of every run, in file order."""
    frames = []
    for run in runs:
        t = pd.DataFrame(metrics[run["run"]]["titrations"])
        t.insert(0, "sample", run["sample"])
        frames.append(t[["sample", *TABLE_COLUMNS]])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["sample", *TABLE_COLUMNS])
