"""Electrode mechanics panels of Kim et al.: nanoindentation (Fig. S11), 180° peel (Fig. 2c), SAICAS (Fig. 2d)."""

from __future__ import annotations

import numpy as np

from ._style import colours, finish, new_axes


def load_displacement(spec, runs, data, metrics, summary, curves=None):
    """Fig. S11: force against penetration depth of every indent; the fitted unloading power law of each
    indent over its fit range is drawn dashed, h_max marked."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    seen = set()
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        c = col[run["sample"]]
        label = run["sample"] if run["sample"] not in seen else None
        seen.add(run["sample"])
        ax.plot(d["depth_nm"] / 1e3, d["force_mN"], color=c, lw=0.6, alpha=0.7, label=label)
        lo, hi = m["fit_range"]
        p = np.linspace(lo, hi, 30) * m["max_force_mN"]
        h = m["final_depth_nm"] + (p / m["unload_prefactor_mN"]) ** (1.0 / m["unload_exponent"])
        ax.plot(h / 1e3, p, color="k", lw=0.6, ls="--")
    ax.plot([], [], color="k", lw=0.6, ls="--", label="power-law fit")
    ax.set_xlabel("Displacement (µm)")
    ax.set_ylabel("Load (mN)")
    ax.set_xlim(0, None)
    ax.set_ylim(0, None)
    return finish(ax, spec)


def peel_force(spec, runs, data, metrics, summary, curves=None):
    """Fig. 2c: force against crosshead extension; the averaging window shaded, its mean drawn."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        c = col[run["sample"]]
        ax.plot(
            d["extension_mm"], d["load_N"], color=c, lw=0.7, label=f"{run['sample']} ({m['adhesion_force_N']:.2f} N)"
        )
        ax.hlines(m["adhesion_force_N"], m["window_start_mm"], m["window_end_mm"], color=c, lw=1.5, ls="--")
        ax.plot([m["crack_extension_mm"]], [d["load_N"].iloc[m["crack_index"]]], "o", color=c, ms=3)
    if runs:
        m = metrics[runs[0]["run"]]
        ax.axvspan(m["window_start_mm"], m["window_end_mm"], color="0.9", zorder=0)
    ax.set_xlabel("Extension (mm)")
    ax.set_ylabel("Force (N)")
    ax.set_xlim(0, None)
    top = max((metrics[r["run"]]["max_force_N"] for r in runs), default=1.0)
    ax.set_ylim(0, 1.4 * top)  # room for the legend above the curves
    ax.legend(loc="upper right", ncol=2, fontsize="small")
    return finish(ax, spec, legend=False)


def saicas_force(spec, runs, data, metrics, summary, curves=None):
    """Fig. 2d: horizontal force against horizontal displacement; the constant-depth window shaded, its mean drawn."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        c = col[run["sample"]]
        label = f"{run['sample']} ({m['adhesion_force_N']:.3f} N)"
        ax.plot(d["horizontal_displacement_um"], d["horizontal_force_N"], color=c, lw=0.7, label=label)
        ax.hlines(m["adhesion_force_N"], m["window_start_um"], m["window_end_um"], color=c, lw=1.5, ls="--")
        ax.axvspan(m["window_start_um"], m["window_end_um"], color="0.93", zorder=0)
    ax.set_xlabel("Horizontal displacement (µm)")
    ax.set_ylabel("Horizontal force (N)")
    ax.set_xlim(0, None)
    top = max((metrics[r["run"]]["max_cutting_force_N"] for r in runs), default=1.0)
    ax.set_ylim(0, 1.3 * top)
    ax.legend(loc="upper right", fontsize="small")
    return finish(ax, spec, legend=False)
