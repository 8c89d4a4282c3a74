"""Lin-KK: the Kramers–Kronig test by a linear fit of Voigt elements (Schönleber et al., Electrochim.
Acta 131 (2014) 20), with the number of RC elements chosen by the μ criterion."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinKKResult:
    M: int
    mu: float
    residuals_real: np.ndarray  # (Z − Z_KK)/|Z|
    residuals_imag: np.ndarray
    max_abs_residual: float
    rms_residual: float
    passed: bool
    threshold: float
    method: str = "lin_kk_schoenleber2014"


def _linkk_fit(f, z, M, add_inductance, extend_decades):
    w = 2 * np.pi * f
    tmin = 1 / (2 * np.pi * f.max()) / 10**extend_decades
    tmax = 1 / (2 * np.pi * f.min()) * 10**extend_decades
    tau = np.geomspace(tmin, tmax, M) if M > 1 else np.array([np.sqrt(tmin * tmax)])
    k = 1.0 / (1 + 1j * np.outer(w, tau))
    cols = [np.ones(f.size, dtype=complex), *k.T]
    if add_inductance:
        cols.append(1j * w)
    a = np.column_stack(cols)
    s = np.abs(z)
    aw = a / s[:, None]
    bw = z / s
    A = np.vstack([aw.real, aw.imag])
    b = np.concatenate([bw.real, bw.imag])
    x, *_ = np.linalg.lstsq(A, b, rcond=None)
    rk = x[1 : M + 1]
    pos = np.abs(rk[rk >= 0]).sum()
    neg = np.abs(rk[rk < 0]).sum()
    mu = 1 - neg / pos if pos > 0 else 0.0
    return mu, a @ x


def lin_kk(
    frequency_Hz,
    z,
    *,
    extend_decades: float,
    c: float = 0.85,
    max_M: int = 50,
    add_inductance: bool = True,
    threshold: float = 0.01,
) -> LinKKResult:
    """Kramers–Kronig test by a linear fit of M Voigt elements (Schönleber et al. 2014).

    The fit is linear (modulus-weighted complex least squares) with a series resistance and, optionally,
    a series inductance; the time constants span 1/(2π f_max) … 1/(2π f_min) (Schönleber's choice),
    widened by ``extend_decades`` at both ends when a process is slower than the lowest frequency (a
    diffusion tail; required: Schönleber's range is 0, the workflow's ``eis.linkk.extend_decades`` is 0.5).

    M: Schönleber's μ criterion, μ = 1 − Σ|R_k<0| / Σ|R_k≥0|, with M grown from 1 until μ ≤ ``c``. The
    criterion detects over-fitting, so it is applied only to fits that are no longer under-fitted: those
    whose RMS residual is within a factor 2 of the best any M up to ``max_M`` reaches. On a τ grid too
    coarse for the spectrum (a few elements over 8 decades) the least-squares fit also turns some R_k
    negative, and the plain rule then stops at M = 4–6 with RMS residuals of 2–30 % on spectra that are
    Kramers–Kronig consistent by construction (tests/unit/test_eis.py). When no converged fit has μ ≤ c,
    the first converged M is used. The spectrum passes when the RMS of the relative residuals
    (Z − Z_KK)/|Z| is within ``threshold`` (1 % by default: residuals at the noise level pass, a drifting or
    non-linear spectrum leaves a systematic trend of several %).
    """
    f = np.asarray(frequency_Hz, float)
    z = np.asarray(z, complex)
    max_M = int(min(max_M, f.size - 1 - int(add_inductance)))
    if max_M < 1:
        raise ValueError(f"Lin-KK: {f.size} points are too few")
    fits = []
    for M in range(1, max_M + 1):
        mu, zkk = _linkk_fit(f, z, M, add_inductance, extend_decades)
        rel = (z - zkk) / np.abs(z)
        fits.append((M, float(mu), zkk, float(np.sqrt(np.mean(np.concatenate([rel.real, rel.imag]) ** 2)))))
    floor = min(fit[3] for fit in fits)
    converged = [fit for fit in fits if fit[3] <= 2.0 * floor]
    M, mu, zkk, rms = next((fit for fit in converged if fit[1] <= c), converged[0])
    rel = (z - zkk) / np.abs(z)
    worst = float(max(np.abs(rel.real).max(), np.abs(rel.imag).max()))
    return LinKKResult(M, float(mu), rel.real, rel.imag, worst, rms, rms <= threshold, threshold)
