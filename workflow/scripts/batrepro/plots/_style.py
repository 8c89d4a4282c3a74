"""Small helpers shared by the plot modules: consistent sample colours and axis labels."""

from __future__ import annotations

import matplotlib.pyplot as plt

# Okabe–Ito colour-blind-safe palette, assigned in legend order.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def colours(samples: list[str]) -> dict[str, str]:
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(samples)}


def new_axes(spec: dict, figsize=None):
    fig, ax = plt.subplots(figsize=figsize)
    if spec.get("title"):
        ax.set_title(spec["title"], loc="left")
    return fig, ax


def finish(ax, spec: dict, legend: bool = True):
    if spec.get("xlim"):
        ax.set_xlim(*spec["xlim"])
    if spec.get("ylim"):
        ax.set_ylim(*spec["ylim"])
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend()
    return ax.figure
