"""Mercury intrusion porosimetry (ISO 15901-1:2016): Washburn pore sizes, porosity, pore area, median diameters.

* Washburn (*Phys. Rev.* 17, 273, 1921): a cylindrical pore of diameter D fills at D = −4γ cos θ / P
  (γ surface tension of mercury, θ contact angle; with P in psia, γ in mN m⁻¹, D in µm the Micromeritics
  constant is 0.145038 µm psia per (mN m⁻¹)).
* Porosity = V_Hg · ρ_bulk (total specific intrusion times the bulk density at the filling pressure), in %.
  Its standard error is ρ_bulk · σ_V, σ_V the reading noise of one cumulative volume, estimated from the
  point-to-point scatter (median absolute successive difference / (0.6745 √2)) over the last ``plateau_points``
  points, where intrusion has ended. The bulk density's calibration error is common to every number of one
  penetrometer and is not included.
* Total pore area (Rootare & Prenzlow, *J. Phys. Chem.* 71, 2733, 1967): A = (1 / (γ |cos θ|)) ∫ P dV, the
  work of intrusion divided by γ|cos θ|, by the trapezoid rule.
* Median pore diameter by volume (by area): the diameter at which half the total intrusion volume (area) has
  entered, interpolated in log D. Average pore diameter 4V/A.

Arrays in, a dataclass out; no file I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

PSI_PA = 6894.757293168
WASHCON_UM = 0.145038  # µm psia / (mN m⁻¹): 4 γ |cos θ| / P with γ in mN/m, P in psia


def washburn_diameter_um(pressure_psia, surface_tension_mN_m: float, contact_angle_deg: float):
    """Pore diameter (µm) that mercury enters at pressure P (Washburn)."""
    return -4 * surface_tension_mN_m * np.cos(np.radians(contact_angle_deg)) * WASHCON_UM / np.asarray(pressure_psia)


@dataclass(frozen=True)
class MipResult:
    total_intrusion_mL_g: float
    bulk_density_g_mL: float
    porosity_pct: float
    porosity_stderr_pct: float
    total_pore_area_m2_g: float
    median_diameter_volume_um: float
    median_diameter_area_um: float
    average_diameter_um: float
    diameter_min_um: float
    diameter_max_um: float

    def as_dict(self) -> dict:
        return asdict(self)


def _median_diameter(d, cumulative) -> float:
    """D where ``cumulative`` (rising as D falls) reaches half its last value, interpolated in log D."""
    half = cumulative[-1] / 2
    k = int(np.searchsorted(cumulative, half))
    k = min(max(k, 1), d.size - 1)
    c0, c1 = cumulative[k - 1], cumulative[k]
    f = 0.0 if c1 == c0 else (half - c0) / (c1 - c0)
    return float(10 ** (np.log10(d[k - 1]) + f * (np.log10(d[k]) - np.log10(d[k - 1]))))


def analyse_intrusion(
    pressure_psia,
    cumulative_mL_g,
    *,
    bulk_density_g_mL: float,
    surface_tension_mN_m: float,
    contact_angle_deg: float,
    plateau_points: int,
) -> MipResult:
    """Porosity, pore area and median diameters of one intrusion curve (pressure rising)."""
    p = np.asarray(pressure_psia, float)
    v = np.asarray(cumulative_mL_g, float)
    if p.size < plateau_points + 1:
        raise ValueError(f"{p.size} intrusion points; at least {plateau_points + 1} needed")
    if p.size < 3 or np.any(np.diff(p) <= 0):
        raise ValueError("intrusion pressures must rise, with at least 3 points")
    if np.any(v < 0):
        raise ValueError(f"negative cumulative intrusion volume {v[v < 0][0]:g} mL/g")
    if not 90 < contact_angle_deg < 180:
        raise ValueError(f"contact angle {contact_angle_deg}° does not describe a non-wetting liquid (90–180°)")
    v = v - v[0]  # intrusion from the filling pressure on
    d = washburn_diameter_um(p, surface_tension_mN_m, contact_angle_deg)
    gamma_cos = surface_tension_mN_m * 1e-3 * abs(np.cos(np.radians(contact_angle_deg)))
    # ∫ P dV: Pa · m³ g⁻¹ / (N m⁻¹) = m² g⁻¹ (V in mL g⁻¹ = 1e-6 m³ g⁻¹)
    dA = 0.5 * (p[1:] + p[:-1]) * PSI_PA * np.diff(v) * 1e-6 / gamma_cos
    area = np.concatenate(([0.0], np.cumsum(dA)))
    total_v, total_a = float(v[-1]), float(area[-1])
    if total_v <= 0:
        raise ValueError("no mercury intruded (cumulative intrusion does not rise)")
    steps = np.diff(v[-plateau_points:])
    sigma_v = float(np.median(np.abs(steps - np.median(steps)))) / (0.6745 * np.sqrt(2))
    return MipResult(
        total_intrusion_mL_g=total_v,
        bulk_density_g_mL=float(bulk_density_g_mL),
        porosity_pct=100 * total_v * bulk_density_g_mL,
        porosity_stderr_pct=100 * sigma_v * bulk_density_g_mL,
        total_pore_area_m2_g=total_a,
        median_diameter_volume_um=_median_diameter(d, v),
        median_diameter_area_um=_median_diameter(d, area),
        average_diameter_um=4 * total_v * 1e-6 / (total_a) * 1e6 if total_a > 0 else float("nan"),
        diameter_min_um=float(d[-1]),
        diameter_max_um=float(d[0]),
    )


def log_differential(pressure_psia, cumulative_mL_g, *, surface_tension_mN_m: float, contact_angle_deg: float):
    """(D, dV/dlog D) at the midpoints of consecutive points, for the pore-size distribution plot."""
    d = washburn_diameter_um(pressure_psia, surface_tension_mN_m, contact_angle_deg)
    v = np.asarray(cumulative_mL_g, float)
    mid = np.sqrt(d[1:] * d[:-1])
    return mid, np.diff(v) / np.abs(np.diff(np.log10(d)))
