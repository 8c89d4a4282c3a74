"""Derived XPS quantities: energy referencing, area fractions, average valence, RSF quantification,
depth profiles and the long summary rows the audit joins on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from batrepro.vocab import conditions
from batrepro.vocab.summary import row

from .fit import FitResult


def charge_shift(be, y, reference_eV: float = 284.8, window: tuple[float, float] = (280.0, 292.0)) -> float:
    """Shift (eV) that puts the adventitious C 1s maximum at ``reference_eV`` (ISO 19318 practice;
    284.8 eV after Barr & Seal, J. Vac. Sci. Technol. A 13 (1995) 1239). Add it to the BE axis."""
    be, y = np.asarray(be, float), np.asarray(y, float)
    sel = (be >= window[0]) & (be <= window[1])
    if not sel.any():
        raise ValueError(f"no C 1s points in {window} eV for charge referencing")
    i = np.argmax(y[sel])
    xs, ys = be[sel], y[sel]
    if 0 < i < xs.size - 1:  # parabolic vertex through the three top points
        x3, y3 = xs[i - 1 : i + 2], ys[i - 1 : i + 2]
        a, b, _ = np.polyfit(x3, y3, 2)
        peak = -b / (2 * a) if a < 0 else xs[i]
    else:
        peak = xs[i]
    return float(reference_eV - peak)


def area_fractions(result: FitResult) -> dict[str, float]:
    """Component area / total component area (0-1)."""
    return result.fractions()


def average_valence(result: FitResult) -> tuple[float, float]:
    """Average oxidation state sum(n_i A_i) / sum(A_i) (e.g. Si 2p Si0..Si4+), with its SD propagated to
    first order from the area covariance of the fit (the areas of overlapping components are correlated)."""
    a = result.areas
    n = np.asarray([np.nan if v is None else v for v in result.valences], float)
    if np.isnan(n).any():
        raise ValueError(f"region {result.region}: every component needs a valence")
    tot = a.sum()
    v = float(np.sum(n * a) / tot)
    grad = (n - v) / tot
    cov = result.area_cov if result.area_cov is not None else np.diag(result.area_sd**2)
    return v, float(np.sqrt(max(grad @ cov @ grad, 0.0)))


@dataclass(frozen=True)
class Composition:
    elements: tuple[str, ...]
    at_percent: np.ndarray
    corrected: np.ndarray


def composition(
    areas: dict[str, float],
    rsf: dict[str, float],
    transmission: dict[str, float] | None = None,
    mfp: dict[str, float] | None = None,
) -> Composition:
    """Atomic percent normalised to 100: %At_i = (A_i / (RSF_i T_i MFP_i)) / sum_j (...), the CasaXPS
    ``Area/(RSF*T*MFP)`` convention (Scofield cross-sections, J. Electron Spectrosc. 8 (1976) 129, or an
    instrument RSF table)."""
    els = tuple(areas)
    corr = np.array([areas[e] / (rsf[e] * (transmission or {}).get(e, 1.0) * (mfp or {}).get(e, 1.0)) for e in els])
    return Composition(els, 100.0 * corr / corr.sum(), corr)


def region_area(be, y, window, background: str = "shirley", n_avg: int = 3, variance=None) -> tuple[float, float]:
    """Background-subtracted peak area of a core-level window (trapezoid) and its standard error.

    The error propagates the counting variance ``variance`` (of ``y``, e.g. counts / (dwell x scans)^2 for a
    rate) to first order through the whole computation, the Shirley background included: dA/dy = w (I - G),
    w the trapezoid weights and G = dB/dy (:func:`background.shirley_vjp` gives w G directly). Other backgrounds keep
    their shape fixed. Without ``variance`` the error is NaN."""
    from . import background as bgmod

    be, y = np.asarray(be, float), np.asarray(y, float)
    sel = (be >= min(window)) & (be <= max(window))
    if sel.sum() < 2 * n_avg + 1:
        raise ValueError(f"only {int(sel.sum())} points in the window {tuple(window)} eV")
    order = np.argsort(be[sel])
    x, yy = be[sel][order], y[sel][order]
    bg = bgmod.BACKGROUNDS[background](x, yy, n_avg=n_avg)
    area = float(np.trapezoid(yy - bg, x))
    if variance is None:
        return area, float("nan")
    var = np.asarray(variance, float)[sel][order]
    w = np.zeros_like(x)
    dx = np.diff(x)
    w[:-1] += 0.5 * dx
    w[1:] += 0.5 * dx
    if background == "shirley":
        grad = w - bgmod.shirley_vjp(x, yy, w, n_avg)[0]
    else:
        grad = w.copy()
    return area, float(np.sqrt(np.sum(grad**2 * var)))


def composition_with_errors(areas: dict, errors: dict, rsf: dict) -> dict[str, tuple[float, float]]:
    """at% (normalised to 100) of each element and its standard error, propagated from independent area
    errors: d at_i / d c_j = 100 (delta_ij S - c_i) / S^2 with c = A / RSF and S = sum c."""
    els = list(areas)
    c = np.array([areas[e] / rsf[e] for e in els])
    u = np.array([errors[e] / rsf[e] for e in els])
    total = c.sum()
    out = {}
    for i, e in enumerate(els):
        grad = -100.0 * c[i] / total**2 * np.ones_like(c)
        grad[i] += 100.0 / total
        out[e] = (float(100.0 * c[i] / total), float(np.sqrt(np.sum((grad * u) ** 2))))
    return out


def component_fraction(result: FitResult, component: str) -> tuple[float, float]:
    """Area fraction (%) of one component of a fit and its SD from the area covariance."""
    if component not in result.names:
        raise ValueError(f"region {result.region}: no component {component!r} (components: {list(result.names)})")
    a = result.areas
    tot = a.sum()
    i = result.names.index(component)
    f = a[i] / tot
    grad = -f / tot * np.ones_like(a)
    grad[i] += 1.0 / tot
    cov = result.area_cov if result.area_cov is not None else np.diag(result.area_sd**2)
    return float(100 * f), float(100 * np.sqrt(max(grad @ cov @ grad, 0.0)))


def mean_sd(values) -> tuple[float, float | None, int]:
    v = np.asarray(values, float)
    return float(v.mean()), (float(v.std(ddof=1)) if v.size > 1 else None), int(v.size)


def fmt_min(t: float) -> str:
    return f"{t:g}"


def valence_rows(paper: str, sample: str, valences: dict[float, tuple[float, float]], method: str) -> list:
    """``si_average_valence`` rows (value, fit standard error), condition ``sputter_min=T``."""
    return [
        row(
            paper, "xps", sample, "si_average_valence", conditions.format({"sputter_min": fmt_min(t)}), "", v, method, u
        )
        for t, (v, u) in sorted(valences.items())
    ]


def composition_rows(paper: str, sample: str, table: dict, method: str) -> list:
    """``atomic_concentration`` rows per (site, sputter time, element) with the counting standard error,
    condition ``element=E;site=S;sputter_min=T``, plus the mean +- SD across sites (condition without
    ``site``). ``table`` maps (site, time) -> {element: (at%, standard error)}."""
    out = []
    per_time: dict[tuple[float, str], list] = {}
    for (site, t), comp in sorted(table.items()):
        for el, (v, u) in comp.items():
            cond = conditions.format({"element": el, "site": str(int(site)), "sputter_min": fmt_min(t)})
            out.append(row(paper, "xps", sample, "atomic_concentration", cond, "at%", v, method, u))
            per_time.setdefault((t, el), []).append(v)
    for (t, el), vals in sorted(per_time.items()):
        m, sd, n = mean_sd(vals)
        cond = conditions.format({"element": el, "sputter_min": fmt_min(t)})
        out.append(
            row(
                paper,
                "xps",
                sample,
                "atomic_concentration",
                cond,
                "at%",
                m,
                method + "; mean +- SD across sites",
                sd,
                n,
            )
        )
    return out


def fraction_row(paper: str, sample: str, quantity: str, region: str, value_percent: float, sd_percent, method: str):
    """A component fraction (%) of a region, e.g. ``li2co3_fraction`` with condition ``region=C1s``."""
    cond = conditions.format({"region": region.replace(" ", "")})
    return row(paper, "xps", sample, quantity, cond, "%", value_percent, method, uncertainty=sd_percent)


def transmission_at(positions_eV, energy_eV, transmission) -> np.ndarray:
    """The analyser transmission T at each component position, interpolated from the transmission column
    that SpecsLab/CasaXPS VAMAS exports carry (the T of CasaXPS's ``Area/(RSF*T*MFP)``)."""
    e, t = np.asarray(energy_eV, float), np.asarray(transmission, float)
    o = np.argsort(e)
    return np.interp(np.asarray(positions_eV, float), e[o], t[o])
