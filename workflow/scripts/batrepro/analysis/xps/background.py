"""Inelastic backgrounds under XPS peaks: linear, iterative Shirley and Tougaard.

All functions take the energy axis ``be`` (binding energy, any order) and the intensity ``y`` and return
the background on the same points. The low-BE end of the window is the background's lower anchor.
"""

from __future__ import annotations

import numpy as np


def _order(be: np.ndarray):
    """Indices that sort ``be`` increasingly (low BE = high KE first) and the inverse permutation."""
    idx = np.argsort(be, kind="stable")
    inv = np.empty_like(idx)
    inv[idx] = np.arange(idx.size)
    return idx, inv


def linear(be, y, n_avg: int = 1) -> np.ndarray:
    """A straight line between the mean of the ``n_avg`` end points on either side of the window."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    idx, inv = _order(be)
    e, s = be[idx], y[idx]
    lo, hi = s[:n_avg].mean(), s[-n_avg:].mean()
    return (lo + (hi - lo) * (e - e[0]) / (e[-1] - e[0]))[inv]


def shirley(be, y, n_avg: int = 1, tol: float = 1e-6, max_iter: int = 100) -> np.ndarray:
    """Iterative Shirley background (D. A. Shirley, Phys. Rev. B 5 (1972) 4709; Proctor & Sherwood,
    Anal. Chem. 54 (1982) 13): B(E) = I_lo + (I_hi - I_lo) * Q(E) / (Q + P), where Q is the
    background-subtracted peak area on the low-BE side of E, iterated to self-consistency.
    Trapezoidal cumulative integrals; converges when the change is below ``tol`` of the step."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    idx, inv = _order(be)
    e, s = be[idx], y[idx]
    lo, hi = s[:n_avg].mean(), s[-n_avg:].mean()
    bg = np.full_like(s, lo)
    step = hi - lo
    de = np.diff(e)
    for _ in range(max_iter):
        net = s - bg
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (net[1:] + net[:-1]) * de)])
        total = cum[-1]
        new = lo + step * cum / total if total != 0 else bg
        if np.max(np.abs(new - bg)) <= tol * max(abs(step), 1e-12):
            bg = new
            break
        bg = new
    return bg[inv]


def shirley_vjp(be, y, W, n_avg: int = 1) -> np.ndarray:
    """W @ G, where G[i, j] = dB_i / dy_j is the Jacobian of the converged Shirley background (points in the
    order of ``be`` as given; ``W`` has one row per linear functional of the background, e.g. the trapezoid
    weights of an area or the rows of a least-squares projector). Used to propagate counting noise.

    Exact at the fixed point B = lo + D Q / A (lo, hi the end means, D = hi - lo, Q = C (y - B) the trapezoid
    cumulative net area, A its last value, s = Q / A): differentiating gives (I + M) dB = (1 a^T + s (b - a)^T
    + M) dy with M = k (C - s c^T), k = D / A, c the last row of C, a and b the end-averaging vectors. I + k C
    is triangular, so W (I + M)^-1 takes triangular solves and one Sherman-Morrison step: O(n^2) per row."""
    from scipy.linalg import solve_triangular

    be, y = np.asarray(be, float), np.asarray(y, float)
    W = np.atleast_2d(np.asarray(W, float))
    idx, inv = _order(be)
    e, v, w = be[idx], y[idx], W[:, idx]
    n = v.size
    bg = shirley(e, v, n_avg=n_avg)
    de = np.diff(e)
    T = np.zeros((n - 1, n))
    k = np.arange(n - 1)
    T[k, k] = 0.5 * de
    T[k, k + 1] = 0.5 * de
    C = np.vstack([np.zeros(n), np.cumsum(T, axis=0)])
    q = C @ (v - bg)
    area = q[-1]
    if area == 0:
        return np.zeros_like(W)
    a_vec, b_vec = np.zeros(n), np.zeros(n)
    a_vec[:n_avg] = 1.0 / n_avg
    b_vec[-n_avg:] = 1.0 / n_avg
    kappa = (b_vec @ v - a_vec @ v) / area
    s_shape = q / area
    c = C[-1]
    # X = w (I + kC - k s c^T)^-1  <=>  (I + kC^T - k c s^T) X^T = w^T; U = I + k C^T is upper triangular
    U = np.eye(n) + kappa * C.T
    Uw = solve_triangular(U, w.T, lower=False)
    Uc = solve_triangular(U, c, lower=False)
    X = (Uw + np.outer(Uc, kappa * (s_shape @ Uw)) / (1.0 - kappa * (s_shape @ Uc))).T
    Xs = X @ s_shape
    out = np.outer(X.sum(axis=1), a_vec) + np.outer(Xs, b_vec - a_vec) + kappa * (X @ C - np.outer(Xs, c))
    res = np.empty_like(out)
    res[:, idx] = out
    return res


def tougaard(
    be, y, B: float = 2866.0, C: float = 1643.0, D: float = 0.0, kind: str = "U2", n_avg: int = 1, fit_B: bool = True
) -> np.ndarray:
    """Tougaard background B(E) = int K(E - E') j(E') dE' over the lower-BE (higher-KE) side, with the universal
    cross-sections of S. Tougaard: U2 K = B T / (C + T^2)^2 (Solid State Commun. 61 (1987) 547; C = 1643 eV^2)
    and U3 K = B T / ((C - T^2)^2 + D T^2) (Surf. Interface Anal. 25 (1997) 137; polymers C = 551, D = 436).
    With ``fit_B`` B is scaled so the background meets the high-BE end of the window."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    idx, inv = _order(be)
    e, s = be[idx], y[idx]
    lo = s[:n_avg].mean()
    j = s - lo
    de = np.gradient(e)
    t = e[:, None] - e[None, :]  # energy loss T = E_i - E_k from a point k at lower BE (higher KE)
    den = (C + t**2) ** 2 if kind == "U2" else (C - t**2) ** 2 + D * t**2
    kern = np.where(t > 0, t / den, 0.0)
    bg = kern @ (j * de)
    if fit_B:
        target = s[-n_avg:].mean() - lo
        scale = target / bg[-1] if bg[-1] != 0 else 0.0
    else:
        scale = B
    out = lo + scale * bg
    return out[inv]


BACKGROUNDS = {"linear": linear, "shirley": shirley, "tougaard": tougaard}
