"""GPC stand-ins: RI chromatograms of a log-normal molar-mass distribution through a PS calibration.

Model
-----
The column's true calibration is a cubic log10 M(V). The weight distribution is log-normal in log10 M (mean μ,
SD σ; SEC peaks are near-Gaussian in V), so the RI signal (∝ mass eluting) is h(V) ∝ exp(−½((log M − μ)/σ)²) ·
|d log10 M/dV|, on a baseline with a small offset and drift and white noise of ``noise_fraction`` of the peak
(an RI detector at a 2 mg/mL injection: ~0.2 %); no band broadening. The paper's Mn and Mw are taken as what
its software reported from the chromatogram between its integration limits, so μ and σ are solved such that the
noise-free trace, integrated between the points at ``limit_fraction`` of its peak, gives each specimen's Mn and
Mw. Those are drawn from N(reported, ``specimen_rsd``) (0.2 %: injection-to-injection repeatability within a
sequence with flow-marker correction; ISO 16014 round robins find ~1 % between laboratories), so the analysis
recovers them near, not at, the paper's values (Mn 4526 / 2629 kDa, Mw 5400 / 7672 kDa). The calibration table
lists narrow PS standards whose peak elution volumes carry N(0, ``standard_sd_mL``) scatter (retention
repeatability ~0.005 mL). This module never imports the analysis code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.optimize import brentq, fsolve


def log_m_true(v, coef):
    return np.polyval(coef, v)


#: below this volume (the column set's exclusion limit) nothing is separated: the model calibration ends there
EXCLUSION_VOLUME_ML = 10.5


def lognormal_trace(v, coef, mu, sigma):
    """Noise-free RI signal (unit peak) of a log-normal weight distribution in log10 M (mean mu, SD sigma)."""
    logm = log_m_true(v, coef)
    h = np.exp(-0.5 * ((logm - mu) / sigma) ** 2) * np.abs(np.gradient(logm, v))
    h[v < EXCLUSION_VOLUME_ML] = 0.0
    return h / h.max()


def sliced_averages(v, h, coef, limit_fraction):
    """Mn, Mw a slice integration between the limits at ``limit_fraction`` of the peak would report."""
    top = int(np.argmax(h))
    keep = h > limit_fraction * h[top]
    lo, hi = top, top
    while lo > 0 and keep[lo - 1]:
        lo -= 1
    while hi < len(h) - 1 and keep[hi + 1]:
        hi += 1
    m, hs = 10.0 ** log_m_true(v[lo : hi + 1], coef), h[lo : hi + 1]
    return hs.sum() / (hs / m).sum(), (hs * m).sum() / hs.sum()


def calibrate(v, coef, mn, mw, limit_fraction):
    """(mu, sigma) of the log-normal whose sliced Mn and Mw are the targets: the paper's numbers are taken as
    what its GPC software reported from the chromatogram between its integration limits."""

    def miss(p):
        a, b = sliced_averages(v, lognormal_trace(v, coef, p[0], np.exp(p[1])), coef, limit_fraction)
        return [np.log(a / mn), np.log(b / mw)]

    mu0 = np.log10(mw) - 0.5 * np.log10(mw / mn)
    sol, info, ok, msg = fsolve(miss, [mu0, np.log(max(np.sqrt(np.log10(mw / mn) / 1.15), 0.03))], full_output=True)
    if max(abs(x) for x in miss(sol)) > 2e-4:  # the integration limits move in steps of one point
        raise ValueError(f"GPC stand-in: cannot calibrate Mn {mn:g}, Mw {mw:g}: {msg}")
    return float(sol[0]), float(np.exp(sol[1]))


def trace(v, coef, mn, mw, limit_fraction, noise_fraction, rng, height_mV=25.0):
    mu, sigma = calibrate(v, coef, mn, mw, limit_fraction)
    h = height_mV * lognormal_trace(v, coef, mu, sigma)
    base = 0.05 + 0.002 * (v - v[0])
    return h + base + rng.normal(0.0, noise_fraction * height_mV, v.size)


def calibration_csv(params: dict, rng) -> str:
    coef = params["true_calibration"]
    lines = [
        "# Narrow polystyrene standards, DMF + 0.05 M LiBr, 1.0 mL/min, 23 degC",
        "# SIMULATED STAND-IN (batrepro simulate/gpc.py): peak volumes from the model calibration with scatter",
        "standard,peak_molar_mass_g_mol,elution_volume_mL",
    ]
    lo, hi = params["volume_range_mL"]
    for mp in params["standards_g_mol"]:
        target = float(np.log10(mp))
        ve = brentq(lambda v, t=target: log_m_true(v, coef) - t, lo, hi)
        ve += rng.normal(0.0, params["standard_sd_mL"])
        lines.append(f"PS-{mp:g},{mp:g},{ve:.4f}")
    return "\n".join(lines) + "\n"


def trace_csv(params: dict, sample: dict, rng) -> str:
    lo, hi = params["volume_range_mL"]
    v = np.round(np.arange(lo, hi + 1e-9, params["step_mL"]), 6)
    mn = sample["mn_g_mol"] * (1 + rng.normal(0.0, params["specimen_rsd"]))
    mw = sample["mw_g_mol"] * (1 + rng.normal(0.0, params["specimen_rsd"]))
    y = trace(v, params["true_calibration"], mn, mw, params["limit_fraction"], params["noise_fraction"], rng)
    flow = params["flow_rate_mL_min"]
    head = [
        f"# {sample['name']} in DMF + 0.05 M LiBr, RI detector, {flow:.1f} mL/min, 23 degC",
        "# SIMULATED STAND-IN (batrepro simulate/gpc.py), not a measurement",
    ]
    if sample.get("axis") == "time":
        rows = ["elution_time_min,ri_signal_mV"] + [f"{x / flow:.4f},{s:.5f}" for x, s in zip(v, y)]
    else:
        rows = ["elution_volume_mL,ri_signal_mV"] + [f"{x:.3f},{s:.5f}" for x, s in zip(v, y)]
    return "\n".join(head + rows) + "\n"


def stand_in_files(params: dict) -> dict[str, str]:
    rng = np.random.default_rng(params["seed"])
    files = {params["calibration_path"]: calibration_csv(params, rng)}
    for sample in params["samples"]:
        files[sample["path"]] = trace_csv(params, sample, rng)
    return files


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    written = []
    for path, text in sorted(stand_in_files(params).items()):
        p = Path(root) / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        written.append(path)
    return written
