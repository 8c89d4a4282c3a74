"""Electrochemistry panels: voltage profiles, cycling, rate capability, CV and GITT.

Options (a figure's ``options:``): ``cycles`` (voltage_capacity: which cycles, default [1]);
``panel_by`` (cyclic_voltammogram: a condition key, one panel per value); ``titration``
(gitt_titration: which titration, 1-based, default the middle discharge titration).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocab import conditions
from ._style import colours, finish, new_axes


def voltage_capacity(spec, runs, data, metrics, summary, curves=None):
    """Fig. 3a: voltage against specific capacity for chosen cycles (lithiation and delithiation)."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    cycles = (spec.get("options") or {}).get("cycles", [1])
    styles = ["-", "--", ":", "-."]
    for run in runs:
        profiles = curves[run["run"]]
        for k, cyc in enumerate(cycles):
            for half in ("in", "out"):
                c = profiles[(profiles["cycle"] == cyc) & (profiles["half"] == half)]
                if len(c):
                    label = f"{run['sample']}" + (f" cycle {cyc}" if len(cycles) > 1 else "") if half == "in" else None
                    ax.plot(
                        c["capacity_mAh_g"],
                        c["voltage_V"],
                        styles[k % 4],
                        color=col[run["sample"]],
                        lw=1.0,
                        label=label,
                    )
    ax.set_xlabel("Specific capacity (mAh g⁻¹)")
    ax.set_ylabel("Voltage vs Li/Li⁺ (V)")
    return finish(ax, spec)


def cycling_performance(spec, runs, data, metrics, summary, curves=None):
    """Figs. 3b, S1, S7, S8, S8c: out (delithiation/discharge) capacity per cycle and CE (right axis)."""
    fig, ax = new_axes(spec)
    ax2 = ax.twinx()
    col = colours(spec["samples"])
    full = False
    for run in runs:
        m = metrics[run["run"]]
        full |= m["cell"] == "full"
        c = m["cycles"]
        cyc = np.asarray(c["cycle"], float)
        ax.plot(cyc, np.asarray(c["out_mAh_g"], float), "o", ms=1.8, color=col[run["sample"]], label=run["sample"])
        ce = np.asarray(c["ce_pct"], float)
        ax2.plot(cyc, ce, "-", lw=0.7, color=col[run["sample"]], alpha=0.6)
    ax.set_xlabel("Cycle number")
    ax.set_ylabel(("Discharge" if full else "Delithiation") + " capacity (mAh g⁻¹)")
    ax.set_ylim(0, None)
    ax2.set_ylabel("Coulombic efficiency (%)")
    ax2.set_ylim(50, 105)
    return finish(ax, spec)


def rate_capability(spec, runs, data, metrics, summary, curves=None):
    """Fig. 3c: delithiation capacity per cycle, rate steps labelled."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    labelled = False
    for run in runs:
        m = metrics[run["run"]]
        c = m["cycles"]
        ax.plot(c["cycle"], c["out_mAh_g"], "o-", ms=2.5, lw=0.6, color=col[run["sample"]], label=run["sample"])
        steps = m.get("rate_steps")
        if steps and not labelled:
            top = max(
                np.nanmax(np.asarray(mm["cycles"]["out_mAh_g"], float)) for mm in (metrics[r["run"]] for r in runs)
            )
            for k in range(len(steps["step"])):
                mid = 0.5 * (steps["first_cycle"][k] + steps["last_cycle"][k])
                ax.annotate(steps["rate"][k], (mid, top * 1.05), ha="center", fontsize=6)
            labelled = True
    ax.set_xlabel("Cycle number")
    ax.set_ylabel("Delithiation capacity (mAh g⁻¹)")
    ax.set_ylim(0, None)
    return finish(ax, spec)


def cyclic_voltammogram(spec, runs, data, metrics, summary, curves=None):
    """Figs. S5, S8a-b: current against potential, one line per cycle (later cycles lighter);
    one panel per value of ``options.panel_by`` (Fig. S5: binder vs Si anode)."""
    key = (spec.get("options") or {}).get("panel_by")
    groups: dict[str, list] = {}
    for run in runs:
        groups.setdefault(conditions.parse(run.get("condition")).get(key, "") if key else "", []).append(run)
    n = len(groups)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 2.8), squeeze=False)
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, ha="left", fontsize=8)
    col = colours(spec["samples"])
    single = len(spec["samples"]) == 1
    for ax, (value, group) in zip(axes[0], sorted(groups.items())):
        for run in group:
            d = data[run["run"]]
            m = metrics[run["run"]]
            sw = pd.DataFrame(m["sweeps"])
            for cyc in sorted(sw.cycle.unique()):
                rows = sw[sw.cycle == cyc]
                a, b = int(rows.first_row.min()), int(rows.last_row.max())
                alpha = 1.0 if cyc == 1 else max(0.35, 1.0 - 0.3 * (cyc - 1))
                color = plt.cm.viridis((cyc - 1) / max(1, sw.cycle.max())) if single else col[run["sample"]]
                label = f"cycle {cyc}" if single else (run["sample"] if cyc == 1 else None)
                ax.plot(
                    d["voltage_V"].iloc[a : b + 1],
                    d["current_mA"].iloc[a : b + 1],
                    lw=0.8,
                    color=color,
                    alpha=alpha if not single else 1.0,
                    label=label,
                )
        if value:
            ax.set_title(f"{key} = {value}", fontsize=7, loc="left")
        ax.set_xlabel("Potential vs Li/Li⁺ (V)")
        ax.set_ylabel("Current (mA)")
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def _titration_rows(m, k):
    t = pd.DataFrame(m["titrations"])
    if k is None:
        dis = t[t.direction == "discharge"]
        k = int(dis.titration.iloc[len(dis) // 2]) if len(dis) else int(t.titration.iloc[0])
    return t[t.titration == k].iloc[0]


def gitt_titration(spec, runs, data, metrics, summary, curves=None):
    """Fig. S10: E against t for one titration with τ, the iR drop, ΔEτ and ΔEs marked."""
    fig, ax = new_axes(spec)
    run = runs[0]
    d, m = data[run["run"]], metrics[run["run"]]
    row = _titration_rows(m, (spec.get("options") or {}).get("titration"))
    t0, tau, rest = row.start_s, row.tau_s, row.rest_s
    sel = (d["time_s"] >= t0 - 0.1 * rest) & (d["time_s"] <= t0 + tau + rest)
    t = (d["time_s"][sel] - t0) / 60.0
    ax.plot(t, d["voltage_V"][sel], "o-", ms=2, lw=0.8, color="#0072B2", label=run["sample"])
    e0, es = row.e0_V, row.es_V
    b = e0 + row.ir_drop_V
    ax.axhline(e0, color="#999999", lw=0.5, ls=":")
    ax.axhline(es, color="#999999", lw=0.5, ls=":")
    x_end = (tau + rest) / 60.0
    ax.annotate("", (x_end, es), (x_end, e0), arrowprops={"arrowstyle": "<->", "lw": 0.7})
    ax.text(x_end, 0.5 * (e0 + es), " ΔEs", va="center", fontsize=7)
    ax.annotate(
        "",
        (tau / 60.0, b + row.delta_et_V),
        (tau / 60.0, b),
        arrowprops={"arrowstyle": "<->", "lw": 0.7, "color": "#D55E00"},
    )
    ax.text(tau / 60.0, b + 0.5 * row.delta_et_V, " ΔEτ", color="#D55E00", va="center", fontsize=7)
    ax.annotate("", (0, b), (0, e0), arrowprops={"arrowstyle": "<->", "lw": 0.7, "color": "#009E73"})
    ax.text(0, 0.5 * (e0 + b), " iR", color="#009E73", va="center", fontsize=7)
    ax.axvspan(0, tau / 60.0, color="#E69F00", alpha=0.15, lw=0, label=f"τ = {tau:.0f} s")
    ax.set_xscale("symlog", linthresh=max(tau / 60.0, 0.1))
    ax.set_xlabel("Time from pulse start (min)")
    ax.set_ylabel("Voltage vs Li/Li⁺ (V)")
    return finish(ax, spec)


def gitt_diffusion(spec, runs, data, metrics, summary, curves=None):
    """Fig. S11: the GITT voltage record (left) and D against composition x for discharge and charge
    (right; open symbols: titrations outside the Weppner–Huggins regime)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 2.8))
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, ha="left", fontsize=8)
    col = {"discharge": "#0072B2", "charge": "#D55E00"}
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        ax1.plot(d["time_s"] / 3600.0, d["voltage_V"], lw=0.6, color="#333333", label=run["sample"])
        t = pd.DataFrame(m["titrations"])
        for direction, g in t.groupby("direction", sort=True):
            x = 0.5 * (g.x_start + g.x_end)
            ok = g.in_regime.astype(bool)
            ax2.semilogy(x[ok], g.D_weppner_huggins_cm2_s[ok], "o", ms=3, color=col[direction], label=f"{direction}")
            if (~ok).any():
                ax2.semilogy(x[~ok], g.D_weppner_huggins_cm2_s[~ok], "o", ms=3, mfc="none", color=col[direction])
    ax1.set_xlabel("Time (h)")
    ax1.set_ylabel("Voltage vs Li/Li⁺ (V)")
    ax2.set_xlabel("x in LiₓHost (from the charge passed)")
    ax2.set_ylabel("D(Li⁺) (cm² s⁻¹)")
    ax2.legend(fontsize=6)
    fig.tight_layout()
    return fig
