"""Circuit fitting: automatic initial guesses from the spectrum and the bounded weighted least-squares fit.

The fit is ``scipy.optimize.least_squares`` (trust-region reflective) with an analytic Jacobian propagated
through the circuit tree. Standard errors come from the Jacobian at the optimum, scaled by the residual
variance (as ``scipy.optimize.curve_fit`` with ``absolute_sigma=False``, which impedance.py uses).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import least_squares

from .circuits import Circuit, circuit_impedance, element_type, evaluate, param_offsets, parse_circuit
from .drt import drt
from .spectrum import high_frequency_intercept, residual_sigma


def _arc_estimates(f, z, r0, n_arcs, n_diffusion=0):
    """(tau, R) per relaxation, by increasing τ: apexes of −Z″, else the peaks of a DRT.

    Apexes are used when there are at least as many as arcs and no finite-length diffusion
    element needs a time constant; otherwise the ``n_arcs + n_diffusion`` largest DRT peaks.
    """
    order = np.argsort(f)[::-1]
    f, z = f[order], z[order]
    n = n_arcs + n_diffusion
    mz = -z.imag
    sm = np.convolve(np.pad(mz, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    peaks = [i for i in range(1, sm.size - 1) if sm[i] > sm[i - 1] and sm[i] >= sm[i + 1] and sm[i] > 0]
    estimates = []
    if n_diffusion == 0 and len(peaks) >= n_arcs:
        peaks = sorted(sorted(peaks, key=lambda i: -sm[i])[:n_arcs])
        estimates = [(1 / (2 * np.pi * f[i]), 2 * sm[i]) for i in peaks]
    else:
        try:
            res = drt(f, z, lam=1e-5, penalty_order=2, weights="modulus", check=False, peak_min_fraction=0.01)
            pk = sorted(res.peaks, key=lambda p: -p.area_ohm)[:n]
            estimates = [(p.tau_s, p.area_ohm) for p in pk]
        except (ValueError, np.linalg.LinAlgError):
            estimates = []
    if len(estimates) < n:
        span = max(float(np.max(z.real)) - r0, 1e-12 + abs(r0) * 1e-3)
        have = {round(np.log10(t), 1) for t, _ in estimates}
        for t in np.geomspace(1 / (2 * np.pi * f[0]), 1 / (2 * np.pi * f[-1]), n + 2)[1:-1]:
            if len(estimates) >= n:
                break
            if round(np.log10(t), 1) not in have:
                estimates.append((t, span / n))
    estimates = sorted(estimates, key=lambda t: t[0])
    return [(float(t), float(max(r, 1e-9))) for t, r in estimates]


def initial_guess(circuit: Circuit | str, frequency_Hz, z, arc_order: Sequence[int] | None = None) -> np.ndarray:
    """Starting values from the spectrum itself.

    The first series resistor gets the high-frequency intercept. Every arc (a ``Zarc`` or a
    ``p(...)`` block holding a resistor) gets a time constant and a resistance from the apex
    frequency and height of −Z″ (diameter ≈ 2 × apex height), taken from high to low frequency
    in the order the arcs appear in the string; when the apexes overlap, the peaks of a DRT of
    the spectrum are used instead. Capacitances follow from C = τ/R, CPE Q from τ^α/R with
    α = 0.85. Warburg coefficients come from the low-frequency slope, A_W = median(−Z″·√ω) over
    the lowest-frequency decade, and finite Warburgs get τ_W = 1/(2π f_min). ``arc_order`` assigns the
    arc estimates to the arcs in another order (a permutation of their indices; a multi-start tries them).
    """
    c = parse_circuit(circuit) if isinstance(circuit, str) else circuit
    f = np.asarray(frequency_Hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    r0 = high_frequency_intercept(f, z)
    w = 2 * np.pi * f
    low = f <= f.min() * 10
    aw = float(np.median(np.abs(z.imag[low]) * np.sqrt(w[low]))) if low.any() else 1.0
    aw = max(aw, 1e-9)
    tau_w = 1 / (2 * np.pi * f.min())

    top = c.tree[1] if c.tree[0] == "s" else [c.tree]
    arcs = [node for node in top if node[0] == "p" or (node[0] == "e" and element_type(node[1]) in ("Zarc", "K"))]
    short_w = [node[1] for node in top if node[0] == "e" and element_type(node[1]) == "Ws"]
    estimates = _arc_estimates(f, z, r0, len(arcs), len(short_w)) if arcs or short_w else []
    # a short Warburg's largest Debye term sits at τ_W·4/π² with R = 8·Z0/π² (the slowest peaks)
    ws_estimates = estimates[len(estimates) - len(short_w) :] if short_w else []
    estimates = estimates[: len(estimates) - len(short_w)] if short_w else estimates
    guess: dict[str, list[float]] = {}
    first_r = True

    def fill(node, tau=None, r=None):
        nonlocal first_r
        if node[0] in ("s", "p"):
            for child in node[1]:
                fill(child, tau, r)
            return
        name = node[1]
        kind = element_type(name)
        if kind == "R":
            if r is not None:
                guess[name] = [r]
            elif first_r:
                guess[name] = [max(r0, 1e-9)]
                first_r = False
            else:
                guess[name] = [max(r0 * 0.1, 1e-9)]
        elif kind == "C":
            guess[name] = [tau / r if tau is not None else 1 / (w.min() * max(abs(z[-1]), 1e-12))]
        elif kind == "L":
            guess[name] = [1e-7]
        elif kind == "CPE":
            if tau is not None:
                guess[name] = [tau**0.85 / r, 0.85]
            else:
                guess[name] = [1 / (w.min() * max(abs(z[np.argmin(f)]), 1e-12)), 0.85]
        elif kind == "W":
            guess[name] = [aw]
        elif kind == "Ws" and ws_estimates:
            t, rr = ws_estimates.pop(0)
            guess[name] = [rr * np.pi**2 / 8, t * np.pi**2 / 4]
        elif kind in ("Wo", "Ws"):
            guess[name] = [aw * np.sqrt(2 * tau_w), tau_w]
        elif kind in ("Zarc", "K"):
            t, rr = (tau, r) if tau is not None else (estimates.pop(0) if estimates else (tau_w / 10, r0))
            guess[name] = [rr, t, 0.85] if kind == "Zarc" else [rr, t]

    if arc_order is not None and len(arc_order) == len(estimates):
        estimates = [estimates[k] for k in arc_order]
    arc_iter = iter(estimates)
    for node in top:
        if node in arcs:
            t, r = next(arc_iter, (tau_w / 10, max(r0, 1e-3)))
            if node[0] == "e":
                name = node[1]
                guess[name] = [r, t, 0.85] if element_type(name) == "Zarc" else [r, t]
            else:
                fill(node, t, r)
        else:
            fill(node)
    values = np.concatenate([guess[el] for el in c.elements])
    return np.clip(values, c.lower + 1e-12, np.where(np.isfinite(c.upper), c.upper, np.inf))


def standard_errors(jac: np.ndarray, s2: float, names) -> tuple[np.ndarray, tuple[str, ...]]:
    """Standard errors from the full covariance s² (JᵀJ)⁻¹, with J the weighted Jacobian at the optimum.

    (JᵀJ)⁻¹ is formed from the singular values of J itself (V diag(1/s²) Vᵀ), never from a pseudo-inverse of
    JᵀJ, whose default cut-off (1e-15 of the largest eigenvalue, i.e. 3e-8 of the largest singular value of J)
    silently drops the flat directions and reports a tiny error for a parameter the data cannot fix. Singular
    values at or below ``eps · max(J.shape) · s_max`` (``scipy.optimize.curve_fit``'s threshold) are zero: a
    parameter with a component along such a direction has an infinite standard error and is returned in
    ``unidentified``. On a well-posed fit this equals curve_fit's (and so impedance.py's) covariance.
    """
    n = jac.shape[1]
    if not np.all(np.isfinite(jac)):
        return np.full(n, np.nan), tuple(names)
    _, sv, vt = np.linalg.svd(jac, full_matrices=False)
    keep = sv > np.finfo(float).eps * max(jac.shape) * (sv[0] if sv.size else 0.0)
    var = ((vt[keep].T / sv[keep] ** 2) @ vt[keep]).diagonal() * s2
    se = np.sqrt(np.clip(var, 0, None))
    null = vt[~keep]
    flat = np.any(np.abs(null) > 1e-8, axis=0) if null.size else np.zeros(n, dtype=bool)
    se[flat] = np.inf
    return se, tuple(name for name, bad in zip(names, flat) if bad)


@dataclass(frozen=True)
class FitResult:
    circuit: str
    names: tuple[str, ...]
    units: tuple[str, ...]
    values: np.ndarray
    stderr: np.ndarray
    initial: np.ndarray
    residuals_real: np.ndarray  # (Z_data − Z_fit)/|Z_data|
    residuals_imag: np.ndarray
    chi2: float
    success: bool
    n_points: int
    weights: str
    method: str = "bounded_wls_trf"
    unidentified: tuple[str, ...] = ()  # parameters with an infinite standard error (flat directions)
    start: str = "given"  # which start the fit came from (``given``, ``auto`` or ``auto+multistart:<k>``)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.names, self.values.tolist()))


#: function evaluations of a screening fit from each further automatic start
SCREEN_NFEV = 60


def n_arcs(circuit: Circuit) -> int:
    top = circuit.tree[1] if circuit.tree[0] == "s" else [circuit.tree]
    return sum(node[0] == "p" or (node[0] == "e" and element_type(node[1]) in ("Zarc", "K")) for node in top)


def automatic_starts(c: Circuit, f, z, lo, hi, n_starts: int, seed: int = 0) -> list[tuple[str, np.ndarray]]:
    """Up to ``n_starts`` starting points, the documented automatic start (:func:`initial_guess`) first, then
    the same estimates assigned to the arcs in the other orders (up to 3 arcs: all permutations), then
    random perturbations of the first (scale parameters × 10^U(−1, 1), exponents U(0.5, 1)), from a fixed seed."""
    starts = [("auto", initial_guess(c, f, z))]
    k = n_arcs(c)
    if 1 < k <= 3:
        for perm in list(itertools.permutations(range(k)))[1:]:
            if len(starts) >= n_starts:
                break
            starts.append((f"arc_order_{''.join(map(str, perm))}", initial_guess(c, f, z, perm)))
    rng = np.random.default_rng(seed)
    x0 = starts[0][1]
    exponent = np.isfinite(hi) & (hi <= 1.0)
    while len(starts) < n_starts:
        x = x0 * 10 ** rng.uniform(-1, 1, x0.size)
        x[exponent] = rng.uniform(np.maximum(lo[exponent], 0.5), hi[exponent])
        starts.append((f"perturbed_{len(starts)}", np.clip(x, lo, hi)))
    return starts


def fit_circuit(
    frequency_Hz,
    z,
    circuit: str,
    initial_guess_values: Sequence[float] | None = None,
    *,
    weights: str,
    bounds: tuple | None = None,
    name: str = "spectrum",
    max_nfev: int = 2000,
    n_starts: int = 1,
) -> FitResult:
    """Fit an equivalent circuit by bounded weighted least squares.

    With ``initial_guess_values`` the fit starts there only (a documented start reproduces its documented
    minimum). Without, it runs from ``n_starts`` automatic starts (:func:`automatic_starts`): the first (the
    single automatic start) is fitted in full, the others are screened with :data:`SCREEN_NFEV` evaluations
    each and the most promising is fitted in full; the lower χ² wins, so more starts can only lower χ² (at
    most 2 × ``max_nfev`` + (``n_starts`` − 1) × :data:`SCREEN_NFEV` evaluations). ``FitResult.start`` names
    the winning start.

    ``weights`` (required: impedance.py's default is ``"unit"``, σ = 1, the workflow's ``eis.fit_weights`` is
    ``"modulus"``, σ = |Z|).
    ``initial_guess_values``: None for automatic starting values (:func:`initial_guess`).
    """
    c = parse_circuit(circuit)
    f = np.asarray(frequency_Hz, dtype=float)
    zd = np.asarray(z, dtype=complex)
    if 2 * f.size <= c.n_params:
        raise ValueError(
            f"{name}: {f.size} points ({2 * f.size} real values) are too few "
            f"for the {c.n_params} parameters of '{circuit}'"
        )
    sigma = residual_sigma(zd, weights, name)
    lo, hi = (c.lower, c.upper) if bounds is None else (np.asarray(bounds[0], float), np.asarray(bounds[1], float))
    if lo.size != c.n_params or hi.size != c.n_params:
        raise ValueError(f"{name}: circuit '{circuit}' has {c.n_params} parameters {list(c.names)}, the bounds differ")
    if initial_guess_values is None:
        starts = automatic_starts(c, f, zd, lo, hi, max(int(n_starts), 1))
    else:
        starts = [("given", np.asarray(initial_guess_values, dtype=float))]
        if starts[0][1].size != c.n_params:
            raise ValueError(
                f"{name}: circuit '{circuit}' has {c.n_params} parameters {list(c.names)}, "
                f"the initial guess has {starts[0][1].size}"
            )

    def run(label, x0, nfev):
        return replace(_fit_once(c, f, zd, sigma, np.clip(x0, lo, hi), lo, hi, circuit, weights, nfev), start=label)

    best = run(*starts[0], max_nfev)
    if len(starts) > 1:  # screen the other starts with a short fit, then finish the most promising one
        screened = min((run(label, x0, SCREEN_NFEV) for label, x0 in starts[1:]), key=lambda r: r.chi2)
        if screened.chi2 < best.chi2:
            final = run(screened.start, screened.values, max_nfev)
            best = final if final.chi2 < best.chi2 else best
    return best


def _fit_once(c, f, zd, sigma, x0, lo, hi, circuit, weights, max_nfev) -> FitResult:
    w = 2 * np.pi * f
    offsets = param_offsets(c)

    def resid(p):
        zm, _ = evaluate(c.tree, p, w, offsets, c.n_params, False)
        r = (zm - zd) / sigma
        return np.concatenate([r.real, r.imag])

    def jac(p):
        _, j = evaluate(c.tree, p, w, offsets, c.n_params, True)
        j = j / sigma[:, None]
        return np.vstack([j.real, j.imag])

    with np.errstate(all="ignore"):
        # impedance.py's settings (curve_fit → trf, ftol 1e-13, default xtol/gtol 1e-8), so that
        # fits stop where impedance.py's do on flat valleys such as a finite Warburg's (Z0, τ).
        sol = least_squares(resid, x0, jac=jac, bounds=(lo, hi), method="trf", ftol=1e-13, max_nfev=max_nfev)
    p = sol.x
    dof = max(2 * f.size - c.n_params, 1)
    s2 = 2 * sol.cost / dof
    se, unidentified = standard_errors(sol.jac, s2, c.names)
    zfit = circuit_impedance(c, p, f)
    rel = (zd - zfit) / np.abs(zd)
    return FitResult(
        circuit,
        c.names,
        c.units,
        p,
        se,
        x0,
        rel.real,
        rel.imag,
        float(2 * sol.cost),
        bool(sol.success),
        int(f.size),
        weights,
        unidentified=unidentified,
    )
