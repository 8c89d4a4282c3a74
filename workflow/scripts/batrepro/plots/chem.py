"""Chemistry panels of Kim et al.: stacked FT-IR spectra (Fig. 1a–b), DFT binding energies (Fig. 2f), GPC
molar-mass distributions (Figs. S1–S2).

FT-IR: ``curves`` hold each run's ascending wavenumber and the transmittance recomputed from the absorbance;
each spectrum is scaled to its own range, offset, and drawn with wavenumber decreasing to the right, as the
paper draws transmittance spectra; the matched bands (``metrics[run]['bands']``) are labelled above it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ._style import colours, finish, new_axes

#: short labels of the band list's names (others are shown as named in config)
BAND_LABELS = {
    "imide_co_asymmetric": "C=O asym",
    "imide_co_symmetric": "C=O sym",
    "imide_cnc_symmetric": "C–N–C",
    "ch_stretch": "C–H",
    "siosi_stretch": "Si–O–Si",
}


def ftir_stacked(spec, runs, data, metrics, summary, curves):
    """Stacked transmittance spectra, top to bottom in legend order, bands labelled at their found positions."""
    order = {s: i for i, s in enumerate(spec["samples"])}
    runs = sorted(runs, key=lambda r: order[r["sample"]])
    fig, ax = plt.subplots(figsize=(5.0, 1.3 + 1.3 * len(runs)))
    if spec.get("title"):
        ax.set_title(spec["title"], loc="left")
    col = colours(spec["samples"])
    for k, run in enumerate(runs):
        c = curves[run["run"]]
        x, t = c["wavenumber_per_cm"].to_numpy(float), c["transmittance_pct"].to_numpy(float)
        scaled = (t - t.min()) / (t.max() - t.min())
        offset = 1.6 * (len(runs) - 1 - k)
        ax.plot(x, scaled + offset, color=col[run["sample"]], lw=0.8)
        ax.text(3990, offset + 0.75, run["sample"], color=col[run["sample"]], fontsize=7, va="top")
        bands = sorted(metrics[run["run"]]["bands"].items(), key=lambda item: item[1]["wavenumber_per_cm"])
        for j, (name, band) in enumerate(bands):
            pos = band["wavenumber_per_cm"]
            yv = float(np.interp(pos, x, scaled)) + offset
            top = offset + 1.04 + 0.2 * (j % 2)  # labels above the spectrum; neighbours (1772 / 1719) alternate
            ax.plot([pos, pos], [yv - 0.02, top], color="#888888", lw=0.4, ls=":")
            label = f"{BAND_LABELS.get(name, name)}\n{pos:.0f}"
            ax.text(pos, top + 0.01, label, fontsize=4.5, ha="center", va="bottom")
    ax.set_xlim(4000, 400)
    ax.set_ylim(-0.1, 1.6 * len(runs))
    ax.set_yticks([])
    ax.set_xlabel("Wavenumber (cm⁻¹)")
    ax.set_ylabel("Transmittance (a.u., offset)")
    return finish(ax, spec, legend=False)


def binding_energy_bars(spec, runs, data, metrics, summary, curves=None):
    """E_bind per sample (bars, from the summary), hydrogen bonds and covalent bonds coloured apart, with the
    counterpoise-corrected value as a marker where the complex log has one."""
    samples = spec["samples"]
    rows = summary[summary["quantity"] == "binding_energy"]
    fig, ax = new_axes(spec, figsize=(4.0, 3.0))
    x = np.arange(len(samples))
    for i, s in enumerate(samples):
        mine = rows[rows["sample"] == s]
        plain = mine[~mine["condition"].fillna("").str.contains("reading=")]
        if plain.empty:
            continue
        value = float(plain["value"].iloc[0])
        covalent = "bond=covalent" in str(plain["condition"].iloc[0])
        ax.bar(i, value, width=0.6, color="#D55E00" if covalent else "#0072B2")
        ax.annotate(f"{value:.2f}", (i, value), ha="center", va="top", fontsize=6, xytext=(0, -2),
                    textcoords="offset points")  # fmt: skip
        cp = mine[mine["condition"].fillna("").str.contains("reading=counterpoise")]
        if not cp.empty:
            ax.plot([i], [float(cp["value"].iloc[0])], "k_", ms=12, mew=1.2)
    handles = [
        Patch(color="#0072B2", label="hydrogen bond"),
        Patch(color="#D55E00", label="covalent (POSS)"),
        Line2D([], [], color="black", marker="_", ls="", ms=10, mew=1.2, label="counterpoise-corrected"),
    ]
    ax.legend(handles=handles, loc="lower left")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(x, samples)
    ax.set_xlim(-0.7, len(samples) - 0.3)
    ax.set_ylabel("Binding energy (kcal mol⁻¹)")
    return finish(ax, spec, legend=False)


def molar_mass_distribution(spec, runs, data, metrics, summary, curves):
    """w(log M) of each run with Mn, Mw marked (the distribution the slice averages come from)."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        c, m = curves[run["run"]], metrics[run["run"]]
        ax.plot(c["log10_molar_mass"], c["weight_fraction_per_log_m"], color=col[run["sample"]], label=run["sample"])
        for key, style in (("mn_g_mol", ":"), ("mw_g_mol", "--")):
            ax.axvline(np.log10(m[key]), color=col[run["sample"]], ls=style, lw=0.7)
    ax.set_xlabel("log10 M (g mol⁻¹, PS-equivalent)")
    ax.set_ylabel("w(log M)")
    ax.plot([], [], "k:", lw=0.7, label="Mn")
    ax.plot([], [], "k--", lw=0.7, label="Mw")
    return finish(ax, spec)
