"""SEM cross-section plots: the thickness bars of Kim et al. Fig. 4b and the edge overlay that lets a person
check every automatic measurement."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..vocab import conditions
from ._style import finish, new_axes

STATES = ("pristine", "lithiated", "delithiated")
STATE_LABELS = {"pristine": "pristine", "lithiated": "after 1st lithiation", "delithiated": "after 1st cycle"}
STATE_COLOURS = {"pristine": "#999999", "lithiated": "#D55E00", "delithiated": "#0072B2"}


def _by_sample_state(runs):
    return {(r["sample"], conditions.parse(r.get("condition") or "").get("state")): r for r in runs}


def thickness_bars(spec, runs, data, metrics, summary, curves=None):
    """Fig. 4b: coating thickness (mean ± SD over the measured columns) per sample and state, with the
    expansion and "contraction" (%, relative to the pristine thickness) written over the bars."""
    samples = spec["samples"]
    runs_at = _by_sample_state(runs)
    derived = summary.set_index(["sample", "quantity", "condition"])["value"]
    fig, ax = new_axes(spec, figsize=(6.0, 3.2))
    x = np.arange(len(samples))
    width = 0.26
    for k, state in enumerate(STATES):
        mean, sd = [], []
        for s in samples:
            m = metrics.get(runs_at.get((s, state), {}).get("run"), {})
            mean.append(m.get("thickness_mean_um", np.nan))
            sd.append(m.get("thickness_sd_um", np.nan))
        xs = x + (k - 1) * width
        ax.bar(xs, mean, width, yerr=sd, capsize=2, color=STATE_COLOURS[state], label=STATE_LABELS[state])
        quantity = {"lithiated": "thickness_expansion", "delithiated": "thickness_contraction"}.get(state)
        if quantity:
            for xi, s, v, e in zip(xs, samples, mean, sd):
                pct = derived.get((s, quantity, f"state={state}"), np.nan)
                if np.isfinite(pct):
                    ax.annotate(
                        f"{pct:+.0f}%", (xi, v + e), ha="center", va="bottom", fontsize=6, xytext=(0, 1),
                        textcoords="offset points",
                    )  # fmt: skip
    ax.set_xticks(x, samples)
    ax.set_ylabel("coating thickness (µm)")
    ax.set_ylim(0, None)
    ax.legend(fontsize=6, loc="upper right")
    return finish(ax, spec, legend=False)


def sem_edges(spec, runs, data, metrics, summary, curves):
    """The cross-sections (rows: samples, columns: states) with the detected coating-top (orange) and
    Cu-foil (cyan) edges drawn at every measured column; axes in µm from the image scale."""
    samples = spec["samples"]
    runs_at = _by_sample_state(runs)
    states = [s for s in STATES if any((x, s) in runs_at for x in samples)]
    fig, axes = plt.subplots(len(samples), len(states), figsize=(2.4 * len(states), 1.9 * len(samples)), squeeze=False)
    if spec.get("title"):
        fig.suptitle(spec["title"], x=0.01, ha="left", fontsize=8)
    for i, sample in enumerate(samples):
        for j, state in enumerate(states):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            run = runs_at.get((sample, state))
            if run is None:
                ax.set_axis_off()
                continue
            m, c = metrics[run["run"]], curves[run["run"]]
            image = data[run["run"]].to_numpy()  # every 4th pixel (techniques/sem.py); the measurement used all
            px = m["pixel_size_um"]
            h, w = m["image_height_px"], m["image_width_px"]
            ax.imshow(image, cmap="gray", vmin=0, vmax=255, extent=(0, w * px, h * px, 0))
            xs = (c["x_px"].to_numpy() + 0.5) * px
            ax.plot(xs, c["top_px"].to_numpy() * px, color="#E69F00", lw=0.6)
            ax.plot(xs, c["foil_px"].to_numpy() * px, color="#56B4E9", lw=0.6)
            ax.set_title(
                f"{sample}, {STATE_LABELS[state]}: {m['thickness_mean_um']:.2f} ± {m['thickness_sd_um']:.2f} µm",
                fontsize=6,
            )
            bar = 5.0
            ax.plot([w * px - bar - 1.0, w * px - 1.0], [h * px * 0.95] * 2, color="white", lw=1.5)
            ax.annotate("5 µm", (w * px - 1.0 - bar / 2, h * px * 0.93), color="white", fontsize=5, ha="center")
    fig.tight_layout()
    return fig
