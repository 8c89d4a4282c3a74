"""One spectrum → one record (metrics and curves); records → the long summary and the two EIS tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...vocab import conditions
from ...vocab import summary as vsummary
from .circuits import circuit_impedance, element_type, leaves, parse_circuit
from .drt import assign_process, drt, peaks_by_process
from .fit import FitResult, fit_circuit
from .linkk import lin_kk
from .spectrum import check_spectrum


def fitted_processes(fit: FitResult, tau_windows: dict | None) -> dict[str, dict[str, float]]:
    """R and τ of every fitted arc (``Zarc``, ``K``, or ``p(R, C/CPE)``), assigned by τ window."""
    c = parse_circuit(fit.circuit)
    values = dict(zip(fit.names, fit.values))
    errors = dict(zip(fit.names, fit.stderr))
    out: dict[str, dict[str, float]] = {}

    def add(tau, r, r_se):
        proc = assign_process(tau, tau_windows) or f"tau_{tau:.2g}s"
        if proc in out:  # two arcs in one window: sum R, keep the larger arc's τ
            prev = out[proc]
            if r > prev["resistance_ohm"]:
                prev["tau_s"] = tau
            prev["resistance_ohm"] += r
            prev["resistance_se_ohm"] = float(np.hypot(prev["resistance_se_ohm"], r_se))
        else:
            out[proc] = {"tau_s": float(tau), "resistance_ohm": float(r), "resistance_se_ohm": float(r_se)}

    top = c.tree[1] if c.tree[0] == "s" else [c.tree]
    for node in top:
        if node[0] == "e" and element_type(node[1]) in ("Zarc", "K"):
            n = node[1]
            add(values[f"{n}_1"], values[f"{n}_0"], errors[f"{n}_0"])
        elif node[0] == "p":
            names = leaves(node)
            rs = [e for e in names if element_type(e) == "R"]
            caps = [e for e in names if element_type(e) in ("C", "CPE")]
            if len(rs) >= 1 and len(caps) == 1:
                r = values[rs[0]]
                cap = caps[0]
                if element_type(cap) == "C":
                    tau = r * values[cap]
                else:
                    q, a = values[f"{cap}_0"], values[f"{cap}_1"]
                    tau = (r * q) ** (1 / a) if a > 0 else float("nan")
                add(tau, r, errors[rs[0]])
    return out


#: The curves of one spectrum (:attr:`SpectrumRecord.curves`, ``results/<paper>/curves/eis/<run>.csv``): a long
#: table of (curve, x, y). x is the frequency (Hz) of the analysed points (inductive points removed), except for
#: ``drt_gamma_ohm``, whose x is τ (s) on the DRT's fine grid. Residuals are relative, (Z − Z_model)/|Z|.
CURVES = {
    "z_real_ohm": ("frequency_Hz", "measured Z′ (Ω)"),
    "z_imag_ohm": ("frequency_Hz", "measured Z″ (Ω, signed)"),
    "fit_z_real_ohm": ("frequency_Hz", "fitted circuit Z′ (Ω)"),
    "fit_z_imag_ohm": ("frequency_Hz", "fitted circuit Z″ (Ω)"),
    "fit_residual_real": ("frequency_Hz", "circuit-fit residual, real part"),
    "fit_residual_imag": ("frequency_Hz", "circuit-fit residual, imaginary part"),
    "linkk_residual_real": ("frequency_Hz", "Lin-KK residual, real part"),
    "linkk_residual_imag": ("frequency_Hz", "Lin-KK residual, imaginary part"),
    "drt_residual_real": ("frequency_Hz", "DRT-fit residual, real part"),
    "drt_residual_imag": ("frequency_Hz", "DRT-fit residual, imaginary part"),
    "drt_gamma_ohm": ("tau_s", "γ(ln τ) (Ω)"),
}
CURVE_COLUMNS = ("curve", "x", "y")


@dataclass(frozen=True)
class SpectrumRecord:
    """The analysis of one spectrum: ``metrics`` (JSON-ready scalars, method names, fitted parameters and DRT
    peaks; ``metrics/<run>.json``) and ``curves`` (the arrays the plots draw, long table, see :data:`CURVES`)."""

    metrics: dict
    curves: pd.DataFrame


def curve(curves: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one curve of a curves table, in stored order."""
    if name not in CURVES:
        raise ValueError(f"unknown EIS curve {name!r} (known: {', '.join(CURVES)})")
    rows = curves[curves["curve"] == name]
    return rows["x"].to_numpy(float), rows["y"].to_numpy(float)


def _curves_table(arrays: dict[str, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    parts = [
        pd.DataFrame({"curve": name, "x": np.asarray(x, float), "y": np.asarray(y, float)})
        for name, (x, y) in arrays.items()
    ]
    return pd.concat(parts, ignore_index=True)[list(CURVE_COLUMNS)]


def analyse_spectrum(
    frequency_Hz,
    z,
    *,
    name: str,
    circuit: str,
    fit_weights: str = "modulus",
    drt_lambda: float | str = 1e-3,
    drt_weights: str = "unit",
    drt_penalty_order: int = 1,
    drt_fwhm_coefficient: float = 0.5,
    drt_inductance: bool = False,
    peak_min_fraction: float = 0.05,
    tau_windows: dict | None = None,
    linkk_c: float = 0.85,
    linkk_threshold: float = 0.01,
    linkk_extend_decades: float = 0.5,
    drop_inductive: bool = False,
    initial_guess=None,
    bounds=None,
    fit_starts: int = 8,
) -> SpectrumRecord:
    """Circuit fit, Lin-KK and DRT of one spectrum. ``name`` labels errors and logs only.

    The keyword defaults are the config schema's (``eis:`` block; ``tests/unit/test_eis_defaults.py`` holds
    them equal), so a notebook call gives the workflow's numbers.

    Inductive points (Z″ > 0, a high-frequency tail from the cables and the cell) are kept by default and the
    inductance is fitted: a circuit without an ``L`` element gets a series ``L0`` in front (its start
    Z″/ω at the highest frequency, bounds [0, ∞)), and the DRT fits a series inductance. Dropping them instead
    (``drop_inductive``, impedance.py's ``ignoreBelowX``) biases R0 high: the lowest kept point still
    sits on the inductive side of the intercept (+64 % on the round-trip spectrum of the tests).
    ``initial_guess``/``bounds`` (lower, upper): a documented start and its bounds, in the circuit's
    parameter order; without a start the fit tries ``fit_starts`` automatic starts
    (:func:`batrepro.analysis.eis.fit.fit_circuit`).
    """
    sp = check_spectrum(frequency_Hz, z, name, drop_inductive=drop_inductive)
    f, zz = sp.frequency_Hz, sp.z
    n_inductive = int((zz.imag > 0).sum())
    added_l = n_inductive > 0 and not any(element_type(e) == "L" for e in parse_circuit(circuit).elements)
    if added_l:
        circuit = f"L0-{circuit}"
        l0 = max(float(zz.imag[0]) / (2 * np.pi * f[0]), 1e-12)
        if initial_guess is not None:
            initial_guess = [l0, *initial_guess]
        if bounds is not None:
            bounds = ([0.0, *bounds[0]], [np.inf, *bounds[1]])
    if bounds is not None:
        bounds = (np.asarray(bounds[0], float), np.asarray(bounds[1], float))
    fit = fit_circuit(f, zz, circuit, initial_guess, weights=fit_weights, bounds=bounds, name=name, n_starts=fit_starts)
    zfit = circuit_impedance(circuit, fit.values, f)
    kk = lin_kk(f, zz, c=linkk_c, threshold=linkk_threshold, extend_decades=linkk_extend_decades)
    d = drt(
        f,
        zz,
        lam=drt_lambda,
        penalty_order=drt_penalty_order,
        fwhm_coefficient=drt_fwhm_coefficient,
        inductance=drt_inductance or n_inductive > 0,
        weights=drt_weights,
        peak_min_fraction=peak_min_fraction,
        tau_windows=tau_windows,
        check=False,
        name=name,
    )
    processes = list(tau_windows or {})
    metrics = {
        "n_points": int(f.size),
        "n_dropped_inductive": sp.n_dropped_inductive,
        "n_inductive_kept": n_inductive,
        "frequency_min_Hz": float(f.min()),
        "frequency_max_Hz": float(f.max()),
        "fit": {
            "circuit": circuit,
            "method": fit.method,
            "weights": fit.weights,
            "success": fit.success,
            "chi2": fit.chi2,
            "start": fit.start,
            "inductance_added": added_l,
            "unidentified": list(fit.unidentified),
            "parameters": {
                n: {"value": v, "stderr": e, "unit": u, "initial": i}
                for n, v, e, u, i in zip(fit.names, fit.values, fit.stderr, fit.units, fit.initial)
            },
            "processes": fitted_processes(fit, tau_windows),
        },
        "linkk": {
            "method": kk.method,
            "M": kk.M,
            "mu": kk.mu,
            "max_abs_residual": kk.max_abs_residual,
            "rms_residual": kk.rms_residual,
            "passed": kk.passed,
            "threshold": kk.threshold,
        },
        "drt": {
            "method": d.method,
            "lambda": d.lam,
            "lambda_method": d.lam_method,
            "r_inf_ohm": d.r_inf_ohm,
            "inductance_H": d.inductance_H,
            "r_pol_ohm": d.r_pol_ohm,
            "peaks": [
                {
                    "tau_s": p.tau_s,
                    "tau_max_s": p.tau_max_s,
                    "gamma_ohm": p.gamma_ohm,
                    "area_ohm": p.area_ohm,
                    "process": p.process,
                }
                for p in d.peaks
            ],
            "processes": peaks_by_process(d.peaks, processes),
        },
    }
    curves = _curves_table(
        {
            "z_real_ohm": (f, zz.real),
            "z_imag_ohm": (f, zz.imag),
            "fit_z_real_ohm": (f, zfit.real),
            "fit_z_imag_ohm": (f, zfit.imag),
            "fit_residual_real": (f, fit.residuals_real),
            "fit_residual_imag": (f, fit.residuals_imag),
            "linkk_residual_real": (f, kk.residuals_real),
            "linkk_residual_imag": (f, kk.residuals_imag),
            "drt_residual_real": (f, d.residuals_real),
            "drt_residual_imag": (f, d.residuals_imag),
            "drt_gamma_ohm": (d.tau_s, d.gamma_ohm),
        }
    )
    return SpectrumRecord(metrics, curves)


def summarise(paper: str, runs: list[dict], metrics: dict[str, dict]) -> pd.DataFrame:
    """The long (audit) summary: one row per run and quantity, condition from the sheet.

    Quantities: ``r_ohmic`` (the first series resistor of the fit), ``drt_r_inf``,
    ``drt_polarisation_resistance``, per process p ``drt_tau_<p>`` / ``drt_resistance_<p>`` (DRT peaks)
    and ``fit_tau_<p>`` / ``fit_resistance_<p>`` (fitted arcs), ``linkk_pass`` (1/0) and
    ``linkk_rms_residual`` (%).
    """
    rows = []

    def row(run, quantity, unit, value, method, uncertainty=None):
        rows.append(
            vsummary.row(
                paper, "eis", run["sample"], quantity, run.get("condition", ""), unit, value, method, uncertainty
            )
        )

    for run in runs:
        m = metrics[run["run"]]
        params = m["fit"]["parameters"]
        first_r = next((n for n in params if element_type(n.split("_")[0]) == "R"), None)
        if first_r is not None:
            row(run, "r_ohmic", "ohm", params[first_r]["value"], "ecm_fit", params[first_r]["stderr"])
        drt_m = m["drt"]
        row(run, "drt_r_inf", "ohm", drt_m["r_inf_ohm"], "drt_tikhonov")
        row(run, "drt_polarisation_resistance", "ohm", drt_m["r_pol_ohm"], "drt_tikhonov")
        for proc, v in sorted(drt_m["processes"].items()):
            if v["n_peaks"]:
                row(run, f"drt_tau_{proc}", "s", v["tau_s"], "drt_tikhonov")
                row(run, f"drt_resistance_{proc}", "ohm", v["resistance_ohm"], "drt_tikhonov")
        for proc, v in sorted(m["fit"]["processes"].items()):
            row(run, f"fit_tau_{proc}", "s", v["tau_s"], "ecm_fit")
            row(run, f"fit_resistance_{proc}", "ohm", v["resistance_ohm"], "ecm_fit", v["resistance_se_ohm"])
        row(run, "linkk_pass", "", 1.0 if m["linkk"]["passed"] else 0.0, "lin_kk_schoenleber2014")
        row(run, "linkk_rms_residual", "%", 100 * m["linkk"]["rms_residual"], "lin_kk_schoenleber2014")
    return vsummary.frame(rows)


def process_table_rows(spec: dict, runs: list[dict], metrics: dict[str, dict], summary=None) -> pd.DataFrame:
    """Table: R and τ per process, per sample and condition, from the DRT and from the fit."""
    rows = []
    order = {s: i for i, s in enumerate(spec["samples"])}
    for run in sorted(runs, key=lambda r: (order.get(r["sample"], 99), conditions.sort_key(r.get("condition", "")))):
        m = metrics[run["run"]]
        procs = sorted(set(m["drt"]["processes"]) | set(m["fit"]["processes"]))
        for proc in procs:
            d = m["drt"]["processes"].get(proc, {})
            fp = m["fit"]["processes"].get(proc, {})
            rows.append(
                {
                    "sample": run["sample"],
                    "condition": run.get("condition", ""),
                    "process": proc,
                    "drt_tau_s": d.get("tau_s", float("nan")) if d.get("n_peaks") else float("nan"),
                    "drt_resistance_ohm": d.get("resistance_ohm", float("nan")) if d.get("n_peaks") else float("nan"),
                    "fit_tau_s": fp.get("tau_s", float("nan")),
                    "fit_resistance_ohm": fp.get("resistance_ohm", float("nan")),
                    "fit_resistance_se_ohm": fp.get("resistance_se_ohm", float("nan")),
                    "linkk_pass": bool(m["linkk"]["passed"]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "sample",
            "condition",
            "process",
            "drt_tau_s",
            "drt_resistance_ohm",
            "fit_tau_s",
            "fit_resistance_ohm",
            "fit_resistance_se_ohm",
            "linkk_pass",
        ],
    )


def fit_table_rows(spec: dict, runs: list[dict], metrics: dict[str, dict], summary=None) -> pd.DataFrame:
    """Table: every fitted circuit parameter ± standard error, per sample and condition."""
    rows = []
    order = {s: i for i, s in enumerate(spec["samples"])}
    for run in sorted(runs, key=lambda r: (order.get(r["sample"], 99), conditions.sort_key(r.get("condition", "")))):
        fit = metrics[run["run"]]["fit"]
        for name, p in fit["parameters"].items():
            rows.append(
                {
                    "sample": run["sample"],
                    "condition": run.get("condition", ""),
                    "circuit": fit["circuit"],
                    "parameter": name,
                    "unit": p["unit"],
                    "value": p["value"],
                    "stderr": p["stderr"],
                }
            )
    return pd.DataFrame(rows, columns=["sample", "condition", "circuit", "parameter", "unit", "value", "stderr"])
