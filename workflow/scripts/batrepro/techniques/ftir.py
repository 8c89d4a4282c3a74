"""FT-IR spectra (JCAMP-DX or the documented CSV): band positions matched to the configured band list.

``metrics/<run>.json`` holds the matched bands (position, standard error, height, prominence) and every
peak found; ``curves/ftir/<run>.csv`` the ascending wavenumber, absorbance, arPLS baseline, normalised
corrected absorbance and the transmittance recomputed from the absorbance, for the stacked plot (Fig. 1a–b).
The summary has one ``peak_wavenumber`` row (cm-1) per sample and band, condition ``band=<name>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..vocab import summary as vsummary
from . import Technique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``ftir:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    baseline_lam: float
    peak_prominence: float
    refine_half_width: int
    bands: dict[str, Any]


class RunMetrics(dict):
    """The metrics written to JSON, with the curves table beside them (an attribute the writer never sees)."""

    def __init__(self, metrics: dict, curves: pd.DataFrame):
        super().__init__(metrics)
        self.curves = curves


def ingest(raw, run, settings):
    kind = "transmittance_pct" if "transmittance_pct" in raw.data else "absorbance"
    return raw.data, {"y_kind": kind, "title": raw.header.get("title", "")}


def analyse(table, run, settings, info):
    from ..analysis.ftir import analyse_spectrum

    kind = info["y_kind"]
    result = analyse_spectrum(
        table["wavenumber_per_cm"].to_numpy(),
        table[kind].to_numpy(),
        kind,
        baseline_lam=settings.baseline_lam,
        peak_prominence=settings.peak_prominence,
        refine_half_width=settings.refine_half_width,
        bands=settings.bands,
        sample=run["sample"],
    )
    for name, band in result["bands"].items():
        logger.info("%s: %s at %.2f cm-1", run["run"], name, band["wavenumber_per_cm"])
    c = result["curves"]
    curves = pd.DataFrame(c)
    curves["transmittance_pct"] = 100.0 * 10.0 ** (-curves["absorbance"])
    metrics = {k: v for k, v in result.items() if k != "curves"}
    return RunMetrics({**metrics, "y_kind": kind, "title": info["title"]}, curves)


def curves(metrics):
    return metrics.curves


def summarise(paper, runs, metrics, settings):
    rows = []
    for r in runs:
        for name, band in sorted(metrics[r["run"]]["bands"].items()):
            u = band["uncertainty_per_cm"]
            rows.append(
                vsummary.row(
                    paper, "ftir", r["sample"], "peak_wavenumber", f"band={name}", "cm-1",
                    band["wavenumber_per_cm"], metrics[r["run"]]["method"], None if u != u else u,
                )
            )  # fmt: skip
    return vsummary.frame(rows)


def bands_table(spec, runs, metrics, summary):
    """Band positions (cm-1 ± standard error) per sample, one column per band of the list."""
    rows = []
    for r in runs:
        row = {"sample": r["sample"], "run": r["run"]}
        for name, band in sorted(metrics[r["run"]]["bands"].items()):
            row[f"{name}_per_cm"] = band["wavenumber_per_cm"]
            row[f"{name}_se_per_cm"] = band["uncertainty_per_cm"]
        rows.append(row)
    return pd.DataFrame(rows)


TECHNIQUE = Technique(
    "ftir",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("jcamp_dx", "ftir_csv"),
    tables={"ftir_bands": bands_table},
    curves=curves,
    float_format="%.8g",
)
