"""Impedance panels: Nyquist, Bode, DRT γ(τ) with peaks, and Lin-KK / fit residuals.

The spectra are drawn from the metrics records (which hold the analysed points, inductive points
removed), keyed by the run id stored in each record.

Options (a figure's ``options:`` in config): ``panel_by`` – a condition key (``cycle``, ``state``)
that splits the runs into side-by-side panels, one curve per sample in each; ``fit`` (Nyquist,
default true) – draw the fitted circuit over the data.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._style import PALETTE, colours


def _records(metrics: dict) -> dict:
    """Metrics keyed by the run id each record carries (robust to how the caller keyed them)."""
    return {m.get("run", k): m for k, m in metrics.items()}


def _spectrum(m: dict):
    f = np.asarray(m["frequency_Hz"], float)
    z = np.asarray(m["z_real_ohm"], float) + 1j * np.asarray(m["z_imag_ohm"], float)
    return f, z


def _cond(run: dict) -> dict[str, str]:
    out = {}
    for part in (run.get("condition") or "").split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k] = v
    return out


def _num(v: str):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def _ordered(spec, runs):
    order = {s: i for i, s in enumerate(spec["samples"])}
    return sorted(runs, key=lambda r: (order.get(r["sample"], 99), [_num(v) for _, v in sorted(_cond(r).items())]))


def _groups(spec, runs):
    """[(panel title, runs)] split by ``options.panel_by`` (one group when absent)."""
    key = (spec.get("options") or {}).get("panel_by")
    runs = _ordered(spec, runs)
    if not key:
        return [("", runs)]
    values = sorted({_cond(r).get(key, "") for r in runs}, key=_num)
    return [(f"{key} {v}", [r for r in runs if _cond(r).get(key, "") == v]) for v in values]


def _label(run, by_sample: bool, panel_key: str | None):
    if by_sample:
        return run["sample"]
    cond = {k: v for k, v in _cond(run).items() if k != panel_key}
    if "voltage_V" in cond:
        return f"{float(cond['voltage_V']):.2f} V"
    return ", ".join(f"{k} {v}" for k, v in cond.items()) or run["sample"]


def _figure(spec, n_panels, height=2.8, width=3.0):
    fig, axes = plt.subplots(1, n_panels, figsize=(width * n_panels, height), squeeze=False)
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, ha="left", fontsize=9)
    return fig, axes[0]


def _curve_colours(spec, runs, by_sample):
    if by_sample:
        return colours(spec["samples"])
    return {r["run"]: PALETTE[i % len(PALETTE)] for i, r in enumerate(runs)}


def nyquist(spec, runs, data, metrics, summary):
    """−Z″ against Z′, equal axes; markers are data, lines the fitted circuit."""
    metrics = _records(metrics)
    opts = spec.get("options") or {}
    groups = _groups(spec, runs)
    by_sample = len(spec["samples"]) > 1
    fig, axes = _figure(spec, len(groups))
    for ax, (title, group) in zip(axes, groups):
        col = _curve_colours(spec, group, by_sample)
        for run in group:
            m = metrics[run["run"]]
            _, z = _spectrum(m)
            c = col[run["sample"]] if by_sample else col[run["run"]]
            ax.plot(z.real, -z.imag, "o", ms=2.2, mfc="none", mew=0.7, color=c,
                    label=_label(run, by_sample, opts.get("panel_by")))
            if opts.get("fit", True):
                ax.plot(m["fit"]["z_real_ohm"], -np.asarray(m["fit"]["z_imag_ohm"]), "-", lw=0.8, color=c)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel("Z′ (Ω)")
        ax.set_ylabel("−Z″ (Ω)")
        if title:
            ax.set_title(title, loc="left")
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def bode(spec, runs, data, metrics, summary):
    """|Z| (log) and −phase against frequency, one curve per run."""
    metrics = _records(metrics)
    runs = _ordered(spec, runs)
    by_sample = len(spec["samples"]) > 1 and len({r["sample"] for r in runs}) > 1
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(3.5, 4.0))
    if spec.get("title"):
        ax1.set_title(spec["title"], loc="left")
    col = _curve_colours(spec, runs, by_sample)
    for run in runs:
        f, z = _spectrum(metrics[run["run"]])
        c = col[run["sample"]] if by_sample else col[run["run"]]
        label = _label(run, by_sample, None)
        ax1.loglog(f, np.abs(z), "o-", ms=2, lw=0.8, color=c, label=label)
        ax2.semilogx(f, -np.degrees(np.angle(z)), "o-", ms=2, lw=0.8, color=c, label=label)
    ax1.set_ylabel("|Z| (Ω)")
    ax2.set_ylabel("−phase (°)")
    ax2.set_xlabel("Frequency (Hz)")
    ax1.legend(fontsize=6)
    fig.tight_layout()
    return fig


def drt(spec, runs, data, metrics, summary):
    """γ(τ) per run with the detected peaks marked and the τ1…τ4 processes labelled."""
    metrics = _records(metrics)
    opts = spec.get("options") or {}
    groups = _groups(spec, runs)
    by_sample = len(spec["samples"]) > 1
    fig, axes = _figure(spec, len(groups), height=2.6, width=3.0)
    ymax = max(max(metrics[r["run"]]["drt"]["gamma_ohm"]) for _, g in groups for r in g)
    for ax, (title, group) in zip(axes, groups):
        col = _curve_colours(spec, group, by_sample)
        for run in group:
            m = metrics[run["run"]]["drt"]
            c = col[run["sample"]] if by_sample else col[run["run"]]
            ax.semilogx(m["tau_s"], m["gamma_ohm"], color=c, lw=1.0, label=_label(run, by_sample, opts.get("panel_by")))
            for p in m["peaks"]:
                ax.plot([p["tau_max_s"]], [p["gamma_ohm"]], "v", color=c, ms=3)
        # process labels at the top, from the peaks of the first run of the panel
        if group:
            for p in metrics[group[0]["run"]]["drt"]["peaks"]:
                if p["process"].startswith("tau"):
                    ax.annotate(f"τ{p['process'][3:]}", (p["tau_max_s"], ymax * 1.02), ha="center", fontsize=6)
        ax.set_ylim(0, ymax * 1.12)
        ax.set_xlabel("τ (s)")
        ax.set_ylabel("γ (Ω)")
        if title:
            ax.set_title(title, loc="left")
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def eis_residuals(spec, runs, data, metrics, summary):
    """Relative residuals (%) of the Lin-KK test (top) and of the circuit fit (bottom)."""
    metrics = _records(metrics)
    runs = _ordered(spec, runs)
    by_sample = len({r["sample"] for r in runs}) > 1
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(3.5, 4.0))
    if spec.get("title"):
        ax1.set_title(spec["title"], loc="left")
    col = _curve_colours(spec, runs, by_sample)
    for run in runs:
        m = metrics[run["run"]]
        f = np.asarray(m["frequency_Hz"])
        c = col[run["sample"]] if by_sample else col[run["run"]]
        label = _label(run, by_sample, None)
        kk = m["linkk"]
        ax1.semilogx(f, 100 * np.asarray(kk["residuals_real"]), "-", color=c, lw=0.8,
                     label=f"{label} (M={kk['M']}, {'pass' if kk['passed'] else 'FAIL'})")
        ax1.semilogx(f, 100 * np.asarray(kk["residuals_imag"]), ":", color=c, lw=0.8)
        ax2.semilogx(f, 100 * np.asarray(m["fit"]["residuals_real"]), "-", color=c, lw=0.8, label=label)
        ax2.semilogx(f, 100 * np.asarray(m["fit"]["residuals_imag"]), ":", color=c, lw=0.8)
    for ax in (ax1, ax2):
        ax.axhline(0, color="0.5", lw=0.5)
    ax1.set_ylabel("Lin-KK Δ/|Z| (%)")
    ax2.set_ylabel("fit Δ/|Z| (%)")
    ax2.set_xlabel("Frequency (Hz)   (solid: real, dotted: imaginary)")
    ax1.legend(fontsize=5)
    fig.tight_layout()
    return fig
