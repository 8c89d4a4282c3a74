"""Film mechanics panels: DMA (Fig. 1d–f) and stress–strain (Fig. 2b) of Kim et al."""

from __future__ import annotations

import numpy as np

from ._style import colours, finish, new_axes


def _label(run: dict, multiple: bool) -> str:
    return f"{run['sample']} ({run['condition']})" if multiple and run.get("condition") else run["sample"]


def storage_modulus_vs_temperature(spec, runs, data, metrics, summary, curves=None):
    """Fig. 1d: E′ (log scale) against temperature, with the Tg convention markers."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        d = data[run["run"]]
        ax.semilogy(d["temperature_C"], d["storage_modulus_MPa"], color=col[run["sample"]], label=run["sample"])
        onset = metrics[run["run"]]["tg_onset_storage_C"]
        ax.axvline(onset, color=col[run["sample"]], lw=0.6, ls=":")
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("E′ (MPa)")
    return finish(ax, spec)


def tan_delta_vs_temperature(spec, runs, data, metrics, summary, curves=None):
    """Fig. 1e: tan δ against temperature, each peak marked."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        ax.plot(d["temperature_C"], d["tan_delta"], color=col[run["sample"]], label=run["sample"])
        ax.plot([m["tg_tan_delta_peak_C"]], [m["tan_delta_peak_height"]], "v", color=col[run["sample"]], ms=4)
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("tan δ")
    return finish(ax, spec)


def tg_and_tan_delta_bars(spec, runs, data, metrics, summary, curves=None):
    """Fig. 1f: Tg (bars, by the configured convention, the other two as markers) and tan δ peak height."""
    samples = spec["samples"]
    rows = summary.set_index(["sample", "quantity"])["value"]
    x = np.arange(len(samples))
    fig, ax = new_axes(spec)
    tg = [rows.get((s, "tg"), np.nan) for s in samples]
    ax.bar(x, tg, width=0.55, color="#0072B2", label="Tg (paper's convention)")
    ax.plot(
        x,
        [rows.get((s, "tg_onset_storage"), np.nan) for s in samples],
        "s",
        color="#555555",
        ms=3,
        label="E′ onset (E1640)",
    )
    ax.plot(x, [rows.get((s, "tg_loss_peak"), np.nan) for s in samples], "^", color="#999999", ms=3, label="E″ peak")
    for xi, v in zip(x, tg):
        ax.annotate(
            f"{v:.1f}", (xi, v), ha="center", va="bottom", fontsize=6, xytext=(0, 1), textcoords="offset points"
        )
    ax.set_xticks(x, samples)
    ax.set_ylabel("Tg (°C)")
    lo = np.nanmin([rows.get((s, "tg_onset_storage"), np.nan) for s in samples] + tg)
    ax.set_ylim(lo - 40, np.nanmax(tg) + 30)
    ax2 = ax.twinx()
    ax2.plot(
        x, [rows.get((s, "tan_delta_peak_height"), np.nan) for s in samples], "o-", color="#D55E00", label="tan δ peak"
    )
    ax2.set_ylabel("tan δ peak height", color="#D55E00")
    ax2.set_ylim(0, None)
    ax2.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=6)
    return finish(ax, spec, legend=False)


def stress_strain(spec, runs, data, metrics, summary, curves=None):
    """Fig. 2b: engineering stress–strain, toe-corrected, up to the detected break (all specimens)."""
    fig, ax = new_axes(spec)
    col = colours(spec["samples"])
    seen = set()
    for run in runs:
        d, m = data[run["run"]], metrics[run["run"]]
        k = m["break_index"]
        strain = d["strain_pct"].to_numpy()[: k + 1] - m["toe_strain_pct"]
        keep = strain >= 0
        label = run["sample"] if run["sample"] not in seen else None
        seen.add(run["sample"])
        ax.plot(strain[keep], d["stress_MPa"].to_numpy()[: k + 1][keep], color=col[run["sample"]], label=label, lw=0.9)
        ax.plot([strain[-1]], [d["stress_MPa"].iloc[k]], "x", color=col[run["sample"]], ms=3)
    ax.set_xlabel("Strain (%)")
    ax.set_ylabel("Stress (MPa)")
    ax.set_xlim(0, None)
    ax.set_ylim(0, None)
    return finish(ax, spec)
