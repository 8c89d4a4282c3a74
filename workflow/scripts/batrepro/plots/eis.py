"""Impedance panels: Nyquist, Bode, DRT γ(τ) with peaks, and Lin-KK / fit residuals.

The arrays come from ``curves`` (run id -> the run's ``curves/eis/<run>.csv``, a long table curve, x, y;
see :data:`batrepro.analysis.eis.record.CURVES`): the analysed points (inductive points removed), the fitted
circuit, the residuals and the DRT grid. The scalars (DRT peaks, Lin-KK M and verdict) come from ``metrics``.

Options (a figure's ``options:`` in config): ``panel_by`` – a condition key (``cycle``, ``state``)
that splits the runs into side-by-side panels, one curve per sample in each; ``fit`` (Nyquist,
default true) – draw the fitted circuit over the data. ``xlim``/``ylim`` apply to every panel.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..vocab import conditions
from ._style import PALETTE, colours, finish


def _curve(curves, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one curve of a run's curves table (x: frequency in Hz, or τ in s for ``drt_gamma_ohm``)."""
    rows = curves[curves["curve"] == name]
    if rows.empty:
        raise ValueError(f"EIS curves table has no curve {name!r}")
    return rows["x"].to_numpy(float), rows["y"].to_numpy(float)


def _spectrum(curves, prefix: str = ""):
    f, re = _curve(curves, f"{prefix}z_real_ohm")
    _, im = _curve(curves, f"{prefix}z_imag_ohm")
    return f, re + 1j * im


def _num(v: str):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def _ordered(spec, runs):
    order = {s: i for i, s in enumerate(spec["samples"])}
    return sorted(runs, key=lambda r: (order.get(r["sample"], 99), conditions.sort_key(r.get("condition"))))


def _groups(spec, runs):
    """[(panel title, runs)] split by ``options.panel_by`` (one group when absent)."""
    key = (spec.get("options") or {}).get("panel_by")
    runs = _ordered(spec, runs)
    if not key:
        return [("", runs)]
    value = {r["run"]: conditions.parse(r.get("condition")).get(key, "") for r in runs}
    return [(f"{key} {v}", [r for r in runs if value[r["run"]] == v]) for v in sorted(set(value.values()), key=_num)]


def _label(run, by_sample: bool, panel_key: str | None):
    if by_sample:
        return run["sample"]
    cond = {k: v for k, v in conditions.parse(run.get("condition")).items() if k != panel_key}
    if "voltage_V" in cond:
        return f"{float(cond['voltage_V']):.2f} V"
    return ", ".join(f"{k} {v}" for k, v in cond.items()) or run["sample"]


def _figure(spec, n_panels, height=2.8, width=3.0):
    fig, axes = plt.subplots(1, n_panels, figsize=(width * n_panels, height), squeeze=False)
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, ha="left", fontsize=9)
    return fig, axes[0]


def _stacked(spec):
    """Two panels sharing the frequency axis, the title over the top one."""
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(3.5, 4.0))
    if spec.get("title"):
        ax1.set_title(spec["title"], loc="left")
    return fig, ax1, ax2


def _finish(ax, spec, xlabel=None, ylabel=None, title="", legend_size=None):
    """Axis labels, panel title, the spec's limits (``_style.finish``) and a small legend."""
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    finish(ax, spec, legend=False)
    if legend_size:
        ax.legend(fontsize=legend_size)


def _curve_colours(spec, runs, by_sample):
    if by_sample:
        return colours(spec["samples"])
    return {r["run"]: PALETTE[i % len(PALETTE)] for i, r in enumerate(runs)}


def nyquist(spec, runs, data, metrics, summary, curves):
    """−Z″ against Z′, equal axes; markers are data, lines the fitted circuit."""
    opts = spec.get("options") or {}
    groups = _groups(spec, runs)
    by_sample = len(spec["samples"]) > 1
    fig, axes = _figure(spec, len(groups))
    for ax, (title, group) in zip(axes, groups):
        col = _curve_colours(spec, group, by_sample)
        for run in group:
            _, z = _spectrum(curves[run["run"]])
            c = col[run["sample"]] if by_sample else col[run["run"]]
            label = _label(run, by_sample, opts.get("panel_by"))
            ax.plot(z.real, -z.imag, "o", ms=2.2, mfc="none", mew=0.7, color=c, label=label)
            if opts.get("fit", True):
                _, zfit = _spectrum(curves[run["run"]], "fit_")
                ax.plot(zfit.real, -zfit.imag, "-", lw=0.8, color=c)
        ax.set_aspect("equal", adjustable="datalim")
        _finish(ax, spec, "Z′ (Ω)", "−Z″ (Ω)", title, legend_size=6)
    fig.tight_layout()
    return fig


def bode(spec, runs, data, metrics, summary, curves):
    """|Z| (log) and −phase against frequency, one curve per run."""
    runs = _ordered(spec, runs)
    by_sample = len(spec["samples"]) > 1 and len({r["sample"] for r in runs}) > 1
    fig, ax1, ax2 = _stacked(spec)
    col = _curve_colours(spec, runs, by_sample)
    for run in runs:
        f, z = _spectrum(curves[run["run"]])
        c = col[run["sample"]] if by_sample else col[run["run"]]
        label = _label(run, by_sample, None)
        ax1.loglog(f, np.abs(z), "o-", ms=2, lw=0.8, color=c, label=label)
        ax2.semilogx(f, -np.degrees(np.angle(z)), "o-", ms=2, lw=0.8, color=c, label=label)
    _finish(ax1, spec, ylabel="|Z| (Ω)")
    _finish(ax2, spec, "Frequency (Hz)", "−phase (°)")
    ax1.legend(fontsize=6)
    fig.tight_layout()
    return fig


def drt(spec, runs, data, metrics, summary, curves):
    """γ(τ) per run with the detected peaks marked and the τ1…τ4 processes labelled."""
    opts = spec.get("options") or {}
    groups = _groups(spec, runs)
    by_sample = len(spec["samples"]) > 1
    fig, axes = _figure(spec, len(groups), height=2.6, width=3.0)
    gamma = {r["run"]: _curve(curves[r["run"]], "drt_gamma_ohm") for _, g in groups for r in g}
    ymax = max(max(g) for _, g in gamma.values())
    for ax, (title, group) in zip(axes, groups):
        col = _curve_colours(spec, group, by_sample)
        for run in group:
            c = col[run["sample"]] if by_sample else col[run["run"]]
            ax.semilogx(*gamma[run["run"]], color=c, lw=1.0, label=_label(run, by_sample, opts.get("panel_by")))
            for p in metrics[run["run"]]["drt"]["peaks"]:
                ax.plot([p["tau_max_s"]], [p["gamma_ohm"]], "v", color=c, ms=3)
        # process labels at the top, from the peaks of the first run of the panel
        if group:
            for p in metrics[group[0]["run"]]["drt"]["peaks"]:
                if p["process"].startswith("tau"):
                    ax.annotate(f"τ{p['process'][3:]}", (p["tau_max_s"], ymax * 1.02), ha="center", fontsize=6)
        ax.set_ylim(0, ymax * 1.12)
        _finish(ax, spec, "τ (s)", "γ (Ω)", title, legend_size=6)
    fig.tight_layout()
    return fig


def eis_residuals(spec, runs, data, metrics, summary, curves):
    """Relative residuals (%) of the Lin-KK test (top) and of the circuit fit (bottom)."""
    runs = _ordered(spec, runs)
    by_sample = len({r["sample"] for r in runs}) > 1
    fig, ax1, ax2 = _stacked(spec)
    col = _curve_colours(spec, runs, by_sample)
    for run in runs:
        cv, kk = curves[run["run"]], metrics[run["run"]]["linkk"]
        c = col[run["sample"]] if by_sample else col[run["run"]]
        label = _label(run, by_sample, None)
        verdict = "pass" if kk["passed"] else "FAIL"
        for ax, prefix, lab in ((ax1, "linkk", f"{label} (M={kk['M']}, {verdict})"), (ax2, "fit", label)):
            f, real = _curve(cv, f"{prefix}_residual_real")
            _, imag = _curve(cv, f"{prefix}_residual_imag")
            ax.semilogx(f, 100 * real, "-", color=c, lw=0.8, label=lab)
            ax.semilogx(f, 100 * imag, ":", color=c, lw=0.8)
    for ax in (ax1, ax2):
        ax.axhline(0, color="0.5", lw=0.5)
    _finish(ax1, spec, ylabel="Lin-KK Δ/|Z| (%)", legend_size=5)
    _finish(ax2, spec, "Frequency (Hz)   (solid: real, dotted: imaginary)", "fit Δ/|Z| (%)")
    fig.tight_layout()
    return fig
