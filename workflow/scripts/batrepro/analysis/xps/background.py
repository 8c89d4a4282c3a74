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


def _shirley_rows(e: np.ndarray, S: np.ndarray, n_avg: int, iters: int) -> np.ndarray:
    """The Shirley iteration on every row of ``S`` (points sorted by increasing BE), a fixed number of times."""
    lo, hi = S[:, :n_avg].mean(axis=1, keepdims=True), S[:, -n_avg:].mean(axis=1, keepdims=True)
    bg = np.repeat(lo, S.shape[1], axis=1)
    de = np.diff(e)
    for _ in range(iters):
        net = S - bg
        cum = np.concatenate(
            [np.zeros((S.shape[0], 1)), np.cumsum(0.5 * (net[:, 1:] + net[:, :-1]) * de, axis=1)], axis=1
        )
        total = cum[:, -1:]
        new = lo + (hi - lo) * cum / np.where(total == 0, 1.0, total)
        done = np.max(np.abs(new - bg)) <= 1e-9 * max(float(np.max(np.abs(hi - lo))), 1e-12)
        bg = new
        if done:
            break
    return bg


def shirley_jacobian(be, y, n_avg: int = 1, iters: int = 100) -> np.ndarray:
    """G[i, j] = dB_i / dy_j of the converged Shirley background (forward differences, all points at once),
    in the order of ``be`` as given: how counting noise in every channel moves the background."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    idx, inv = _order(be)
    e, s = be[idx], y[idx]
    h = 1e-6 * max(float(np.max(np.abs(s))), 1.0)
    S = np.vstack([s, s + h * np.eye(s.size)])
    B = _shirley_rows(e, S, n_avg, iters)
    G = ((B[1:] - B[0]) / h).T  # sorted order: rows = background point, columns = perturbed channel
    return G[np.ix_(inv, inv)]


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
