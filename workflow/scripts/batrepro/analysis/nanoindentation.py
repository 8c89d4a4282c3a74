"""Instrumented indentation after ISO 14577-1 with the Oliver & Pharr (1992) method.

Oliver, W. C. & Pharr, G. M., J. Mater. Res. 7 (1992) 1564–1583; ISO 14577-1:2015 (method), -2 (area function
calibration). For one load–hold–unload curve (force P in mN, depth h in nm):

1. The unloading segment starts at the largest depth h_max (the end of the hold, where creep has stopped
   growing the depth); P_max is the force there.
2. A power law P = α (h − h_f)^m is fitted by least squares to the unloading points whose force lies between
   ``fit_range[0]`` and ``fit_range[1]`` times P_max (the upper part of the unloading curve).
3. The contact stiffness is its slope at h_max, S = α m (h_max − h_f)^(m−1).
4. The contact depth is h_c = h_max − ε P_max / S (ε = 0.75 for a Berkovich indenter, a paraboloid of revolution).
5. The projected contact area is A(h_c) = Σ_k C_k h_c^(2^(1−k)) with h_c in nm (C_0 h² + C_1 h + C_2 h^½ + C_3 h^¼
   + …, the ISO 14577-2 / Oliver–Pharr form); ``[24.5]`` is the ideal Berkovich tip, a calibrated tip adds terms.
6. Reduced modulus E_r = √π S / (2 β √A) and hardness H = P_max / A (β: indenter shape factor, 1 in Oliver & Pharr
   1992, 1.034 for a Berkovich in later work).

Units: mN / nm² = 10⁶ GPa, mN / nm = 10⁶ N/m. No frame-compliance correction is applied: the exports hold the
instrument's already corrected penetration depth.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from ..vocab import summary as vsummary

#: mN / nm² in GPa
GPA_PER_MN_NM2 = 1e6


@dataclass(frozen=True)
class ContactResult:
    contact_depth_nm: float
    contact_area_nm2: float
    reduced_modulus_GPa: float
    hardness_GPa: float


@dataclass(frozen=True)
class IndentResult:
    max_force_mN: float
    max_depth_nm: float
    final_depth_nm: float
    unload_exponent: float
    unload_prefactor_mN: float
    fit_points: int
    fit_rms_mN: float
    stiffness_mN_nm: float
    contact_depth_nm: float
    contact_area_nm2: float
    reduced_modulus_GPa: float
    hardness_GPa: float
    unload_start_index: int
    fit_range: tuple[float, float]
    method: str = "oliver_pharr_iso14577"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["fit_range"] = list(self.fit_range)
        return d


def contact_area(hc_nm, coefficients) -> np.ndarray:
    """Projected area (nm²) of the area function Σ C_k h_c^(2^(1−k)) (h_c in nm)."""
    hc = np.asarray(hc_nm, dtype=float)
    area = np.zeros_like(hc)
    for k, c in enumerate(coefficients):
        area = area + c * np.power(hc, 2.0 / 2**k)
    return area


def oliver_pharr(
    stiffness_mN_nm: float,
    max_force_mN: float,
    max_depth_nm: float,
    *,
    epsilon: float,
    beta: float,
    area_coefficients,
) -> ContactResult:
    """Contact depth, area, E_r and H from S, P_max and h_max (steps 4–6 of the module docstring)."""
    if not stiffness_mN_nm > 0:
        raise ValueError(f"contact stiffness {stiffness_mN_nm:g} mN/nm is not positive")
    hc = max_depth_nm - epsilon * max_force_mN / stiffness_mN_nm
    if not hc > 0:
        raise ValueError(f"contact depth {hc:g} nm is not positive (h_max {max_depth_nm:g} nm, P/S too large)")
    area = float(contact_area(hc, area_coefficients))
    if not area > 0:
        raise ValueError(f"area function gives {area:g} nm² at h_c = {hc:g} nm")
    er = np.sqrt(np.pi) * stiffness_mN_nm / (2.0 * beta * np.sqrt(area)) * GPA_PER_MN_NM2
    return ContactResult(float(hc), area, float(er), float(max_force_mN / area * GPA_PER_MN_NM2))


def fit_unloading(h: np.ndarray, p: np.ndarray) -> tuple[float, float, float, float]:
    """Least-squares P = α (h − h_f)^m; returns (α, h_f, m, rms residual). Scaled internally as
    P = P_top ((h − h_f)/(h_top − h_f))^m so the parameters are of order one, started from the
    linearised fit P^(1/m) = a h + b at m = 1.5."""
    top = int(np.argmax(h))
    h_top, p_top = float(h[top]), float(p[top])
    y = np.clip(p, 0.0, None) ** (1 / 1.5)
    a, b = np.polyfit(h, y, 1)
    hf0 = -b / a if a > 0 else float(h.min()) - (h_top - float(h.min()))
    hf0 = min(hf0, float(h.min()) - 1e-6 * max(h_top, 1.0))
    span = h_top - float(h.min())
    hf_hi = float(h.min()) - 1e-9 * max(abs(h_top), 1.0)

    def model(x):
        p0, hf, m = x
        u = np.clip((h - hf) / (h_top - hf), 1e-12, None)
        return p0 * u**m, u

    def residual(x):
        return model(x)[0] - p

    def jac(x):
        p0, hf, m = x
        pred, u = model(x)
        d = h_top - hf
        du_dhf = (h - h_top) / d**2
        return np.column_stack([pred / p0, p0 * m * u ** (m - 1) * du_dhf, pred * np.log(u)])

    x0 = [p_top, hf0, 1.5]
    lo = [0.0, hf_hi - 50 * max(span, 1.0), 1.0]
    hi = [np.inf, hf_hi, 4.0]
    x0[1] = min(max(x0[1], lo[1] + 1e-9), hi[1] - 1e-9)
    scale = np.array([p_top, span, 1.0])
    x, converged = _levenberg_marquardt(residual, jac, np.array(x0), scale, np.array(lo), np.array(hi))
    if not converged:  # the damped Gauss–Newton loop stalled at a bound: scipy's trust-region reflective fit
        x = least_squares(residual, x0, jac=jac, bounds=(lo, hi), x_scale=scale, method="trf").x
    p0, hf, m = x
    alpha = p0 / (h_top - hf) ** m
    return float(alpha), float(hf), float(m), float(np.sqrt(np.mean(residual(x) ** 2)))


def _levenberg_marquardt(residual, jac, x, scale, lo, hi, max_iter: int = 100, rtol: float = 1e-12):
    """Levenberg–Marquardt (Marquardt's diagonal damping) for the three-parameter power law, steps kept inside
    (lo, hi). The same algorithm as MINPACK's lmder, without its per-call overhead (~1 ms), which dominated a
    100-indent batch. Returns (x, converged)."""
    r = residual(x)
    cost = float(r @ r)
    lam = 1e-3
    for _ in range(max_iter):
        js = jac(x) * scale
        a, g = js.T @ js, js.T @ r
        for _ in range(30):
            try:
                step = np.linalg.solve(a + lam * np.diag(np.diag(a)), -g) * scale
            except np.linalg.LinAlgError:
                return x, False
            trial = x + step
            if np.all(trial > lo) and np.all(trial < hi):
                r_new = residual(trial)
                cost_new = float(r_new @ r_new)
                if cost_new <= cost:
                    break
            lam *= 10.0
        else:
            return x, False
        done = cost - cost_new <= rtol * max(cost, 1e-300) or np.all(np.abs(step) <= 1e-12 * (np.abs(x) + scale))
        x, r, cost, lam = trial, r_new, cost_new, max(lam / 10.0, 1e-12)
        if done:
            return x, True
    return x, False


def analyse_indent(
    depth_nm: np.ndarray,
    force_mN: np.ndarray,
    *,
    fit_range,
    min_fit_points: int,
    epsilon: float,
    beta: float,
    area_coefficients,
) -> IndentResult:
    """Oliver–Pharr analysis of one load–(hold–)unload curve (module docstring, steps 1–6)."""
    h = np.asarray(depth_nm, dtype=float)
    p = np.asarray(force_mN, dtype=float)
    lo_frac, hi_frac = float(fit_range[0]), float(fit_range[1])
    if not 0 <= lo_frac < hi_frac <= 1:
        raise ValueError(f"fit range {list(fit_range)} must satisfy 0 <= low < high <= 1")
    i_u = int(np.argmax(h))
    p_max, h_max = float(p[i_u]), float(h[i_u])
    if not p_max > 0:
        raise ValueError(f"force at the maximum depth is {p_max:g} mN: no loaded indent")
    hu, pu = h[i_u:], p[i_u:]
    keep = (pu >= lo_frac * p_max) & (pu <= hi_frac * p_max)
    n = int(keep.sum())
    if n < min_fit_points:
        raise ValueError(
            f"unloading curve has {n} points between {lo_frac:.0%} and {hi_frac:.0%} of P_max "
            f"({len(hu)} unloading points in all); at least {min_fit_points} are needed to fit the power law"
        )
    if np.ptp(hu[keep]) <= 0:
        raise ValueError("unloading points to fit all have the same depth")
    alpha, hf, m, rms = fit_unloading(hu[keep], pu[keep])
    stiffness = alpha * m * (h_max - hf) ** (m - 1)
    c = oliver_pharr(stiffness, p_max, h_max, epsilon=epsilon, beta=beta, area_coefficients=area_coefficients)
    return IndentResult(
        max_force_mN=p_max,
        max_depth_nm=h_max,
        final_depth_nm=hf,
        unload_exponent=m,
        unload_prefactor_mN=alpha,
        fit_points=n,
        fit_rms_mN=rms,
        stiffness_mN_nm=float(stiffness),
        contact_depth_nm=c.contact_depth_nm,
        contact_area_nm2=c.contact_area_nm2,
        reduced_modulus_GPa=c.reduced_modulus_GPa,
        hardness_GPa=c.hardness_GPa,
        unload_start_index=i_u,
        fit_range=(lo_frac, hi_frac),
    )


#: summary quantity -> (metrics key, factor to the registry unit, registry unit)
SUMMARY_QUANTITIES = {
    "indentation_depth": ("max_depth_nm", 1e-3, "um"),
    "reduced_modulus": ("reduced_modulus_GPa", 1.0, "GPa"),
    "hardness": ("hardness_GPa", 1.0, "GPa"),
}
METHOD = "oliver_pharr_iso14577"


def summarise(paper: str, runs: list[dict], metrics: dict[str, dict]) -> pd.DataFrame:
    """Mean ± SD (ddof = 1) over the indents of each sample."""
    rows = []
    for sample in sorted({r["sample"] for r in runs}):
        ms = [metrics[r["run"]] for r in runs if r["sample"] == sample]
        for quantity, (key, factor, unit) in sorted(SUMMARY_QUANTITIES.items()):
            v = np.array([m[key] for m in ms], float) * factor
            rows.append(vsummary.mean_sd(paper, "nanoindentation", sample, quantity, unit, v, METHOD))
    return vsummary.frame(rows)


def summary_table(spec: dict, runs: list[dict], metrics: dict[str, dict], summary: pd.DataFrame) -> pd.DataFrame:
    """Table S2: per sample, indents, P_max, h_max, h_c, S, E_r and H (mean and SD over indents)."""
    columns = {
        "max_force_mN": ("max_force_mN", 1.0),
        "indentation_depth_um": ("max_depth_nm", 1e-3),
        "contact_depth_um": ("contact_depth_nm", 1e-3),
        "stiffness_N_m": ("stiffness_mN_nm", 1e6),
        "unload_exponent": ("unload_exponent", 1.0),
        "reduced_modulus_GPa": ("reduced_modulus_GPa", 1.0),
        "hardness_GPa": ("hardness_GPa", 1.0),
    }
    rows = []
    for sample in spec["samples"]:
        ms = [metrics[r["run"]] for r in runs if r["sample"] == sample]
        if not ms:
            continue
        row = {"sample": sample, "indents": len(ms)}
        for name, (key, factor) in columns.items():
            v = np.array([m[key] for m in ms], float) * factor
            row[f"{name}_mean"] = v.mean()
            row[f"{name}_sd"] = v.std(ddof=1) if v.size > 1 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
