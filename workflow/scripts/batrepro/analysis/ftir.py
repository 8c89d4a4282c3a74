"""FT-IR band positions: absorbance, baseline, normalisation, peaks, and matching to a band list.

Steps (:func:`analyse_spectrum`):

1. Transmittance (%T) becomes absorbance A = −log10(T/100) (Beer–Lambert), on ascending wavenumbers.
2. Baseline: asymmetric least squares with adaptive weights, arPLS (Baek et al., Analyst 140, 250 (2015);
   ``pybaselines.Baseline.arpls``). IR absorbance spectra are positive bands on a smooth, sloping background
   (scattering, reflection losses); arPLS estimates the noise level from the negative residuals itself, so
   it needs only the smoothness λ, where plain AsLS also needs the asymmetry p tuned per spectrum, and a
   polynomial baseline would bend under the broad Si–O–Si band.
3. Normalisation to the largest baseline-corrected band (unit maximum), as stacked spectra are drawn.
4. Peaks: ``scipy.signal.find_peaks`` with a minimum prominence (fraction of the maximum); each apex is refined
   by a least-squares parabola through ``refine_half_width`` points either side (the sampling is 1.9 cm⁻¹ at
   4 cm⁻¹ resolution, so the grid alone would quantise positions to ±1 cm⁻¹). The parabola's covariance gives
   the standard error of the apex position.
5. Bands: each band of the list (config ``ftir.bands``: name → search window, optional samples) takes the
   most prominent peak inside its window.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.signal import find_peaks


def to_absorbance(x: np.ndarray, y: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(ascending wavenumber, absorbance) from transmittance in % or absorbance."""
    order = np.argsort(x)
    x, y = np.asarray(x, float)[order], np.asarray(y, float)[order]
    if kind == "transmittance_pct":
        if (y <= 0).mean() > 0.01:
            raise ValueError("more than 1 % of the transmittance values are ≤ 0 %T: not a transmittance spectrum")
        y = -np.log10(np.clip(y, 1e-3, None) / 100.0)
    return x, y


def baseline_arpls(x: np.ndarray, a: np.ndarray, lam: float) -> np.ndarray:
    from pybaselines import Baseline

    base, _ = Baseline(x_data=x).arpls(a, lam=lam)
    return base


def refine_apex(x: np.ndarray, y: np.ndarray, i: int, half: int) -> tuple[float, float]:
    """Apex position and its standard error from a parabola through points i−half..i+half."""
    lo, hi = max(i - half, 0), min(i + half + 1, len(x))
    xs, ys = x[lo:hi] - x[i], y[lo:hi]
    if len(xs) < 4:
        return float(x[i]), math.nan
    coef, cov = np.polyfit(xs, ys, 2, cov=True)
    a, b = coef[0], coef[1]
    if a >= 0:
        return float(x[i]), math.nan
    x0 = -b / (2 * a)
    if abs(x0) > (xs[-1] - xs[0]) / 2:
        return float(x[i]), math.nan
    grad = np.array([b / (2 * a * a), -1 / (2 * a)])
    se = float(np.sqrt(grad @ cov[:2, :2] @ grad))
    return float(x[i] + x0), se


def find_bands(x: np.ndarray, norm: np.ndarray, prominence: float, half: int) -> pd.DataFrame:
    idx, props = find_peaks(norm, prominence=prominence)
    rows = []
    for i, p in zip(idx, props["prominences"]):
        pos, se = refine_apex(x, norm, int(i), half)
        rows.append(
            {"wavenumber_per_cm": pos, "uncertainty_per_cm": se, "height": float(norm[i]), "prominence": float(p)}
        )
    return pd.DataFrame(rows, columns=["wavenumber_per_cm", "uncertainty_per_cm", "height", "prominence"])


def match_bands(peaks: pd.DataFrame, bands: Mapping[str, Mapping], sample: str) -> dict[str, dict]:
    """Band name -> the most prominent peak in its window (bands limited to other samples are skipped)."""
    out = {}
    for name, spec in sorted(bands.items()):
        if spec.get("samples") and sample not in spec["samples"]:
            continue
        lo, hi = spec["window"]
        inside = peaks[(peaks["wavenumber_per_cm"] >= lo) & (peaks["wavenumber_per_cm"] <= hi)]
        if len(inside):
            best = inside.loc[inside["prominence"].idxmax()]
            out[name] = {k: float(best[k]) for k in peaks.columns}
    return out


def analyse_spectrum(
    x, y, kind: str, *, baseline_lam: float, peak_prominence: float, refine_half_width: int, bands, sample: str
) -> dict:
    """Band positions of one spectrum (module docstring); also the curves for the stacked plot."""
    wn, a = to_absorbance(x, y, kind)
    base = baseline_arpls(wn, a, baseline_lam)
    corrected = a - base
    scale = float(corrected.max())
    if not scale > 0:
        raise ValueError("no absorption band above the baseline")
    norm = corrected / scale
    peaks = find_bands(wn, norm, peak_prominence, refine_half_width)
    found = match_bands(peaks, bands, sample)
    return {
        "bands": found,
        "n_peaks": int(len(peaks)),
        "peaks": peaks.to_dict("list"),
        "curves": {"wavenumber_per_cm": wn, "absorbance": a, "baseline": base, "absorbance_normalised": norm},
        "method": "arpls_baseline_parabolic_apex",
    }
