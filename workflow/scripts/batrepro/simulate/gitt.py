"""Forward model of a GITT experiment: Fickian diffusion of Li in spherical particles.

The electrode is a set of identical spheres of radius R. Its active volume is
V = m_B V_M / M_B and its electrode/electrolyte interface is S, so R = 3 V / S: the same
m_B, V_M, M_B and S that the Weppner–Huggins analysis reads from the sample sheet describe the
simulated particles, and the analysis' length V/S equals R/3.

Inside a particle, θ = x/x_max obeys ∂θ/∂t = (1/r²) ∂/∂r (r² D(θ) ∂θ/∂r) with a flux
D ∂θ/∂r = −I V / (F S n_host x_max) at r = R (I < 0 lithiates) and symmetry at r = 0.
It is solved by the method of lines on a finite-volume grid refined towards the surface
(geometric shells), implicit (backward Euler) in time with D lagged one step, so it is stable for
any time step. The cell voltage is E = U(θ_surface) + I R_ohm (ohmic drop), θ_surface extrapolated
from the outer shell with the imposed flux.

D(θ): the papers give no diffusion coefficient (Guan et al. show D only as a plot, Fig. S11;
Kim et al. report none). The default D(θ) lies in the 10⁻¹²–10⁻¹¹ cm² s⁻¹ range reported for Li in
amorphous Si and in polymer-derived SiOC by GITT and EIS (order of magnitude, e.g. N. Ding et al.,
Solid State Ionics 180 (2009) 222 for nano-Si; J. Kaspar et al., J. Power Sources 269 (2014) 164
for SiOC); it is a stand-in, not a fit to those papers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import solve_banded

FARADAY = 96485.33212


def default_diffusivity(theta):
    """log10 D varies smoothly between about 3e-12 and 1.5e-11 cm² s⁻¹ with lithiation."""
    theta = np.clip(theta, 0.0, 1.0)
    return 10 ** (-11.0 + 0.2 * np.cos(np.pi * theta) - 0.35 * theta)


def default_ocv(theta):
    """Sloping OCV of a SiOC/Si anode vs Li (V), monotonic in θ = x/x_max."""
    theta = np.asarray(theta, float)
    u = np.clip(1.0 - theta, 0.0, None)
    return 0.06 + 0.9 * u**1.4 + 0.35 * (1.0 - theta)


@dataclass
class GittCell:
    """Electrode and protocol parameters (units in the names)."""

    mass_mg: float = 1.0  # m_B
    molar_mass_g_mol: float = 62.0  # M_B (host formula unit)
    molar_volume_cm3_mol: float = 29.5  # V_M
    area_cm2: float = 2.01  # S
    x_max: float = 2.0  # Li per host formula unit at full lithiation
    r_ohm: float = 15.0  # ohmic resistance (Ω)
    diffusivity: Callable = field(default=default_diffusivity)  # D(θ) in cm² s⁻¹
    ocv: Callable = field(default=default_ocv)  # U(θ) in V
    n_shells: int = 60

    @property
    def volume_cm3(self) -> float:
        return self.mass_mg / 1000.0 * self.molar_volume_cm3_mol / self.molar_mass_g_mol

    @property
    def radius_cm(self) -> float:
        return 3.0 * self.volume_cm3 / self.area_cm2

    @property
    def n_host_mol(self) -> float:
        return self.mass_mg / 1000.0 / self.molar_mass_g_mol

    @property
    def capacity_mAh(self) -> float:
        return self.x_max * self.n_host_mol * FARADAY / 3.6


class SphereDiffusion:
    """Implicit finite-volume solver for one sphere; state θ per shell."""

    def __init__(self, cell: GittCell, theta0: float):
        self.cell = cell
        n = cell.n_shells
        radius = cell.radius_cm
        # geometric shells: the outermost is ~ R/2000 thick
        w = np.geomspace(1.0, 0.002, n)
        edges = np.r_[0.0, np.cumsum(w)] / np.sum(w) * radius
        self.edges = edges
        self.centres = 0.5 * (edges[1:] + edges[:-1])
        self.vol = (edges[1:] ** 3 - edges[:-1] ** 3) / 3.0  # per steradian
        self.face_area = edges[1:-1] ** 2  # inner faces
        self.face_dist = np.diff(self.centres)
        self.theta = np.full(n, float(theta0))

    def flux(self, current_mA: float) -> float:
        """D ∂θ/∂r at the surface (cm s⁻¹ in θ units); positive into the particle for I < 0."""
        c = self.cell
        return -current_mA / 1000.0 * c.volume_cm3 / (FARADAY * c.area_cm2 * c.n_host_mol * c.x_max)

    def surface_theta(self, current_mA: float) -> float:
        d = self.cell.diffusivity(self.theta[-1])
        return self.theta[-1] + self.flux(current_mA) * (self.edges[-1] - self.centres[-1]) / d

    def step(self, dt: float, current_mA: float) -> None:
        th = self.theta
        d_face = self.cell.diffusivity(0.5 * (th[1:] + th[:-1]))
        g = self.face_area * d_face / self.face_dist
        n = len(th)
        a = self.vol / dt
        diag = a.copy()
        diag[:-1] += g
        diag[1:] += g
        ab = np.zeros((3, n))
        ab[0, 1:] = -g
        ab[1] = diag
        ab[2, :-1] = -g
        rhs = a * th
        rhs[-1] += self.edges[-1] ** 2 * self.flux(current_mA)
        self.theta = solve_banded((1, 1), ab, rhs)

    def voltage(self, current_mA: float) -> float:
        return float(self.cell.ocv(self.surface_theta(current_mA)) + current_mA / 1000.0 * self.cell.r_ohm)

    def mean_theta(self) -> float:
        return float(np.sum(self.vol * self.theta) / np.sum(self.vol))


def _run_step(
    model: SphereDiffusion,
    current_mA: float,
    duration_s: float,
    log_times: np.ndarray,
    dt_min: float,
    growth: float,
    out: dict,
    t0: float,
    ns: int,
) -> float:
    """Integrate one constant-current step, logging at the given times (s from step start)."""
    t = 0.0
    dt = dt_min
    k = 0
    while k < len(log_times):
        target = log_times[k]
        h = min(dt, target - t)
        model.step(h, current_mA)
        t += h
        dt = min(dt * growth, duration_s / 4 if current_mA == 0 else dt_min)
        if t >= target - 1e-9:
            out["time_s"].append(t0 + t)
            out["voltage_V"].append(model.voltage(current_mA))
            out["current_mA"].append(current_mA)
            out["ns"].append(ns)
            out["mode"].append(1 if current_mA != 0 else 3)
            k += 1
    return t0 + duration_s


def simulate_gitt(
    cell: GittCell,
    theta_start: float = 0.02,
    n_titrations: int = 40,
    dtheta: float = 0.024,
    pulse_s: float = 60.0,
    rest_s: float = 14400.0,
    pulse_points: int = 12,
    rest_points: int = 20,
    both_directions: bool = True,
    dt_pulse: float = 0.5,
    noise_V: float = 0.0,
    seed: int = 0,
    initial_rest_s: float = 3600.0,
) -> dict[str, np.ndarray]:
    """Lithiation ("discharge") titrations from θ_start, then delithiation ("charge") back.

    Each titration: a pulse of ``pulse_s`` moving θ by ``dtheta``, then a rest of ``rest_s``.
    Pulse points are logged evenly, rest points log-spaced (as EC-Lab's dE/dt recording does).
    """
    model = SphereDiffusion(cell, theta_start)
    current = dtheta * cell.capacity_mAh / (pulse_s / 3600.0)  # mA
    out = {k: [] for k in ("time_s", "voltage_V", "current_mA", "ns", "mode")}
    out["time_s"].append(0.0)
    out["voltage_V"].append(model.voltage(0.0))
    out["current_mA"].append(0.0)
    out["ns"].append(0)
    out["mode"].append(3)
    t = _run_step(model, 0.0, initial_rest_s, np.array([initial_rest_s]), 1.0, 1.5, out, 0.0, 0)
    pulse_log = pulse_s * np.arange(1, pulse_points + 1) / pulse_points
    rest_log = np.unique(np.r_[np.geomspace(1.0, rest_s, rest_points - 1), rest_s])
    directions = [(-1.0, 1, 2)] + ([(1.0, 3, 4)] if both_directions else [])
    for sign, ns_pulse, ns_rest in directions:
        for _ in range(n_titrations):
            t = _run_step(model, sign * current, pulse_s, pulse_log, dt_pulse, 1.0, out, t, ns_pulse)
            t = _run_step(model, 0.0, rest_s, rest_log, 0.5, 1.25, out, t, ns_rest)
    rec = {k: np.asarray(v) for k, v in out.items()}
    if noise_V:
        rec["voltage_V"] = rec["voltage_V"] + np.random.default_rng(seed).normal(0, noise_V, len(rec["time_s"]))
    return rec
