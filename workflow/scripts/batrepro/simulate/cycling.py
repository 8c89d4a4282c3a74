"""Forward model of galvanostatic cycling and rate tests of Si-based anodes and full cells.

Physics, kept simple and explicit:

* **Capacity fade law.** The delithiation (anode) or discharge (full cell) capacity of cycle n is
  ``Q(n) = Q1 · [f_inf + (1 − f_inf) · exp(−(n − 1)/k)]``: an exponential loss of active material
  with time constant ``k`` cycles towards a plateau fraction ``f_inf``. Given the capacity reported
  at cycle N, ``f_inf`` is solved from ``Q(N)``; ``k`` shapes the decay (small k: "decreased
  rapidly during the initial 50 cycles").
* **Coulombic efficiency.** Cycle 1 has its own (the ICE: SEI formation, trapping). From cycle 2 on,
  CE rises as ``CE(n) = CE∞ − (CE∞ − CE2) · exp(−(n − 2)/n_CE)``; the lithiation capacity of cycle n is
  ``Q(n)/CE(n)``.
* **Rate capability.** A diffusion-limited capacity ``Q(C) = Q0.2C · (1 + (0.2/Ch)^p) / (1 + (C/Ch)^p)``
  whose half-capacity rate ``Ch`` is solved from the capacity the paper reports at the highest rate.
* **Voltage–capacity profiles with hysteresis.** A common open-circuit curve U(s) of the alloy
  (two sloping Li–Si plateaus) shifted by ∓h/2 (lithiation/delithiation hysteresis, ≈ 0.2–0.3 V for
  Li–Si) and by an ohmic-plus-kinetic overpotential growing with √C; the ends bend onto the
  cut-off voltages. The first lithiation of crystalline Si has the flat ≈ 0.1 V two-phase plateau
  and an SEI shoulder below 0.8 V.

* **Scatter.** Real cells are not smooth: :func:`cycle_scatter` gives the capacity of each cycle a
  relative AR(1) wander (temperature and contact drift from cycle to cycle), zero at the cycles whose
  capacity the paper prints (those are measurements of the paper's own cell, the calibration); the
  lithiation capacity scatters independently (the CE scatters), and the logged current carries the
  cycler's reading noise (``current_noise_rel``), so ∫I dt recovers each capacity closely but not exactly.

The record's current at each point is the mean over the interval that ends at the point (as
EC-Lab's averaged current), plus that reading noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

#: 1 C for Si in Kim et al.: "1 C = 3,579 mA h g⁻¹" (Li15Si4).
SI_C_RATE_MAH_G = 3579.0


def fade_curve(n_cycles: int, q1: float, q_target: float, n_target: int, k: float) -> np.ndarray:
    """Q(n) for n = 1..n_cycles with Q(1) = q1 and Q(n_target) = q_target."""
    n = np.arange(1, n_cycles + 1, dtype=float)
    e = np.exp(-(n_target - 1) / k)
    f_inf = (q_target / q1 - e) / (1.0 - e)
    if f_inf < 0:
        raise ValueError(f"fade constant k={k} cannot reach {q_target} from {q1} at cycle {n_target}")
    return q1 * (f_inf + (1.0 - f_inf) * np.exp(-(n - 1) / k))


def cycle_scatter(
    n_cycles: int, sd: float, phi: float, rng: np.random.Generator, keep: tuple[int, ...] = ()
) -> np.ndarray:
    """Relative cycle-to-cycle capacity scatter ε_n (multiply by 1 + ε_n): AR(1) with lag-one correlation
    ``phi`` and stationary SD ``sd``; ε = 0 at the 1-based cycles in ``keep``."""
    eps = np.zeros(n_cycles)
    kicks = rng.normal(0.0, sd * np.sqrt(1.0 - phi**2), n_cycles)
    eps[0] = rng.normal(0.0, sd)
    for k in range(1, n_cycles):
        eps[k] = phi * eps[k - 1] + kicks[k]
    for c in keep:
        eps[c - 1] = 0.0
    return eps


def ce_curve(n_cycles: int, ice: float, ce2: float, ce_inf: float, n_ce: float) -> np.ndarray:
    n = np.arange(1, n_cycles + 1, dtype=float)
    ce = ce_inf - (ce_inf - ce2) * np.exp(-(n - 2) / n_ce)
    ce[0] = ice
    return ce


def rate_capacity(
    c_rate: np.ndarray, q_ref: float, q_high: float, c_high: float, p: float = 1.5, c_ref: float = 0.2
) -> np.ndarray:
    """Q(C) with Q(c_ref) = q_ref and Q(c_high) = q_high."""
    r = q_ref / q_high  # (1 + (c_high/Ch)^p) / (1 + (c_ref/Ch)^p) = r  -> solve for Ch numerically
    from scipy.optimize import brentq

    def g(log_ch):
        ch = np.exp(log_ch)
        return (1 + (c_high / ch) ** p) / (1 + (c_ref / ch) ** p) - r

    ch = np.exp(brentq(g, np.log(1e-4), np.log(1e4)))
    c = np.asarray(c_rate, float)
    return q_ref * (1 + (c_ref / ch) ** p) / (1 + (c / ch) ** p)


# ----------------------------------------------------------------------------------- profiles
_SI_U = PchipInterpolator([0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0], [0.95, 0.55, 0.40, 0.29, 0.22, 0.14, 0.09, 0.07])
_SI_FIRST = PchipInterpolator(
    [0.0, 0.004, 0.02, 0.05, 0.08, 0.12, 0.6, 0.9, 0.97, 1.0],
    [2.60, 1.20, 0.75, 0.35, 0.14, 0.105, 0.088, 0.068, 0.045, 0.005],
)
_SIOC_U = PchipInterpolator([0.0, 0.05, 0.2, 0.5, 0.8, 0.95, 1.0], [1.60, 0.90, 0.55, 0.30, 0.15, 0.07, 0.04])
_SIOC_FIRST = PchipInterpolator(
    [0.0, 0.01, 0.05, 0.12, 0.3, 0.6, 0.9, 1.0], [2.80, 1.50, 0.85, 0.60, 0.35, 0.18, 0.06, 0.01]
)
_NCM_U = PchipInterpolator(
    [0.0, 0.05, 0.2, 0.5, 0.8, 0.95, 1.0],  # full cell vs state of charge
    [3.00, 3.45, 3.62, 3.75, 3.92, 4.08, 4.15],
)


@dataclass(frozen=True)
class Chemistry:
    """Open-circuit curve, hysteresis and cut-offs of one cell type."""

    ocv: PchipInterpolator
    first: PchipInterpolator | None
    v_min: float
    v_max: float
    hysteresis_V: float
    overpotential_V: float  # at 1 C; scales with sqrt(C)
    anode: bool  # True: first half-cycle is a lithiation (negative current)


CHEMISTRIES = {
    "si_anode": Chemistry(_SI_U, _SI_FIRST, 0.005, 1.5, 0.25, 0.05, True),
    "sioc_anode": Chemistry(_SIOC_U, _SIOC_FIRST, 0.01, 3.0, 0.30, 0.06, True),
    "ncm622_full": Chemistry(_NCM_U, None, 2.8, 4.3, 0.08, 0.06, False),
}


def lithiation_profile(chem: Chemistry, u: np.ndarray, c_rate: float, first: bool) -> np.ndarray:
    """Voltage along a lithiation (anode) or charge (full cell) as a function of u = q/Q ∈ (0, 1]."""
    eta = chem.overpotential_V * np.sqrt(max(c_rate, 1e-6))
    if chem.anode:
        if first and chem.first is not None:
            e = chem.first(u) - eta * 0.3 * (u > 0.05)
        else:
            e = chem.ocv(u) - chem.hysteresis_V / 2 - eta
        return e + (chem.v_min - e[-1]) * u**4 if len(e) else e
    e = chem.ocv(u) + chem.hysteresis_V / 2 + eta  # full cell charge: voltage rises
    return e + (chem.v_max - e[-1]) * u**6


def delithiation_profile(chem: Chemistry, u: np.ndarray, c_rate: float) -> np.ndarray:
    """Voltage along a delithiation (anode) or discharge (full cell), u = q/Q ∈ (0, 1]."""
    eta = chem.overpotential_V * np.sqrt(max(c_rate, 1e-6))
    if chem.anode:
        e = chem.ocv(1.0 - u) + chem.hysteresis_V / 2 + eta
        return e + (chem.v_max - e[-1]) * u**12
    e = chem.ocv(1.0 - u) - chem.hysteresis_V / 2 - eta
    return e + (chem.v_min - e[-1]) * u**8


# ----------------------------------------------------------------------------------- records
@dataclass
class Record:
    time_s: list
    voltage_V: list
    current_mA: list
    ns: list
    mode: list

    @classmethod
    def start(cls, ocv_V: float, rest_s: float = 600.0, n_points: int = 2) -> Record:
        t = list(np.linspace(0.0, rest_s, n_points))
        return cls(t, [ocv_V] * n_points, [0.0] * n_points, [0] * n_points, [3] * n_points)

    def add_step(self, current_mA: float, duration_s: float, voltages: np.ndarray, ns: int, mode: int = 1) -> None:
        n = len(voltages)
        t0 = self.time_s[-1]
        self.time_s += list(t0 + duration_s * np.arange(1, n + 1) / n)
        self.voltage_V += list(voltages)
        self.current_mA += [current_mA] * n
        self.ns += [ns] * n
        self.mode += [mode] * n

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "time_s": np.asarray(self.time_s, float),
            "voltage_V": np.asarray(self.voltage_V, float),
            "current_mA": np.asarray(self.current_mA, float),
            "ns": np.asarray(self.ns, int),
            "mode": np.asarray(self.mode, int),
        }


def cycle_record(
    chem: Chemistry,
    mass_mg: float,
    lith_mAh_g: np.ndarray,
    delith_mAh_g: np.ndarray,
    c_rates: np.ndarray,
    c_rate_mAh_g: float,
    points: np.ndarray,
    seed: int,
    noise_V: float = 0.0005,
    current_noise_rel: float = 0.0,
) -> dict[str, np.ndarray]:
    """A whole cycling record: per cycle one lithiation/charge and one delithiation/discharge.

    ``lith_mAh_g`` and ``delith_mAh_g`` are the specific capacities of each cycle, ``c_rates`` the
    C-rate of each cycle (current = C · c_rate_mAh_g · mass), ``points`` the number of logged
    points per half-cycle.
    """
    rng = np.random.default_rng(seed)
    mass_g = mass_mg / 1000.0
    first_v = float(chem.first(0.0)) if (chem.anode and chem.first is not None) else float(chem.ocv(0.0))
    rec = Record.start(first_v if chem.anode else 3.0)
    sign_in = -1.0 if chem.anode else 1.0  # lithiation of an anode = reduction = negative current
    for n, (ql, qd, c, npts) in enumerate(zip(lith_mAh_g, delith_mAh_g, c_rates, points)):
        current = c * c_rate_mAh_g * mass_g  # mA
        u = np.arange(1, int(npts) + 1) / int(npts)
        for q, sign, ns in ((ql, sign_in, 1), (qd, -sign_in, 2)):
            duration = q * mass_g / current * 3600.0
            if sign == sign_in:
                v = lithiation_profile(chem, u, c, first=(n == 0))
            else:
                v = delithiation_profile(chem, u, c)
            v = v + rng.normal(0.0, noise_V, len(v))
            rec.add_step(sign * current, duration, np.clip(v, chem.v_min, chem.v_max), ns)
    out = rec.arrays()
    out["current_mA"] = out["current_mA"] * (1.0 + rng.normal(0.0, current_noise_rel, out["current_mA"].size))
    return out
