"""XPS panels as the papers draw them: binding energy decreasing to the right.

Options (a figure's ``options:``): ``region`` (xps_fit: the region whose fits are drawn, e.g. ``Si 2p``);
``sputter_min`` (xps_fit, xps_survey: which sputter times, default all for surveys and the first for fits);
``quantity`` (xps_depth_profile: ``atomic_concentration`` with error bars = SD across sites, or
``si_average_valence`` with error bars = the fit's standard error).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._style import PALETTE, colours, finish, new_axes

#: Core levels and Auger lines labelled on surveys (binding energy, eV; Al Ka).
SURVEY_LABELS = {
    "O KLL": 978.0,
    "O 1s": 532.4,
    "N 1s": 398.2,
    "C 1s": 284.8,
    "Ar 2p": 242.0,
    "Si 2s": 153.0,
    "Si 2p": 102.0,
}


def _times(options, available, default_first):
    want = options.get("sputter_min")
    if want is None:
        return available[:1] if default_first else available
    return [t for t in available if any(abs(t - float(w)) < 1e-9 for w in want)]


def xps_fit(spec, runs, data, metrics, summary, curves):
    """Component fits: counts (dots), background, each component filled, envelope; residual beneath."""
    options = spec.get("options") or {}
    region = options["region"]
    panels = []
    for run in runs:
        c = curves[run["run"]]
        if c.empty or "region" not in c:
            continue  # a run of this sample without fits (composition, survey)
        c = c[(c["region"] == region) & c["curve"].ne("counts_per_s")]
        if c.empty:
            continue
        times = sorted(c["sputter_min"].dropna().unique()) or [np.nan]
        for t in _times(options, times, default_first=True) if not np.isnan(times[0]) else times:
            panels.append((run, t, c if np.isnan(t) else c[c["sputter_min"] == t]))
    if not panels:
        raise ValueError(f"figure {spec.get('title', '')!r}: no {region} fits for samples {spec['samples']}")
    n = len(panels)
    cols = min(n, 4)
    rows = int(np.ceil(n / cols))
    fig = plt.figure(figsize=(2.6 * cols, 2.6 * rows))
    grid = fig.add_gridspec(2 * rows, cols, height_ratios=[4, 1] * rows, hspace=0.05)
    for k, (run, t, c) in enumerate(panels):
        r, col = divmod(k, cols)
        ax = fig.add_subplot(grid[2 * r, col])
        res = fig.add_subplot(grid[2 * r + 1, col], sharex=ax)
        curve = {name: g.sort_values("binding_energy_eV") for name, g in c.groupby("curve")}
        be = curve["counts"]["binding_energy_eV"].to_numpy()
        bg = curve["background"]["value"].to_numpy()
        ax.plot(be, curve["counts"]["value"], ".", ms=1.5, color="#444444", label="counts")
        ax.plot(be, bg, "-", lw=0.7, color="#888888", label="background")
        comps = sorted(name for name in curve if name.startswith("component:"))
        for i, name in enumerate(comps):
            ax.fill_between(
                be,
                bg,
                curve[name]["value"],
                color=PALETTE[i % len(PALETTE)],
                alpha=0.45,
                lw=0.4,
                label=name.split(":", 1)[1],
            )
        ax.plot(be, curve["envelope"]["value"], "-", lw=0.9, color="#D55E00", label="envelope")
        res.plot(be, curve["residual"]["value"], "-", lw=0.5, color="#444444")
        res.axhline(0, lw=0.5, color="#888888")
        ax.set_xlim(be.max(), be.min())  # binding energy decreasing to the right
        label = run["sample"] + ("" if np.isnan(t) else f", {t:g} min")
        ax.set_title(label, fontsize=7, loc="left")
        ax.tick_params(labelbottom=False)
        if col == 0:
            ax.set_ylabel("Counts")
            res.set_ylabel("Resid.")
        res.set_xlabel("Binding energy (eV)")
        if k == 0:
            ax.legend(fontsize=5, loc="upper left")
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, y=0.995, ha="left", va="top", fontsize=8)
        fig.subplots_adjust(top=1 - 0.3 / (2.6 * rows))
    return fig


def xps_survey(spec, runs, data, metrics, summary, curves):
    """Survey spectra (counts per second), stacked with an offset for a depth series; main lines labelled."""
    options = spec.get("options") or {}
    fig, ax = new_axes(spec, figsize=(4.5, 3.6))
    offset, top = 0.0, None
    for run in runs:
        c = curves[run["run"]]
        if c.empty or "curve" not in c:
            continue
        c = c[c["curve"] == "counts_per_s"]
        times = sorted(c["sputter_min"].dropna().unique())
        chosen = _times(options, times, default_first=False)
        step = 0.6 * float(c["value"].max()) if len(chosen) > 1 else 0.0
        for i, t in enumerate(chosen):
            d = c[c["sputter_min"] == t].sort_values("binding_energy_eV")
            y = d["value"].to_numpy() + offset
            ax.plot(d["binding_energy_eV"], y, lw=0.6, color=PALETTE[i % len(PALETTE)], label=f"{t:g} min")
            top = (d["binding_energy_eV"].to_numpy(), y)
            offset += step
    if top is not None:
        be, y = top
        for name, e in SURVEY_LABELS.items():
            if be.min() <= e <= be.max():
                j = int(np.argmin(np.abs(be - e)))
                ax.annotate(
                    name,
                    (e, y[max(j - 3, 0) : j + 4].max()),
                    fontsize=5,
                    ha="center",
                    va="bottom",
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        ax.set_xlim(be.max(), be.min())
    ax.set_xlabel("Binding energy (eV)")
    ax.set_ylabel("Intensity (counts s⁻¹)" + (", offset" if offset else ""))
    if offset:  # legend beside the stack, top spectrum first
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=6)
    return finish(ax, spec, legend=False)


def xps_depth_profile(spec, runs, data, metrics, summary, curves=None):
    """Depth profile from the summary rows: at% per element (mean ± SD across sites) or the average Si
    valence (± fit standard error) against sputter time."""
    quantity = (spec.get("options") or {}).get("quantity", "atomic_concentration")
    d = summary[(summary["quantity"] == quantity) & summary["sample"].isin(spec["samples"])].copy()
    cond = d["condition"].fillna("").map(lambda s: dict(p.split("=", 1) for p in s.split(";") if "=" in p))
    d["t"] = cond.map(lambda c: float(c.get("sputter_min", "nan")))
    d["site"] = cond.map(lambda c: c.get("site"))
    d["element"] = cond.map(lambda c: c.get("element"))
    fig, ax = new_axes(spec)
    if quantity == "atomic_concentration":
        d = d[d["site"].isna()]
        for i, (el, g) in enumerate(sorted(d.groupby("element"), key=lambda kv: "SiNCOF".find(kv[0]))):
            g = g.sort_values("t")
            ax.errorbar(
                g["t"],
                g["value"],
                yerr=g["uncertainty"].fillna(0),
                fmt="o-",
                ms=3,
                lw=0.8,
                capsize=2,
                color=PALETTE[i % len(PALETTE)],
                label=el,
            )
        ax.set_ylabel("at% (mean ± SD across sites)")
    else:
        col = colours(spec["samples"])
        for s in spec["samples"]:
            g = d[d["sample"] == s].sort_values("t")
            ax.errorbar(
                g["t"],
                g["value"],
                yerr=g["uncertainty"].fillna(0),
                fmt="o-",
                ms=3,
                lw=0.8,
                capsize=2,
                color=col[s],
                label=s,
            )
        ax.set_ylabel("Average Si valence")
    ax.set_xlabel("Sputter time (min)")
    return finish(ax, spec)
