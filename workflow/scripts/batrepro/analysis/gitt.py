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
  t − t_0 ≥ ``fit_start_fraction`` · τ (the short-time expansion of the surface concentration of a
  particle under constant flux; a straight √t line when there are fewer than four points). Its
  intercept b removes the iR drop: iR = b − E_0, and ΔE_τ = E(t_0 + τ) − b is the change during the
  pulse after the iR drop. The drop seen at the current interruption (first rest point − last pulse
  point) is reported as a check.
* ``weppner_huggins``: the formula above. ``sqrt_t``: the √t-slope variant,
  D = 4/(π τ²) · L² · (ΔE_s / m)², with m the slope dE/d√t of a straight-line least-squares fit of E
  against √(t − t_0) over the stated window [``fit_start_fraction`` · τ, τ] (Weppner & Huggins 1977,
  eq. 13; the same as the closed form in the ideal case, ΔE_τ = m √τ). ``tau_relaxation``: τ
  replaced by the rest duration, the ESI's own definition of τ ("τ is the relaxation time") — a
  misreading kept only to show its effect.
* ``diffusion_fit`` (third reading): the whole pulse transient fitted with the exact constant-flux
  solution of Fick's law for a sphere of radius r (or a film of thickness r, one face blocking):
  E(t) = b + ΔE_s · B(D t / r²) / (D τ / r²), with B the surface-concentration function normalised to
  the bulk change (sphere: B(u) = u + [1/5 − 2 Σ exp(−λ_n² u)/λ_n²]/3, tan λ_n = λ_n; film:
  B(u) = u + 1/3 − 2 Σ exp(−n²π² u)/(n²π²); H. S. Carslaw and J. C. Jaeger, Conduction of Heat in
  Solids, 2nd ed. (1959) §9.3 and §3.3; the full-solution GITT analysis of J. Kang and W. C. Chueh,
  J. Electrochem. Soc. 168 (2021) 120504, who show the closed form's bias at finite D τ / r²). One
  nonlinear parameter (D / r²) and the intercept b, with ΔE_s fixing the scale, as in
  Weppner–Huggins (linear OCV over one titration).
* Composition: x (Li per formula unit of the host) from the cumulative charge, Δx = ΔQ M_B/(F m_B);
  voltage: E_s. "discharge" titrations carry negative (lithiating) current, "charge" positive.

Regime criterion (physical, per titration): u = D τ / r² with r the particle radius (sheet column
``diffusion_length_um``, else 3 L, the radius of spheres whose interface is S) or, for
``geometry`` = film, the film thickness (else L). D / r² is taken from the ``diffusion_fit``, which
does not share the closed form's bias (the closed form underestimates D by 4u/(π B(u)²) − 1: for a
sphere −5.5 % at u = 1e-3, −9.4 % at 3e-3, −17 % at 1e-2, −46 % at 0.1; for a film below 0.1 %
up to u = 0.1 and −1.5 % at 0.3). A titration with u above ``regime_limit`` (per geometry; defaults
3e-3 for spheres, 0.1 for films: a bias of at most 10 %) is outside the regime: it is flagged and
left out of the mean D; when no titration of a direction passes, the mean is not derivable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar
from scipy.special import erf

FARADAY = 96485.33212
REQUIRED = ("time_s", "voltage_V", "current_mA")


@dataclass(frozen=True)
class Electrode:
    """m_B (mg), M_B (g mol⁻¹), V_M (cm³ mol⁻¹), S (cm²), from the sample sheet."""

    mass_mg: float
    molar_mass_g_mol: float
    molar_volume_cm3_mol: float
    area_cm2: float
    geometry: str = "sphere"  # or "film"
    diffusion_length_um: float | None = None  # r (sphere radius or film thickness); None: from L

    def __post_init__(self):
        if self.geometry not in GEOMETRIES:
            raise ValueError(f"GITT geometry must be one of {GEOMETRIES}, got {self.geometry!r}")
        r = self.diffusion_length_um
        if r is not None and not (isinstance(r, (int, float)) and math.isfinite(r) and r > 0):
            raise ValueError(f"GITT needs a positive diffusion_length_um (or none), got {r!r}")
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

    @property
    def radius_cm(self) -> float:
        """r of the regime criterion: the sheet's value, else 3 L (spheres) or L (a film)."""
        if self.diffusion_length_um is not None:
            return self.diffusion_length_um * 1e-4
        return (3.0 if self.geometry == "sphere" else 1.0) * self.length_cm

    @classmethod
    def from_meta(cls, meta: dict) -> Electrode:
        def given(key):
            v = meta.get(key)
            return None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else v

        return cls(
            meta.get("active_mass_mg"),
            meta.get("molar_mass_g_mol"),
            meta.get("molar_volume_cm3_mol"),
            meta.get("area_cm2"),
            given("geometry") or "sphere",
            given("diffusion_length_um"),
        )


GEOMETRIES = ("sphere", "film")
_N_TERMS = 400
#: roots of tan λ = λ (sphere) and nπ (film), and the part of Σ 1/λ² beyond the last term
_ROOTS = {
    "sphere": np.array(
        [brentq(lambda a: np.tan(a) - a, (n + 0.5) * np.pi - 0.5, (n + 0.5) * np.pi - 1e-12) for n in range(1, 41)]
    ),
    "film": np.pi * np.arange(1, _N_TERMS + 1),
}
# beyond n = 40 the sphere roots are (n + 1/2)π − 1/((n + 1/2)π) to better than 1e-7
_n = np.arange(41, _N_TERMS + 1) + 0.5
_ROOTS["sphere"] = np.r_[_ROOTS["sphere"], _n * np.pi - 1.0 / (_n * np.pi)]
_TAIL = {"sphere": 2 * (0.1 - np.sum(_ROOTS["sphere"] ** -2.0)), "film": 2 * (1 / 6 - np.sum(_ROOTS["film"] ** -2.0))}


def surface_change(u, geometry: str) -> np.ndarray:
    """B(u): the surface concentration change under constant flux in units of the bulk change
    (bulk change = u), u = D t / r² (Carslaw & Jaeger §9.3 sphere, §3.3 slab).

    u ≥ 0.02: the eigenfunction series, u + (2/k) Σ (1 − exp(−λ_n² u))/λ_n² (k = 3 sphere, 1 film), with
    the truncated tail added (every omitted term is saturated there). u < 0.02: the short-time form from
    the large-p expansion of the Laplace transform, exact up to terms of order exp(−1/u) < 1e-21: sphere
    [e^u erfc(−√u) − 1]/3 (transform 1/(p(√p coth √p − 1))), film 2 √(u/π) (1/(p^{3/2} tanh √p)).
    """
    u = np.atleast_1d(np.asarray(u, float))
    out = np.empty_like(u)
    small = u < 0.02
    us = u[small]
    if geometry == "sphere":
        out[small] = (np.expm1(us) + np.exp(us) * erf(np.sqrt(us))) / 3.0
    else:
        out[small] = 2.0 * np.sqrt(us / np.pi)
    if (~small).any():
        lam = _ROOTS[geometry]
        k = 3.0 if geometry == "sphere" else 1.0
        ul = u[~small][:, None]
        series = np.sum(-np.expm1(-(lam**2) * ul) / lam**2, axis=1)
        out[~small] = ul[:, 0] + (2.0 * series + _TAIL[geometry]) / k
    return out


def diffusion_fit(el_s, v, tau_s, delta_es_V, geometry):
    """Least-squares fit of E(t) = b + ΔE_s B(s t)/(s τ) to the pulse transient: (s = D / r² in s⁻¹,
    b in V, rms in V); s is searched on a log grid over D τ / r² in [1e-7, 10], then refined."""
    el, v = np.asarray(el_s, float), np.asarray(v, float)
    if not (np.isfinite(delta_es_V) and delta_es_V != 0) or len(el) < 3:
        return math.nan, math.nan, math.nan

    def sse(log_u):
        s = 10**log_u / tau_s
        shape = delta_es_V * surface_change(s * el, geometry) / (s * tau_s)
        b = np.mean(v - shape)
        return float(np.sum((v - shape - b) ** 2)), b

    grid = np.linspace(-7.0, 1.0, 33)
    costs = [sse(g)[0] for g in grid]
    k = int(np.argmin(costs))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    best = minimize_scalar(lambda g: sse(g)[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
    log_u = float(best.x) if best.fun <= costs[k] else float(grid[k])
    cost, b = sse(log_u)
    return 10**log_u / tau_s, float(b), math.sqrt(cost / len(el))


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
        slope, line_intercept = np.polyfit(x, v[a : b + 1][sel], 1)  # the √t reading: a straight line
        if sel.sum() >= 4:  # short-time expansion E = b + m√t + c t: its intercept removes the iR drop
            intercept = np.polyfit(x, v[a : b + 1][sel], 2)[2]
        else:
            intercept = line_intercept
        d_es = es - e0
        pulse = el > 0
        s_fit, _, fit_rms = diffusion_fit(el[pulse], v[a : b + 1][pulse], tau, d_es, electrode.geometry)
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
                "D_over_r2_s": s_fit,
                "diffusion_fit_rms_V": fit_rms,
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
    tit["D_diffusion_fit_cm2_s"] = tit["D_over_r2_s"] * electrode.radius_cm**2
    tit["regime_D_tau_over_r2"] = tit["D_over_r2_s"] * tit.tau_s
    return tit


def regime_check(tit: pd.DataFrame, limit: float) -> pd.Series:
    """True where the titration is inside the Weppner–Huggins regime: D τ / r² (from the diffusion fit)
    at or below ``limit`` and a non-zero ΔE_s. NaN (no fit) fails."""
    u = tit["regime_D_tau_over_r2"].to_numpy(float)
    return pd.Series((u <= limit) & np.isfinite(u) & (tit["delta_es_V"].abs().to_numpy() > 0), index=tit.index)


READINGS = {
    "weppner_huggins": ("D_weppner_huggins_cm2_s", "cm2 s-1"),
    "sqrt_t": ("D_sqrt_t_cm2_s", "cm2 s-1"),
    "tau_relaxation": ("D_tau_relaxation_cm2_s", "cm2 s-1"),
    "eq_s1_as_printed": ("D_eq_s1_as_printed_cm_s", "cm s-1"),
    "diffusion_fit": ("D_diffusion_fit_cm2_s", "cm2 s-1"),
}


def analyse_run(data: pd.DataFrame, meta: dict, settings: dict) -> dict:
    s = dict(settings)
    electrode = Electrode.from_meta(meta)
    tit = titrations(data, electrode, s["fit_start_fraction"], s["rest_fraction"])
    if tit.empty:
        raise ValueError("no current pulse with a rest before and after it: not a GITT record")
    limit = float(s["regime_limit"][electrode.geometry])
    tit["in_regime"] = regime_check(tit, limit)
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
            "geometry": electrode.geometry,
            "diffusion_length_cm": electrode.radius_cm,
        },
        "regime_limit": limit,
        "settings": s,
        "titrations": {col: tit[col].to_list() for col in tit.columns},
        "method": "weppner_huggins",
    }


def _lowest(values) -> float:
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(v.min()) if v.size else math.nan


def summary_rows(paper: str, metrics: dict, technique: str = "gitt") -> list:
    """Per direction: geometric-mean D over the titrations inside the regime (``in_regime``), per
    reading; a NaN row whose method says why when no titration passes; plus the pulse and rest
    durations (median)."""
    tit = pd.DataFrame(metrics["titrations"])
    base = metrics.get("condition", "")
    from ..vocab.conditions import merge as merge_condition
    from ..vocab.summary import row as summary_row

    rows = []
    for direction, g in tit.groupby("direction", sort=True):
        ok = g[g.in_regime.astype(bool)]
        if ok.empty:
            cond = merge_condition(base, direction=direction)
            why = (
                f"not_derivable: none of {len(g)} titrations within D tau/r2 <= {metrics['regime_limit']:g} "
                f"(lowest {_lowest(g.regime_D_tau_over_r2):.3g})"
            )
            unit, quantity = "cm2 s-1", "diffusion_coefficient"
            rows.append(summary_row(paper, technique, metrics["sample"], quantity, cond, unit, None, why))
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
    "D_diffusion_fit_cm2_s",
    "regime_D_tau_over_r2",
    "in_regime",
)


def titration_table(spec: dict, runs: list[dict], metrics: dict[str, dict], summary: pd.DataFrame) -> pd.DataFrame:
    """Every titration of every run, in file order."""
    frames = []
    for run in runs:
        t = pd.DataFrame(metrics[run["run"]]["titrations"])
        t.insert(0, "sample", run["sample"])
        frames.append(t[["sample", *TABLE_COLUMNS]])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["sample", *TABLE_COLUMNS])
