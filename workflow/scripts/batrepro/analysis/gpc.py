"""GPC/SEC molar-mass averages by the slice method with a conventional (polystyrene) calibration.

ISO 16014-1/-3 and DIN 55672-1: a polynomial log10 M(V) is fitted to the narrow standards' peak molar masses
against their elution volumes; the RI trace (signal ∝ mass concentration) is baseline-corrected with a straight
line through both ends of the chromatogram, integrated between the limits where the corrected signal (a
``limit_smoothing_points`` moving average of it) first and last exceeds ``limit_fraction`` of its maximum,
and sliced at the data points (equal ΔV):

    Mn = Σh_i / Σ(h_i / M_i),   Mw = Σh_i M_i / Σh_i,   Mz = Σh_i M_i² / Σh_i M_i,   Đ = Mw / Mn.

Elution time becomes volume with the flow rate. The integration limits must lie inside the calibrated
volume range (the standards'): extrapolating a cubic calibration is not done (an error instead).

Standard uncertainty of Mn and Mw: the baseline noise σ (RMS of the baseline windows about their line)
propagated through the sums (∂Mn/∂h_i = (1 − Mn/M_i)/Σ(h_i/M_i), ∂Mw/∂h_i = (M_i − Mw)/Σh_i), combined with
the calibration's: the fit covariance C of the coefficients gives u(log10 M) = √(gᵀCg) at the trace's
weight-average elution volume, and u_cal(M̄) = ln 10 · M̄ · u(log10 M).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    coefficients: tuple[float, ...]  # log10 M = Σ c_k V^k, highest power first (numpy.polyval order)
    covariance: tuple[tuple[float, ...], ...]
    volume_min_mL: float
    volume_max_mL: float
    residual_dex: float
    n_standards: int

    def log_m(self, v):
        return np.polyval(self.coefficients, v)

    def u_log_m(self, v: float) -> float:
        g = np.array([v**k for k in range(len(self.coefficients) - 1, -1, -1)])
        return float(np.sqrt(g @ np.asarray(self.covariance) @ g))


def fit_calibration(mp_g_mol, ve_mL, order: int) -> Calibration:
    """Least-squares polynomial log10 Mp(V) of the given order (ISO 16014-1 §8)."""
    mp, ve = np.asarray(mp_g_mol, float), np.asarray(ve_mL, float)
    if len(mp) < order + 2:
        raise ValueError(f"{len(mp)} standards are too few for a calibration polynomial of order {order}")
    coef, cov = np.polyfit(ve, np.log10(mp), order, cov=True)
    resid = np.log10(mp) - np.polyval(coef, ve)
    v = np.linspace(ve.min(), ve.max(), 200)
    if np.any(np.diff(np.polyval(coef, v)) >= 0):
        raise ValueError("calibration log M(V) is not monotonic decreasing over the standards' range")
    return Calibration(
        tuple(float(c) for c in coef),
        tuple(tuple(float(x) for x in row) for row in cov),
        float(ve.min()),
        float(ve.max()),
        float(np.sqrt(np.mean(resid**2))),
        int(len(mp)),
    )


@dataclass(frozen=True)
class MolarMass:
    mn_g_mol: float
    mw_g_mol: float
    mz_g_mol: float
    dispersity: float
    mn_uncertainty_g_mol: float
    mw_uncertainty_g_mol: float
    peak_volume_mL: float
    limit_low_mL: float
    limit_high_mL: float
    baseline_noise: float
    n_slices: int
    method: str = "slice_conventional_calibration"

    def as_dict(self) -> dict:
        return asdict(self)


def baseline(v: np.ndarray, y: np.ndarray, fraction: float) -> tuple[np.ndarray, float]:
    """Straight line through the first and last ``fraction`` of the points; returns it and the noise RMS."""
    n = max(int(len(v) * fraction), 5)
    idx = np.r_[0:n, len(v) - n : len(v)]
    coef = np.polyfit(v[idx], y[idx], 1)
    line = np.polyval(coef, v)
    return line, float(np.std(y[idx] - line[idx], ddof=2))


def slice_averages(
    v_mL,
    signal,
    cal: Calibration,
    *,
    baseline_fraction: float,
    limit_fraction: float,
    limit_smoothing_points: int,
    name: str = "trace",
) -> MolarMass:
    """Mn, Mw, Mz and dispersity of one RI trace (module docstring)."""
    v, y = np.asarray(v_mL, float), np.asarray(signal, float)
    line, noise = baseline(v, y, baseline_fraction)
    h = y - line
    # the limits are found on a moving average: on the raw trace the first noise dip below the threshold would
    # end the integration early and cut the high-M tail (Mw biased low by ~0.5 % at 0.2 % noise)
    k = max(int(limit_smoothing_points), 1)
    smooth = np.convolve(h, np.ones(k) / k, mode="same")
    top = int(np.argmax(smooth))
    if smooth[top] <= 10 * noise:
        raise ValueError(f"{name}: no peak above the baseline noise ({smooth[top]:.3g} vs noise {noise:.3g})")
    above = smooth > limit_fraction * smooth[top]
    lo = top
    while lo > 0 and above[lo - 1]:
        lo -= 1
    hi = top
    while hi < len(v) - 1 and above[hi + 1]:
        hi += 1
    if v[lo] < cal.volume_min_mL or v[hi] > cal.volume_max_mL:
        raise ValueError(
            f"{name}: the peak elutes over {v[lo]:.3f}–{v[hi]:.3f} mL, outside the calibrated range "
            f"{cal.volume_min_mL:.3f}–{cal.volume_max_mL:.3f} mL of the standards (no extrapolation)"
        )
    hs, vs = h[lo : hi + 1], v[lo : hi + 1]
    m = 10.0 ** cal.log_m(vs)
    s0, s_1, s1, s2 = hs.sum(), (hs / m).sum(), (hs * m).sum(), (hs * m * m).sum()
    mn, mw, mz = s0 / s_1, s1 / s0, s2 / s1
    u_mn_noise = noise * math.sqrt(float(np.sum((1 - mn / m) ** 2))) / s_1
    u_mw_noise = noise * math.sqrt(float(np.sum((m - mw) ** 2))) / s0
    v_w = float((hs * vs).sum() / s0)
    u_log = cal.u_log_m(v_w)
    u_mn = math.hypot(u_mn_noise, math.log(10) * mn * u_log)
    u_mw = math.hypot(u_mw_noise, math.log(10) * mw * u_log)
    return MolarMass(
        mn,
        mw,
        mz,
        mw / mn,
        u_mn,
        u_mw,
        float(v[int(np.argmax(h))]),
        float(v[lo]),
        float(v[hi]),
        noise,
        int(hi - lo + 1),
    )


def distribution(v_mL, signal, cal: Calibration, result: MolarMass, baseline_fraction: float):
    """(log10 M, w(log M)) inside the integration limits, w normalised to unit area: the MWD curve."""
    v, y = np.asarray(v_mL, float), np.asarray(signal, float)
    line, _ = baseline(v, y, baseline_fraction)
    keep = (v >= result.limit_low_mL) & (v <= result.limit_high_mL)
    vs, h = v[keep], (y - line)[keep]
    logm = cal.log_m(vs)
    dlogm_dv = np.abs(np.gradient(logm, vs))
    w = h / dlogm_dv
    order = np.argsort(logm)
    area = np.trapezoid(w[order], logm[order])
    return logm, w / area
